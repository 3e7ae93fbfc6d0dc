//! Agency staff (API.md "Agency staff"): identities separate from applicants, created by an operator with a
//! one-time setup link (24 h) where the person sets a password and enrols the authenticator app that every
//! staff sign-in needs. Staff sessions follow the applicants' rules (15 minutes idle, 12 hours absolute),
//! in their own table, so an applicant's token is never a staff one.

pub mod audit;
pub mod casework;
pub mod consolidation;
pub mod identity;
pub mod members;
pub mod sessions;
pub mod support;

pub use sessions::{StaffAuthenticated, authenticate};
