//! Links from emails, spent through the API: `POST /api/v1/compromise-reports` ("this wasn't me"),
//! `/api/v1/recoveries/cancel`, and `/api/v1/email-changes/confirm`, each with `{"token"}`.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::{compromise, email_change, recovery};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithToken {
    token: String,
}

pub async fn report_compromise(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<WithToken>,
) -> ApiResult<Json<Value>> {
    compromise::report_from_link(&state, &body.token, &client).await?;
    Ok(Json(json!({"status": "secured"})))
}

pub async fn cancel_recovery(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<WithToken>,
) -> ApiResult<Json<Value>> {
    recovery::cancel(&state, &body.token, &client).await?;
    Ok(Json(json!({"status": "cancelled"})))
}

pub async fn confirm_email_change(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<WithToken>,
) -> ApiResult<Json<Value>> {
    email_change::confirm(&state, &body.token, &client).await?;
    Ok(Json(json!({"status": "changed"})))
}
