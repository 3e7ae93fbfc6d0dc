//! `/health` (the process answers) and `/ready` (the database answers and its migrations are current).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::AppState;

pub async fn live() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = state.store.ping().await.is_ok();
    let migrations = database && state.store.migrations_current().await.unwrap_or(false);
    let status = if database && migrations { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(json!({"database": database, "migrations_current": migrations})))
}
