//! Bulk loading for `ellis seed`: many rows per statement, many statements per transaction. Only for
//! benchmark and demonstration data; the application's own writes never come through here.

use ellis_core::AccountId;
use ellis_core::events::{CHAIN_START, ChainLink, EventKind, chain_hash};

use crate::{Result, Tx};

/// An account that finished security setup.
pub struct SeedAccount<'a> {
    pub id: AccountId,
    pub email: String,
    pub password_hash: &'a str,
    pub given_name: String,
    pub family_name: &'a str,
    pub date_of_birth: String,
    pub account_number: String,
    pub totp_secret: &'a str,
    pub answer_hash: &'a str,
    pub created_at: i64,
}

/// A case filed online, with its status history (oldest first: `(at, title)`).
pub struct SeedCase<'a> {
    pub id: i64,
    pub receipt_number: String,
    pub account: AccountId,
    pub form_type: &'a str,
    pub fields_json: &'a str,
    pub fee_cents: i64,
    pub office: &'a str,
    pub received_at: i64,
    pub history: Vec<(i64, &'static str)>,
}

/// Rows per `insert` statement. SQLite's driver looks each `$N` up by name, a scan over the statement's
/// parameters, so binding grows with the square of their number: measured, 500 rows a statement ran at a
/// tenth of the rate of 20.
const ROWS_PER_STATEMENT: usize = 20;

/// `($1, $2, …), (…)` for `rows` rows of `columns` placeholders.
fn placeholders(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * columns + column + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

impl Tx {
    /// Inserts the accounts with their account numbers, three security answers and a first history event.
    pub async fn seed_accounts(&mut self, accounts: &[SeedAccount<'_>]) -> Result<()> {
        for chunk in accounts.chunks(ROWS_PER_STATEMENT) {
            self.seed_account_rows(chunk).await?;
        }
        Ok(())
    }

    /// Inserts the cases and their status histories.
    pub async fn seed_cases(&mut self, cases: &[SeedCase<'_>]) -> Result<()> {
        for chunk in cases.chunks(ROWS_PER_STATEMENT) {
            self.seed_case_rows(chunk).await?;
        }
        Ok(())
    }

    async fn seed_account_rows(&mut self, accounts: &[SeedAccount<'_>]) -> Result<()> {
        if accounts.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "insert into accounts (id, email, password_hash, given_name, family_name, date_of_birth, \
             email_verified_at, account_number, totp_secret, totp_confirmed_at, questions_set_at, created_at, \
             updated_at) values {}",
            placeholders(accounts.len(), 13)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            query = query
                .bind(a.id.0)
                .bind(a.email.as_str())
                .bind(a.password_hash)
                .bind(a.given_name.as_str())
                .bind(a.family_name)
                .bind(a.date_of_birth.as_str())
                .bind(a.created_at)
                .bind(a.account_number.as_str())
                .bind(a.totp_secret)
                .bind(a.created_at)
                .bind(a.created_at)
                .bind(a.created_at)
                .bind(a.created_at);
        }
        query.execute(&mut *self.inner).await?;

        let sql = format!(
            "insert into account_numbers (number, account_id, is_alias, assigned_at) values {}",
            placeholders(accounts.len(), 4)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            query = query.bind(a.account_number.as_str()).bind(a.id.0).bind(0_i64).bind(a.created_at);
        }
        query.execute(&mut *self.inner).await?;

        let sql = format!(
            "insert into security_answers (account_id, question_id, answer_hash) values {}",
            placeholders(accounts.len() * 3, 3)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            for question in [1_i64, 2, 5] {
                query = query.bind(a.id.0).bind(question).bind(a.answer_hash);
            }
        }
        query.execute(&mut *self.inner).await?;

        let sql = format!(
            "insert into events (id, account_id, seq, at_us, kind, ip, detail, hash) values {}",
            placeholders(accounts.len(), 8)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            let kind = EventKind::Registered.as_str();
            let at_us = a.created_at * 1_000_000;
            let link = ChainLink { account: a.id.0, seq: 1, at_us, kind, ip: None, detail: None };
            query = query
                // The account's one event: its id follows the account's, so inserts append to the index.
                .bind(a.id.0)
                .bind(a.id.0)
                .bind(1_i64)
                .bind(at_us)
                .bind(kind)
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(chain_hash(CHAIN_START, &link));
        }
        query.execute(&mut *self.inner).await?;
        Ok(())
    }

    async fn seed_case_rows(&mut self, cases: &[SeedCase<'_>]) -> Result<()> {
        if cases.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "insert into cases (id, receipt_number, account_id, form_type, filed_online, status_title, status_at, \
             received_at, fields, fee_cents, office, unread, created_at, updated_at) values {}",
            placeholders(cases.len(), 14)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for c in cases {
            let (status_at, status) = c.history.last().copied().unwrap_or((c.received_at, ""));
            query = query
                .bind(c.id)
                .bind(c.receipt_number.as_str())
                .bind(c.account.0)
                .bind(c.form_type)
                .bind(1_i64)
                .bind(status)
                .bind(status_at)
                .bind(c.received_at)
                .bind(c.fields_json)
                .bind(c.fee_cents)
                .bind(c.office)
                .bind(0_i64)
                .bind(c.received_at)
                .bind(status_at);
        }
        query.execute(&mut *self.inner).await?;

        let rows: usize = cases.iter().map(|c| c.history.len()).sum();
        let sql =
            format!("insert into case_history (id, case_id, seq, at, status_title) values {}", placeholders(rows, 5));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for c in cases {
            for (seq, (at, title)) in c.history.iter().enumerate() {
                // Ids in the case's own block of eight: increasing, so inserts append to the index.
                let id = c.id.wrapping_mul(8).wrapping_add(seq as i64) & i64::MAX;
                query = query.bind(id).bind(c.id).bind(seq as i64 + 1).bind(*at).bind(*title);
            }
        }
        query.execute(&mut *self.inner).await?;
        Ok(())
    }

    /// Moves a receipt sequence forward to at least `last`, so later filings do not reuse seeded numbers.
    pub async fn advance_receipt_sequence(&mut self, prefix: &str, fiscal_year: u16, last: i64) -> Result<()> {
        let sql = "insert into receipt_sequences (prefix, fiscal_year, last_value) values ($1, $2, $3) \
                   on conflict (prefix, fiscal_year) do update set last_value = case \
                   when receipt_sequences.last_value > excluded.last_value then receipt_sequences.last_value \
                   else excluded.last_value end";
        sqlx::query(sql).bind(prefix).bind(i64::from(fiscal_year)).bind(last).execute(&mut *self.inner).await?;
        Ok(())
    }
}
