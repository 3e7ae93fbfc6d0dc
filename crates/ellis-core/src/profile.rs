//! The personal details on an account: names, date of birth, phone and mailing address, each parsed.

use serde::{Deserialize, Serialize};
use time::{Date, format_description::BorrowedFormatItem, macros::format_description};

const ISO_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// A given or family name, as written on USCIS forms: Latin letters, spaces, hyphens, apostrophes, periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("This field is required")]
    Required,
    #[error("Use at most {0} characters")]
    TooLong(usize),
    #[error("Use Latin letters, spaces, hyphens, apostrophes and periods, as on USCIS forms")]
    NameCharacters,
    #[error("Enter a date as YYYY-MM-DD")]
    DateFormat,
    #[error("A date of birth cannot be in the future")]
    DateInFuture,
    #[error("A date of birth cannot be before 1900")]
    DateTooEarly,
    #[error("Enter a phone number of 10 to 15 digits, optionally starting with +")]
    Phone,
    #[error("Enter a two-letter U.S. state or territory code, such as CA")]
    State,
    #[error("Enter a ZIP code like 12345 or 12345-6789")]
    Zip,
}

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, ProfileError> {
        let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(ProfileError::Required);
        }
        if collapsed.chars().count() > 60 {
            return Err(ProfileError::TooLong(60));
        }
        let latin = |c: char| c.is_ascii_alphabetic() || ('\u{C0}'..='\u{FF}').contains(&c) && c != '×' && c != '÷';
        if !collapsed.chars().all(|c| latin(c) || " -'.".contains(c)) || !collapsed.chars().any(latin) {
            return Err(ProfileError::NameCharacters);
        }
        Ok(Self(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses `YYYY-MM-DD` (the API's date format).
pub fn parse_date(input: &str) -> Result<Date, ProfileError> {
    Date::parse(input.trim(), ISO_DATE).map_err(|_| ProfileError::DateFormat)
}

pub fn format_date(date: Date) -> String {
    date.format(ISO_DATE).expect("ISO dates always format")
}

/// A date of birth: a real date between 1900 and `today`.
pub fn parse_date_of_birth(input: &str, today: Date) -> Result<Date, ProfileError> {
    if input.trim().is_empty() {
        return Err(ProfileError::Required);
    }
    let date = parse_date(input)?;
    if date > today {
        return Err(ProfileError::DateInFuture);
    }
    if date.year() < 1900 {
        return Err(ProfileError::DateTooEarly);
    }
    Ok(date)
}

/// A phone number kept as `+` and digits; ten digits are taken as a U.S. number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, ProfileError> {
        let trimmed = input.trim();
        let international = trimmed.starts_with('+');
        let body = trimmed.trim_start_matches('+');
        if !body.chars().all(|c| c.is_ascii_digit() || " -().".contains(c)) {
            return Err(ProfileError::Phone);
        }
        let digits: String = body.chars().filter(char::is_ascii_digit).collect();
        match (international, digits.len()) {
            (false, 10) => Ok(Self(format!("+1{digits}"))),
            (_, 10..=15) => Ok(Self(format!("+{digits}"))),
            _ => Err(ProfileError::Phone),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The two-letter codes USPS accepts: states, DC, territories and military post offices.
const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI", "AA",
    "AE", "AP",
];

/// A U.S. mailing address, as the profile and the notices carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailingAddress {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
}

/// The address as typed, before parsing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailingAddressInput {
    #[serde(default)]
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub zip: String,
}

impl MailingAddress {
    /// Parses every part, naming failures `<prefix>.line1`, `<prefix>.city`, ...
    pub fn parse(input: &MailingAddressInput, prefix: &str, errors: &mut crate::FieldErrors) -> Option<Self> {
        let line = |value: &str, max: usize| -> Result<String, ProfileError> {
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            if value.is_empty() {
                Err(ProfileError::Required)
            } else if value.chars().count() > max {
                Err(ProfileError::TooLong(max))
            } else {
                Ok(value)
            }
        };
        let line1 = errors.check(&format!("{prefix}.line1"), line(&input.line1, 100));
        let line2 = match input.line2.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(text) => errors.check(&format!("{prefix}.line2"), line(text, 100)).map(Some),
        };
        let city = errors.check(&format!("{prefix}.city"), line(&input.city, 60));
        let state_code = input.state.trim().to_ascii_uppercase();
        let state = errors.check(
            &format!("{prefix}.state"),
            if US_STATES.contains(&state_code.as_str()) { Ok(state_code) } else { Err(ProfileError::State) },
        );
        let zip = errors.check(&format!("{prefix}.zip"), parse_zip(&input.zip));
        Some(Self { line1: line1?, line2: line2?, city: city?, state: state?, zip: zip? })
    }
}

fn parse_zip(input: &str) -> Result<String, ProfileError> {
    let zip = input.trim();
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    let valid = match zip.split_once('-') {
        Some((five, four)) => digits(five, 5) && digits(four, 4),
        None => digits(zip, 5),
    };
    if valid { Ok(zip.to_owned()) } else { Err(ProfileError::Zip) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn names_allow_the_punctuation_of_real_names() {
        assert_eq!(PersonName::parse("  María  José ").unwrap().as_str(), "María José");
        assert!(PersonName::parse("O'Brien-Smith Jr.").is_ok());
        assert_eq!(PersonName::parse(""), Err(ProfileError::Required));
        assert_eq!(PersonName::parse("<script>"), Err(ProfileError::NameCharacters));
        assert_eq!(PersonName::parse("--"), Err(ProfileError::NameCharacters));
        assert_eq!(PersonName::parse(&"a".repeat(61)), Err(ProfileError::TooLong(60)));
    }

    #[test]
    fn dates_of_birth_must_be_real_and_past() {
        let today = date!(2026 - 11 - 26);
        assert_eq!(parse_date_of_birth("1990-04-01", today), Ok(date!(1990 - 04 - 01)));
        assert_eq!(parse_date_of_birth("1990-02-30", today), Err(ProfileError::DateFormat));
        assert_eq!(parse_date_of_birth("04/01/1990", today), Err(ProfileError::DateFormat));
        assert_eq!(parse_date_of_birth("2026-11-27", today), Err(ProfileError::DateInFuture));
        assert_eq!(parse_date_of_birth("1899-12-31", today), Err(ProfileError::DateTooEarly));
        assert_eq!(parse_date_of_birth(" ", today), Err(ProfileError::Required));
    }

    #[test]
    fn phones_normalise_to_plus_and_digits() {
        assert_eq!(Phone::parse("(202) 555-0143").unwrap().as_str(), "+12025550143");
        assert_eq!(Phone::parse("+52 55 1234 5678").unwrap().as_str(), "+525512345678");
        assert_eq!(Phone::parse("555-0143"), Err(ProfileError::Phone));
        assert_eq!(Phone::parse("call me"), Err(ProfileError::Phone));
    }

    #[test]
    fn addresses_name_each_bad_part() {
        let mut errors = crate::FieldErrors::new();
        let input = MailingAddressInput {
            line1: "1 Main St".into(),
            line2: Some(" ".into()),
            city: "".into(),
            state: "XX".into(),
            zip: "1234".into(),
        };
        assert_eq!(MailingAddress::parse(&input, "mailing_address", &mut errors), None);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["mailing_address.city", "mailing_address.state", "mailing_address.zip"]);

        let mut errors = crate::FieldErrors::new();
        let good = MailingAddressInput { city: "Austin".into(), state: "tx".into(), zip: "78701-1234".into(), ..input };
        let address = MailingAddress::parse(&good, "mailing_address", &mut errors).unwrap();
        assert_eq!((address.state.as_str(), address.line2), ("TX", None));
    }
}
