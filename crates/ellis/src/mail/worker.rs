//! The outbox worker: claims queued emails, delivers them by SMTP or as `.eml` files, and retries failures
//! with backoff. Several instances may run it against one database; claims are leases (DESIGN.md §3).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::message::header::ContentTransferEncoding;
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;

use crate::AppState;

const LEASE_SECONDS: i64 = 120;
const BATCH: i64 = 20;
/// How often a worker looks for mail queued by other instances.
const POLL: Duration = Duration::from_secs(2);
const MAX_ATTEMPTS: i64 = 10;

pub enum Transport {
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_config(config: &crate::Config) -> anyhow::Result<Self> {
        match &config.smtp_url {
            Some(url) => Ok(Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose()).context("smtp_url")?.build(),
            )),
            None => {
                let dir = config.outbox_dir();
                std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                Ok(Self::Files(AsyncFileTransport::new(&dir), dir))
            }
        }
    }

    /// For SMTP, lettre picks a transfer encoding that every relay accepts. For `.eml` files the text is
    /// written as it is, so a developer can read the file and click its link (quoted-printable would break
    /// long links across lines).
    fn body(&self, text: &str) -> Body {
        match self {
            Self::Files(..) => Body::new_with_encoding(text.to_owned(), ContentTransferEncoding::Binary)
                .unwrap_or_else(|_| Body::new(text.to_owned())),
            Self::Smtp(_) => Body::new(text.to_owned()),
        }
    }

    async fn send(&self, message: Message) -> anyhow::Result<String> {
        match self {
            Self::Files(transport, dir) => {
                // Recreated if someone cleared the folder while ellis runs.
                tokio::fs::create_dir_all(dir).await.context("creating the outbox folder")?;
                let id = transport.send(message).await.context("writing the .eml file")?;
                Ok(dir.join(format!("{id}.eml")).display().to_string())
            }
            Self::Smtp(transport) => {
                let response = transport.send(message).await.context("SMTP delivery")?;
                Ok(format!("SMTP {}", response.code()))
            }
        }
    }
}

/// Delivers every email due now; returns how many were sent.
pub async fn deliver_due(state: &AppState, transport: &Transport) -> anyhow::Result<usize> {
    let from: Mailbox = state.config.mail_from.parse().context("mail_from")?;
    let mut sent = 0;
    loop {
        let now = state.clock.unix();
        let batch = state.store.claim_emails(now, LEASE_SECONDS, BATCH).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for email in batch {
            let result = async {
                let message = Message::builder()
                    .from(from.clone())
                    .to(email.to_address.parse().context("recipient address")?)
                    .subject(&email.subject)
                    .multipart(
                        MultiPart::alternative()
                            .singlepart(SinglePart::plain(transport.body(&email.body_text)))
                            .singlepart(SinglePart::html(transport.body(&email.body_html))),
                    )
                    .context("building the message")?;
                transport.send(message).await
            }
            .await;
            let now = state.clock.unix();
            match result {
                Ok(place) => {
                    state.store.mark_email_sent(email.id, now).await?;
                    tracing::info!(outbox.id = email.id, mail.delivered_to = %place, "email delivered");
                    sent += 1;
                }
                Err(error) => {
                    // Back off exponentially: 1, 2, 4 ... minutes; after MAX_ATTEMPTS the row stays for an operator.
                    let retry_at = if email.attempts >= MAX_ATTEMPTS {
                        i64::MAX
                    } else {
                        now + 60 * (1 << email.attempts.clamp(0, 10))
                    };
                    state.store.mark_email_failed(email.id, &format!("{error:#}"), retry_at).await?;
                    tracing::warn!(outbox.id = email.id, error = %format!("{error:#}"), "email delivery failed");
                }
            }
        }
    }
}

/// Runs until `shutdown` changes: delivers when woken by this instance and every few seconds otherwise.
pub async fn run(state: AppState, transport: Transport, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(error) = deliver_due(&state, &transport).await {
            tracing::error!(error = %format!("{error:#}"), "outbox worker");
        }
        tokio::select! {
            _ = state.mail_wakeup.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => return,
        }
    }
}
