//! `/api/v1/staff/accounts` (support): find an account, read it, unlock it, resend its verification link,
//! mark it compromised, check a caller's security answers and start their recovery; and consolidations of
//! duplicate accounts. Each needs a reason where it changes something; all are audited.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ellis_store::{Account, ConsolidationRecord};
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::AppState;
use crate::services::ServiceError;
use crate::services::staff::consolidation::{self, Proposal};
use crate::services::staff::support::{self, DeskAction, Reason};
use crate::web::api::v1::rfc3339;
use crate::web::error::{ApiError, ApiResult};
use crate::web::extract::{ApiJson, ClientInfo, StaffApi, SupportDesk};

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
    StaffApi(auth, _): StaffApi<SupportDesk>,
    Query(search): Query<Search>,
) -> ApiResult<Json<Value>> {
    let found = support::find(&state, &auth, &search.q).await?;
    Ok(Json(found.iter().map(account_json).collect()))
}

pub async fn show(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<SupportDesk>,
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
    body["security_questions"] = view.questions.iter().map(|(id, text)| json!({"id": id, "text": text})).collect();
    body["likely_duplicates"] = view.duplicates.iter().map(account_json).collect();
    body["pending_consolidations"] = view.pending.iter().map(consolidation_json).collect();
    Ok(Json(body))
}

/// `POST /api/v1/staff/accounts/{number}/{unlock | resend-verification | compromise}`.
pub async fn act(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffApi(auth, _): StaffApi<SupportDesk>,
    Path((number, action)): Path<(String, String)>,
    ApiJson(body): ApiJson<Reason>,
) -> ApiResult<Json<Value>> {
    let action = DeskAction::parse(&action).ok_or(ApiError::RouteNotFound)?;
    support::act(&state, &auth, &number, action, &body.reason, &client).await?;
    Ok(Json(json!({"status": "done"})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallerAnswers {
    #[serde(default)]
    answers: Vec<Answer>,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    question_id: i64,
    #[serde(default)]
    answer: String,
}

/// `POST /api/v1/staff/accounts/{number}/verify-caller`: the caller's security answers; when all are right
/// the lost-factor recovery starts (`recovery_ready_at`), otherwise 422 naming `answers`.
pub async fn verify_caller(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffApi(auth, _): StaffApi<SupportDesk>,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<CallerAnswers>,
) -> ApiResult<Json<Value>> {
    let answers: Vec<(i64, String)> = body.answers.into_iter().map(|a| (a.question_id, a.answer)).collect();
    let ready_at = support::verify_caller(&state, &auth, &number, &answers, &body.reason, &client).await?;
    Ok(Json(json!({"verified": true, "recovery_ready_at": ready_at.format(&Rfc3339).unwrap_or_default()})))
}

pub fn consolidation_json(record: &ConsolidationRecord) -> Value {
    json!({
        "id": record.id.to_string(),
        "status": record.status,
        "reason": record.reason,
        "proposed_at": rfc3339(record.proposed_at),
        "approved_at": record.approved_at.map(rfc3339),
    })
}

pub async fn propose(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<SupportDesk>,
    ApiJson(proposal): ApiJson<Proposal>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let record = consolidation::propose(&state, &auth, &proposal).await?;
    Ok((StatusCode::CREATED, Json(consolidation_json(&record))))
}

pub async fn pending(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<SupportDesk>,
) -> ApiResult<Json<Value>> {
    let records = consolidation::pending(&state, &auth).await?;
    Ok(Json(records.iter().map(consolidation_json).collect()))
}

pub async fn approve(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffApi(auth, _): StaffApi<SupportDesk>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id: i64 = id.parse().map_err(|_| ApiError::Service(ServiceError::NotFound))?;
    let record = consolidation::approve(&state, &auth, id, &client).await?;
    Ok(Json(consolidation_json(&record)))
}
