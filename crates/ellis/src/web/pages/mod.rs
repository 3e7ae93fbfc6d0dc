//! HTML pages. `account/<action>.rs` serves the account pages; every form posts back with a CSRF token
//! (checked by `extract::csrf`). Pages use no script at all, so the CSP forbids every script.

pub mod account;
pub mod cases;
pub mod home;
pub mod recovery;
pub mod staff;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::services::ServiceError;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/", get(home::show))
        .route("/sign-in/second-factor", get(account::second_factor::show).post(account::second_factor::submit))
        .route("/sign-in/email-code", post(account::second_factor::email_code))
        .route("/security-setup", get(account::security_setup::show))
        .route("/security-setup/questions", post(account::security_setup::questions))
        .route("/security-setup/authenticator", post(account::security_setup::start_authenticator))
        .route("/security-setup/authenticator/confirm", post(account::security_setup::confirm_authenticator))
        .route("/account", get(account::profile::show).post(account::profile::submit))
        .route("/account/history", get(account::history::show))
        .route("/account/history/download", get(account::security::download_history))
        .route("/account/security", get(account::security::show))
        .route("/account/security/sessions/{id}/end", post(account::security::end_session))
        .route("/account/security/sessions/end-others", post(account::security::end_others))
        .route("/account/security/email", post(account::security::change_email))
        .route("/account/security/password", post(account::security::change_password))
        .route("/account/security/backup-codes", post(account::security::backup_codes))
        .route("/account/security/compromise", post(account::security::report_compromise))
        .route("/sign-out", post(account::sign_out::submit))
        .route("/cases", get(cases::list::show))
        .route("/cases/new", get(cases::list::forms))
        .route("/cases/link", get(cases::link::show).post(cases::link::submit))
        .route("/cases/new/{form}", get(cases::file::show).post(cases::file::submit))
        .route("/cases/{receipt}", get(cases::show::show))
        .route(
            "/cases/{receipt}/evidence",
            post(cases::show::send_evidence)
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::api::v1::EVIDENCE_BODY_LIMIT)),
        )
        .route("/evidence/{id}", get(cases::show::evidence_file))
        .route("/notices/{id}/pdf", get(cases::show::notice_pdf))
        .route("/notices/verify", get(cases::public::verify_notice))
        .merge(staff::routes())
}

/// The public status look-up page, which has its own per-IP limit.
pub fn status_routes() -> Routes {
    Routes::new().route("/case-status", get(cases::public::case_status))
}

/// Pages anyone may post to (sign-up, sign-in, recovery, links from emails): the flood shield covers these.
pub fn public_routes() -> Routes {
    Routes::new()
        .route("/sign-up", get(account::sign_up::show).post(account::sign_up::submit))
        .route("/verify-email", get(account::verify_email::show).post(account::verify_email::submit))
        .route("/sign-in", get(account::sign_in::show).post(account::sign_in::submit))
        .route("/forgot-password", get(recovery::forgot_password::show).post(recovery::forgot_password::submit))
        .route("/forgot-username", get(recovery::forgot_username::show).post(recovery::forgot_username::submit))
        .route("/reset-password", get(recovery::reset_password::show).post(recovery::reset_password::submit))
        .route("/reset-password/email-code", post(recovery::reset_password::email_code))
        .route(
            "/reset-password/recovery",
            get(recovery::reset_password::recovery_show).post(recovery::reset_password::recovery_submit),
        )
        .route(
            "/report-compromise",
            get(recovery::links::report_compromise_show).post(recovery::links::report_compromise),
        )
        .route("/cancel-recovery", get(recovery::links::cancel_recovery_show).post(recovery::links::cancel_recovery))
        .route(
            "/confirm-email-change",
            get(recovery::links::confirm_email_change_show).post(recovery::links::confirm_email_change),
        )
        .merge(staff::public_routes())
}

/// A page with a heading, a sentence and an optional link: confirmations and dead ends.
#[derive(Template, WebTemplate)]
#[template(path = "pages/message.html")]
pub struct MessagePage {
    pub heading: &'static str,
    pub message: String,
    pub link: Option<(&'static str, &'static str)>,
    pub signed_in: bool,
    pub csrf: String,
}

impl MessagePage {
    pub fn new(heading: &'static str, message: impl Into<String>, link: Option<(&'static str, &'static str)>) -> Self {
        Self { heading, message: message.into(), link, signed_in: false, csrf: String::new() }
    }
}

/// The answer to a form whose CSRF token is missing or wrong (an old tab, or a forged request).
pub fn expired_form_page() -> Response {
    let page = MessagePage::new(
        "This form has expired",
        "For your security, go back, reload the page and try again.",
        Some(("/", "Go to the home page")),
    );
    (StatusCode::FORBIDDEN, page).into_response()
}

/// How a service failure shows on a page: missing sign-in or assurance redirects to the step that fixes it.
pub struct PageError(ServiceError);

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.0 {
            ServiceError::Unauthenticated => Redirect::to("/sign-in").into_response(),
            ServiceError::SecondFactorRequired => Redirect::to("/sign-in/second-factor").into_response(),
            ServiceError::SetupRequired => Redirect::to("/security-setup").into_response(),
            ServiceError::StepUpRequired => Redirect::to("/sign-in/second-factor?next=/account").into_response(),
            ServiceError::RecoveryRequired => Redirect::to("/forgot-password").into_response(),
            ServiceError::NotFound => (
                StatusCode::NOT_FOUND,
                MessagePage::new("Page not found", "There is nothing here.", Some(("/", "Home"))),
            )
                .into_response(),
            ServiceError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "internal error");
                let page = MessagePage::new(
                    "Something went wrong",
                    "Something went wrong on our side and nothing was changed. Please try again in a moment.",
                    Some(("/", "Home")),
                );
                (StatusCode::INTERNAL_SERVER_ERROR, page).into_response()
            }
            other => {
                (StatusCode::BAD_REQUEST, MessagePage::new("That did not work", other.to_string(), Some(("/", "Home"))))
                    .into_response()
            }
        }
    }
}

pub type PageResult = Result<Response, PageError>;

/// The error summary at the top of a failed form: one line a field, each linking to its input (inputs carry
/// the field's name as their id). Templates call it as `errors.summary()`.
pub trait ErrorSummary {
    fn summary(&self) -> Vec<(String, String)>;
}

impl ErrorSummary for ellis_core::FieldErrors {
    fn summary(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|error| (error.field.clone(), format!("{}: {}", field_label(&error.field), error.message)))
            .collect()
    }
}

/// What a form calls the field, for the error summary.
fn field_label(field: &str) -> String {
    let numbered = |prefix: &str| -> Option<usize> {
        field.strip_prefix("answers[")?.split(']').next()?.parse::<usize>().ok().filter(|_| field.ends_with(prefix))
    };
    if let Some(index) = numbered(".answer") {
        return format!("Answer {}", index + 1);
    }
    if let Some(index) = numbered(".question_id") {
        return format!("Question {}", index + 1);
    }
    match field {
        "given_name" => "Given name",
        "family_name" => "Family name",
        "date_of_birth" => "Date of birth",
        "email" => "Email address",
        "password" => "Password",
        "a_number" => "A-Number",
        "phone" => "Phone",
        "mailing_address.line1" => "Street address",
        "mailing_address.line2" => "Apartment, suite, unit",
        "mailing_address.city" => "City",
        "mailing_address.state" => "State",
        "mailing_address.zip" => "ZIP code",
        "answers" => "Security questions",
        "receipt_number" => "Receipt number",
        _ => return form_field_label(field),
    }
    .to_owned()
}

/// A form's field (`fields.date_of_birth`, `fields.mailing_address.zip`) in words: "Date of birth",
/// "Mailing address: zip".
fn form_field_label(field: &str) -> String {
    let Some(name) = field.strip_prefix("fields.") else {
        return "This field".to_owned();
    };
    let words = |part: &str| {
        let spaced = part.replace('_', " ");
        let mut chars = spaced.chars();
        chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    };
    match name.split_once('.') {
        Some((field, part)) => format!("{}: {}", words(field), part.replace('_', " ")),
        None => words(name).replace("A number", "A-Number"),
    }
}

/// `2026-11-26 09:41:07` (UTC), for tables.
pub fn format_time(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    at.format(format).unwrap_or_default()
}
