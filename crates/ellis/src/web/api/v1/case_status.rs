//! `GET /api/v1/case-status/{receipt}` (`?lang=es` for Spanish): the public status look-up, limited per IP.

use axum::Json;
use axum::extract::{Path, Query, State};
use ellis_core::status::Language;
use serde::{Deserialize, Serialize};

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
) -> ApiResult<Json<StatusJson>> {
    let status = public_status::look_up(&state, &receipt, Language::from_code(&lang.lang)).await?;
    Ok(Json(StatusJson {
        receipt_number: status.receipt_number,
        form_type: status.form_type,
        status_title: status.title,
        status_description: status.description,
    }))
}

#[derive(Serialize)]
pub struct StatusJson {
    receipt_number: String,
    form_type: String,
    status_title: String,
    status_description: String,
}
