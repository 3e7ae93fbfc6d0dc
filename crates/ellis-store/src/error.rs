//! The store's one error type: expected conflicts are variants, everything else is the database's error.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("a unique value is already taken")]
    UniqueViolation,
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("the database has migration {0}, which this version of ellis does not know; upgrade ellis")]
    UnknownMigration(i64),
    #[error("migration {0} was changed after it was applied")]
    MigrationChanged(i64),
    #[error(transparent)]
    Database(sqlx::Error),
    /// From the embedded SQLite reads on the calling thread (`reads`).
    #[error(transparent)]
    Embedded(rusqlite::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error.as_database_error() {
            Some(db) if db.is_unique_violation() => Self::UniqueViolation,
            _ => Self::Database(error),
        }
    }
}
