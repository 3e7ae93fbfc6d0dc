//! `/staff/intake`: an officer enters a filing received on paper. The receipt number follows the real
//! layout of the office chosen; naming an online account number (check digit checked, aliases resolved)
//! puts the case in that account, otherwise an Account Access Notice with an Online Access Code is made.
//! The code is shown here once (only its hash is kept) and printed on the mailed notice.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ellis_core::FieldErrors;
use ellis_core::forms::FormDefinition;
use ellis_core::receipt_number::{KNOWN_PREFIXES, PaperLayout};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Chrome, StaffPage, StaffPageResult};
use crate::AppState;
use crate::services::ServiceError;
use crate::services::cases::filing;
use crate::services::cases::intake::{self, PaperFiling};
use crate::web::api::v1::notices::pdf_response;
use crate::web::extract::{ClientInfo, CsrfToken, Officers};
use crate::web::pages::ErrorSummary;
use crate::web::pages::cases::file::{SectionView, form_sections, values_from};

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/intake_forms.html")]
struct ChoosePage {
    forms: Vec<(&'static str, &'static str)>,
    chrome: Option<Chrome>,
}

pub async fn choose(StaffPage(auth, _): StaffPage<Officers>, csrf: CsrfToken) -> impl IntoResponse {
    let forms = ellis_core::forms::all().iter().map(|f| (f.form_type, f.title)).collect();
    ChoosePage { forms, chrome: Some(Chrome::new(&auth, &csrf)) }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/intake.html")]
struct IntakePage {
    form_type: &'static str,
    title: &'static str,
    offices: Vec<(&'static str, &'static str, bool)>,
    lockbox: bool,
    account_number: String,
    sections: Vec<SectionView>,
    errors: FieldErrors,
    csrf: String,
    chrome: Option<Chrome>,
}

fn page(form: &FormDefinition, values: &Map<String, Value>, paper: &Paper, chrome: Chrome) -> IntakePage {
    let offices = KNOWN_PREFIXES
        .iter()
        .filter(|(prefix, _)| *prefix != "IOE")
        .map(|(prefix, office)| (*prefix, *office, *prefix == paper.prefix))
        .collect();
    IntakePage {
        form_type: form.form_type,
        title: form.title,
        offices,
        lockbox: paper.lockbox,
        account_number: paper.account_number.clone(),
        sections: form_sections(form, values, false),
        errors: FieldErrors::new(),
        csrf: chrome.csrf.clone(),
        chrome: Some(chrome),
    }
}

/// The intake's own fields, apart from the form's.
#[derive(Default)]
struct Paper {
    prefix: String,
    lockbox: bool,
    account_number: String,
}

pub async fn show(
    StaffPage(auth, _): StaffPage<Officers>,
    csrf: CsrfToken,
    Path(form_type): Path<String>,
) -> StaffPageResult {
    let form = filing::form(&form_type).map_err(|_| ServiceError::NotFound)?;
    let paper = Paper { prefix: "LIN".to_owned(), ..Paper::default() };
    Ok(page(&form, &Map::new(), &paper, Chrome::new(&auth, &csrf)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff/intake_done.html")]
struct DonePage {
    receipt: String,
    access_code: Option<String>,
    notices: Vec<String>,
    /// The Account Access Notice, which prints the code only in the copy made for mailing.
    access_notice: Option<String>,
    csrf: String,
    chrome: Option<Chrome>,
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    StaffPage(auth, _): StaffPage<Officers>,
    csrf: CsrfToken,
    Path(form_type): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> StaffPageResult {
    let form = filing::form(&form_type).map_err(|_| ServiceError::NotFound)?;
    let take = |name: &str| posted.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let paper =
        Paper { prefix: take("prefix"), lockbox: take("layout") == "lockbox", account_number: take("account_number") };
    let own = ["prefix", "layout", "account_number"];
    let form_fields: Vec<(String, String)> =
        posted.iter().filter(|(k, _)| !own.contains(&k.as_str())).cloned().collect();
    let (values, _) = values_from(&form, &form_fields);
    let filing = PaperFiling {
        form_type: form.form_type.to_owned(),
        prefix: paper.prefix.clone(),
        layout: if paper.lockbox { PaperLayout::Lockbox } else { PaperLayout::ServiceCenter },
        fields: values.clone(),
        account_number: Some(paper.account_number.clone()),
        received_by: Some(auth.member.id),
    };
    match intake::intake(&state, filing, &client).await {
        Ok(done) => {
            let access_notice = done.access_code.as_ref().and_then(|_| done.mailed.get(1)).map(|(id, _)| id.clone());
            let chrome = Chrome::new(&auth, &csrf);
            let page = DonePage {
                receipt: done.receipt_number.to_string(),
                access_code: done.access_code.map(|c| c.to_string()),
                notices: done.mailed.iter().map(|(id, _)| id.clone()).collect(),
                access_notice,
                csrf: chrome.csrf.clone(),
                chrome: Some(chrome),
            };
            Ok((StatusCode::CREATED, page).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let page = IntakePage { errors, ..page(&form, &values, &paper, Chrome::new(&auth, &csrf)) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct MailCopyForm {
    #[serde(default)]
    notice: String,
    #[serde(default)]
    access_code: String,
}

/// `POST /staff/intake/mail-copy`: the Account Access Notice with its code printed, to put in the mail.
pub async fn mail_copy(
    State(state): State<AppState>,
    StaffPage(auth, _): StaffPage<Officers>,
    Form(form): Form<MailCopyForm>,
) -> StaffPageResult {
    let (file_name, bytes) = intake::mail_copy(&state, &auth, &form.notice, &form.access_code).await?;
    Ok(pdf_response(&file_name, bytes))
}
