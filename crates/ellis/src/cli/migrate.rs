//! `ellis migrate`: apply pending migrations and exit.

use crate::{Clock, Config, SystemClock, server};

pub async fn run(config: Config) -> anyhow::Result<()> {
    let store = server::connect(&config, &SystemClock).await?;
    let current = store.migrations_current().await?;
    store.close().await;
    println!(
        "migrations are {} ({})",
        if current { "current" } else { "NOT current" },
        SystemClock.now().date()
    );
    Ok(())
}
