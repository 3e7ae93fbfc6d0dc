//! Argon2id for passwords and security answers (DESIGN.md §4: m=19456 KiB, t=2, p=1), run on a fixed pool
//! of one thread per core at a lower priority than the async workers, so a sign-in storm queues here instead
//! of stalling or slowing the requests they serve. zxcvbn scoring shares the same pool for the same reason.
//!
//! The pool's threads live as long as the process. Running hashes on tokio's blocking threads instead (one
//! of up to 512, a different one each time) let every thread's malloc arena keep its own 19 MB Argon2
//! buffer: ellis-bench measured a 502 MB resident peak over its load phases on two cores, 217 MB with this pool.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use tokio::sync::oneshot;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl HashCost {
    /// The OWASP minimum for Argon2id, which DESIGN.md §4 adopts.
    pub const PRODUCTION: Self = Self { memory_kib: 19_456, iterations: 2, parallelism: 1 };
    /// For tests only: the same algorithm at a cost that keeps a test suite quick on two cores.
    pub const FAST_FOR_TESTS: Self = Self { memory_kib: 64, iterations: 1, parallelism: 1 };
}

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct Hasher {
    argon2: Arc<Argon2<'static>>,
    jobs: tokio::sync::mpsc::Sender<Job>,
    /// A real hash of a random password: unknown emails are checked against it, so they cost what known ones do.
    dummy_hash: Arc<String>,
}

impl Hasher {
    pub fn new(cost: HashCost) -> anyhow::Result<Self> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let argon2 = Arc::new(Argon2::new(Algorithm::Argon2id, Version::V0x13, params));
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let dummy_password: [u8; 16] = rand::rng().random();
        let dummy_hash = Arc::new(hash_now(&argon2, &dummy_password)?);
        // Waiting jobs queue in the channel; its bound only keeps a flood from growing memory without end.
        let (jobs, queue) = tokio::sync::mpsc::channel::<Job>(4096);
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for n in 0..cores {
            let queue = queue.clone();
            std::thread::Builder::new().name(format!("ellis-hash-{n}")).spawn(move || {
                yield_to_requests();
                loop {
                    // One idle worker waits on the queue at a time; the others wait for the lock.
                    let job = match queue.lock() {
                        Ok(mut queue) => queue.blocking_recv(),
                        Err(_) => return,
                    };
                    match job {
                        Some(job) => job(),
                        None => return,
                    }
                }
            })?;
        }
        Ok(Self { argon2, jobs, dummy_hash })
    }

    /// Runs CPU-heavy `work` on the hashing pool (one thread per core) and waits for its result.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        // `send` waits only when 4096 jobs are queued already.
        self.jobs.send(job).await.map_err(|_| anyhow::anyhow!("hashing pool closed"))?;
        result.await.context("hashing job dropped")
    }

    pub async fn hash(&self, secret: String) -> anyhow::Result<String> {
        let argon2 = self.argon2.clone();
        self.run(move || hash_now(&argon2, secret.as_bytes())).await?
    }

    pub async fn verify(&self, secret: String, hash: String) -> anyhow::Result<bool> {
        let argon2 = self.argon2.clone();
        self.run(move || argon2.verify_password(secret.as_bytes(), hash.as_str()).is_ok()).await
    }

    /// Spends one verification's worth of time for a sign-in whose email matched nothing.
    pub async fn verify_dummy(&self, secret: String) -> anyhow::Result<()> {
        self.verify(secret, self.dummy_hash.as_str().to_owned()).await.map(|_| ())
    }
}

/// How far below the rest of the process the hashing threads run, in nice steps (Linux), so request work is
/// served first during a sign-in storm. Why ten, and what it costs when requests alone fill the cores: ADR 0007.
#[cfg(target_os = "linux")]
const HASH_NICE_STEPS: i32 = 10;

/// Lowers the calling thread's priority by [`HASH_NICE_STEPS`] from what it inherited (nice is per thread on
/// Linux), never past the lowest, 19. Relative, so a server started under `nice` keeps hashing below its
/// requests instead of being lifted back to 10.
#[cfg(target_os = "linux")]
fn yield_to_requests() {
    use rustix::process::{getpriority_process, setpriority_process};
    let me = Some(rustix::thread::gettid());
    let lowered = getpriority_process(me).and_then(|now| setpriority_process(me, (now + HASH_NICE_STEPS).min(19)));
    if let Err(error) = lowered {
        tracing::warn!(%error, "could not lower the hashing thread's priority; sign-in storms will slow other requests more");
    }
}

#[cfg(not(target_os = "linux"))]
fn yield_to_requests() {}

fn hash_now(argon2: &Argon2<'_>, secret: &[u8]) -> anyhow::Result<String> {
    let salt: [u8; 16] = rand::rng().random();
    let hash = argon2.hash_password_with_salt(secret, &salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_run_below_request_priority_and_still_verify() {
        let hasher = Hasher::new(HashCost::FAST_FOR_TESTS).unwrap();
        let hash = hasher.hash("correct horse battery staple".into()).await.unwrap();
        assert!(hasher.verify("correct horse battery staple".into(), hash.clone()).await.unwrap());
        assert!(!hasher.verify("correct horse battery stapler".into(), hash).await.unwrap());
        #[cfg(target_os = "linux")]
        {
            let nice_of_this_thread = || rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap();
            let hashing = hasher.run(nice_of_this_thread).await.unwrap();
            let here = nice_of_this_thread();
            assert_eq!(hashing, (here + HASH_NICE_STEPS).min(19), "hashing runs below the threads that serve requests");
        }
    }
}
