//! `GET /api/v1/forms`: the forms ellis files online, each describing its fields, with its online fee.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::cases::filing;

pub async fn list(State(state): State<AppState>) -> Json<Value> {
    Json(
        filing::forms(&state)
            .into_iter()
            .map(|f| {
                json!({
                    "form_type": f.form.form_type,
                    "title": f.form.title,
                    "online_fee_cents": f.fee_cents,
                    "fields": f.form.fields,
                })
            })
            .collect(),
    )
}
