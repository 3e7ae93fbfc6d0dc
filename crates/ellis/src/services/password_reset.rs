//! Forgot password (DESIGN.md §4): an emailed link (30 minutes, single use) plus a second factor: the
//! authenticator, a backup code, or a code emailed for the link. Without any second factor, the link plus
//! a finished lost-factor recovery (services::recovery) stands in. Completing a reset sets the password,
//! ends every session, clears the lockout, voids the link, and alerts the holder; a reset that fails
//! half-way changes nothing, because it all happens in one transaction.

use ellis_core::EmailAddress;
use ellis_core::events::EventKind;
use ellis_core::password::{self, Password};
use ellis_core::recovery::{
    EMAIL_QUOTA, RESET_CODE_LIFETIME, RESET_LINK_LIFETIME, RESET_LINK_TRIES, RecoveryStage, recovery_stage,
};
use ellis_core::tokens::{random_six_digits, random_token, token_hash};
use ellis_core::totp::{TotpSecret, constant_time_eq};
use ellis_store::{Account, AccountStatus, NewToken, TokenRecord, Tx};

use super::alerts::{self, Alert};
use super::email_change::CHANGE_PURPOSE;
use super::two_factor::Method;
use super::{Client, ServiceError, ServiceResult, invalid, record};
use crate::AppState;
use crate::mail::{OneTimeCode, PasswordReset, first_name};

pub const RESET_PURPOSE: &str = "password_reset";

/// Sends a reset link if the address has an account; answers the same either way.
pub async fn request_reset(state: &AppState, email: &str, client: &Client) -> ServiceResult<()> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(());
    };
    let account = state.store.account_by_email(&email).await?.filter(|a| a.status != AccountStatus::Retired);
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    // Counted for unknown addresses too: both paths write, so timing says little, and nobody can use this
    // endpoint to flood an address.
    let within = alerts::within_quota(state, &mut tx, &format!("public:{}", email.as_str()), EMAIL_QUOTA).await?;
    let Some(account) = account.filter(|_| within) else {
        tx.commit().await?;
        return Ok(());
    };
    let token = random_token(&mut rand::rng());
    let hash = token_hash(&token);
    let new = NewToken {
        hash: &hash,
        purpose: RESET_PURPOSE,
        account: account.id,
        expires_at: now + RESET_LINK_LIFETIME.whole_seconds(),
        attempts: Some(RESET_LINK_TRIES),
        payload: None,
    };
    tx.issue_token(&new, now).await?;
    let message = PasswordReset {
        given_name: first_name(&account.given_name),
        link: state.config.link(&format!("/reset-password?token={token}")),
    }
    .compose(email.as_str())
    .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    record(&mut tx, state, account.id, EventKind::PasswordResetRequested, client).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// A live reset link and its account, read without a lock; `InvalidToken` when the link is dead.
pub(crate) async fn open_link(state: &AppState, token: &str) -> ServiceResult<(TokenRecord, Account)> {
    let hash = token_hash(token.trim());
    let link =
        state.store.peek_token(&hash, RESET_PURPOSE, state.clock.unix()).await?.ok_or(ServiceError::InvalidToken)?;
    let account = state.store.account(link.account()).await?;
    Ok((link, account))
}

/// What the reset page shows for a link: which ways to finish are open.
pub struct ResetOptions {
    /// The account has a second factor to confirm the reset with.
    pub has_second_factor: bool,
    pub compromised: bool,
    /// A lost-factor recovery in progress, and where it stands.
    pub recovery: Option<RecoveryStage>,
}

pub async fn reset_options(state: &AppState, token: &str) -> ServiceResult<ResetOptions> {
    let (_, account) = open_link(state, token).await?;
    let now = state.clock.unix();
    let recovery =
        state.store.open_recovery(account.id, now).await?.map(|r| recovery_stage(r.ready_at, r.expires_at, now));
    Ok(ResetOptions {
        has_second_factor: account.totp_secret.is_some(),
        compromised: account.status == AccountStatus::Compromised,
        recovery,
    })
}

/// Emails a 6-digit code for this link (10 minutes), replacing any earlier one.
pub async fn send_reset_code(state: &AppState, token: &str, client: &Client) -> ServiceResult<()> {
    let (link, account) = open_link(state, token).await?;
    let now = state.clock.unix();
    let code = random_six_digits(&mut rand::rng());
    let mut tx = state.store.write().await?;
    if !alerts::within_quota(state, &mut tx, &format!("public:{}", account.email.as_str()), EMAIL_QUOTA).await? {
        tx.commit().await?;
        return Err(ServiceError::RateLimited { retry_after_seconds: 3600 });
    }
    tx.set_token_code(&link.token_hash, &token_hash(&code), now + RESET_CODE_LIFETIME.whole_seconds()).await?;
    let message = OneTimeCode { given_name: first_name(&account.given_name), code, purpose: "password reset" }
        .compose(account.email.as_str())
        .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    record(&mut tx, state, account.id, EventKind::EmailCodeSent, client).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// Sets the new password. `second_factor` is required unless the account has none to give: a lost-factor
/// recovery whose wait is over, or an account that never finished security setup.
pub async fn confirm_reset(
    state: &AppState,
    token: &str,
    new_password: &str,
    second_factor: Option<(Method, &str)>,
    client: &Client,
) -> ServiceResult<()> {
    let (link, account) = open_link(state, token).await?;
    let password_hash = checked_password_hash(state, &account, new_password).await?;
    let backup_hash = match second_factor {
        Some((Method::BackupCode, code)) => super::two_factor::matching_backup_code(state, account.id, code).await?,
        _ => None,
    };

    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let link = tx.live_token(&link.token_hash, RESET_PURPOSE, now).await?.ok_or(ServiceError::InvalidToken)?;
    let account = tx.account_for_update(account.id).await?;
    let recovery = tx.open_recovery(account.id, now).await?;
    let ready_recovery =
        recovery.filter(|r| recovery_stage(r.ready_at, r.expires_at, now) == RecoveryStage::Ready).map(|r| r.id);

    match (second_factor, ready_recovery) {
        (Some(_), _) if account.status == AccountStatus::Compromised => {
            return Err(ServiceError::RecoveryRequired);
        }
        (Some((method, code)), _) => {
            if !factor_accepted(state, &mut tx, &account, &link, method, code, backup_hash.as_deref()).await? {
                tx.spend_token_try(&link.token_hash, now).await?;
                record(&mut tx, state, account.id, EventKind::PasswordResetFailed, client).await?;
                tx.commit().await?;
                return Err(ServiceError::InvalidCode);
            }
            // A factor was found after all: a recovery under way is no longer needed.
            tx.cancel_recoveries(account.id, now).await?;
            finish(state, &mut tx, &account, &link, &password_hash, EventKind::PasswordReset, client).await?;
        }
        (None, Some(recovery)) => {
            if !tx.complete_recovery(recovery, now).await? {
                return Err(ServiceError::Conflict("the recovery was cancelled meanwhile"));
            }
            tx.clear_second_factors(account.id, now).await?;
            tx.set_recovery_failures(account.id, 0, None, now).await?;
            finish(state, &mut tx, &account, &link, &password_hash, EventKind::RecoveryCompleted, client).await?;
        }
        (None, None) if account.totp_secret.is_none() && account.status == AccountStatus::Active => {
            // Setup never finished: the password was the only credential, and the link proves the email.
            finish(state, &mut tx, &account, &link, &password_hash, EventKind::PasswordReset, client).await?;
        }
        (None, None) => {
            return Err(match recovery {
                Some(_) => ServiceError::Conflict("the recovery is still in its 24-hour wait"),
                None if account.status == AccountStatus::Compromised => ServiceError::RecoveryRequired,
                None => ServiceError::SecondFactorRequired,
            });
        }
    }
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// The new password, checked like a sign-up's (length, strength against the holder's own details) and hashed.
pub(crate) async fn checked_password_hash(
    state: &AppState,
    account: &Account,
    new_password: &str,
) -> ServiceResult<String> {
    let candidate = Password::parse(new_password).map_err(|e| invalid("new_password", e.to_string()))?;
    let personal = [account.given_name.clone(), account.family_name.clone(), account.email.as_str().to_owned()];
    state
        .hasher
        .run(move || {
            let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
            password::check_strength(&candidate, &personal)
        })
        .await?
        .map_err(|e| invalid("new_password", e.to_string()))?;
    Ok(state.hasher.hash(new_password.to_owned()).await?)
}

async fn factor_accepted(
    state: &AppState,
    tx: &mut Tx,
    account: &Account,
    link: &TokenRecord,
    method: Method,
    code: &str,
    backup_hash: Option<&str>,
) -> ServiceResult<bool> {
    let now = state.clock.unix();
    Ok(match method {
        Method::Totp => {
            let Some(secret) = account.totp_secret.as_deref() else { return Ok(false) };
            let secret = TotpSecret::from_base32(secret).map_err(anyhow::Error::from)?;
            match secret.verify(code, now as u64, account.totp_last_step.map(|s| s as u64)) {
                Some(step) => tx.use_totp_step(account.id, step as i64).await?,
                None => false,
            }
        }
        Method::BackupCode => match backup_hash {
            Some(hash) => tx.use_backup_code(account.id, hash, now).await?,
            None => false,
        },
        Method::EmailCode => {
            let live = link.code_expires_at.is_some_and(|at| at > now);
            let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
            live && link
                .code_hash
                .as_deref()
                .is_some_and(|h| constant_time_eq(token_hash(&typed).as_bytes(), h.as_bytes()))
        }
    })
}

/// The common end of every successful reset, inside its transaction.
async fn finish(
    state: &AppState,
    tx: &mut Tx,
    account: &Account,
    link: &TokenRecord,
    password_hash: &str,
    kind: EventKind,
    client: &Client,
) -> ServiceResult<()> {
    let now = state.clock.unix();
    tx.consume_token_record(&link.token_hash, RESET_PURPOSE, now).await?.ok_or(ServiceError::InvalidToken)?;
    tx.void_tokens(account.id, &[RESET_PURPOSE, CHANGE_PURPOSE], now).await?;
    tx.set_password(account.id, password_hash, now).await?;
    tx.set_lockout(account.id, &ellis_core::lockout::LockoutState::cleared(), now).await?;
    tx.end_sessions(account.id, None, now).await?;
    record(tx, state, account.id, kind, client).await?;
    let explanation = if kind == EventKind::RecoveryCompleted {
        "Your account was recovered: a new password was set and its old second factors no longer work. \
         When you sign in, you will set up a new authenticator app."
    } else {
        "A new password was set with a reset link and every session was signed out."
    };
    alerts::send(state, tx, account, Alert::new("Your password was changed", explanation)).await?;
    Ok(())
}
