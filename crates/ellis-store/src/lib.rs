//! The only crate that speaks SQL. One `Store` over sqlx's `AnyPool`, chosen at start-up from the database
//! URL; every query is written once for both SQLite and PostgreSQL (DESIGN.md §3), with a dialect branch
//! only where the two truly differ, next to the query.
//!
//! Dynamic SQL (`AssertSqlSafe`) is only ever assembled from constants of this crate: column lists and
//! dialect clauses, never input.
//!
//! Reads go through [`Store`]; every write goes through a [`Tx`] from [`Store::write`], so that a change, its
//! history event and its email commit together or not at all.

mod accounts;
mod backup;
mod cases;
mod consolidations;
mod credentials;
mod error;
mod events;
mod evidence;
mod migrate;
mod notices;
mod outbox;
mod quota;
mod reads;
mod recoveries;
mod seed;
mod sessions;
mod setup;
mod staff;
mod tokens;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Transaction};

pub use accounts::{Account, AccountStatus, NewAccount, ProfileUpdate};
pub use cases::{AccessCodeRecord, CaseHistoryRecord, CaseRecord, NewCase};
pub use consolidations::ConsolidationRecord;
pub use error::StoreError;
pub use events::{EventRecord, NewEvent};
pub use evidence::{EvidenceRecord, NewEvidence};
pub use notices::{NewNotice, NoticeRecord};
pub use outbox::{NewEmail, OutboxEmail};
pub use recoveries::RecoveryRecord;
pub use seed::{SeedAccount, SeedCase};
pub use sessions::{NewSession, SessionRecord};
pub use staff::{AuditEntry, AuditFilter, AuditRecord, StaffMember, StaffSessionRow};
pub use tokens::{NewToken, TokenRecord};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, with a read pool and a write pool. On SQLite the write pool has one connection, so write
/// transactions queue in the application instead of failing with `SQLITE_BUSY`; on PostgreSQL both are the
/// same pool.
#[derive(Clone)]
pub struct Store {
    reader: AnyPool,
    writer: AnyPool,
    backend: Backend,
    /// SQLite only: the hot reads on the calling thread (`reads`).
    readers: Option<std::sync::Arc<reads::Readers>>,
    /// Tells this store's pooled connections from another's inside a read scope (`reads`).
    identity: std::sync::Arc<()>,
}

/// One write transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    inner: Transaction<'static, Any>,
    backend: Backend,
}

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://...`), creating a SQLite file if missing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options = AnyConnectOptions::from_str(url)?;
        match backend {
            Backend::Sqlite => {
                let reader = sqlite_pool(max_connections.max(2)).connect_with(options.clone()).await?;
                let writer = sqlite_pool(1).connect_with(options).await?;
                // WAL lets readers proceed while the one writer writes; it is a property of the file, set once.
                sqlx::query("pragma journal_mode = wal").execute(&writer).await?;
                let readers = reads::Readers::for_url(url).map(std::sync::Arc::new);
                Ok(Self { reader, writer, backend, readers, identity: Default::default() })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?;
                Ok(Self { reader: pool.clone(), writer: pool, backend, readers: None, identity: Default::default() })
            }
        }
    }

    /// The URL of the default embedded database in `data_dir`.
    pub fn sqlite_url(data_dir: &Path) -> String {
        format!("sqlite://{}?mode=rwc", data_dir.join("ellis.db").display())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn scope_key(&self) -> usize {
        std::sync::Arc::as_ptr(&self.identity) as usize
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`begin immediate`): a deferred
    /// transaction that reads first and then writes cannot wait for another process's lock and fails with
    /// `SQLITE_BUSY` instead, while `begin immediate` waits out the busy timeout like any writer.
    pub async fn write(&self) -> Result<Tx> {
        let inner = match self.backend {
            Backend::Sqlite => self.writer.begin_with("begin immediate").await?,
            Backend::Postgres => self.writer.begin().await?,
        };
        Ok(Tx { inner, backend: self.backend })
    }

    /// Whether the database answers (for `/ready`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("select 1").execute(&self.reader).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        reads::end_snapshot();
        Ok(())
    }

    /// `for update` on PostgreSQL, where concurrent writers need a row lock; SQLite's single writer connection
    /// already serialises write transactions, and it has no such clause.
    fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => " for update",
            Backend::Sqlite => "",
        }
    }
}

fn sqlite_pool(max_connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire(false)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                sqlx::raw_sql("pragma foreign_keys = on; pragma busy_timeout = 5000; pragma synchronous = normal;")
                    .execute(conn)
                    .await?;
                Ok(())
            })
        })
}

/// A fresh internal key. Random rather than sequential so no dialect-specific identity column is needed and
/// keys reveal nothing about volume; 63 bits make a collision practically impossible.
fn new_id() -> i64 {
    use rand::Rng;
    rand::rng().random_range(1..i64::MAX)
}
