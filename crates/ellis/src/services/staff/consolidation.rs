//! Consolidating duplicate accounts ("I have two account numbers"), under the two-person rule: one support
//! agent proposes which account to keep and which to retire, and a different agent approves. The approval
//! does everything in one transaction: the retired account's cases (with their notices), evidence files,
//! drafts and history move to the kept account, its account numbers become aliases that resolve to the kept
//! account, it can no longer sign in, and both addresses are told. Of two approvals racing for one
//! proposal exactly one does the work.

use ellis_core::events::EventKind;
use ellis_core::staff::Role;
use ellis_core::{AccountId, AccountNumber};
use ellis_store::{Account, AccountStatus, AuditEntry, ConsolidationRecord, NewEvent, ProfileUpdate, Tx};

use super::StaffAuthenticated;
use crate::AppState;
use crate::services::alerts::{self, Alert, NOT_ME_PURPOSE};
use crate::services::email_change::CHANGE_PURPOSE;
use crate::services::password_reset::RESET_PURPOSE;
use crate::services::recovery::CANCEL_PURPOSE;
use crate::services::registration::VERIFY_PURPOSE;
use crate::services::{Client, ServiceError, ServiceResult, invalid, record_detail};

/// What a support agent proposes (the API's body and the page's form alike): merge the account numbered
/// `retire` into the one numbered `keep`, and why.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    #[serde(default)]
    pub keep: String,
    #[serde(default)]
    pub retire: String,
    #[serde(default)]
    pub reason: String,
}

/// Records a proposal (aliases resolve); nothing moves until a different agent approves.
pub async fn propose(
    state: &AppState,
    auth: &StaffAuthenticated,
    proposal: &Proposal,
) -> ServiceResult<ConsolidationRecord> {
    auth.require(&[Role::Support])?;
    let reason = super::support::check_reason(&proposal.reason)?;
    let mut errors = ellis_core::FieldErrors::new();
    let keep_number = errors.check("keep", AccountNumber::parse(&proposal.keep));
    let retire_number = errors.check("retire", AccountNumber::parse(&proposal.retire));
    errors.clone().into_result()?;
    let (Some(keep_number), Some(retire_number)) = (keep_number, retire_number) else { return Err(errors.into()) };
    let keep = state.store.account_by_number(&keep_number).await?.ok_or_else(|| no_account("keep"))?;
    let retire = state.store.account_by_number(&retire_number).await?.ok_or_else(|| no_account("retire"))?;
    if keep.id == retire.id {
        return Err(invalid("retire", "Both numbers lead to the same account"));
    }
    if keep.status == AccountStatus::Retired || retire.status == AccountStatus::Retired {
        return Err(ServiceError::Conflict("one of these accounts was already retired"));
    }
    let pending = state.store.pending_consolidations(Some(retire.id)).await?;
    let also = state.store.pending_consolidations(Some(keep.id)).await?;
    if !pending.is_empty() || !also.is_empty() {
        return Err(ServiceError::Conflict("a consolidation of one of these accounts is already waiting for approval"));
    }
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let id = tx.insert_consolidation(keep.id, retire.id, reason, auth.member.id, now).await?;
    for account in [keep.id, retire.id] {
        audit(&mut tx, state, auth, "consolidation.propose", account, reason).await?;
    }
    tx.commit().await?;
    state.store.consolidation(id).await?.ok_or(ServiceError::NotFound)
}

/// Proposals waiting for a second agent.
pub async fn pending(state: &AppState, auth: &StaffAuthenticated) -> ServiceResult<Vec<ConsolidationRecord>> {
    auth.require(&[Role::Support])?;
    Ok(state.store.pending_consolidations(None).await?)
}

/// Approves a proposal and carries it out. The proposer gets `Forbidden`; an approval that lost the race
/// (or comes after the accounts changed) gets `Conflict` and changes nothing.
pub async fn approve(
    state: &AppState,
    auth: &StaffAuthenticated,
    id: i64,
    client: &Client,
) -> ServiceResult<ConsolidationRecord> {
    auth.require(&[Role::Support])?;
    let proposal = state.store.consolidation(id).await?.ok_or(ServiceError::NotFound)?;
    if proposal.proposed_by == auth.member.id {
        return Err(ServiceError::Forbidden);
    }
    if proposal.status != "pending_approval" {
        return Err(ServiceError::Conflict("this consolidation was already approved"));
    }
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    if !tx.approve_consolidation(id, auth.member.id, now).await? {
        return Err(ServiceError::Conflict("this consolidation was already approved"));
    }
    // Both rows locked in id order, so two transactions touching the same pair cannot deadlock.
    let (first, second) = if proposal.keep.0 < proposal.retire.0 {
        (proposal.keep, proposal.retire)
    } else {
        (proposal.retire, proposal.keep)
    };
    let first = tx.account_for_update(first).await?;
    let second = tx.account_for_update(second).await?;
    let (keep, retire) = if first.id == proposal.keep { (first, second) } else { (second, first) };
    if keep.status == AccountStatus::Retired || retire.status == AccountStatus::Retired {
        return Err(ServiceError::Conflict("one of these accounts was retired since the proposal"));
    }
    merge(state, &mut tx, &keep, &retire, client).await?;
    for account in [keep.id, retire.id] {
        audit(&mut tx, state, auth, "consolidation.approve", account, &proposal.reason).await?;
    }
    tx.commit().await?;
    state.wake_mailer();
    state.store.consolidation(id).await?.ok_or(ServiceError::NotFound)
}

/// The move itself, inside the approving transaction.
async fn merge(state: &AppState, tx: &mut Tx, keep: &Account, retire: &Account, client: &Client) -> ServiceResult<()> {
    let now = state.clock.unix();
    let retired_number = retire.account_number.map(|n| n.display()).unwrap_or_else(|| "without a number".to_owned());
    // History: each of the retired account's events is appended, in order and with its own time, to the
    // kept account's chain (so the chain stays verifiable); the retired chain itself is left as it was.
    for event in tx.event_chain(retire.id).await? {
        let Some(kind) = EventKind::parse(&event.kind) else { continue };
        let detail = match &event.detail {
            Some(detail) => format!("From account {retired_number}: {detail}"),
            None => format!("From account {retired_number}"),
        };
        let moved =
            NewEvent { account: keep.id, kind, at_us: event.at_us, ip: event.ip.as_deref(), detail: Some(&detail) };
        tx.insert_event(&moved).await?;
    }
    tx.move_account_contents(retire.id, keep.id, now).await?;
    if keep.a_number.is_none() && retire.a_number.is_some() {
        let update = ProfileUpdate { a_number: Some(retire.a_number), ..ProfileUpdate::default() };
        tx.update_profile(keep.id, &update, now).await?;
    }
    tx.end_sessions(retire.id, None, now).await?;
    tx.cancel_recoveries(retire.id, now).await?;
    tx.void_tokens(retire.id, &[VERIFY_PURPOSE, RESET_PURPOSE, CHANGE_PURPOSE, CANCEL_PURPOSE, NOT_ME_PURPOSE], now)
        .await?;
    let kept_number = keep.account_number.map(|n| n.display());
    record_detail(tx, state, keep.id, EventKind::AccountMergedIn, client, Some(&retired_number)).await?;
    record_detail(tx, state, retire.id, EventKind::AccountRetired, client, kept_number.as_deref()).await?;
    let kept = Alert::notice(
        "Your two accounts are now one",
        "At your request, a support agent merged your other USCIS Online Account into this one. Its cases, \
         notices and history are now in this account, and its account number now leads here.",
    );
    alerts::send(state, tx, keep, kept).await?;
    let retired = Alert::notice(
        "This account was merged into your other account",
        "At your request, a support agent merged this USCIS Online Account into your other one. You can no \
         longer sign in with this email address: sign in to your other account, where your cases now are.",
    );
    alerts::send(state, tx, retire, retired).await?;
    Ok(())
}

fn no_account(field: &'static str) -> ServiceError {
    invalid(field, "No account has this number")
}

async fn audit(
    tx: &mut Tx,
    state: &AppState,
    auth: &StaffAuthenticated,
    action: &str,
    account: AccountId,
    reason: &str,
) -> ServiceResult<()> {
    let entry = AuditEntry { staff: auth.member.id, action, account: Some(account), case: None, detail: Some(reason) };
    tx.audit(&entry, state.clock.unix()).await?;
    Ok(())
}
