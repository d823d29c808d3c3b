//! Server-side sign-in sessions (failed sign-ins are in `sign_in_throttle`).
//! Only a hash of each session token is stored, so a copy of the database cannot sign anyone in.

use crate::{on_pool, Store, StoreError};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, WorkerId};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub worker: WorkerId,
    pub authority: AuthorityId,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl Store {
    /// Starts a session, but only if the worker is still active and their password hash is
    /// still the one the password was checked against: a password reset or a deactivation that
    /// lands between the check and this insert must not leave a live session behind. False
    /// (and no session) otherwise.
    pub async fn insert_session(
        &self,
        token_hash: &str,
        session: &SessionRecord,
        checked_password_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let inserted = on_pool!(self, pool => {
            sqlx::query("INSERT INTO sessions (token_hash, worker_id, authority_id, csrf_token, created_at, last_seen_at, expires_at)
                         SELECT $1, w.id, $3, $4, $5, $6, $7 FROM workers w WHERE w.id = $2 AND w.password_hash = $8 AND w.active")
                .bind(token_hash).bind(session.worker.0).bind(session.authority.0).bind(&session.csrf_token)
                .bind(at).bind(at).bind(session.expires_at).bind(checked_password_hash)
                .execute(pool).await?.rows_affected()
        });
        Ok(inserted == 1)
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT worker_id, authority_id, csrf_token, expires_at, last_seen_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash).fetch_optional(pool).await?;
            match row {
                None => Ok(None),
                Some(r) => Ok(Some(SessionRecord {
                    worker: WorkerId(r.try_get("worker_id")?),
                    authority: AuthorityId(r.try_get("authority_id")?),
                    csrf_token: r.try_get("csrf_token")?,
                    expires_at: r.try_get("expires_at")?,
                    last_seen_at: r.try_get("last_seen_at")?,
                })),
            }
        })
    }

    /// Slides the session's idle expiry forward.
    pub async fn touch_session(
        &self,
        token_hash: &str,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
                .bind(at).bind(expires_at).bind(token_hash).execute(pool).await?;
        });
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
        });
        Ok(())
    }

    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(pool).await?.rows_affected()
        }))
    }
}
