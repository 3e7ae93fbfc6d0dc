//! Notices, stored as the data their PDF prints, and drafts of filings.

use ellis_core::AccountId;
use ellis_core::ids::CaseId;

use std::sync::LazyLock;

use crate::reads::Arg;
use crate::{Result, Store, Tx};

pub struct NewNotice<'a> {
    pub public_id: &'a str,
    pub case: CaseId,
    pub form: &'a str,
    pub kind: &'a str,
    pub notice_date: &'a str,
    pub verification_code: &'a str,
    pub data_json: &'a str,
}

crate::reads::read_row! {
    #[derive(Debug, Clone)]
    pub struct NoticeRecord {
        pub public_id: String,
        pub case_id: i64,
        pub form: String,
        pub kind: String,
        pub notice_date: String,
        pub verification_code: String,
        pub data: String,
    }
}

const NOTICE_COLUMNS: &str = NoticeRecord::COLUMNS;

impl Store {
    /// The case's notices, oldest first.
    pub async fn notices_of(&self, case: CaseId) -> Result<Vec<NoticeRecord>> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!("select {NOTICE_COLUMNS} from notices where case_id = $1 order by created_at, id")
        });
        self.read_all(&SQL, &[Arg::Int(case.0)]).await
    }

    pub async fn notice(&self, public_id: &str) -> Result<Option<NoticeRecord>> {
        let sql = format!("select {NOTICE_COLUMNS} from notices where public_id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(public_id).fetch_optional(&self.reader).await?)
    }

    pub async fn notice_by_verification_code(&self, code: &str) -> Result<Option<NoticeRecord>> {
        let sql = format!("select {NOTICE_COLUMNS} from notices where verification_code = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(&self.reader).await?)
    }

    /// The receipt number of a case, by its internal key.
    pub async fn receipt_of(&self, case: CaseId) -> Result<String> {
        Ok(sqlx::query_scalar("select receipt_number from cases where id = $1")
            .bind(case.0)
            .fetch_one(&self.reader)
            .await?)
    }

    pub async fn draft(&self, account: AccountId, form_type: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("select fields from drafts where account_id = $1 and form_type = $2")
            .bind(account.0)
            .bind(form_type)
            .fetch_optional(&self.reader)
            .await?)
    }

    /// The account's drafts as (form type, last saved).
    pub async fn drafts_of(&self, account: AccountId) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as("select form_type, updated_at from drafts where account_id = $1 order by updated_at desc")
            .bind(account.0)
            .fetch_all(&self.reader)
            .await?)
    }
}

impl Tx {
    pub async fn insert_notice(&mut self, notice: &NewNotice<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "insert into notices (id, public_id, case_id, form, kind, notice_date, verification_code, data, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(crate::new_id())
        .bind(notice.public_id)
        .bind(notice.case.0)
        .bind(notice.form)
        .bind(notice.kind)
        .bind(notice.notice_date)
        .bind(notice.verification_code)
        .bind(notice.data_json)
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn save_draft(&mut self, account: AccountId, form_type: &str, fields_json: &str, now: i64) -> Result<()> {
        sqlx::query(
            "insert into drafts (account_id, form_type, fields, updated_at) values ($1, $2, $3, $4) \
             on conflict (account_id, form_type) do update set fields = excluded.fields, updated_at = excluded.updated_at",
        )
        .bind(account.0)
        .bind(form_type)
        .bind(fields_json)
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn delete_draft(&mut self, account: AccountId, form_type: &str) -> Result<()> {
        sqlx::query("delete from drafts where account_id = $1 and form_type = $2")
            .bind(account.0)
            .bind(form_type)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}
