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

/// Whether a session created at `created_at` and last used at `last_seen_at` is still alive at `now`
/// (all unix seconds).
pub fn is_alive(created_at: i64, last_seen_at: i64, now: i64) -> bool {
    now < created_at + ABSOLUTE_LIMIT.whole_seconds() && now < last_seen_at + IDLE_LIMIT.whole_seconds()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_after_fifteen_idle_minutes_or_twelve_hours() {
        assert!(is_alive(0, 0, 15 * 60 - 1));
        assert!(!is_alive(0, 0, 15 * 60));
        let active_all_day = 12 * 3600 - 10;
        assert!(is_alive(0, active_all_day, 12 * 3600 - 1));
        assert!(!is_alive(0, active_all_day, 12 * 3600));
    }
}
