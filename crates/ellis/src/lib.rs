//! The ellis application: services (where rules, storage and mail meet), the web layer, the mail outbox
//! worker and the command line. `main.rs` only parses arguments and calls into here, so tests run the very
//! same server in-process.

pub mod cli;
pub mod clock;
pub mod config;
pub mod hashing;
pub mod mail;
pub mod server;
pub mod services;
pub mod state;
pub mod web;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::Config;
pub use state::AppState;
