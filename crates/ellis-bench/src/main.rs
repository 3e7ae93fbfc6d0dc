//! `ellis-bench`: ellis's performance baseline. It builds and starts what it measures (the ellis release
//! binary on fresh seeded databases, a hello-world axum server as the HTTP stack's limit), loads it over
//! loopback with a fixed number of connections, and reports each figure next to its own limit, measured in
//! the same run, as a ratio. `quick` takes a few minutes on two cores; `all` is the full set (1 M accounts,
//! 5 M cases). Results: a table on standard output and `target/bench/results.json`.

mod load;
mod servers;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use serde_json::{Value, json};

use crate::load::{Conn, Stats, Work, round};
use crate::servers::{Database, Running};

#[derive(Parser)]
#[command(name = "ellis-bench", about = "ellis's performance baseline")]
struct Cli {
    #[command(subcommand)]
    command: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// A short version of every scenario (a few minutes on two cores).
    Quick(Options),
    /// The full set: longer runs, and the scale scenario at 1 M accounts and 5 M cases.
    All(Options),
    /// The hello-world server the bench compares against (started by the bench itself).
    #[command(hide = true)]
    Hello {
        #[arg(long)]
        listen: SocketAddr,
    },
    /// For diagnosis: loads a server that is already running (seeded by `ellis seed`) with sign-ins, in
    /// consecutive windows with the raw Argon2id rate measured between them, so drift within a long phase
    /// shows. Pair it with /proc or perf on the server.
    #[command(hide = true)]
    Probe {
        #[arg(long)]
        addr: SocketAddr,
        /// Seconds per window.
        #[arg(long, default_value_t = 5)]
        window: u64,
        #[arg(long, default_value_t = 4)]
        windows: u32,
        /// The number of seeded accounts (sign-ins go through them in turn).
        #[arg(long, default_value_t = 10_000)]
        accounts: u64,
    },
}

#[derive(clap::Args)]
struct Options {
    /// A PostgreSQL server (a user who may create databases) for the PostgreSQL half of the scale scenario
    /// [env: ELLIS_BENCH_DATABASE_URL]
    #[arg(long)]
    database_url: Option<String>,
}

/// How long and how big each mode is.
struct Plan {
    name: &'static str,
    warmup: Duration,
    run: Duration,
    small: (u64, u64),
    large: (u64, u64),
}

const QUICK: Plan = Plan {
    name: "quick",
    warmup: Duration::from_secs(1),
    run: Duration::from_secs(5),
    small: (10_000, 10_000),
    large: (40_000, 200_000),
};

const ALL: Plan = Plan {
    name: "all",
    warmup: Duration::from_secs(2),
    run: Duration::from_secs(20),
    small: (10_000, 10_000),
    large: (1_000_000, 5_000_000),
};

/// Connections for the read scenarios (the "64 connections").
const READERS: usize = 64;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let (plan, options) = match cli.command {
        Mode::Hello { listen } => return servers::serve_hello(listen),
        Mode::Probe { addr, window, windows, accounts } => {
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            return runtime.block_on(probe(addr, Duration::from_secs(window), windows, accounts));
        }
        Mode::Quick(options) => (QUICK, options),
        Mode::All(options) => (ALL, options),
    };
    let postgres = options.database_url.or_else(|| std::env::var("ELLIS_BENCH_DATABASE_URL").ok());
    // The load generator gets its own runtime; the servers are separate processes.
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(bench(plan, postgres))
}

struct Report {
    results: serde_json::Map<String, Value>,
    rows: Vec<(String, String, String, bool)>,
}

impl Report {
    fn line(&mut self, what: &str, measured: String, goal: &str, met: bool) {
        println!("  {what}: {measured} (goal {goal}) {}", if met { "ok" } else { "MISSED" });
        self.rows.push((what.to_owned(), measured, goal.to_owned(), met));
    }
}

async fn bench(plan: Plan, postgres: Option<String>) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("ellis-bench {}: {cores} cores, {} s per load phase", plan.name, plan.run.as_secs());
    let binary = servers::ellis_binary()?;
    let scratch = tempfile::tempdir()?;
    let mut report = Report { results: serde_json::Map::new(), rows: Vec::new() };
    report.results.insert("mode".into(), json!(plan.name));
    report.results.insert("cores".into(), json!(cores));

    // Notices: PDFs rendered per second on one core.
    let pdfs = notice_rate(Duration::from_secs(2));
    report.results.insert("notice_pdfs_per_s_per_core".into(), json!(round(pdfs)));
    report.line("notice PDFs per second per core", format!("{pdfs:.0}"), ">= 500", pdfs >= 500.0);

    // The HTTP stack's limit: hello world at 64 connections.
    let hello = servers::start_hello().await?;
    let hello_stats =
        load::run(hello.addr, READERS, plan.warmup, plan.run, Work::Get { path: "/".into(), token: None }).await?;
    drop(hello);
    report.results.insert("hello".into(), hello_stats.json());
    println!("  hello world: {:.0} requests/s, p99 {:.2} ms", hello_stats.rate(), hello_stats.ms(0.99));

    // The small database, on SQLite: everything but the scale scenario.
    let small = Database { data_dir: scratch.path().join("small"), url: None };
    println!("  seeding {} accounts, {} cases (SQLite)…", plan.small.0, plan.small.1);
    let line = servers::seed(&binary, &small, plan.small.0, plan.small.1)?;
    report.results.insert("seed_small_sqlite".into(), json!(line));
    let ellis = servers::start_ellis(&binary, &small).await?;
    let startup_ms = ellis.startup.as_secs_f64() * 1000.0;
    report.results.insert("startup_ms".into(), json!(round(startup_ms)));
    report.line(
        "start-up to the first /health (existing database)",
        format!("{startup_ms:.0} ms"),
        "<= 200 ms",
        startup_ms <= 200.0,
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_idle = ellis.rss_mb();
    report.results.insert("rss_idle_mb".into(), json!(round(rss_idle)));
    report.line("memory (RSS) idle", format!("{rss_idle:.1} MB"), "<= 64 MB", rss_idle <= 64.0);

    let (token, receipt) = signed_in_case(ellis.addr).await?;
    let case_read = Work::Get { path: format!("/api/v1/cases/{receipt}").into(), token: Some(token.into()) };
    let (read, rss_load) =
        with_peak_rss(&ellis, load::run(ellis.addr, READERS, plan.warmup, plan.run, case_read.clone())).await?;
    let public = Work::Get { path: format!("/api/v1/case-status/{receipt}").into(), token: None };
    let (status, rss_load_2) =
        with_peak_rss(&ellis, load::run(ellis.addr, READERS, plan.warmup, plan.run, public)).await?;
    report.results.insert("case_read".into(), read.json());
    report.results.insert("public_status".into(), status.json());
    let read_ratio = read.rate() / hello_stats.rate();
    let status_ratio = status.rate() / hello_stats.rate();
    report.results.insert("status_read_vs_hello".into(), json!(round(read_ratio)));
    report.results.insert("public_status_vs_hello".into(), json!(round(status_ratio)));
    report.line(
        "authenticated case read vs hello world (64 connections)",
        format!("{:.0}/s vs {:.0}/s = {read_ratio:.2}, p99 {:.2} ms", read.rate(), hello_stats.rate(), read.ms(0.99)),
        ">= 0.50, p99 <= 10 ms",
        read_ratio >= 0.5 && read.ms(0.99) <= 10.0,
    );
    report.line(
        "public status look-up vs hello world (64 connections)",
        format!(
            "{:.0}/s vs {:.0}/s = {status_ratio:.2}, p99 {:.2} ms",
            status.rate(),
            hello_stats.rate(),
            status.ms(0.99)
        ),
        ">= 0.50, p99 <= 10 ms",
        status_ratio >= 0.5 && status.ms(0.99) <= 10.0,
    );

    // Sign-in against the raw Argon2id rate at the same parameters, measured here.
    // The raw rate is measured half before and half after the sign-ins and averaged: measured in one block
    // beforehand it moved by 16 % between two runs on this shared machine while the sign-in rate moved by 2 %.
    let argon2_before = argon2_rate(cores, plan.run / 2)?;
    let sign_in = sign_in_work(plan.small.0)?;
    let (signins, rss_load_3) =
        with_peak_rss(&ellis, load::run(ellis.addr, cores * 4, plan.warmup, plan.run, sign_in.clone())).await?;
    let argon2 = (argon2_before + argon2_rate(cores, plan.run / 2)?) / 2.0;
    let signin_ratio = signins.rate() / argon2;
    report.results.insert("signin".into(), signins.json());
    report.results.insert("argon2_hashes_per_s".into(), json!(round(argon2)));
    // Three decimals: two would print 0.947 as 0.95 next to "missed".
    report.results.insert("signin_vs_argon2".into(), json!((signin_ratio * 1000.0).round() / 1000.0));
    report.line(
        "sign-in (password + TOTP) vs raw Argon2id",
        format!("{:.1}/s vs {argon2:.1}/s = {signin_ratio:.3}", signins.rate()),
        ">= 0.95",
        signin_ratio >= 0.95,
    );

    // Isolation: case reads during a sign-in storm against case reads alone.
    let quiet = load::run(ellis.addr, 8, plan.warmup, plan.run, case_read.clone()).await?;
    let storm = tokio::spawn(load::run(ellis.addr, cores * 4, Duration::ZERO, plan.warmup + plan.run, sign_in));
    let stormy = load::run(ellis.addr, 8, plan.warmup, plan.run, case_read.clone()).await?;
    let storm = storm.await??;
    let isolation = stormy.ms(0.99) / quiet.ms(0.99);
    report.results.insert("case_read_idle_8".into(), quiet.json());
    report.results.insert("case_read_during_storm_8".into(), stormy.json());
    report.results.insert("storm_signins".into(), storm.json());
    report.results.insert("isolation_p99_ratio".into(), json!(round(isolation)));
    report.line(
        "case-read p99 during a sign-in storm vs idle",
        format!("{:.2} ms vs {:.2} ms = {isolation:.2}", stormy.ms(0.99), quiet.ms(0.99)),
        "<= 3",
        isolation <= 3.0,
    );
    let rss_load = rss_load.max(rss_load_2).max(rss_load_3);
    report.results.insert("rss_load_mb".into(), json!(round(rss_load)));
    report.line("memory (RSS) under load", format!("{rss_load:.1} MB"), "<= 256 MB", rss_load <= 256.0);
    drop(ellis);

    // Scale: the case-read rate on a large database against the small one, each measured here.
    let sqlite_ratio = scale(
        &plan,
        &binary,
        &mut report,
        "sqlite",
        small,
        Database { data_dir: scratch.path().join("large"), url: None },
    )
    .await?;
    report.results.insert("scale_ratio_sqlite".into(), json!(round(sqlite_ratio)));
    report.line(
        &format!("SQLite case reads at {} / {} cases vs {}", plan.large.0, plan.large.1, plan.small.1),
        format!("{sqlite_ratio:.2}"),
        ">= 0.80",
        sqlite_ratio >= 0.8,
    );
    match postgres {
        Some(url) => {
            let small = Database {
                data_dir: scratch.path().join("pg-small"),
                url: Some(servers::fresh_postgres(&url, "ellis_bench_small").await?),
            };
            println!("  seeding {} accounts, {} cases (PostgreSQL)…", plan.small.0, plan.small.1);
            let line = servers::seed(&binary, &small, plan.small.0, plan.small.1)?;
            report.results.insert("seed_small_postgres".into(), json!(line));
            let large = Database {
                data_dir: scratch.path().join("pg-large"),
                url: Some(servers::fresh_postgres(&url, "ellis_bench_large").await?),
            };
            let ratio = scale(&plan, &binary, &mut report, "postgres", small, large).await?;
            report.results.insert("scale_ratio_postgres".into(), json!(round(ratio)));
            report.line(
                &format!("PostgreSQL case reads at {} / {} cases vs {}", plan.large.0, plan.large.1, plan.small.1),
                format!("{ratio:.2}"),
                ">= 0.80",
                ratio >= 0.8,
            );
        }
        None => {
            report.results.insert("scale_ratio_postgres".into(), Value::Null);
            report.line(
                "PostgreSQL scale",
                "not measured: pass --database-url (or ELLIS_BENCH_DATABASE_URL)".into(),
                ">= 0.80",
                false,
            );
        }
    }

    print_table(&report);
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&folder)?;
    let path = folder.join("results.json");
    std::fs::write(&path, serde_json::to_string_pretty(&Value::Object(report.results))?)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// `ellis-bench probe`: sign-in windows against a running server, each beside the raw hash rate.
async fn probe(addr: SocketAddr, window: Duration, windows: u32, accounts: u64) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let sign_in = sign_in_work(accounts)?;
    for n in 1..=windows {
        let signins = load::run(addr, cores * 4, Duration::ZERO, window, sign_in.clone()).await?;
        let argon2 = argon2_rate(cores, Duration::from_secs(2))?;
        println!(
            "window {n}: {:.1} sign-ins/s (p50 {:.0} ms, {} errors), raw Argon2id {argon2:.1}/s, ratio {:.3}",
            signins.rate(),
            signins.ms(0.5),
            signins.errors,
            signins.rate() / argon2
        );
    }
    Ok(())
}

/// A full sign-in as each seeded account in turn.
fn sign_in_work(accounts: u64) -> anyhow::Result<Work> {
    Ok(Work::SignIn {
        next_account: Arc::new(AtomicU64::new(1)),
        accounts,
        password: ellis::services::seed::SEED_PASSWORD.into(),
        totp: Arc::new(ellis_core::totp::TotpSecret::from_base32(ellis::services::seed::SEED_TOTP_SECRET)?),
    })
}

/// Seeds `large` (the small one is seeded already), then measures case reads on each in turn.
async fn scale(
    plan: &Plan,
    binary: &Path,
    report: &mut Report,
    name: &str,
    small: Database,
    large: Database,
) -> anyhow::Result<f64> {
    println!("  seeding {} accounts, {} cases ({name})…", plan.large.0, plan.large.1);
    let began = Instant::now();
    let line = servers::seed(binary, &large, plan.large.0, plan.large.1)?;
    println!("    {line} ({:.0} s)", began.elapsed().as_secs_f64());
    report.results.insert(format!("seed_large_{name}"), json!(line));
    // Both servers run side by side and are measured small, large, large, small, each for half the run, so a
    // machine that drifts while the bench runs (these are shared) weighs on both alike.
    let mut servers = Vec::new();
    for database in [&small, &large] {
        let ellis = servers::start_ellis(binary, database).await?;
        let (token, receipt) = signed_in_case(ellis.addr).await?;
        // The last account's newest case sits at the far end of every index.
        let work = Work::Get { path: format!("/api/v1/cases/{receipt}").into(), token: Some(token.into()) };
        servers.push((ellis, work));
    }
    let measure = async |(ellis, work): &(Running, Work)| {
        load::run(ellis.addr, READERS, plan.warmup, plan.run / 2, work.clone()).await
    };
    let small_first = measure(&servers[0]).await?;
    let large = measure(&servers[1]).await?.merge(measure(&servers[1]).await?)?;
    let small = small_first.merge(measure(&servers[0]).await?)?;
    report.results.insert(format!("scale_small_{name}"), small.json());
    report.results.insert(format!("scale_large_{name}"), large.json());
    Ok(large.rate() / small.rate())
}

/// Signs in as the first seeded account and returns its token and one of its receipt numbers.
async fn signed_in_case(addr: SocketAddr) -> anyhow::Result<(String, String)> {
    let mut conn = Conn::open(addr).await?;
    let body = json!({"email": "seed0@ellis.test", "password": ellis::services::seed::SEED_PASSWORD}).to_string();
    let (status, bytes) = conn.send(hyper::Method::POST, "/api/v1/sessions", None, Some(body)).await?;
    anyhow::ensure!(status == 201, "sign-in answered {status}: {}", String::from_utf8_lossy(&bytes));
    let token = serde_json::from_slice::<Value>(&bytes)?["token"].as_str().context("token")?.to_owned();
    let totp = ellis_core::totp::TotpSecret::from_base32(ellis::services::seed::SEED_TOTP_SECRET)?;
    // The first account signs in once per run of a database; a fresh code step avoids a replayed code.
    let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
    let code = json!({"method": "totp", "code": totp.code_at(now)}).to_string();
    let (status, bytes) =
        conn.send(hyper::Method::POST, "/api/v1/sessions/current/second-factor", Some(&token), Some(code)).await?;
    anyhow::ensure!(status == 200, "second factor answered {status}: {}", String::from_utf8_lossy(&bytes));
    let (status, bytes) = conn.send(hyper::Method::GET, "/api/v1/cases", Some(&token), None).await?;
    anyhow::ensure!(status == 200, "case list answered {status}");
    let cases: Value = serde_json::from_slice(&bytes)?;
    let receipt =
        cases.as_array().and_then(|c| c.last()).and_then(|c| c["receipt_number"].as_str()).context("a case")?;
    Ok((token, receipt.to_owned()))
}

/// Runs `work` while sampling the server's resident memory; returns the work's result and the peak.
async fn with_peak_rss(
    server: &Running,
    work: impl std::future::Future<Output = anyhow::Result<Stats>>,
) -> anyhow::Result<(Stats, f64)> {
    let pid = server.pid();
    let peak = Arc::new(std::sync::Mutex::new(0.0_f64));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                let rss = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                    .map_or(0.0, |kb| kb / 1024.0);
                if let Ok(mut peak) = peak.lock() {
                    *peak = peak.max(rss);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let stats = work.await;
    sampler.abort();
    let peak = *peak.lock().map_err(|_| anyhow::anyhow!("sampler poisoned"))?;
    Ok((stats?, peak))
}

/// Argon2id hashes per second at ellis's production parameters, one thread per core.
fn argon2_rate(cores: usize, run: Duration) -> anyhow::Result<f64> {
    use argon2::password_hash::PasswordHasher as _;
    let cost = ellis::hashing::HashCost::PRODUCTION;
    let params = argon2::Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let end = Instant::now() + run;
    let threads: Vec<_> = (0..cores)
        .map(|_| {
            let params = params.clone();
            std::thread::spawn(move || {
                let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
                let salt = [7_u8; 16];
                let mut count = 0_u64;
                while Instant::now() < end {
                    let _ = argon2.hash_password_with_salt(b"correct horse battery staple", &salt);
                    count += 1;
                }
                count
            })
        })
        .collect();
    let total: u64 = threads.into_iter().map(|t| t.join().unwrap_or(0)).sum();
    Ok(total as f64 / run.as_secs_f64())
}

/// I-797C notices rendered per second on one thread.
fn notice_rate(run: Duration) -> f64 {
    let notice = ellis_notices::sample();
    let began = Instant::now();
    let mut count = 0_u64;
    let mut bytes = 0_usize;
    while began.elapsed() < run {
        bytes += ellis_notices::render(&notice).len();
        count += 1;
    }
    std::hint::black_box(bytes);
    count as f64 / began.elapsed().as_secs_f64()
}

fn print_table(report: &Report) {
    println!("\n| scenario | measured | goal | met |\n|---|---|---|---|");
    for (what, measured, goal, met) in &report.rows {
        println!("| {what} | {measured} | {goal} | {} |", if *met { "yes" } else { "**no**" });
    }
}
