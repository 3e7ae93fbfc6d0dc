//! The second factor at sign-in: an authenticator code, a backup code, or a code sent by email. A wrong code
//! counts against the account's lockout like a wrong password, so codes cannot be guessed at leisure.

use ellis_core::backup_codes;
use ellis_core::events::EventKind;
use ellis_core::tokens::{random_six_digits, random_token, token_hash};
use ellis_core::totp::{TotpSecret, constant_time_eq};
use time::Duration;

use super::auth::Authenticated;
use super::{Client, ServiceError, ServiceResult, alerts, invalid, record, record_detail, unix_to_datetime};
use crate::AppState;
use crate::mail::{OneTimeCode, first_name};

pub const EMAIL_CODE_LIFETIME: Duration = Duration::minutes(10);
pub const EMAIL_CODE_ATTEMPTS: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Totp,
    BackupCode,
    EmailCode,
}

impl Method {
    pub fn parse(text: &str) -> ServiceResult<Self> {
        match text {
            "totp" => Ok(Self::Totp),
            "backup_code" => Ok(Self::BackupCode),
            "email_code" => Ok(Self::EmailCode),
            _ => Err(invalid("method", "Choose totp, backup_code or email_code")),
        }
    }
}

/// Raises the session to two-factor assurance. With `rotate`, the session gets a new token (returned),
/// as a cookie session must at every step-up; see docs/adr/0001 for why bearer tokens keep theirs.
pub async fn pass_second_factor(
    state: &AppState,
    auth: &Authenticated,
    method: Method,
    code: &str,
    rotate: bool,
    client: &Client,
) -> ServiceResult<Option<String>> {
    if !auth.account.setup_complete() {
        return Err(ServiceError::SetupRequired);
    }
    // Backup codes are Argon2id hashes: find the matching one before taking the row lock.
    let backup_hash = match method {
        Method::BackupCode => matching_backup_code(state, auth.account.id, code).await?,
        _ => None,
    };
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let account = tx.account_for_update(auth.account.id).await?;
    if account.lockout.is_locked(now) {
        tx.commit().await?;
        return Err(ServiceError::AccountLocked { until: account.lockout.lock_ends(now).map(unix_to_datetime) });
    }
    let accepted = match method {
        Method::Totp => {
            let secret = TotpSecret::from_base32(account.totp_secret.as_deref().unwrap_or_default())
                .map_err(anyhow::Error::from)?;
            let last = account.totp_last_step.map(|s| s as u64);
            match secret.verify(code, now as u64, last) {
                Some(step) => tx.use_totp_step(account.id, step as i64).await?,
                None => false,
            }
        }
        Method::BackupCode => match &backup_hash {
            Some(hash) => {
                let used = tx.use_backup_code(account.id, hash, now).await?;
                if used {
                    record(&mut tx, state, account.id, EventKind::BackupCodeUsed, client).await?;
                }
                used
            }
            None => false,
        },
        Method::EmailCode => match tx.take_email_code_attempt(auth.session.id, now).await? {
            Some(expected) => {
                let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
                let matched = constant_time_eq(token_hash(&typed).as_bytes(), expected.as_bytes());
                if matched {
                    tx.delete_email_code(auth.session.id).await?;
                }
                matched
            }
            None => false,
        },
    };
    if !accepted {
        super::sign_in::count_failure(state, &mut tx, &account, EventKind::SecondFactorFailed, client).await?;
        tx.commit().await?;
        return Err(ServiceError::InvalidCode);
    }
    let new_token = rotate.then(|| random_token(&mut rand::rng()));
    tx.raise_session(auth.session.id, new_token.as_deref().map(token_hash).as_deref(), now).await?;
    let cleared = ellis_core::lockout::LockoutState::cleared();
    if account.lockout != cleared {
        tx.set_lockout(account.id, &cleared, now).await?;
    }
    record_detail(&mut tx, state, account.id, EventKind::SecondFactorPassed, client, Some(method_name(method))).await?;
    // Announced once per session, at its first second factor (a later step-up is the same device).
    let first_in_session = auth.session.second_factor_at.is_none();
    if first_in_session && !tx.known_device(account.id, client.user_agent.as_deref(), auth.session.id).await? {
        record(&mut tx, state, account.id, EventKind::NewDeviceSignIn, client).await?;
        let alert = alerts::Alert::new(
            "New sign-in to your account",
            "Someone signed in to your USCIS Online Account with your password and second factor from a browser \
             or device not used before. Your account history shows when and from which network address.",
        );
        alerts::send(state, &mut tx, &account, alert).await?;
    }
    tx.commit().await?;
    state.wake_mailer();
    Ok(new_token)
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Totp => "With the authenticator app",
        Method::BackupCode => "With a backup code",
        Method::EmailCode => "With an emailed code",
    }
}

/// The stored hash of the unused backup code `code` matches, found before any row lock is taken (each
/// comparison is an Argon2id verification).
pub(crate) async fn matching_backup_code(
    state: &AppState,
    account: ellis_core::AccountId,
    code: &str,
) -> ServiceResult<Option<String>> {
    let typed = backup_codes::normalise(code);
    if typed.is_empty() {
        return Ok(None);
    }
    for hash in state.store.unused_backup_code_hashes(account).await? {
        if state.hasher.verify(typed.clone(), hash.clone()).await? {
            return Ok(Some(hash));
        }
    }
    Ok(None)
}

/// Emails a 6-digit code bound to this session (10 minutes, 5 tries); a new request replaces the old code.
pub async fn send_email_code(state: &AppState, auth: &Authenticated, client: &Client) -> ServiceResult<()> {
    if !auth.account.setup_complete() {
        return Err(ServiceError::SetupRequired);
    }
    let code = random_six_digits(&mut rand::rng());
    let now = state.clock.unix();
    let message =
        OneTimeCode { given_name: first_name(&auth.account.given_name), code: code.clone(), purpose: "sign-in" }
            .compose(auth.account.email.as_str())
            .map_err(anyhow::Error::from)?;
    let mut tx = state.store.write().await?;
    let key = format!("code:{}", auth.account.email.as_str());
    if !alerts::within_quota(state, &mut tx, &key, ellis_core::recovery::CODE_QUOTA).await? {
        tx.commit().await?;
        return Err(ServiceError::RateLimited { retry_after_seconds: 3600 });
    }
    tx.put_email_code(
        auth.session.id,
        &token_hash(&code),
        now + EMAIL_CODE_LIFETIME.whole_seconds(),
        EMAIL_CODE_ATTEMPTS,
    )
    .await?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    record(&mut tx, state, auth.account.id, EventKind::EmailCodeSent, client).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}
