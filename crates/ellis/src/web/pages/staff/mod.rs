//! The agency's pages under `/staff/`: sign-in with its own cookie, setup from the one-time link, the
//! officers' queue and case actions, paper intake, the support desk, staff members and the audit. Each page
//! names the roles it admits through [`StaffPage`]; the services check again.

pub mod admin;
pub mod auth;
pub mod cases;
pub mod intake;
pub mod support;

use std::marker::PhantomData;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use ellis_core::staff::Role;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::staff::{StaffAuthenticated, authenticate};
use crate::web::extract::{CsrfToken, RoleSet};
use crate::web::routes::Routes;

/// The staff session cookie: its own name, sent only to `/staff/` pages, never cross-site.
pub const STAFF_COOKIE: &str = "ellis_staff";

pub fn staff_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((STAFF_COOKIE, token))
        .path("/staff")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

/// Staff pages anyone may reach (signing in, setting up from the link): the flood shield covers these.
pub fn public_routes() -> Routes {
    Routes::new()
        .route("/staff/sign-in", get(auth::sign_in_show).post(auth::sign_in_submit))
        .route("/staff/setup", get(auth::setup_show).post(auth::setup_password))
        .route("/staff/setup/confirm", post(auth::setup_confirm))
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff", get(auth::home))
        .route("/staff/second-factor", get(auth::second_factor_show).post(auth::second_factor_submit))
        .route("/staff/sign-out", post(auth::sign_out))
        .route("/staff/queue", get(cases::queue))
        .route("/staff/cases/{receipt}", get(cases::show))
        .route("/staff/cases/{receipt}/actions", post(cases::act))
        .route("/staff/notices/{id}/pdf", get(cases::notice_pdf))
        .route("/staff/evidence/{id}", get(cases::evidence_file))
        .route("/staff/intake", get(intake::choose))
        .route("/staff/intake/mail-copy", post(intake::mail_copy))
        .route("/staff/intake/{form}", get(intake::show).post(intake::submit))
        .route("/staff/support", get(support::search))
        .route("/staff/support/accounts/{number}", get(support::account))
        .route("/staff/support/accounts/{number}/verify-caller", post(support::verify_caller))
        .route("/staff/support/accounts/{number}/{action}", post(support::act))
        .route("/staff/support/consolidations", post(support::propose))
        .route("/staff/support/consolidations/{id}/approve", post(support::approve))
        .route("/staff/members", get(admin::members).post(admin::create_member))
        .route("/staff/members/{id}", post(admin::update_member))
        .route("/staff/audit", get(admin::audit))
}

/// A staff member signed in with both factors and holding one of `R`'s roles. Without a session the page
/// sends them to `/staff/sign-in`, half signed in to `/staff/second-factor`, and outside the role it says so.
pub struct StaffPage<R: RoleSet>(pub StaffAuthenticated, pub PhantomData<R>);

/// A staff session at any assurance (the second-factor page itself, signing out).
pub struct AnyStaffSession(pub StaffAuthenticated);

async fn session(parts: &Parts, state: &AppState) -> Result<StaffAuthenticated, Response> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(token) = jar.get(STAFF_COOKIE).map(|c| c.value().to_owned()) else {
        return Err(Redirect::to("/staff/sign-in").into_response());
    };
    authenticate(state, &token).await.map_err(|e| StaffPageError::from(e).into_response())
}

impl FromRequestParts<AppState> for AnyStaffSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(session(parts, state).await?))
    }
}

impl<R: RoleSet> FromRequestParts<AppState> for StaffPage<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = session(parts, state).await?;
        auth.require(R::ROLES).map_err(|e| StaffPageError::from(e).into_response())?;
        Ok(Self(auth, PhantomData))
    }
}

/// What every signed-in staff page shows around its content: who is signed in, the links their role may
/// follow, and the form token for signing out.
pub struct Chrome {
    pub name: String,
    pub role: Role,
    pub csrf: String,
}

impl Chrome {
    pub fn new(auth: &StaffAuthenticated, csrf: &CsrfToken) -> Self {
        Self { name: auth.member.name.clone(), role: auth.member.role, csrf: csrf.0.clone() }
    }

    pub fn officer(&self) -> bool {
        self.role == Role::Officer
    }

    pub fn support(&self) -> bool {
        self.role == Role::Support
    }

    pub fn admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A staff page with a heading, a sentence and an optional link.
#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/message.html")]
pub struct StaffMessage {
    pub heading: &'static str,
    pub message: String,
    pub link: Option<(&'static str, &'static str)>,
    pub chrome: Option<Chrome>,
}

impl StaffMessage {
    pub fn new(heading: &'static str, message: impl Into<String>) -> Self {
        Self { heading, message: message.into(), link: Some(("/staff", "Staff home")), chrome: None }
    }
}

/// How a service failure shows on a staff page.
pub struct StaffPageError(ServiceError);

impl From<ServiceError> for StaffPageError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

impl IntoResponse for StaffPageError {
    fn into_response(self) -> Response {
        let (status, page) = match self.0 {
            ServiceError::Unauthenticated => return Redirect::to("/staff/sign-in").into_response(),
            ServiceError::SecondFactorRequired => return Redirect::to("/staff/second-factor").into_response(),
            ServiceError::Forbidden => (
                StatusCode::FORBIDDEN,
                StaffMessage::new("Not for your role", "Your staff role does not include this page or action."),
            ),
            ServiceError::NotFound => (StatusCode::NOT_FOUND, StaffMessage::new("Not found", "There is nothing here.")),
            ServiceError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "internal error");
                let page = StaffMessage::new(
                    "Something went wrong",
                    "Something went wrong on our side and nothing was changed. Please try again in a moment.",
                );
                (StatusCode::INTERNAL_SERVER_ERROR, page)
            }
            ServiceError::Conflict(why) => (StatusCode::CONFLICT, StaffMessage::new("That cannot be done now", why)),
            other => (StatusCode::BAD_REQUEST, StaffMessage::new("That did not work", other.to_string())),
        };
        (status, page).into_response()
    }
}

pub type StaffPageResult = Result<Response, StaffPageError>;
