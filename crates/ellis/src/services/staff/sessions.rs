//! Staff sign-in (password, then the authenticator: nothing else is accepted), the lockout of DESIGN.md §4
//! counted in the staff row, and resolving a staff bearer token with the role check every staff route makes.

use ellis_core::EmailAddress;
use ellis_core::ids::StaffId;
use ellis_core::lockout::LockoutState;
use ellis_core::session::{self, Assurance};
use ellis_core::staff::Role;
use ellis_core::tokens::{random_token, token_hash};
use ellis_core::totp::TotpSecret;
use ellis_store::{StaffMember, StaffSessionRow};

use crate::AppState;
use crate::services::{Client, ServiceError, ServiceResult, unix_to_datetime};

/// A live staff session and its member.
#[derive(Debug, Clone)]
pub struct StaffAuthenticated {
    pub session: StaffSessionRow,
    pub member: StaffMember,
}

impl StaffAuthenticated {
    /// Refuses a session without the second factor, and a member whose role is not among `roles`.
    pub fn require(&self, roles: &[Role]) -> ServiceResult<()> {
        if self.session.assurance() != Assurance::TwoFactor {
            return Err(ServiceError::SecondFactorRequired);
        }
        if !roles.contains(&self.member.role) {
            return Err(ServiceError::Forbidden);
        }
        Ok(())
    }
}

/// Resolves a staff token; ended, expired and applicant tokens are all `Unauthenticated`, and so is the
/// session of a member who was disabled.
pub async fn authenticate(state: &AppState, token: &str) -> ServiceResult<StaffAuthenticated> {
    let session = state.store.staff_session(&token_hash(token)).await?.ok_or(ServiceError::Unauthenticated)?;
    let now = state.clock.unix();
    let member = state.store.staff_member(StaffId(session.staff_id)).await?;
    if !session::is_alive(session.created_at, session.last_seen_at, now) || member.disabled {
        let mut tx = state.store.write().await?;
        tx.end_staff_session(session.id, now).await?;
        tx.commit().await?;
        return Err(ServiceError::Unauthenticated);
    }
    if now - session.last_seen_at >= session::TOUCH_INTERVAL.whole_seconds() {
        let mut tx = state.store.write().await?;
        tx.touch_staff_session(session.id, now).await?;
        tx.commit().await?;
    }
    Ok(StaffAuthenticated { session, member })
}

/// Password sign-in; answers like the applicants' (unknown email and wrong password alike).
pub async fn sign_in(state: &AppState, email: &str, password: &str, client: &Client) -> ServiceResult<String> {
    let member = match EmailAddress::parse(email) {
        Ok(email) => state.store.staff_by_email(&email).await?,
        Err(_) => None,
    };
    let Some(member) = member.filter(|m| m.password_hash.is_some()) else {
        state.hasher.verify_dummy(password.to_owned()).await?;
        return Err(ServiceError::InvalidCredentials);
    };
    let right = state.hasher.verify(password.to_owned(), member.password_hash.clone().unwrap_or_default()).await?;
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let member = tx.staff_for_update(member.id).await?;
    if !right {
        let (lockout, _) = member.lockout.after_failure(now);
        tx.set_staff_lockout(member.id, &lockout, now).await?;
        tx.commit().await?;
        return Err(ServiceError::InvalidCredentials);
    }
    if member.disabled {
        tx.commit().await?;
        return Err(ServiceError::InvalidCredentials);
    }
    if member.lockout.is_locked(now) {
        tx.commit().await?;
        return Err(ServiceError::AccountLocked { until: member.lockout.lock_ends(now).map(unix_to_datetime) });
    }
    if member.totp_secret.is_none() {
        tx.commit().await?;
        return Err(ServiceError::SetupRequired);
    }
    let token = random_token(&mut rand::rng());
    tx.insert_staff_session(member.id, &token_hash(&token), client.ip.as_deref(), client.user_agent.as_deref(), now)
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// The authenticator code (the only second factor staff have); a wrong one counts towards the lockout.
pub async fn pass_second_factor(state: &AppState, auth: &StaffAuthenticated, code: &str) -> ServiceResult<()> {
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let member = tx.staff_for_update(auth.member.id).await?;
    if member.lockout.is_locked(now) {
        tx.commit().await?;
        return Err(ServiceError::AccountLocked { until: member.lockout.lock_ends(now).map(unix_to_datetime) });
    }
    let secret =
        TotpSecret::from_base32(member.totp_secret.as_deref().unwrap_or_default()).map_err(anyhow::Error::from)?;
    let accepted = match secret.verify(code, now as u64, member.totp_last_step.map(|s| s as u64)) {
        Some(step) => tx.use_staff_totp_step(member.id, step as i64).await?,
        None => false,
    };
    if !accepted {
        let (lockout, _) = member.lockout.after_failure(now);
        tx.set_staff_lockout(member.id, &lockout, now).await?;
        tx.commit().await?;
        return Err(ServiceError::InvalidCode);
    }
    tx.raise_staff_session(auth.session.id, now).await?;
    tx.set_staff_lockout(member.id, &LockoutState::cleared(), now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn sign_out(state: &AppState, auth: &StaffAuthenticated) -> ServiceResult<()> {
    let mut tx = state.store.write().await?;
    tx.end_staff_session(auth.session.id, state.clock.unix()).await?;
    tx.commit().await?;
    Ok(())
}
