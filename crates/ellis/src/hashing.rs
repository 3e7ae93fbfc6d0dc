//! Argon2id for passwords and security answers (DESIGN.md §4: m=19456 KiB, t=2, p=1), run on blocking
//! threads with at most one hash per core in flight, so a sign-in storm queues here instead of stalling the
//! async workers that serve everything else. zxcvbn scoring shares the same pool for the same reason.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use tokio::sync::Semaphore;

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

#[derive(Clone)]
pub struct Hasher {
    argon2: Arc<Argon2<'static>>,
    permits: Arc<Semaphore>,
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
        Ok(Self { argon2, permits: Arc::new(Semaphore::new(cores)), dummy_hash })
    }

    /// Runs CPU-heavy `work` on a blocking thread, at most one per core at a time.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await.context("hashing pool closed")?;
        tokio::task::spawn_blocking(work).await.context("hashing task failed")
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

fn hash_now(argon2: &Argon2<'_>, secret: &[u8]) -> anyhow::Result<String> {
    let salt: [u8; 16] = rand::rng().random();
    let hash = argon2.hash_password_with_salt(secret, &salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}
