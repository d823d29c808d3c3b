//! Signing in and out: Argon2id password hashes, server-side sessions, CSRF tokens, and
//! throttling of repeated failures.

use crate::{App, AppError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Duration;
use frontdoor_domain::authorization::Actor;
use frontdoor_store::organisation::Worker;
use frontdoor_store::sessions::SessionRecord;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How many failed sign-ins are tolerated in a window before further attempts are refused.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleSettings {
    pub per_username: i64,
    pub per_client: i64,
    pub window_minutes: i64,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            per_username: 5,
            per_client: 30,
            window_minutes: 15,
        }
    }
}

/// A new session: the token goes in the cookie (only its hash is stored).
#[derive(Debug, Clone)]
pub struct SignIn {
    pub token: String,
    pub csrf_token: String,
    pub worker: Worker,
}

/// The worker behind a valid session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub worker: Worker,
    pub csrf_token: String,
}

impl SignedIn {
    pub fn actor(&self) -> Actor {
        self.worker.actor()
    }
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An Argon2id hash (PHC string) of a password.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| AppError::invalid("password", "That password cannot be used: choose another."))
}

fn password_matches(password: &str, stored_hash: &str) -> bool {
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

/// A hash of a password nobody has, checked when the username is unknown so that a wrong
/// username takes as long as a wrong password.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2QXrm2xXoqxOPWqXK4wAmVXqTvIcr1x8yHRpxvBI1p8";

impl App {
    /// Signs a worker in. `client` identifies where the attempt came from (an IP address).
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        client: &str,
    ) -> Result<SignIn, AppError> {
        const WRONG: &str = "Enter a correct username and password.";
        let username = username.trim().to_ascii_lowercase();
        if username.is_empty() || password.is_empty() {
            return Err(AppError::SignIn(WRONG));
        }
        let now = self.now();
        let throttle = self.settings.throttle;
        let since = now - Duration::minutes(throttle.window_minutes);
        let (by_user, by_client) = self
            .store
            .sign_in_failures_since(&username, client, since)
            .await?;
        if by_user >= throttle.per_username || by_client >= throttle.per_client {
            return Err(AppError::SignIn(
                "Too many failed attempts to sign in. Wait 15 minutes and try again, or ask an administrator to check your account.",
            ));
        }
        let worker = self.store.worker_by_username(&username).await?;
        let verified = match &worker {
            Some(worker) => password_matches(password, &worker.password_hash),
            None => {
                let _ = password_matches(password, DECOY_HASH);
                false
            }
        };
        let worker = match worker {
            Some(worker) if verified && worker.active => worker,
            _ => {
                self.store
                    .record_sign_in_failure(&username, client, now)
                    .await?;
                tracing::info!(client, "sign-in failed");
                return Err(AppError::SignIn(WRONG));
            }
        };
        self.store.clear_sign_in_failures(&username).await?;
        let token = random_token();
        let csrf_token = random_token();
        let session = SessionRecord {
            worker: worker.id,
            authority: worker.authority,
            csrf_token: csrf_token.clone(),
            expires_at: now + Duration::minutes(self.settings.session_idle_minutes),
            last_seen_at: now,
        };
        self.store
            .insert_session(&token_hash(&token), &session, now)
            .await?;
        tracing::info!(worker = %worker.id, "signed in");
        Ok(SignIn {
            token,
            csrf_token,
            worker,
        })
    }

    /// The worker behind a session token, if the session is live; slides its expiry.
    pub async fn session(&self, token: &str) -> Result<Option<SignedIn>, AppError> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = self.now();
        if session.expires_at <= now {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        let worker = match self.store.worker(session.authority, session.worker).await {
            Ok(worker) if worker.active => worker,
            Ok(_) | Err(frontdoor_store::StoreError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        // Write the sliding expiry at most once a minute, not on every request.
        if now - session.last_seen_at > Duration::minutes(1) {
            let expires = now + Duration::minutes(self.settings.session_idle_minutes);
            self.store.touch_session(&hash, now, expires).await?;
        }
        Ok(Some(SignedIn {
            worker,
            csrf_token: session.csrf_token,
        }))
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        self.store.delete_session(&token_hash(token)).await?;
        Ok(())
    }
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
}
