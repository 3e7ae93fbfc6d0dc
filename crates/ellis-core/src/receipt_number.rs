//! Receipt numbers (DOMAIN.md §1): three letters and ten digits naming one case. People type them with
//! dashes and spaces, in any case; parsing strips those and uppercases. An unknown prefix is accepted (the
//! set is open) and only flagged, so a page can warn instead of refusing.
//!
//! Layouts of the ten digits:
//! - service center: `CCC YY DDD 5 NNNN` (fiscal year, workday of the fiscal year, 5, serial);
//! - lockbox: `CCC YY 9 DDD NNNN`;
//! - filed online with ellis: `IOE YY NNNNNNNN` (an 8-digit sequence per fiscal year).

use std::fmt;

use time::{Date, Month};

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReceiptNumber([u8; 13]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptNumberError {
    #[error("Enter the receipt number")]
    Empty,
    #[error("A receipt number is 3 letters and 10 digits, like IOE2612345678")]
    Malformed,
    #[error(
        "This looks like a USCIS Online Account Number, not a receipt number: a receipt number starts with 3 letters"
    )]
    LooksLikeAccountNumber,
}

/// The offices whose prefixes ellis knows (the prefix stays when a case is transferred).
pub const KNOWN_PREFIXES: &[(&str, &str)] = &[
    ("EAC", "Vermont Service Center"),
    ("WAC", "California Service Center"),
    ("LIN", "Nebraska Service Center"),
    ("SRC", "Texas Service Center"),
    ("MSC", "National Benefits Center"),
    ("NBC", "National Benefits Center"),
    ("YSC", "Potomac Service Center"),
    ("IOE", "USCIS Electronic Immigration System"),
];

/// How a paper case's ten digits are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperLayout {
    ServiceCenter,
    Lockbox,
}

impl ReceiptNumber {
    pub fn parse(input: &str) -> Result<Self, ReceiptNumberError> {
        let cleaned: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        if cleaned.is_empty() {
            return Err(ReceiptNumberError::Empty);
        }
        if cleaned.len() == 12 && cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(ReceiptNumberError::LooksLikeAccountNumber);
        }
        let bytes = cleaned.as_bytes();
        let well_formed = bytes.len() == 13
            && bytes[..3].iter().all(u8::is_ascii_uppercase)
            && bytes[3..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(ReceiptNumberError::Malformed);
        }
        let mut out = [0u8; 13];
        out.copy_from_slice(bytes);
        Ok(Self(out))
    }

    /// A case filed online with ellis: `IOE` + the fiscal year's last two digits + an 8-digit sequence.
    pub fn online(fiscal_year: u16, sequence: u32) -> Option<Self> {
        (sequence < 100_000_000).then(|| Self::from_digits("IOE", &format!("{:02}{sequence:08}", fiscal_year % 100)))?
    }

    /// A paper case in the given layout; `workday` counts the fiscal year's receipting days from 1.
    pub fn paper(prefix: &str, layout: PaperLayout, fiscal_year: u16, workday: u16, serial: u16) -> Option<Self> {
        if !(1..=366).contains(&workday) || serial > 9999 {
            return None;
        }
        let yy = fiscal_year % 100;
        let digits = match layout {
            PaperLayout::ServiceCenter => format!("{yy:02}{workday:03}5{serial:04}"),
            PaperLayout::Lockbox => format!("{yy:02}9{workday:03}{serial:04}"),
        };
        Self::from_digits(prefix, &digits)
    }

    fn from_digits(prefix: &str, digits: &str) -> Option<Self> {
        Self::parse(&format!("{prefix}{digits}")).ok()
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    pub fn prefix(&self) -> &str {
        &self.as_str()[..3]
    }

    /// The office a known prefix names; `None` for a prefix ellis does not know (warn, do not refuse).
    pub fn office(&self) -> Option<&'static str> {
        KNOWN_PREFIXES.iter().find(|(prefix, _)| *prefix == self.prefix()).map(|(_, office)| *office)
    }

    /// Whether the ten digits fit a paper layout (a sanity check for intake, not for look-ups).
    pub fn fits(&self, layout: PaperLayout) -> bool {
        let digits = &self.as_str()[3..];
        let number = |range: std::ops::Range<usize>| digits[range].parse::<u16>().unwrap_or(0);
        match layout {
            PaperLayout::ServiceCenter => &digits[5..6] == "5" && (1..=366).contains(&number(2..5)),
            PaperLayout::Lockbox => &digits[2..3] == "9" && (1..=366).contains(&number(3..6)),
        }
    }
}

/// The U.S. federal fiscal year of `date` (it starts on 1 October: 1 October 2025 is in fiscal year 2026).
pub fn fiscal_year(date: Date) -> u16 {
    let year = date.year() as u16;
    if date.month() >= Month::October { year + 1 } else { year }
}

/// The receipting workday of `date` within its fiscal year: weekdays counted from 1 October, that day being
/// 1 if it is a weekday (federal holidays are not modelled). A weekend date counts as the weekday before it.
pub fn workday_of_fiscal_year(date: Date) -> u16 {
    let start_year = i32::from(fiscal_year(date)) - 1;
    let Ok(start) = Date::from_calendar_date(start_year, Month::October, 1) else {
        return 1;
    };
    let mut day = start;
    let mut count = 0u16;
    while day <= date {
        if !matches!(day.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
            count += 1;
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    count.max(1)
}

impl fmt::Display for ReceiptNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ReceiptNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReceiptNumber({self})")
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn receipt_numbers_are_accepted_with_dashes_spaces_and_any_case() {
        for typed in ["IOE2612345678", "ioe-261-234-5678", " IOE 26 1234 5678 ", "Ioe2612345678"] {
            assert_eq!(ReceiptNumber::parse(typed).unwrap().as_str(), "IOE2612345678", "{typed}");
        }
    }

    #[test]
    fn malformed_receipt_numbers_are_refused_with_the_reason() {
        assert_eq!(ReceiptNumber::parse(""), Err(ReceiptNumberError::Empty));
        assert_eq!(ReceiptNumber::parse("IOE261234567"), Err(ReceiptNumberError::Malformed));
        assert_eq!(ReceiptNumber::parse("IO02612345678"), Err(ReceiptNumberError::Malformed));
        assert_eq!(ReceiptNumber::parse("IOE26123456789"), Err(ReceiptNumberError::Malformed));
        assert_eq!(ReceiptNumber::parse("1234-5678-9012"), Err(ReceiptNumberError::LooksLikeAccountNumber));
        assert_eq!(ReceiptNumber::parse("ÉOE2612345678"), Err(ReceiptNumberError::Malformed));
    }

    #[test]
    fn unknown_prefixes_parse_but_name_no_office() {
        let known = ReceiptNumber::parse("LIN2015550257").unwrap();
        assert_eq!(known.office(), Some("Nebraska Service Center"));
        assert_eq!(ReceiptNumber::parse("ZZZ2015550257").unwrap().office(), None);
    }

    #[test]
    fn the_fiscal_year_starts_on_the_first_of_october() {
        assert_eq!(fiscal_year(date!(2025 - 09 - 30)), 2025);
        assert_eq!(fiscal_year(date!(2025 - 10 - 01)), 2026);
        assert_eq!(fiscal_year(date!(2026 - 01 - 01)), 2026);
        assert_eq!(fiscal_year(date!(2026 - 12 - 31)), 2027);
    }

    #[test]
    fn workdays_count_weekdays_from_the_first_of_october() {
        assert_eq!(workday_of_fiscal_year(date!(2025 - 10 - 01)), 1, "a Wednesday");
        assert_eq!(workday_of_fiscal_year(date!(2025 - 10 - 03)), 3, "Friday");
        assert_eq!(workday_of_fiscal_year(date!(2025 - 10 - 05)), 3, "Sunday counts as Friday");
        assert_eq!(workday_of_fiscal_year(date!(2025 - 10 - 06)), 4, "Monday");
        assert_eq!(workday_of_fiscal_year(date!(2026 - 09 - 30)), 261);
    }

    #[test]
    fn online_numbers_carry_the_fiscal_year_and_an_eight_digit_sequence() {
        assert_eq!(ReceiptNumber::online(2026, 1).unwrap().as_str(), "IOE2600000001");
        assert_eq!(ReceiptNumber::online(2027, 99_999_999).unwrap().as_str(), "IOE2799999999");
        assert_eq!(ReceiptNumber::online(2027, 100_000_000), None);
    }

    #[test]
    fn paper_layouts_place_the_year_workday_and_serial() {
        let center = ReceiptNumber::paper("LIN", PaperLayout::ServiceCenter, 2020, 155, 257).unwrap();
        assert_eq!(center.as_str(), "LIN2015550257", "DOMAIN.md's example");
        assert!(center.fits(PaperLayout::ServiceCenter) && !center.fits(PaperLayout::Lockbox));
        let lockbox = ReceiptNumber::paper("MSC", PaperLayout::Lockbox, 2026, 42, 1234).unwrap();
        assert_eq!(lockbox.as_str(), "MSC2690421234");
        assert!(lockbox.fits(PaperLayout::Lockbox));
        assert_eq!(ReceiptNumber::paper("LIN", PaperLayout::ServiceCenter, 2020, 0, 1), None);
        assert_eq!(ReceiptNumber::paper("LIN", PaperLayout::ServiceCenter, 2020, 1, 10_000), None);
    }
}
