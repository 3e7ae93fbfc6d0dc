//! `/cases/new/{form}`: the form, generated from its definition in ellis-core, prefilled from the draft.
//! "Save draft" keeps what was typed (valid values only); "File" files it and shows the receipt number.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use ellis_core::FieldErrors;
use ellis_core::forms::{FieldType, FormDefinition};
use serde_json::{Map, Value};

use crate::AppState;
use crate::services::ServiceError;
use crate::services::auth::Need;
use crate::services::cases::filing;
use crate::web::extract::{ClientInfo, CsrfToken, PageAuth};
use crate::web::pages::{ErrorSummary, PageResult};

const ADDRESS_PARTS: [(&str, &str); 5] = [
    ("line1", "Street address"),
    ("line2", "Apartment, suite, unit (optional)"),
    ("city", "City"),
    ("state", "State (two letters)"),
    ("zip", "ZIP code"),
];

pub(crate) struct FieldView {
    pub(crate) id: String,
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) input_type: &'static str,
    pub(crate) required: bool,
    pub(crate) value: String,
    pub(crate) choices: Vec<(&'static str, &'static str, bool)>,
    pub(crate) address: Vec<(&'static str, &'static str, String)>,
}

pub(crate) struct SectionView {
    pub(crate) title: &'static str,
    pub(crate) fields: Vec<FieldView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/file_form.html")]
struct FilePage {
    form_type: &'static str,
    title: &'static str,
    fee: String,
    sections: Vec<SectionView>,
    errors: FieldErrors,
    saved: bool,
    signed_in: bool,
    csrf: String,
}

fn page(state: &AppState, form: &FormDefinition, values: &Map<String, Value>, csrf: String) -> FilePage {
    let sections = form_sections(form, values, true);
    let fee =
        state.config.online_fees_cents.get(form.form_type).copied().map(ellis_notices::dollars).unwrap_or_default();
    FilePage {
        form_type: form.form_type,
        title: form.title,
        fee,
        sections,
        errors: FieldErrors::new(),
        saved: false,
        signed_in: true,
        csrf,
    }
}

/// The form's fields grouped by section, filled in from `values`; `with_signature: false` leaves out the
/// typed-name signature (staff entering a paper filing do not sign for the applicant).
pub(crate) fn form_sections(
    form: &FormDefinition,
    values: &Map<String, Value>,
    with_signature: bool,
) -> Vec<SectionView> {
    let mut sections: Vec<SectionView> = Vec::new();
    for field in form.fields.iter().filter(|f| with_signature || f.kind != FieldType::Signature) {
        let text = |value: Option<&Value>| match value {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        };
        let value = values.get(field.name);
        let view = FieldView {
            id: format!("fields.{}", field.name),
            name: field.name,
            label: field.label,
            kind: kind_name(field.kind),
            input_type: match field.kind {
                FieldType::Date => "date",
                FieldType::Email => "email",
                FieldType::Phone => "tel",
                _ => "text",
            },
            required: field.required,
            value: text(value),
            choices: field
                .choices
                .unwrap_or(&[])
                .iter()
                .map(|c| (c.value, c.label, value.and_then(Value::as_str) == Some(c.value)))
                .collect(),
            address: ADDRESS_PARTS
                .iter()
                .map(|(part, label)| (*part, *label, text(value.and_then(|a| a.get(part)))))
                .collect(),
        };
        match sections.iter_mut().find(|s| s.title == field.section) {
            Some(section) => section.fields.push(view),
            None => sections.push(SectionView { title: field.section, fields: vec![view] }),
        }
    }
    sections
}

fn kind_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Address => "address",
        FieldType::Choice => "choice",
        FieldType::Boolean => "boolean",
        FieldType::Signature => "signature",
        _ => "text",
    }
}

pub async fn show(
    State(state): State<AppState>,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Path(form_type): Path<String>,
) -> PageResult {
    auth.require(Need::TwoFactor)?;
    let Ok(form) = filing::form(&form_type) else {
        return Err(ServiceError::NotFound.into());
    };
    let draft = filing::draft(&state, &auth, form.form_type).await?.unwrap_or_default();
    Ok(page(&state, &form, &draft, csrf).into_response())
}

/// The posted form as the JSON object the API takes: address parts nested, unchecked boxes absent.
pub(crate) fn values_from(form: &FormDefinition, posted: &[(String, String)]) -> (Map<String, Value>, String) {
    let mut values = Map::new();
    let mut action = String::new();
    for (name, value) in posted {
        if name == "action" {
            action.clone_from(value);
        } else if let Some((field, part)) = name.split_once('.') {
            let address = values.entry(field.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if let Some(address) = address.as_object_mut() {
                address.insert(part.to_owned(), Value::from(value.as_str()));
            }
        } else if form.fields.iter().any(|f| f.name == name && f.kind == FieldType::Boolean) {
            values.insert(name.clone(), Value::from(value == "true"));
        } else {
            values.insert(name.clone(), Value::from(value.as_str()));
        }
    }
    (values, action)
}

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageAuth(auth): PageAuth,
    CsrfToken(csrf): CsrfToken,
    Path(form_type): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> PageResult {
    let Ok(form) = filing::form(&form_type) else {
        return Err(ServiceError::NotFound.into());
    };
    let (values, action) = values_from(&form, &posted);
    let result = if action == "save" {
        filing::save_draft(&state, &auth, form.form_type, &values).await.map(|()| None)
    } else {
        filing::file(&state, &auth, form.form_type, &values, None, &client).await.map(Some)
    };
    match result {
        Ok(Some(filed)) => Ok(Redirect::to(&format!("/cases/{}?filed=1", filed.case.receipt_number)).into_response()),
        Ok(None) => Ok(FilePage { saved: true, ..page(&state, &form, &values, csrf) }.into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = FilePage { errors, ..page(&state, &form, &values, csrf) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
