//! Admins search the staff audit: by account (its number, or a number it had before a consolidation) and by
//! staff member (email). The search is itself recorded.

use ellis_core::staff::Role;
use ellis_core::{AccountNumber, EmailAddress};
use ellis_store::{AuditEntry, AuditFilter, AuditRecord};

use super::StaffAuthenticated;
use crate::AppState;
use crate::services::{ServiceResult, given, invalid};

pub async fn search(
    state: &AppState,
    auth: &StaffAuthenticated,
    account: Option<&str>,
    staff: Option<&str>,
) -> ServiceResult<Vec<AuditRecord>> {
    auth.require(&[Role::Admin])?;
    let account = given(account)
        .map(AccountNumber::parse)
        .transpose()
        .map_err(|e| invalid("account", e.to_string()))?
        .map(|n| n.digits());
    let staff = given(staff).map(EmailAddress::parse).transpose().map_err(|e| invalid("staff", e.to_string()))?;
    let filter = AuditFilter { account_number: account.as_deref(), staff_email: staff.as_ref().map(|e| e.as_str()) };
    let found = state.store.audit_search(filter, 500).await?;
    let detail =
        format!("account={} staff={}", filter.account_number.unwrap_or("*"), filter.staff_email.unwrap_or("*"));
    let mut tx = state.store.write().await?;
    let entry =
        AuditEntry { staff: auth.member.id, action: "audit.search", account: None, case: None, detail: Some(&detail) };
    tx.audit(&entry, state.clock.unix()).await?;
    tx.commit().await?;
    Ok(found)
}
