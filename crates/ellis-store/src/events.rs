//! Account history: what happened, when, and from which address.

use ellis_core::AccountId;
use ellis_core::events::EventKind;

use crate::{Result, Store, Tx};

pub struct NewEvent<'a> {
    pub account: AccountId,
    pub kind: EventKind,
    pub at_us: i64,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRecord {
    pub at_us: i64,
    pub kind: String,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

impl Store {
    /// The account's events, newest first.
    pub async fn events(&self, account: AccountId, limit: i64) -> Result<Vec<EventRecord>> {
        let rows = sqlx::query_as(
            "select at_us, kind, ip, detail from events where account_id = $1 order by seq desc limit $2",
        )
        .bind(account.0)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows)
    }
}

impl Tx {
    /// Appends an event as the account's next in sequence. The account row is locked first (PostgreSQL), so
    /// two transactions writing history for one account take turns instead of both claiming the same `seq`.
    pub async fn insert_event(&mut self, event: &NewEvent<'_>) -> Result<()> {
        let lock = format!("select id from accounts where id = $1{}", self.for_update());
        sqlx::query(sqlx::AssertSqlSafe(lock)).bind(event.account.0).execute(&mut *self.inner).await?;
        sqlx::query(
            "insert into events (id, account_id, seq, at_us, kind, ip, detail) \
             values ($1, $2, (select coalesce(max(seq), 0) + 1 from events where account_id = $2), $3, $4, $5, $6)",
        )
        .bind(crate::new_id())
        .bind(event.account.0)
        .bind(event.at_us)
        .bind(event.kind.as_str())
        .bind(event.ip)
        .bind(event.detail)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
