//! `POST /api/v1/accounts`: sign up. The answer is the same whether or not the address has an account.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::registration::{self, SignUp};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    date_of_birth: String,
}

pub async fn create(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<CreateAccount>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let input = SignUp {
        email: body.email,
        password: body.password,
        given_name: body.given_name,
        family_name: body.family_name,
        date_of_birth: body.date_of_birth,
    };
    registration::sign_up(&state, input, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "check_email"}))))
}
