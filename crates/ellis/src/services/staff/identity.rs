//! Creating a staff member and the setup link: password, then the authenticator, confirmed with a code.

use ellis_core::EmailAddress;
use ellis_core::ids::StaffId;
use ellis_core::password::{self, Password};
use ellis_core::profile::PersonName;
use ellis_core::staff::Role;
use ellis_core::tokens::{random_token, token_hash};
use ellis_core::totp::TotpSecret;
use ellis_store::StoreError;
use time::Duration;

use crate::AppState;
use crate::services::{ServiceError, ServiceResult, invalid};

pub const SETUP_PURPOSE: &str = "staff_setup";
pub const SETUP_LIFETIME: Duration = Duration::hours(24);
const ISSUER: &str = "USCIS Online Account (ellis) staff";

/// Creates a staff member and returns the one-time setup link.
pub async fn create(state: &AppState, email: &str, name: &str, role: &str) -> ServiceResult<(StaffId, String)> {
    let mut errors = ellis_core::FieldErrors::new();
    let email = errors.check("email", EmailAddress::parse(email));
    let name = errors.check("name", PersonName::parse(name));
    let role = errors.check("role", Role::parse(role));
    errors.clone().into_result()?;
    let (Some(email), Some(name), Some(role)) = (email, name, role) else { return Err(errors.into()) };
    let now = state.clock.unix();
    let token = random_token(&mut rand::rng());
    let mut tx = state.store.write().await?;
    let id = match tx.insert_staff(&email, name.as_str(), role, now).await {
        Ok(id) => id,
        Err(StoreError::UniqueViolation) => return Err(invalid("email", "A staff member already has this email")),
        Err(other) => return Err(other.into()),
    };
    tx.insert_staff_token(&token_hash(&token), id, SETUP_PURPOSE, now, now + SETUP_LIFETIME.whole_seconds()).await?;
    tx.commit().await?;
    Ok((id, state.config.link(&format!("/staff/setup?token={token}"))))
}

/// What the new staff member scans or types into the authenticator app.
pub struct StaffEnrolment {
    pub secret: String,
    pub otpauth_uri: String,
}

/// Sets the password (checked like an applicant's) and starts the authenticator enrolment.
pub async fn set_password(state: &AppState, token: &str, new_password: &str) -> ServiceResult<StaffEnrolment> {
    let now = state.clock.unix();
    let hash = token_hash(token.trim());
    let id = state.store.staff_by_setup_token(&hash, SETUP_PURPOSE, now).await?.ok_or(ServiceError::InvalidToken)?;
    let member = state.store.staff_member(id).await?;
    let candidate = Password::parse(new_password).map_err(|e| invalid("password", e.to_string()))?;
    let personal = [member.name.clone(), member.email.as_str().to_owned()];
    state
        .hasher
        .run(move || {
            let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
            password::check_strength(&candidate, &personal)
        })
        .await?
        .map_err(|e| invalid("password", e.to_string()))?;
    let password_hash = state.hasher.hash(new_password.to_owned()).await?;
    let secret = TotpSecret::generate(&mut rand::rng());
    let mut tx = state.store.write().await?;
    tx.set_staff_password(id, &password_hash, &secret.to_base32(), now).await?;
    tx.commit().await?;
    Ok(StaffEnrolment { secret: secret.to_base32(), otpauth_uri: secret.otpauth_uri(ISSUER, member.email.as_str()) })
}

/// Confirms the authenticator with a code; the link is spent and the member can sign in.
pub async fn confirm(state: &AppState, token: &str, code: &str) -> ServiceResult<()> {
    let now = state.clock.unix();
    let hash = token_hash(token.trim());
    let id = state.store.staff_by_setup_token(&hash, SETUP_PURPOSE, now).await?.ok_or(ServiceError::InvalidToken)?;
    let mut tx = state.store.write().await?;
    let member = tx.staff_for_update(id).await?;
    let pending = member
        .totp_pending_secret
        .as_deref()
        .ok_or(ServiceError::Conflict("set a password first: it starts the authenticator enrolment"))?;
    let secret = TotpSecret::from_base32(pending).map_err(anyhow::Error::from)?;
    let step = secret.verify(code, now as u64, None).ok_or(ServiceError::InvalidCode)?;
    if !tx.use_staff_token(&hash, SETUP_PURPOSE, now).await? {
        return Err(ServiceError::InvalidToken);
    }
    tx.confirm_staff_totp(id, pending, step as i64, now).await?;
    tx.commit().await?;
    Ok(())
}
