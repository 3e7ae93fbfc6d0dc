//! `GET /api/v1/security-questions`: the catalogue to choose three from.

use axum::Json;
use ellis_core::security_questions::QUESTIONS;
use serde_json::{Value, json};

pub async fn list() -> Json<Value> {
    Json(QUESTIONS.iter().map(|q| json!({"id": q.id, "text": q.text})).collect())
}
