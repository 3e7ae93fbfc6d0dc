//! `POST /api/v1/cases/{receipt}/evidence` (multipart: one or more `file` parts and an optional `note`)
//! answers a request for evidence; `GET` lists what was sent; `GET /api/v1/evidence/{id}` downloads a file.

use axum::Json;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ellis_core::evidence::MAX_FILE_BYTES;
use ellis_store::EvidenceRecord;
use serde_json::{Value, json};

use crate::AppState;
use crate::services::cases::evidence::{self, Upload};
use crate::services::{invalid, unix_to_datetime};
use crate::web::error::{ApiError, ApiResult};
use crate::web::extract::ApiAuth;

fn record_json(record: &EvidenceRecord) -> Value {
    let at = unix_to_datetime(record.uploaded_at).format(&time::format_description::well_known::Rfc3339);
    json!({
        "id": record.public_id,
        "file_name": record.file_name,
        "content_type": record.content_type,
        "size_bytes": record.size_bytes,
        "note": record.note,
        "uploaded_at": at.unwrap_or_default(),
    })
}

fn upload_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::MalformedUpload(error.body_text())
    }
}

/// Reads the `file` parts and the `note`; a file over the limit is refused as soon as it is seen.
pub async fn read_upload(mut multipart: Multipart) -> Result<(Vec<Upload>, Option<String>), ApiError> {
    let mut files = Vec::new();
    let mut note = None;
    while let Some(mut field) = multipart.next_field().await.map_err(upload_error)? {
        match field.name() {
            Some("file") => {
                let file_name = field.file_name().unwrap_or("evidence").to_owned();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(upload_error)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_FILE_BYTES {
                        return Err(invalid(&format!("files[{}]", files.len()), "A file may be at most 10 MB").into());
                    }
                }
                files.push(Upload { file_name, bytes });
            }
            Some("note") => note = Some(field.text().await.map_err(upload_error)?),
            _ => {}
        }
    }
    Ok((files, note))
}

pub async fn respond(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(receipt): Path<String>,
    multipart: Multipart,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (files, note) = read_upload(multipart).await?;
    let stored = evidence::respond(&state, &auth, &receipt, files, note.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(json!({"files": stored.iter().map(record_json).collect::<Vec<_>>()}))))
}

pub async fn list(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(receipt): Path<String>,
) -> ApiResult<Json<Value>> {
    let files = evidence::list(&state, &auth, &receipt).await?;
    Ok(Json(files.iter().map(record_json).collect()))
}

pub async fn download(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (record, bytes) = evidence::download(&state, &auth, &id).await?;
    Ok(file_response(&record, bytes))
}

/// A stored file as an attachment, with its sniffed type (API and pages alike).
pub fn file_response(record: &EvidenceRecord, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", record.file_name);
    ([(header::CONTENT_TYPE, record.content_type.clone()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}
