//! `Authorization: Bearer <token>` for the JSON API. The API never reads the cookie, so it needs no CSRF
//! token (API.md).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::auth::{Authenticated, authenticate};
use crate::services::staff::StaffAuthenticated;
use crate::web::error::ApiError;

pub struct ApiAuth(pub Authenticated);

/// A staff member's bearer token (staff sessions are their own table: an applicant's token is refused).
pub struct StaffApiAuth(pub StaffAuthenticated);

fn bearer(parts: &Parts) -> Result<&str, ServiceError> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ServiceError::Unauthenticated)
}

impl FromRequestParts<AppState> for ApiAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(authenticate(state, bearer(parts)?).await?))
    }
}

impl FromRequestParts<AppState> for StaffApiAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(crate::services::staff::authenticate(state, bearer(parts)?).await?))
    }
}
