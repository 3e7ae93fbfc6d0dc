//! `POST /api/v1/email-verifications` (spend a link's token) and `/resend` (a new link, answer always 202).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::registration;
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    token: String,
}

pub async fn verify(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<Verify>,
) -> ApiResult<Json<Value>> {
    registration::verify_email(&state, &body.token, &client).await?;
    Ok(Json(json!({"status": "verified"})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resend {
    email: String,
}

pub async fn resend(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Resend>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    registration::resend_verification(&state, &body.email).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "check_email"}))))
}
