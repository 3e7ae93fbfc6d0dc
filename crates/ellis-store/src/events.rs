//! Account history: what happened, when, and from which address, each event chained to the one before by
//! its hash (ellis_core::events::chain_hash), so a changed or removed row is detectable.

use ellis_core::AccountId;
use ellis_core::events::{CHAIN_START, ChainLink, EventKind, chain_hash};

use crate::{Backend, Result, Store, Tx};

pub struct NewEvent<'a> {
    pub account: AccountId,
    pub kind: EventKind,
    pub at_us: i64,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRecord {
    pub seq: i64,
    pub at_us: i64,
    pub kind: String,
    pub ip: Option<String>,
    pub detail: Option<String>,
    pub hash: Option<String>,
}

impl EventRecord {
    /// The event as the chain sees it.
    pub fn link(&self, account: AccountId) -> ChainLink<'_> {
        ChainLink {
            account: account.0,
            seq: self.seq,
            at_us: self.at_us,
            kind: &self.kind,
            ip: self.ip.as_deref(),
            detail: self.detail.as_deref(),
        }
    }
}

const EVENT_COLUMNS: &str = "seq, at_us, kind, ip, detail, hash";

impl Store {
    /// The account's events, newest first.
    pub async fn events(&self, account: AccountId, limit: i64) -> Result<Vec<EventRecord>> {
        let sql = format!("select {EVENT_COLUMNS} from events where account_id = $1 order by seq desc limit $2");
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account.0).bind(limit).fetch_all(&self.reader).await?;
        Ok(rows)
    }

    /// The account's whole history in order, oldest first (for verifying the chain and for downloads).
    pub async fn event_chain(&self, account: AccountId) -> Result<Vec<EventRecord>> {
        let sql = format!("select {EVENT_COLUMNS} from events where account_id = $1 order by seq");
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account.0).fetch_all(&self.reader).await?;
        Ok(rows)
    }

    /// Every account that has history, in id order.
    pub async fn accounts_with_events(&self) -> Result<Vec<AccountId>> {
        let ids: Vec<i64> = sqlx::query_scalar("select distinct account_id from events order by account_id")
            .fetch_all(&self.reader)
            .await?;
        Ok(ids.into_iter().map(AccountId).collect())
    }
}

impl Tx {
    /// The account's whole history in order, read inside this transaction.
    pub async fn event_chain(&mut self, account: AccountId) -> Result<Vec<EventRecord>> {
        let sql = format!("select {EVENT_COLUMNS} from events where account_id = $1 order by seq");
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account.0).fetch_all(&mut *self.inner).await?;
        Ok(rows)
    }

    /// Appends an event as the account's next in sequence, chained to the previous one. On PostgreSQL the
    /// account row is locked first, so two transactions writing history for one account take turns instead
    /// of both claiming the same `seq` or chaining from the same predecessor; SQLite's write transactions
    /// already take turns (`begin immediate` on the one writer connection), so there the lock would be a
    /// round trip for nothing — three of them in every sign-in.
    pub async fn insert_event(&mut self, event: &NewEvent<'_>) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("select id from accounts where id = $1 for update")
                .bind(event.account.0)
                .execute(&mut *self.inner)
                .await?;
        }
        let last: Option<(i64, Option<String>)> =
            sqlx::query_as("select seq, hash from events where account_id = $1 order by seq desc limit 1")
                .bind(event.account.0)
                .fetch_optional(&mut *self.inner)
                .await?;
        let (previous_seq, previous_hash) = last.unwrap_or((0, None));
        let seq = previous_seq + 1;
        let link = ChainLink {
            account: event.account.0,
            seq,
            at_us: event.at_us,
            kind: event.kind.as_str(),
            ip: event.ip,
            detail: event.detail,
        };
        let hash = chain_hash(previous_hash.as_deref().unwrap_or(CHAIN_START), &link);
        sqlx::query(
            "insert into events (id, account_id, seq, at_us, kind, ip, detail, hash) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(crate::new_id())
        .bind(event.account.0)
        .bind(seq)
        .bind(event.at_us)
        .bind(event.kind.as_str())
        .bind(event.ip)
        .bind(event.detail)
        .bind(hash)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}

/// Chains the events written before `events.hash` existed; runs inside the migration that adds the column.
pub(crate) async fn chain_existing_events(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        account_id: i64,
        seq: i64,
        at_us: i64,
        kind: String,
        ip: Option<String>,
        detail: Option<String>,
    }
    let rows: Vec<Row> =
        sqlx::query_as("select id, account_id, seq, at_us, kind, ip, detail from events order by account_id, seq")
            .fetch_all(&mut **tx)
            .await?;
    let mut previous: Option<(i64, String)> = None;
    for row in rows {
        let start = match &previous {
            Some((account, hash)) if *account == row.account_id => hash.clone(),
            _ => CHAIN_START.to_owned(),
        };
        let link = ChainLink {
            account: row.account_id,
            seq: row.seq,
            at_us: row.at_us,
            kind: &row.kind,
            ip: row.ip.as_deref(),
            detail: row.detail.as_deref(),
        };
        let hash = chain_hash(&start, &link);
        sqlx::query("update events set hash = $1 where id = $2").bind(&hash).bind(row.id).execute(&mut **tx).await?;
        previous = Some((row.account_id, hash));
    }
    Ok(())
}
