//! `GET`/`PATCH /api/v1/me`: the profile.

use axum::Json;
use axum::extract::State;
use ellis_core::profile::{MailingAddressInput, format_date};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use crate::AppState;
use crate::services::profile::{self, Profile, ProfileChange};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiAuth, ApiJson, ClientInfo};

pub async fn show(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> ApiResult<Json<Value>> {
    Ok(Json(profile_json(&profile::profile(&state, &auth).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    given_name: Option<String>,
    family_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    a_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    mailing_address: Option<Option<MailingAddressInput>>,
}

/// Tells a field sent as `null` (clear it) from a field not sent at all (leave it).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

pub async fn update(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<Patch>,
) -> ApiResult<Json<Value>> {
    let change = ProfileChange {
        given_name: body.given_name,
        family_name: body.family_name,
        a_number: body.a_number,
        phone: body.phone,
        mailing_address: body.mailing_address,
    };
    Ok(Json(profile_json(&profile::update_profile(&state, &auth, change, &client).await?)))
}

fn profile_json(profile: &Profile) -> Value {
    let account = &profile.account;
    json!({
        "account_number": account.account_number.map(|n| n.digits()),
        "account_number_display": account.account_number.map(|n| n.display()),
        "email": account.email.as_str(),
        "given_name": account.given_name,
        "family_name": account.family_name,
        "date_of_birth": format_date(account.date_of_birth),
        "a_number": account.a_number.map(|a| a.to_string()),
        "phone": account.phone,
        "mailing_address": account.mailing_address,
        "security": {
            "questions_set": account.questions_set,
            "totp": account.totp_secret.is_some(),
            "backup_codes_left": profile.backup_codes_left,
            "setup_complete": account.setup_complete(),
        },
        "status": account.status.as_str(),
    })
}
