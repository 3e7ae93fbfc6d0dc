//! Password sign-in, with the lockout of DESIGN.md §4 counted inside the account's row lock, and sign-out.

use ellis_core::EmailAddress;
use ellis_core::events::EventKind;
use ellis_core::lockout::LockoutState;
use ellis_core::session::{ABSOLUTE_LIMIT, Assurance};
use ellis_core::tokens::{random_public_id, random_token, token_hash};
use ellis_store::{AccountStatus, NewSession};
use time::OffsetDateTime;

use super::auth::Authenticated;
use super::{Client, ServiceError, ServiceResult, record, unix_to_datetime};
use crate::AppState;

/// A new session: the bearer/cookie token is shown once, here.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub expires_at: OffsetDateTime,
    pub assurance: Assurance,
    pub next: &'static str,
}

pub async fn sign_in(state: &AppState, email: &str, password: &str, client: &Client) -> ServiceResult<SignedIn> {
    let account = match EmailAddress::parse(email) {
        Ok(email) => state.store.account_by_email(&email).await?,
        Err(_) => None,
    };
    let Some(account) = account else {
        // Unknown addresses cost one hash too, so timing does not tell which addresses have accounts.
        state.hasher.verify_dummy(password.to_owned()).await?;
        return Err(ServiceError::InvalidCredentials);
    };
    let right_password = state.hasher.verify(password.to_owned(), account.password_hash.clone()).await?;

    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    // Read the counters under the row lock: parallel guesses, on any instance, are counted one at a time.
    let account = tx.account_for_update(account.id).await?;
    if !right_password {
        count_failure(state, &mut tx, &account, EventKind::SignInFailed, client).await?;
        tx.commit().await?;
        return Err(ServiceError::InvalidCredentials);
    }
    if account.lockout.is_locked(now) {
        record(&mut tx, state, account.id, EventKind::SignInWhileLocked, client).await?;
        tx.commit().await?;
        return Err(ServiceError::AccountLocked { until: account.lockout.lock_ends(now).map(unix_to_datetime) });
    }
    if account.status == AccountStatus::Retired {
        tx.commit().await?;
        return Err(ServiceError::InvalidCredentials);
    }
    if account.status == AccountStatus::Compromised {
        tx.commit().await?;
        return Err(ServiceError::RecoveryRequired);
    }
    if account.lockout != LockoutState::cleared() {
        tx.set_lockout(account.id, &LockoutState::cleared(), now).await?;
    }
    if !account.email_verified {
        tx.commit().await?;
        return Err(ServiceError::EmailNotVerified);
    }

    let (token, public_id) = {
        let mut rng = rand::rng();
        (random_token(&mut rng), random_public_id(&mut rng))
    };
    let session = NewSession {
        token_hash: &token_hash(&token),
        public_id: &public_id,
        account: account.id,
        assurance: Assurance::Password,
        ip: client.ip.as_deref(),
        user_agent: client.user_agent.as_deref(),
    };
    tx.insert_session(&session, now).await?;
    record(&mut tx, state, account.id, EventKind::SignedIn, client).await?;
    tx.commit().await?;
    Ok(SignedIn {
        token,
        expires_at: unix_to_datetime(now + ABSOLUTE_LIMIT.whole_seconds()),
        assurance: Assurance::Password,
        next: ellis_core::session::next_step(Assurance::Password, account.setup_complete()),
    })
}

/// Counts one wrong password or code against the lockout (DESIGN.md §4, docs/adr/0002) and records it,
/// plus the lock it may start, in the account's history. `account` must have been read in `tx`.
pub(crate) async fn count_failure(
    state: &AppState,
    tx: &mut ellis_store::Tx,
    account: &ellis_store::Account,
    kind: EventKind,
    client: &Client,
) -> ServiceResult<()> {
    let now = state.clock.unix();
    let (lockout, locked_now) = account.lockout.after_failure(now);
    tx.set_lockout(account.id, &lockout, now).await?;
    record(tx, state, account.id, kind, client).await?;
    if locked_now {
        record(tx, state, account.id, EventKind::AccountLocked, client).await?;
        let until = lockout.lock_ends(now).map(|t| super::format_utc(unix_to_datetime(t)));
        let explanation = match until {
            Some(until) => format!(
                "After several wrong passwords or codes, your account is locked until {until}. A password reset \
                 unlocks it at once."
            ),
            None => "After 100 wrong passwords or codes in a row, your account stays locked until the password is \
                     reset."
                .to_owned(),
        };
        super::alerts::send(state, tx, account, super::alerts::Alert::new("Your account was locked", explanation))
            .await?;
    }
    Ok(())
}

/// Ends the caller's own session.
pub async fn sign_out(state: &AppState, auth: &Authenticated, client: &Client) -> ServiceResult<()> {
    let mut tx = state.store.write().await?;
    if tx.end_session(auth.session.id, state.clock.unix()).await? {
        record(&mut tx, state, auth.account.id, EventKind::SignedOut, client).await?;
    }
    tx.commit().await?;
    Ok(())
}
