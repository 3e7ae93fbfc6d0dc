//! `GET /api/v1/me/events` (account history) and `/api/v1/me/sessions` (list, end one).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::AppState;
use crate::services::{history, sessions, unix_to_datetime};
use crate::web::error::ApiResult;
use crate::web::extract::{ApiAuth, ClientInfo};

pub async fn events(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> ApiResult<Json<Value>> {
    let entries = history::history(&state, &auth).await?;
    Ok(Json(
        entries
            .iter()
            .map(|e| {
                json!({
                    "at": e.at.replace_nanosecond(0).unwrap_or(e.at).format(&Rfc3339).unwrap_or_default(),
                    "kind": e.kind,
                    "ip": e.ip,
                    "detail": match &e.detail {
                        Some(detail) => format!("{}. {detail}", e.sentence),
                        None => e.sentence.to_owned(),
                    },
                })
            })
            .collect(),
    ))
}

pub async fn sessions(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> ApiResult<Json<Value>> {
    let list = sessions::list(&state, &auth).await?;
    let rfc3339 = |unix: i64| unix_to_datetime(unix).format(&Rfc3339).unwrap_or_default();
    Ok(Json(
        list.iter()
            .map(|(s, current)| {
                json!({
                    "id": s.public_id,
                    "created_at": rfc3339(s.created_at),
                    "last_seen_at": rfc3339(s.last_seen_at),
                    "ip": s.ip,
                    "user_agent": s.user_agent,
                    "assurance": s.assurance.as_str(),
                    "current": current,
                })
            })
            .collect(),
    ))
}

pub async fn end_session(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    sessions::end(&state, &auth, &id, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}
