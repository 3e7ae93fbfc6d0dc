//! `ellis serve`: the web application and the outbox worker, until SIGTERM or Ctrl-C.

use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::{Config, SystemClock, server};

pub async fn run(config: Config) -> anyhow::Result<()> {
    let listen = config.listen;
    let database =
        if config.database_url.is_some() { "PostgreSQL".to_owned() } else { config.effective_database_url() };
    let outbox = match &config.smtp_url {
        Some(_) => "SMTP".to_owned(),
        None => format!("files in {}", config.outbox_dir().display()),
    };
    let state = server::build_state(config, Arc::new(SystemClock)).await?;
    let listener = TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let running = server::start(state, listener).await?;
    tracing::info!(
        http.listen = %running.addr,
        public_url = %running.state.config.public_url,
        database = %database,
        email = %outbox,
        "ellis is serving; open {}",
        running.state.config.public_url
    );
    let config = &running.state.config;
    if config.public_url.scheme() == "http" && config.secure_cookies() {
        tracing::warn!(
            public_url = %config.public_url,
            "cookies are marked Secure because public_url is not a loopback address, so browsers keep them only \
             over https: serve ellis behind TLS and set public_url to its https:// address"
        );
    }
    server::shutdown_signal().await;
    tracing::info!("shutting down");
    running.stop().await
}
