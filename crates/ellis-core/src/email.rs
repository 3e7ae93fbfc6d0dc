//! Email addresses: the username of an account.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter an email address")]
    Empty,
    #[error("Enter an email address like name@example.org")]
    Malformed,
    #[error("An email address has at most 254 characters")]
    TooLong,
}

impl EmailAddress {
    /// A pragmatic check (one `@`, a dotted domain, no spaces or control characters); the verification link
    /// is the real proof. Stored lower-cased, so `Ana@Example.org` and `ana@example.org` are one account.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = trimmed.split_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(EmailError::Malformed);
        }
        Ok(Self(trimmed.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or(&self.0, |(local, _)| local)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Personal data stays out of logs, even debug ones.
        f.write_str("EmailAddress(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_parse_and_are_lower_cased() {
        assert_eq!(EmailAddress::parse(" Ana.Diaz+uscis@Example.ORG ").unwrap().as_str(), "ana.diaz+uscis@example.org");
        assert_eq!(EmailAddress::parse("a@b.co").unwrap().local_part(), "a");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "ana diaz@example.org",
            "ana@exa mple.org",
            "ana@@example.org",
            ".ana@example.org",
            "ana..d@example.org",
            "ana@-example.org",
            "ana@example..org",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        assert_eq!(EmailAddress::parse("  "), Err(EmailError::Empty));
        assert_eq!(EmailAddress::parse(&format!("{}@example.org", "a".repeat(250))), Err(EmailError::TooLong));
    }
}
