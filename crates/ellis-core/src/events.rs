//! The kinds of event kept in an account's history, with the sentence the holder reads, and the hash chain
//! that makes a changed, removed or reordered event detectable (DESIGN.md §4 "History").

use sha2::{Digest, Sha256};

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
    PasswordResetRequested,
    PasswordResetFailed,
    PasswordReset,
    PasswordChanged,
    RecoveryStarted,
    RecoveryAnswersFailed,
    RecoveryCancelled,
    RecoveryCompleted,
    UsernameReminderSent,
    CompromiseReported,
    EmailChangeRequested,
    EmailChanged,
    EmailRestored,
    OtherSessionsEnded,
    NewDeviceSignIn,
    CaseFiled,
    CaseLinked,
    UnlockedBySupport,
    VerificationResentBySupport,
    RecoveryStartedBySupport,
    AccountMergedIn,
    AccountRetired,
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
        Self::PasswordResetRequested,
        Self::PasswordResetFailed,
        Self::PasswordReset,
        Self::PasswordChanged,
        Self::RecoveryStarted,
        Self::RecoveryAnswersFailed,
        Self::RecoveryCancelled,
        Self::RecoveryCompleted,
        Self::UsernameReminderSent,
        Self::CompromiseReported,
        Self::EmailChangeRequested,
        Self::EmailChanged,
        Self::EmailRestored,
        Self::OtherSessionsEnded,
        Self::NewDeviceSignIn,
        Self::CaseFiled,
        Self::CaseLinked,
        Self::UnlockedBySupport,
        Self::VerificationResentBySupport,
        Self::RecoveryStartedBySupport,
        Self::AccountMergedIn,
        Self::AccountRetired,
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
            Self::PasswordResetRequested => "password_reset_requested",
            Self::PasswordResetFailed => "password_reset_failed",
            Self::PasswordReset => "password_reset",
            Self::PasswordChanged => "password_changed",
            Self::RecoveryStarted => "recovery_started",
            Self::RecoveryAnswersFailed => "recovery_answers_failed",
            Self::RecoveryCancelled => "recovery_cancelled",
            Self::RecoveryCompleted => "recovery_completed",
            Self::UsernameReminderSent => "username_reminder_sent",
            Self::CompromiseReported => "compromise_reported",
            Self::EmailChangeRequested => "email_change_requested",
            Self::EmailChanged => "email_changed",
            Self::EmailRestored => "email_restored",
            Self::OtherSessionsEnded => "other_sessions_ended",
            Self::NewDeviceSignIn => "new_device_sign_in",
            Self::CaseFiled => "case_filed",
            Self::CaseLinked => "case_linked",
            Self::UnlockedBySupport => "unlocked_by_support",
            Self::VerificationResentBySupport => "verification_resent_by_support",
            Self::RecoveryStartedBySupport => "recovery_started_by_support",
            Self::AccountMergedIn => "account_merged_in",
            Self::AccountRetired => "account_retired",
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
            Self::PasswordResetRequested => "Password reset link requested",
            Self::PasswordResetFailed => "Password reset refused: wrong second factor",
            Self::PasswordReset => "Password reset; every session was ended",
            Self::PasswordChanged => "Password changed",
            Self::RecoveryStarted => "Recovery of lost second factors started; 24-hour wait begun",
            Self::RecoveryAnswersFailed => "Recovery refused: wrong security answers",
            Self::RecoveryCancelled => "Recovery cancelled",
            Self::RecoveryCompleted => "Recovery completed: new password set, second factors cleared",
            Self::UsernameReminderSent => "Username reminder emailed",
            Self::CompromiseReported => "Account reported compromised: sessions ended, factors cleared",
            Self::EmailChangeRequested => "Email change requested; link sent to the new address",
            Self::EmailChanged => "Email address changed",
            Self::EmailRestored => "Email address restored after a change was reported",
            Self::OtherSessionsEnded => "Signed out everywhere else",
            Self::NewDeviceSignIn => "Sign-in from a new device",
            Self::CaseFiled => "Form filed online",
            Self::CaseLinked => "Paper-filed case linked to this account",
            Self::UnlockedBySupport => "A support agent unlocked your account",
            Self::VerificationResentBySupport => "A support agent sent you a new verification link",
            Self::RecoveryStartedBySupport => {
                "A support agent checked your security answers and started recovery; 24-hour wait begun"
            }
            Self::AccountMergedIn => "A support agent merged your other account into this one",
            Self::AccountRetired => "A support agent merged this account into your other account; it is closed",
        }
    }
}

/// One event as it enters the chain.
#[derive(Debug, Clone, Copy)]
pub struct ChainLink<'a> {
    pub account: i64,
    pub seq: i64,
    pub at_us: i64,
    pub kind: &'a str,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
}

/// The hash before an account's first event.
pub const CHAIN_START: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 (hex) over the previous event's hash and every field of this one. Each field is length-prefixed
/// and an absent value is told apart from an empty one, so no two different events encode alike.
pub fn chain_hash(previous: &str, link: &ChainLink<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"ellis-event-v1");
    let mut field = |value: Option<&[u8]>| match value {
        None => hasher.update([0u8]),
        Some(bytes) => {
            hasher.update([1u8]);
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        }
    };
    field(Some(previous.as_bytes()));
    field(Some(&link.account.to_be_bytes()));
    field(Some(&link.seq.to_be_bytes()));
    field(Some(&link.at_us.to_be_bytes()));
    field(Some(link.kind.as_bytes()));
    field(link.ip.map(str::as_bytes));
    field(link.detail.map(str::as_bytes));
    hex::encode(hasher.finalize())
}

/// Where a stored chain first fails to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The `seq` of the first event whose hash does not follow from its predecessor.
    pub seq: i64,
    pub reason: &'static str,
}

/// Walks an account's events in `seq` order (each with its stored hash) and returns the first broken link:
/// a gap in the sequence, a missing hash, or a hash that does not match the event and its predecessor.
pub fn verify_chain<'a>(events: impl IntoIterator<Item = (ChainLink<'a>, Option<&'a str>)>) -> Option<BrokenLink> {
    let mut previous = CHAIN_START.to_owned();
    for (expected_seq, (link, stored)) in (1..).zip(events) {
        if link.seq != expected_seq {
            return Some(BrokenLink { seq: link.seq, reason: "an event before this one is missing" });
        }
        let Some(stored) = stored else {
            return Some(BrokenLink { seq: link.seq, reason: "the event has no hash" });
        };
        let computed = chain_hash(&previous, &link);
        if computed != stored {
            return Some(BrokenLink { seq: link.seq, reason: "the event was changed, or one before it was" });
        }
        previous = computed;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(seq: i64, detail: Option<&str>) -> ChainLink<'_> {
        ChainLink { account: 7, seq, at_us: 1_000 + seq, kind: "signed_in", ip: Some("192.0.2.1"), detail }
    }

    fn chained<'a>(links: &[ChainLink<'a>]) -> Vec<(ChainLink<'a>, Option<String>)> {
        let mut previous = CHAIN_START.to_owned();
        links
            .iter()
            .map(|l| {
                previous = chain_hash(&previous, l);
                (*l, Some(previous.clone()))
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let events = chained(&[link(1, None), link(2, Some("x")), link(3, None)]);
        assert_eq!(verify_chain(events.iter().map(|(l, h)| (*l, h.as_deref()))), None);
    }

    #[test]
    fn a_changed_removed_or_unhashed_event_is_found_where_it_is() {
        let events = chained(&[link(1, None), link(2, Some("x")), link(3, None)]);
        let mut changed = events.clone();
        changed[1].0.detail = Some("y");
        assert_eq!(verify_chain(changed.iter().map(|(l, h)| (*l, h.as_deref()))).map(|b| b.seq), Some(2));
        let removed = [events[0].clone(), events[2].clone()];
        assert_eq!(verify_chain(removed.iter().map(|(l, h)| (*l, h.as_deref()))).map(|b| b.seq), Some(3));
        let mut unhashed = events.clone();
        unhashed[2].1 = None;
        assert_eq!(verify_chain(unhashed.iter().map(|(l, h)| (*l, h.as_deref()))).map(|b| b.seq), Some(3));
    }

    #[test]
    fn an_absent_value_hashes_unlike_an_empty_one() {
        assert_ne!(chain_hash(CHAIN_START, &link(1, None)), chain_hash(CHAIN_START, &link(1, Some(""))));
    }

    #[test]
    fn every_kind_round_trips_through_its_stored_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(*kind));
        }
    }
}
