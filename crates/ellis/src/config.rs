//! Configuration: one typed struct, layered as DESIGN.md §6 says — defaults, then `ellis.toml` (or the file
//! named by `--config`), then `ELLIS_*` environment variables, then command-line flags — and validated at
//! start-up with a message that names the bad key. It is passed in state, never global.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::hashing::HashCost;

/// A value that must never reach a log: `Debug` and `Display` print `[redacted]`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Everything ellis can be told. Keys are the same in `ellis.toml` and, upper-cased with an `ELLIS_` prefix,
/// in the environment (`database_url` = `ELLIS_DATABASE_URL`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port to serve on.
    pub listen: SocketAddr,
    /// Where the embedded database and the outbox folder live.
    pub data_dir: PathBuf,
    /// `postgres://...` to use PostgreSQL; unset means SQLite at `<data_dir>/ellis.db`.
    pub database_url: Option<Secret>,
    /// The address users reach ellis at; used for links in emails and for the cookie's `Secure` flag.
    pub public_url: Url,
    /// `smtp://user:pass@host:587` or `smtps://...`; unset means `.eml` files in `<data_dir>/outbox/`.
    pub smtp_url: Option<Secret>,
    /// The sender of every email.
    pub mail_from: String,
    pub log_format: LogFormat,
    /// The largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Database connections per instance.
    pub database_max_connections: u32,
    /// Per-IP flood shield on the public endpoints (sign-in, sign-up, resets, reminders, emailed links):
    /// requests one address may send at once; 0 turns the shield off. Per process (DESIGN.md §4): what
    /// security depends on, such as lockout, counts in the database instead.
    pub flood_shield_burst: u32,
    /// How often the shield gives an address one more request back, in milliseconds.
    pub flood_shield_refill_ms: u64,
    /// Public case-status look-ups (`/case-status`, `GET /api/v1/case-status/…`) one IP address may make at
    /// once; 0 turns this limit off (benchmarks).
    pub status_lookup_burst: u32,
    pub status_lookup_refill_ms: u64,
    /// Online filing fees in cents by form type (DOMAIN.md §4, the fee rule of 1 April 2024).
    pub online_fees_cents: std::collections::BTreeMap<String, i64>,
    /// Argon2id cost. Not read from files or the environment: production always uses DESIGN.md's minimum,
    /// and only code (the test harness) can choose otherwise.
    #[serde(skip, default = "production_cost")]
    pub hash_cost: HashCost,
    /// Whether `serve` runs the outbox worker; tests turn it off and deliver mail explicitly.
    #[serde(skip, default = "yes")]
    pub run_mail_worker: bool,
}

fn production_cost() -> HashCost {
    HashCost::PRODUCTION
}

fn yes() -> bool {
    true
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./ellis-data"),
            database_url: None,
            public_url: Url::parse("http://127.0.0.1:8080").expect("default URL parses"),
            smtp_url: None,
            mail_from: "USCIS Online Account <no-reply@ellis.localhost>".to_owned(),
            log_format: LogFormat::Pretty,
            body_limit_bytes: 64 * 1024,
            database_max_connections: 16,
            flood_shield_burst: 20,
            flood_shield_refill_ms: 3000,
            status_lookup_burst: 30,
            status_lookup_refill_ms: 1000,
            online_fees_cents: [("I-90", 41_500), ("I-130", 62_500), ("I-765", 47_000), ("N-400", 71_000)]
                .into_iter()
                .map(|(form, cents)| (form.to_owned(), cents))
                .collect(),
            hash_cost: HashCost::PRODUCTION,
            run_mail_worker: true,
        }
    }
}

/// The keys the environment may set (other `ELLIS_*` variables, such as the test suite's, are not config).
const ENV_KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "public_url",
    "smtp_url",
    "mail_from",
    "log_format",
    "body_limit_bytes",
    "database_max_connections",
    "flood_shield_burst",
    "flood_shield_refill_ms",
    "status_lookup_burst",
    "status_lookup_refill_ms",
];

/// Values given as command-line flags; each overrides every other layer.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}

impl Config {
    /// Loads the layers. An explicit `--config` file must exist; the default `ellis.toml` may be absent.
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match config_file {
            Some(path) => {
                if !path.is_file() {
                    bail!("the configuration file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file_exact(path));
            }
            None if Path::new("ellis.toml").is_file() => figment = figment.merge(Toml::file_exact("ellis.toml")),
            None => {}
        }
        let figment = figment.merge(Env::prefixed("ELLIS_").only(ENV_KEYS)).merge(Serialized::defaults(overrides));
        let mut config: Config = figment.extract().map_err(|error| anyhow::anyhow!(describe(error)))?;
        // A listen address given without a public URL is also where users reach ellis.
        if overrides.public_url.is_none()
            && std::env::var_os("ELLIS_PUBLIC_URL").is_none()
            && config.public_url == Config::default().public_url
            && config.listen != Config::default().listen
        {
            config.public_url = Url::parse(&format!("http://{}", config.listen)).context("public URL from listen")?;
        }
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if !matches!(self.public_url.scheme(), "http" | "https") {
            bail!("public_url must start with http:// or https://, not {}", self.public_url.scheme());
        }
        if let Some(url) = &self.database_url
            && !(url.expose().starts_with("postgres://") || url.expose().starts_with("postgresql://"))
        {
            bail!("database_url must be a postgres:// URL (leave it unset for the embedded SQLite database)");
        }
        if let Some(url) = &self.smtp_url {
            let parsed = Url::parse(url.expose()).map_err(|_| anyhow::anyhow!("smtp_url is not a URL"))?;
            if !matches!(parsed.scheme(), "smtp" | "smtps") {
                bail!("smtp_url must start with smtp:// or smtps://");
            }
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            bail!("mail_from must be an address like 'Name <no-reply@example.org>'");
        }
        if !(1024..=64 * 1024 * 1024).contains(&self.body_limit_bytes) {
            bail!("body_limit_bytes must be between 1024 and 67108864");
        }
        if self.database_max_connections == 0 {
            bail!("database_max_connections must be at least 1");
        }
        if let Some((form, _)) = self.online_fees_cents.iter().find(|(_, cents)| **cents < 0) {
            bail!("online_fees_cents.{form} cannot be negative");
        }
        if self.status_lookup_burst > 0 && self.status_lookup_refill_ms == 0 {
            bail!("status_lookup_refill_ms must be at least 1 while the status look-up limit is on");
        }
        if self.flood_shield_burst > 0 && self.flood_shield_refill_ms == 0 {
            bail!("flood_shield_refill_ms must be at least 1 while the flood shield is on");
        }
        Ok(())
    }

    /// The database URL in use: PostgreSQL if configured, else the embedded file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => ellis_store::Store::sqlite_url(&self.data_dir),
        }
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Cookies are `Secure` unless ellis is served over plain http on a loopback address (development).
    pub fn secure_cookies(&self) -> bool {
        let loopback = match self.public_url.host() {
            Some(url::Host::Domain(name)) => name == "localhost",
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        self.public_url.scheme() == "https" || !loopback
    }

    /// A link to `path` (which starts with `/`) at the public URL.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path_and_query)
    }
}

/// Turns figment's error into one line naming the key and the layer it came from.
fn describe(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = e.metadata.as_ref().map(|m| m.name.to_string()).unwrap_or_default();
            if key.is_empty() {
                format!("configuration: {}", e.kind)
            } else {
                format!("configuration key `{key}` ({source}): {}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
