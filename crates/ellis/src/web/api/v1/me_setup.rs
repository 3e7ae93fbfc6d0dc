//! Security setup over the API: `PUT /api/v1/me/security-questions`, `POST /api/v1/me/totp`,
//! `POST /api/v1/me/totp/confirm`, `POST /api/v1/me/backup-codes`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::setup;
use crate::web::error::ApiResult;
use crate::web::extract::{ApiAuth, ApiJson, ClientInfo};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    answers: Vec<Answer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub question_id: i64,
    pub answer: String,
}

pub async fn security_questions(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<Answers>,
) -> ApiResult<StatusCode> {
    let answers: Vec<(i64, String)> = body.answers.into_iter().map(|a| (a.question_id, a.answer)).collect();
    setup::set_security_questions(&state, &auth, &answers, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn start_totp(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> ApiResult<(StatusCode, Json<Value>)> {
    let enrolment = setup::start_totp(&state, &auth).await?;
    Ok((StatusCode::CREATED, Json(json!({"secret": enrolment.secret, "otpauth_uri": enrolment.otpauth_uri}))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    code: String,
}

pub async fn confirm_totp(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<Code>,
) -> ApiResult<Json<Value>> {
    let confirmed = setup::confirm_totp(&state, &auth, &body.code, false, &client).await?;
    let mut answer = json!({"backup_codes": confirmed.backup_codes});
    if let Some(number) = confirmed.account_number {
        answer["account_number"] = json!(number.digits());
        answer["account_number_display"] = json!(number.display());
    }
    Ok(Json(answer))
}

pub async fn backup_codes(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<Value>> {
    let codes = setup::regenerate_backup_codes(&state, &auth, &client).await?;
    Ok(Json(json!({"backup_codes": codes})))
}
