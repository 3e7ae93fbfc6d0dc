//! Consistent online copies of the embedded database.

use std::path::Path;

use crate::{Backend, Result, Store, StoreError};

impl Store {
    /// Writes a consistent copy of the SQLite database to `target` while ellis keeps serving (`vacuum into`
    /// reads one snapshot). PostgreSQL has its own tools for this (`pg_dump`, base backups).
    pub async fn backup_to(&self, target: &Path) -> Result<()> {
        if self.backend == Backend::Postgres {
            return Err(StoreError::Unsupported(
                "ellis backup copies the embedded SQLite database; use pg_dump for PostgreSQL",
            ));
        }
        if target.exists() {
            return Err(StoreError::Unsupported("the backup file already exists; choose a new name"));
        }
        let target = target.to_str().ok_or(StoreError::Unsupported("the backup path must be valid UTF-8"))?;
        sqlx::query("vacuum into $1").bind(target).execute(&self.reader).await?;
        Ok(())
    }
}
