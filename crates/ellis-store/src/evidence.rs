//! Evidence files, stored in the database so that every instance can serve them.

use ellis_core::AccountId;
use ellis_core::ids::CaseId;

use crate::{Result, Store, Tx};

pub struct NewEvidence<'a> {
    pub public_id: &'a str,
    pub case: CaseId,
    pub account: AccountId,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub note: Option<&'a str>,
}

/// A stored file, without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRecord {
    pub public_id: String,
    pub case_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub note: Option<String>,
    pub uploaded_at: i64,
}

const COLUMNS: &str = "public_id, case_id, file_name, content_type, size_bytes, note, uploaded_at";

impl Store {
    pub async fn evidence_of(&self, case: CaseId) -> Result<Vec<EvidenceRecord>> {
        let sql = format!("select {COLUMNS} from evidence_files where case_id = $1 order by uploaded_at, id");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case.0).fetch_all(&self.reader).await?)
    }

    /// One file with its content.
    pub async fn evidence_file(&self, public_id: &str) -> Result<Option<(EvidenceRecord, Vec<u8>)>> {
        let sql = format!("select {COLUMNS} from evidence_files where public_id = $1");
        let Some(record): Option<EvidenceRecord> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(public_id).fetch_optional(&self.reader).await?
        else {
            return Ok(None);
        };
        let content: Vec<u8> = sqlx::query_scalar("select content from evidence_files where public_id = $1")
            .bind(public_id)
            .fetch_one(&self.reader)
            .await?;
        Ok(Some((record, content)))
    }
}

impl Tx {
    pub async fn insert_evidence(&mut self, file: &NewEvidence<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "insert into evidence_files (id, public_id, case_id, account_id, file_name, content_type, size_bytes, \
             content, note, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(crate::new_id())
        .bind(file.public_id)
        .bind(file.case.0)
        .bind(file.account.0)
        .bind(file.file_name)
        .bind(file.content_type)
        .bind(file.content.len() as i64)
        .bind(file.content)
        .bind(file.note)
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Moves the case to a new status (its history is appended separately); `unread` marks it for the holder.
    pub async fn set_case_status(&mut self, case: CaseId, title: &str, at: i64, unread: bool) -> Result<()> {
        sqlx::query("update cases set status_title = $1, status_at = $2, unread = $3, updated_at = $2 where id = $4")
            .bind(title)
            .bind(at)
            .bind(i64::from(unread))
            .bind(case.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}
