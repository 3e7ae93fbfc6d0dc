//! Moving a case to a new status (DESIGN.md §5): only to a title the catalogue allows from the current one;
//! the history grows, the catalogue's notice (if any) is produced, and the holder gets an unread marker and
//! an email that says only that something changed. The agency side's officer actions call this; until it
//! exists, `ellis case update` does.

use ellis_core::forms;
use ellis_core::status;
use ellis_store::{CaseRecord, Tx};
use time::Date;

use super::filing::parties;
use super::notices;
use crate::AppState;
use crate::mail::{CaseUpdated, first_name};
use crate::services::{ServiceError, ServiceResult, invalid};

/// What an officer adds to a move: a note, a due date (evidence requests), an appointment (biometrics,
/// interviews) — printed on the notice.
#[derive(Debug, Default, Clone)]
pub struct Move {
    pub note: Option<String>,
    pub due_date: Option<Date>,
    pub appointment: Option<String>,
}

/// Moves `case` to `title` inside `tx`. `by_holder` is the applicant's own step (an evidence response):
/// no unread marker then.
pub async fn move_to(
    state: &AppState,
    tx: &mut Tx,
    case: &CaseRecord,
    title: &str,
    details: &Move,
    by_holder: bool,
) -> ServiceResult<()> {
    let current = status::find(&case.status_title);
    let next = status::find(title).ok_or_else(|| invalid("status_title", "This is not a status ellis knows"))?;
    if !current.is_some_and(|c| c.allows(title)) {
        let allowed: Vec<&str> = current.map(|c| c.next_titles().collect()).unwrap_or_default();
        return Err(invalid(
            "status_title",
            format!("From \"{}\" a case may move to: {}", case.status_title, allowed.join("; ")),
        ));
    }
    let now = state.clock.unix();
    let today = state.clock.now().date();
    tx.set_case_status(case.id, next.title, now, !by_holder).await?;
    tx.append_case_history(case.id, next.title, now).await?;
    let account = match case.account {
        Some(id) => Some(tx.account_for_update(id).await?),
        None => None,
    };
    if let Some(notice) = next.notice {
        let form = forms::find(&case.form_type).ok_or_else(|| anyhow::anyhow!("case with unknown form"))?;
        let values = serde_json::from_str(&case.fields_json).map_err(anyhow::Error::from)?;
        let filing =
            form.validate(&values, today, true).map_err(|_| anyhow::anyhow!("stored filing no longer valid"))?;
        let number = account.as_ref().and_then(|a| a.account_number).map(|n| n.display());
        let who = parties(&form, &filing, number, case.office.clone());
        let description =
            next.describe(status::Language::English, today, &case.form_type, case.receipt_number.as_str());
        let mut body = vec![description];
        if let Some(due) = details.due_date {
            body.push(format!(
                "Send the evidence by {}. Answer in your USCIS Online Account, or by mail with a copy of this notice.",
                ellis_notices::long_date(due)
            ));
        }
        if let Some(appointment) = &details.appointment {
            body.push(format!("Appointment: {appointment}. Bring this notice and a photo identification."));
        }
        if let Some(note) = &details.note {
            body.push(note.clone());
        }
        notices::issue(state, tx, case, &who, notice, body, today).await?;
    }
    if let Some(account) = account.filter(|_| !by_holder) {
        let message = CaseUpdated { given_name: first_name(&account.given_name), link: state.config.link("/sign-in") }
            .compose(account.email.as_str())
            .map_err(anyhow::Error::from)?;
        tx.enqueue_email(&message.as_new_email(), now).await?;
    }
    Ok(())
}

/// Whether the case is waiting for the applicant's evidence.
pub fn awaits_evidence(case: &CaseRecord) -> bool {
    status::find(&case.status_title).is_some_and(status::Status::requests_evidence)
}

/// `ellis case update`: move a case by its receipt number (an operator's interim tool).
pub async fn update(state: &AppState, receipt: &str, title: &str, details: &Move) -> ServiceResult<CaseRecord> {
    let receipt = super::parse_receipt(receipt, "receipt_number")?;
    let case = state.store.case_by_receipt(&receipt).await?.ok_or(ServiceError::NotFound)?;
    let mut tx = state.store.write().await?;
    let case = tx.case_for_update(case.id).await?;
    move_to(state, &mut tx, &case, title, details, false).await?;
    tx.commit().await?;
    state.wake_mailer();
    state.store.case_by_receipt(&receipt).await?.ok_or(ServiceError::NotFound)
}
