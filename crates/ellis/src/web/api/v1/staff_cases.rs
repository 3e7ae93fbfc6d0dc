//! `/api/v1/staff/cases`: the officers' queue, one case as staff see it, and officer actions.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::staff::casework::{self, Action, QueueFilter, StaffCaseView};
use crate::web::api::v1::cases::notice_json;
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, CaseReaders, Officers, StaffApi};

use crate::web::api::v1::rfc3339;

pub async fn queue(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<Officers>,
    Query(filter): Query<QueueFilter>,
) -> ApiResult<Json<Value>> {
    let cases = casework::queue(&state, &auth, &filter).await?;
    Ok(Json(
        cases
            .iter()
            .map(|c| {
                json!({
                    "receipt_number": c.receipt_number.as_str(),
                    "form_type": c.form_type,
                    "status_title": c.status_title,
                    "received_at": rfc3339(c.received_at),
                    "status_at": rfc3339(c.status_at),
                    "filed_online": c.filed_online,
                })
            })
            .collect(),
    ))
}

fn view_json(view: &StaffCaseView) -> Value {
    let fields: Value = serde_json::from_str(&view.case.fields_json).unwrap_or(Value::Null);
    json!({
        "receipt_number": view.case.receipt_number.as_str(),
        "form_type": view.case.form_type,
        "status_title": view.case.status_title,
        "received_at": rfc3339(view.case.received_at),
        "office": view.case.office,
        "filed_online": view.case.filed_online,
        "fields": fields,
        "history": view.history.iter().map(|h| json!({"at": rfc3339(h.at), "title": h.status_title})).collect::<Vec<_>>(),
        "notices": view.notices.iter().map(notice_json).collect::<Vec<_>>(),
        "evidence": view.evidence.iter().map(|e| json!({
            "id": e.public_id, "file_name": e.file_name, "content_type": e.content_type,
            "size_bytes": e.size_bytes, "note": e.note, "uploaded_at": rfc3339(e.uploaded_at),
        })).collect::<Vec<_>>(),
        "allowed_next": view.allowed_next,
    })
}

pub async fn show(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<CaseReaders>,
    Path(receipt): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(view_json(&casework::view(&state, &auth, &receipt).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    #[serde(default)]
    status_title: String,
    note: Option<String>,
    due_date: Option<String>,
    appointment_at: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<Officers>,
    Path(receipt): Path<String>,
    ApiJson(body): ApiJson<ActionBody>,
) -> ApiResult<Json<Value>> {
    let action = Action {
        status_title: &body.status_title,
        note: body.note.as_deref(),
        due_date: body.due_date.as_deref(),
        appointment_at: body.appointment_at.as_deref(),
    };
    Ok(Json(view_json(&casework::act(&state, &auth, &receipt, &action).await?)))
}
