//! `/api/v1/password-resets`: ask for a link (202 always), then with the link's token: confirm a new password
//! with a second factor, ask for an emailed code, or — with every factor lost — read the security questions
//! and start a recovery with the answers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::AppState;
use crate::services::{password_reset, recovery, two_factor};
use crate::web::api::v1::me_setup::Answer;
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default)]
    email: String,
}

pub async fn create(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<Request>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    password_reset::request_reset(&state, &body.email, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "check_email"}))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondFactor {
    method: String,
    code: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirm {
    token: String,
    new_password: String,
    #[serde(default)]
    second_factor: Option<SecondFactor>,
}

pub async fn confirm(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<Confirm>,
) -> ApiResult<Json<Value>> {
    let second_factor = match &body.second_factor {
        Some(factor) => Some((two_factor::Method::parse(&factor.method)?, factor.code.as_str())),
        None => None,
    };
    password_reset::confirm_reset(&state, &body.token, &body.new_password, second_factor, &client).await?;
    Ok(Json(json!({"status": "password_changed"})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithToken {
    token: String,
}

pub async fn email_code(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<WithToken>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    password_reset::send_reset_code(&state, &body.token, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "sent"}))))
}

pub async fn questions(State(state): State<AppState>, ApiJson(body): ApiJson<WithToken>) -> ApiResult<Json<Value>> {
    let questions = recovery::questions(&state, &body.token).await?;
    Ok(Json(questions.iter().map(|(id, text)| json!({"id": id, "text": text})).collect()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartRecovery {
    token: String,
    answers: Vec<Answer>,
}

pub async fn start_recovery(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<StartRecovery>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let answers: Vec<(i64, String)> = body.answers.into_iter().map(|a| (a.question_id, a.answer)).collect();
    let ready_at = recovery::start(&state, &body.token, &answers, &client).await?;
    let ready_at = ready_at.format(&Rfc3339).unwrap_or_default();
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "waiting", "ready_at": ready_at}))))
}
