//! `/api/v1`: accounts and sessions.

pub mod accounts;
pub mod email_verifications;
pub mod me;
pub mod me_activity;
pub mod me_setup;
pub mod security_questions;
pub mod sessions;

use axum::Router;
use axum::routing::{delete, get, post, put};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts", post(accounts::create))
        .route("/api/v1/email-verifications", post(email_verifications::verify))
        .route("/api/v1/email-verifications/resend", post(email_verifications::resend))
        .route("/api/v1/sessions", post(sessions::create))
        .route("/api/v1/sessions/current", delete(sessions::delete_current))
        .route("/api/v1/sessions/current/second-factor", post(sessions::second_factor))
        .route("/api/v1/sessions/current/email-code", post(sessions::email_code))
        .route("/api/v1/me", get(me::show).patch(me::update))
        .route("/api/v1/security-questions", get(security_questions::list))
        .route("/api/v1/me/security-questions", put(me_setup::security_questions))
        .route("/api/v1/me/totp", post(me_setup::start_totp))
        .route("/api/v1/me/totp/confirm", post(me_setup::confirm_totp))
        .route("/api/v1/me/backup-codes", post(me_setup::backup_codes))
        .route("/api/v1/me/events", get(me_activity::events))
        .route("/api/v1/me/sessions", get(me_activity::sessions))
        .route("/api/v1/me/sessions/{id}", delete(me_activity::end_session))
}
