//! The kinds of event kept in an account's history, with the sentence the holder reads.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Registered,
    EmailVerified,
    SignedIn,
    SignInFailed,
    SecondFactorPassed,
    SecondFactorFailed,
    AccountLocked,
    SignInWhileLocked,
    SecurityQuestionsSet,
    AuthenticatorEnrolled,
    BackupCodesIssued,
    BackupCodeUsed,
    EmailCodeSent,
    AccountNumberAssigned,
    ProfileChanged,
    SignedOut,
    SessionEnded,
}

impl EventKind {
    pub const ALL: &[EventKind] = &[
        Self::Registered,
        Self::EmailVerified,
        Self::SignedIn,
        Self::SignInFailed,
        Self::SecondFactorPassed,
        Self::SecondFactorFailed,
        Self::AccountLocked,
        Self::SignInWhileLocked,
        Self::SecurityQuestionsSet,
        Self::AuthenticatorEnrolled,
        Self::BackupCodesIssued,
        Self::BackupCodeUsed,
        Self::EmailCodeSent,
        Self::AccountNumberAssigned,
        Self::ProfileChanged,
        Self::SignedOut,
        Self::SessionEnded,
    ];

    /// The stored, stable name (also the API's `kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::EmailVerified => "email_verified",
            Self::SignedIn => "signed_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SecondFactorPassed => "second_factor_passed",
            Self::SecondFactorFailed => "second_factor_failed",
            Self::AccountLocked => "account_locked",
            Self::SignInWhileLocked => "sign_in_while_locked",
            Self::SecurityQuestionsSet => "security_questions_set",
            Self::AuthenticatorEnrolled => "authenticator_enrolled",
            Self::BackupCodesIssued => "backup_codes_issued",
            Self::BackupCodeUsed => "backup_code_used",
            Self::EmailCodeSent => "email_code_sent",
            Self::AccountNumberAssigned => "account_number_assigned",
            Self::ProfileChanged => "profile_changed",
            Self::SignedOut => "signed_out",
            Self::SessionEnded => "session_ended",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.as_str() == text)
    }

    /// What the holder reads in "Account history".
    pub fn sentence(self) -> &'static str {
        match self {
            Self::Registered => "Account created",
            Self::EmailVerified => "Email address verified",
            Self::SignedIn => "Signed in with password",
            Self::SignInFailed => "Sign-in failed: wrong password",
            Self::SecondFactorPassed => "Second factor accepted",
            Self::SecondFactorFailed => "Second factor refused: wrong code",
            Self::AccountLocked => "Account locked after too many wrong passwords",
            Self::SignInWhileLocked => "Right password while the account was locked",
            Self::SecurityQuestionsSet => "Security questions set",
            Self::AuthenticatorEnrolled => "Authenticator app enrolled",
            Self::BackupCodesIssued => "New backup codes issued",
            Self::BackupCodeUsed => "Backup code used",
            Self::EmailCodeSent => "Sign-in code emailed",
            Self::AccountNumberAssigned => "USCIS Online Account Number assigned",
            Self::ProfileChanged => "Profile changed",
            Self::SignedOut => "Signed out",
            Self::SessionEnded => "Session ended from another device",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_stored_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(*kind));
        }
    }
}
