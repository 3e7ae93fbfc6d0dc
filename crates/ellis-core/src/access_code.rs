//! The Online Access Code (DOMAIN.md §1): printed on the Account Access Notice of a paper filing, it lets
//! the applicant link that case to an online account once, within 90 days. It is a secret (stored hashed),
//! typed from paper, so it uses an alphabet without look-alikes and accepts any case, spaces and dashes.

use std::fmt;

use rand::Rng;
use time::Duration;

pub const ACCESS_CODE_LIFETIME: Duration = Duration::days(90);
/// Wrong codes one case accepts before its code stops working (the code carries about 60 bits).
pub const ACCESS_CODE_TRIES: i64 = 10;
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LENGTH: usize = 12;

#[derive(Clone, PartialEq, Eq)]
pub struct AccessCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessCodeError {
    #[error("An Online Access Code has 12 letters and digits, printed on your Account Access Notice")]
    Malformed,
}

impl AccessCode {
    pub fn generate(rng: &mut impl Rng) -> Self {
        Self((0..LENGTH).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect())
    }

    pub fn parse(typed: &str) -> Result<Self, AccessCodeError> {
        let cleaned: String =
            typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        if cleaned.len() == LENGTH && cleaned.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(Self(cleaned))
        } else {
            Err(AccessCodeError::Malformed)
        }
    }

    /// The 12 characters, as hashed for storage.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Printed in groups of four: `K7Q2-9XMW-4HRT`.
impl fmt::Display for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

impl fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCode(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_code_is_read_back_however_it_is_typed() {
        let code = AccessCode::generate(&mut rand::rng());
        let typed = code.to_string().to_lowercase().replace('-', " ");
        assert_eq!(AccessCode::parse(&typed), Ok(code));
        assert_eq!(AccessCode::parse("K7Q2-9XMW-4HR"), Err(AccessCodeError::Malformed));
        assert_eq!(AccessCode::parse("K7Q2-9XMW-4HR0"), Err(AccessCodeError::Malformed), "0 is not in the alphabet");
    }
}
