//! Lost every second factor (DESIGN.md §4): the emailed reset link plus all three security answers start a
//! 24-hour wait, announced to the account's email with a one-click cancel link. When the wait is over, the
//! same kind of link lets the holder set a new password (services::password_reset), which clears the old
//! factors so that a new authenticator must be enrolled. Five wrong answer sets close this path for 24 hours.

use ellis_core::events::EventKind;
use ellis_core::recovery::{RECOVERY_WAIT, RECOVERY_WINDOW, after_wrong_answers};
use ellis_core::security_questions;
use ellis_core::tokens::{random_token, token_hash};

use super::password_reset::{RESET_PURPOSE, open_link};
use super::{Client, ServiceError, ServiceResult, record, unix_to_datetime};
use ellis_store::{Account, Tx};

use crate::AppState;
use crate::mail::{RecoveryStarted, first_name};

pub const CANCEL_PURPOSE: &str = "cancel_recovery";

/// The account's three security questions, shown to whoever holds a live reset link.
pub async fn questions(state: &AppState, token: &str) -> ServiceResult<Vec<(i64, &'static str)>> {
    let (_, account) = open_link(state, token).await?;
    let answers = state.store.security_answer_hashes(account.id).await?;
    Ok(answers.iter().filter_map(|(id, _)| security_questions::find(*id).map(|q| (q.id, q.text))).collect())
}

/// Starts the 24-hour wait if every answer is right; returns when the recovery can finish. A recovery
/// already under way is not restarted (its clock keeps running).
pub async fn start(
    state: &AppState,
    token: &str,
    answers: &[(i64, String)],
    client: &Client,
) -> ServiceResult<time::OffsetDateTime> {
    let (link, account) = open_link(state, token).await?;
    let now = state.clock.unix();
    if let Some(until) = account.recovery_closed_until.filter(|until| *until > now) {
        return Err(ServiceError::RecoveryClosed { until: unix_to_datetime(until) });
    }
    let all_right = answers_match(state, account.id, answers).await?;

    let mut tx = state.store.write().await?;
    let link = tx.live_token(&link.token_hash, RESET_PURPOSE, now).await?.ok_or(ServiceError::InvalidToken)?;
    let account = tx.account_for_update(account.id).await?;
    if let Some(until) = account.recovery_closed_until.filter(|until| *until > now) {
        return Err(ServiceError::RecoveryClosed { until: unix_to_datetime(until) });
    }
    if !all_right {
        count_wrong_answers(state, &mut tx, &account, client).await?;
        tx.commit().await?;
        return Err(ServiceError::InvalidAnswers);
    }
    let (ready_at, started) = begin_wait(state, &mut tx, &account, EventKind::RecoveryStarted, client).await?;
    if started {
        tx.consume_token_record(&link.token_hash, RESET_PURPOSE, now).await?;
    }
    tx.commit().await?;
    state.wake_mailer();
    Ok(unix_to_datetime(ready_at))
}

/// After every answer was right: clears the wrong-answer count and starts the 24-hour wait with its alert
/// and cancel link, recording `kind`. A recovery already under way keeps its clock. Returns when the wait
/// ends and whether this call started it.
pub(crate) async fn begin_wait(
    state: &AppState,
    tx: &mut Tx,
    account: &Account,
    kind: EventKind,
    client: &Client,
) -> ServiceResult<(i64, bool)> {
    let now = state.clock.unix();
    tx.set_recovery_failures(account.id, 0, None, now).await?;
    if let Some(open) = tx.open_recovery(account.id, now).await? {
        return Ok((open.ready_at, false));
    }
    let ready_at = now + RECOVERY_WAIT.whole_seconds();
    let expires_at = ready_at + RECOVERY_WINDOW.whole_seconds();
    tx.start_recovery(account.id, now, ready_at, expires_at).await?;
    let cancel = random_token(&mut rand::rng());
    tx.insert_token(&token_hash(&cancel), CANCEL_PURPOSE, account.id, now, expires_at).await?;
    let message = RecoveryStarted {
        given_name: first_name(&account.given_name),
        ready_at: super::format_utc(unix_to_datetime(ready_at)),
        cancel_link: state.config.link(&format!("/cancel-recovery?token={cancel}")),
    }
    .compose(account.email.as_str())
    .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    record(tx, state, account.id, kind, client).await?;
    Ok((ready_at, true))
}

/// Counts a wrong set of answers (five close the path for a day) and records it.
pub(crate) async fn count_wrong_answers(
    state: &AppState,
    tx: &mut Tx,
    account: &Account,
    client: &Client,
) -> ServiceResult<()> {
    let (failures, closed_until) = after_wrong_answers(account.recovery_failures, state.clock.unix());
    tx.set_recovery_failures(account.id, failures, closed_until, state.clock.unix()).await?;
    record(tx, state, account.id, EventKind::RecoveryAnswersFailed, client).await
}

/// Whether `answers` are right for every one of the account's questions (and name no other question).
pub(crate) async fn answers_match(
    state: &AppState,
    account: ellis_core::AccountId,
    answers: &[(i64, String)],
) -> ServiceResult<bool> {
    let stored = state.store.security_answer_hashes(account).await?;
    if stored.is_empty() || answers.len() != stored.len() {
        return Ok(false);
    }
    let mut all_right = true;
    // Every answer is checked, right or wrong, so the time taken does not tell how many were right.
    for (question_id, hash) in stored {
        let typed = answers.iter().find(|(id, _)| *id == question_id).map(|(_, answer)| answer.as_str());
        let normal = typed.and_then(|t| security_questions::normalise_answer(t).ok());
        let right = match normal {
            Some(normal) => state.hasher.verify(normal, hash).await?,
            None => {
                state.hasher.verify_dummy(String::new()).await?;
                false
            }
        };
        all_right &= right;
    }
    Ok(all_right)
}

/// Cancels the account's recovery from the link in the alert. Answers `InvalidToken` for a dead link.
pub async fn cancel(state: &AppState, token: &str, client: &Client) -> ServiceResult<()> {
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let account =
        tx.consume_token(&token_hash(token.trim()), CANCEL_PURPOSE, now).await?.ok_or(ServiceError::InvalidToken)?;
    if tx.cancel_recoveries(account, now).await? > 0 {
        tx.void_tokens(account, &[RESET_PURPOSE], now).await?;
        record(&mut tx, state, account, EventKind::RecoveryCancelled, client).await?;
    }
    tx.commit().await?;
    Ok(())
}
