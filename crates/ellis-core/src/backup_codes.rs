//! Backup codes: ten single-use codes shown once, stored only as hashes.

use rand::Rng;

pub const COUNT: usize = 10;
/// No 0/O or 1/I/L, which people misread when copying from paper.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const LENGTH: usize = 10;

/// Ten fresh codes written `XXXXX-XXXXX` (about 49 bits each).
pub fn generate(rng: &mut impl Rng) -> Vec<String> {
    (0..COUNT)
        .map(|_| {
            let chars: String =
                (0..LENGTH).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// The form a code is hashed in: upper case, dashes and spaces removed, so `abcde fghjk` matches.
pub fn normalise(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_distinct_codes_in_an_unambiguous_alphabet() {
        let codes = generate(&mut rand::rng());
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 11);
            assert!(normalise(code).bytes().all(|b| ALPHABET.contains(&b)));
        }
    }

    #[test]
    fn typed_codes_normalise_to_the_stored_form() {
        assert_eq!(normalise(" abcde-fghjk "), "ABCDEFGHJK");
        assert_eq!(normalise("ABCDE FGHJK"), "ABCDEFGHJK");
    }
}
