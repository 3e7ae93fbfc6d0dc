//! CSRF protection for HTML forms: a random token in an HttpOnly cookie that every state-changing form
//! must echo in its `csrf` field (double submit). It sits behind tower-http's origin check, so a forged
//! cross-site POST fails twice over. The middleware checks every form POST itself, so no handler can forget.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use ellis_core::totp::constant_time_eq;

use crate::config::Config;

const CSRF_COOKIE: &str = "ellis_csrf";
pub const CSRF_FIELD: &str = "csrf";

/// The token to embed in this page's forms.
#[derive(Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CsrfToken>().cloned().ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

pub async fn protect(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let existing = jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() >= 32);
    let token = existing.clone().unwrap_or_else(|| ellis_core::tokens::random_token(&mut rand::rng()));

    let (mut parts, body) = request.into_parts();
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let body = if parts.method == Method::GET || parts.method == Method::HEAD {
        body
    } else if multipart {
        // File uploads carry the token in the form's action URL, so the (large) body is streamed to the
        // handler untouched rather than read here.
        let query = parts.uri.query().unwrap_or("");
        let sent =
            form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == CSRF_FIELD).map(|(_, v)| v.into_owned());
        let valid = matches!((&existing, sent), (Some(cookie), Some(sent)) if constant_time_eq(cookie.as_bytes(), sent.as_bytes()));
        if !valid {
            return crate::web::pages::expired_form_page();
        }
        body
    } else {
        let bytes = match to_bytes(body, config.body_limit_bytes).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response();
            }
        };
        let sent =
            form_urlencoded::parse(&bytes).find(|(key, _)| key == CSRF_FIELD).map(|(_, value)| value.into_owned());
        let valid = match (&existing, sent) {
            (Some(cookie), Some(sent)) => constant_time_eq(cookie.as_bytes(), sent.as_bytes()),
            _ => false,
        };
        if !valid {
            return crate::web::pages::expired_form_page();
        }
        // The token is this middleware's business: handlers get the form without it, so their form types can
        // be the services' own input types and refuse fields they do not know.
        let rest = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form_urlencoded::parse(&bytes).filter(|(key, _)| key != CSRF_FIELD))
            .finish();
        parts.headers.remove(header::CONTENT_LENGTH);
        Body::from(rest)
    };
    parts.extensions.insert(CsrfToken(token.clone()));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if existing.is_none() {
        let cookie = Cookie::build((CSRF_COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(config.secure_cookies())
            .build();
        if let Ok(value) = cookie.to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
