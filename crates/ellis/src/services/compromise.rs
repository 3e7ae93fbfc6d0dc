//! Reporting a compromised account (DESIGN.md §4), by the holder while signed in or from the "this wasn't
//! me" link of any security alert. Every session (and so every API token) ends, the authenticator and
//! backup codes stop working, pending resets and recoveries are void, contact details are frozen for
//! 24 hours, and the holder is told how to get back in: the lost-factor recovery, with its 24-hour wait.
//! The wait is not skipped for a compromised account, because anyone holding the mailbox could otherwise
//! report a compromise just to skip it (docs/adr/0004).

use ellis_core::events::EventKind;
use ellis_core::recovery::CONTACT_FREEZE;
use ellis_core::tokens::token_hash;
use ellis_core::{AccountId, EmailAddress};
use ellis_store::{StoreError, Tx};

use super::alerts::{self, Alert, NOT_ME_PURPOSE};
use super::auth::Authenticated;
use super::email_change::CHANGE_PURPOSE;
use super::password_reset::RESET_PURPOSE;
use super::{Client, ServiceError, ServiceResult, record, record_detail};
use crate::AppState;

/// The holder reports their own account (any signed-in session: someone who has the password is reason
/// enough).
pub async fn report(state: &AppState, auth: &Authenticated, client: &Client) -> ServiceResult<()> {
    let mut tx = state.store.write().await?;
    lock_down(state, &mut tx, auth.account.id, client, "Reported by the holder while signed in").await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// The "this wasn't me" link. When the alert was about an email change, the old address comes back too.
pub async fn report_from_link(state: &AppState, token: &str, client: &Client) -> ServiceResult<()> {
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let link = tx
        .consume_token_record(&token_hash(token.trim()), NOT_ME_PURPOSE, now)
        .await?
        .ok_or(ServiceError::InvalidToken)?;
    let old_address = link.payload.as_deref().and_then(|p| EmailAddress::parse(p).ok());
    if let Some(old) = old_address {
        let account = tx.account_for_update(link.account()).await?;
        // Restored only while no other account took the old address meanwhile; the lockdown happens anyway.
        let free = !tx.email_taken_by_other(&old, account.id).await?;
        if account.email != old && free {
            match tx.set_email(link.account(), &old, now).await {
                Ok(()) => record(&mut tx, state, link.account(), EventKind::EmailRestored, client).await?,
                Err(StoreError::UniqueViolation) => return Err(ServiceError::Conflict("try the link again")),
                Err(other) => return Err(other.into()),
            }
        }
    }
    lock_down(state, &mut tx, link.account(), client, "Reported from a security alert").await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// The effects of a compromise report, inside the caller's transaction (also for the support desk).
pub async fn lock_down(state: &AppState, tx: &mut Tx, id: AccountId, client: &Client, how: &str) -> ServiceResult<()> {
    let now = state.clock.unix();
    tx.mark_compromised(id, now, now + CONTACT_FREEZE.whole_seconds()).await?;
    tx.end_sessions(id, None, now).await?;
    tx.clear_second_factors(id, now).await?;
    tx.cancel_recoveries(id, now).await?;
    tx.void_tokens(id, &[RESET_PURPOSE, CHANGE_PURPOSE, super::recovery::CANCEL_PURPOSE], now).await?;
    record_detail(tx, state, id, EventKind::CompromiseReported, client, Some(how)).await?;
    let account = tx.account_for_update(id).await?;
    let alert = Alert::notice(
        "Your account was secured after a compromise report",
        "Every session was signed out, and your password, authenticator app and backup codes no longer work. \
         To get back in, choose \"Forgot password\" on the sign-in page: you will confirm this email address \
         and your security answers, and after a 24-hour wait set a new password and a new authenticator app. \
         Your contact details cannot be changed for 24 hours.",
    );
    alerts::send(state, tx, &account, alert).await?;
    Ok(())
}
