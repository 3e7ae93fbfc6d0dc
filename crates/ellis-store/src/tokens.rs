//! Single-use tokens sent by email, stored as hashes.

use ellis_core::AccountId;

use crate::{Result, Tx};

impl Tx {
    pub async fn insert_token(
        &mut self,
        hash: &str,
        purpose: &str,
        account: AccountId,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "insert into one_time_tokens (token_hash, purpose, account_id, created_at, expires_at) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(hash)
        .bind(purpose)
        .bind(account.0)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Spends a token in one statement, so two parallel uses cannot both succeed. `None` when it is unknown,
    /// for another purpose, used or expired.
    pub async fn consume_token(&mut self, hash: &str, purpose: &str, now: i64) -> Result<Option<AccountId>> {
        let account: Option<i64> = sqlx::query_scalar(
            "update one_time_tokens set used_at = $1 \
             where token_hash = $2 and purpose = $3 and used_at is null and expires_at > $1 returning account_id",
        )
        .bind(now)
        .bind(hash)
        .bind(purpose)
        .fetch_optional(&mut *self.inner)
        .await?;
        Ok(account.map(AccountId))
    }
}
