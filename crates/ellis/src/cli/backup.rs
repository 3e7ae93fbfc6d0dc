//! `ellis backup FILE`: a consistent copy of the embedded database, taken while ellis may be serving.

use std::path::Path;

use crate::{Config, SystemClock, server};

pub async fn run(config: Config, file: &Path) -> anyhow::Result<()> {
    let store = server::connect(&config, &SystemClock).await?;
    let result = store.backup_to(file).await;
    store.close().await;
    result?;
    println!("backup written to {}", file.display());
    Ok(())
}
