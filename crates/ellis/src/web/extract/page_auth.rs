//! The session cookie for HTML pages. A page that needs a session and has none redirects to `/sign-in`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::AppState;
use crate::services::ServiceError;
use crate::services::auth::{Authenticated, authenticate};

pub const SESSION_COOKIE: &str = "ellis_session";

/// The session cookie: HttpOnly, SameSite=Lax, Secure unless serving plain http on loopback (DESIGN.md §4).
/// No expiry attribute: the server enforces the idle and absolute limits.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token)).path("/").http_only(true).same_site(SameSite::Lax).secure(secure).build()
}

/// The jar with the session cookie set to `token`, when a service issued (or rotated to) one.
pub fn with_session(jar: CookieJar, token: Option<String>, secure: bool) -> CookieJar {
    match token {
        Some(token) => jar.add(session_cookie(token, secure)),
        None => jar,
    }
}

pub struct PageAuth(pub Authenticated);

pub struct MaybePageAuth(pub Option<Authenticated>);

impl FromRequestParts<AppState> for MaybePageAuth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
            return Ok(Self(None));
        };
        match authenticate(state, &token).await {
            Ok(auth) => Ok(Self(Some(auth))),
            Err(ServiceError::Unauthenticated) => Ok(Self(None)),
            Err(other) => Err(crate::web::pages::PageError::from(other).into_response()),
        }
    }
}

impl FromRequestParts<AppState> for PageAuth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match MaybePageAuth::from_request_parts(parts, state).await? {
            MaybePageAuth(Some(auth)) => Ok(Self(auth)),
            MaybePageAuth(None) => Err(Redirect::to("/sign-in").into_response()),
        }
    }
}
