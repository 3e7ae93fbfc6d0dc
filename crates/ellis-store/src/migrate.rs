//! Embedded migrations, applied in order at `ellis migrate` and at `serve`, each in its own transaction.
//! Applied migrations are recorded with a checksum and never edited; on PostgreSQL an advisory lock keeps
//! two instances starting together from applying the same migration twice.

use sha2::{Digest, Sha256};

use crate::{Backend, Result, Store, StoreError};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "accounts", sql: include_str!("../../../migrations/0001_accounts.sql") },
    Migration { version: 2, name: "recovery", sql: include_str!("../../../migrations/0002_recovery.sql") },
    Migration { version: 3, name: "cases", sql: include_str!("../../../migrations/0003_cases.sql") },
    Migration { version: 4, name: "staff", sql: include_str!("../../../migrations/0004_staff.sql") },
    Migration { version: 5, name: "consolidations", sql: include_str!("../../../migrations/0005_consolidations.sql") },
];

/// The migration that added `events.hash`: events written before it are chained as it is applied.
const CHAIN_EVENTS_VERSION: i64 = 2;

/// An arbitrary constant naming ellis's migration lock on PostgreSQL.
const ADVISORY_LOCK_KEY: i64 = 0x656c_6c69_735f_6d67;

impl Store {
    /// Applies every migration not yet applied; returns how many were.
    pub async fn migrate(&self, now: i64) -> Result<usize> {
        let mut conn = self.writer.acquire().await?;
        sqlx::raw_sql(
            "create table if not exists ellis_migrations (version bigint primary key, name text not null, \
             checksum text not null, applied_at bigint not null)",
        )
        .execute(&mut *conn)
        .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("select pg_advisory_lock($1)").bind(ADVISORY_LOCK_KEY).execute(&mut *conn).await?;
        }
        let result = self.apply_pending(&mut conn, now).await;
        if self.backend == Backend::Postgres {
            sqlx::query("select pg_advisory_unlock($1)").bind(ADVISORY_LOCK_KEY).execute(&mut *conn).await?;
        }
        result
    }

    async fn apply_pending(&self, conn: &mut sqlx::AnyConnection, now: i64) -> Result<usize> {
        let applied: Vec<(i64, String)> =
            sqlx::query_as("select version, checksum from ellis_migrations order by version")
                .fetch_all(&mut *conn)
                .await?;
        for (version, checksum) in &applied {
            let known =
                MIGRATIONS.iter().find(|m| m.version == *version).ok_or(StoreError::UnknownMigration(*version))?;
            if &checksum_of(known.sql) != checksum {
                return Err(StoreError::MigrationChanged(*version));
            }
        }
        let mut count = 0;
        for migration in MIGRATIONS.iter().filter(|m| !applied.iter().any(|(v, _)| *v == m.version)) {
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            sqlx::raw_sql(migration.sql).execute(&mut *tx).await?;
            if migration.version == CHAIN_EVENTS_VERSION {
                crate::events::chain_existing_events(&mut tx).await?;
            }
            sqlx::query("insert into ellis_migrations (version, name, checksum, applied_at) values ($1, $2, $3, $4)")
                .bind(migration.version)
                .bind(migration.name)
                .bind(checksum_of(migration.sql))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(migration.version = migration.version, migration.name = migration.name, "migration applied");
            count += 1;
        }
        Ok(count)
    }

    /// Whether every embedded migration has been applied (for `/ready`).
    pub async fn migrations_current(&self) -> Result<bool> {
        let latest: Option<i64> = sqlx::query_scalar("select max(version) from ellis_migrations")
            .fetch_one(&self.reader)
            .await
            .unwrap_or(None);
        Ok(latest == MIGRATIONS.last().map(|m| m.version))
    }
}

fn checksum_of(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}
