//! `/account/security`: where the holder is signed in (end one session or all the others), email and
//! password changes, new backup codes, the history download, and the compromise report. Changes here need
//! a second factor from the last 20 minutes; an older one sends the holder through it again first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;
use serde::Deserialize;

use super::security_setup::BackupCodesPage;
use crate::AppState;
use crate::services::auth::{Authenticated, Need};
use crate::services::{
    ServiceError, ServiceResult, compromise, email_change, history, password_change, profile, sessions, setup,
    unix_to_datetime,
};
use crate::web::api::v1::me_security::export_document;
use crate::web::extract::{ClientInfo, CsrfToken, PageAuth};
use crate::web::pages::{ErrorSummary, MessagePage, PageResult, format_time};

struct SessionRow {
    id: String,
    device: String,
    ip: String,
    created: String,
    last_seen: String,
    current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/security.html")]
struct SecurityPage {
    sessions: Vec<SessionRow>,
    email: String,
    backup_codes_left: i64,
    notice: Option<String>,
    error: Option<String>,
    errors: FieldErrors,
    signed_in: bool,
    csrf: String,
}

async fn page(state: &AppState, auth: &Authenticated, csrf: String) -> ServiceResult<SecurityPage> {
    let sessions = sessions::list(state, auth)
        .await?
        .into_iter()
        .map(|(s, current)| SessionRow {
            id: s.public_id,
            device: s.user_agent.unwrap_or_else(|| "Unknown device".to_owned()),
            ip: s.ip.unwrap_or_default(),
            created: format_time(unix_to_datetime(s.created_at)),
            last_seen: format_time(unix_to_datetime(s.last_seen_at)),
            current,
        })
        .collect();
    let backup_codes_left = profile::profile(state, auth).await?.backup_codes_left;
    Ok(SecurityPage {
        sessions,
        email: auth.account.email.as_str().to_owned(),
        backup_codes_left,
        notice: None,
        error: None,
        errors: FieldErrors::new(),
        signed_in: true,
        csrf,
    })
}

pub async fn show(State(state): State<AppState>, PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    Ok(page(&state, &auth, csrf).await?.into_response())
}

/// The page again after an action: with `notice` on success, or with the failure shown in place.
async fn after(state: &AppState, auth: &Authenticated, csrf: String, result: ServiceResult<&str>) -> PageResult {
    let not_found = matches!(result, Err(ServiceError::NotFound));
    let (notice, error, errors) = match result {
        Ok(notice) => (Some(notice.to_owned()), None, FieldErrors::new()),
        Err(ServiceError::StepUpRequired) => {
            return Ok(Redirect::to("/sign-in/second-factor?next=/account/security").into_response());
        }
        Err(ServiceError::Invalid(errors)) => (None, None, errors),
        Err(ServiceError::NotFound) => (None, Some("That session has already ended.".to_owned()), FieldErrors::new()),
        Err(ServiceError::Conflict(reason)) => (None, Some(format!("{reason}.")), FieldErrors::new()),
        Err(ServiceError::RateLimited { .. }) => {
            (None, Some("Too many emails went to that address. Try again in an hour.".to_owned()), FieldErrors::new())
        }
        Err(other) => return Err(other.into()),
    };
    let failed = notice.is_none();
    let page = SecurityPage { notice, error, errors, ..page(state, auth, csrf).await? };
    // A session that is not (or no longer) one of the caller's is "not found", as in the API.
    let status = match (failed, not_found) {
        (_, true) => StatusCode::NOT_FOUND,
        (true, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (false, false) => StatusCode::OK,
    };
    Ok((status, page).into_response())
}

pub async fn end_session(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let result = sessions::end(&state, &auth, &id, &client).await.map(|()| "That session was signed out.");
    after(&state, &auth, csrf, result).await
}

pub async fn end_others(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
) -> PageResult {
    let result = sessions::end_others(&state, &auth, &client).await.map(|_| "Every other session was signed out.");
    after(&state, &auth, csrf, result).await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<EmailForm>,
) -> PageResult {
    let result = email_change::request(&state, &auth, &form.email, &client)
        .await
        .map(|()| "We sent a link to the new address. Your email changes when you open it.");
    after(&state, &auth, csrf, result).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let result = password_change::change(&state, &auth, &form.current_password, &form.new_password, &client)
        .await
        .map(|()| "Your password was changed and every other session was signed out.");
    after(&state, &auth, csrf, result).await
}

pub async fn backup_codes(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
) -> PageResult {
    match setup::regenerate_backup_codes(&state, &auth, &client).await {
        Ok(codes) => {
            let page =
                BackupCodesPage { codes, account_number: None, next: "/account/security", signed_in: true, csrf };
            Ok(page.into_response())
        }
        Err(error) => after(&state, &auth, csrf, Err(error)).await,
    }
}

pub async fn report_compromise(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
) -> PageResult {
    compromise::report(&state, &auth, &client).await?;
    Ok(MessagePage::new(
        "Your account is secured",
        "Every session was signed out, including this one, and your password and second factors no longer work. \
         We have emailed you what happens next. To get back in, choose \"Forgot password\".",
        Some(("/forgot-password", "Forgot password")),
    )
    .into_response())
}

pub async fn download_history(State(state): State<AppState>, PageAuth(auth): PageAuth) -> PageResult {
    auth.require(Need::TwoFactor)?;
    let events = history::export(&state, &auth).await?;
    let body = serde_json::to_string_pretty(&export_document(&auth, &events))
        .map_err(anyhow::Error::from)
        .map_err(ServiceError::from)?;
    let headers = [
        (header::CONTENT_TYPE, "application/json"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"ellis-account-history.json\""),
    ];
    Ok((headers, body).into_response())
}
