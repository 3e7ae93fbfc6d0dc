//! Admins' pages: staff members (create, change role, disable or enable) and the audit search.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;
use ellis_core::ids::StaffId;
use ellis_core::staff::Role;
use serde::Deserialize;

use super::{Chrome, StaffPage, StaffPageResult};
use crate::AppState;
use crate::services::ServiceError;
use crate::services::staff::StaffAuthenticated;
use crate::services::staff::audit;
use crate::services::staff::members::{self, MemberChange, NewMember};
use crate::services::unix_to_datetime;
use crate::web::extract::{Admins, CsrfToken};
use crate::web::pages::{ErrorSummary, format_time};

struct MemberLine {
    id: String,
    name: String,
    email: String,
    role: Role,
    disabled: bool,
    ready: bool,
    me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/members.html")]
struct MembersPage {
    members: Vec<MemberLine>,
    roles: &'static [Role],
    /// Just created: the member's email and one-time setup link, shown once.
    created: Option<(String, String)>,
    form: NewMember,
    errors: FieldErrors,
    csrf: String,
    chrome: Option<Chrome>,
}

async fn members_page(
    state: &AppState,
    auth: &StaffAuthenticated,
    csrf: &CsrfToken,
    created: Option<(String, String)>,
    form: NewMember,
    errors: FieldErrors,
) -> Result<MembersPage, ServiceError> {
    let members = members::list(state, auth)
        .await?
        .into_iter()
        .map(|m| MemberLine {
            id: m.id.0.to_string(),
            me: m.id == auth.member.id,
            name: m.name,
            email: m.email.as_str().to_owned(),
            role: m.role,
            disabled: m.disabled,
            ready: m.totp_secret.is_some(),
        })
        .collect();
    let chrome = Chrome::new(auth, csrf);
    Ok(MembersPage {
        members,
        roles: Role::ALL,
        created,
        form,
        errors,
        csrf: chrome.csrf.clone(),
        chrome: Some(chrome),
    })
}

pub async fn members(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<Admins>,
    csrf: CsrfToken,
) -> StaffPageResult {
    Ok(members_page(&state, &auth, &csrf, None, NewMember::default(), FieldErrors::new()).await?.into_response())
}

pub async fn create_member(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<Admins>,
    csrf: CsrfToken,
    Form(form): Form<NewMember>,
) -> StaffPageResult {
    match members::create(&state, &auth, &form).await {
        Ok((_, link)) => {
            let created = Some((form.email.trim().to_owned(), link));
            let page = members_page(&state, &auth, &csrf, created, NewMember::default(), FieldErrors::new()).await?;
            Ok((StatusCode::CREATED, page).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let page = members_page(&state, &auth, &csrf, None, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct MemberForm {
    role: Option<String>,
    disabled: Option<String>,
}

pub async fn update_member(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<Admins>,
    Path(id): Path<String>,
    Form(form): Form<MemberForm>,
) -> StaffPageResult {
    let id = id.parse().map(StaffId).map_err(|_| ServiceError::NotFound)?;
    let change = MemberChange { role: form.role, disabled: form.disabled.map(|d| d == "true") };
    members::update(&state, &auth, id, &change).await?;
    Ok(Redirect::to("/staff/members").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/audit.html")]
struct AuditPage {
    account: String,
    staff: String,
    lines: Vec<[String; 6]>,
    errors: FieldErrors,
    chrome: Option<Chrome>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    account: String,
    #[serde(default)]
    staff: String,
}

pub async fn audit(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<Admins>,
    csrf: CsrfToken,
    Query(query): Query<AuditQuery>,
) -> StaffPageResult {
    let (lines, errors) = match audit::search(&state, &auth, Some(&query.account), Some(&query.staff)).await {
        Ok(found) => {
            let lines = found
                .into_iter()
                .map(|l| {
                    [
                        format_time(unix_to_datetime(l.at)),
                        format!("{} ({})", l.staff_email, l.staff_role),
                        l.action,
                        l.account_number.unwrap_or_default(),
                        l.receipt_number.unwrap_or_default(),
                        l.detail.unwrap_or_default(),
                    ]
                })
                .collect();
            (lines, FieldErrors::new())
        }
        Err(ServiceError::Invalid(errors)) => (Vec::new(), errors),
        Err(other) => return Err(other.into()),
    };
    let page = AuditPage {
        account: query.account,
        staff: query.staff,
        lines,
        errors,
        chrome: Some(Chrome::new(&auth, &csrf)),
    };
    Ok(page.into_response())
}
