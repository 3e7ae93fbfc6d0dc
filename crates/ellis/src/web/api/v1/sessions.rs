//! `/api/v1/sessions`: sign in, pass the second factor, ask for an emailed code, sign out.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::AppState;
use crate::services::{sign_in, two_factor};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiAuth, ApiJson, ClientInfo};

/// Email and password: applicants' and staff sign-in alike.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) password: String,
}

pub async fn create(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let signed_in = sign_in::sign_in(&state, &body.email, &body.password, &client).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "token": signed_in.token,
            "expires_at": signed_in.expires_at.format(&Rfc3339).unwrap_or_default(),
            "assurance": signed_in.assurance.as_str(),
            "next": signed_in.next,
        })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondFactor {
    method: String,
    code: String,
}

pub async fn second_factor(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<SecondFactor>,
) -> ApiResult<Json<Value>> {
    let method = two_factor::Method::parse(&body.method)?;
    // Bearer tokens are not rotated at step-up: see docs/adr/0001-bearer-tokens-keep-their-value-at-step-up.md.
    two_factor::pass_second_factor(&state, &auth, method, &body.code, false, &client).await?;
    Ok(Json(json!({"assurance": "two_factor", "next": "none"})))
}

pub async fn email_code(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<(StatusCode, Json<Value>)> {
    two_factor::send_email_code(&state, &auth, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "sent"}))))
}

pub async fn delete_current(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<StatusCode> {
    sign_in::sign_out(&state, &auth, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}
