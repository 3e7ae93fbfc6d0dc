//! Admin work: staff members (`/api/v1/staff/members`) and the staff audit (`/api/v1/staff/audit`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ellis_core::ids::StaffId;
use ellis_store::StaffMember;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::ServiceError;
use crate::services::staff::audit;
use crate::services::staff::members::{self, MemberChange, NewMember};
use crate::web::api::v1::rfc3339;
use crate::web::error::{ApiError, ApiResult};
use crate::web::extract::{Admins, ApiJson, StaffApi};

fn member_json(member: &StaffMember) -> Value {
    json!({
        "id": member.id.0.to_string(),
        "email": member.email.as_str(),
        "name": member.name,
        "role": member.role.as_str(),
        "disabled": member.disabled,
        "ready": member.totp_secret.is_some(),
    })
}

pub async fn list(State(state): State<AppState>, StaffApi(auth, _): StaffApi<Admins>) -> ApiResult<Json<Value>> {
    let all = members::list(&state, &auth).await?;
    Ok(Json(all.iter().map(member_json).collect()))
}

/// 201 with the new member and their one-time setup link (24 hours), which the admin hands over.
pub async fn create(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<Admins>,
    ApiJson(new): ApiJson<NewMember>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (id, link) = members::create(&state, &auth, &new).await?;
    let mut answer = member_json(&state.store.staff_member(id).await.map_err(ServiceError::from)?);
    answer["setup_link"] = json!(link);
    Ok((StatusCode::CREATED, Json(answer)))
}

pub async fn update(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<Admins>,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<MemberChange>,
) -> ApiResult<Json<Value>> {
    let id = id.parse().map(StaffId).map_err(|_| ApiError::Service(ServiceError::NotFound))?;
    let member = members::update(&state, &auth, id, &change).await?;
    Ok(Json(member_json(&member)))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    account: Option<String>,
    staff: Option<String>,
}

pub async fn audit(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<Admins>,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Value>> {
    let lines = audit::search(&state, &auth, query.account.as_deref(), query.staff.as_deref()).await?;
    Ok(Json(
        lines
            .iter()
            .map(|line| {
                json!({
                    "at": rfc3339(line.at),
                    "staff": line.staff_email,
                    "staff_role": line.staff_role,
                    "action": line.action,
                    "account": line.account_number,
                    "case": line.receipt_number,
                    "detail": line.detail,
                })
            })
            .collect(),
    ))
}
