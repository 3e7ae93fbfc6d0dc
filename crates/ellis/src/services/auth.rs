//! Who is behind a request: a session token (cookie or bearer) resolved to a live session and its account,
//! and the assurance each kind of action needs.

pub use ellis_core::session::Need;
use ellis_core::session::{self, Missing};
use ellis_core::tokens::token_hash;
use ellis_store::{Account, SessionRecord};

use super::{ServiceError, ServiceResult};
use crate::AppState;

/// A live session and the account it belongs to.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub session: SessionRecord,
    pub account: Account,
}

impl Authenticated {
    /// Refuses, with what is missing, a caller whose session is not strong enough for `need`.
    pub fn require(&self, need: Need) -> ServiceResult<()> {
        session::check(self.session.assurance, self.account.setup_complete(), need).map_err(|missing| match missing {
            Missing::SecuritySetup => ServiceError::SetupRequired,
            Missing::SecondFactor => ServiceError::SecondFactorRequired,
        })
    }
}

/// Resolves a session token. Ended, idle-expired and absolutely-expired sessions are refused alike.
pub async fn authenticate(state: &AppState, token: &str) -> ServiceResult<Authenticated> {
    let session = state.store.session_by_token(&token_hash(token)).await?.ok_or(ServiceError::Unauthenticated)?;
    let now = state.clock.unix();
    if !session::is_alive(session.created_at, session.last_seen_at, now) {
        let mut tx = state.store.write().await?;
        tx.end_session(session.id, now).await?;
        tx.commit().await?;
        return Err(ServiceError::Unauthenticated);
    }
    if now - session.last_seen_at >= session::TOUCH_INTERVAL.whole_seconds() {
        state.store.touch_session(session.id, now).await?;
    }
    let account = state.store.account(session.account).await?;
    Ok(Authenticated { session, account })
}
