//! `/case-status` (DOMAIN.md §8: one input `receipt_number`, a "Check Status" button, the title as a heading
//! and the description below) and `/notices/verify`. Both are GET forms: nothing changes, so no CSRF token
//! is needed and the answer can be bookmarked.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use ellis_core::status::Language;
use serde::Deserialize;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::cases::{notices, public_status};
use crate::web::extract::{CsrfToken, MaybePageAuth};
use crate::web::pages::PageResult;

#[derive(Template, WebTemplate)]
#[template(path = "pages/case_status.html")]
struct StatusPage {
    typed: String,
    lang: &'static str,
    result: Option<(String, String)>,
    error: Option<String>,
    signed_in: bool,
    csrf: String,
}

#[derive(Deserialize)]
pub struct StatusQuery {
    #[serde(default)]
    receipt_number: String,
    #[serde(default)]
    lang: String,
}

pub async fn case_status(
    State(state): State<AppState>,
    MaybePageAuth(auth): MaybePageAuth,
    CsrfToken(csrf): CsrfToken,
    Query(query): Query<StatusQuery>,
) -> PageResult {
    let language = Language::from_code(&query.lang);
    let mut page = StatusPage {
        typed: query.receipt_number.trim().to_owned(),
        lang: if language == Language::Spanish { "es" } else { "en" },
        result: None,
        error: None,
        signed_in: auth.is_some(),
        csrf,
    };
    if page.typed.is_empty() {
        return Ok(page.into_response());
    }
    let status = match public_status::look_up(&state, &page.typed, language).await {
        Ok(found) => {
            page.result = Some((found.title, found.description));
            StatusCode::OK
        }
        Err(ServiceError::Invalid(errors)) => {
            page.error = errors.message_for("receipt_number").map(str::to_owned);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(ServiceError::NotFound) => {
            page.error = Some(
                "We could not find a case with this receipt number. Check it against your notice and try again."
                    .to_owned(),
            );
            StatusCode::NOT_FOUND
        }
        Err(other) => return Err(other.into()),
    };
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/verify_notice.html")]
struct VerifyPage {
    typed: String,
    result: Option<String>,
    error: Option<String>,
    signed_in: bool,
    csrf: String,
}

#[derive(Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

pub async fn verify_notice(
    State(state): State<AppState>,
    MaybePageAuth(auth): MaybePageAuth,
    CsrfToken(csrf): CsrfToken,
    Query(query): Query<CodeQuery>,
) -> PageResult {
    let mut page =
        VerifyPage { typed: query.code.trim().to_owned(), result: None, error: None, signed_in: auth.is_some(), csrf };
    if page.typed.is_empty() {
        return Ok(page.into_response());
    }
    match notices::verify(&state, &page.typed).await {
        Ok(found) => {
            let form = NoticeForm::parse(&found.form).map_or(found.form.as_str(), |f| f.as_str());
            let kind = NoticeKind::parse(&found.kind).map_or(found.kind.as_str(), |k| k.printed());
            page.result = Some(format!(
                "This is a genuine notice: {form} {kind} Notice for receipt number {}, dated {}.",
                found.receipt_number, found.notice_date
            ));
            Ok(page.into_response())
        }
        Err(ServiceError::NotFound) => {
            page.error = Some("No notice has this code. A notice that does not verify was not issued by ellis.".into());
            Ok((StatusCode::NOT_FOUND, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
