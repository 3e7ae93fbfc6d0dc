//! Cases, their status history, and the counters that issue receipt numbers.

use ellis_core::ids::CaseId;
use ellis_core::{AccountId, ReceiptNumber};

use std::sync::LazyLock;

use crate::reads::Arg;
use crate::{Result, Store, StoreError, Tx};

pub struct NewCase<'a> {
    pub receipt_number: &'a ReceiptNumber,
    pub account: Option<AccountId>,
    pub form_type: &'a str,
    pub filed_online: bool,
    pub status_title: &'a str,
    pub received_at: i64,
    pub fields_json: &'a str,
    pub fee_cents: Option<i64>,
    pub office: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub request_digest: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub id: CaseId,
    pub receipt_number: ReceiptNumber,
    pub account: Option<AccountId>,
    pub form_type: String,
    pub filed_online: bool,
    pub status_title: String,
    pub status_at: i64,
    pub received_at: i64,
    pub fields_json: String,
    pub fee_cents: Option<i64>,
    pub office: String,
    pub request_digest: Option<String>,
    pub unread: bool,
}

crate::reads::read_row! {
    struct CaseRow {
        id: i64,
        receipt_number: String,
        account_id: Option<i64>,
        form_type: String,
        filed_online: i64,
        status_title: String,
        status_at: i64,
        received_at: i64,
        fields: String,
        fee_cents: Option<i64>,
        office: String,
        request_digest: Option<String>,
        unread: i64,
    }
}

const CASE_COLUMNS: &str = CaseRow::COLUMNS;

impl TryFrom<CaseRow> for CaseRecord {
    type Error = StoreError;

    fn try_from(row: CaseRow) -> Result<Self> {
        Ok(Self {
            id: CaseId(row.id),
            receipt_number: ReceiptNumber::parse(&row.receipt_number)
                .map_err(|_| StoreError::Corrupt(format!("case {}: receipt number", row.id)))?,
            account: row.account_id.map(AccountId),
            form_type: row.form_type,
            filed_online: row.filed_online == 1,
            status_title: row.status_title,
            status_at: row.status_at,
            received_at: row.received_at,
            fields_json: row.fields,
            fee_cents: row.fee_cents,
            office: row.office,
            request_digest: row.request_digest,
            unread: row.unread == 1,
        })
    }
}

crate::reads::read_row! {
    /// One line of a case's history.
    #[derive(Debug, Clone)]
    pub struct CaseHistoryRecord {
        pub at: i64,
        pub status_title: String,
    }
}

fn cases(rows: Vec<CaseRow>) -> Result<Vec<CaseRecord>> {
    rows.into_iter().map(CaseRecord::try_from).collect()
}

impl Store {
    pub async fn case_by_receipt(&self, receipt: &ReceiptNumber) -> Result<Option<CaseRecord>> {
        static SQL: LazyLock<String> =
            LazyLock::new(|| format!("select {CASE_COLUMNS} from cases where receipt_number = $1"));
        let row: Option<CaseRow> = self.read_optional(&SQL, &[Arg::Text(receipt.as_str())]).await?;
        row.map(CaseRecord::try_from).transpose()
    }

    pub async fn case(&self, id: CaseId) -> Result<CaseRecord> {
        let sql = format!("select {CASE_COLUMNS} from cases where id = $1");
        let row: CaseRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_one(&self.reader).await?;
        row.try_into()
    }

    /// The account's cases, most recently changed first.
    pub async fn cases_of(&self, account: AccountId) -> Result<Vec<CaseRecord>> {
        let sql = format!("select {CASE_COLUMNS} from cases where account_id = $1 order by status_at desc, id");
        cases(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account.0).fetch_all(&self.reader).await?)
    }

    /// The case an earlier request with this Idempotency-Key created, if any.
    pub async fn case_by_idempotency_key(&self, account: AccountId, key: &str) -> Result<Option<CaseRecord>> {
        let sql = format!("select {CASE_COLUMNS} from cases where account_id = $1 and idempotency_key = $2");
        let row: Option<CaseRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account.0).bind(key).fetch_optional(&self.reader).await?;
        row.map(CaseRecord::try_from).transpose()
    }

    /// The officers' queue: cases oldest first, optionally of one status and one form and received no later
    /// than `received_before`, at most `limit`.
    pub async fn case_queue(
        &self,
        status: Option<&str>,
        form_type: Option<&str>,
        received_before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<CaseRecord>> {
        let sql = format!(
            "select {CASE_COLUMNS} from cases where ($1 = '' or status_title = $1) and ($2 = '' or form_type = $2) \
             and received_at <= $3 order by received_at, id limit $4"
        );
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(status.unwrap_or(""))
            .bind(form_type.unwrap_or(""))
            .bind(received_before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(&self.reader)
            .await?;
        cases(rows)
    }

    /// The last number taken from a (prefix, fiscal year) receipt sequence; 0 before the first.
    pub async fn receipt_sequence(&self, prefix: &str, fiscal_year: u16) -> Result<i64> {
        let last: Option<i64> =
            sqlx::query_scalar("select last_value from receipt_sequences where prefix = $1 and fiscal_year = $2")
                .bind(prefix)
                .bind(i64::from(fiscal_year))
                .fetch_optional(&self.reader)
                .await?;
        Ok(last.unwrap_or(0))
    }

    /// The Online Access Code made for a paper case, if any.
    pub async fn access_code(&self, case: CaseId) -> Result<Option<AccessCodeRecord>> {
        Ok(sqlx::query_as("select code_hash, expires_at, attempts_left, used_at from access_codes where case_id = $1")
            .bind(case.0)
            .fetch_optional(&self.reader)
            .await?)
    }

    /// The case's status history, oldest first.
    pub async fn case_history(&self, case: CaseId) -> Result<Vec<CaseHistoryRecord>> {
        self.read_all("select at, status_title from case_history where case_id = $1 order by seq", &[Arg::Int(case.0)])
            .await
    }
}

impl Tx {
    /// The case, read (and on PostgreSQL locked) inside this transaction.
    pub async fn case_for_update(&mut self, case: CaseId) -> Result<CaseRecord> {
        let sql = format!("select {CASE_COLUMNS} from cases where id = $1{}", self.for_update());
        let row: CaseRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case.0).fetch_one(&mut *self.inner).await?;
        row.try_into()
    }

    /// Takes the next number of the (prefix, fiscal year) sequence: 1 for the first.
    pub async fn next_receipt_sequence(&mut self, prefix: &str, fiscal_year: u16) -> Result<i64> {
        let next = sqlx::query_scalar(
            "insert into receipt_sequences (prefix, fiscal_year, last_value) values ($1, $2, 1) \
             on conflict (prefix, fiscal_year) do update set last_value = receipt_sequences.last_value + 1 \
             returning last_value",
        )
        .bind(prefix)
        .bind(i64::from(fiscal_year))
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(next)
    }

    /// Inserts a case with its first history line; [`StoreError::UniqueViolation`] when the receipt number
    /// or the account's Idempotency-Key is taken.
    pub async fn insert_case(&mut self, case: &NewCase<'_>, now: i64) -> Result<CaseId> {
        let id = crate::new_id();
        sqlx::query(
            "insert into cases (id, receipt_number, account_id, form_type, filed_online, status_title, status_at, \
             received_at, fields, fee_cents, office, idempotency_key, request_digest, unread, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, 0, $13, $13)",
        )
        .bind(id)
        .bind(case.receipt_number.as_str())
        .bind(case.account.map(|a| a.0))
        .bind(case.form_type)
        .bind(i64::from(case.filed_online))
        .bind(case.status_title)
        .bind(case.received_at)
        .bind(case.fields_json)
        .bind(case.fee_cents)
        .bind(case.office)
        .bind(case.idempotency_key)
        .bind(case.request_digest)
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        self.append_case_history(CaseId(id), case.status_title, case.received_at).await?;
        Ok(CaseId(id))
    }

    /// Appends a status to the case's history (under the case's row lock on PostgreSQL).
    pub async fn append_case_history(&mut self, case: CaseId, status_title: &str, at: i64) -> Result<()> {
        let lock = format!("select id from cases where id = $1{}", self.for_update());
        sqlx::query(sqlx::AssertSqlSafe(lock)).bind(case.0).execute(&mut *self.inner).await?;
        sqlx::query(
            "insert into case_history (id, case_id, seq, at, status_title) \
             values ($1, $2, (select coalesce(max(seq), 0) + 1 from case_history where case_id = $2), $3, $4)",
        )
        .bind(crate::new_id())
        .bind(case.0)
        .bind(at)
        .bind(status_title)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn mark_case_read(&mut self, case: CaseId) -> Result<()> {
        sqlx::query("update cases set unread = 0 where id = $1 and unread = 1")
            .bind(case.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}

/// A paper case's Online Access Code, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccessCodeRecord {
    pub code_hash: String,
    pub expires_at: i64,
    pub attempts_left: i64,
    pub used_at: Option<i64>,
}

impl Tx {
    pub async fn insert_access_code(
        &mut self,
        case: CaseId,
        code_hash: &str,
        expires_at: i64,
        tries: i64,
    ) -> Result<()> {
        sqlx::query("insert into access_codes (case_id, code_hash, expires_at, attempts_left) values ($1, $2, $3, $4)")
            .bind(case.0)
            .bind(code_hash)
            .bind(expires_at)
            .bind(tries)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// The case's access code, locked (PostgreSQL) until the transaction ends.
    pub async fn access_code_for_update(&mut self, case: CaseId) -> Result<Option<AccessCodeRecord>> {
        let sql = format!(
            "select code_hash, expires_at, attempts_left, used_at from access_codes where case_id = $1{}",
            self.for_update()
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case.0).fetch_optional(&mut *self.inner).await?)
    }

    pub async fn spend_access_code_try(&mut self, case: CaseId) -> Result<()> {
        sqlx::query(
            "update access_codes set attempts_left = attempts_left - 1 where case_id = $1 and attempts_left > 0",
        )
        .bind(case.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Spends the code and gives the case to `account`, in one step each guarded against a parallel use;
    /// false if the code was used or the case linked meanwhile.
    pub async fn link_case_with_code(&mut self, case: CaseId, account: AccountId, now: i64) -> Result<bool> {
        let spent =
            sqlx::query("update access_codes set used_at = $1, used_by = $2 where case_id = $3 and used_at is null")
                .bind(now)
                .bind(account.0)
                .bind(case.0)
                .execute(&mut *self.inner)
                .await?;
        if spent.rows_affected() != 1 {
            return Ok(false);
        }
        let linked = sqlx::query(
            "update cases set account_id = $1, unread = 1, updated_at = $2 where id = $3 and account_id is null",
        )
        .bind(account.0)
        .bind(now)
        .bind(case.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(linked.rows_affected() == 1)
    }
}
