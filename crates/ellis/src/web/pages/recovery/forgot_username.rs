//! `/forgot-username`: account number or A-Number, family name, date of birth; a reminder goes to the email
//! on file, and the page says the same whether or not anything matched.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ellis_core::FieldErrors;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::username::{self, ReminderRequest};
use crate::web::extract::{ClientInfo, CsrfToken};
use crate::web::pages::{ErrorSummary, MessagePage, PageResult};

#[derive(Template, WebTemplate)]
#[template(path = "pages/forgot_username.html")]
struct ForgotUsernamePage {
    form: ReminderRequest,
    errors: FieldErrors,
    signed_in: bool,
    csrf: String,
}

pub async fn show(CsrfToken(csrf): CsrfToken) -> impl IntoResponse {
    ForgotUsernamePage { form: ReminderRequest::default(), errors: FieldErrors::new(), signed_in: false, csrf }
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<ReminderRequest>,
) -> PageResult {
    match username::remind(&state, form.clone(), &client).await {
        Ok(()) => Ok(MessagePage::new(
            "Check your email",
            "If these details match an account, we have emailed a reminder to the address on file. Your username \
             is the address that reminder arrives at.",
            Some(("/sign-in", "Back to sign in")),
        )
        .into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = ForgotUsernamePage { form, errors, signed_in: false, csrf };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
