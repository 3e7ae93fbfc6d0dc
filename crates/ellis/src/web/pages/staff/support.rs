//! The support desk's pages: find an account, read it (recorded), act on it with a reason, check a caller's
//! security answers and start their recovery, and propose or approve the consolidation of duplicates.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;
use ellis_core::events::EventKind;
use ellis_store::{Account, ConsolidationRecord};
use serde::Deserialize;

use super::{Chrome, StaffMessage, StaffPage, StaffPageResult};
use crate::AppState;
use crate::services::staff::StaffAuthenticated;
use crate::services::staff::consolidation::{self, Proposal};
use crate::services::staff::support::{self, DeskAction, Reason};
use crate::services::{ServiceError, format_utc, unix_to_datetime};
use crate::web::extract::{ClientInfo, CsrfToken, SupportDesk};
use crate::web::pages::{ErrorSummary, format_time};

/// An account in a list: its number (as typed on the phone), name, email.
struct AccountLine {
    /// For URLs and forms.
    digits: String,
    /// For reading out: `1234-5678-9012`.
    number: String,
    name: String,
    email: String,
    status: &'static str,
}

impl AccountLine {
    fn of(account: &Account) -> Self {
        Self {
            digits: account.account_number.map(|n| n.digits()).unwrap_or_default(),
            number: account.account_number.map(|n| n.display()).unwrap_or_default(),
            name: format!("{} {}", account.given_name, account.family_name),
            email: account.email.as_str().to_owned(),
            status: account.status.as_str(),
        }
    }
}

/// A consolidation waiting for approval, as the desk lists it.
struct PendingLine {
    id: String,
    keep: String,
    retire: String,
    reason: String,
    proposed_at: String,
    mine: bool,
}

async fn pending_lines(
    state: &AppState,
    auth: &StaffAuthenticated,
    records: &[ConsolidationRecord],
) -> Result<Vec<PendingLine>, ServiceError> {
    let mut lines = Vec::new();
    for record in records {
        let number = |account: Account| account.account_number.map(|n| n.display()).unwrap_or_default();
        lines.push(PendingLine {
            id: record.id.to_string(),
            keep: number(state.store.account(record.keep).await?),
            retire: number(state.store.account(record.retire).await?),
            reason: record.reason.clone(),
            proposed_at: format_time(unix_to_datetime(record.proposed_at)),
            mine: record.proposed_by == auth.member.id,
        });
    }
    Ok(lines)
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/support.html")]
struct SearchPage {
    q: String,
    searched: bool,
    found: Vec<AccountLine>,
    pending: Vec<PendingLine>,
    notice: Option<&'static str>,
    errors: FieldErrors,
    csrf: String,
    chrome: Option<Chrome>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    done: String,
}

pub async fn search(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<SupportDesk>,
    csrf: CsrfToken,
    Query(query): Query<SearchQuery>,
) -> StaffPageResult {
    let searched = !query.q.trim().is_empty();
    let (found, errors) = if searched {
        match support::find(&state, &auth, &query.q).await {
            Ok(found) => (found.iter().map(AccountLine::of).collect(), FieldErrors::new()),
            Err(ServiceError::Invalid(errors)) => (Vec::new(), errors),
            Err(other) => return Err(other.into()),
        }
    } else {
        (Vec::new(), FieldErrors::new())
    };
    let records = consolidation::pending(&state, &auth).await?;
    let pending = pending_lines(&state, &auth, &records).await?;
    let notice = match query.done.as_str() {
        "proposed" => Some("Proposed. Another support agent must approve it."),
        "approved" => Some("Approved. The accounts are one now, and both holders were emailed."),
        _ => None,
    };
    let chrome = Chrome::new(&auth, &csrf);
    let page = SearchPage {
        q: query.q,
        searched,
        found,
        pending,
        notice,
        errors,
        csrf: chrome.csrf.clone(),
        chrome: Some(chrome),
    };
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/account.html")]
struct AccountPage {
    account: AccountLine,
    date_of_birth: String,
    a_number: String,
    email_verified: bool,
    locked: bool,
    cases: Vec<(String, String, String)>,
    history: Vec<(String, &'static str, String)>,
    questions: Vec<(i64, &'static str)>,
    duplicates: Vec<AccountLine>,
    pending: Vec<PendingLine>,
    notice: Option<String>,
    errors: FieldErrors,
    csrf: String,
    chrome: Option<Chrome>,
}

async fn account_page(
    state: &AppState,
    auth: &StaffAuthenticated,
    csrf: &CsrfToken,
    number: &str,
    notice: Option<String>,
    errors: FieldErrors,
) -> Result<AccountPage, ServiceError> {
    let view = support::view(state, auth, number).await?;
    let account = &view.account;
    let pending = pending_lines(state, auth, &view.pending).await?;
    let chrome = Chrome::new(auth, csrf);
    Ok(AccountPage {
        account: AccountLine::of(account),
        date_of_birth: ellis_core::profile::format_date(account.date_of_birth),
        a_number: account.a_number.map(|a| a.to_string()).unwrap_or_else(|| "None given".to_owned()),
        email_verified: account.email_verified,
        locked: account.lockout.is_locked(state.clock.unix())
            || account.lockout.failed_sign_ins >= ellis_core::lockout::FAILURE_CEILING,
        cases: view
            .cases
            .iter()
            .map(|c| (c.receipt_number.to_string(), c.form_type.clone(), c.status_title.clone()))
            .collect(),
        history: view
            .history
            .iter()
            .take(50)
            .map(|e| {
                let at = format_time(unix_to_datetime(e.at_us / 1_000_000));
                let sentence = EventKind::parse(&e.kind).map_or("Event", EventKind::sentence);
                (at, sentence, e.detail.clone().unwrap_or_default())
            })
            .collect(),
        questions: view.questions.clone(),
        duplicates: view.duplicates.iter().map(AccountLine::of).collect(),
        pending,
        notice,
        errors,
        csrf: chrome.csrf.clone(),
        chrome: Some(chrome),
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn account(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<SupportDesk>,
    csrf: CsrfToken,
    Path(number): Path<String>,
    Query(query): Query<DoneQuery>,
) -> StaffPageResult {
    let notice = match query.done.as_str() {
        "unlock" => Some("Unlocked. The holder sees it in their history.".to_owned()),
        "resend-verification" => Some("A new verification link was emailed.".to_owned()),
        "compromise" => Some("Marked compromised: sessions ended, factors cleared, contact details frozen.".to_owned()),
        _ => None,
    };
    Ok(account_page(&state, &auth, &csrf, &number, notice, FieldErrors::new()).await?.into_response())
}

/// `POST /staff/support/accounts/{number}/{unlock | resend-verification | compromise}`.
pub async fn act(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffPage(auth, _): StaffPage<SupportDesk>,
    csrf: CsrfToken,
    Path((number, action)): Path<(String, String)>,
    Form(form): Form<Reason>,
) -> StaffPageResult {
    let desk_action = DeskAction::parse(&action).ok_or(ServiceError::NotFound)?;
    match support::act(&state, &auth, &number, desk_action, &form.reason, &client).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/support/accounts/{number}?done={action}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = account_page(&state, &auth, &csrf, &number, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The caller's answers arrive as `answer_<question id>` fields.
pub async fn verify_caller(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffPage(auth, _): StaffPage<SupportDesk>,
    csrf: CsrfToken,
    Path(number): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> StaffPageResult {
    let reason = posted.iter().find(|(k, _)| k == "reason").map(|(_, v)| v.as_str()).unwrap_or("");
    let answers: Vec<(i64, String)> =
        posted.iter().filter_map(|(k, v)| Some((k.strip_prefix("answer_")?.parse().ok()?, v.clone()))).collect();
    match support::verify_caller(&state, &auth, &number, &answers, reason, &client).await {
        Ok(ready_at) => {
            let notice = format!(
                "The answers are right. Recovery has started: the holder was emailed a cancel link, and from {} \
                 they can set a new password with \"Forgot password\" and enrol a new authenticator.",
                format_utc(ready_at)
            );
            Ok(account_page(&state, &auth, &csrf, &number, Some(notice), FieldErrors::new()).await?.into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let page = account_page(&state, &auth, &csrf, &number, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::RecoveryClosed { until }) => {
            let notice = format!("Too many wrong answers: this path is closed until {}.", format_utc(until));
            let page = account_page(&state, &auth, &csrf, &number, Some(notice), FieldErrors::new()).await?;
            Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn propose(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<SupportDesk>,
    csrf: CsrfToken,
    Form(form): Form<Proposal>,
) -> StaffPageResult {
    match consolidation::propose(&state, &auth, &form).await {
        Ok(_) => Ok(Redirect::to("/staff/support?done=proposed").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = account_page(&state, &auth, &csrf, &form.keep, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffPage(auth, _): StaffPage<SupportDesk>,
    Path(id): Path<String>,
) -> StaffPageResult {
    let id: i64 = id.parse().map_err(|_| ServiceError::NotFound)?;
    match consolidation::approve(&state, &auth, id, &client).await {
        Ok(_) => Ok(Redirect::to("/staff/support?done=approved").into_response()),
        Err(ServiceError::Forbidden) => {
            let page = StaffMessage::new(
                "You proposed this consolidation",
                "A different support agent must approve it: that is the two-person rule.",
            );
            Ok((StatusCode::FORBIDDEN, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
