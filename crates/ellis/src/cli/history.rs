//! `ellis history verify`: walks every account's hash-chained history and names the first broken link.

use crate::services::history;
use crate::{Config, SystemClock, server};

pub async fn verify(config: Config) -> anyhow::Result<()> {
    let store = server::connect(&config, &SystemClock).await?;
    let result = history::verify_all(&store).await;
    store.close().await;
    let (checked, broken) = result.map_err(|e| anyhow::anyhow!("{e}"))?;
    for chain in &broken {
        let who = match chain.account_number {
            Some(number) => format!("account {}", number.display()),
            None => format!("account id {} (no account number yet)", chain.account.0),
        };
        println!("{who}: broken at event {}: {}", chain.broken.seq, chain.broken.reason);
    }
    if broken.is_empty() {
        println!("history intact: {checked} accounts checked");
        Ok(())
    } else {
        anyhow::bail!("{} of {checked} accounts have a broken history chain", broken.len())
    }
}
