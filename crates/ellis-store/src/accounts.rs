//! Accounts: creation, look-up, lockout counters and the profile.

use ellis_core::lockout::LockoutState;
use ellis_core::profile::{MailingAddress, parse_date};
use ellis_core::{ANumber, AccountId, AccountNumber, EmailAddress};
use time::Date;

use crate::reads::Arg;
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Active,
    Compromised,
    Retired,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Compromised => "compromised",
            Self::Retired => "retired",
        }
    }
}

/// An account as stored, converted to domain types.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: AccountId,
    pub email: EmailAddress,
    pub password_hash: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Date,
    pub email_verified: bool,
    pub account_number: Option<AccountNumber>,
    pub a_number: Option<ANumber>,
    pub phone: Option<String>,
    pub mailing_address: Option<MailingAddress>,
    pub totp_secret: Option<String>,
    pub totp_pending_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub questions_set: bool,
    pub lockout: LockoutState,
    pub status: AccountStatus,
    /// Contact details (email, phone, mailing address) cannot change before this instant (unix seconds).
    pub contact_frozen_until: Option<i64>,
    pub recovery_failures: i64,
    pub recovery_closed_until: Option<i64>,
}

impl Account {
    pub fn setup_complete(&self) -> bool {
        self.questions_set && self.totp_secret.is_some()
    }

    pub fn contact_frozen(&self, now: i64) -> bool {
        self.contact_frozen_until.is_some_and(|until| until > now)
    }
}

crate::reads::read_row! {
    pub(crate) struct AccountRow {
        id: i64,
        email: String,
        password_hash: String,
        given_name: String,
        family_name: String,
        date_of_birth: String,
        email_verified_at: Option<i64>,
        account_number: Option<String>,
        a_number: Option<String>,
        phone: Option<String>,
        mailing_address: Option<String>,
        totp_secret: Option<String>,
        totp_pending_secret: Option<String>,
        totp_last_step: Option<i64>,
        questions_set_at: Option<i64>,
        failed_sign_ins: i64,
        lock_count: i64,
        locked_until: Option<i64>,
        status: String,
        contact_frozen_until: Option<i64>,
        recovery_failures: i64,
        recovery_closed_until: Option<i64>,
    }
}

pub(crate) const ACCOUNT_COLUMNS: &str = AccountRow::COLUMNS;

impl TryFrom<AccountRow> for Account {
    type Error = StoreError;

    fn try_from(row: AccountRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("account {}: {what}", row.id));
        Ok(Self {
            id: AccountId(row.id),
            email: EmailAddress::parse(&row.email).map_err(|_| corrupt("email"))?,
            date_of_birth: parse_date(&row.date_of_birth).map_err(|_| corrupt("date_of_birth"))?,
            account_number: row
                .account_number
                .as_deref()
                .map(AccountNumber::parse)
                .transpose()
                .map_err(|_| corrupt("account_number"))?,
            a_number: row.a_number.as_deref().map(ANumber::parse).transpose().map_err(|_| corrupt("a_number"))?,
            mailing_address: row
                .mailing_address
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|_| corrupt("mailing_address"))?,
            status: match row.status.as_str() {
                "active" => AccountStatus::Active,
                "compromised" => AccountStatus::Compromised,
                "retired" => AccountStatus::Retired,
                _ => return Err(corrupt("status")),
            },
            password_hash: row.password_hash,
            given_name: row.given_name,
            family_name: row.family_name,
            email_verified: row.email_verified_at.is_some(),
            phone: row.phone,
            totp_secret: row.totp_secret,
            totp_pending_secret: row.totp_pending_secret,
            totp_last_step: row.totp_last_step,
            questions_set: row.questions_set_at.is_some(),
            lockout: LockoutState {
                failed_sign_ins: row.failed_sign_ins,
                lock_count: row.lock_count,
                locked_until: row.locked_until,
            },
            contact_frozen_until: row.contact_frozen_until,
            recovery_failures: row.recovery_failures,
            recovery_closed_until: row.recovery_closed_until,
        })
    }
}

pub struct NewAccount<'a> {
    pub email: &'a EmailAddress,
    pub password_hash: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub date_of_birth: Date,
}

/// The profile fields a holder may change; `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct ProfileUpdate {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub a_number: Option<Option<ANumber>>,
    pub phone: Option<Option<String>>,
    pub mailing_address: Option<Option<MailingAddress>>,
}

impl Store {
    /// The account behind an email address: the first read of every password sign-in, so a hot read
    /// (`reads`): on SQLite it runs on the calling thread, not as a round trip to a sqlx connection's thread.
    pub async fn account_by_email(&self, email: &EmailAddress) -> Result<Option<Account>> {
        let sql = format!("select {ACCOUNT_COLUMNS} from accounts where email = $1");
        let row: Option<AccountRow> = self.read_optional(&sql, &[Arg::Text(email.as_str())]).await?;
        row.map(Account::try_from).transpose()
    }

    pub async fn account(&self, id: AccountId) -> Result<Account> {
        let sql = format!("select {ACCOUNT_COLUMNS} from accounts where id = $1");
        let row: AccountRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_one(&self.reader).await?;
        row.try_into()
    }
}

impl Tx {
    /// Inserts a new account; [`StoreError::UniqueViolation`] when the email is taken.
    pub async fn insert_account(&mut self, account: &NewAccount<'_>, now: i64) -> Result<AccountId> {
        let id = crate::new_id();
        sqlx::query(
            "insert into accounts (id, email, password_hash, given_name, family_name, date_of_birth, created_at, \
             updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(account.email.as_str())
        .bind(account.password_hash)
        .bind(account.given_name)
        .bind(account.family_name)
        .bind(ellis_core::profile::format_date(account.date_of_birth))
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        Ok(AccountId(id))
    }

    /// Reads the account inside this transaction, holding its row until commit on PostgreSQL, so counters
    /// read here and written back cannot race with another instance.
    pub async fn account_for_update(&mut self, id: AccountId) -> Result<Account> {
        let sql = format!("select {ACCOUNT_COLUMNS} from accounts where id = $1{}", self.for_update());
        let row: AccountRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_one(&mut *self.inner).await?;
        row.try_into()
    }

    pub async fn set_lockout(&mut self, id: AccountId, state: &LockoutState, now: i64) -> Result<()> {
        sqlx::query(
            "update accounts set failed_sign_ins = $1, lock_count = $2, locked_until = $3, updated_at = $4 where id = $5",
        )
        .bind(state.failed_sign_ins)
        .bind(state.lock_count)
        .bind(state.locked_until)
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Marks the email verified; false if it already was.
    pub async fn mark_email_verified(&mut self, id: AccountId, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update accounts set email_verified_at = $1, updated_at = $1 where id = $2 and email_verified_at is null",
        )
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn update_profile(&mut self, id: AccountId, update: &ProfileUpdate, now: i64) -> Result<()> {
        // Unchanged fields are written back as they are (`coalesce` of the new value and the column) so that
        // one statement serves every combination of fields; the flags say which nullable ones to clear.
        let address_json = match &update.mailing_address {
            Some(Some(address)) => {
                Some(serde_json::to_string(address).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            }
            _ => None,
        };
        sqlx::query(
            "update accounts set \
               given_name = coalesce($1, given_name), \
               family_name = coalesce($2, family_name), \
               a_number = case when $3 = 1 then $4 else a_number end, \
               phone = case when $5 = 1 then $6 else phone end, \
               mailing_address = case when $7 = 1 then $8 else mailing_address end, \
               updated_at = $9 \
             where id = $10",
        )
        .bind(update.given_name.as_deref())
        .bind(update.family_name.as_deref())
        .bind(i64::from(update.a_number.is_some()))
        .bind(update.a_number.flatten().map(|a| a.digits()))
        .bind(i64::from(update.phone.is_some()))
        .bind(update.phone.clone().flatten())
        .bind(i64::from(update.mailing_address.is_some()))
        .bind(address_json)
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
