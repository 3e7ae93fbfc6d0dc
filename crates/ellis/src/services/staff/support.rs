//! The support desk: find an account (account number, with its check digit checked and aliases resolved;
//! email; A-Number; receipt number), read it (recorded), unlock it, resend its verification link, or mark it
//! compromised (the recovery issue's lockdown). Every read and write goes to the staff audit with its
//! reason, and the holder sees the desk's actions in their own history.

use ellis_core::events::EventKind;
use ellis_core::lockout::LockoutState;
use ellis_core::staff::Role;
use ellis_core::{ANumber, AccountNumber, EmailAddress, ReceiptNumber, security_questions};
use ellis_store::{Account, AccountStatus, AuditEntry, CaseRecord, ConsolidationRecord, EventRecord, Tx};

use super::StaffAuthenticated;
use crate::AppState;
use crate::services::{
    Client, ServiceError, ServiceResult, compromise, invalid, record, recovery, registration, unix_to_datetime,
};

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

/// An account as the desk sees it: the account, its cases, its recent history, the security questions a
/// caller must answer, accounts that are probably the same person, and consolidations waiting for approval.
pub struct AccountView {
    pub account: Account,
    pub cases: Vec<CaseRecord>,
    pub history: Vec<EventRecord>,
    pub questions: Vec<(i64, &'static str)>,
    pub duplicates: Vec<Account>,
    pub pending: Vec<ConsolidationRecord>,
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
    let questions = state
        .store
        .security_answer_hashes(account.id)
        .await?
        .iter()
        .filter_map(|(id, _)| security_questions::find(*id).map(|q| (q.id, q.text)))
        .collect();
    let duplicates = state.store.likely_duplicates(&account).await?;
    let pending = state.store.pending_consolidations(Some(account.id)).await?;
    Ok(AccountView { account, cases, history, questions, duplicates, pending })
}

/// What the desk can do to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskAction {
    Unlock,
    ResendVerification,
    Compromise,
}

impl DeskAction {
    /// The action as the last segment of its URL.
    pub fn parse(segment: &str) -> Option<Self> {
        match segment {
            "unlock" => Some(Self::Unlock),
            "resend-verification" => Some(Self::ResendVerification),
            "compromise" => Some(Self::Compromise),
            _ => None,
        }
    }
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
    let reason = check_reason(reason)?;
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

/// The desk checks a caller by their three security answers, then starts the lost-factor recovery for them:
/// the same 24-hour wait, alert and cancel link as the self-service path, and wrong answers count towards
/// the same limit (five close the path for a day). Returns when the recovery can finish.
pub async fn verify_caller(
    state: &AppState,
    auth: &StaffAuthenticated,
    number: &str,
    answers: &[(i64, String)],
    reason: &str,
    client: &Client,
) -> ServiceResult<time::OffsetDateTime> {
    auth.require(&[Role::Support])?;
    let reason = check_reason(reason)?;
    let account = by_number(state, number).await?;
    if account.status == AccountStatus::Retired {
        return Err(ServiceError::Conflict("this account was merged into another; look that one up"));
    }
    let now = state.clock.unix();
    if let Some(until) = account.recovery_closed_until.filter(|until| *until > now) {
        return Err(ServiceError::RecoveryClosed { until: unix_to_datetime(until) });
    }
    let all_right = recovery::answers_match(state, account.id, answers).await?;
    let mut tx = state.store.write().await?;
    let current = tx.account_for_update(account.id).await?;
    if !all_right {
        recovery::count_wrong_answers(state, &mut tx, &current, client).await?;
        audit(&mut tx, state, auth, "account.verify_caller_failed", &current, Some(reason)).await?;
        tx.commit().await?;
        // A field error, not `InvalidAnswers` (401): the agent's own session is fine.
        return Err(invalid("answers", "The caller's answers do not match this account's"));
    }
    let (ready_at, _) =
        recovery::begin_wait(state, &mut tx, &current, EventKind::RecoveryStartedBySupport, client).await?;
    audit(&mut tx, state, auth, "account.recovery_start", &current, Some(reason)).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(unix_to_datetime(ready_at))
}

/// The body of a desk action (API and page alike): why.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[serde(default)]
    pub reason: String,
}

/// A desk action's reason: required, at most 500 characters.
pub(super) fn check_reason(reason: &str) -> ServiceResult<&str> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(invalid("reason", "Say why, in at most 500 characters"));
    }
    Ok(reason)
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
