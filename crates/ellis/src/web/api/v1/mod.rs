//! `/api/v1`: accounts, sessions, recovery and account protection.

pub mod accounts;
pub mod case_status;
pub mod cases;
pub mod email_verifications;
pub mod evidence;
pub mod forms;
pub mod links;
pub mod me;
pub mod me_activity;
pub mod me_security;
pub mod me_setup;
pub mod notices;
pub mod password_resets;
pub mod security_questions;
pub mod sessions;
pub mod staff;
pub mod staff_admin;
pub mod staff_cases;
pub mod staff_intake;
pub mod staff_support;
pub mod username_reminders;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post, put};

use crate::web::routes::Routes;

/// Endpoints anyone may call (sign-up, sign-in, links from emails, recovery): the flood shield covers these.
pub fn public_routes() -> Routes {
    Routes::new()
        .route("/api/v1/accounts", post(accounts::create))
        .route("/api/v1/email-verifications", post(email_verifications::verify))
        .route("/api/v1/email-verifications/resend", post(email_verifications::resend))
        .route("/api/v1/sessions", post(sessions::create))
        .route("/api/v1/password-resets", post(password_resets::create))
        .route("/api/v1/password-resets/confirm", post(password_resets::confirm))
        .route("/api/v1/password-resets/email-code", post(password_resets::email_code))
        .route("/api/v1/password-resets/questions", post(password_resets::questions))
        .route("/api/v1/password-resets/recovery", post(password_resets::start_recovery))
        .route("/api/v1/username-reminders", post(username_reminders::create))
        .route("/api/v1/compromise-reports", post(links::report_compromise))
        .route("/api/v1/recoveries/cancel", post(links::cancel_recovery))
        .route("/api/v1/email-changes/confirm", post(links::confirm_email_change))
        .route("/api/v1/security-questions", get(security_questions::list))
        .route("/api/v1/forms", get(forms::list))
        .route("/api/v1/notices/verify/{code}", get(notices::verify))
        .route("/api/v1/staff/setup", post(staff::setup))
        .route("/api/v1/staff/setup/confirm", post(staff::confirm))
        .route("/api/v1/staff/sessions", post(staff::sign_in))
}

/// The public case-status look-up, which has its own per-IP limit (DOMAIN.md §8: bots hammer it).
pub fn status_routes() -> Routes {
    Routes::new().route("/api/v1/case-status/{receipt}", get(case_status::show))
}

/// An instant (unix seconds) as the API writes it: RFC 3339, UTC.
pub fn rfc3339(unix: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    crate::services::unix_to_datetime(unix).format(&Rfc3339).unwrap_or_default()
}

/// An evidence upload may carry its files at their largest, plus the multipart framing.
pub const EVIDENCE_BODY_LIMIT: usize =
    ellis_core::evidence::MAX_FILES * ellis_core::evidence::MAX_FILE_BYTES + 64 * 1024;

/// Endpoints that need a session (a bearer token).
pub fn routes() -> Routes {
    Routes::new()
        .route("/api/v1/sessions/current", delete(sessions::delete_current))
        .route("/api/v1/sessions/current/second-factor", post(sessions::second_factor))
        .route("/api/v1/sessions/current/email-code", post(sessions::email_code))
        .route("/api/v1/me", get(me::show).patch(me::update))
        .route("/api/v1/me/security-questions", put(me_setup::security_questions))
        .route("/api/v1/me/totp", post(me_setup::start_totp))
        .route("/api/v1/me/totp/confirm", post(me_setup::confirm_totp))
        .route("/api/v1/me/backup-codes", post(me_setup::backup_codes))
        .route("/api/v1/me/events", get(me_activity::events))
        .route("/api/v1/me/events/export", get(me_security::export_events))
        .route("/api/v1/me/sessions", get(me_activity::sessions).delete(me_security::end_other_sessions))
        .route("/api/v1/me/sessions/{id}", delete(me_activity::end_session))
        .route("/api/v1/me/compromise-report", post(me_security::compromise_report))
        .route("/api/v1/me/email-change", post(me_security::email_change))
        .route("/api/v1/me/password", put(me_security::change_password))
        .route("/api/v1/cases", post(cases::create).get(cases::list))
        .route("/api/v1/cases/link", post(cases::link))
        .route("/api/v1/cases/{receipt}", get(cases::show))
        .route("/api/v1/cases/{receipt}/notices", get(cases::notices))
        .route(
            "/api/v1/cases/{receipt}/evidence",
            post(evidence::respond).get(evidence::list).layer(DefaultBodyLimit::max(EVIDENCE_BODY_LIMIT)),
        )
        .route("/api/v1/evidence/{id}", get(evidence::download))
        .route("/api/v1/staff/sessions/current", delete(staff::sign_out))
        .route("/api/v1/staff/sessions/current/second-factor", post(staff::second_factor))
        .route("/api/v1/staff/status-catalogue", get(staff::status_catalogue))
        .route("/api/v1/staff/cases", get(staff_cases::queue))
        .route("/api/v1/staff/cases/{receipt}", get(staff_cases::show))
        .route("/api/v1/staff/cases/{receipt}/actions", post(staff_cases::act))
        .route("/api/v1/staff/paper-cases", post(staff_intake::create))
        .route("/api/v1/staff/notices/{id}/mail-copy", post(staff_intake::mail_copy))
        .route("/api/v1/staff/accounts", get(staff_support::find))
        .route("/api/v1/staff/accounts/{number}", get(staff_support::show))
        .route("/api/v1/staff/accounts/{number}/verify-caller", post(staff_support::verify_caller))
        .route("/api/v1/staff/accounts/{number}/{action}", post(staff_support::act))
        .route("/api/v1/staff/consolidations", get(staff_support::pending).post(staff_support::propose))
        .route("/api/v1/staff/consolidations/{id}/approve", post(staff_support::approve))
        .route("/api/v1/staff/members", get(staff_admin::list).post(staff_admin::create))
        .route("/api/v1/staff/members/{id}", patch(staff_admin::update))
        .route("/api/v1/staff/audit", get(staff_admin::audit))
        .route("/api/v1/notices/{id}/pdf", get(notices::pdf))
        .route("/api/v1/drafts/{form_type}", get(cases::show_draft).put(cases::save_draft))
}
