//! Consolidation of duplicate accounts: proposals, their approval, and the move of one account's cases,
//! files, drafts and account numbers to another. The history is re-chained by the service (it appends each
//! moved event to the kept account's chain through [`Tx::insert_event`]).

use ellis_core::AccountId;
use ellis_core::ids::StaffId;
use ellis_core::profile::format_date;

use crate::accounts::{ACCOUNT_COLUMNS, AccountRow};
use crate::{Account, Result, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsolidationRecord {
    pub id: i64,
    pub keep: AccountId,
    pub retire: AccountId,
    pub reason: String,
    pub status: String,
    pub proposed_by: StaffId,
    pub proposed_at: i64,
    pub approved_by: Option<StaffId>,
    pub approved_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ConsolidationRow {
    id: i64,
    keep_account_id: i64,
    retire_account_id: i64,
    reason: String,
    status: String,
    proposed_by: i64,
    proposed_at: i64,
    approved_by: Option<i64>,
    approved_at: Option<i64>,
}

impl From<ConsolidationRow> for ConsolidationRecord {
    fn from(row: ConsolidationRow) -> Self {
        Self {
            id: row.id,
            keep: AccountId(row.keep_account_id),
            retire: AccountId(row.retire_account_id),
            reason: row.reason,
            status: row.status,
            proposed_by: StaffId(row.proposed_by),
            proposed_at: row.proposed_at,
            approved_by: row.approved_by.map(StaffId),
            approved_at: row.approved_at,
        }
    }
}

const COLUMNS: &str =
    "id, keep_account_id, retire_account_id, reason, status, proposed_by, proposed_at, approved_by, approved_at";

impl Store {
    pub async fn consolidation(&self, id: i64) -> Result<Option<ConsolidationRecord>> {
        let sql = format!("select {COLUMNS} from consolidations where id = $1");
        let row: Option<ConsolidationRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.reader).await?;
        Ok(row.map(Into::into))
    }

    /// Proposals waiting for a second agent, oldest first; with `account`, only those naming it.
    pub async fn pending_consolidations(&self, account: Option<AccountId>) -> Result<Vec<ConsolidationRecord>> {
        let rows: Vec<ConsolidationRow> = match account {
            Some(account) => {
                let sql = format!(
                    "select {COLUMNS} from consolidations where status = 'pending_approval' \
                     and (keep_account_id = $1 or retire_account_id = $1) order by proposed_at, id"
                );
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account.0).fetch_all(&self.reader).await?
            }
            None => {
                let sql = format!(
                    "select {COLUMNS} from consolidations where status = 'pending_approval' \
                     order by proposed_at, id limit 200"
                );
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.reader).await?
            }
        };
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Other accounts that are probably the same person: the same family name (any case) and date of birth,
    /// or the same A-Number. Retired accounts are not offered.
    pub async fn likely_duplicates(&self, account: &Account) -> Result<Vec<Account>> {
        let sql = format!(
            "select {ACCOUNT_COLUMNS} from accounts where id <> $1 and status <> 'retired' and \
             ((date_of_birth = $2 and lower(family_name) = lower($3)) or (a_number is not null and a_number = $4)) \
             order by id limit 20"
        );
        let rows: Vec<AccountRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(account.id.0)
            .bind(format_date(account.date_of_birth))
            .bind(&account.family_name)
            .bind(account.a_number.map(|a| a.digits()))
            .fetch_all(&self.reader)
            .await?;
        rows.into_iter().map(Account::try_from).collect()
    }
}

impl Tx {
    pub async fn insert_consolidation(
        &mut self,
        keep: AccountId,
        retire: AccountId,
        reason: &str,
        proposed_by: StaffId,
        now: i64,
    ) -> Result<i64> {
        let id = crate::new_id();
        sqlx::query(
            "insert into consolidations (id, keep_account_id, retire_account_id, reason, status, proposed_by, \
             proposed_at) values ($1, $2, $3, $4, 'pending_approval', $5, $6)",
        )
        .bind(id)
        .bind(keep.0)
        .bind(retire.0)
        .bind(reason)
        .bind(proposed_by.0)
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        Ok(id)
    }

    /// Marks a pending proposal done by `approver`. False when it is no longer pending (someone else approved
    /// it first): of two concurrent approvals exactly one gets true.
    pub async fn approve_consolidation(&mut self, id: i64, approver: StaffId, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update consolidations set status = 'done', approved_by = $1, approved_at = $2 \
             where id = $3 and status = 'pending_approval'",
        )
        .bind(approver.0)
        .bind(now)
        .bind(id)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves the retired account's cases, evidence files, drafts (where the kept account has none for that
    /// form) and account numbers (as aliases) to the kept account, and retires it. Idempotency keys of the
    /// moved cases are cleared: they belonged to the other account's client and could collide.
    pub async fn move_account_contents(&mut self, retire: AccountId, keep: AccountId, now: i64) -> Result<()> {
        sqlx::query(
            "update cases set account_id = $1, idempotency_key = null, request_digest = null, updated_at = $3 \
             where account_id = $2",
        )
        .bind(keep.0)
        .bind(retire.0)
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        sqlx::query("update evidence_files set account_id = $1 where account_id = $2")
            .bind(keep.0)
            .bind(retire.0)
            .execute(&mut *self.inner)
            .await?;
        sqlx::query(
            "update drafts set account_id = $1 where account_id = $2 \
             and form_type not in (select form_type from drafts where account_id = $1)",
        )
        .bind(keep.0)
        .bind(retire.0)
        .execute(&mut *self.inner)
        .await?;
        sqlx::query("update account_numbers set account_id = $1, is_alias = 1 where account_id = $2")
            .bind(keep.0)
            .bind(retire.0)
            .execute(&mut *self.inner)
            .await?;
        sqlx::query("update accounts set status = 'retired', updated_at = $1 where id = $2")
            .bind(now)
            .bind(retire.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}
