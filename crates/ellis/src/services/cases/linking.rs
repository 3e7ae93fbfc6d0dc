//! Linking a paper-filed case to the caller's account with the Online Access Code from its Account Access
//! Notice: once, within 90 days, with a few tries. A used code (or a case already linked) is a conflict;
//! an expired, exhausted or wrong code is an invalid token.

use ellis_core::access_code::AccessCode;
use ellis_core::events::EventKind;
use ellis_core::tokens::token_hash;
use ellis_core::totp::constant_time_eq;

use super::parse_receipt;
use super::tracking::{CaseDetail, my_case};
use crate::AppState;
use crate::services::auth::{Authenticated, Need};
use crate::services::{Client, ServiceError, ServiceResult, invalid, record_detail};

pub async fn link(
    state: &AppState,
    auth: &Authenticated,
    receipt: &str,
    code: &str,
    client: &Client,
) -> ServiceResult<CaseDetail> {
    auth.require(Need::TwoFactor)?;
    let receipt = parse_receipt(receipt, "receipt_number")?;
    let code = AccessCode::parse(code).map_err(|e| invalid("access_code", e.to_string()))?;
    let case = state.store.case_by_receipt(&receipt).await?.ok_or(ServiceError::NotFound)?;
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let stored = tx.access_code_for_update(case.id).await?.ok_or(ServiceError::NotFound)?;
    if case.account == Some(auth.account.id) {
        return Err(ServiceError::Conflict("this case is already in your account"));
    }
    if stored.used_at.is_some() || case.account.is_some() {
        return Err(ServiceError::Conflict("this access code was already used"));
    }
    if stored.expires_at <= now || stored.attempts_left <= 0 {
        return Err(ServiceError::InvalidToken);
    }
    if !constant_time_eq(token_hash(code.as_str()).as_bytes(), stored.code_hash.as_bytes()) {
        tx.spend_access_code_try(case.id).await?;
        tx.commit().await?;
        return Err(ServiceError::InvalidToken);
    }
    if !tx.link_case_with_code(case.id, auth.account.id, now).await? {
        return Err(ServiceError::Conflict("this access code was already used"));
    }
    let detail = format!("Form {}, receipt number {}", case.form_type, case.receipt_number);
    record_detail(&mut tx, state, auth.account.id, EventKind::CaseLinked, client, Some(&detail)).await?;
    tx.commit().await?;
    my_case(state, auth, receipt.as_str()).await
}
