//! The record of sign-in attempts that throttles password guessing.
//!
//! An attempt is recorded *before* its password is checked, in the same transaction as the
//! count that allows it (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL an advisory lock taken
//! first). Simultaneous guesses therefore queue on that transaction, and each sees the
//! attempts recorded before it: of any number of simultaneous guesses for one username, at
//! most the limit are ever evaluated. A recorded attempt counts as a failure until it is shown
//! to be a success, when its row is removed.

use crate::events::lock_chain;
use crate::{on_pool, on_tx, Store, StoreError};
use chrono::{DateTime, Duration, Utc};

/// PostgreSQL advisory-lock key that serialises the count-and-record of sign-in attempts.
const SIGN_IN_THROTTLE_LOCK: i64 = 0x0046_4452_5349;

/// How many attempts are allowed in a window, per username and per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptLimits {
    pub per_username: i64,
    pub per_client: i64,
    pub window: Duration,
}

/// Whether an attempt may go on to have its password checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Recorded (as a failure, until [`Store::sign_in_attempt_succeeded`] says otherwise).
    Granted(SignInAttempt),
    /// This username has had `failures` failed (or unfinished) attempts in the window; it
    /// may be tried again at `until`.
    UsernameLocked { failures: i64, until: DateTime<Utc> },
    /// This client address has reached its limit; it may try again at `until`.
    ClientLocked { failures: i64, until: DateTime<Utc> },
}

/// A recorded attempt, whose row is removed if the password turns out to be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInAttempt(i64);

impl Store {
    /// Counts this username's and this client's failed (or unfinished) attempts in the window
    /// and, if both are under their limits, records this attempt — as one atomic step.
    pub async fn reserve_sign_in_attempt(
        &self,
        username: &str,
        client: &str,
        at: DateTime<Utc>,
        limits: AttemptLimits,
    ) -> Result<Reservation, StoreError> {
        let at = crate::to_stored_instant(at);
        let since = at - limits.window;
        let mut tx = self.begin().await?;
        lock_chain(&mut tx, SIGN_IN_THROTTLE_LOCK).await?;
        let reservation = on_tx!(&mut tx, conn => {
            let by_username: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE username = $1 AND failed_at >= $2 AND NOT cleared_by_sign_in")
                .bind(username).bind(since).fetch_one(&mut *conn).await?;
            let by_client: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE client = $1 AND failed_at >= $2")
                .bind(client).bind(since).fetch_one(&mut *conn).await?;
            if by_username >= limits.per_username {
                // Unlocked when the oldest of the most recent `per_username` leaves the window.
                let oldest: Option<DateTime<Utc>> = sqlx::query_scalar("SELECT failed_at FROM sign_in_failures WHERE username = $1 AND failed_at >= $2 AND NOT cleared_by_sign_in ORDER BY failed_at DESC LIMIT 1 OFFSET $3")
                    .bind(username).bind(since).bind(limits.per_username.max(1) - 1).fetch_optional(&mut *conn).await?;
                Reservation::UsernameLocked { failures: by_username, until: oldest.unwrap_or(at) + limits.window }
            } else if by_client >= limits.per_client {
                let oldest: Option<DateTime<Utc>> = sqlx::query_scalar("SELECT failed_at FROM sign_in_failures WHERE client = $1 AND failed_at >= $2 ORDER BY failed_at DESC LIMIT 1 OFFSET $3")
                    .bind(client).bind(since).bind(limits.per_client.max(1) - 1).fetch_optional(&mut *conn).await?;
                Reservation::ClientLocked { failures: by_client, until: oldest.unwrap_or(at) + limits.window }
            } else {
                let id: i64 = sqlx::query_scalar("INSERT INTO sign_in_failures (username, client, failed_at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(username).bind(client).bind(at).fetch_one(&mut *conn).await?;
                Reservation::Granted(SignInAttempt(id))
            }
        });
        if matches!(reservation, Reservation::Granted(_)) {
            tx.commit().await?;
        }
        Ok(reservation)
    }

    /// The password was right: the attempt is not a failure, and the username's earlier
    /// failures stop counting against it (they still count against their addresses).
    pub async fn sign_in_attempt_succeeded(
        &self,
        attempt: SignInAttempt,
        username: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, conn => {
            sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
                .bind(attempt.0).execute(&mut *conn).await?;
            sqlx::query("UPDATE sign_in_failures SET cleared_by_sign_in = $1 WHERE username = $2 AND NOT cleared_by_sign_in")
                .bind(true).bind(username).execute(&mut *conn).await?;
        });
        tx.commit().await
    }

    /// The attempt could not be evaluated (the server was too busy, or failed): it is not
    /// counted as a failure.
    pub async fn sign_in_attempt_abandoned(
        &self,
        attempt: SignInAttempt,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sign_in_failures WHERE id = $1").bind(attempt.0).execute(pool).await?;
        });
        Ok(())
    }

    /// Failed attempts recorded for a username since `since` (whether or not a later sign-in
    /// cleared them): for operators and tests.
    pub async fn sign_in_failures_for(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE username = $1 AND failed_at >= $2")
                .bind(username).bind(since).fetch_one(pool).await?
        }))
    }
}
