//! Changing the password while signed in: the current password and a second factor passed in the last
//! 20 minutes. Every other session ends, and the holder is alerted.

use ellis_core::events::EventKind;

use super::alerts::{self, Alert};
use super::auth::{Authenticated, Need};
use super::{Client, ServiceError, ServiceResult, invalid, record};
use crate::AppState;

pub async fn change(
    state: &AppState,
    auth: &Authenticated,
    current_password: &str,
    new_password: &str,
    client: &Client,
) -> ServiceResult<()> {
    auth.require(Need::FreshTwoFactor)?;
    if !state.hasher.verify(current_password.to_owned(), auth.account.password_hash.clone()).await? {
        return Err(invalid("current_password", "This is not your current password"));
    }
    let account = &auth.account;
    let hash = super::password_reset::checked_password_hash(state, account, new_password).await?;
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let current = tx.account_for_update(account.id).await?;
    if current.password_hash != account.password_hash {
        return Err(ServiceError::Conflict("the password changed meanwhile: sign in again"));
    }
    tx.set_password(account.id, &hash, now).await?;
    tx.end_sessions(account.id, Some(auth.session.id), now).await?;
    record(&mut tx, state, account.id, EventKind::PasswordChanged, client).await?;
    let alert = Alert::new(
        "Your password was changed",
        "The password of your USCIS Online Account was changed while signed in, and every other session was \
         signed out.",
    );
    alerts::send(state, &mut tx, account, alert).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}
