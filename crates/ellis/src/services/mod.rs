//! Services: one module per family of use cases, the only place where rules (ellis-core), storage
//! (ellis-store) and mail meet. Handlers and the command line call these; so do the tests.
//!
//! Error policy: every expected failure is a [`ServiceError`] variant that the web layer maps to a status
//! and a stable code in one `match`; anything unexpected is `Internal`, logged once with its cause chain
//! and shown to nobody.

pub mod alerts;
pub mod auth;
pub mod cases;
pub mod compromise;
pub mod email_change;
pub mod history;
pub mod password_change;
pub mod password_reset;
pub mod profile;
pub mod recovery;
pub mod registration;
pub mod seed;
pub mod sessions;
pub mod setup;
pub mod sign_in;
pub mod staff;
pub mod two_factor;
pub mod username;

use ellis_core::FieldErrors;
use ellis_store::StoreError;
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("the link or token is unknown, used or expired")]
    InvalidToken,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("wrong code")]
    InvalidCode,
    #[error("not signed in")]
    Unauthenticated,
    #[error("the second factor is required")]
    SecondFactorRequired,
    #[error("this change needs the second factor again: it was passed more than 20 minutes ago")]
    StepUpRequired,
    #[error("this account must be recovered: it was reported compromised or its second factors were cleared")]
    RecoveryRequired,
    #[error("wrong security answers")]
    InvalidAnswers,
    #[error("too many wrong security answers: recovery without a second factor is closed for now")]
    RecoveryClosed { until: OffsetDateTime },
    #[error("too many requests")]
    RateLimited { retry_after_seconds: i64 },
    #[error("security setup is not complete")]
    SetupRequired,
    #[error("the email address is not verified yet")]
    EmailNotVerified,
    #[error("the account is locked")]
    AccountLocked { until: Option<OffsetDateTime> },
    #[error("your role does not allow this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Who is asking, as far as the network tells: recorded in history and on sessions.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A single invalid field, for the many places that check one value.
pub(crate) fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    ServiceError::Invalid(errors)
}

/// `2026-11-26 09:41 UTC`, for emails.
pub(crate) fn format_utc(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at.format(format).unwrap_or_default()
}

pub(crate) fn unix_to_datetime(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Records one event in the account's history inside `tx`.
pub(crate) async fn record(
    tx: &mut ellis_store::Tx,
    state: &crate::AppState,
    account: ellis_core::AccountId,
    kind: ellis_core::events::EventKind,
    client: &Client,
) -> ServiceResult<()> {
    record_detail(tx, state, account, kind, client, None).await
}

/// An optional text field as given: trimmed, and absent when blank (forms send empty strings).
pub(crate) fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Records one event with a detail line (what changed, which method) in the account's history.
pub(crate) async fn record_detail(
    tx: &mut ellis_store::Tx,
    state: &crate::AppState,
    account: ellis_core::AccountId,
    kind: ellis_core::events::EventKind,
    client: &Client,
    detail: Option<&str>,
) -> ServiceResult<()> {
    tx.insert_event(&ellis_store::NewEvent {
        account,
        kind,
        at_us: state.clock.unix_micros(),
        ip: client.ip.as_deref(),
        detail,
    })
    .await?;
    Ok(())
}
