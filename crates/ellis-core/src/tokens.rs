//! Random bearer secrets (session tokens, email links, emailed codes) and the hashes they are stored as.
//! A database leak must not yield a usable token, so only SHA-256 digests are stored; the tokens carry
//! 256 bits of entropy, so a fast hash is enough (unlike passwords).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe base64 (43 characters).
pub fn random_token(rng: &mut impl Rng) -> String {
    let mut bytes = [0u8; 32];
    rng.fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A short random public id (for sessions shown in a list), 96 bits in hex.
pub fn random_public_id(rng: &mut impl Rng) -> String {
    let mut bytes = [0u8; 12];
    rng.fill(&mut bytes);
    hex::encode(bytes)
}

/// A 6-digit emailed code, uniformly drawn.
pub fn random_six_digits(rng: &mut impl Rng) -> String {
    format!("{:06}", rng.random_range(0..1_000_000))
}

/// The code printed on a notice for anyone to check it: 12 characters from an alphabet without look-alikes
/// (no 0/O, 1/I), shown as `K7Q2-9XMW-4HRT`; about 60 bits, so codes cannot be guessed into.
pub fn random_verification_code(rng: &mut impl Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let chars: Vec<char> = (0..12).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    chars.chunks(4).map(|chunk| chunk.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A verification code as typed (any case, with or without dashes or spaces), in its printed form.
pub fn normalise_verification_code(typed: &str) -> String {
    let chars: Vec<char> =
        typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    chars.chunks(4).map(|chunk| chunk.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The stored form of any token or code: lowercase hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_codes_are_printed_in_groups_and_read_back_however_typed() {
        let code = random_verification_code(&mut rand::rng());
        assert_eq!(code.len(), 14);
        assert!(!code.contains(['0', 'O', '1', 'I']));
        assert_eq!(normalise_verification_code(&code.to_lowercase().replace('-', " ")), code);
    }

    #[test]
    fn tokens_are_long_random_and_hashed_deterministically() {
        let mut rng = rand::rng();
        let a = random_token(&mut rng);
        let b = random_token(&mut rng);
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn six_digit_codes_keep_leading_zeros() {
        let mut rng = rand::rng();
        for _ in 0..100 {
            let code = random_six_digits(&mut rng);
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
