//! `/account`: the profile with its "Account Information" section, and the form that updates it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ellis_core::FieldErrors;
use ellis_core::profile::{MailingAddressInput, format_date};
use serde::Deserialize;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::profile::{self, Profile, ProfileChange};
use crate::web::extract::{ClientInfo, CsrfToken, PageAuth};
use crate::web::pages::ErrorSummary as _;
use crate::web::pages::PageResult;

#[derive(Deserialize, Default)]
pub struct ProfileForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    a_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    line1: String,
    #[serde(default)]
    line2: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    zip: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/account.html")]
struct AccountPage {
    account_number: Option<String>,
    given_name: String,
    family_name: String,
    date_of_birth: String,
    email: String,
    a_number: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    backup_codes_left: i64,
    form: ProfileForm,
    errors: FieldErrors,
    saved: bool,
    signed_in: bool,
    csrf: String,
}

fn page(profile: &Profile, form: Option<ProfileForm>, errors: FieldErrors, saved: bool, csrf: String) -> AccountPage {
    let account = &profile.account;
    let address = account.mailing_address.as_ref();
    let form = form.unwrap_or_else(|| ProfileForm {
        given_name: account.given_name.clone(),
        family_name: account.family_name.clone(),
        a_number: account.a_number.map(|a| a.to_string()).unwrap_or_default(),
        phone: account.phone.clone().unwrap_or_default(),
        line1: address.map(|a| a.line1.clone()).unwrap_or_default(),
        line2: address.and_then(|a| a.line2.clone()).unwrap_or_default(),
        city: address.map(|a| a.city.clone()).unwrap_or_default(),
        state: address.map(|a| a.state.clone()).unwrap_or_default(),
        zip: address.map(|a| a.zip.clone()).unwrap_or_default(),
    });
    AccountPage {
        account_number: account.account_number.map(|n| n.display()),
        given_name: account.given_name.clone(),
        family_name: account.family_name.clone(),
        date_of_birth: format_date(account.date_of_birth),
        email: account.email.to_string(),
        a_number: account.a_number.map(|a| a.to_string()),
        phone: account.phone.clone(),
        address: address.map(|a| {
            let line2 = a.line2.as_deref().map(|l| format!(", {l}")).unwrap_or_default();
            format!("{}{line2}, {}, {} {}", a.line1, a.city, a.state, a.zip)
        }),
        backup_codes_left: profile.backup_codes_left,
        form,
        errors,
        saved,
        signed_in: true,
        csrf,
    }
}

pub async fn show(State(state): State<AppState>, PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    auth.require(crate::services::auth::Need::TwoFactor)?;
    let profile = profile::profile(&state, &auth).await?;
    Ok(page(&profile, None, FieldErrors::new(), false, csrf).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<ProfileForm>,
) -> PageResult {
    let address_given =
        [&form.line1, &form.line2, &form.city, &form.state, &form.zip].iter().any(|v| !v.trim().is_empty());
    let change = ProfileChange {
        given_name: Some(form.given_name.clone()),
        family_name: Some(form.family_name.clone()),
        a_number: Some(Some(form.a_number.clone())),
        phone: Some(Some(form.phone.clone())),
        mailing_address: Some(address_given.then(|| MailingAddressInput {
            line1: form.line1.clone(),
            line2: Some(form.line2.clone()),
            city: form.city.clone(),
            state: form.state.clone(),
            zip: form.zip.clone(),
        })),
    };
    match profile::update_profile(&state, &auth, change, &client).await {
        Ok(updated) => Ok(page(&updated, None, FieldErrors::new(), true, csrf).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let current = profile::profile(&state, &auth).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&current, Some(form), errors, false, csrf)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
