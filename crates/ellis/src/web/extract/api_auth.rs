//! `Authorization: Bearer <token>` for the JSON API. The API never reads the cookie, so it needs no CSRF
//! token (API.md).

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use ellis_core::staff::Role;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::auth::{Authenticated, authenticate};
use crate::services::staff::StaffAuthenticated;
use crate::web::error::ApiError;

pub struct ApiAuth(pub Authenticated);

/// A staff member's bearer token (staff sessions are their own table: an applicant's token is refused),
/// before any role or second-factor check: for finishing sign-in and signing out.
pub struct StaffApiAuth(pub StaffAuthenticated);

/// A staff member signed in with both factors and holding one of `R`'s roles. The check runs before the
/// body is read, so a member outside the role gets 403 whatever they send. (Services check again.)
pub struct StaffApi<R: RoleSet>(pub StaffAuthenticated, pub PhantomData<R>);

/// The roles a staff route admits.
pub trait RoleSet: Send + Sync {
    const ROLES: &'static [Role];
}

/// Officers: the queue, case actions, paper intake.
pub struct Officers;
/// The support desk: accounts, consolidations.
pub struct SupportDesk;
/// Admins: staff members and the audit.
pub struct Admins;
/// Officers and the support desk: reading a case.
pub struct CaseReaders;
/// Every staff role: the status catalogue.
pub struct AnyStaff;

impl RoleSet for Officers {
    const ROLES: &'static [Role] = &[Role::Officer];
}
impl RoleSet for SupportDesk {
    const ROLES: &'static [Role] = &[Role::Support];
}
impl RoleSet for Admins {
    const ROLES: &'static [Role] = &[Role::Admin];
}
impl RoleSet for CaseReaders {
    const ROLES: &'static [Role] = &[Role::Officer, Role::Support];
}
impl RoleSet for AnyStaff {
    const ROLES: &'static [Role] = Role::ALL;
}

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

impl<R: RoleSet> FromRequestParts<AppState> for StaffApi<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = crate::services::staff::authenticate(state, bearer(parts)?).await?;
        auth.require(R::ROLES)?;
        Ok(Self(auth, PhantomData))
    }
}
