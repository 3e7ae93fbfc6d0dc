//! The A-Number (Alien Registration Number): `A` + 7 to 9 digits naming a person's immigration record.
//! It is never the online account number. No checksum is published, so no length-valid input is refused.

use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ANumber(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ANumberError {
    #[error("An A-Number is the letter A followed by 7, 8 or 9 digits")]
    Malformed,
    #[error(
        "An A-Number has 7, 8 or 9 digits; 12 digits looks like a USCIS Online Account Number, which is a different number"
    )]
    LooksLikeAccountNumber,
}

impl ANumber {
    /// Accepts `A012345678`, `a-12345678`, `012 345 678`, `1234567`; stores nine digits, zero-padded.
    pub fn parse(input: &str) -> Result<Self, ANumberError> {
        let cleaned: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = cleaned.strip_prefix(['A', 'a']).unwrap_or(&cleaned);
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ANumberError::Malformed);
        }
        match digits.len() {
            7..=9 => digits.parse().map(Self).map_err(|_| ANumberError::Malformed),
            12 => Err(ANumberError::LooksLikeAccountNumber),
            _ => Err(ANumberError::Malformed),
        }
    }

    /// The nine stored digits, e.g. `012345678`.
    pub fn digits(&self) -> String {
        format!("{:09}", self.0)
    }
}

impl fmt::Display for ANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "A{:09}", self.0)
    }
}

impl fmt::Debug for ANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ANumber({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_eight_and_nine_digits_normalise_to_nine() {
        assert_eq!(ANumber::parse("1234567").unwrap().to_string(), "A001234567");
        assert_eq!(ANumber::parse("12345678").unwrap().to_string(), "A012345678");
        assert_eq!(ANumber::parse("123456789").unwrap().to_string(), "A123456789");
    }

    #[test]
    fn prefix_dashes_and_spaces_are_accepted() {
        let expected = ANumber::parse("012345678").unwrap();
        for written in ["A012345678", "a012345678", "A-012-345-678", " A 012 345 678 ", "A12345678"] {
            assert_eq!(ANumber::parse(written), Ok(expected), "{written}");
        }
        assert_eq!(expected.digits(), "012345678");
    }

    #[test]
    fn letters_and_wrong_lengths_are_refused() {
        assert_eq!(ANumber::parse("A12B45678"), Err(ANumberError::Malformed));
        assert_eq!(ANumber::parse("123456"), Err(ANumberError::Malformed));
        assert_eq!(ANumber::parse("1234567890"), Err(ANumberError::Malformed));
        assert_eq!(ANumber::parse(""), Err(ANumberError::Malformed));
        assert_eq!(ANumber::parse("AA1234567"), Err(ANumberError::Malformed));
    }

    #[test]
    fn an_account_number_is_never_taken_for_an_a_number() {
        assert_eq!(ANumber::parse("1234-5678-9012"), Err(ANumberError::LooksLikeAccountNumber));
    }
}
