//! How failures look over HTTP. The JSON API answers RFC 9457 problem documents with a stable `code`
//! (API.md); every status is chosen in [`ApiError::problem`]'s one `match`. Internal errors are logged
//! here, once, with their cause chain, and the client sees a bare 500.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ellis_core::FieldError;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use crate::services::ServiceError;

/// An API failure: a service's error, or one found before any service ran.
#[derive(Debug)]
pub enum ApiError {
    Service(ServiceError),
    MalformedJson(String),
    /// A multipart upload that could not be read.
    MalformedUpload(String),
    UnsupportedMediaType,
    PayloadTooLarge,
    RouteNotFound,
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        Self::Service(error)
    }
}

#[derive(Serialize)]
struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: String,
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<FieldError>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locked_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_until: Option<String>,
    #[serde(skip)]
    retry_after: Option<i64>,
}

impl ApiError {
    fn problem(self) -> (StatusCode, Problem) {
        let mut closed_until = None;
        let mut retry_after = None;
        let (status, code, title, detail, errors, locked_until) = match self {
            Self::MalformedJson(detail) => {
                (StatusCode::BAD_REQUEST, "malformed_json", "Malformed JSON", detail, None, None)
            }
            Self::MalformedUpload(detail) => {
                (StatusCode::BAD_REQUEST, "malformed_upload", "Malformed upload", detail, None, None)
            }
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                "send the body as application/json".to_owned(),
                None,
                None,
            ),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Request body too large",
                "the request body is larger than this server accepts".to_owned(),
                None,
                None,
            ),
            Self::RouteNotFound => {
                (StatusCode::NOT_FOUND, "not_found", "Not found", "no such resource".to_owned(), None, None)
            }
            Self::Service(error) => match error {
                ServiceError::Invalid(fields) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_fields",
                    "Invalid fields",
                    "some fields are not valid; see errors".to_owned(),
                    Some(fields.into_vec()),
                    None,
                ),
                ServiceError::InvalidToken => simple(StatusCode::BAD_REQUEST, "invalid_token", "Invalid token", &error),
                ServiceError::InvalidCredentials => {
                    simple(StatusCode::UNAUTHORIZED, "invalid_credentials", "Wrong email or password", &error)
                }
                ServiceError::InvalidCode => simple(StatusCode::UNAUTHORIZED, "invalid_code", "Wrong code", &error),
                ServiceError::Unauthenticated => {
                    simple(StatusCode::UNAUTHORIZED, "unauthenticated", "Not signed in", &error)
                }
                ServiceError::SecondFactorRequired => {
                    simple(StatusCode::FORBIDDEN, "second_factor_required", "Second factor required", &error)
                }
                ServiceError::SetupRequired => {
                    simple(StatusCode::FORBIDDEN, "setup_required", "Security setup required", &error)
                }
                ServiceError::EmailNotVerified => {
                    simple(StatusCode::FORBIDDEN, "email_not_verified", "Email address not verified", &error)
                }
                ServiceError::AccountLocked { until } => {
                    let until = until.and_then(|t| t.format(&Rfc3339).ok());
                    let (status, code, title, detail, _, _) =
                        simple(StatusCode::FORBIDDEN, "account_locked", "Account locked", &error);
                    (status, code, title, detail, None, until)
                }
                ServiceError::StepUpRequired => {
                    simple(StatusCode::FORBIDDEN, "step_up_required", "Second factor needed again", &error)
                }
                ServiceError::RecoveryRequired => {
                    simple(StatusCode::FORBIDDEN, "recovery_required", "Account recovery required", &error)
                }
                ServiceError::InvalidAnswers => {
                    simple(StatusCode::UNAUTHORIZED, "invalid_answers", "Wrong security answers", &error)
                }
                ServiceError::RecoveryClosed { until } => {
                    closed_until = until.format(&Rfc3339).ok();
                    simple(StatusCode::FORBIDDEN, "recovery_closed", "Recovery closed for now", &error)
                }
                ServiceError::RateLimited { retry_after_seconds } => {
                    retry_after = Some(retry_after_seconds.max(1));
                    simple(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many requests", &error)
                }
                ServiceError::Forbidden => simple(StatusCode::FORBIDDEN, "forbidden", "Forbidden", &error),
                ServiceError::NotFound => simple(StatusCode::NOT_FOUND, "not_found", "Not found", &error),
                ServiceError::Conflict(_) => simple(StatusCode::CONFLICT, "conflict", "Conflict", &error),
                ServiceError::Internal(cause) => {
                    tracing::error!(error = %format!("{cause:#}"), "internal error");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "Internal error",
                        "something went wrong on our side; nothing was changed".to_owned(),
                        None,
                        None,
                    )
                }
            },
        };
        let problem = Problem {
            kind: format!("urn:ellis:problem:{code}"),
            title,
            status: status.as_u16(),
            detail,
            code,
            errors,
            locked_until,
            closed_until,
            retry_after,
        };
        (status, problem)
    }
}

type Parts = (StatusCode, &'static str, &'static str, String, Option<Vec<FieldError>>, Option<String>);

fn simple(status: StatusCode, code: &'static str, title: &'static str, error: &ServiceError) -> Parts {
    (status, code, title, error.to_string(), None, None)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, problem) = self.problem();
        let retry_after = problem.retry_after;
        let mut response = (status, Json(problem)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
