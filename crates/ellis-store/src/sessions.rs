//! Sessions (stored by token hash) and the sign-in codes emailed to them.

use ellis_core::session::Assurance;
use ellis_core::{AccountId, ids::SessionId};

use crate::accounts::AccountRow;
use crate::reads::{Arg, ReadRow};
use crate::{Result, Store, StoreError, Tx};

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub public_id: &'a str,
    pub account: AccountId,
    pub assurance: Assurance,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: SessionId,
    pub public_id: String,
    pub account: AccountId,
    pub assurance: Assurance,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub second_factor_at: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    public_id: String,
    account_id: i64,
    assurance: String,
    created_at: i64,
    last_seen_at: i64,
    second_factor_at: Option<i64>,
    ip: Option<String>,
    user_agent: Option<String>,
}

const SESSION_COLUMNS: &str =
    "id, public_id, account_id, assurance, created_at, last_seen_at, second_factor_at, ip, user_agent";

impl TryFrom<SessionRow> for SessionRecord {
    type Error = StoreError;

    fn try_from(row: SessionRow) -> Result<Self> {
        Ok(Self {
            id: SessionId(row.id),
            assurance: Assurance::parse(&row.assurance)
                .ok_or_else(|| StoreError::Corrupt(format!("session {}: assurance", row.id)))?,
            public_id: row.public_id,
            account: AccountId(row.account_id),
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            second_factor_at: row.second_factor_at,
            ip: row.ip,
            user_agent: row.user_agent,
        })
    }
}

/// A session and its account, read in one query (every authenticated request starts with this).
#[derive(sqlx::FromRow)]
struct SessionAccountRow {
    session_id: i64,
    session_public_id: String,
    session_assurance: String,
    session_created_at: i64,
    session_last_seen_at: i64,
    session_second_factor_at: Option<i64>,
    session_ip: Option<String>,
    session_user_agent: Option<String>,
    #[sqlx(flatten)]
    account: AccountRow,
}

impl ReadRow for SessionAccountRow {
    const NAMES: &'static [&'static str] = &[
        "session_id",
        "session_public_id",
        "session_assurance",
        "session_created_at",
        "session_last_seen_at",
        "session_second_factor_at",
        "session_ip",
        "session_user_agent",
    ];

    fn from_sqlite_at(row: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            session_id: row.get(start)?,
            session_public_id: row.get(start + 1)?,
            session_assurance: row.get(start + 2)?,
            session_created_at: row.get(start + 3)?,
            session_last_seen_at: row.get(start + 4)?,
            session_second_factor_at: row.get(start + 5)?,
            session_ip: row.get(start + 6)?,
            session_user_agent: row.get(start + 7)?,
            account: AccountRow::from_sqlite_at(row, start + Self::NAMES.len())?,
        })
    }

    /// The session's columns, then the account's.
    fn columns_match(names: &[&str]) -> bool {
        names.len() == Self::NAMES.len() + AccountRow::NAMES.len()
            && names[..Self::NAMES.len()] == *Self::NAMES
            && names[Self::NAMES.len()..] == *AccountRow::NAMES
    }
}

impl Store {
    /// The open session with this token hash and its account, in one round trip (expiry is checked by the
    /// caller against the policy).
    pub async fn session_with_account(&self, token_hash: &str) -> Result<Option<(SessionRecord, crate::Account)>> {
        // `s.id as session_id, …, a.id, a.email, …`: the session's columns carry a prefix so that sqlx, which
        // reads by name, does not confuse them with the account's.
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            let session = SessionAccountRow::NAMES
                .iter()
                .map(|alias| format!("s.{} as {alias}", alias.trim_start_matches("session_")));
            let account = AccountRow::NAMES.iter().map(|column| format!("a.{column}"));
            format!(
                "select {} from sessions s join accounts a on a.id = s.account_id \
                 where s.token_hash = $1 and s.ended_at is null",
                session.chain(account).collect::<Vec<_>>().join(", ")
            )
        });
        let row: Option<SessionAccountRow> = self.read_optional(&SQL, &[Arg::Text(token_hash)]).await?;
        let Some(row) = row else { return Ok(None) };
        let account = crate::Account::try_from(row.account)?;
        let session = SessionRecord::try_from(SessionRow {
            id: row.session_id,
            public_id: row.session_public_id,
            account_id: account.id.0,
            assurance: row.session_assurance,
            created_at: row.session_created_at,
            last_seen_at: row.session_last_seen_at,
            second_factor_at: row.session_second_factor_at,
            ip: row.session_ip,
            user_agent: row.session_user_agent,
        })?;
        Ok(Some((session, account)))
    }

    /// The open session with this token hash (expiry is checked by the caller against the policy).
    pub async fn session_by_token(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        let sql = format!("select {SESSION_COLUMNS} from sessions where token_hash = $1 and ended_at is null");
        let row: Option<SessionRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&self.reader).await?;
        row.map(SessionRecord::try_from).transpose()
    }

    /// The account's open sessions, newest first.
    pub async fn open_sessions(&self, account: AccountId) -> Result<Vec<SessionRecord>> {
        let sql = format!(
            "select {SESSION_COLUMNS} from sessions where account_id = $1 and ended_at is null order by created_at desc"
        );
        let rows: Vec<SessionRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account.0).fetch_all(&self.reader).await?;
        rows.into_iter().map(SessionRecord::try_from).collect()
    }

    /// Records activity (for the idle limit); a single statement, outside any transaction.
    pub async fn touch_session(&self, id: SessionId, now: i64) -> Result<()> {
        sqlx::query("update sessions set last_seen_at = $1 where id = $2 and ended_at is null")
            .bind(now)
            .bind(id.0)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}

impl Tx {
    pub async fn insert_session(&mut self, session: &NewSession<'_>, now: i64) -> Result<SessionId> {
        let id = crate::new_id();
        let second_factor_at = (session.assurance == Assurance::TwoFactor).then_some(now);
        sqlx::query(
            "insert into sessions (id, public_id, token_hash, account_id, assurance, created_at, last_seen_at, \
             second_factor_at, ip, user_agent) values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(session.public_id)
        .bind(session.token_hash)
        .bind(session.account.0)
        .bind(session.assurance.as_str())
        .bind(now)
        .bind(second_factor_at)
        .bind(session.ip)
        .bind(session.user_agent)
        .execute(&mut *self.inner)
        .await?;
        Ok(SessionId(id))
    }

    /// Raises the session to two-factor assurance; with `new_token_hash`, also rotates its token.
    pub async fn raise_session(&mut self, id: SessionId, new_token_hash: Option<&str>, now: i64) -> Result<()> {
        sqlx::query(
            "update sessions set assurance = 'two_factor', second_factor_at = $1, last_seen_at = $1, \
             token_hash = coalesce($2, token_hash) where id = $3 and ended_at is null",
        )
        .bind(now)
        .bind(new_token_hash)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn end_session(&mut self, id: SessionId, now: i64) -> Result<bool> {
        let done = sqlx::query("update sessions set ended_at = $1 where id = $2 and ended_at is null")
            .bind(now)
            .bind(id.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends one of the account's own sessions by its public id; false when there is no such open session.
    pub async fn end_session_by_public_id(&mut self, account: AccountId, public_id: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update sessions set ended_at = $1 where account_id = $2 and public_id = $3 and ended_at is null",
        )
        .bind(now)
        .bind(account.0)
        .bind(public_id)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends every open session of the account except `keep`; returns how many ended.
    pub async fn end_sessions(&mut self, account: AccountId, keep: Option<SessionId>, now: i64) -> Result<u64> {
        let done =
            sqlx::query("update sessions set ended_at = $1 where account_id = $2 and ended_at is null and id <> $3")
                .bind(now)
                .bind(account.0)
                .bind(keep.map_or(0, |s| s.0))
                .execute(&mut *self.inner)
                .await?;
        Ok(done.rows_affected())
    }

    /// Whether the account passed a second factor before, in a session other than `current`, from a
    /// browser or client that identified itself the same way.
    pub async fn known_device(
        &mut self,
        account: AccountId,
        user_agent: Option<&str>,
        current: SessionId,
    ) -> Result<bool> {
        let seen: Option<i64> = sqlx::query_scalar(
            "select id from sessions where account_id = $1 and id <> $2 and second_factor_at is not null \
             and coalesce(user_agent, '') = $3 limit 1",
        )
        .bind(account.0)
        .bind(current.0)
        .bind(user_agent.unwrap_or(""))
        .fetch_optional(&mut *self.inner)
        .await?;
        Ok(seen.is_some())
    }

    /// Stores the session's emailed code, replacing any earlier one.
    pub async fn put_email_code(
        &mut self,
        session: SessionId,
        hash: &str,
        expires_at: i64,
        attempts: i64,
    ) -> Result<()> {
        sqlx::query("delete from email_codes where session_id = $1").bind(session.0).execute(&mut *self.inner).await?;
        sqlx::query(
            "insert into email_codes (session_id, code_hash, expires_at, attempts_left) values ($1, $2, $3, $4)",
        )
        .bind(session.0)
        .bind(hash)
        .bind(expires_at)
        .bind(attempts)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Spends one attempt at the session's emailed code and returns its hash to compare against, or `None`
    /// when there is no live code with attempts left.
    pub async fn take_email_code_attempt(&mut self, session: SessionId, now: i64) -> Result<Option<String>> {
        let hash = sqlx::query_scalar(
            "update email_codes set attempts_left = attempts_left - 1 \
             where session_id = $1 and attempts_left > 0 and expires_at > $2 returning code_hash",
        )
        .bind(session.0)
        .bind(now)
        .fetch_optional(&mut *self.inner)
        .await?;
        Ok(hash)
    }

    pub async fn delete_email_code(&mut self, session: SessionId) -> Result<()> {
        sqlx::query("delete from email_codes where session_id = $1").bind(session.0).execute(&mut *self.inner).await?;
        Ok(())
    }
}
