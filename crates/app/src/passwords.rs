//! Argon2id password hashes, computed on a bounded pool of blocking threads.
//!
//! One hash takes tens of milliseconds of a core and 19 MiB of memory. Run on the async
//! runtime, a burst of sign-ins stalls every other request (120 simultaneous sign-ins took
//! `/healthz` from 2 ms to 4.4 s). So hashing runs under `spawn_blocking`, at most one per
//! core at a time; a request over that bound waits its turn for a short while and is then
//! refused as busy, rather than queueing without end.

use crate::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a sign-in waits for a free hashing thread before it is refused as busy.
pub const DEFAULT_HASHING_WAIT: Duration = Duration::from_secs(10);

/// Suggested wait before trying again, when hashing is busy.
pub const BUSY_RETRY_AFTER_SECONDS: u64 = 5;

/// The bound on simultaneous password hashes.
#[derive(Debug, Clone)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl PasswordHasherPool {
    /// At most `threads` hashes at once (at least one); a hash waits at most `wait` to start.
    pub fn new(threads: usize, wait: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(threads.max(1))),
            wait,
        }
    }

    /// One hash per core.
    pub fn per_core() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores, DEFAULT_HASHING_WAIT)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy(BUSY))?
            .map_err(|_| AppError::Busy(BUSY))?;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|_| AppError::Busy(BUSY))
    }

    /// Whether `password` matches the stored PHC string (false for a malformed one).
    pub async fn verify(&self, password: &str, stored_hash: &str) -> Result<bool, AppError> {
        let (password, stored_hash) = (password.to_string(), stored_hash.to_string());
        self.run(move || password_matches(&password, &stored_hash))
            .await
    }

    /// A new Argon2id hash of `password`.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_string();
        self.run(move || hash_password(&password)).await?
    }
}

const BUSY: &str = "The service is busy signing other people in. Wait a few seconds and try again.";

/// An Argon2id hash (PHC string) of a password.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| AppError::invalid("password", "That password cannot be used: choose another."))
}

pub(crate) fn password_matches(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a new password is long enough to resist guessing.
pub fn check_password_strength(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 12 {
        return Err(AppError::invalid(
            "password",
            "Passwords must be at least 12 characters.",
        ));
    }
    if password.len() > 1024 {
        return Err(AppError::invalid(
            "password",
            "Passwords must be at most 1024 characters.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").expect("hashes");
        assert!(hash.starts_with("$argon2id$"));
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("wrong horse battery", &hash));
        assert!(!password_matches("anything", "not a hash"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password_strength("short").is_err());
        assert!(check_password_strength("long enough password").is_ok());
    }

    #[tokio::test]
    async fn the_pool_verifies_off_the_runtime_and_refuses_when_full_for_too_long() {
        let pool = PasswordHasherPool::new(1, Duration::from_millis(50));
        let hash = pool.hash("correct horse battery").await.expect("hash");
        assert!(pool
            .verify("correct horse battery", &hash)
            .await
            .expect("verify"));
        assert!(!pool.verify("wrong", &hash).await.expect("verify"));
        // With its only thread taken, the next hash waits, then is refused as busy.
        let held = pool.permits.clone().acquire_owned().await.expect("permit");
        assert!(matches!(
            pool.verify("correct horse battery", &hash).await,
            Err(AppError::Busy(_))
        ));
        drop(held);
        assert!(pool
            .verify("correct horse battery", &hash)
            .await
            .expect("verify"));
    }
}
