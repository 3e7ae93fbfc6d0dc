//! `/sign-in`: email and password; sets the session cookie and sends the user to the next step.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::AppState;
use crate::services::{ServiceError, registration, sign_in};
use crate::web::extract::{ClientInfo, CsrfToken, MaybePageAuth, session_cookie};
use crate::web::pages::{PageResult, format_time};

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/sign_in.html")]
struct SignInPage {
    email: String,
    error: Option<String>,
    signed_in: bool,
    csrf: String,
}

pub async fn show(CsrfToken(csrf): CsrfToken) -> impl IntoResponse {
    SignInPage { email: String::new(), error: None, signed_in: false, csrf }
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    CsrfToken(csrf): CsrfToken,
    MaybePageAuth(previous): MaybePageAuth,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> PageResult {
    let error = match sign_in::sign_in(&state, &form.email, &form.password, &client).await {
        Ok(signed_in) => {
            // The browser's earlier session, if any, is replaced rather than left open in the background.
            if let Some(previous) = previous {
                sign_in::sign_out(&state, &previous, &client).await?;
            }
            // A new token at every sign-in: a cookie planted before sign-in never becomes a session.
            let jar = jar.add(session_cookie(signed_in.token, state.config.secure_cookies()));
            let next = match signed_in.next {
                "security_setup" => "/security-setup",
                _ => "/sign-in/second-factor",
            };
            return Ok((jar, Redirect::to(next)).into_response());
        }
        Err(ServiceError::InvalidCredentials) => "The email address or password is not right.".to_owned(),
        Err(ServiceError::EmailNotVerified) => {
            registration::resend_verification(&state, &form.email).await?;
            "Confirm your email address first. We have sent you a new link.".to_owned()
        }
        Err(ServiceError::RecoveryRequired) => "This account was secured after a compromise report. Choose \
            \"Forgot password\" to recover it with your email and security answers."
            .to_owned(),
        Err(ServiceError::AccountLocked { until }) => match until {
            Some(until) => format!(
                "Your account is locked after too many wrong attempts. Try again after {} UTC, or reset your password.",
                format_time(until)
            ),
            None => {
                "Your account is locked after too many wrong attempts. Reset your password to unlock it.".to_owned()
            }
        },
        Err(other) => return Err(other.into()),
    };
    let page = SignInPage { email: form.email, error: Some(error), signed_in: false, csrf };
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
}
