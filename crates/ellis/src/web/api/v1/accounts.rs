//! `POST /api/v1/accounts`: sign up. The answer is the same whether or not the address has an account.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::registration::{self, SignUp};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo};

pub async fn create(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(input): ApiJson<SignUp>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    registration::sign_up(&state, input, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "check_email"}))))
}
