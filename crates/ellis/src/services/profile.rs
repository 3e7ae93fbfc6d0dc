//! The profile: the account number, personal details and contact information, and changes to them.

use ellis_core::events::EventKind;
use ellis_core::profile::{MailingAddress, MailingAddressInput, PersonName, Phone};
use ellis_core::{ANumber, FieldErrors};
use ellis_store::{Account, ProfileUpdate};

use super::auth::{Authenticated, Need};
use super::{Client, ServiceError, ServiceResult, record_detail};
use crate::AppState;

/// The profile with its security summary.
pub struct Profile {
    pub account: Account,
    pub backup_codes_left: i64,
}

pub async fn profile(state: &AppState, auth: &Authenticated) -> ServiceResult<Profile> {
    auth.require(Need::TwoFactorOrSetup)?;
    let backup_codes_left = state.store.backup_codes_left(auth.account.id).await?;
    Ok(Profile { account: auth.account.clone(), backup_codes_left })
}

/// A requested change, unparsed. `None` leaves a field as it is; `Some(None)` (JSON `null`, or an empty
/// form field) clears an optional one.
#[derive(Debug, Default)]
pub struct ProfileChange {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub a_number: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub mailing_address: Option<Option<MailingAddressInput>>,
}

pub async fn update_profile(
    state: &AppState,
    auth: &Authenticated,
    change: ProfileChange,
    client: &Client,
) -> ServiceResult<Profile> {
    auth.require(Need::TwoFactor)?;
    let mut errors = FieldErrors::new();
    let blank = |value: &Option<String>| value.as_deref().is_none_or(|v| v.trim().is_empty());
    let update = ProfileUpdate {
        given_name: change
            .given_name
            .as_deref()
            .and_then(|v| errors.check("given_name", PersonName::parse(v)))
            .map(|n| n.as_str().to_owned()),
        family_name: change
            .family_name
            .as_deref()
            .and_then(|v| errors.check("family_name", PersonName::parse(v)))
            .map(|n| n.as_str().to_owned()),
        a_number: match &change.a_number {
            None => None,
            Some(v) if blank(v) => Some(None),
            Some(Some(v)) => errors.check("a_number", ANumber::parse(v)).map(Some),
            Some(None) => Some(None),
        },
        phone: match &change.phone {
            None => None,
            Some(v) if blank(v) => Some(None),
            Some(Some(v)) => errors.check("phone", Phone::parse(v)).map(|p| Some(p.as_str().to_owned())),
            Some(None) => Some(None),
        },
        mailing_address: match &change.mailing_address {
            None => None,
            Some(None) => Some(None),
            Some(Some(input)) => MailingAddress::parse(input, "mailing_address", &mut errors).map(Some),
        },
    };
    errors.into_result()?;
    let current = &auth.account;
    let changed: Vec<&str> = [
        ("given name", update.given_name.as_ref().is_some_and(|v| *v != current.given_name)),
        ("family name", update.family_name.as_ref().is_some_and(|v| *v != current.family_name)),
        ("A-Number", update.a_number.is_some_and(|v| v != current.a_number)),
        ("phone", update.phone.as_ref().is_some_and(|v| *v != current.phone)),
        ("mailing address", update.mailing_address.as_ref().is_some_and(|v| *v != current.mailing_address)),
    ]
    .iter()
    .filter(|(_, differs)| *differs)
    .map(|(name, _)| *name)
    .collect();
    let now = state.clock.unix();
    let contact_changes = changed.iter().any(|name| matches!(*name, "phone" | "mailing address"));
    if contact_changes && current.contact_frozen(now) {
        return Err(ServiceError::Conflict("contact details cannot change for 24 hours after a compromise report"));
    }
    let mut tx = state.store.write().await?;
    tx.update_profile(auth.account.id, &update, now).await?;
    if !changed.is_empty() {
        let detail = format!("Changed: {}", changed.join(", "));
        record_detail(&mut tx, state, auth.account.id, EventKind::ProfileChanged, client, Some(&detail)).await?;
    }
    tx.commit().await?;
    let account = state.store.account(auth.account.id).await?;
    let backup_codes_left = state.store.backup_codes_left(account.id).await?;
    Ok(Profile { account, backup_codes_left })
}
