//! `/security-setup`: security questions, then an authenticator app; confirming it shows the backup codes
//! and, when setup is complete, the USCIS Online Account Number.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::cookie::CookieJar;
use ellis_core::FieldErrors;
use ellis_core::security_questions::{QUESTIONS, Question, REQUIRED_ANSWERS};
use serde::Deserialize;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::auth::{Authenticated, Need};
use crate::services::setup::{self, TotpEnrolment};
use crate::web::extract::{ClientInfo, CsrfToken, PageAuth, with_session};
use crate::web::pages::ErrorSummary as _;
use crate::web::pages::PageResult;

struct Slot {
    index: usize,
    selected: i64,
    question_field: String,
    answer_field: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/security_setup.html")]
struct SetupPage {
    questions: &'static [Question],
    slots: Vec<Slot>,
    questions_set: bool,
    totp_set: bool,
    enrolment: Option<TotpEnrolment>,
    account_number: Option<String>,
    errors: FieldErrors,
    error: Option<String>,
    signed_in: bool,
    csrf: String,
}

fn page(auth: &Authenticated, selected: [i64; REQUIRED_ANSWERS], errors: FieldErrors, csrf: String) -> SetupPage {
    SetupPage {
        questions: QUESTIONS,
        slots: (0..REQUIRED_ANSWERS)
            .map(|index| Slot {
                index,
                selected: selected[index],
                question_field: format!("answers[{index}].question_id"),
                answer_field: format!("answers[{index}].answer"),
            })
            .collect(),
        questions_set: auth.account.questions_set,
        totp_set: auth.account.totp_secret.is_some(),
        enrolment: setup::pending_totp(auth),
        account_number: auth.account.account_number.map(|n| n.display()),
        errors,
        error: None,
        signed_in: true,
        csrf,
    }
}

const DEFAULT_QUESTIONS: [i64; REQUIRED_ANSWERS] = [1, 2, 3];

pub async fn show(PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    auth.require(Need::TwoFactorOrSetup)?;
    Ok(page(&auth, DEFAULT_QUESTIONS, FieldErrors::new(), csrf).into_response())
}

#[derive(Deserialize)]
pub struct QuestionsForm {
    question_0: i64,
    answer_0: String,
    question_1: i64,
    answer_1: String,
    question_2: i64,
    answer_2: String,
}

pub async fn questions(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<QuestionsForm>,
) -> PageResult {
    let answers =
        [(form.question_0, form.answer_0), (form.question_1, form.answer_1), (form.question_2, form.answer_2)];
    match setup::set_security_questions(&state, &auth, &answers, &client).await {
        Ok(_) => Ok(Redirect::to("/security-setup").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let selected = [answers[0].0, answers[1].0, answers[2].0];
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&auth, selected, errors, csrf)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn start_authenticator(State(state): State<AppState>, PageAuth(auth): PageAuth) -> PageResult {
    setup::start_totp(&state, &auth).await?;
    Ok(Redirect::to("/security-setup").into_response())
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    code: String,
}

/// New backup codes, shown once (after setup, and from /account/security).
#[derive(Template, WebTemplate)]
#[template(path = "pages/backup_codes.html")]
pub(super) struct BackupCodesPage {
    pub codes: Vec<String>,
    pub account_number: Option<String>,
    pub next: &'static str,
    pub signed_in: bool,
    pub csrf: String,
}

pub async fn confirm_authenticator(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    jar: CookieJar,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    match setup::confirm_totp(&state, &auth, &form.code, true, &client).await {
        Ok(confirmed) => {
            let jar = with_session(jar, confirmed.new_token, state.config.secure_cookies());
            let page = BackupCodesPage {
                codes: confirmed.backup_codes,
                account_number: confirmed.account_number.or(auth.account.account_number).map(|n| n.display()),
                next: if confirmed.setup_complete { "/account" } else { "/security-setup" },
                signed_in: true,
                csrf,
            };
            Ok((jar, page).into_response())
        }
        Err(ServiceError::InvalidCode) => {
            let mut page = page(&auth, DEFAULT_QUESTIONS, FieldErrors::new(), csrf);
            page.error =
                Some("That code is not right. Check the time on your phone and try the newest code.".to_owned());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
