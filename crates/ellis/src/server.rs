//! Starting and stopping an instance: connect and migrate, serve HTTP, run the outbox worker, and shut both
//! down gracefully. The CLI and the tests start ellis through here.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::hashing::Hasher;
use crate::mail::worker::{self, Transport};
use crate::{AppState, Config};

/// Connects to the database named by the configuration and applies pending migrations.
pub async fn connect(config: &Config, clock: &dyn Clock) -> anyhow::Result<ellis_store::Store> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
    }
    let store = ellis_store::Store::connect(&config.effective_database_url(), config.database_max_connections)
        .await
        .context("connecting to the database")?;
    store.migrate(clock.unix()).await.context("applying migrations")?;
    Ok(store)
}

pub async fn build_state(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let store = connect(&config, clock.as_ref()).await?;
    let hasher = Hasher::new(config.hash_cost)?;
    Ok(AppState { config: Arc::new(config), store, clock, hasher, mail_wakeup: Arc::new(Notify::new()) })
}

/// A running instance.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    worker: Option<JoinHandle<()>>,
}

/// Serves on `listener` until [`Running::stop`].
pub async fn start(state: AppState, listener: TcpListener) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    let (shutdown, mut stopped) = watch::channel(false);
    let worker = if state.config.run_mail_worker {
        let transport = Transport::from_config(&state.config)?;
        Some(tokio::spawn(worker::run(state.clone(), transport, shutdown.subscribe())))
    } else {
        None
    };
    let app = crate::web::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            })
            .await
    });
    Ok(Running { addr, state, shutdown, server, worker })
}

impl Running {
    /// Stops accepting connections, lets requests in flight finish, stops the worker, closes the pools.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.server.await.context("server task")?.context("server")?;
        if let Some(worker) = self.worker {
            worker.await.context("outbox worker")?;
        }
        self.state.store.close().await;
        Ok(())
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
