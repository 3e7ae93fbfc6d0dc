//! JSON bodies for the API: 415 for another content type, 413 past the body limit, 400 for malformed JSON,
//! 422 naming the field for unknown fields, missing fields and wrong types.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use ellis_core::FieldErrors;
use serde::de::DeserializeOwned;

use crate::services::ServiceError;
use crate::web::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::MalformedJson("the request body could not be read".to_owned())
            }
        })?;
        parse(&bytes).map(Self)
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = inner.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
                // serde's path already ends in an unknown field's name; a missing field is named only in the
                // message, in backticks, under the path of its parent object.
                let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
                let field = match (missing, path.as_str()) {
                    (Some(name), ".") => name.to_owned(),
                    (Some(name), parent) => format!("{parent}.{name}"),
                    (None, path) => path.to_owned(),
                };
                let mut errors = FieldErrors::new();
                errors.add(&field, message);
                ApiError::Service(ServiceError::Invalid(errors))
            }
            _ => ApiError::MalformedJson(format!("the body is not valid JSON: {inner}")),
        }
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::MalformedJson(format!("trailing characters after the JSON value: {e}")))?;
    Ok(value)
}
