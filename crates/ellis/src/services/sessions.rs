//! The holder's view of their own sessions: list them, end one, end all the others.

use ellis_core::events::EventKind;
use ellis_core::session;
use ellis_store::SessionRecord;

use super::auth::{Authenticated, Need};
use super::{Client, ServiceError, ServiceResult, record};
use crate::AppState;

/// Open, unexpired sessions, newest first, and whether each is the caller's.
pub async fn list(state: &AppState, auth: &Authenticated) -> ServiceResult<Vec<(SessionRecord, bool)>> {
    auth.require(Need::TwoFactor)?;
    let now = state.clock.unix();
    Ok(state
        .store
        .open_sessions(auth.account.id)
        .await?
        .into_iter()
        .filter(|s| session::is_alive(s.created_at, s.last_seen_at, now))
        .map(|s| {
            let current = s.id == auth.session.id;
            (s, current)
        })
        .collect())
}

pub async fn end(state: &AppState, auth: &Authenticated, public_id: &str, client: &Client) -> ServiceResult<()> {
    auth.require(Need::TwoFactor)?;
    let mut tx = state.store.write().await?;
    if !tx.end_session_by_public_id(auth.account.id, public_id, state.clock.unix()).await? {
        return Err(ServiceError::NotFound);
    }
    record(&mut tx, state, auth.account.id, EventKind::SessionEnded, client).await?;
    tx.commit().await?;
    Ok(())
}

/// Signs out every session but the caller's ("sign out everywhere else"); returns how many ended.
pub async fn end_others(state: &AppState, auth: &Authenticated, client: &Client) -> ServiceResult<u64> {
    auth.require(Need::TwoFactor)?;
    let mut tx = state.store.write().await?;
    let ended = tx.end_sessions(auth.account.id, Some(auth.session.id), state.clock.unix()).await?;
    record(&mut tx, state, auth.account.id, EventKind::OtherSessionsEnded, client).await?;
    tx.commit().await?;
    Ok(ended)
}
