//! The signed-in holder's security actions: `POST /api/v1/me/compromise-report`, `POST /api/v1/me/email-change`,
//! `PUT /api/v1/me/password`, `DELETE /api/v1/me/sessions` (sign out everywhere else) and
//! `GET /api/v1/me/events/export` (the whole history with its hash chain).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::AppState;
use crate::services::auth::Authenticated;
use crate::services::{compromise, email_change, history, password_change, sessions};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiAuth, ApiJson, ClientInfo};

pub async fn compromise_report(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<Value>> {
    compromise::report(&state, &auth, &client).await?;
    Ok(Json(json!({"status": "secured"})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailChange {
    #[serde(default)]
    email: String,
}

pub async fn email_change(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<EmailChange>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    email_change::request(&state, &auth, &body.email, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "check_new_email"}))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    password_change::change(&state, &auth, &body.current_password, &body.new_password, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn end_other_sessions(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<StatusCode> {
    sessions::end_others(&state, &auth, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn export_events(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> ApiResult<impl IntoResponse> {
    let events = history::export(&state, &auth).await?;
    let disposition = "attachment; filename=\"ellis-account-history.json\"";
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(export_document(&auth, &events))))
}

/// The downloadable history (API and page alike): every event, oldest first, with its chain hash.
pub fn export_document(auth: &Authenticated, events: &[history::ExportedEvent]) -> Value {
    json!({
        "account_number": auth.account.account_number.map(|n| n.digits()),
        "hash_chain": "each hash is SHA-256 over the previous event's hash and this event's fields (docs/SECURITY.md)",
        "events": events.iter().map(|e| json!({
            "seq": e.seq,
            "at": e.entry.at.format(&Rfc3339).unwrap_or_default(),
            "kind": e.entry.kind,
            "description": e.entry.sentence,
            "ip": e.entry.ip,
            "detail": e.entry.detail,
            "hash": e.hash,
        })).collect::<Vec<_>>(),
    })
}
