//! `POST /api/v1/username-reminders`: 202 always once the fields are well-formed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::username::{self, ReminderRequest};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo};

pub async fn create(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<ReminderRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    username::remind(&state, body, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "check_email"}))))
}
