//! Reads on the hot paths (the session behind every signed-in request, case reads, the public status
//! look-up), each written once and run by whichever driver is fastest for the backend.
//!
//! sqlx runs every SQLite connection on a thread of its own, so each query is two thread hand-offs; on two
//! cores the benchmark spent half its time switching threads. A SQLite read of a few cached pages takes
//! microseconds, less than the hand-off, so on SQLite these reads run on the calling thread through rusqlite
//! instead, on a few read-only connections to the same file (WAL: readers never wait for the writer). On
//! PostgreSQL, and for an in-memory SQLite database, the same SQL goes through the sqlx pool. ADR 0006.
//!
//! Inside [`Store::read_scope`] (the web layer wraps every request in one) a task's reads share one
//! connection and one read transaction for as long as the task runs without waiting, so a request takes
//! SQLite's read locks once rather than once per query — those locks were most of a read's cost. The
//! snapshot ends whenever the task waits (a password hash, a body upload, the write lock: no snapshot is
//! held across a wait, so none can hold back a WAL checkpoint) and after each write the task commits, so the
//! task's next read sees its own write.
//!
//! On PostgreSQL a scope keeps the pooled connection its first hot read checked out, for the reads that
//! follow (each still its own statement: no transaction, no snapshot). sqlx pings a connection before it
//! lends it and again when it comes back, so a case read's four queries cost twelve round trips and four
//! trips through the pool's queue; kept, they cost six and one (ADR 0008). The connection goes back whenever
//! the task waits
//! for anything but its own query — a hash, a write transaction, another checkout — so a task never holds one
//! connection while it waits for a second, and a pool full of such tasks cannot deadlock.

use std::cell::RefCell;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use sqlx::Any;
use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;

use crate::{Result, Store, StoreError};

/// A bound value: the hot reads take only integers and text.
#[derive(Clone, Copy)]
pub(crate) enum Arg<'a> {
    Int(i64),
    Text(&'a str),
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Arg::Int(v) => v.to_sql(),
            Arg::Text(v) => v.to_sql(),
        }
    }
}

/// A row type both drivers can build: sqlx through `FromRow` (by column name), rusqlite through
/// [`ReadRow::from_sqlite`] (by position: looking a name up scans every column name, and for the 30 columns
/// of a session and its account that scan was a tenth of a request). [`read_row!`] writes both from one
/// struct definition, and `COLUMNS`, the column list in field order, for the query to select; debug builds
/// check every row's column names against the fields.
pub(crate) trait ReadRow: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin + 'static {
    /// The column names in the order `from_sqlite` reads them.
    const NAMES: &'static [&'static str];
    /// The row from its columns `start..start + NAMES.len()`.
    fn from_sqlite_at(row: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<Self>;
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Self::from_sqlite_at(row, 0)
    }
    /// Whether a statement's column names are the ones `from_sqlite` expects.
    fn columns_match(names: &[&str]) -> bool {
        names == Self::NAMES
    }
}

/// Declares a row struct with `sqlx::FromRow` and [`ReadRow`], and its column list as `COLUMNS`.
macro_rules! read_row {
    (@join $first:ident $(, $rest:ident)*) => {
        concat!(stringify!($first) $(, ", ", stringify!($rest))*)
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(sqlx::FromRow)]
        $vis struct $name { $($(#[$fmeta])* $fvis $field: $ty),* }

        impl $name {
            /// The columns to select, in the order the fields are read.
            #[allow(dead_code)]
            pub(crate) const COLUMNS: &'static str = $crate::reads::read_row!(@join $($field),*);
        }

        impl $crate::reads::ReadRow for $name {
            const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];

            fn from_sqlite_at(row: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<Self> {
                let mut at = start;
                let mut next = || {
                    at += 1;
                    at - 1
                };
                Ok(Self { $($field: row.get(next())?),* })
            }
        }
    };
}
pub(crate) use read_row;

/// Read-only rusqlite connections to the database file, checked out for one query or for a task's stretch
/// of reads inside a read scope. A reader never waits for another (each takes or opens its own), and a
/// scope gives its connection back whenever its task waits, so there are about as many as threads reading
/// at once; a few idle ones are kept.
pub(crate) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

const KEPT: usize = 8;

impl Readers {
    /// Readers for the file behind a `sqlite://` URL; `None` for an in-memory database.
    pub(crate) fn for_url(url: &str) -> Option<Self> {
        let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() || path.contains(":memory:") || path.starts_with("file:") || rest.contains("mode=memory") {
            return None;
        }
        Some(Self { path: Path::new(path).to_path_buf(), idle: Mutex::new(Vec::new()) })
    }

    fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(conn)
    }

    fn take(&self) -> rusqlite::Result<rusqlite::Connection> {
        match self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            Some(conn) => Ok(conn),
            None => self.open(),
        }
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEPT
        {
            idle.push(conn);
        }
    }

    /// Runs `f` on the task's scoped connection (in its read transaction) when inside a
    /// [`Store::read_scope`] for this database, else on a connection of its own (autocommit).
    fn with<T>(self: &Arc<Self>, f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>) -> Result<T> {
        let mut f = Some(f);
        let scoped = SCOPE.try_with(|scope| {
            let mut scope = scope.borrow_mut();
            // A scope belongs to the first database the task reads; another database's reads run unscoped.
            let held = match scope.snapshot.as_mut() {
                Some(held) if !Arc::ptr_eq(&held.readers, self) => return None,
                Some(held) => held,
                None => match Held::begin(self) {
                    Ok(held) => scope.snapshot.insert(held),
                    Err(e) => return Some(Err(e.into())),
                },
            };
            let conn = held.conn.as_ref()?;
            Some(f.take()?(conn).map_err(StoreError::from))
        });
        if let Ok(Some(result)) = scoped {
            return result;
        }
        let f = f.ok_or(StoreError::Unsupported("a read ran twice"))?;
        let conn = self.take()?;
        let result = f(&conn);
        self.give_back(conn);
        Ok(result?)
    }

    fn run<R: ReadRow>(self: &Arc<Self>, sql: &str, args: &[Arg<'_>], limit: Option<usize>) -> Result<Vec<R>> {
        self.with(|conn| {
            let mut statement = conn.prepare_cached(sql)?;
            debug_assert_columns::<R>(&statement, sql);
            let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(R::from_sqlite(row)?);
                if limit.is_some_and(|n| out.len() >= n) {
                    break;
                }
            }
            Ok(out)
        })
    }
}

tokio::task_local! {
    static SCOPE: RefCell<Scope>;
}

/// What a task's read scope holds between its reads.
#[derive(Default)]
struct Scope {
    /// SQLite: a reader connection in its read transaction.
    snapshot: Option<Held>,
    /// Elsewhere: the pooled connection of the last hot read, and which store's pool it came from.
    pooled: Option<(usize, PoolConnection<Any>)>,
}

/// A task's reader connection with its read transaction open. Dropping it ends the transaction and gives
/// the connection back.
struct Held {
    readers: Arc<Readers>,
    conn: Option<rusqlite::Connection>,
}

impl Held {
    fn begin(readers: &Arc<Readers>) -> rusqlite::Result<Self> {
        let conn = readers.take()?;
        conn.prepare_cached("begin")?.execute([])?;
        Ok(Self { readers: readers.clone(), conn: Some(conn) })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        // A connection that could not end its transaction is closed rather than reused.
        if let Some(conn) = self.conn.take()
            && conn.prepare_cached("commit").and_then(|mut c| c.execute([])).is_ok()
        {
            self.readers.give_back(conn);
        }
    }
}

/// Polls the work; when it has to wait, ends its snapshot first.
struct EndWhenWaiting<F>(Pin<Box<F>>);

impl<F: Future> Future for EndWhenWaiting<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let poll = self.0.as_mut().poll(cx);
        if poll.is_pending() {
            end_snapshot();
        }
        poll
    }
}

/// Ends the current task's read snapshot and gives back its kept connection, if it has them: called after
/// each committed write and whenever the task waits.
pub(crate) fn end_snapshot() {
    let _ = SCOPE.try_with(|scope| drop(std::mem::take(&mut *scope.borrow_mut())));
}

/// Debug builds: the statement's columns are the row type's fields, in order (reads are by position).
fn debug_assert_columns<R: ReadRow>(statement: &rusqlite::Statement<'_>, sql: &str) {
    if cfg!(debug_assertions) {
        let names = statement.column_names();
        assert!(R::columns_match(&names), "{sql} selects {names:?}, the row reads {:?}", R::NAMES);
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Embedded(error)
    }
}

type AnyQueryAs<'q, R> = sqlx::query::QueryAs<'q, sqlx::Any, R, sqlx::any::AnyArguments>;

fn bind<'q, R: ReadRow>(mut query: AnyQueryAs<'q, R>, args: &[Arg<'q>]) -> AnyQueryAs<'q, R> {
    for arg in args {
        query = match *arg {
            Arg::Int(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
        };
    }
    query
}

impl Store {
    /// Runs `work` with its hot reads sharing a snapshot on SQLite, a pooled connection elsewhere. See the
    /// module note: either lasts while `work` runs without waiting, and ends at each write it commits.
    pub async fn read_scope<F: Future>(work: F) -> F::Output {
        SCOPE.scope(RefCell::default(), EndWhenWaiting(Box::pin(work))).await
    }

    /// The connection the task's scope kept from its last hot read on this store, else one from the pool.
    /// While the query runs the scope holds nothing, so the wait for it gives nothing back.
    async fn scoped_connection(&self) -> Result<PoolConnection<Any>> {
        let key = self.scope_key();
        let kept = SCOPE.try_with(|scope| {
            let mut scope = scope.borrow_mut();
            match scope.pooled.take() {
                Some((k, conn)) if k == key => Some(conn),
                other => {
                    scope.pooled = other;
                    None
                }
            }
        });
        match kept {
            Ok(Some(conn)) => Ok(conn),
            _ => Ok(self.reader.acquire().await?),
        }
    }

    /// Keeps a connection for the task's next hot read; outside a scope (or if the scope already keeps
    /// another store's) it goes back to the pool.
    fn keep_in_scope(&self, conn: PoolConnection<Any>) {
        let key = self.scope_key();
        let mut conn = Some(conn);
        let _ = SCOPE.try_with(|scope| {
            let mut scope = scope.borrow_mut();
            if scope.pooled.is_none() {
                scope.pooled = conn.take().map(|conn| (key, conn));
            }
        });
    }

    /// At most one row of `sql` (a read on the hot path; see the module note).
    pub(crate) async fn read_optional<R: ReadRow>(&self, sql: &str, args: &[Arg<'_>]) -> Result<Option<R>> {
        Ok(self.read_rows(sql, args, Some(1)).await?.pop())
    }

    /// Every row of `sql` (a read on the hot path; see the module note).
    pub(crate) async fn read_all<R: ReadRow>(&self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<R>> {
        self.read_rows(sql, args, None).await
    }

    /// The rows of `sql`, at most `limit`: on SQLite through the readers, elsewhere on the scope's kept
    /// connection. The hot reads that ask for one row look up a unique key, so the pooled path, which reads
    /// the whole answer, reads no more than the readers do.
    async fn read_rows<R: ReadRow>(&self, sql: &str, args: &[Arg<'_>], limit: Option<usize>) -> Result<Vec<R>> {
        if let Some(readers) = &self.readers {
            return readers.run(sql, args, limit);
        }
        let mut conn = self.scoped_connection().await?;
        let query = sqlx::query_as::<_, R>(sqlx::AssertSqlSafe(sql.to_owned()));
        let mut rows = bind(query, args).fetch_all(&mut *conn).await?;
        self.keep_in_scope(conn);
        rows.truncate(limit.unwrap_or(usize::MAX));
        Ok(rows)
    }
}
