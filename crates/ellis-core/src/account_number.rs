//! The USCIS Online Account Number: 12 digits naming one online account. Not the A-Number, not a secret.
//!
//! ellis draws 11 random digits and appends a Damm check digit, which catches every single-digit error
//! and every transposition of adjacent digits, so a mistyped number is refused before any look-up.

use std::fmt;

use rand::Rng;

const LENGTH: usize = 12;

/// The Damm algorithm's quasigroup of order 10 (weakly totally anti-symmetric).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The interim digit after running `digits` through the quasigroup; 0 means a valid check.
fn damm_interim(digits: &[u8]) -> u8 {
    digits.iter().fold(0, |interim, &d| DAMM[interim as usize][d as usize])
}

/// A parsed, check-digit-valid account number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountNumber([u8; LENGTH]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountNumberError {
    #[error("An account number has 12 digits")]
    WrongLength,
    #[error("An account number has only digits (dashes and spaces are fine)")]
    NotDigits,
    #[error("This account number has a typo: its check digit does not match")]
    CheckDigit,
}

impl AccountNumber {
    /// Accepts `123456789012`, `1234-5678-9012` or `1234 5678 9012`.
    pub fn parse(input: &str) -> Result<Self, AccountNumberError> {
        let mut digits = [0u8; LENGTH];
        let mut count = 0;
        for c in input.trim().chars() {
            match c {
                '-' | ' ' => continue,
                '0'..='9' => {
                    if count == LENGTH {
                        return Err(AccountNumberError::WrongLength);
                    }
                    digits[count] = c as u8 - b'0';
                    count += 1;
                }
                _ => return Err(AccountNumberError::NotDigits),
            }
        }
        if count != LENGTH {
            return Err(AccountNumberError::WrongLength);
        }
        if damm_interim(&digits) != 0 {
            return Err(AccountNumberError::CheckDigit);
        }
        Ok(Self(digits))
    }

    /// Draws a fresh random number. Uniqueness is the store's job (a unique key, retried on conflict).
    pub fn generate(rng: &mut impl Rng) -> Self {
        let mut digits = [0u8; LENGTH];
        // A leading zero would be lost by anyone who pastes the number into a spreadsheet.
        digits[0] = rng.random_range(1..=9);
        for d in digits.iter_mut().take(LENGTH - 1).skip(1) {
            *d = rng.random_range(0..=9);
        }
        digits[LENGTH - 1] = damm_interim(&digits[..LENGTH - 1]);
        Self(digits)
    }

    /// The number made from a serial (`9` + the serial in ten digits + the check digit), for bulk-loaded
    /// benchmark and demonstration data only: real accounts get [`AccountNumber::generate`].
    pub fn from_serial(serial: u64) -> Self {
        let mut digits = [0u8; LENGTH];
        digits[0] = 9;
        let body = format!("{:010}", serial % 10_000_000_000);
        for (d, c) in digits[1..LENGTH - 1].iter_mut().zip(body.bytes()) {
            *d = c - b'0';
        }
        digits[LENGTH - 1] = damm_interim(&digits[..LENGTH - 1]);
        Self(digits)
    }

    /// The 12 digits with no separators, as stored and as the API returns them.
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// `1234-5678-9012`, as printed on the profile and on notices.
    pub fn display(&self) -> String {
        let d = self.digits();
        format!("{}-{}-{}", &d[0..4], &d[4..8], &d[8..12])
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl fmt::Debug for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountNumber({})", self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn sample(seed: u64) -> AccountNumber {
        AccountNumber::generate(&mut StdRng::seed_from_u64(seed))
    }

    #[test]
    fn generated_numbers_parse_back_in_every_written_form() {
        for seed in 0..200 {
            let number = sample(seed);
            let digits = number.digits();
            assert_eq!(digits.len(), 12);
            assert_eq!(AccountNumber::parse(&digits), Ok(number));
            assert_eq!(AccountNumber::parse(&number.display()), Ok(number));
            let spaced = number.display().replace('-', " ");
            assert_eq!(AccountNumber::parse(&format!("  {spaced} ")), Ok(number));
        }
    }

    #[test]
    fn every_single_digit_error_is_caught() {
        for seed in 0..100 {
            let digits: Vec<u8> = sample(seed).digits().bytes().map(|b| b - b'0').collect();
            for position in 0..12 {
                for replacement in 0..10u8 {
                    if replacement == digits[position] {
                        continue;
                    }
                    let mut typo = digits.clone();
                    typo[position] = replacement;
                    let text: String = typo.iter().map(|d| char::from(b'0' + d)).collect();
                    assert_eq!(AccountNumber::parse(&text), Err(AccountNumberError::CheckDigit), "{text}");
                }
            }
        }
    }

    #[test]
    fn every_adjacent_transposition_is_caught() {
        for seed in 0..100 {
            let digits: Vec<u8> = sample(seed).digits().bytes().map(|b| b - b'0').collect();
            for position in 0..11 {
                if digits[position] == digits[position + 1] {
                    continue;
                }
                let mut swapped = digits.clone();
                swapped.swap(position, position + 1);
                let text: String = swapped.iter().map(|d| char::from(b'0' + d)).collect();
                assert_eq!(AccountNumber::parse(&text), Err(AccountNumberError::CheckDigit), "{text}");
            }
        }
    }

    #[test]
    fn known_damm_example_checks() {
        // The textbook example: 572 has check digit 4.
        assert_eq!(damm_interim(&[5, 7, 2]), 4);
        assert_eq!(damm_interim(&[5, 7, 2, 4]), 0);
    }

    #[test]
    fn malformed_input_is_refused_with_a_specific_reason() {
        assert_eq!(AccountNumber::parse("12345"), Err(AccountNumberError::WrongLength));
        assert_eq!(AccountNumber::parse("1234567890123"), Err(AccountNumberError::WrongLength));
        assert_eq!(AccountNumber::parse("1234-5678-901a"), Err(AccountNumberError::NotDigits));
        assert_eq!(AccountNumber::parse("A12345678"), Err(AccountNumberError::NotDigits));
    }
}
