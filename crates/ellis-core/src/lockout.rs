//! Lockout after wrong passwords (DESIGN.md §4): every 5 consecutive failures lock the account, for
//! 20 minutes the first time (USCIS's wait), doubling with each further lock up to 24 hours; after
//! 100 consecutive failures the account stays locked until a password reset (NIST SP 800-63B-4 §3.2.2).
//!
//! A wrong password during a lock still counts: "locked" is only revealed to the right password, so every
//! guess must be paid for or the lock would not slow guessing at all.

use time::Duration;

pub const FAILURES_PER_LOCK: i64 = 5;
pub const FIRST_LOCK: Duration = Duration::minutes(20);
pub const LONGEST_LOCK: Duration = Duration::hours(24);
pub const FAILURE_CEILING: i64 = 100;

/// What the store keeps per account; times are unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockoutState {
    pub failed_sign_ins: i64,
    pub lock_count: i64,
    pub locked_until: Option<i64>,
}

impl LockoutState {
    pub fn is_locked(&self, now: i64) -> bool {
        self.failed_sign_ins >= FAILURE_CEILING || self.locked_until.is_some_and(|until| until > now)
    }

    /// The instant the lock ends, if locked; `None` when only a reset can end it.
    pub fn lock_ends(&self, now: i64) -> Option<i64> {
        if self.failed_sign_ins >= FAILURE_CEILING {
            return None;
        }
        self.locked_until.filter(|until| *until > now)
    }

    /// The state after one more wrong password, and whether this failure started a new lock.
    pub fn after_failure(self, now: i64) -> (Self, bool) {
        let failed_sign_ins = self.failed_sign_ins + 1;
        if failed_sign_ins % FAILURES_PER_LOCK != 0 {
            return (Self { failed_sign_ins, ..self }, false);
        }
        let lock_count = self.lock_count + 1;
        let until = now + lock_duration(lock_count).whole_seconds();
        (Self { failed_sign_ins, lock_count, locked_until: Some(until) }, true)
    }

    /// A right password (or a completed reset) clears everything.
    pub fn cleared() -> Self {
        Self::default()
    }
}

/// The length of the `n`-th consecutive lock (1-based).
pub fn lock_duration(n: i64) -> Duration {
    let doublings = (n - 1).clamp(0, 16) as u32;
    let minutes = FIRST_LOCK.whole_minutes().saturating_mul(1 << doublings);
    Duration::minutes(minutes).min(LONGEST_LOCK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(mut state: LockoutState, times: usize, now: i64) -> LockoutState {
        for _ in 0..times {
            state = state.after_failure(now).0;
        }
        state
    }

    #[test]
    fn four_failures_do_not_lock_and_the_fifth_locks_for_twenty_minutes() {
        let now = 1_000_000;
        let state = fail(LockoutState::default(), 4, now);
        assert!(!state.is_locked(now));
        let (state, locked_now) = state.after_failure(now);
        assert!(locked_now);
        assert_eq!(state.lock_ends(now), Some(now + 20 * 60));
        assert!(state.is_locked(now + 20 * 60 - 1));
        assert!(!state.is_locked(now + 20 * 60));
    }

    #[test]
    fn each_further_lock_doubles_up_to_a_day() {
        let minutes: Vec<i64> = (1..=9).map(|n| lock_duration(n).whole_minutes()).collect();
        assert_eq!(minutes, [20, 40, 80, 160, 320, 640, 1280, 1440, 1440]);
    }

    #[test]
    fn one_hundred_consecutive_failures_lock_until_a_reset() {
        let state = fail(LockoutState::default(), 100, 0);
        assert!(state.is_locked(i64::MAX - 1));
        assert_eq!(state.lock_ends(0), None);
        assert!(!LockoutState::cleared().is_locked(0));
    }
}
