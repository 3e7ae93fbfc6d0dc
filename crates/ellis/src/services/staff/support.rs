//! The support desk: find an account (account number, with its check digit checked and aliases resolved;
//! email; A-Number; receipt number), read it (recorded), unlock it, resend its verification link, or mark it
//! compromised (the recovery issue's lockdown). Every read and write goes to the staff audit with its
//! reason, and the holder sees the desk's actions in their own history.

use ellis_core::events::EventKind;
use ellis_core::lockout::LockoutState;
use ellis_core::staff::Role;
use ellis_core::{ANumber, AccountNumber, EmailAddress, ReceiptNumber};
use ellis_store::{Account, AuditEntry, CaseRecord, EventRecord, Tx};

use super::StaffAuthenticated;
use crate::AppState;
use crate::services::{Client, ServiceError, ServiceResult, compromise, invalid, record, registration};

/// Accounts matching what the caller told the desk.
pub async fn find(state: &AppState, auth: &StaffAuthenticated, query: &str) -> ServiceResult<Vec<Account>> {
    auth.require(&[Role::Support])?;
    let query = query.trim();
    if query.is_empty() {
        return Err(invalid("q", "Enter an account number, email, A-Number or receipt number"));
    }
    let digits: String = query.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let found = if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
        let number = AccountNumber::parse(query).map_err(|e| invalid("q", e.to_string()))?;
        state.store.account_by_number(&number).await?.into_iter().collect()
    } else if query.contains('@') {
        let email = EmailAddress::parse(query).map_err(|e| invalid("q", e.to_string()))?;
        state.store.account_by_email(&email).await?.into_iter().collect()
    } else if let Ok(receipt) = ReceiptNumber::parse(query) {
        match state.store.case_by_receipt(&receipt).await?.and_then(|c| c.account) {
            Some(id) => vec![state.store.account(id).await?],
            None => Vec::new(),
        }
    } else {
        let a_number = ANumber::parse(query).map_err(|_| {
            invalid("q", "Enter an account number (12 digits), an email, an A-Number or a receipt number")
        })?;
        state.store.accounts_by_a_number(&a_number).await?
    };
    let mut tx = state.store.write().await?;
    for account in &found {
        audit(&mut tx, state, auth, "account.search", account, None).await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// An account as the desk sees it: the account, its cases and its recent history.
pub struct AccountView {
    pub account: Account,
    pub cases: Vec<CaseRecord>,
    pub history: Vec<EventRecord>,
}

/// An account by its number (aliases resolve); the read is recorded.
pub async fn view(state: &AppState, auth: &StaffAuthenticated, number: &str) -> ServiceResult<AccountView> {
    auth.require(&[Role::Support])?;
    let account = by_number(state, number).await?;
    let mut tx = state.store.write().await?;
    audit(&mut tx, state, auth, "account.read", &account, None).await?;
    tx.commit().await?;
    let cases = state.store.cases_of(account.id).await?;
    let history = state.store.events(account.id, 200).await?;
    Ok(AccountView { account, cases, history })
}

/// What the desk can do to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskAction {
    Unlock,
    ResendVerification,
    Compromise,
}

pub async fn act(
    state: &AppState,
    auth: &StaffAuthenticated,
    number: &str,
    action: DeskAction,
    reason: &str,
    client: &Client,
) -> ServiceResult<()> {
    auth.require(&[Role::Support])?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(invalid("reason", "Say why, in at most 500 characters"));
    }
    let account = by_number(state, number).await?;
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let current = tx.account_for_update(account.id).await?;
    let name = match action {
        DeskAction::Unlock => {
            tx.set_lockout(current.id, &LockoutState::cleared(), now).await?;
            record(&mut tx, state, current.id, EventKind::UnlockedBySupport, client).await?;
            "account.unlock"
        }
        DeskAction::ResendVerification => {
            if current.email_verified {
                return Err(ServiceError::Conflict("this email address is already verified"));
            }
            registration::send_verification(state, &mut tx, current.id, &current.given_name, &current.email).await?;
            record(&mut tx, state, current.id, EventKind::VerificationResentBySupport, client).await?;
            "account.resend_verification"
        }
        DeskAction::Compromise => {
            compromise::lock_down(state, &mut tx, current.id, client, "Marked compromised by the support desk").await?;
            "account.compromise"
        }
    };
    audit(&mut tx, state, auth, name, &current, Some(reason)).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(())
}

async fn by_number(state: &AppState, number: &str) -> ServiceResult<Account> {
    let number = AccountNumber::parse(number).map_err(|e| invalid("number", e.to_string()))?;
    state.store.account_by_number(&number).await?.ok_or(ServiceError::NotFound)
}

async fn audit(
    tx: &mut Tx,
    state: &AppState,
    auth: &StaffAuthenticated,
    action: &str,
    account: &Account,
    reason: Option<&str>,
) -> ServiceResult<()> {
    let entry = AuditEntry { staff: auth.member.id, action, account: Some(account.id), case: None, detail: reason };
    tx.audit(&entry, state.clock.unix()).await?;
    Ok(())
}
