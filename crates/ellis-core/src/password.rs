//! Password rules of NIST SP 800-63B-4 §3.1.1.2 as DESIGN.md §4 sets them: 12 to 128 characters, no
//! composition rules, refused when zxcvbn scores it below 3 given the holder's own name and email.
//! Scoring is CPU work: callers run [`check_strength`] off the async threads.

use std::fmt;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;
/// zxcvbn's cost grows quickly with length; past this many characters a password is strong by length alone.
const SCORED_CHARS: usize = 100;
const MIN_SCORE: u8 = 3;

/// A password of acceptable length. Its strength is checked separately because that needs the holder's
/// personal details and is expensive.
#[derive(Clone)]
pub struct Password(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Use at least 12 characters; a few unrelated words make a good password")]
    TooShort,
    #[error("Use at most 128 characters")]
    TooLong,
    #[error("This password is too easy to guess{0}")]
    TooWeak(String),
}

impl Password {
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// Refuses guessable passwords, counting the holder's own name and email as known to an attacker.
pub fn check_strength(password: &Password, personal: &[&str]) -> Result<(), PasswordError> {
    let scored: String = password.0.chars().take(SCORED_CHARS).collect();
    // zxcvbn matches user inputs as lower-case dictionary words; an email also yields its parts.
    let mut words: Vec<String> = Vec::new();
    for item in personal.iter().map(|s| s.to_lowercase()) {
        words.extend(item.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3).map(str::to_owned));
        words.push(item);
    }
    let inputs: Vec<&str> = words.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
    let entropy = zxcvbn::zxcvbn(&scored, &inputs);
    if u8::from(entropy.score()) >= MIN_SCORE {
        return Ok(());
    }
    let hint = entropy
        .feedback()
        .and_then(|feedback| feedback.warning())
        .map(|warning| format!(": {}", warning.to_string().trim_end_matches('.').to_lowercase()))
        .unwrap_or_default();
    Err(PasswordError::TooWeak(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert_eq!(Password::parse("short").err(), Some(PasswordError::TooShort));
        assert!(Password::parse("ééééééééééé").is_err(), "11 characters, 22 bytes");
        assert!(Password::parse("éééééééééééé").is_ok());
        assert_eq!(Password::parse(&"x".repeat(129)).err(), Some(PasswordError::TooLong));
        assert!(Password::parse(&"x".repeat(128)).is_ok());
    }

    #[test]
    fn common_passwords_are_refused_even_when_long_enough() {
        for weak in ["password1234", "123456789012", "qwertyuiopas", "aaaaaaaaaaaa"] {
            let password = Password::parse(weak).unwrap();
            assert!(matches!(check_strength(&password, &[]), Err(PasswordError::TooWeak(_))), "{weak}");
        }
    }

    #[test]
    fn the_holders_own_name_and_email_count_against_the_password() {
        let password = Password::parse("maria.gonzalez@example.org").unwrap();
        assert_eq!(check_strength(&password, &[]), Ok(()), "strong for a stranger");
        assert!(check_strength(&password, &["Maria", "Gonzalez", "maria.gonzalez@example.org"]).is_err());
    }

    #[test]
    fn unrelated_words_pass_without_any_composition_rule() {
        let password = Password::parse("correct horse battery staple").unwrap();
        assert_eq!(check_strength(&password, &["Ana", "Diaz"]), Ok(()));
    }

    #[test]
    fn very_long_passwords_are_scored_quickly_on_a_prefix() {
        let password = Password::parse(&"tulip-orbit-".repeat(10)).unwrap();
        assert_eq!(check_strength(&password, &[]), Ok(()));
    }
}
