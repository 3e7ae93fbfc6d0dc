//! Staff sign-in (password, then the authenticator app), sign-out, the landing page, and setting up a new
//! staff identity from its one-time link.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

use super::{AnyStaffSession, Chrome, STAFF_COOKIE, StaffMessage, StaffPage, StaffPageResult, staff_cookie};
use crate::AppState;
use crate::services::staff::{identity, sessions};
use crate::services::{ServiceError, setup};
use crate::web::extract::{AnyStaff, ClientInfo, CsrfToken};
use crate::web::pages::format_time;

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/sign_in.html")]
struct SignInPage {
    email: String,
    error: Option<String>,
    csrf: String,
    chrome: Option<Chrome>,
}

pub async fn sign_in_show(CsrfToken(csrf): CsrfToken) -> impl IntoResponse {
    SignInPage { email: String::new(), error: None, csrf, chrome: None }
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn sign_in_submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    CsrfToken(csrf): CsrfToken,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> StaffPageResult {
    let error = match sessions::sign_in(&state, &form.email, &form.password, &client).await {
        Ok(token) => {
            let jar = jar.add(staff_cookie(token, state.config.secure_cookies()));
            return Ok((jar, Redirect::to("/staff/second-factor")).into_response());
        }
        Err(ServiceError::InvalidCredentials) => "The email address or password is not right.".to_owned(),
        Err(ServiceError::SetupRequired) => {
            "Finish setting up first: open the setup link you were given and enrol your authenticator app.".to_owned()
        }
        Err(ServiceError::AccountLocked { until }) => match until {
            Some(until) => format!("Too many wrong attempts. Try again after {} UTC.", format_time(until)),
            None => "Too many wrong attempts. Ask an admin to help you.".to_owned(),
        },
        Err(other) => return Err(other.into()),
    };
    let page = SignInPage { email: form.email, error: Some(error), csrf, chrome: None };
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/second_factor.html")]
struct SecondFactorPage {
    error: Option<String>,
    csrf: String,
    chrome: Option<Chrome>,
}

pub async fn second_factor_show(_: AnyStaffSession, CsrfToken(csrf): CsrfToken) -> impl IntoResponse {
    SecondFactorPage { error: None, csrf, chrome: None }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn second_factor_submit(
    State(state): State<AppState>,
    AnyStaffSession(auth): AnyStaffSession,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<CodeForm>,
) -> StaffPageResult {
    let error = match sessions::pass_second_factor(&state, &auth, &form.code).await {
        Ok(()) => return Ok(Redirect::to("/staff").into_response()),
        Err(ServiceError::InvalidCode) => "That code is not right. Enter the current code from your app.",
        Err(ServiceError::AccountLocked { .. }) => "Too many wrong attempts. Try again later.",
        Err(other) => return Err(other.into()),
    };
    let page = SecondFactorPage { error: Some(error.to_owned()), csrf, chrome: None };
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    AnyStaffSession(auth): AnyStaffSession,
    jar: CookieJar,
) -> StaffPageResult {
    sessions::sign_out(&state, &auth).await?;
    let jar = jar.remove(Cookie::build(STAFF_COOKIE).path("/staff"));
    let mut page = StaffMessage::new("You are signed out", "Close this window if you share the computer.");
    page.link = Some(("/staff/sign-in", "Sign in again"));
    Ok((jar, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/home.html")]
struct HomePage {
    chrome: Option<Chrome>,
}

pub async fn home(StaffPage(auth, _): StaffPage<AnyStaff>, csrf: CsrfToken) -> impl IntoResponse {
    HomePage { chrome: Some(Chrome::new(&auth, &csrf)) }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/setup.html")]
struct SetupPage {
    token: String,
    error: Option<String>,
    /// Set once the password is accepted: the authenticator to enrol.
    enrolment: Option<(String, String)>,
    csrf: String,
    chrome: Option<Chrome>,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn setup_show(CsrfToken(csrf): CsrfToken, Query(query): Query<TokenQuery>) -> impl IntoResponse {
    SetupPage { token: query.token, error: None, enrolment: None, csrf, chrome: None }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn setup_password(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<PasswordForm>,
) -> StaffPageResult {
    let error = match identity::set_password(&state, &form.token, &form.password).await {
        Ok(enrolment) => {
            let qr = setup::qr_svg(&enrolment.otpauth_uri);
            let page = SetupPage {
                token: form.token,
                error: None,
                enrolment: Some((enrolment.secret, qr)),
                csrf,
                chrome: None,
            };
            return Ok(page.into_response());
        }
        Err(ServiceError::InvalidToken) => dead_link(),
        Err(ServiceError::Invalid(errors)) => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "),
        Err(other) => return Err(other.into()),
    };
    let page = SetupPage { token: form.token, error: Some(error), enrolment: None, csrf, chrome: None };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    code: String,
}

pub async fn setup_confirm(State(state): State<AppState>, Form(form): Form<ConfirmForm>) -> StaffPageResult {
    match identity::confirm(&state, &form.token, &form.code).await {
        Ok(()) => {
            let mut page = StaffMessage::new(
                "Your staff account is ready",
                "Sign in with your email, your password and a code from your authenticator app.",
            );
            page.link = Some(("/staff/sign-in", "Sign in"));
            Ok(page.into_response())
        }
        Err(ServiceError::InvalidCode) => {
            let mut page = StaffMessage::new(
                "That code is not right",
                "Go back, check that the app shows the entry you just added, and enter its current code.",
            );
            page.link = None;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::InvalidToken) => {
            Ok((StatusCode::BAD_REQUEST, StaffMessage::new("This link has expired", dead_link())).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

fn dead_link() -> String {
    "This setup link is used or has expired (links last 24 hours). Ask an admin for a new one.".to_owned()
}
