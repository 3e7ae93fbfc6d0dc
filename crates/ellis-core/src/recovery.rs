//! The rules of recovery (DESIGN.md §4 "Recovery is never weaker than sign-in"): how long each link lives,
//! how many tries each path allows, and the waiting period that guards the path without a second factor.

use time::Duration;

/// A password-reset link (emailed, single use).
pub const RESET_LINK_LIFETIME: Duration = Duration::minutes(30);
/// Wrong second-factor codes one reset link accepts before it stops working.
pub const RESET_LINK_TRIES: i64 = 5;
/// A 6-digit code emailed for a reset link.
pub const RESET_CODE_LIFETIME: Duration = Duration::minutes(10);

/// Lost every second factor: the wait between proving the link and all three answers, and setting a new
/// password, during which the holder can cancel from the alert.
pub const RECOVERY_WAIT: Duration = Duration::hours(24);
/// How long a recovery stays usable once its wait is over.
pub const RECOVERY_WINDOW: Duration = Duration::days(7);
/// Wrong answer sets that close the lost-factor path ...
pub const RECOVERY_TRIES: i64 = 5;
/// ... for this long.
pub const RECOVERY_CLOSED_FOR: Duration = Duration::hours(24);

/// The "this wasn't me" link every security alert carries.
pub const ALERT_LINK_LIFETIME: Duration = Duration::days(10);
/// After a compromise report, contact details (email, phone, mailing address) cannot change for this long.
pub const CONTACT_FREEZE: Duration = Duration::hours(24);
/// A link that confirms a new email address.
pub const EMAIL_CHANGE_LIFETIME: Duration = Duration::hours(24);

/// Unsolicited emails (links, reminders, codes asked for without a session) one address may receive per
/// window, counted in the database so every instance shares the limit.
pub const EMAIL_QUOTA: i64 = 5;
pub const EMAIL_QUOTA_WINDOW: Duration = Duration::hours(1);
/// Sign-in codes one address may receive per window (the caller knows the password, so this is looser).
pub const CODE_QUOTA: i64 = 10;

/// Where a lost-factor recovery stands at `now` (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryStage {
    Waiting { ready_at: i64 },
    Ready,
    Expired,
}

pub fn recovery_stage(ready_at: i64, expires_at: i64, now: i64) -> RecoveryStage {
    if now < ready_at {
        RecoveryStage::Waiting { ready_at }
    } else if now < expires_at {
        RecoveryStage::Ready
    } else {
        RecoveryStage::Expired
    }
}

/// The wrong-answer count after one more failure, and the instant the path closes if this one closed it.
pub fn after_wrong_answers(failures: i64, now: i64) -> (i64, Option<i64>) {
    let failures = failures + 1;
    if failures >= RECOVERY_TRIES { (0, Some(now + RECOVERY_CLOSED_FOR.whole_seconds())) } else { (failures, None) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_waits_a_day_then_stays_usable_for_a_week() {
        let start = 1_000_000;
        let ready = start + RECOVERY_WAIT.whole_seconds();
        let expires = ready + RECOVERY_WINDOW.whole_seconds();
        assert_eq!(recovery_stage(ready, expires, start), RecoveryStage::Waiting { ready_at: ready });
        assert_eq!(recovery_stage(ready, expires, ready - 1), RecoveryStage::Waiting { ready_at: ready });
        assert_eq!(recovery_stage(ready, expires, ready), RecoveryStage::Ready);
        assert_eq!(recovery_stage(ready, expires, expires), RecoveryStage::Expired);
    }

    #[test]
    fn the_fifth_wrong_answer_set_closes_the_path_for_a_day() {
        let mut failures = 0;
        for _ in 0..4 {
            let (next, closed) = after_wrong_answers(failures, 50);
            assert_eq!(closed, None);
            failures = next;
        }
        assert_eq!(after_wrong_answers(failures, 50), (0, Some(50 + 24 * 3600)));
    }
}
