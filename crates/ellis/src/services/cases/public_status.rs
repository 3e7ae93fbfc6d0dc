//! The public case-status look-up (DOMAIN.md §8): one receipt number, no sign-in, title and description
//! only, in English or Spanish.

use ellis_core::status::{self, Language};

use super::parse_receipt;
use super::tracking::describe;
use crate::AppState;
use crate::services::{ServiceError, ServiceResult};

pub struct PublicStatus {
    pub receipt_number: String,
    pub form_type: String,
    pub title: String,
    pub description: String,
}

pub async fn look_up(state: &AppState, receipt: &str, language: Language) -> ServiceResult<PublicStatus> {
    let receipt = parse_receipt(receipt, "receipt_number")?;
    let case = state.store.case_by_receipt(&receipt).await?.ok_or(ServiceError::NotFound)?;
    let title = status::find(&case.status_title).map_or(case.status_title.as_str(), |s| s.title_in(language));
    Ok(PublicStatus {
        receipt_number: case.receipt_number.to_string(),
        form_type: case.form_type.clone(),
        title: title.to_owned(),
        description: describe(&case, language),
    })
}
