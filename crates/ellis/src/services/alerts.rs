//! Security alerts by email (DESIGN.md §4): what happened, with no personal data beyond the first name, and
//! a "this wasn't me" link (10 days) that locks the account down; and the per-address quota that keeps the
//! public endpoints from being used to flood someone's inbox.

use ellis_core::recovery::{ALERT_LINK_LIFETIME, EMAIL_QUOTA_WINDOW};
use ellis_core::tokens::{random_token, token_hash};
use ellis_store::{Account, NewToken, Tx};

use super::ServiceResult;
use crate::AppState;
use crate::mail::{SecurityAlert, first_name};

/// The purpose of "this wasn't me" tokens; their payload, when set, is an email address to restore.
pub const NOT_ME_PURPOSE: &str = "report_compromise";

/// One alert: its subject line and what it explains.
pub struct Alert {
    pub headline: &'static str,
    pub explanation: String,
    /// Whether the alert carries a "this wasn't me" link.
    pub not_me: bool,
}

impl Alert {
    pub fn new(headline: &'static str, explanation: impl Into<String>) -> Self {
        Self { headline, explanation: explanation.into(), not_me: true }
    }

    /// An alert that only informs (the holder cannot usefully answer "not me", e.g. after a lockdown).
    pub fn notice(headline: &'static str, explanation: impl Into<String>) -> Self {
        Self { headline, explanation: explanation.into(), not_me: false }
    }
}

/// Queues an alert to the account's address inside `tx`.
pub async fn send(state: &AppState, tx: &mut Tx, account: &Account, alert: Alert) -> ServiceResult<()> {
    send_to(state, tx, account, account.email.as_str(), alert, None).await
}

/// Queues an alert to `address`. `restore_email`, carried by the "not me" link, is the address the account
/// goes back to if the holder answers "not me" (an email change reported by the old address).
pub async fn send_to(
    state: &AppState,
    tx: &mut Tx,
    account: &Account,
    address: &str,
    alert: Alert,
    restore_email: Option<&str>,
) -> ServiceResult<()> {
    let now = state.clock.unix();
    let not_me_link = if alert.not_me {
        let token = random_token(&mut rand::rng());
        let hash = token_hash(&token);
        let expires_at = now + ALERT_LINK_LIFETIME.whole_seconds();
        let new = NewToken {
            hash: &hash,
            purpose: NOT_ME_PURPOSE,
            account: account.id,
            expires_at,
            attempts: None,
            payload: restore_email,
        };
        tx.issue_token(&new, now).await?;
        Some(state.config.link(&format!("/report-compromise?token={token}")))
    } else {
        None
    };
    let message = SecurityAlert {
        given_name: first_name(&account.given_name),
        headline: alert.headline,
        explanation: alert.explanation,
        not_me_link,
    }
    .compose(address)
    .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    Ok(())
}

/// Counts one email to `key` and says whether it is within `limit` for the current window. The count is
/// kept in the database, so every instance shares it.
pub async fn within_quota(state: &AppState, tx: &mut Tx, key: &str, limit: i64) -> ServiceResult<bool> {
    let sent = tx.count_email(key, state.clock.unix(), EMAIL_QUOTA_WINDOW.whole_seconds()).await?;
    if sent > limit {
        tracing::warn!(quota.key_kind = key.split(':').next().unwrap_or(""), "email quota reached; email not sent");
    }
    Ok(sent <= limit)
}
