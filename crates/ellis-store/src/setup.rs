//! Security set-up: questions, the authenticator app, backup codes and the account number.

use ellis_core::{AccountId, AccountNumber};

use crate::{Result, Store, Tx};

impl Store {
    pub async fn backup_codes_left(&self, id: AccountId) -> Result<i64> {
        let count: i64 =
            sqlx::query_scalar("select count(*) from backup_codes where account_id = $1 and used_at is null")
                .bind(id.0)
                .fetch_one(&self.reader)
                .await?;
        Ok(count)
    }

    /// The hashes of the account's unused backup codes (Argon2id, so each must be verified in turn).
    pub async fn unused_backup_code_hashes(&self, id: AccountId) -> Result<Vec<String>> {
        let hashes = sqlx::query_scalar("select code_hash from backup_codes where account_id = $1 and used_at is null")
            .bind(id.0)
            .fetch_all(&self.reader)
            .await?;
        Ok(hashes)
    }
}

impl Tx {
    /// Replaces the three answers (already normalised and hashed).
    pub async fn replace_security_answers(&mut self, id: AccountId, answers: &[(i64, String)], now: i64) -> Result<()> {
        sqlx::query("delete from security_answers where account_id = $1").bind(id.0).execute(&mut *self.inner).await?;
        for (question_id, hash) in answers {
            sqlx::query("insert into security_answers (account_id, question_id, answer_hash) values ($1, $2, $3)")
                .bind(id.0)
                .bind(question_id)
                .bind(hash)
                .execute(&mut *self.inner)
                .await?;
        }
        sqlx::query("update accounts set questions_set_at = $1, updated_at = $1 where id = $2")
            .bind(now)
            .bind(id.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Starts an authenticator enrolment; the secret is used only once confirmed with a code.
    pub async fn set_pending_totp(&mut self, id: AccountId, secret_base32: &str, now: i64) -> Result<()> {
        sqlx::query("update accounts set totp_pending_secret = $1, updated_at = $2 where id = $3")
            .bind(secret_base32)
            .bind(now)
            .bind(id.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Makes the pending secret the account's authenticator, if it is still the one the code was checked
    /// against; records the code's step so it cannot be replayed.
    pub async fn confirm_totp(&mut self, id: AccountId, secret_base32: &str, step: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update accounts set totp_secret = totp_pending_secret, totp_pending_secret = null, \
             totp_confirmed_at = $1, totp_last_step = $2, updated_at = $1 \
             where id = $3 and totp_pending_secret = $4",
        )
        .bind(now)
        .bind(step)
        .bind(id.0)
        .bind(secret_base32)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records `step` as used, only if it is later than the last used step. False means a replay (or a race
    /// lost to a parallel request with the same code): the code must be refused.
    pub async fn use_totp_step(&mut self, id: AccountId, step: i64) -> Result<bool> {
        let done = sqlx::query(
            "update accounts set totp_last_step = $1 where id = $2 and (totp_last_step is null or totp_last_step < $1)",
        )
        .bind(step)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Voids every backup code and stores the new ones (hashed).
    pub async fn replace_backup_codes(&mut self, id: AccountId, hashes: &[String], now: i64) -> Result<()> {
        sqlx::query("delete from backup_codes where account_id = $1").bind(id.0).execute(&mut *self.inner).await?;
        for hash in hashes {
            sqlx::query("insert into backup_codes (account_id, code_hash, created_at) values ($1, $2, $3)")
                .bind(id.0)
                .bind(hash)
                .bind(now)
                .execute(&mut *self.inner)
                .await?;
        }
        Ok(())
    }

    /// Spends a backup code; false when it is unknown or already used.
    pub async fn use_backup_code(&mut self, id: AccountId, hash: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update backup_codes set used_at = $1 where account_id = $2 and code_hash = $3 and used_at is null",
        )
        .bind(now)
        .bind(id.0)
        .bind(hash)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Reserves `number` for the account in the registry of every number ever issued; false when another
    /// account holds it already (the caller draws again).
    pub async fn claim_account_number(&mut self, id: AccountId, number: &AccountNumber, now: i64) -> Result<bool> {
        let claimed: Option<String> = sqlx::query_scalar(
            "insert into account_numbers (number, account_id, is_alias, assigned_at) values ($1, $2, 0, $3) \
             on conflict (number) do nothing returning number",
        )
        .bind(number.digits())
        .bind(id.0)
        .bind(now)
        .fetch_optional(&mut *self.inner)
        .await?;
        Ok(claimed.is_some())
    }

    /// Gives the account its number, unless it already has one.
    pub async fn set_account_number(&mut self, id: AccountId, number: &AccountNumber, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update accounts set account_number = $1, updated_at = $2 where id = $3 and account_number is null",
        )
        .bind(number.digits())
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
