//! `/cases/{receipt}`: one case with its status, history and notices; `/notices/{id}/pdf` downloads one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use serde::Deserialize;

use crate::AppState;
use crate::services::cases::{notices, tracking};
use crate::services::unix_to_datetime;
use crate::web::api::v1::notices::pdf_response;
use crate::web::extract::{CsrfToken, PageAuth};
use crate::web::pages::{PageResult, format_time};

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
    let detail = tracking::my_case(&state, &auth, &receipt).await?;
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
        description: detail.description,
        notices,
        history,
        just_filed: filed.filed.is_some(),
        signed_in: true,
        csrf,
    };
    Ok(page.into_response())
}

pub async fn notice_pdf(State(state): State<AppState>, PageAuth(auth): PageAuth, Path(id): Path<String>) -> PageResult {
    let (file_name, bytes) = notices::pdf(&state, &auth, &id).await?;
    Ok(pdf_response(&file_name, bytes))
}
