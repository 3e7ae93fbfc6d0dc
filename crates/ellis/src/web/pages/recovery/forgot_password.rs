//! `/forgot-password`: asks for the email address; the answer is the same whether or not it has an account.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::IntoResponse;
use serde::Deserialize;

use crate::AppState;
use crate::services::password_reset;
use crate::web::extract::{ClientInfo, CsrfToken};
use crate::web::pages::{MessagePage, PageResult};

#[derive(Template, WebTemplate)]
#[template(path = "pages/forgot_password.html")]
struct ForgotPasswordPage {
    signed_in: bool,
    csrf: String,
}

pub async fn show(CsrfToken(csrf): CsrfToken) -> impl IntoResponse {
    ForgotPasswordPage { signed_in: false, csrf }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    Form(form): Form<EmailForm>,
) -> PageResult {
    password_reset::request_reset(&state, &form.email, &client).await?;
    Ok(MessagePage::new(
        "Check your email",
        "If this address belongs to an account, we have sent it a link to choose a new password. The link works \
         once, for 30 minutes. Nothing arrived? Check your spam folder, or make sure you typed the address you \
         sign in with.",
        Some(("/sign-in", "Back to sign in")),
    )
    .into_response())
}
