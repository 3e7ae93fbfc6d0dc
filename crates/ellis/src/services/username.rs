//! Forgot username (DESIGN.md §4): the account number or A-Number, the family name and the date of birth.
//! A match gets a reminder at the address on file; the answer is the same whether or not anything matched.

use ellis_core::events::EventKind;
use ellis_core::profile::parse_date_of_birth;
use ellis_core::recovery::EMAIL_QUOTA;
use ellis_core::{ANumber, AccountNumber, FieldErrors};
use ellis_store::{Account, AccountStatus};

use super::{Client, ServiceResult, alerts, record};
use crate::AppState;
use crate::mail::{UsernameReminder, first_name};

/// What the form or request carries, unparsed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReminderRequest {
    pub account_number: Option<String>,
    pub a_number: Option<String>,
    pub family_name: String,
    pub date_of_birth: String,
}

pub async fn remind(state: &AppState, input: ReminderRequest, client: &Client) -> ServiceResult<()> {
    let present = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let (account_number, a_number) = (present(&input.account_number), present(&input.a_number));
    let mut errors = FieldErrors::new();
    if account_number.is_none() && a_number.is_none() {
        errors.add("account_number", "Enter your USCIS Online Account Number or your A-Number");
    }
    let account_number = account_number.and_then(|n| errors.check("account_number", AccountNumber::parse(&n)));
    let a_number = a_number.and_then(|n| errors.check("a_number", ANumber::parse(&n)));
    let family_name = normalise_name(&input.family_name);
    if family_name.is_empty() {
        errors.add("family_name", "Enter your family name");
    }
    let date_of_birth =
        errors.check("date_of_birth", parse_date_of_birth(&input.date_of_birth, state.clock.now().date()));
    errors.clone().into_result()?;
    let Some(date_of_birth) = date_of_birth else { return Err(errors.into()) };

    let mut candidates = Vec::new();
    if let Some(number) = &account_number {
        candidates.extend(state.store.account_by_number(number).await?);
    }
    if let Some(a_number) = &a_number {
        candidates.extend(state.store.accounts_by_a_number(a_number).await?);
    }
    let matching = candidates.into_iter().filter(|account| {
        account.status != AccountStatus::Retired
            && account.date_of_birth == date_of_birth
            && normalise_name(&account.family_name) == family_name
    });
    let mut reminded: Vec<Account> = Vec::new();
    for account in matching {
        if !reminded.iter().any(|r| r.id == account.id) {
            reminded.push(account);
        }
    }
    for account in reminded {
        send_reminder(state, &account, client).await?;
    }
    Ok(())
}

async fn send_reminder(state: &AppState, account: &Account, client: &Client) -> ServiceResult<()> {
    let mut tx = state.store.write().await?;
    if alerts::within_quota(state, &mut tx, &format!("public:{}", account.email.as_str()), EMAIL_QUOTA).await? {
        let message = UsernameReminder {
            given_name: first_name(&account.given_name),
            sign_in_link: state.config.link("/sign-in"),
        }
        .compose(account.email.as_str())
        .map_err(anyhow::Error::from)?;
        tx.enqueue_email(&message.as_new_email(), state.clock.unix()).await?;
        record(&mut tx, state, account.id, EventKind::UsernameReminderSent, client).await?;
    }
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

/// Family names compare without regard to case or spacing: "de la Cruz" matches "DE LA  CRUZ".
fn normalise_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}
