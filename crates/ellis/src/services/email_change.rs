//! Changing the sign-in email address: needs a second factor passed in the last 20 minutes; the new address
//! proves itself with a link before it takes effect; the old address is told, with a "this wasn't me" link
//! that puts it back and locks the account down.

use ellis_core::EmailAddress;
use ellis_core::events::EventKind;
use ellis_core::recovery::{EMAIL_CHANGE_LIFETIME, EMAIL_QUOTA};
use ellis_core::tokens::{random_token, token_hash};
use ellis_store::{NewToken, StoreError};

use super::alerts::{self, Alert};
use super::auth::{Authenticated, Need};
use super::{Client, ServiceError, ServiceResult, invalid, record};
use crate::AppState;
use crate::mail::{ConfirmNewEmail, first_name};

pub const CHANGE_PURPOSE: &str = "change_email";
const FROZEN: ServiceError =
    ServiceError::Conflict("contact details cannot change for 24 hours after a compromise report");

/// Sends the confirmation link to the new address. Any earlier pending change is void.
pub async fn request(state: &AppState, auth: &Authenticated, new_email: &str, client: &Client) -> ServiceResult<()> {
    auth.require(Need::FreshTwoFactor)?;
    let now = state.clock.unix();
    if auth.account.contact_frozen(now) {
        return Err(FROZEN);
    }
    let email = EmailAddress::parse(new_email).map_err(|e| invalid("email", e.to_string()))?;
    if email == auth.account.email {
        return Err(invalid("email", "This is already the address you sign in with"));
    }
    let mut tx = state.store.write().await?;
    if !alerts::within_quota(state, &mut tx, &format!("public:{}", email.as_str()), EMAIL_QUOTA).await? {
        tx.commit().await?;
        return Err(ServiceError::RateLimited { retry_after_seconds: 3600 });
    }
    tx.void_tokens(auth.account.id, &[CHANGE_PURPOSE], now).await?;
    let token = random_token(&mut rand::rng());
    let hash = token_hash(&token);
    let new = NewToken {
        hash: &hash,
        purpose: CHANGE_PURPOSE,
        account: auth.account.id,
        expires_at: now + EMAIL_CHANGE_LIFETIME.whole_seconds(),
        attempts: None,
        payload: Some(email.as_str()),
    };
    tx.issue_token(&new, now).await?;
    let message = ConfirmNewEmail {
        given_name: first_name(&auth.account.given_name),
        link: state.config.link(&format!("/confirm-email-change?token={token}")),
    }
    .compose(email.as_str())
    .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    record(&mut tx, state, auth.account.id, EventKind::EmailChangeRequested, client).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// Spends the link from the new address and makes it the sign-in address.
pub async fn confirm(state: &AppState, token: &str, client: &Client) -> ServiceResult<()> {
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let link = tx
        .consume_token_record(&token_hash(token.trim()), CHANGE_PURPOSE, now)
        .await?
        .ok_or(ServiceError::InvalidToken)?;
    let account = tx.account_for_update(link.account()).await?;
    if account.contact_frozen(now) {
        return Err(FROZEN);
    }
    let new_email = EmailAddress::parse(link.payload.as_deref().unwrap_or_default())
        .map_err(|_| anyhow::anyhow!("email change token without a valid address"))?;
    match tx.set_email(account.id, &new_email, now).await {
        Ok(()) => {}
        Err(StoreError::UniqueViolation) => {
            return Err(ServiceError::Conflict("another account signs in with that address now"));
        }
        Err(other) => return Err(other.into()),
    }
    record(&mut tx, state, account.id, EventKind::EmailChanged, client).await?;
    let alert = Alert::new(
        "Your email address was changed",
        "Your USCIS Online Account now signs in with a different email address; this message went to the old \
         one. If this wasn't you, the link below puts this address back and secures the account.",
    );
    alerts::send_to(state, &mut tx, &account, account.email.as_str(), alert, Some(account.email.as_str())).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}
