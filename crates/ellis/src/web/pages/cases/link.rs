//! `/cases/link`: add a paper-filed case with the Online Access Code from its Account Access Notice.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::auth::Need;
use crate::services::cases::linking;
use crate::web::extract::{ClientInfo, CsrfToken, PageAuth};
use crate::web::pages::{ErrorSummary, PageResult};

#[derive(Template, WebTemplate)]
#[template(path = "pages/link_case.html")]
struct LinkPage {
    receipt_number: String,
    error: Option<String>,
    errors: FieldErrors,
    signed_in: bool,
    csrf: String,
}

pub async fn show(PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    auth.require(Need::TwoFactor)?;
    let page =
        LinkPage { receipt_number: String::new(), error: None, errors: FieldErrors::new(), signed_in: true, csrf };
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    receipt_number: String,
    #[serde(default)]
    access_code: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<LinkForm>,
) -> PageResult {
    let (status, error, errors) = match linking::link(&state, &auth, &form.receipt_number, &form.access_code, &client)
        .await
    {
        Ok(detail) => return Ok(Redirect::to(&format!("/cases/{}", detail.case.receipt_number)).into_response()),
        Err(ServiceError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, None, errors),
        Err(ServiceError::InvalidToken | ServiceError::NotFound) => (
            StatusCode::BAD_REQUEST,
            Some("The receipt number and access code do not match, or the code has expired.".to_owned()),
            FieldErrors::new(),
        ),
        Err(ServiceError::Conflict(reason)) => (StatusCode::CONFLICT, Some(format!("{reason}.")), FieldErrors::new()),
        Err(other) => return Err(other.into()),
    };
    let page = LinkPage { receipt_number: form.receipt_number, error, errors, signed_in: true, csrf };
    Ok((status, page).into_response())
}
