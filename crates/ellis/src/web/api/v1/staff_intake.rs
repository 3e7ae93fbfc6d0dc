//! `POST /api/v1/staff/paper-cases` (officers): receive a paper filing, as `ellis case intake` does.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ellis_core::receipt_number::PaperLayout;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::services::cases::intake::{self, PaperFiling};
use crate::services::invalid;
use crate::web::api::v1::notices::pdf_response;
use crate::web::error::ApiResult;
use crate::web::extract::{ApiJson, ClientInfo, Officers, StaffApi};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperCase {
    #[serde(default)]
    form_type: String,
    #[serde(default)]
    prefix: String,
    /// `service_center` (default) or `lockbox`.
    layout: Option<String>,
    #[serde(default)]
    applicant: Map<String, Value>,
    account_number: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffApi(auth, _): StaffApi<Officers>,
    ApiJson(body): ApiJson<PaperCase>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let layout = match body.layout.as_deref().unwrap_or("service_center") {
        "service_center" => PaperLayout::ServiceCenter,
        "lockbox" => PaperLayout::Lockbox,
        _ => return Err(invalid("layout", "Use service_center or lockbox").into()),
    };
    let paper = PaperFiling {
        form_type: body.form_type,
        prefix: body.prefix,
        layout,
        fields: body.applicant,
        account_number: body.account_number,
        received_by: Some(auth.member.id),
    };
    let done = intake::intake(&state, paper, &client).await?;
    let notices: Vec<Value> = done.mailed.iter().map(|(id, _)| json!({"id": id})).collect();
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "receipt_number": done.receipt_number.as_str(),
            "access_code": done.access_code.map(|c| c.to_string()),
            "notices": notices,
        })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailCopy {
    #[serde(default)]
    access_code: String,
}

/// `POST /api/v1/staff/notices/{id}/mail-copy`: the Account Access Notice with its code printed (PDF).
pub async fn mail_copy(
    State(state): State<AppState>,
    StaffApi(auth, _): StaffApi<Officers>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MailCopy>,
) -> ApiResult<Response> {
    let (file_name, bytes) = intake::mail_copy(&state, &auth, &id, &body.access_code).await?;
    Ok(pdf_response(&file_name, bytes))
}
