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
    /// When the session was checked (unix seconds): the instant freshness rules are judged at.
    pub checked_at: i64,
}

impl Authenticated {
    /// Refuses, with what is missing, a caller whose session is not strong enough for `need`.
    pub fn require(&self, need: Need) -> ServiceResult<()> {
        let (assurance, setup, second_factor_at) =
            (self.session.assurance, self.account.setup_complete(), self.session.second_factor_at);
        session::check_at(assurance, setup, need, second_factor_at, self.checked_at).map_err(|missing| match missing {
            Missing::SecuritySetup => ServiceError::SetupRequired,
            Missing::SecondFactor => ServiceError::SecondFactorRequired,
            Missing::FreshSecondFactor => ServiceError::StepUpRequired,
        })
    }
}

/// Resolves a session token. Ended, idle-expired and absolutely-expired sessions are refused alike.
pub async fn authenticate(state: &AppState, token: &str) -> ServiceResult<Authenticated> {
    let (session, account) =
        state.store.session_with_account(&token_hash(token)).await?.ok_or(ServiceError::Unauthenticated)?;
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
    Ok(Authenticated { session, account, checked_at: now })
}
