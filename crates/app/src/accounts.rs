//! Signing in and out: server-side sessions, CSRF tokens, and throttling of repeated failures
//! (password hashes are in `passwords`).

use crate::{App, AppError};
use chrono::{DateTime, Duration, Utc};
use frontdoor_domain::authorization::Actor;
use frontdoor_store::organisation::Worker;
use frontdoor_store::sessions::SessionRecord;
use frontdoor_store::sign_in_throttle::{AttemptLimits, Reservation};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::ops::RangeInclusive;

/// How many failed sign-ins are tolerated in a window before further attempts are refused:
/// `per_username` locks that account only (whatever address the guesses come from);
/// `per_client` refuses one client address (the real client, see the web layer's
/// `trusted_proxy`), not the accounts it tried.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleSettings {
    pub per_username: i64,
    pub per_client: i64,
    pub window_minutes: i64,
}

/// The idle limits a session may be given, in minutes (one minute to one day).
pub const SESSION_IDLE_MINUTES: RangeInclusive<i64> = 1..=1440;

/// The sliding expiry is written at most this often, so up to this much of a session's use
/// goes unrecorded: the expiry is set this much beyond the idle limit, so a session is never
/// ended sooner than the idle limit after its last use (and at most this much later).
const TOUCH_INTERVAL_MINUTES: i64 = 1;

/// When a session used at `now` ends if not used again. Cannot overflow: the limit is held
/// within [`SESSION_IDLE_MINUTES`].
fn idle_expiry(now: DateTime<Utc>, idle_minutes: i64) -> DateTime<Utc> {
    let minutes = idle_minutes.clamp(*SESSION_IDLE_MINUTES.start(), *SESSION_IDLE_MINUTES.end());
    now + Duration::minutes(minutes + TOUCH_INTERVAL_MINUTES)
}

impl ThrottleSettings {
    /// The limits as the store takes them, held to sane ranges (at least one attempt, a window
    /// of one minute to one day), so no setting can overflow the arithmetic.
    fn limits(&self) -> AttemptLimits {
        AttemptLimits {
            per_username: self.per_username.max(1),
            per_client: self.per_client.max(1),
            window: Duration::minutes(self.window_minutes.clamp(1, 1440)),
        }
    }
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
    /// Unread notifications, for the count in the header; filled in by pages that show it
    /// (0 when not asked for).
    pub unread_notifications: i64,
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

/// A hash of a password nobody has, checked when the username is unknown so that a wrong
/// username takes as long as a wrong password.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2QXrm2xXoqxOPWqXK4wAmVXqTvIcr1x8yHRpxvBI1p8";

/// Seconds from `now` until `until` (at least one), for a Retry-After header.
fn seconds_until(now: DateTime<Utc>, until: DateTime<Utc>) -> u64 {
    u64::try_from((until - now).num_seconds())
        .unwrap_or(0)
        .max(1)
}

/// "14:05", or "14:05 on 3 March" when it is not today (London time).
fn london_clock(now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let (today, then) = (crate::london(now), crate::london(at));
    if today.date() == then.date() {
        then.format("%H:%M").to_string()
    } else {
        then.format("%H:%M on %-d %B").to_string()
    }
}

impl App {
    /// Signs a worker in. `client` identifies where the attempt came from (an IP address).
    ///
    /// The attempt is recorded (as a failure) before the password is checked, in the same
    /// atomic step as the count that allows it, so simultaneous guesses cannot get past the
    /// limit; a right password then removes that record.
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
        let limits = self.settings.throttle.limits();
        let reservation = {
            let _turn =
                self.sign_in_recording.acquire().await.map_err(|_| {
                    AppError::Busy("The service is shutting down. Try again shortly.")
                })?;
            self.store
                .reserve_sign_in_attempt(&username, client, now, limits)
                .await?
        };
        let attempt = match reservation {
            Reservation::Granted(attempt) => attempt,
            Reservation::UsernameLocked { failures, until } => {
                tracing::warn!(client, "sign-in refused: account locked after failures");
                return Err(AppError::TooManySignIns {
                    message: format!(
                        "There have been {failures} failed attempts to sign in to this account, so it is locked for now. Try again after {}, or ask an administrator to check your account.",
                        london_clock(now, until)
                    ),
                    retry_after_seconds: seconds_until(now, until),
                });
            }
            Reservation::ClientLocked { until, .. } => {
                tracing::warn!(client, "sign-in refused: address over its limit");
                return Err(AppError::TooManySignIns {
                    message: format!(
                        "There have been too many failed attempts to sign in from your network. Try again after {}, or ask your IT service desk.",
                        london_clock(now, until)
                    ),
                    retry_after_seconds: seconds_until(now, until),
                });
            }
        };
        let worker = match self.check_credentials(&username, password).await {
            Ok(worker) => worker,
            Err(error) => {
                // Not evaluated (busy, or the database failed): not a failure.
                if let Err(release) = self.store.sign_in_attempt_abandoned(attempt).await {
                    tracing::error!(error = %release, "could not release a sign-in attempt");
                }
                return Err(error);
            }
        };
        let Some(worker) = worker else {
            // The attempt stays recorded as a failure.
            tracing::info!(client, "sign-in failed");
            return Err(AppError::SignIn(WRONG));
        };
        self.store
            .sign_in_attempt_succeeded(attempt, &username)
            .await?;
        let token = random_token();
        let csrf_token = random_token();
        let session = SessionRecord {
            worker: worker.id,
            authority: worker.authority,
            csrf_token: csrf_token.clone(),
            expires_at: idle_expiry(now, self.settings.session_idle_minutes),
            last_seen_at: now,
        };
        if !self
            .store
            .insert_session(&token_hash(&token), &session, &worker.password_hash, now)
            .await?
        {
            // The password was reset, or the worker deactivated, while this sign-in was being
            // checked: the old password no longer opens a session.
            tracing::info!(worker = %worker.id, "sign-in overtaken by a password reset or deactivation");
            return Err(AppError::SignIn(WRONG));
        }
        tracing::info!(worker = %worker.id, "signed in");
        Ok(SignIn {
            token,
            csrf_token,
            worker,
        })
    }

    /// The active worker with this username and password, if there is one. An unknown
    /// username is checked against a decoy hash so that it takes as long as a wrong password.
    async fn check_credentials(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<Worker>, AppError> {
        let worker = self.store.worker_by_username(username).await?;
        let stored_hash = worker
            .as_ref()
            .map_or(DECOY_HASH, |worker| worker.password_hash.as_str());
        let verified = self.passwords.verify(password, stored_hash).await?;
        Ok(worker.filter(|worker| verified && worker.active))
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
        // Write the sliding expiry at most once a minute, not on every request (see
        // `idle_expiry` for why that cannot end a session early).
        if now - session.last_seen_at >= Duration::minutes(TOUCH_INTERVAL_MINUTES) {
            let expires = idle_expiry(now, self.settings.session_idle_minutes);
            self.store.touch_session(&hash, now, expires).await?;
        }
        Ok(Some(SignedIn {
            worker,
            csrf_token: session.csrf_token,
            unread_notifications: 0,
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
    use chrono::TimeZone;

    #[test]
    fn no_idle_setting_overflows_and_the_expiry_allows_for_unrecorded_use() {
        let now = Utc
            .with_ymd_and_hms(2025, 3, 3, 10, 0, 0)
            .single()
            .expect("time");
        assert_eq!(idle_expiry(now, 30), now + Duration::minutes(31));
        assert_eq!(idle_expiry(now, i64::MAX), now + Duration::minutes(1441));
        assert_eq!(idle_expiry(now, i64::MIN), now + Duration::minutes(2));
        let limits = ThrottleSettings {
            per_username: i64::MIN,
            per_client: 0,
            window_minutes: i64::MAX,
        }
        .limits();
        assert_eq!((limits.per_username, limits.per_client), (1, 1));
        assert_eq!(limits.window, Duration::minutes(1440));
    }

    #[test]
    fn lock_times_are_told_in_london_time() {
        // 10:00 UTC in summer is 11:00 in London.
        let now = Utc
            .with_ymd_and_hms(2025, 7, 1, 10, 0, 0)
            .single()
            .expect("time");
        assert_eq!(london_clock(now, now + Duration::minutes(15)), "11:15");
        assert_eq!(
            london_clock(now, now + Duration::hours(20)),
            "07:00 on 2 July"
        );
        assert_eq!(seconds_until(now, now + Duration::seconds(90)), 90);
        assert_eq!(seconds_until(now, now - Duration::seconds(5)), 1);
    }
}
