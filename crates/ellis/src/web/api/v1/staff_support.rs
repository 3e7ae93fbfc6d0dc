//! `/api/v1/staff/accounts` (support): find an account, read it, unlock it, resend its verification link,
//! mark it compromised. Each needs a reason where it changes something; all are audited.

use axum::Json;
use axum::extract::{Path, Query, State};
use ellis_store::Account;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::staff::support::{self, DeskAction};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo, StaffApiAuth};

fn account_json(account: &Account) -> Value {
    json!({
        "account_number": account.account_number.map(|n| n.digits()),
        "account_number_display": account.account_number.map(|n| n.display()),
        "email": account.email.as_str(),
        "given_name": account.given_name,
        "family_name": account.family_name,
        "date_of_birth": ellis_core::profile::format_date(account.date_of_birth),
        "a_number": account.a_number.map(|a| a.to_string()),
        "email_verified": account.email_verified,
        "status": account.status.as_str(),
        "locked": account.lockout.locked_until.is_some() || account.lockout.failed_sign_ins >= ellis_core::lockout::FAILURE_CEILING,
    })
}

#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

pub async fn find(
    State(state): State<AppState>,
    StaffApiAuth(auth): StaffApiAuth,
    Query(search): Query<Search>,
) -> ApiResult<Json<Value>> {
    let found = support::find(&state, &auth, &search.q).await?;
    Ok(Json(found.iter().map(account_json).collect()))
}

pub async fn show(
    State(state): State<AppState>,
    StaffApiAuth(auth): StaffApiAuth,
    Path(number): Path<String>,
) -> ApiResult<Json<Value>> {
    let view = support::view(&state, &auth, &number).await?;
    let mut body = account_json(&view.account);
    body["cases"] = view
        .cases
        .iter()
        .map(|c| json!({"receipt_number": c.receipt_number.as_str(), "form_type": c.form_type, "status_title": c.status_title}))
        .collect();
    body["history"] = view.history.iter().map(|e| json!({"kind": e.kind, "detail": e.detail, "ip": e.ip})).collect();
    Ok(Json(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[serde(default)]
    reason: String,
}

async fn act(
    state: AppState,
    auth: crate::services::staff::StaffAuthenticated,
    client: crate::services::Client,
    number: String,
    action: DeskAction,
    reason: String,
) -> ApiResult<Json<Value>> {
    support::act(&state, &auth, &number, action, &reason, &client).await?;
    Ok(Json(json!({"status": "done"})))
}

pub async fn unlock(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffApiAuth(auth): StaffApiAuth,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<Reason>,
) -> ApiResult<Json<Value>> {
    act(state, auth, client, number, DeskAction::Unlock, body.reason).await
}

pub async fn resend_verification(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffApiAuth(auth): StaffApiAuth,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<Reason>,
) -> ApiResult<Json<Value>> {
    act(state, auth, client, number, DeskAction::ResendVerification, body.reason).await
}

pub async fn compromise(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffApiAuth(auth): StaffApiAuth,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<Reason>,
) -> ApiResult<Json<Value>> {
    act(state, auth, client, number, DeskAction::Compromise, body.reason).await
}
