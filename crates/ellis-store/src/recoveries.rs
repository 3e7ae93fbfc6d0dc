//! Lost-factor recoveries and their waiting period.

use ellis_core::AccountId;

use crate::{Result, Store, Tx};

#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct RecoveryRecord {
    pub id: i64,
    pub started_at: i64,
    pub ready_at: i64,
    pub expires_at: i64,
}

const OPEN_RECOVERY: &str = "select id, started_at, ready_at, expires_at from recoveries where account_id = $1 \
    and cancelled_at is null and completed_at is null and expires_at > $2 order by started_at desc limit 1";

impl Store {
    /// The account's recovery that is neither cancelled, completed nor expired, if any.
    pub async fn open_recovery(&self, account: AccountId, now: i64) -> Result<Option<RecoveryRecord>> {
        Ok(sqlx::query_as(OPEN_RECOVERY).bind(account.0).bind(now).fetch_optional(&self.reader).await?)
    }
}

impl Tx {
    pub async fn open_recovery(&mut self, account: AccountId, now: i64) -> Result<Option<RecoveryRecord>> {
        Ok(sqlx::query_as(OPEN_RECOVERY).bind(account.0).bind(now).fetch_optional(&mut *self.inner).await?)
    }

    pub async fn start_recovery(&mut self, account: AccountId, now: i64, ready_at: i64, expires_at: i64) -> Result<()> {
        sqlx::query(
            "insert into recoveries (id, account_id, started_at, ready_at, expires_at) values ($1, $2, $3, $4, $5)",
        )
        .bind(crate::new_id())
        .bind(account.0)
        .bind(now)
        .bind(ready_at)
        .bind(expires_at)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Cancels every open recovery of the account; returns how many there were.
    pub async fn cancel_recoveries(&mut self, account: AccountId, now: i64) -> Result<u64> {
        let done = sqlx::query(
            "update recoveries set cancelled_at = $1 \
             where account_id = $2 and cancelled_at is null and completed_at is null",
        )
        .bind(now)
        .bind(account.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected())
    }

    /// Marks a recovery completed; false if it was cancelled or completed meanwhile.
    pub async fn complete_recovery(&mut self, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update recoveries set completed_at = $1 where id = $2 and cancelled_at is null and completed_at is null",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
