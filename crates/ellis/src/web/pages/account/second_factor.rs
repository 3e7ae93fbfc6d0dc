//! `/sign-in/second-factor`: the authenticator code, an emailed code, or a backup code. Passing it rotates
//! the session cookie. A signed-in holder whose second factor is older than 20 minutes comes back here
//! (with `next`) before a sensitive change.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::AppState;
use crate::services::auth::{Authenticated, Need};
use crate::services::{ServiceError, two_factor};
use crate::web::extract::{ClientInfo, CsrfToken, PageAuth, with_session};
use crate::web::pages::{PageResult, format_time};

#[derive(Template, WebTemplate)]
#[template(path = "pages/second_factor.html")]
struct SecondFactorPage {
    method: String,
    next: String,
    error: Option<String>,
    email_sent: bool,
    signed_in: bool,
    csrf: String,
}

impl SecondFactorPage {
    fn new(csrf: String, next: &str) -> Self {
        let next = safe_next(next).to_owned();
        Self { method: "totp".to_owned(), next, error: None, email_sent: false, signed_in: true, csrf }
    }
}

/// Only the holder's own pages are places to go back to (never another site).
fn safe_next(next: &str) -> &str {
    if next.starts_with("/account") && !next.contains("//") { next } else { "/account" }
}

/// Where someone who needs no second factor now should go instead.
fn elsewhere(auth: &Authenticated, next: &str) -> Option<Redirect> {
    if !auth.account.setup_complete() {
        Some(Redirect::to("/security-setup"))
    } else if auth.require(Need::FreshTwoFactor).is_ok() {
        Some(Redirect::to(safe_next(next)))
    } else {
        None
    }
}

#[derive(Deserialize)]
pub struct NextParam {
    #[serde(default)]
    next: String,
}

pub async fn show(PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken, Query(param): Query<NextParam>) -> PageResult {
    if let Some(redirect) = elsewhere(&auth, &param.next) {
        return Ok(redirect.into_response());
    }
    Ok(SecondFactorPage::new(csrf, &param.next).into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> PageResult {
    if let Some(redirect) = elsewhere(&auth, &form.next) {
        return Ok(redirect.into_response());
    }
    let method = two_factor::Method::parse(&form.method).unwrap_or(two_factor::Method::Totp);
    let error = match two_factor::pass_second_factor(&state, &auth, method, &form.code, true, &client).await {
        Ok(new_token) => {
            let jar = with_session(jar, new_token, state.config.secure_cookies());
            return Ok((jar, Redirect::to(safe_next(&form.next))).into_response());
        }
        Err(ServiceError::InvalidCode) => "That code is not right. Check it and try again.".to_owned(),
        Err(ServiceError::AccountLocked { until }) => format!(
            "Your account is locked after too many wrong attempts{}.",
            until.map(|u| format!(" until {} UTC", format_time(u))).unwrap_or_default()
        ),
        Err(other) => return Err(other.into()),
    };
    let page = SecondFactorPage { method: form.method, error: Some(error), ..SecondFactorPage::new(csrf, &form.next) };
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
}

pub async fn email_code(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<NextParam>,
) -> PageResult {
    if let Some(redirect) = elsewhere(&auth, &form.next) {
        return Ok(redirect.into_response());
    }
    two_factor::send_email_code(&state, &auth, &client).await?;
    let page = SecondFactorPage {
        method: "email_code".to_owned(),
        email_sent: true,
        ..SecondFactorPage::new(csrf, &form.next)
    };
    Ok(page.into_response())
}
