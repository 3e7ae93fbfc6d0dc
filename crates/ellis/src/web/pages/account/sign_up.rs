//! `/sign-up`: create an account.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::registration::{self, SignUp};
use crate::web::extract::{ClientInfo, CsrfToken, MaybePageAuth};
use crate::web::pages::ErrorSummary as _;
use crate::web::pages::{MessagePage, PageResult};

#[derive(Template, WebTemplate)]
#[template(path = "pages/sign_up.html")]
struct SignUpPage {
    form: SignUp,
    errors: FieldErrors,
    signed_in: bool,
    csrf: String,
}

pub async fn show(MaybePageAuth(auth): MaybePageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    if auth.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    Ok(SignUpPage { form: SignUp::default(), errors: FieldErrors::new(), signed_in: false, csrf }.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<SignUp>,
) -> PageResult {
    match registration::sign_up(&state, form.clone(), &client).await {
        Ok(()) => Ok(MessagePage::new(
            "Check your email",
            "We sent a message to the address you entered. Open the link in it to confirm your email address; it works for 24 hours.",
            None,
        )
        .into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let form = SignUp { password: String::new(), ..form };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, SignUpPage { form, errors, signed_in: false, csrf }).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
