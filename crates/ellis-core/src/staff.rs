//! Agency staff roles (API.md "Agency staff"): what each may do is decided per route by the role it needs.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Officer,
    Support,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("A role is one of officer, support or admin")]
pub struct UnknownRole;

impl Role {
    pub const ALL: &[Role] = &[Self::Officer, Self::Support, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Officer => "officer",
            Self::Support => "support",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Result<Self, UnknownRole> {
        Self::ALL.iter().copied().find(|role| role.as_str() == text.trim().to_ascii_lowercase()).ok_or(UnknownRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_unknown_ones_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(*role));
        }
        assert_eq!(Role::parse(" Admin "), Ok(Role::Admin));
        assert_eq!(Role::parse("superuser"), Err(UnknownRole));
    }
}
