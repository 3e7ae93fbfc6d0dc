//! `/reset-password?token=…`: the link from the reset email. A new password with a second factor; or, for
//! an account with none left, the security questions that start a 24-hour recovery
//! (`/reset-password/recovery`), after which the same page takes the new password alone.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ellis_core::FieldErrors;
use ellis_core::recovery::RecoveryStage;
use serde::Deserialize;

use crate::AppState;
use crate::services::{ServiceError, password_reset, recovery, two_factor, unix_to_datetime};
use crate::web::extract::{ClientInfo, CsrfToken};
use crate::web::pages::{ErrorSummary, MessagePage, PageResult, format_time};

#[derive(Template, WebTemplate)]
#[template(path = "pages/reset_password.html")]
struct ResetPage {
    token: String,
    needs_factor: bool,
    compromised: bool,
    recovery_ready: bool,
    recovery_waiting_until: Option<String>,
    method: String,
    error: Option<String>,
    errors: FieldErrors,
    email_sent: bool,
    signed_in: bool,
    csrf: String,
}

fn dead_link() -> PageResult {
    let page = MessagePage::new(
        "This link does not work",
        "The link is used, expired or incomplete, or too many wrong codes were tried with it. Ask for a new one.",
        Some(("/forgot-password", "Ask for a new link")),
    );
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}

/// The page for a live link, in whatever state its account is.
async fn page_for(state: &AppState, token: String, csrf: String) -> Result<ResetPage, ServiceError> {
    let options = password_reset::reset_options(state, &token).await?;
    let (recovery_ready, recovery_waiting_until) = match options.recovery {
        Some(RecoveryStage::Ready) => (true, None),
        Some(RecoveryStage::Waiting { ready_at }) => (false, Some(format_time(unix_to_datetime(ready_at)))),
        _ => (false, None),
    };
    Ok(ResetPage {
        token,
        needs_factor: !recovery_ready && (options.has_second_factor || options.compromised),
        compromised: options.compromised,
        recovery_ready,
        recovery_waiting_until,
        method: "totp".to_owned(),
        error: None,
        errors: FieldErrors::new(),
        email_sent: false,
        signed_in: false,
        csrf,
    })
}

#[derive(Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    token: String,
}

pub async fn show(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    Query(param): Query<TokenParam>,
) -> PageResult {
    match page_for(&state, param.token, csrf).await {
        Ok(page) => Ok(page.into_response()),
        Err(ServiceError::InvalidToken) => dead_link(),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
    method: Option<String>,
    code: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<ResetForm>,
) -> PageResult {
    let method = form.method.as_deref().map(|m| two_factor::Method::parse(m).unwrap_or(two_factor::Method::Totp));
    let factor = method.zip(form.code.as_deref());
    let result = password_reset::confirm_reset(&state, &form.token, &form.new_password, factor, &client).await;
    let (error, errors) = match result {
        Ok(()) => {
            return Ok(MessagePage::new(
                "Your password was changed",
                "Every session was signed out. Sign in with your new password.",
                Some(("/sign-in", "Sign in")),
            )
            .into_response());
        }
        Err(ServiceError::InvalidToken) => return dead_link(),
        Err(ServiceError::Invalid(errors)) => (None, errors),
        Err(ServiceError::InvalidCode) => {
            (Some("That code is not right. Check it and try again.".to_owned()), FieldErrors::new())
        }
        Err(ServiceError::SecondFactorRequired) => {
            (Some("Choose how to confirm it is you and enter the code.".to_owned()), FieldErrors::new())
        }
        Err(ServiceError::Conflict(reason)) => (Some(format!("{reason}.")), FieldErrors::new()),
        Err(ServiceError::RecoveryRequired) => {
            (Some("This account must be recovered with its security answers.".to_owned()), FieldErrors::new())
        }
        Err(other) => return Err(other.into()),
    };
    let mut page = match page_for(&state, form.token, csrf).await {
        Ok(page) => page,
        Err(ServiceError::InvalidToken) => return dead_link(),
        Err(other) => return Err(other.into()),
    };
    page.error = error;
    page.errors = errors;
    page.method = form.method.unwrap_or_else(|| "totp".to_owned());
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn email_code(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<TokenParam>,
) -> PageResult {
    let sent = password_reset::send_reset_code(&state, &form.token, &client).await;
    let mut page = match (sent, page_for(&state, form.token, csrf).await) {
        (Err(ServiceError::InvalidToken), _) | (_, Err(ServiceError::InvalidToken)) => return dead_link(),
        (_, Err(other)) => return Err(other.into()),
        (Ok(()), Ok(page)) => ResetPage { email_sent: true, ..page },
        (Err(ServiceError::RateLimited { .. }), Ok(page)) => ResetPage {
            error: Some("Too many emails were sent to this address. Try again in an hour.".to_owned()),
            ..page
        },
        (Err(other), _) => return Err(other.into()),
    };
    page.method = "email_code".to_owned();
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/recovery_questions.html")]
struct QuestionsPage {
    token: String,
    questions: Vec<(i64, &'static str)>,
    error: Option<String>,
    signed_in: bool,
    csrf: String,
}

pub async fn recovery_show(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    Query(param): Query<TokenParam>,
) -> PageResult {
    match recovery::questions(&state, &param.token).await {
        Ok(questions) => {
            Ok(QuestionsPage { token: param.token, questions, error: None, signed_in: false, csrf }.into_response())
        }
        Err(ServiceError::InvalidToken) => dead_link(),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct AnswersForm {
    #[serde(default)]
    token: String,
    #[serde(flatten)]
    fields: std::collections::HashMap<String, String>,
}

pub async fn recovery_submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<AnswersForm>,
) -> PageResult {
    let answers: Vec<(i64, String)> = (0..3)
        .filter_map(|i| {
            let id = form.fields.get(&format!("question_{i}"))?.parse().ok()?;
            Some((id, form.fields.get(&format!("answer_{i}")).cloned().unwrap_or_default()))
        })
        .collect();
    let error = match recovery::start(&state, &form.token, &answers, &client).await {
        Ok(ready_at) => {
            return Ok(MessagePage::new(
                "Your account recovery has started",
                format!(
                    "For your security there is a 24-hour wait. We emailed you about it, with a link to cancel if it \
                     was not you. After {} UTC, choose \"Forgot password\" again to set a new password.",
                    format_time(ready_at)
                ),
                Some(("/", "Home")),
            )
            .into_response());
        }
        Err(ServiceError::InvalidToken) => return dead_link(),
        Err(ServiceError::InvalidAnswers) => "At least one answer is not right.".to_owned(),
        Err(ServiceError::RecoveryClosed { until }) => format!(
            "Too many wrong answers. Recovery with security answers is closed until {} UTC.",
            format_time(until)
        ),
        Err(other) => return Err(other.into()),
    };
    let questions = match recovery::questions(&state, &form.token).await {
        Ok(questions) => questions,
        Err(ServiceError::InvalidToken) => return dead_link(),
        Err(other) => return Err(other.into()),
    };
    let page = QuestionsPage { token: form.token, questions, error: Some(error), signed_in: false, csrf };
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
}
