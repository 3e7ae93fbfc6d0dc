//! `GET /api/v1/case-status/{receipt}` (`?lang=es` for Spanish): the public status look-up, limited per IP.

use axum::Json;
use axum::extract::{Path, Query, State};
use ellis_core::status::Language;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::cases::public_status;
use crate::web::error::ApiResult;

#[derive(Deserialize)]
pub struct Lang {
    #[serde(default)]
    lang: String,
}

pub async fn show(
    State(state): State<AppState>,
    Path(receipt): Path<String>,
    Query(lang): Query<Lang>,
) -> ApiResult<Json<Value>> {
    let status = public_status::look_up(&state, &receipt, Language::from_code(&lang.lang)).await?;
    Ok(Json(json!({
        "receipt_number": status.receipt_number,
        "form_type": status.form_type,
        "status_title": status.title,
        "status_description": status.description,
    })))
}
