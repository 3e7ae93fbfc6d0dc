//! `ellis migrate`: apply pending migrations and exit.

use crate::{Config, SystemClock, server};

pub async fn run(config: Config) -> anyhow::Result<()> {
    let store = server::connect(&config, &SystemClock).await?;
    let current = store.migrations_current().await?;
    store.close().await;
    anyhow::ensure!(current, "migrations ran but the database is still not current");
    println!("the database is up to date");
    Ok(())
}
