//! Admins manage staff: list, create (with a one-time setup link), change a role, disable (ending every
//! session at once) or enable again. An admin cannot change or disable themselves, so ellis is never left
//! without the admin who could undo a mistake. Every change is in the staff audit.

use ellis_core::ids::StaffId;
use ellis_core::staff::Role;
use ellis_store::{AuditEntry, StaffMember};

use super::{StaffAuthenticated, identity};
use crate::AppState;
use crate::services::{ServiceError, ServiceResult, invalid};

pub async fn list(state: &AppState, auth: &StaffAuthenticated) -> ServiceResult<Vec<StaffMember>> {
    auth.require(&[Role::Admin])?;
    Ok(state.store.staff_members().await?)
}

/// A new member as an admin describes them (the API's body and the page's form alike).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// Creates a member; returns their id and setup link (which the admin hands over).
pub async fn create(state: &AppState, auth: &StaffAuthenticated, new: &NewMember) -> ServiceResult<(StaffId, String)> {
    auth.require(&[Role::Admin])?;
    let (id, link) = identity::create(state, &new.email, &new.name, &new.role).await?;
    let detail = format!("{} ({})", new.email.trim(), new.role.trim().to_ascii_lowercase());
    audit(state, auth, "staff.create", &detail).await?;
    Ok((id, link))
}

/// What an admin may change about a member: the role, and whether they can sign in.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberChange {
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

pub async fn update(
    state: &AppState,
    auth: &StaffAuthenticated,
    id: StaffId,
    change: &MemberChange,
) -> ServiceResult<StaffMember> {
    auth.require(&[Role::Admin])?;
    let role = change.role.as_deref().map(Role::parse).transpose().map_err(|e| invalid("role", e.to_string()))?;
    if role.is_none() && change.disabled.is_none() {
        return Err(invalid("role", "Give a new role, or disabled: true or false"));
    }
    if id == auth.member.id {
        return Err(ServiceError::Conflict("an admin cannot change or disable their own staff account"));
    }
    state.store.find_staff_member(id).await?.ok_or(ServiceError::NotFound)?;
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    let member = tx.staff_for_update(id).await?;
    let mut changes = Vec::new();
    if let Some(role) = role.filter(|r| *r != member.role) {
        tx.set_staff_role(id, role, now).await?;
        changes.push(format!("role {} -> {}", member.role.as_str(), role.as_str()));
    }
    if let Some(disabled) = change.disabled.filter(|d| *d != member.disabled) {
        tx.set_staff_disabled(id, disabled, now).await?;
        changes.push(if disabled { "disabled".to_owned() } else { "enabled".to_owned() });
    }
    if !changes.is_empty() {
        let detail = format!("{}: {}", member.email.as_str(), changes.join(", "));
        let entry = AuditEntry {
            staff: auth.member.id,
            action: "staff.update",
            account: None,
            case: None,
            detail: Some(&detail),
        };
        tx.audit(&entry, now).await?;
    }
    tx.commit().await?;
    Ok(state.store.staff_member(id).await?)
}

async fn audit(state: &AppState, auth: &StaffAuthenticated, action: &str, detail: &str) -> ServiceResult<()> {
    let mut tx = state.store.write().await?;
    let entry = AuditEntry { staff: auth.member.id, action, account: None, case: None, detail: Some(detail) };
    tx.audit(&entry, state.clock.unix()).await?;
    tx.commit().await?;
    Ok(())
}
