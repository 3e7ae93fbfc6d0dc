//! Who is behind a request: a session token (cookie or bearer) resolved to a live session and its account,
//! and the assurance each kind of action needs.

use ellis_core::session::{self, Assurance};
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

/// How strongly a request must be authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A second factor, or — while security setup is incomplete — the password alone (setup itself, and
    /// reading the profile during setup).
    TwoFactorOrSetup,
    /// A second factor, always.
    TwoFactor,
}

impl Authenticated {
    pub fn require(&self, need: Need) -> ServiceResult<()> {
        if self.session.assurance == Assurance::TwoFactor {
            return Ok(());
        }
        match (need, self.account.setup_complete()) {
            (Need::TwoFactorOrSetup, false) => Ok(()),
            (Need::TwoFactor, false) => Err(ServiceError::SetupRequired),
            (_, true) => Err(ServiceError::SecondFactorRequired),
        }
    }

    /// What the holder must do next: `security_setup`, `second_factor` or `none`.
    pub fn next_step(&self) -> &'static str {
        next_step(self.session.assurance, self.account.setup_complete())
    }
}

pub fn next_step(assurance: Assurance, setup_complete: bool) -> &'static str {
    match (setup_complete, assurance) {
        (false, _) => "security_setup",
        (true, Assurance::Password) => "second_factor",
        (true, Assurance::TwoFactor) => "none",
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
