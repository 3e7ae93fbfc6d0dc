//! The applicant's cases: the list, one case with its history and notices. Another applicant's case is
//! answered exactly like one that does not exist.

use ellis_core::status::{self, Language};
use ellis_store::{CaseHistoryRecord, CaseRecord, NoticeRecord};

use super::parse_receipt;
use crate::AppState;
use crate::services::auth::{Authenticated, Need};
use crate::services::{ServiceError, ServiceResult, unix_to_datetime};

pub async fn my_cases(state: &AppState, auth: &Authenticated) -> ServiceResult<Vec<CaseRecord>> {
    auth.require(Need::TwoFactor)?;
    Ok(state.store.cases_of(auth.account.id).await?)
}

pub struct CaseDetail {
    pub case: CaseRecord,
    pub description: String,
    pub history: Vec<CaseHistoryRecord>,
    pub notices: Vec<NoticeRecord>,
}

/// The caller's case with this receipt number; anyone else's case is `NotFound`, like a missing one.
pub(crate) async fn owned_case(state: &AppState, auth: &Authenticated, receipt: &str) -> ServiceResult<CaseRecord> {
    auth.require(Need::TwoFactor)?;
    let receipt = parse_receipt(receipt, "receipt_number")?;
    state
        .store
        .case_by_receipt(&receipt)
        .await?
        .filter(|case| case.account == Some(auth.account.id))
        .ok_or(ServiceError::NotFound)
}

/// One of the caller's cases; reading it clears its unread marker.
pub async fn my_case(state: &AppState, auth: &Authenticated, receipt: &str) -> ServiceResult<CaseDetail> {
    let case = owned_case(state, auth, receipt).await?;
    if case.unread {
        let mut tx = state.store.write().await?;
        tx.mark_case_read(case.id).await?;
        tx.commit().await?;
    }
    let history = state.store.case_history(case.id).await?;
    let notices = state.store.notices_of(case.id).await?;
    let description = describe(&case, Language::English);
    Ok(CaseDetail { case, description, history, notices })
}

/// The status description of a case, with its date, form and receipt number filled in.
pub fn describe(case: &CaseRecord, language: Language) -> String {
    let date = unix_to_datetime(case.status_at).date();
    match status::find(&case.status_title) {
        Some(entry) => entry.describe(language, date, &case.form_type, case.receipt_number.as_str()),
        None => format!("Your Form {}, Receipt Number {}, has a new status.", case.form_type, case.receipt_number),
    }
}
