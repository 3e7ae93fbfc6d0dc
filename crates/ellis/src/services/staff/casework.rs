//! Officer work on cases: the queue (oldest first), a case with the applicant's filing, history, notices and
//! the titles allowed next, and actions that move it (through `cases::status_change`, so each produces its
//! notice and tells the applicant). Every read and write is recorded in the staff audit.

use ellis_core::ids::CaseId;
use ellis_core::profile::parse_date;
use ellis_core::staff::Role;
use ellis_core::status;
use ellis_store::{AuditEntry, CaseHistoryRecord, CaseRecord, EvidenceRecord, NoticeRecord};

use super::StaffAuthenticated;
use crate::AppState;
use crate::services::cases::status_change::{Move, move_to};
use crate::services::cases::{notices, parse_receipt};
use crate::services::{ServiceError, ServiceResult, given, invalid};

/// What the queue shows: one status, one form, cases at least so many days old; any of them may be absent.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct QueueFilter {
    pub status: Option<String>,
    pub form_type: Option<String>,
    pub min_age_days: Option<String>,
}

pub async fn queue(
    state: &AppState,
    auth: &StaffAuthenticated,
    filter: &QueueFilter,
) -> ServiceResult<Vec<CaseRecord>> {
    auth.require(&[Role::Officer])?;
    let received_before = match given(filter.min_age_days.as_deref()) {
        Some(days) => {
            let days: i64 = days
                .parse()
                .ok()
                .filter(|d| (0..=36_500).contains(d))
                .ok_or_else(|| invalid("min_age_days", "Give a whole number of days"))?;
            Some(state.clock.unix() - days * 86_400)
        }
        None => None,
    };
    Ok(state
        .store
        .case_queue(given(filter.status.as_deref()), given(filter.form_type.as_deref()), received_before, 200)
        .await?)
}

pub struct StaffCaseView {
    pub case: CaseRecord,
    pub history: Vec<CaseHistoryRecord>,
    pub notices: Vec<NoticeRecord>,
    pub evidence: Vec<EvidenceRecord>,
    pub allowed_next: Vec<&'static str>,
}

/// A case as staff see it; the read is recorded.
pub async fn view(state: &AppState, auth: &StaffAuthenticated, receipt: &str) -> ServiceResult<StaffCaseView> {
    auth.require(&[Role::Officer, Role::Support])?;
    let case = find(state, receipt).await?;
    let mut tx = state.store.write().await?;
    let entry = AuditEntry {
        staff: auth.member.id,
        action: "case.read",
        account: case.account,
        case: Some(case.id),
        detail: None,
    };
    tx.audit(&entry, state.clock.unix()).await?;
    tx.commit().await?;
    let history = state.store.case_history(case.id).await?;
    let notices = state.store.notices_of(case.id).await?;
    let evidence = state.store.evidence_of(case.id).await?;
    let allowed_next = status::find(&case.status_title).map(|s| s.next_titles().collect()).unwrap_or_default();
    Ok(StaffCaseView { case, history, notices, evidence, allowed_next })
}

/// What an officer asks for: a title from `allowed_next`, a note, a due date (evidence requests) or an
/// appointment (biometrics, interviews).
pub struct Action<'a> {
    pub status_title: &'a str,
    pub note: Option<&'a str>,
    pub due_date: Option<&'a str>,
    pub appointment_at: Option<&'a str>,
}

pub async fn act(
    state: &AppState,
    auth: &StaffAuthenticated,
    receipt: &str,
    action: &Action<'_>,
) -> ServiceResult<StaffCaseView> {
    auth.require(&[Role::Officer])?;
    let due_date = match given(action.due_date) {
        Some(text) => Some(parse_date(text).map_err(|e| invalid("due_date", e.to_string()))?),
        None => None,
    };
    if status::find(action.status_title).is_some_and(status::Status::requests_evidence) && due_date.is_none() {
        return Err(invalid("due_date", "An evidence request needs a due date"));
    }
    let note = given(action.note);
    if note.is_some_and(|n| n.chars().count() > 2000) {
        return Err(invalid("note", "Use at most 2,000 characters"));
    }
    let found = find(state, receipt).await?;
    let details =
        Move { note: note.map(str::to_owned), due_date, appointment: given(action.appointment_at).map(str::to_owned) };
    let mut tx = state.store.write().await?;
    let case = tx.case_for_update(found.id).await?;
    move_to(state, &mut tx, &case, action.status_title, &details, false).await?;
    let detail = format!("{} -> {}", case.status_title, action.status_title);
    let entry = AuditEntry {
        staff: auth.member.id,
        action: "case.status",
        account: case.account,
        case: Some(case.id),
        detail: Some(&detail),
    };
    tx.audit(&entry, state.clock.unix()).await?;
    tx.commit().await?;
    state.wake_mailer();
    view(state, auth, receipt).await
}

/// A notice's PDF as staff read it (recorded).
pub async fn notice_pdf(
    state: &AppState,
    auth: &StaffAuthenticated,
    public_id: &str,
) -> ServiceResult<(String, Vec<u8>)> {
    auth.require(&[Role::Officer, Role::Support])?;
    let record = state.store.notice(public_id).await?.ok_or(ServiceError::NotFound)?;
    let case = state.store.case(CaseId(record.case_id)).await?;
    record_read(state, auth, &case, "notice.read", &record.public_id).await?;
    notices::render(&record, &case)
}

/// A file an applicant sent, as staff read it (recorded).
pub async fn evidence_file(
    state: &AppState,
    auth: &StaffAuthenticated,
    public_id: &str,
) -> ServiceResult<(EvidenceRecord, Vec<u8>)> {
    auth.require(&[Role::Officer, Role::Support])?;
    let (record, bytes) = state.store.evidence_file(public_id).await?.ok_or(ServiceError::NotFound)?;
    let case = state.store.case(CaseId(record.case_id)).await?;
    record_read(state, auth, &case, "evidence.read", &record.file_name).await?;
    Ok((record, bytes))
}

async fn record_read(
    state: &AppState,
    auth: &StaffAuthenticated,
    case: &CaseRecord,
    action: &str,
    what: &str,
) -> ServiceResult<()> {
    let mut tx = state.store.write().await?;
    let entry =
        AuditEntry { staff: auth.member.id, action, account: case.account, case: Some(case.id), detail: Some(what) };
    tx.audit(&entry, state.clock.unix()).await?;
    tx.commit().await?;
    Ok(())
}

async fn find(state: &AppState, receipt: &str) -> ServiceResult<CaseRecord> {
    let receipt = parse_receipt(receipt, "receipt_number")?;
    state.store.case_by_receipt(&receipt).await?.ok_or(ServiceError::NotFound)
}
