//! Account history as the holder reads it.

use ellis_core::events::EventKind;
use time::OffsetDateTime;

use super::ServiceResult;
use super::auth::{Authenticated, Need};
use crate::AppState;

const SHOWN: i64 = 500;

pub struct HistoryEntry {
    pub at: OffsetDateTime,
    pub kind: String,
    pub sentence: &'static str,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

pub async fn history(state: &AppState, auth: &Authenticated) -> ServiceResult<Vec<HistoryEntry>> {
    auth.require(Need::TwoFactor)?;
    let events = state.store.events(auth.account.id, SHOWN).await?;
    Ok(events
        .into_iter()
        .map(|event| HistoryEntry {
            at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(event.at_us) * 1000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            sentence: EventKind::parse(&event.kind).map_or("Account event", EventKind::sentence),
            kind: event.kind,
            ip: event.ip,
            detail: event.detail,
        })
        .collect())
}
