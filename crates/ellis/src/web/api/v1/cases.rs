//! `/api/v1/cases`: file a form (with an optional `Idempotency-Key`), list the caller's cases, read one
//! with its history and notices; `/api/v1/drafts/{form_type}` keeps a form between sessions.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ellis_store::{CaseRecord, NoticeRecord};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::services::cases::{filing, linking, tracking};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiAuth, ApiJson, ClientInfo};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    #[serde(default)]
    form_type: String,
    #[serde(default)]
    fields: Map<String, Value>,
}

pub async fn create(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Filing>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let key = headers.get("idempotency-key").map(|v| v.to_str().unwrap_or("\u{0}"));
    let filed = filing::file(&state, &auth, &body.form_type, &body.fields, key, &client).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "receipt_number": filed.case.receipt_number.as_str(),
            "form_type": filed.case.form_type,
            "status_title": filed.case.status_title,
            "notices": filed.notices.iter().map(|n| json!({"id": n.public_id, "form": n.form, "kind": n.kind})).collect::<Vec<_>>(),
        })),
    ))
}

use crate::web::api::v1::rfc3339;

/// A case in a list: what changed and when.
#[derive(Serialize)]
struct Summary<'a> {
    receipt_number: &'a str,
    form_type: &'a str,
    status_title: &'a str,
    status_at: String,
    received_at: String,
    filed_online: bool,
    unread: bool,
}

fn summary(case: &CaseRecord) -> Summary<'_> {
    Summary {
        receipt_number: case.receipt_number.as_str(),
        form_type: &case.form_type,
        status_title: &case.status_title,
        status_at: rfc3339(case.status_at),
        received_at: rfc3339(case.received_at),
        filed_online: case.filed_online,
        unread: case.unread,
    }
}

/// A notice as the API lists it (the PDF is its own URL).
#[derive(Serialize)]
pub struct NoticeJson<'a> {
    id: &'a str,
    form: &'a str,
    kind: &'a str,
    notice_date: &'a str,
    verification_code: &'a str,
}

pub fn notice_json(notice: &NoticeRecord) -> NoticeJson<'_> {
    NoticeJson {
        id: &notice.public_id,
        form: &notice.form,
        kind: &notice.kind,
        notice_date: &notice.notice_date,
        verification_code: &notice.verification_code,
    }
}

pub async fn list(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> ApiResult<Response> {
    let cases = tracking::my_cases(&state, &auth).await?;
    Ok(Json(cases.iter().map(summary).collect::<Vec<_>>()).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(receipt): Path<String>,
) -> ApiResult<Response> {
    let detail = tracking::my_case(&state, &auth, &receipt).await?;
    Ok(Json(case_json(&detail)).into_response())
}

#[derive(Serialize)]
struct History<'a> {
    at: String,
    title: &'a str,
}

/// A case as the API shows it to its owner: the summary, description, filing, history and notices. Typed
/// rather than built as a `Value` (the hottest authenticated read; the filing's stored JSON is copied
/// through as it is).
#[derive(Serialize)]
struct CaseJson<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    status_description: &'a str,
    office: &'a str,
    fee_cents: Option<i64>,
    fields: &'a RawValue,
    history: Vec<History<'a>>,
    notices: Vec<NoticeJson<'a>>,
}

fn case_json(detail: &tracking::CaseDetail) -> CaseJson<'_> {
    CaseJson {
        summary: summary(&detail.case),
        status_description: &detail.description,
        office: &detail.case.office,
        fee_cents: detail.case.fee_cents,
        fields: serde_json::from_str(&detail.case.fields_json).unwrap_or(RawValue::NULL),
        history: detail.history.iter().map(|h| History { at: rfc3339(h.at), title: &h.status_title }).collect(),
        notices: detail.notices.iter().map(notice_json).collect(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    #[serde(default)]
    receipt_number: String,
    #[serde(default)]
    access_code: String,
}

/// `POST /api/v1/cases/link`: a paper-filed case joins the caller's account with its Online Access Code.
pub async fn link(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<Link>,
) -> ApiResult<Response> {
    let detail = linking::link(&state, &auth, &body.receipt_number, &body.access_code, &client).await?;
    Ok(Json(case_json(&detail)).into_response())
}

pub async fn notices(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(receipt): Path<String>,
) -> ApiResult<Response> {
    let detail = tracking::my_case(&state, &auth, &receipt).await?;
    Ok(Json(detail.notices.iter().map(notice_json).collect::<Vec<_>>()).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    #[serde(default)]
    fields: Map<String, Value>,
}

pub async fn save_draft(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(form_type): Path<String>,
    ApiJson(body): ApiJson<Draft>,
) -> ApiResult<StatusCode> {
    filing::save_draft(&state, &auth, &form_type, &body.fields).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn show_draft(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(form_type): Path<String>,
) -> ApiResult<Json<Value>> {
    let draft = filing::draft(&state, &auth, &form_type).await?;
    let form = filing::form(&form_type)?;
    Ok(Json(json!({"form_type": form.form_type, "fields": draft.unwrap_or_default()})))
}
