//! `/api/v1/staff`: setting up a staff identity from its one-time link, signing in (password, then the
//! authenticator), signing out, and the status catalogue every staff role may read.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ellis_core::status::CATALOGUE;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::staff::{identity, sessions};
use crate::web::api::v1::sessions::Credentials;
use crate::web::error::ApiResult;
use crate::web::extract::{AnyStaff, ApiJson, ClientInfo, StaffApi, StaffApiAuth};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn setup(State(state): State<AppState>, ApiJson(body): ApiJson<Setup>) -> ApiResult<Json<Value>> {
    let enrolment = identity::set_password(&state, &body.token, &body.password).await?;
    Ok(Json(json!({"totp_secret": enrolment.secret, "otpauth_uri": enrolment.otpauth_uri})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    code: String,
}

pub async fn confirm(State(state): State<AppState>, ApiJson(body): ApiJson<Confirm>) -> ApiResult<Json<Value>> {
    identity::confirm(&state, &body.token, &body.code).await?;
    Ok(Json(json!({"status": "ready"})))
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let token = sessions::sign_in(&state, &body.email, &body.password, &client).await?;
    Ok((StatusCode::CREATED, Json(json!({"token": token, "next": "second_factor"}))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    #[serde(default)]
    code: String,
}

pub async fn second_factor(
    State(state): State<AppState>,
    StaffApiAuth(auth): StaffApiAuth,
    ApiJson(body): ApiJson<Code>,
) -> ApiResult<Json<Value>> {
    sessions::pass_second_factor(&state, &auth, &body.code).await?;
    Ok(Json(json!({"assurance": "two_factor", "role": auth.member.role.as_str()})))
}

pub async fn sign_out(State(state): State<AppState>, StaffApiAuth(auth): StaffApiAuth) -> ApiResult<StatusCode> {
    sessions::sign_out(&state, &auth).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn status_catalogue(_: StaffApi<AnyStaff>) -> ApiResult<Json<Value>> {
    Ok(Json(
        CATALOGUE
            .iter()
            .map(|s| {
                json!({
                    "title": s.title,
                    "stage": s.stage.as_str(),
                    "notice_form": s.notice.map(|(form, _)| form.as_str()),
                    "allowed_next": s.next_titles().collect::<Vec<_>>(),
                })
            })
            .collect(),
    ))
}
