//! What every handler, service and job shares: configuration, the store, the clock, the hasher, and the
//! signal that wakes the mail worker.

use std::sync::Arc;

use ellis_store::Store;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::Config;
use crate::hashing::Hasher;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub hasher: Hasher,
    pub mail_wakeup: Arc<Notify>,
}

impl AppState {
    /// Tells this instance's mail worker that an email was queued (other instances find it by polling).
    pub fn wake_mailer(&self) {
        self.mail_wakeup.notify_one();
    }
}
