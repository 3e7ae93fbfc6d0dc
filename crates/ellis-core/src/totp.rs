//! Authenticator-app codes: TOTP of RFC 6238 with SHA-1, 6 digits and 30-second steps, accepting one step of
//! clock drift either way. The caller stores the last accepted step, and a step is never accepted twice.

use std::fmt;

use rand::Rng;
use totp_rs::{Algorithm, Builder, Secret};

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: usize = 6;
const SECRET_BYTES: usize = 20;

/// A shared TOTP secret (160 bits, as RFC 4226 recommends).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("The stored authenticator secret is not valid base32")]
    BadSecret,
}

impl TotpSecret {
    pub fn generate(rng: &mut impl Rng) -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rng.fill(bytes.as_mut_slice());
        Self(bytes)
    }

    pub fn from_base32(encoded: &str) -> Result<Self, TotpError> {
        Secret::try_from_base32(encoded)
            .map(|secret| Self(secret.as_bytes().to_vec()))
            .map_err(|_| TotpError::BadSecret)
    }

    /// Base32 without padding, as authenticator apps expect it typed.
    pub fn to_base32(&self) -> String {
        Secret::new(self.0.clone().into_boxed_slice()).to_base32()
    }

    /// The `otpauth://` URI that the QR code carries (Key Uri Format).
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let label = format!("{}:{}", percent_encode(issuer), percent_encode(account));
        format!(
            "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            self.to_base32(),
            percent_encode(issuer)
        )
    }

    fn code_at_step(&self, step: u64, digits: usize) -> String {
        // Digits are 6 or 8 and secrets 160 bits, so the RFC checks of `build` cannot fail here.
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(digits as u8)
            .with_skew(0)
            .with_step_duration(STEP_SECONDS)
            .with_secret(self.0.clone())
            .build_noncompliant()
            .generate(step * STEP_SECONDS)
            .to_string()
    }

    /// The code an authenticator shows at `unix_time` (used by tests and the benchmark's clients).
    pub fn code_at(&self, unix_time: u64) -> String {
        self.code_at_step(unix_time / STEP_SECONDS, DIGITS)
    }

    /// The step a code belongs to, if it matches the current step or one either side and is later than the
    /// last step already used. The caller must record the returned step atomically.
    pub fn verify(&self, code: &str, unix_time: u64, last_used_step: Option<u64>) -> Option<u64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS || !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let now_step = unix_time / STEP_SECONDS;
        let mut matched = None;
        // Check every candidate step so the time taken does not depend on which one matched.
        for step in now_step.saturating_sub(1)..=now_step + 1 {
            let candidate = self.code_at_step(step, DIGITS);
            if constant_time_eq(candidate.as_bytes(), code.as_bytes()) && last_used_step.is_none_or(|last| step > last)
            {
                matched = Some(step);
            }
        }
        matched
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", codes have 8 digits.
    #[test]
    fn rfc_6238_appendix_b_sha1_vectors() {
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        let vectors = [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (time, expected) in vectors {
            assert_eq!(secret.code_at_step(time / STEP_SECONDS, 8), expected, "T = {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        let now = 1_700_000_000;
        let step = now / STEP_SECONDS;
        for (offset, accepted) in [(-2i64, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = secret.code_at_step((step as i64 + offset) as u64, DIGITS);
            assert_eq!(secret.verify(&code, now, None).is_some(), accepted, "offset {offset}");
        }
    }

    #[test]
    fn a_used_step_is_never_accepted_again() {
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        let now = 1_700_000_000;
        let code = secret.code_at(now);
        let step = secret.verify(&code, now, None).unwrap();
        assert_eq!(secret.verify(&code, now, Some(step)), None);
        assert_eq!(secret.verify(&code, now + 30, Some(step)), None);
        let earlier = secret.code_at(now - 30);
        assert_eq!(secret.verify(&earlier, now, Some(step)), None, "an older step after a newer one");
    }

    #[test]
    fn malformed_codes_are_refused() {
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        assert_eq!(secret.verify("12345", 59, None), None);
        assert_eq!(secret.verify("abcdef", 59, None), None);
        let code = secret.code_at(1_700_000_000);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(secret.verify(&spaced, 1_700_000_000, None).is_some(), "apps show codes as 123 456");
    }

    #[test]
    fn secrets_round_trip_through_base32_and_the_uri_carries_them() {
        let secret = TotpSecret::generate(&mut rand::rng());
        let encoded = secret.to_base32();
        assert_eq!(TotpSecret::from_base32(&encoded), Ok(secret.clone()));
        let uri = secret.otpauth_uri("USCIS (ellis)", "ana@example.org");
        assert!(uri.starts_with("otpauth://totp/USCIS%20%28ellis%29:ana@example.org?secret="), "{uri}");
        assert!(uri.contains(&encoded));
    }
}
