//! `/cases/{receipt}`: one case with its status, history and notices; `/notices/{id}/pdf` downloads one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;
use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use serde::Deserialize;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::auth::Authenticated;
use crate::services::cases::{evidence, notices, status_change, tracking};
use crate::services::unix_to_datetime;
use crate::web::api::v1::evidence::{file_response, read_upload};
use crate::web::api::v1::notices::pdf_response;
use crate::web::error::ApiError;
use crate::web::extract::{CsrfToken, PageAuth};
use crate::web::pages::{ErrorSummary, PageResult, format_time};

#[derive(Template, WebTemplate)]
#[template(path = "pages/case.html")]
struct CasePage {
    receipt: String,
    form_type: String,
    office: String,
    status: String,
    description: String,
    notices: Vec<(String, String, String)>,
    history: Vec<(String, String)>,
    just_filed: bool,
    awaits_evidence: bool,
    evidence: Vec<(String, String, String)>,
    errors: FieldErrors,
    signed_in: bool,
    csrf: String,
}

#[derive(Deserialize)]
pub struct Filed {
    #[serde(default)]
    filed: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Path(receipt): Path<String>,
    Query(filed): Query<Filed>,
) -> PageResult {
    let page = case_page(&state, &auth, &receipt, csrf, FieldErrors::new()).await?;
    Ok(CasePage { just_filed: filed.filed.is_some(), ..page }.into_response())
}

async fn case_page(
    state: &AppState,
    auth: &Authenticated,
    receipt: &str,
    csrf: String,
    errors: FieldErrors,
) -> Result<CasePage, ServiceError> {
    let detail = tracking::my_case(state, auth, receipt).await?;
    let evidence = state
        .store
        .evidence_of(detail.case.id)
        .await?
        .into_iter()
        .map(|e| (e.public_id, e.file_name, format_time(unix_to_datetime(e.uploaded_at))))
        .collect();
    let notices = detail
        .notices
        .iter()
        .map(|n| {
            let form = NoticeForm::parse(&n.form).map_or(n.form.as_str(), |f| f.as_str());
            let kind = NoticeKind::parse(&n.kind).map_or(n.kind.as_str(), |k| k.printed());
            (n.public_id.clone(), format!("{form} {kind} Notice"), n.notice_date.clone())
        })
        .collect();
    let history =
        detail.history.iter().map(|h| (format_time(unix_to_datetime(h.at)), h.status_title.clone())).collect();
    let page = CasePage {
        receipt: detail.case.receipt_number.to_string(),
        form_type: detail.case.form_type.clone(),
        office: detail.case.office.clone(),
        status: detail.case.status_title.clone(),
        awaits_evidence: status_change::awaits_evidence(&detail.case),
        description: detail.description,
        notices,
        history,
        just_filed: false,
        evidence,
        errors,
        signed_in: true,
        csrf,
    };
    Ok(page)
}

/// `POST /cases/{receipt}/evidence` (multipart; the CSRF token rides in the URL).
pub async fn send_evidence(
    State(state): State<AppState>,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Path(receipt): Path<String>,
    multipart: Multipart,
) -> PageResult {
    let result = match read_upload(multipart).await {
        Ok((files, note)) => evidence::respond(&state, &auth, &receipt, files, note.as_deref()).await,
        Err(ApiError::Service(error)) => Err(error),
        Err(_) => Err(crate::services::invalid("files", "The upload could not be read; try again")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{receipt}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = case_page(&state, &auth, &receipt, csrf, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn evidence_file(
    State(state): State<AppState>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
) -> PageResult {
    let (record, bytes) = evidence::download(&state, &auth, &id).await?;
    Ok(file_response(&record, bytes))
}

pub async fn notice_pdf(State(state): State<AppState>, PageAuth(auth): PageAuth, Path(id): Path<String>) -> PageResult {
    let (file_name, bytes) = notices::pdf(&state, &auth, &id).await?;
    Ok(pdf_response(&file_name, bytes))
}
