//! The forms ellis files online (DOMAIN.md §4), each describing itself (API.md "Cases"): one definition
//! serves the API's `GET /forms`, the generated HTML pages, and field-by-field validation. Every form carries
//! the sections that identify the applicant (and the beneficiary where the form has one), the request
//! itself, a mailing address, and a typed-name e-signature under the penalty-of-perjury statement.

use serde::Serialize;
use serde_json::{Map, Value};
use time::Date;

use crate::FieldErrors;
use crate::a_number::ANumber;
use crate::email::EmailAddress;
use crate::profile::{
    MailingAddress, MailingAddressInput, PersonName, Phone, format_date, parse_date, parse_date_of_birth,
};
use crate::receipt_number::ReceiptNumber;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Date,
    Choice,
    Boolean,
    Email,
    Phone,
    ANumber,
    ReceiptNumber,
    Address,
    Signature,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<&'static [Choice]>,
    /// The form's part this field belongs to ("Information About You", ...), for pages.
    pub section: &'static str,
    /// A date of birth (not in the future, not before 1900) rather than any date.
    #[serde(skip)]
    pub birth_date: bool,
}

/// One fileable form.
#[derive(Debug, Clone, Serialize)]
pub struct FormDefinition {
    pub form_type: &'static str,
    pub title: &'static str,
    pub fields: Vec<Field>,
    /// The fields whose typed names the signature must match, as (given, family).
    #[serde(skip)]
    pub signer: (&'static str, &'static str),
    /// Who the notices name as the applicant (or petitioner), and the beneficiary if any, as (given, family).
    #[serde(skip)]
    pub beneficiary: Option<(&'static str, &'static str)>,
}

pub const PERJURY_STATEMENT: &str = "I certify, under penalty of perjury under the laws of the United States of \
    America, that the information in this form is complete, true and correct. Type your full name (given name, \
    then family name) to sign.";

const fn field(
    name: &'static str,
    label: &'static str,
    kind: FieldType,
    required: bool,
    section: &'static str,
) -> Field {
    Field { name, label, kind, required, choices: None, section, birth_date: false }
}

const fn choice(name: &'static str, label: &'static str, choices: &'static [Choice], section: &'static str) -> Field {
    Field { name, label, kind: FieldType::Choice, required: true, choices: Some(choices), section, birth_date: false }
}

const fn birth(name: &'static str, label: &'static str, section: &'static str) -> Field {
    Field { name, label, kind: FieldType::Date, required: true, choices: None, section, birth_date: true }
}

const YOU: &str = "Information About You";
const REQUEST: &str = "Your Request";
const CONTACT: &str = "Contact Information";
const SIGN: &str = "Signature";

const I90_REASONS: &[Choice] = &[
    Choice { value: "lost_stolen_destroyed", label: "My card was lost, stolen or destroyed" },
    Choice { value: "never_received", label: "My card was issued but never received" },
    Choice { value: "mutilated", label: "My card is mutilated" },
    Choice { value: "uscis_error", label: "My card has incorrect data because of a USCIS error" },
    Choice { value: "name_changed", label: "My name or other biographic information changed" },
    Choice { value: "turned_14", label: "I reached my 14th birthday" },
    Choice { value: "expiring", label: "My card has expired or will expire within six months" },
];

const SEX: &[Choice] = &[Choice { value: "female", label: "Female" }, Choice { value: "male", label: "Male" }];

const I130_RELATIONSHIPS: &[Choice] = &[
    Choice { value: "spouse", label: "Spouse" },
    Choice { value: "parent", label: "Parent" },
    Choice { value: "child", label: "Child" },
    Choice { value: "sibling", label: "Brother or sister" },
];

const PETITIONER_STATUS: &[Choice] = &[
    Choice { value: "us_citizen", label: "U.S. citizen" },
    Choice { value: "lawful_permanent_resident", label: "Lawful permanent resident" },
];

const I765_CATEGORIES: &[Choice] = &[
    Choice { value: "a05", label: "(a)(5) Asylee" },
    Choice { value: "a10", label: "(a)(10) Granted withholding of deportation or removal" },
    Choice { value: "a12", label: "(a)(12) Temporary Protected Status granted" },
    Choice { value: "c03b", label: "(c)(3)(B) Student: post-completion OPT" },
    Choice { value: "c08", label: "(c)(8) Pending asylum application" },
    Choice { value: "c09", label: "(c)(9) Pending adjustment of status" },
    Choice { value: "c33", label: "(c)(33) Deferred Action for Childhood Arrivals" },
];

const I765_REASONS: &[Choice] = &[
    Choice { value: "initial", label: "Initial permission to accept employment" },
    Choice { value: "replacement", label: "Replacement of a lost, stolen or damaged card" },
    Choice { value: "renewal", label: "Renewal of my permission to accept employment" },
];

const N400_BASIS: &[Choice] = &[
    Choice { value: "five_years", label: "Permanent resident for at least 5 years" },
    Choice {
        value: "three_years_married",
        label: "Permanent resident for at least 3 years, married to a U.S. citizen",
    },
    Choice { value: "military", label: "Qualifying military service" },
    Choice { value: "other", label: "Other reason" },
];

fn applicant(a_number_required: bool) -> Vec<Field> {
    vec![
        field("family_name", "Family name (last name)", FieldType::Text, true, YOU),
        field("given_name", "Given name (first name)", FieldType::Text, true, YOU),
        field("middle_name", "Middle name", FieldType::Text, false, YOU),
        birth("date_of_birth", "Date of birth", YOU),
        field("country_of_birth", "Country of birth", FieldType::Text, true, YOU),
        field("a_number", "A-Number", FieldType::ANumber, a_number_required, YOU),
    ]
}

fn contact_and_signature() -> Vec<Field> {
    vec![
        field("mailing_address", "Mailing address", FieldType::Address, true, CONTACT),
        field("email", "Email address", FieldType::Email, false, CONTACT),
        field("phone", "Daytime phone", FieldType::Phone, false, CONTACT),
        field("signature", PERJURY_STATEMENT, FieldType::Signature, true, SIGN),
    ]
}

/// Every form ellis files online.
pub fn all() -> Vec<FormDefinition> {
    let i90 = {
        let mut fields = applicant(true);
        fields.push(choice("sex", "Sex", SEX, YOU));
        fields.push(choice("reason", "Reason for your application", I90_REASONS, REQUEST));
        fields.extend(contact_and_signature());
        FormDefinition {
            form_type: "I-90",
            title: "Application to Replace Permanent Resident Card",
            fields,
            signer: ("given_name", "family_name"),
            beneficiary: None,
        }
    };
    let i130 = {
        const PETITIONER: &str = "Information About You (Petitioner)";
        const BENEFICIARY: &str = "Information About Your Relative (Beneficiary)";
        let mut fields = vec![
            choice("relationship", "Your relative is your", I130_RELATIONSHIPS, REQUEST),
            field("family_name", "Family name (last name)", FieldType::Text, true, PETITIONER),
            field("given_name", "Given name (first name)", FieldType::Text, true, PETITIONER),
            birth("date_of_birth", "Date of birth", PETITIONER),
            choice("petitioner_status", "You are a", PETITIONER_STATUS, PETITIONER),
            field("a_number", "A-Number (if any)", FieldType::ANumber, false, PETITIONER),
            field("beneficiary_family_name", "Relative's family name", FieldType::Text, true, BENEFICIARY),
            field("beneficiary_given_name", "Relative's given name", FieldType::Text, true, BENEFICIARY),
            birth("beneficiary_date_of_birth", "Relative's date of birth", BENEFICIARY),
            field("beneficiary_country_of_birth", "Relative's country of birth", FieldType::Text, true, BENEFICIARY),
            field("beneficiary_a_number", "Relative's A-Number (if any)", FieldType::ANumber, false, BENEFICIARY),
        ];
        fields.extend(contact_and_signature());
        FormDefinition {
            form_type: "I-130",
            title: "Petition for Alien Relative",
            fields,
            signer: ("given_name", "family_name"),
            beneficiary: Some(("beneficiary_given_name", "beneficiary_family_name")),
        }
    };
    let i765 = {
        let mut fields = applicant(false);
        fields.push(field("country_of_citizenship", "Country of citizenship", FieldType::Text, true, YOU));
        fields.push(choice("application_reason", "I am applying for", I765_REASONS, REQUEST));
        fields.push(choice("eligibility_category", "Eligibility category", I765_CATEGORIES, REQUEST));
        fields.push(field(
            "previous_receipt_number",
            "Receipt number of a related case (if any)",
            FieldType::ReceiptNumber,
            false,
            REQUEST,
        ));
        fields.extend(contact_and_signature());
        FormDefinition {
            form_type: "I-765",
            title: "Application for Employment Authorization",
            fields,
            signer: ("given_name", "family_name"),
            beneficiary: None,
        }
    };
    let n400 = {
        let mut fields = applicant(true);
        fields.push(field(
            "permanent_resident_since",
            "Date you became a permanent resident",
            FieldType::Date,
            true,
            YOU,
        ));
        fields.push(choice("eligibility_basis", "Basis of eligibility", N400_BASIS, REQUEST));
        fields.push(field(
            "served_in_military",
            "I have served in the U.S. armed forces",
            FieldType::Boolean,
            false,
            REQUEST,
        ));
        fields.extend(contact_and_signature());
        FormDefinition {
            form_type: "N-400",
            title: "Application for Naturalization",
            fields,
            signer: ("given_name", "family_name"),
            beneficiary: None,
        }
    };
    vec![i90, i130, i765, n400]
}

/// The form of this type (`I-90`, `i90` and `I 90` alike).
pub fn find(form_type: &str) -> Option<FormDefinition> {
    let wanted: String = form_type.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    all().into_iter().find(|form| form.form_type.replace('-', "") == wanted)
}

/// A filing that passed validation: every value normalised (names collapsed, A-Numbers as `A012345678`,
/// dates as `YYYY-MM-DD`, addresses as objects).
#[derive(Debug, Clone)]
pub struct ValidFiling {
    pub values: Map<String, Value>,
}

impl ValidFiling {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(Value::as_str)
    }

    pub fn mailing_address(&self) -> Option<MailingAddress> {
        self.values.get("mailing_address").and_then(|v| serde_json::from_value(v.clone()).ok())
    }
}

impl FormDefinition {
    /// Checks every field; errors are named `fields.<name>` (and `fields.mailing_address.city` ...). With
    /// `partial`, missing required fields are allowed (a draft), but what is there must be valid.
    pub fn validate(&self, input: &Map<String, Value>, today: Date, partial: bool) -> Result<ValidFiling, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut values = Map::new();
        for name in input.keys() {
            if !self.fields.iter().any(|f| f.name == name) {
                errors.add(&format!("fields.{name}"), format!("Form {} has no field {name}", self.form_type));
            }
        }
        for field in &self.fields {
            let key = format!("fields.{}", field.name);
            let raw = input.get(field.name).filter(|v| !is_blank(v));
            let Some(raw) = raw else {
                if field.required && !partial {
                    errors.add(&key, "This field is required");
                }
                continue;
            };
            if let Some(value) = check_value(field, raw, today, &key, &mut errors) {
                values.insert(field.name.to_owned(), value);
            }
        }
        if !partial || values.contains_key("signature") {
            self.check_signature(&values, &mut errors);
        }
        errors.into_result()?;
        Ok(ValidFiling { values })
    }

    fn check_signature(&self, values: &Map<String, Value>, errors: &mut FieldErrors) {
        let (Some(signature), Some(given), Some(family)) = (
            values.get("signature").and_then(Value::as_str),
            values.get(self.signer.0).and_then(Value::as_str),
            values.get(self.signer.1).and_then(Value::as_str),
        ) else {
            return;
        };
        let expected = format!("{given} {family}");
        if !signature.eq_ignore_ascii_case(&expected) {
            errors.add("fields.signature", format!("Type your full name as it appears above: {expected}"));
        }
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

fn check_value(field: &Field, raw: &Value, today: Date, key: &str, errors: &mut FieldErrors) -> Option<Value> {
    let text = || raw.as_str().map(str::trim);
    let text_or_type_error = |errors: &mut FieldErrors| match text() {
        Some(text) => Some(text.to_owned()),
        None => {
            errors.add(key, "Enter text here");
            None
        }
    };
    match field.kind {
        FieldType::Text | FieldType::Signature => {
            let text = text_or_type_error(errors)?;
            if field.name.ends_with("name") || field.kind == FieldType::Signature {
                errors.check(key, PersonName::parse(&text)).map(|n| Value::from(n.as_str()))
            } else if text.chars().count() > 100 {
                errors.add(key, "Use at most 100 characters");
                None
            } else {
                Some(Value::from(text.split_whitespace().collect::<Vec<_>>().join(" ")))
            }
        }
        FieldType::Date => {
            let text = text_or_type_error(errors)?;
            let date = if field.birth_date { parse_date_of_birth(&text, today) } else { parse_date(&text) };
            errors.check(key, date).map(|d| Value::from(format_date(d)))
        }
        FieldType::Choice => {
            let text = text_or_type_error(errors)?;
            let choices = field.choices.unwrap_or(&[]);
            if choices.iter().any(|c| c.value == text) {
                Some(Value::from(text))
            } else {
                let allowed: Vec<&str> = choices.iter().map(|c| c.value).collect();
                errors.add(key, format!("Choose one of: {}", allowed.join(", ")));
                None
            }
        }
        FieldType::Boolean => match raw {
            Value::Bool(value) => Some(Value::from(*value)),
            Value::String(text) if matches!(text.as_str(), "true" | "on" | "yes") => Some(Value::from(true)),
            Value::String(text) if matches!(text.as_str(), "false" | "off" | "no") => Some(Value::from(false)),
            _ => {
                errors.add(key, "Answer yes or no");
                None
            }
        },
        FieldType::Email => {
            let parsed = EmailAddress::parse(&text_or_type_error(errors)?);
            errors.check(key, parsed).map(|e| Value::from(e.as_str()))
        }
        FieldType::Phone => {
            let parsed = Phone::parse(&text_or_type_error(errors)?);
            errors.check(key, parsed).map(|p| Value::from(p.as_str()))
        }
        FieldType::ANumber => {
            let parsed = ANumber::parse(&text_or_type_error(errors)?);
            errors.check(key, parsed).map(|a| Value::from(a.to_string()))
        }
        FieldType::ReceiptNumber => {
            let parsed = ReceiptNumber::parse(&text_or_type_error(errors)?);
            errors.check(key, parsed).map(|r| Value::from(r.as_str()))
        }
        FieldType::Address => {
            let input: MailingAddressInput = match serde_json::from_value(raw.clone()) {
                Ok(input) => input,
                Err(_) => {
                    errors.add(key, "Give an address with line1, line2, city, state and zip");
                    return None;
                }
            };
            MailingAddress::parse(&input, key, errors).and_then(|address| serde_json::to_value(address).ok())
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 26);

    fn i90() -> Map<String, Value> {
        json!({
            "family_name": "Díaz", "given_name": "Ana María", "date_of_birth": "1990-04-01",
            "country_of_birth": "Mexico", "a_number": "12345678", "sex": "female", "reason": "lost_stolen_destroyed",
            "mailing_address": {"line1": "1 Main St", "city": "Austin", "state": "tx", "zip": "78701"},
            "signature": "ana maría díaz",
        })
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn the_four_forms_describe_themselves() {
        let types: Vec<&str> = all().iter().map(|f| f.form_type).collect();
        assert_eq!(types, ["I-90", "I-130", "I-765", "N-400"]);
        for form in all() {
            assert!(form.fields.iter().any(|f| f.kind == FieldType::Signature), "{}", form.form_type);
            assert!(form.fields.iter().any(|f| f.kind == FieldType::Address), "{}", form.form_type);
            assert!(
                form.fields.iter().any(|f| f.kind == FieldType::Choice),
                "{} asks what is requested",
                form.form_type
            );
        }
        assert_eq!(find("i90").unwrap().form_type, "I-90");
        assert_eq!(find("N-400").unwrap().title, "Application for Naturalization");
    }

    #[test]
    fn a_complete_filing_is_normalised() {
        let filing = find("I-90").unwrap().validate(&i90(), TODAY, false).unwrap();
        assert_eq!(filing.text("a_number"), Some("A012345678"));
        assert_eq!(filing.mailing_address().unwrap().state, "TX");
        assert_eq!(filing.text("given_name"), Some("Ana María"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut input = i90();
        input.insert("a_number".into(), json!("123456789012"));
        input.insert("reason".into(), json!("bored"));
        input.insert("date_of_birth".into(), json!("2030-01-01"));
        input.insert("mailing_address".into(), json!({"line1": "1 Main St", "city": "", "state": "XX", "zip": "1"}));
        input.insert("favourite_colour".into(), json!("blue"));
        input.remove("country_of_birth");
        let errors = find("I-90").unwrap().validate(&input, TODAY, false).unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "fields.a_number",
            "fields.reason",
            "fields.date_of_birth",
            "fields.mailing_address.city",
            "fields.mailing_address.state",
            "fields.mailing_address.zip",
            "fields.favourite_colour",
            "fields.country_of_birth",
        ] {
            assert!(named.contains(&field), "{field} in {named:?}");
        }
    }

    #[test]
    fn the_signature_must_be_the_applicants_typed_name() {
        let mut input = i90();
        input.insert("signature".into(), json!("Somebody Else"));
        let errors = find("I-90").unwrap().validate(&input, TODAY, false).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["fields.signature"]);
    }

    #[test]
    fn a_draft_may_be_incomplete_but_not_wrong() {
        let form = find("I-130").unwrap();
        let draft = json!({"family_name": "Díaz"}).as_object().unwrap().clone();
        assert!(form.validate(&draft, TODAY, true).is_ok());
        let wrong = json!({"relationship": "cousin"}).as_object().unwrap().clone();
        assert!(form.validate(&wrong, TODAY, true).is_err());
    }
}
