//! Starting and stopping what the bench measures: the ellis release binary (built first if needed) on its
//! own data folder or PostgreSQL database, and a bare axum hello-world server as the yardstick.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::load::Conn;

/// The workspace this bench belongs to.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds the ellis release binary (a no-op when it is up to date) and returns its path.
pub fn ellis_binary() -> anyhow::Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "-p", "ellis", "--bin", "ellis"])
        .current_dir(workspace())
        .status()
        .context("running cargo build for the ellis binary")?;
    if !status.success() {
        bail!("building the ellis release binary failed");
    }
    let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| workspace().join("target"));
    Ok(target.join("release/ellis"))
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Where a database lives: a data folder (SQLite) and optionally a PostgreSQL URL.
#[derive(Clone)]
pub struct Database {
    pub data_dir: PathBuf,
    pub url: Option<String>,
}

impl Database {
    fn args(&self) -> Vec<String> {
        let mut args = vec!["--data-dir".to_owned(), self.data_dir.display().to_string()];
        if let Some(url) = &self.url {
            args.push("--database-url".to_owned());
            args.push(url.clone());
        }
        args
    }
}

/// `ellis seed` into `database`; returns its report line.
pub fn seed(binary: &Path, database: &Database, accounts: u64, cases: u64) -> anyhow::Result<String> {
    let output = Command::new(binary)
        .arg("seed")
        .args(["--accounts", &accounts.to_string(), "--cases", &cases.to_string(), "--quiet"])
        .args(database.args())
        .env("ELLIS_LOG", "warn")
        .output()
        .context("running ellis seed")?;
    if !output.status.success() {
        bail!("ellis seed failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout.lines().next().unwrap_or_default().to_owned())
}

/// A running server, killed when dropped.
pub struct Running {
    child: Child,
    pub addr: SocketAddr,
    /// From spawning the process to the first 200 from `/health`.
    pub startup: Duration,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory in MB, from /proc.
    pub fn rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_for(addr: SocketAddr, path: &str, began: Instant) -> anyhow::Result<Duration> {
    loop {
        if let Ok(mut conn) = Conn::open(addr).await
            && let Ok((200, _)) = conn.send(hyper::Method::GET, path, None, None).await
        {
            return Ok(began.elapsed());
        }
        if began.elapsed() > Duration::from_secs(60) {
            bail!("{addr}{path} did not answer within a minute");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Starts `ellis serve` on `database` with the flood shield and the status-lookup limit off (the bench's
/// own clients all come from 127.0.0.1) and production password hashing.
pub async fn start_ellis(binary: &Path, database: &Database) -> anyhow::Result<Running> {
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    let began = Instant::now();
    let child = Command::new(binary)
        .arg("serve")
        .args(["--listen", &addr.to_string()])
        .args(database.args())
        .env("ELLIS_FLOOD_SHIELD_BURST", "0")
        .env("ELLIS_STATUS_LOOKUP_BURST", "0")
        .env("ELLIS_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting ellis serve")?;
    let mut running = Running { child, addr, startup: Duration::ZERO };
    running.startup = wait_for(addr, "/health", began).await?;
    Ok(running)
}

/// Starts this bench's own hello-world server (`ellis-bench hello`) as a separate process.
pub async fn start_hello() -> anyhow::Result<Running> {
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    let began = Instant::now();
    let child = Command::new(std::env::current_exe()?)
        .args(["hello", "--listen", &addr.to_string()])
        .stdout(Stdio::null())
        .spawn()
        .context("starting the hello-world server")?;
    let mut running = Running { child, addr, startup: Duration::ZERO };
    running.startup = wait_for(addr, "/", began).await?;
    Ok(running)
}

/// The hello-world server itself: axum, one route, the same runtime flavour as ellis.
pub fn serve_hello(listen: SocketAddr) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello, world!" }));
        let listener = tokio::net::TcpListener::bind(listen).await?;
        axum::serve(listener, app).await?;
        anyhow::Ok(())
    })
}

/// A fresh, empty PostgreSQL database named `name` on the server of `url`; returns its URL.
pub async fn fresh_postgres(url: &str, name: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(url).await.context("connecting to PostgreSQL")?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("drop database if exists {name} with (force)")))
        .execute(&mut admin)
        .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("create database {name}"))).execute(&mut admin).await?;
    admin.close().await?;
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    Ok(format!("{server}/{name}{query}"))
}
