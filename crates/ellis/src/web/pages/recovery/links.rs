//! The links security emails carry: "this wasn't me" (`/report-compromise`), cancel a recovery
//! (`/cancel-recovery`), confirm a new email address (`/confirm-email-change`). Opening a link shows a
//! button; only the POST acts, so mail scanners that prefetch links cannot trigger anything.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

use crate::AppState;
use crate::services::{ServiceError, ServiceResult, compromise, email_change, recovery};
use crate::web::extract::{ClientInfo, CsrfToken};
use crate::web::pages::{MessagePage, PageResult};

#[derive(Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    token: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/confirm_link.html")]
struct ConfirmLinkPage {
    heading: &'static str,
    explanation: &'static str,
    action: &'static str,
    button: &'static str,
    token: String,
    signed_in: bool,
    csrf: String,
}

fn confirm_page(
    heading: &'static str,
    explanation: &'static str,
    action: &'static str,
    button: &'static str,
    token: String,
    csrf: String,
) -> impl IntoResponse {
    ConfirmLinkPage { heading, explanation, action, button, token, signed_in: false, csrf }
}

/// The page after the POST: `done` on success, the dead-link page for a used or expired token.
fn outcome(result: ServiceResult<()>, done: MessagePage) -> PageResult {
    match result {
        Ok(()) => Ok(done.into_response()),
        Err(ServiceError::InvalidToken) => Ok((
            StatusCode::BAD_REQUEST,
            MessagePage::new(
                "This link does not work",
                "The link is used, expired or incomplete. If you still need help, sign in or choose \"Forgot password\".",
                Some(("/sign-in", "Sign in")),
            ),
        )
            .into_response()),
        Err(ServiceError::Conflict(reason)) => Ok((
            StatusCode::CONFLICT,
            MessagePage::new("That did not work", format!("{reason}."), Some(("/sign-in", "Sign in"))),
        )
            .into_response()),
        Err(other) => Err(other.into()),
    }
}

pub async fn report_compromise_show(CsrfToken(csrf): CsrfToken, Query(param): Query<TokenParam>) -> impl IntoResponse {
    confirm_page(
        "Secure your account",
        "If you did not do what the email described, secure your account now: every session is signed out, your \
         password and second factors stop working, and you recover the account with your email and security \
         answers.",
        "/report-compromise",
        "This wasn't me: secure my account",
        param.token,
        csrf,
    )
}

pub async fn report_compromise(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    Form(form): Form<TokenParam>,
) -> PageResult {
    let done = MessagePage::new(
        "Your account is secured",
        "Every session was signed out and your password and second factors no longer work. We have emailed you \
         what happens next. To get back in, choose \"Forgot password\".",
        Some(("/forgot-password", "Forgot password")),
    );
    outcome(compromise::report_from_link(&state, &form.token, &client).await, done)
}

pub async fn cancel_recovery_show(CsrfToken(csrf): CsrfToken, Query(param): Query<TokenParam>) -> impl IntoResponse {
    confirm_page(
        "Cancel the account recovery",
        "Someone started recovering your account without its second factors. If it was not you, cancel it.",
        "/cancel-recovery",
        "Cancel the recovery",
        param.token,
        csrf,
    )
}

pub async fn cancel_recovery(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    Form(form): Form<TokenParam>,
) -> PageResult {
    let done = MessagePage::new(
        "The recovery is cancelled",
        "Nobody can finish that recovery. Change the password of your email account and your security answers, \
         since whoever started it knew them.",
        Some(("/sign-in", "Sign in")),
    );
    outcome(recovery::cancel(&state, &form.token, &client).await, done)
}

pub async fn confirm_email_change_show(
    CsrfToken(csrf): CsrfToken,
    Query(param): Query<TokenParam>,
) -> impl IntoResponse {
    confirm_page(
        "Confirm your new email address",
        "Select the button to sign in with this email address from now on.",
        "/confirm-email-change",
        "Use this email address",
        param.token,
        csrf,
    )
}

pub async fn confirm_email_change(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    Form(form): Form<TokenParam>,
) -> PageResult {
    let done = MessagePage::new(
        "Email address changed",
        "You now sign in with this email address. We told your old address about the change.",
        Some(("/account", "Your account")),
    );
    outcome(email_change::confirm(&state, &form.token, &client).await, done)
}
