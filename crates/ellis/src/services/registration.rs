//! Sign-up and email verification. The answer to a sign-up never reveals whether the address already has an
//! account: a known address gets an email saying so (or a fresh link, if it never verified) instead.

use ellis_core::events::EventKind;
use ellis_core::password::{self, Password};
use ellis_core::profile::{PersonName, parse_date_of_birth};
use ellis_core::recovery::EMAIL_QUOTA;
use ellis_core::tokens::{random_token, token_hash};
use ellis_core::{AccountId, EmailAddress, FieldErrors};
use ellis_store::{Account, NewAccount, StoreError, Tx};
use time::Duration;

use super::{Client, ServiceError, ServiceResult, record};
use crate::AppState;
use crate::mail::{AlreadyRegistered, VerifyEmail, first_name};

pub const VERIFY_PURPOSE: &str = "verify_email";
pub const VERIFY_LIFETIME: Duration = Duration::hours(24);

/// What a sign-up form or request carries, unparsed: the API's JSON body and the page's form alike.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignUp {
    pub email: String,
    pub password: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
}

pub async fn sign_up(state: &AppState, input: SignUp, client: &Client) -> ServiceResult<()> {
    let today = state.clock.now().date();
    // Checked in the order the form asks, so the error summary reads top to bottom.
    let mut errors = FieldErrors::new();
    let given_name = errors.check("given_name", PersonName::parse(&input.given_name));
    let family_name = errors.check("family_name", PersonName::parse(&input.family_name));
    let date_of_birth = errors.check("date_of_birth", parse_date_of_birth(&input.date_of_birth, today));
    let email = errors.check("email", EmailAddress::parse(&input.email));
    if let Some(candidate) = errors.check("password", Password::parse(&input.password)) {
        let personal = [input.given_name.clone(), input.family_name.clone(), input.email.clone()];
        let strength = state
            .hasher
            .run(move || {
                let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
                password::check_strength(&candidate, &personal).map(|()| candidate)
            })
            .await?;
        errors.check("password", strength);
    }
    errors.clone().into_result()?;
    let (Some(email), Some(given_name), Some(family_name), Some(date_of_birth)) =
        (email, given_name, family_name, date_of_birth)
    else {
        return Err(ServiceError::Invalid(errors));
    };

    // Hash before looking the address up, so both paths take the same time.
    let password_hash = state.hasher.hash(input.password).await?;
    let now = state.clock.unix();
    // Read before taking the write connection: on PostgreSQL both come from one pool, and a transaction
    // waiting for a second connection can starve the pool. A race to the same address is caught below.
    let existing = state.store.account_by_email(&email).await?;
    let mut tx = state.store.write().await?;
    if let Some(existing) = existing {
        notify_existing(state, &mut tx, &existing).await?;
    } else {
        let account = NewAccount {
            email: &email,
            password_hash: &password_hash,
            given_name: given_name.as_str(),
            family_name: family_name.as_str(),
            date_of_birth,
        };
        match tx.insert_account(&account, now).await {
            Ok(id) => {
                record(&mut tx, state, id, EventKind::Registered, client).await?;
                send_verification(state, &mut tx, id, given_name.as_str(), &email).await?;
            }
            // A parallel sign-up with the same address won the race; treat this one as a repeat.
            Err(StoreError::UniqueViolation) => {
                drop(tx);
                let existing = state.store.account_by_email(&email).await?.ok_or(ServiceError::Conflict("retry"))?;
                tx = state.store.write().await?;
                notify_existing(state, &mut tx, &existing).await?;
            }
            Err(other) => return Err(other.into()),
        }
    }
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// Tells an address that already has an account: a sign-in reminder if it is verified, or a fresh link.
async fn notify_existing(state: &AppState, tx: &mut Tx, existing: &Account) -> ServiceResult<()> {
    if !existing.email_verified {
        return send_verification(state, tx, existing.id, &existing.given_name, &existing.email).await;
    }
    if !super::alerts::within_quota(state, tx, &format!("public:{}", existing.email.as_str()), EMAIL_QUOTA).await? {
        return Ok(());
    }
    let message =
        AlreadyRegistered { given_name: first_name(&existing.given_name), sign_in_link: state.config.link("/sign-in") }
            .compose(existing.email.as_str())
            .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), state.clock.unix()).await?;
    Ok(())
}

/// Queues a fresh verification link (inside the caller's transaction).
pub async fn send_verification(
    state: &AppState,
    tx: &mut Tx,
    id: AccountId,
    given_name: &str,
    email: &EmailAddress,
) -> ServiceResult<()> {
    if !super::alerts::within_quota(state, tx, &format!("public:{}", email.as_str()), EMAIL_QUOTA).await? {
        return Ok(());
    }
    let token = random_token(&mut rand::rng());
    let now = state.clock.unix();
    tx.insert_token(&token_hash(&token), VERIFY_PURPOSE, id, now, now + VERIFY_LIFETIME.whole_seconds()).await?;
    let message = VerifyEmail {
        given_name: first_name(given_name),
        link: state.config.link(&format!("/verify-email?token={token}")),
    }
    .compose(email.as_str())
    .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    Ok(())
}

/// Spends a verification link.
pub async fn verify_email(state: &AppState, token: &str, client: &Client) -> ServiceResult<()> {
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let account =
        tx.consume_token(&token_hash(token.trim()), VERIFY_PURPOSE, now).await?.ok_or(ServiceError::InvalidToken)?;
    if tx.mark_email_verified(account, now).await? {
        record(&mut tx, state, account, EventKind::EmailVerified, client).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sends a new link to an address that has not verified yet; says nothing either way.
pub async fn resend_verification(state: &AppState, email: &str) -> ServiceResult<()> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(());
    };
    let Some(account) = state.store.account_by_email(&email).await? else {
        return Ok(());
    };
    if account.email_verified {
        return Ok(());
    }
    let mut tx = state.store.write().await?;
    send_verification(state, &mut tx, account.id, &account.given_name, &email).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}
