//! Officers' pages: the queue (filter by form, status and age; oldest first), one case with the applicant's
//! filing, history, notices and files, and the form that moves it to one of the catalogue's next titles.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;
use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use ellis_core::status::{self, CATALOGUE};
use serde::Deserialize;
use serde_json::Value;

use super::{Chrome, StaffPage, StaffPageResult};
use crate::AppState;
use crate::services::staff::casework::{self, Action, QueueFilter, StaffCaseView};
use crate::services::{ServiceError, unix_to_datetime};
use crate::web::api::v1::evidence::file_response;
use crate::web::api::v1::notices::pdf_response;
use crate::web::extract::{CaseReaders, CsrfToken, Officers};
use crate::web::pages::{ErrorSummary, format_time};

struct QueueRow {
    receipt: String,
    form_type: String,
    status: String,
    received: String,
    age_days: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/queue.html")]
struct QueuePage {
    rows: Vec<QueueRow>,
    filter: QueueFilter,
    form_types: Vec<&'static str>,
    titles: Vec<&'static str>,
    errors: FieldErrors,
    chrome: Option<Chrome>,
}

impl QueuePage {
    fn chosen(value: &Option<String>, option: &str) -> bool {
        value.as_deref() == Some(option)
    }
}

pub async fn queue(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<Officers>,
    csrf: CsrfToken,
    Query(filter): Query<QueueFilter>,
) -> StaffPageResult {
    let (rows, errors) = match casework::queue(&state, &auth, &filter).await {
        Ok(cases) => {
            let now = state.clock.unix();
            let rows = cases
                .into_iter()
                .map(|c| QueueRow {
                    receipt: c.receipt_number.to_string(),
                    form_type: c.form_type,
                    status: c.status_title,
                    received: format_time(unix_to_datetime(c.received_at)),
                    age_days: (now - c.received_at) / 86_400,
                })
                .collect();
            (rows, FieldErrors::new())
        }
        Err(ServiceError::Invalid(errors)) => (Vec::new(), errors),
        Err(other) => return Err(other.into()),
    };
    let mut form_types: Vec<&'static str> = ellis_core::forms::all().iter().map(|f| f.form_type).collect();
    form_types.sort_unstable();
    let page = QueuePage {
        rows,
        filter,
        form_types,
        titles: CATALOGUE.iter().map(|s| s.title).collect(),
        errors,
        chrome: Some(Chrome::new(&auth, &csrf)),
    };
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/case.html")]
struct CasePage {
    receipt: String,
    form_type: String,
    status: String,
    office: String,
    received: String,
    filed_online: bool,
    linked: bool,
    fields: Vec<(String, String)>,
    history: Vec<(String, String)>,
    notices: Vec<(String, String, String)>,
    evidence: Vec<(String, String, String)>,
    /// The titles an officer may choose, and whether each needs a due date.
    allowed_next: Vec<(&'static str, bool)>,
    may_act: bool,
    done: bool,
    errors: FieldErrors,
    csrf: String,
    chrome: Option<Chrome>,
}

/// The filing as label/value lines: nested objects (addresses) on one line.
fn filing_lines(fields_json: &str) -> Vec<(String, String)> {
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(fields_json) else { return Vec::new() };
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        Value::Object(parts) => {
            parts.values().filter_map(Value::as_str).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
        }
        Value::Bool(b) => if *b { "Yes" } else { "No" }.to_owned(),
        other => other.to_string(),
    };
    fields.iter().map(|(name, value)| (name.replace('_', " "), text(value))).collect()
}

fn case_page(view: StaffCaseView, chrome: Chrome, errors: FieldErrors) -> CasePage {
    let case = &view.case;
    CasePage {
        receipt: case.receipt_number.to_string(),
        form_type: case.form_type.clone(),
        status: case.status_title.clone(),
        office: case.office.clone(),
        received: format_time(unix_to_datetime(case.received_at)),
        filed_online: case.filed_online,
        linked: case.account.is_some(),
        fields: filing_lines(&case.fields_json),
        history: view.history.iter().map(|h| (format_time(unix_to_datetime(h.at)), h.status_title.clone())).collect(),
        notices: view
            .notices
            .iter()
            .map(|n| {
                let form = NoticeForm::parse(&n.form).map_or(n.form.as_str(), |f| f.as_str());
                let kind = NoticeKind::parse(&n.kind).map_or(n.kind.as_str(), |k| k.printed());
                (n.public_id.clone(), format!("{form} {kind} Notice"), n.notice_date.clone())
            })
            .collect(),
        evidence: view
            .evidence
            .iter()
            .map(|e| (e.public_id.clone(), e.file_name.clone(), format_time(unix_to_datetime(e.uploaded_at))))
            .collect(),
        may_act: chrome.officer() && !view.allowed_next.is_empty(),
        allowed_next: view.allowed_next.iter().map(|t| (*t, needs_due_date(t))).collect(),
        done: false,
        errors,
        csrf: chrome.csrf.clone(),
        chrome: Some(chrome),
    }
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<CaseReaders>,
    csrf: CsrfToken,
    Path(receipt): Path<String>,
    Query(done): Query<Done>,
) -> StaffPageResult {
    let view = casework::view(&state, &auth, &receipt).await?;
    let page = CasePage { done: done.done.is_some(), ..case_page(view, Chrome::new(&auth, &csrf), FieldErrors::new()) };
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    status_title: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    appointment_at: String,
}

pub async fn act(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<Officers>,
    csrf: CsrfToken,
    Path(receipt): Path<String>,
    Form(form): Form<ActionForm>,
) -> StaffPageResult {
    let action = Action {
        status_title: &form.status_title,
        note: Some(&form.note),
        due_date: Some(&form.due_date),
        appointment_at: Some(&form.appointment_at),
    };
    match casework::act(&state, &auth, &receipt, &action).await {
        Ok(view) => Ok(Redirect::to(&format!("/staff/cases/{}?done=1", view.case.receipt_number)).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let view = casework::view(&state, &auth, &receipt).await?;
            let page = case_page(view, Chrome::new(&auth, &csrf), errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn notice_pdf(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<CaseReaders>,
    Path(id): Path<String>,
) -> StaffPageResult {
    let (file_name, bytes) = casework::notice_pdf(&state, &auth, &id).await?;
    Ok(pdf_response(&file_name, bytes))
}

pub async fn evidence_file(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<CaseReaders>,
    Path(id): Path<String>,
) -> StaffPageResult {
    let (record, bytes) = casework::evidence_file(&state, &auth, &id).await?;
    Ok(file_response(&record, bytes))
}

/// Whether choosing a title needs a due date (evidence requests), for the hint beside it.
fn needs_due_date(title: &str) -> bool {
    status::find(title).is_some_and(status::Status::requests_evidence)
}
