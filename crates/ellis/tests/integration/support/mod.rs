//! The test harness: `TestApp` serves the real application on port 0 with a fresh database (a SQLite file in
//! a temporary folder, or a new PostgreSQL database), a clock the test can move, and the real outbox worker
//! writing `.eml` files that the test reads back.

pub mod api;
mod mail;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use ellis::hashing::HashCost;
use ellis::{AppState, Config, ManualClock, server};
use libtest_mimic::{Failed, Trial};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub type TestFuture = Pin<Box<dyn Future<Output = ()>>>;
pub type TestFn = fn(Backend) -> TestFuture;

pub fn boxed(future: impl Future<Output = ()> + 'static) -> TestFuture {
    Box::pin(future)
}

/// Turns test functions `async fn name(app: &TestApp)` into named entries that spawn a fresh app each.
macro_rules! suite {
    ($($path:path),* $(,)?) => {
        vec![$((
            stringify!($path),
            (|backend| $crate::support::boxed(async move {
                let app = $crate::support::TestApp::spawn(backend).await;
                $path(&app).await;
                app.stop().await;
            })) as $crate::support::TestFn,
        )),*]
    };
}

pub fn postgres_url() -> Option<String> {
    std::env::var("ELLIS_TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty())
}

pub fn loud(message: &str) -> String {
    let bar = "!".repeat(message.len().min(100) + 8);
    format!("{bar}\n!!! {message} !!!\n{bar}")
}

/// One test on one backend, run on its own single-threaded runtime.
pub fn trial(name: String, backend: Backend, test: TestFn, ignored: bool) -> Trial {
    Trial::test(name, move || run_async(test(backend))).with_ignored_flag(ignored)
}

pub fn run_async(future: TestFuture) -> Result<(), Failed> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Failed::from(e.to_string()))?;
    runtime.block_on(future);
    Ok(())
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    running: Option<server::Running>,
    outbox: PathBuf,
    transport: ellis::mail::worker::Transport,
    seen_mail: std::sync::Mutex<Vec<PathBuf>>,
    inbox: std::sync::Mutex<Vec<mail::Email>>,
    delivering: tokio::sync::Mutex<()>,
    postgres_database: Option<String>,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        let data_dir = tempfile::tempdir().expect("temporary data folder");
        let (database_url, postgres_database) = match backend {
            Backend::Sqlite => (None, None),
            Backend::Postgres => {
                let (url, name) = create_postgres_database().await;
                (Some(ellis::config::Secret::new(url)), Some(name))
            }
        };
        let config = Config {
            listen: "127.0.0.1:0".parse().expect("address"),
            data_dir: data_dir.path().to_path_buf(),
            database_url,
            hash_cost: HashCost::FAST_FOR_TESTS,
            run_mail_worker: false,
            database_max_connections: 4,
            // Every test client is 127.0.0.1; the shield has its own test against the real binary.
            flood_shield_burst: 0,
            status_lookup_burst: 0,
            ..Config::default()
        };
        let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
        let addr = listener.local_addr().expect("address");
        let config = Config { public_url: format!("http://{addr}").parse().expect("url"), ..config };
        let outbox = config.outbox_dir();
        let transport = ellis::mail::worker::Transport::from_config(&config).expect("outbox");
        let state = server::build_state(config, clock.clone()).await.expect("ellis starts");
        let running = server::start(state.clone(), listener).await.expect("ellis serves");
        Self {
            base: format!("http://{addr}"),
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
            clock,
            state,
            running: Some(running),
            outbox,
            transport,
            seen_mail: std::sync::Mutex::new(Vec::new()),
            inbox: std::sync::Mutex::new(Vec::new()),
            delivering: tokio::sync::Mutex::new(()),
            postgres_database,
            _data_dir: data_dir,
        }
    }

    /// Another instance on the same database (and clock), as a second `ellis serve` behind a load balancer.
    pub async fn second_instance(&self) -> (String, server::Running) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
        let addr = listener.local_addr().expect("address");
        let config =
            Config { public_url: format!("http://{addr}").parse().expect("url"), ..(*self.state.config).clone() };
        let state = server::build_state(config, self.clock.clone()).await.expect("second instance starts");
        (format!("http://{addr}"), server::start(state, listener).await.expect("second instance serves"))
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("clean shutdown");
        }
        if let Some(name) = self.postgres_database.take() {
            drop_postgres_database(&name).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn advance(&self, by: time::Duration) {
        self.clock.advance(by);
    }

    /// Runs SQL on the app's database from outside ellis, as someone with access to the database could.
    pub async fn execute_sql(&self, sql: &str) {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let url = match &self.state.config.database_url {
            Some(url) => url.expose().to_owned(),
            None => ellis_store::Store::sqlite_url(&self.state.config.data_dir),
        };
        let mut connection = sqlx::AnyConnection::connect(&url).await.expect("direct database connection");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&mut connection).await.expect("direct SQL");
    }

    pub fn now_unix(&self) -> u64 {
        use ellis::Clock;
        self.clock.now().unix_timestamp() as u64
    }
}

async fn admin_connection() -> sqlx::PgConnection {
    use sqlx::Connection;
    let url = postgres_url().expect("ELLIS_TEST_POSTGRES_URL");
    sqlx::PgConnection::connect(&url).await.expect("connecting to the test PostgreSQL server")
}

async fn create_postgres_database() -> (String, String) {
    let name = format!("ellis_test_{}", ellis_core::tokens::random_public_id(&mut rand::rng()));
    let mut admin = admin_connection().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("create database {name}")))
        .execute(&mut admin)
        .await
        .expect("create database");
    let mut url = url::Url::parse(&postgres_url().expect("url")).expect("ELLIS_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    (url.to_string(), name)
}

async fn drop_postgres_database(name: &str) {
    let mut admin = admin_connection().await;
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("drop database if exists {name} with (force)")))
        .execute(&mut admin)
        .await;
}
