//! `ellis seed --accounts N --cases M`: bulk-loads accounts that finished security setup and cases with
//! status histories, with a progress bar, and reports the rate. For benchmarks and demonstrations only
//! (every seeded account shares one password and one authenticator key: see `services::seed`).

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::services::seed::{self, SEED_PASSWORD, SEED_TOTP_SECRET};
use crate::{Config, SystemClock, server};

pub async fn run(config: Config, accounts: u64, cases: u64, first_serial: u64, quiet: bool) -> anyhow::Result<()> {
    let state = server::build_state(config, std::sync::Arc::new(SystemClock)).await?;
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(accounts + cases) };
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta} left)")?
            .progress_chars("=> "),
    );
    let started = Instant::now();
    let result = seed::seed(&state, accounts, cases, first_serial, &|done| bar.set_position(done)).await;
    bar.finish_and_clear();
    state.store.close().await;
    let seeded = result.map_err(|e| anyhow::anyhow!("{e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let rows = seeded.accounts * 6 + seeded.cases + seeded.history_rows;
    println!(
        "seeded {} accounts and {} cases ({} status-history rows) in {seconds:.1} s: {:.0} accounts/s, {:.0} cases/s, {:.0} rows/s",
        seeded.accounts,
        seeded.cases,
        seeded.history_rows,
        seeded.accounts as f64 / seconds,
        seeded.cases as f64 / seconds,
        rows as f64 / seconds,
    );
    println!(
        "sign in as seed{first_serial}@ellis.test … with the password \"{SEED_PASSWORD}\" and the authenticator key {SEED_TOTP_SECRET}"
    );
    Ok(())
}
