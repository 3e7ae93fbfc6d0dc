//! Single-use tokens sent by email (verification, password reset, email change, "this wasn't me", recovery
//! cancel), stored as hashes. A token may allow a few wrong tries, carry a value, and hold an emailed code.

use ellis_core::AccountId;

use crate::{Result, Tx};

/// A token to issue.
pub struct NewToken<'a> {
    pub hash: &'a str,
    pub purpose: &'a str,
    pub account: AccountId,
    pub expires_at: i64,
    /// Wrong tries allowed before the token dies (`None`: the token is checked by itself, not with a code).
    pub attempts: Option<i64>,
    /// A value that travels with the token, e.g. the new address of an email change.
    pub payload: Option<&'a str>,
}

/// A live token, read under the transaction's lock.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRecord {
    pub token_hash: String,
    pub account_id: i64,
    pub attempts_left: Option<i64>,
    pub payload: Option<String>,
    pub code_hash: Option<String>,
    pub code_expires_at: Option<i64>,
}

impl TokenRecord {
    pub fn account(&self) -> AccountId {
        AccountId(self.account_id)
    }
}

const TOKEN_COLUMNS: &str = "token_hash, account_id, attempts_left, payload, code_hash, code_expires_at";

impl crate::Store {
    /// A live token, read without spending or locking it (to prepare work, such as hashing, that must not
    /// run inside a write transaction); the transaction reads it again with [`Tx::live_token`].
    pub async fn peek_token(&self, hash: &str, purpose: &str, now: i64) -> Result<Option<TokenRecord>> {
        let sql = format!(
            "select {TOKEN_COLUMNS} from one_time_tokens where token_hash = $1 and purpose = $2 and used_at is null \
             and expires_at > $3 and (attempts_left is null or attempts_left > 0)"
        );
        let token = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(hash)
            .bind(purpose)
            .bind(now)
            .fetch_optional(&self.reader)
            .await?;
        Ok(token)
    }
}

impl Tx {
    pub async fn insert_token(
        &mut self,
        hash: &str,
        purpose: &str,
        account: AccountId,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let token = NewToken { hash, purpose, account, expires_at, attempts: None, payload: None };
        self.issue_token(&token, now).await
    }

    pub async fn issue_token(&mut self, token: &NewToken<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "insert into one_time_tokens \
             (token_hash, purpose, account_id, created_at, expires_at, attempts_left, payload) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token.hash)
        .bind(token.purpose)
        .bind(token.account.0)
        .bind(now)
        .bind(token.expires_at)
        .bind(token.attempts)
        .bind(token.payload)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Spends a token in one statement, so two parallel uses cannot both succeed. `None` when it is unknown,
    /// for another purpose, used or expired.
    pub async fn consume_token(&mut self, hash: &str, purpose: &str, now: i64) -> Result<Option<AccountId>> {
        Ok(self.consume_token_record(hash, purpose, now).await?.map(|token| token.account()))
    }

    /// Spends a token and returns it whole (with its payload).
    pub async fn consume_token_record(&mut self, hash: &str, purpose: &str, now: i64) -> Result<Option<TokenRecord>> {
        let token = sqlx::query_as(
            "update one_time_tokens set used_at = $1 \
             where token_hash = $2 and purpose = $3 and used_at is null and expires_at > $1 \
             returning token_hash, account_id, attempts_left, payload, code_hash, code_expires_at",
        )
        .bind(now)
        .bind(hash)
        .bind(purpose)
        .fetch_optional(&mut *self.inner)
        .await?;
        Ok(token)
    }

    /// Reads a live token without spending it, locking its row (PostgreSQL) until the transaction ends.
    pub async fn live_token(&mut self, hash: &str, purpose: &str, now: i64) -> Result<Option<TokenRecord>> {
        let sql = format!(
            "select token_hash, account_id, attempts_left, payload, code_hash, code_expires_at from one_time_tokens \
             where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3 \
             and (attempts_left is null or attempts_left > 0){}",
            self.for_update()
        );
        let token = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(hash)
            .bind(purpose)
            .bind(now)
            .fetch_optional(&mut *self.inner)
            .await?;
        Ok(token)
    }

    /// Counts one wrong try against a token; at zero tries left it is dead. Returns the tries left.
    pub async fn spend_token_try(&mut self, hash: &str, now: i64) -> Result<i64> {
        let left: Option<i64> = sqlx::query_scalar(
            "update one_time_tokens set attempts_left = attempts_left - 1, \
             used_at = case when attempts_left <= 1 then $1 else used_at end \
             where token_hash = $2 and attempts_left > 0 returning attempts_left",
        )
        .bind(now)
        .bind(hash)
        .fetch_optional(&mut *self.inner)
        .await?;
        Ok(left.unwrap_or(0))
    }

    /// Attaches a freshly emailed code to a token, replacing any earlier one.
    pub async fn set_token_code(&mut self, hash: &str, code_hash: &str, expires_at: i64) -> Result<()> {
        sqlx::query("update one_time_tokens set code_hash = $1, code_expires_at = $2 where token_hash = $3")
            .bind(code_hash)
            .bind(expires_at)
            .bind(hash)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Voids every live token of the account for the given purposes.
    pub async fn void_tokens(&mut self, account: AccountId, purposes: &[&str], now: i64) -> Result<()> {
        for purpose in purposes {
            sqlx::query(
                "update one_time_tokens set used_at = $1 where account_id = $2 and purpose = $3 and used_at is null",
            )
            .bind(now)
            .bind(account.0)
            .bind(*purpose)
            .execute(&mut *self.inner)
            .await?;
        }
        Ok(())
    }
}
