//! `/cases`: the applicant's cases (with a marker on those updated since last seen) and drafts; and
//! `/cases/new`, the forms that can be filed online.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::IntoResponse;

use crate::AppState;
use crate::services::cases::{filing, tracking};
use crate::services::unix_to_datetime;
use crate::web::extract::{CsrfToken, PageAuth};
use crate::web::pages::{PageResult, format_time};

struct CaseRow {
    receipt: String,
    form_type: String,
    status: String,
    changed: String,
    unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/cases.html")]
struct CasesPage {
    cases: Vec<CaseRow>,
    drafts: Vec<(String, String)>,
    signed_in: bool,
    csrf: String,
}

pub async fn show(State(state): State<AppState>, PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    let cases = tracking::my_cases(&state, &auth)
        .await?
        .into_iter()
        .map(|case| CaseRow {
            receipt: case.receipt_number.to_string(),
            form_type: case.form_type,
            status: case.status_title,
            changed: format_time(unix_to_datetime(case.status_at)),
            unread: case.unread,
        })
        .collect();
    let drafts = filing::drafts(&state, &auth)
        .await?
        .into_iter()
        .map(|(form, at)| (form, format_time(unix_to_datetime(at))))
        .collect();
    Ok(CasesPage { cases, drafts, signed_in: true, csrf }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/new_case.html")]
struct NewCasePage {
    forms: Vec<(&'static str, &'static str, String)>,
    signed_in: bool,
    csrf: String,
}

pub async fn forms(State(state): State<AppState>, PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    auth.require(crate::services::auth::Need::TwoFactor)?;
    let forms = filing::forms(&state)
        .into_iter()
        .map(|f| (f.form.form_type, f.form.title, f.fee_cents.map(ellis_notices::dollars).unwrap_or_default()))
        .collect();
    Ok(NewCasePage { forms, signed_in: true, csrf }.into_response())
}
