//! `GET /api/v1/notices/{id}/pdf` (the owner's notice as PDF) and `GET /api/v1/notices/verify/{code}`
//! (anyone: which notice a printed verification code belongs to).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::AppState;
use crate::services::cases::notices;
use crate::web::error::ApiResult;
use crate::web::extract::ApiAuth;

pub async fn pdf(State(state): State<AppState>, ApiAuth(auth): ApiAuth, Path(id): Path<String>) -> ApiResult<Response> {
    let (file_name, bytes) = notices::pdf(&state, &auth, &id).await?;
    Ok(pdf_response(&file_name, bytes))
}

/// A PDF download (API and pages alike).
pub fn pdf_response(file_name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("inline; filename=\"{file_name}\"");
    ([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

pub async fn verify(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<Value>> {
    let verified = notices::verify(&state, &code).await?;
    Ok(Json(json!({
        "form": verified.form,
        "kind": verified.kind,
        "receipt_number": verified.receipt_number,
        "notice_date": verified.notice_date,
    })))
}
