//! `/verify-email?token=…`: the link from the email. Opening it shows a button; only the POST spends the
//! token, so mail scanners that prefetch links cannot use it up.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

use crate::AppState;
use crate::services::{ServiceError, registration};
use crate::web::extract::{ClientInfo, CsrfToken};
use crate::web::pages::{MessagePage, PageResult};

#[derive(Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    token: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/verify_email.html")]
struct VerifyPage {
    token: String,
    signed_in: bool,
    csrf: String,
}

pub async fn show(CsrfToken(csrf): CsrfToken, Query(param): Query<TokenParam>) -> impl IntoResponse {
    VerifyPage { token: param.token, signed_in: false, csrf }
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    Form(form): Form<TokenParam>,
) -> PageResult {
    match registration::verify_email(&state, &form.token, &client).await {
        Ok(()) => Ok(MessagePage::new(
            "Email address confirmed",
            "Thank you. Sign in to set up the security of your account and receive your USCIS Online Account Number.",
            Some(("/sign-in", "Sign in")),
        )
        .into_response()),
        Err(ServiceError::InvalidToken) => Ok((
            StatusCode::BAD_REQUEST,
            MessagePage::new(
                "This link does not work",
                "The link is used, expired or incomplete. Sign in with your email and password and we will send you a new one.",
                Some(("/sign-in", "Sign in")),
            ),
        )
            .into_response()),
        Err(other) => Err(other.into()),
    }
}
