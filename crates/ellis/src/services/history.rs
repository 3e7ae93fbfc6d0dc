//! Account history as the holder reads it.

use ellis_core::events::EventKind;
use ellis_store::EventRecord;
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
    Ok(events.into_iter().map(HistoryEntry::from).collect())
}

impl From<EventRecord> for HistoryEntry {
    fn from(event: EventRecord) -> Self {
        Self {
            at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(event.at_us) * 1000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            sentence: EventKind::parse(&event.kind).map_or("Account event", EventKind::sentence),
            kind: event.kind,
            ip: event.ip,
            detail: event.detail,
        }
    }
}

/// One event of a download, oldest first, with the hash that chains it to the one before.
pub struct ExportedEvent {
    pub seq: i64,
    pub entry: HistoryEntry,
    pub hash: Option<String>,
}

/// The whole history, oldest first, for the holder to keep: with the hashes, a kept copy shows later whether
/// anything in the stored history changed.
pub async fn export(state: &AppState, auth: &Authenticated) -> ServiceResult<Vec<ExportedEvent>> {
    auth.require(Need::TwoFactor)?;
    let events = state.store.event_chain(auth.account.id).await?;
    Ok(events
        .into_iter()
        .map(|event| ExportedEvent { seq: event.seq, hash: event.hash.clone(), entry: HistoryEntry::from(event) })
        .collect())
}

/// A broken history chain: whose, and where.
pub struct BrokenChain {
    pub account: ellis_core::AccountId,
    pub account_number: Option<ellis_core::AccountNumber>,
    pub broken: ellis_core::events::BrokenLink,
}

/// Verifies every account's history chain; returns how many accounts were checked and the broken ones.
pub async fn verify_all(store: &ellis_store::Store) -> ServiceResult<(usize, Vec<BrokenChain>)> {
    let accounts = store.accounts_with_events().await?;
    let mut broken = Vec::new();
    for id in &accounts {
        let events = store.event_chain(*id).await?;
        let links = events.iter().map(|e| (e.link(*id), e.hash.as_deref()));
        if let Some(link) = ellis_core::events::verify_chain(links) {
            let account_number = store.account(*id).await?.account_number;
            broken.push(BrokenChain { account: *id, account_number, broken: link });
        }
    }
    Ok((accounts.len(), broken))
}
