//! Session policy (DESIGN.md §4): 15 minutes idle, 12 hours absolute, and an assurance level.

use time::Duration;

pub const IDLE_LIMIT: Duration = Duration::minutes(15);
pub const ABSOLUTE_LIMIT: Duration = Duration::hours(12);
/// Sensitive changes need a second factor passed at most this long ago.
pub const STEP_UP_FRESHNESS: Duration = Duration::minutes(20);
/// `last_seen_at` is written at most this often, so reads do not turn into writes on every request.
pub const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// How strongly a session has proved who is behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Assurance {
    Password,
    TwoFactor,
}

impl Assurance {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::TwoFactor => "two_factor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "password" => Some(Self::Password),
            "two_factor" => Some(Self::TwoFactor),
            _ => None,
        }
    }
}

/// How strongly an action needs the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A second factor, or — while security setup is incomplete — the password alone (setup itself, and
    /// reading the profile during setup).
    TwoFactorOrSetup,
    /// A second factor, always.
    TwoFactor,
    /// A second factor passed within [`STEP_UP_FRESHNESS`]: sensitive changes (email, password, factors).
    FreshTwoFactor,
}

/// Why a signed-in caller may not act yet, and so what they must do first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    SecuritySetup,
    SecondFactor,
    /// The second factor was passed, but longer than [`STEP_UP_FRESHNESS`] ago.
    FreshSecondFactor,
}

/// Like [`check`], and for [`Need::FreshTwoFactor`] also that the second factor was passed at most
/// [`STEP_UP_FRESHNESS`] before `now` (`second_factor_at` in unix seconds).
pub fn check_at(
    assurance: Assurance,
    setup_complete: bool,
    need: Need,
    second_factor_at: Option<i64>,
    now: i64,
) -> Result<(), Missing> {
    check(assurance, setup_complete, need)?;
    if need == Need::FreshTwoFactor && second_factor_at.is_none_or(|at| now - at > STEP_UP_FRESHNESS.whole_seconds()) {
        return Err(Missing::FreshSecondFactor);
    }
    Ok(())
}

/// Whether a session of `assurance`, on an account whose setup is (or is not) complete, may do what needs `need`.
pub fn check(assurance: Assurance, setup_complete: bool, need: Need) -> Result<(), Missing> {
    match (assurance, need, setup_complete) {
        (Assurance::TwoFactor, _, _) => Ok(()),
        (Assurance::Password, Need::TwoFactorOrSetup, false) => Ok(()),
        (Assurance::Password, Need::TwoFactor | Need::FreshTwoFactor, false) => Err(Missing::SecuritySetup),
        (Assurance::Password, _, true) => Err(Missing::SecondFactor),
    }
}

/// What the holder must do next, as the API's `next` says it: `security_setup`, `second_factor` or `none`.
pub fn next_step(assurance: Assurance, setup_complete: bool) -> &'static str {
    match (setup_complete, assurance) {
        (false, _) => "security_setup",
        (true, Assurance::Password) => "second_factor",
        (true, Assurance::TwoFactor) => "none",
    }
}

/// Whether a session created at `created_at` and last used at `last_seen_at` is still alive at `now`
/// (all unix seconds).
pub fn is_alive(created_at: i64, last_seen_at: i64, now: i64) -> bool {
    now < created_at + ABSOLUTE_LIMIT.whole_seconds() && now < last_seen_at + IDLE_LIMIT.whole_seconds()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_alone_is_enough_only_for_setup_and_only_before_it_is_complete() {
        use Assurance::*;
        assert_eq!(check(Password, false, Need::TwoFactorOrSetup), Ok(()));
        assert_eq!(check(Password, false, Need::TwoFactor), Err(Missing::SecuritySetup));
        assert_eq!(check(Password, true, Need::TwoFactorOrSetup), Err(Missing::SecondFactor));
        assert_eq!(check(Password, true, Need::TwoFactor), Err(Missing::SecondFactor));
        assert_eq!(check(TwoFactor, true, Need::TwoFactor), Ok(()));
        assert_eq!(next_step(Password, false), "security_setup");
        assert_eq!(next_step(Password, true), "second_factor");
        assert_eq!(next_step(TwoFactor, true), "none");
    }

    #[test]
    fn sensitive_changes_need_a_second_factor_passed_in_the_last_twenty_minutes() {
        let fresh = 20 * 60;
        let at = Some(1_000);
        assert_eq!(check_at(Assurance::TwoFactor, true, Need::FreshTwoFactor, at, 1_000 + fresh), Ok(()));
        assert_eq!(
            check_at(Assurance::TwoFactor, true, Need::FreshTwoFactor, at, 1_001 + fresh),
            Err(Missing::FreshSecondFactor)
        );
        assert_eq!(check_at(Assurance::TwoFactor, true, Need::TwoFactor, at, 1_001 + fresh), Ok(()));
        assert_eq!(check_at(Assurance::Password, true, Need::FreshTwoFactor, None, 0), Err(Missing::SecondFactor));
    }

    #[test]
    fn sessions_end_after_fifteen_idle_minutes_or_twelve_hours() {
        assert!(is_alive(0, 0, 15 * 60 - 1));
        assert!(!is_alive(0, 0, 15 * 60));
        let active_all_day = 12 * 3600 - 10;
        assert!(is_alive(0, active_all_day, 12 * 3600 - 1));
        assert!(!is_alive(0, active_all_day, 12 * 3600));
    }
}
