//! Per-address email quotas, shared by every instance through the database.

use crate::{Result, Tx};

impl Tx {
    /// Counts one more email to `key` in a fixed window of `window` seconds and returns the count in the
    /// current window (1 for the first). One upsert, so parallel requests on any instance count exactly.
    pub async fn count_email(&mut self, key: &str, now: i64, window: i64) -> Result<i64> {
        let sent = sqlx::query_scalar(
            "insert into email_quota (address, window_start, sent) values ($1, $2, 1) \
             on conflict (address) do update set \
             sent = case when email_quota.window_start <= $3 then 1 else email_quota.sent + 1 end, \
             window_start = case when email_quota.window_start <= $3 then $2 else email_quota.window_start end \
             returning sent",
        )
        .bind(key)
        .bind(now)
        .bind(now - window)
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(sent)
    }
}
