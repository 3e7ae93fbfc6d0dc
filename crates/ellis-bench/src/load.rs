//! A closed-loop load generator over HTTP/1.1: a fixed number of keep-alive connections, each sending its
//! next request as soon as the last answer is read, for a fixed time. Latencies go into one HDR histogram
//! per connection, merged at the end.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// One keep-alive connection.
pub struct Conn {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(Self { sender, host: addr.to_string() })
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Option<String>,
    ) -> anyhow::Result<(u16, Bytes)> {
        let mut request = Request::builder().method(method).uri(path).header("host", &self.host);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match json {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Full::new(Bytes::from(json))
            }
            None => Full::new(Bytes::new()),
        };
        self.sender.ready().await?;
        let response = self.sender.send_request(request.body(body)?).await?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }
}

/// What one run measured.
#[derive(Clone)]
pub struct Stats {
    pub completed: u64,
    pub errors: u64,
    pub seconds: f64,
    pub latency: Histogram<u64>,
}

impl Stats {
    pub fn rate(&self) -> f64 {
        self.completed as f64 / self.seconds
    }

    /// A latency quantile in milliseconds.
    pub fn ms(&self, quantile: f64) -> f64 {
        self.latency.value_at_quantile(quantile) as f64 / 1000.0
    }

    /// Two measurements of the same work as one: counts and seconds add, latencies pool.
    pub fn merge(mut self, other: Stats) -> anyhow::Result<Stats> {
        self.completed += other.completed;
        self.errors += other.errors;
        self.seconds += other.seconds;
        self.latency.add(other.latency)?;
        Ok(self)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "requests_per_s": round(self.rate()),
            "completed": self.completed,
            "errors": self.errors,
            "p50_ms": round(self.ms(0.5)),
            "p99_ms": round(self.ms(0.99)),
            "p999_ms": round(self.ms(0.999)),
        })
    }
}

pub fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// One unit of work a connection repeats; its latency is the time from first byte sent to last byte read
/// of all its requests.
#[derive(Clone)]
pub enum Work {
    /// `GET path` with an optional bearer token; any status other than 200 counts as an error.
    Get { path: Arc<str>, token: Option<Arc<str>> },
    /// A full sign-in: password, then the authenticator code, each time as the next seeded account.
    SignIn { next_account: Arc<AtomicU64>, accounts: u64, password: Arc<str>, totp: Arc<ellis_core::totp::TotpSecret> },
}

impl Work {
    async fn once(&self, conn: &mut Conn) -> anyhow::Result<bool> {
        match self {
            Work::Get { path, token } => {
                let (status, _) = conn.send(Method::GET, path, token.as_deref(), None).await?;
                Ok(status == 200)
            }
            Work::SignIn { next_account, accounts, password, totp } => {
                let serial = next_account.fetch_add(1, Ordering::Relaxed) % accounts;
                let body = serde_json::json!({"email": format!("seed{serial}@ellis.test"), "password": &**password});
                let (status, bytes) = conn.send(Method::POST, "/api/v1/sessions", None, Some(body.to_string())).await?;
                if status != 201 {
                    return Ok(false);
                }
                let answer: serde_json::Value = serde_json::from_slice(&bytes)?;
                let token = answer["token"].as_str().unwrap_or_default().to_owned();
                let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
                let code = serde_json::json!({"method": "totp", "code": totp.code_at(now)}).to_string();
                let (status, _) =
                    conn.send(Method::POST, "/api/v1/sessions/current/second-factor", Some(&token), Some(code)).await?;
                Ok(status == 200)
            }
        }
    }
}

/// Runs `work` on `connections` connections for `duration` (after `warmup`, which is not counted).
pub async fn run(
    addr: SocketAddr,
    connections: usize,
    warmup: Duration,
    duration: Duration,
    work: Work,
) -> anyhow::Result<Stats> {
    let start = Instant::now() + warmup;
    let end = start + duration;
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let work = work.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(addr).await?;
            let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
            let (mut completed, mut errors) = (0_u64, 0_u64);
            loop {
                let began = Instant::now();
                if began >= end {
                    break;
                }
                let ok = match work.once(&mut conn).await {
                    Ok(ok) => ok,
                    Err(_) => {
                        conn = Conn::open(addr).await?;
                        false
                    }
                };
                let finished = Instant::now();
                // Counted by when it finished: a request begun in the warm-up and finished inside the window
                // stands in for the one cut off at the end. Requiring both ends inside dropped about one
                // request per connection, a few per cent of a short sign-in phase.
                if finished >= start && finished <= end {
                    if ok {
                        completed += 1;
                        latency.record((finished - began).as_micros().max(1) as u64)?;
                    } else {
                        errors += 1;
                    }
                }
            }
            anyhow::Ok((completed, errors, latency))
        }));
    }
    let mut total = Stats {
        completed: 0,
        errors: 0,
        seconds: duration.as_secs_f64(),
        latency: Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?,
    };
    for task in tasks {
        let (completed, errors, latency) = task.await??;
        total.completed += completed;
        total.errors += errors;
        total.latency.add(latency)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(completed: u64, seconds: f64, latency_us: u64) -> Stats {
        let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
        for _ in 0..completed {
            latency.record(latency_us).unwrap();
        }
        Stats { completed, errors: 1, seconds, latency }
    }

    #[test]
    fn merged_halves_give_the_rate_over_the_whole_time_and_pool_latencies() {
        let merged = stats(300, 10.0, 1_000).merge(stats(100, 10.0, 9_000)).unwrap();
        assert_eq!(merged.rate(), 20.0, "400 requests in 20 seconds, not the mean of 30/s and 10/s");
        assert_eq!(merged.errors, 2);
        assert!((merged.ms(0.5) - 1.0).abs() < 0.01, "the median is the faster half's");
        assert!((merged.ms(0.9) - 9.0).abs() < 0.01, "the slower quarter is still there");
    }
}
