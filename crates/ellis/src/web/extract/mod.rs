//! Extractors: who is calling (session by bearer token or cookie), from where, and JSON bodies parsed into
//! API.md's problem format on failure.

mod api_auth;
mod client;
pub mod csrf;
mod json;
mod page_auth;

pub use api_auth::{Admins, AnyStaff, ApiAuth, CaseReaders, Officers, RoleSet, StaffApi, StaffApiAuth, SupportDesk};
pub use client::ClientInfo;
pub use csrf::CsrfToken;
pub use json::ApiJson;
pub use page_auth::{MaybePageAuth, PageAuth, SESSION_COOKIE, session_cookie, with_session};
