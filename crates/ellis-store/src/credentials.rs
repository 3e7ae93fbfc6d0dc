//! What recovery and account protection change on an account: the password, the second factors, the
//! compromise state, the email address, and the look-ups that find an account without its email.

use ellis_core::{ANumber, AccountId, AccountNumber, EmailAddress};

use crate::accounts::{ACCOUNT_COLUMNS, AccountRow};
use crate::{Account, Result, Store, Tx};

impl Store {
    /// The account that holds `number`, also when it is an alias left by a consolidation.
    pub async fn account_by_number(&self, number: &AccountNumber) -> Result<Option<Account>> {
        let sql = format!(
            "select {ACCOUNT_COLUMNS} from accounts where id = (select account_id from account_numbers where number = $1)"
        );
        let row: Option<AccountRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(number.digits()).fetch_optional(&self.reader).await?;
        row.map(Account::try_from).transpose()
    }

    /// Every account that recorded this A-Number (several people may mistype one; all are considered).
    pub async fn accounts_by_a_number(&self, a_number: &ANumber) -> Result<Vec<Account>> {
        let sql = format!("select {ACCOUNT_COLUMNS} from accounts where a_number = $1 order by id");
        let rows: Vec<AccountRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(a_number.digits()).fetch_all(&self.reader).await?;
        rows.into_iter().map(Account::try_from).collect()
    }

    /// The question ids and answer hashes of the account's security questions.
    pub async fn security_answer_hashes(&self, id: AccountId) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query_as(
            "select question_id, answer_hash from security_answers where account_id = $1 order by question_id",
        )
        .bind(id.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows)
    }
}

impl Tx {
    /// A new password; the account becomes active again (a completed reset or recovery ends a compromise),
    /// unless it was retired by a consolidation: nothing brings a retired account back.
    pub async fn set_password(&mut self, id: AccountId, password_hash: &str, now: i64) -> Result<()> {
        sqlx::query(
            "update accounts set password_hash = $1, \
             status = case when status = 'retired' then status else 'active' end, compromised_at = null, \
             email_verified_at = coalesce(email_verified_at, $2), updated_at = $2 where id = $3",
        )
        .bind(password_hash)
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Removes the authenticator and every backup code: the holder must enrol a second factor again.
    pub async fn clear_second_factors(&mut self, id: AccountId, now: i64) -> Result<()> {
        sqlx::query(
            "update accounts set totp_secret = null, totp_pending_secret = null, totp_confirmed_at = null, \
             totp_last_step = null, updated_at = $1 where id = $2",
        )
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        sqlx::query("delete from backup_codes where account_id = $1").bind(id.0).execute(&mut *self.inner).await?;
        Ok(())
    }

    /// Marks the account compromised and freezes its contact details until `frozen_until`.
    pub async fn mark_compromised(&mut self, id: AccountId, now: i64, frozen_until: i64) -> Result<()> {
        sqlx::query(
            "update accounts set status = 'compromised', compromised_at = $1, contact_frozen_until = $2, \
             updated_at = $1 where id = $3",
        )
        .bind(now)
        .bind(frozen_until)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn set_recovery_failures(
        &mut self,
        id: AccountId,
        failures: i64,
        closed_until: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "update accounts set recovery_failures = $1, \
             recovery_closed_until = coalesce($2, recovery_closed_until), updated_at = $3 where id = $4",
        )
        .bind(failures)
        .bind(closed_until)
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Whether an account other than `id` signs in with `email`.
    pub async fn email_taken_by_other(&mut self, email: &EmailAddress, id: AccountId) -> Result<bool> {
        let other: Option<i64> = sqlx::query_scalar("select id from accounts where email = $1 and id <> $2")
            .bind(email.as_str())
            .bind(id.0)
            .fetch_optional(&mut *self.inner)
            .await?;
        Ok(other.is_some())
    }

    /// Changes the sign-in address; [`crate::StoreError::UniqueViolation`] when another account has it.
    pub async fn set_email(&mut self, id: AccountId, email: &EmailAddress, now: i64) -> Result<()> {
        sqlx::query("update accounts set email = $1, email_verified_at = $2, updated_at = $2 where id = $3")
            .bind(email.as_str())
            .bind(now)
            .bind(id.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}
