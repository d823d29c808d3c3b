//! Notifications: what is waiting for a worker, written in the same transaction as the change
//! that caused it, and the email outbox that tells them (without personal data) to sign in.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Notification {
    pub id: Uuid,
    pub recipient: WorkerId,
    /// `new_information_request`, `information_request_answered`,
    /// `information_request_withdrawn`, `decision_returned`, `authorisation_waiting`.
    pub kind: String,
    /// Where in frontdoor to go (a path).
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// Writes a notification for each recipient, and an email for each that has an address when
/// `email` is true.
pub async fn notify(
    tx: &mut Tx,
    authority: AuthorityId,
    recipients: &[WorkerId],
    kind: &str,
    link: &str,
    at: DateTime<Utc>,
    email: bool,
) -> Result<(), StoreError> {
    for recipient in recipients {
        let id = Uuid::now_v7();
        on_tx!(tx, conn => {
            sqlx::query("INSERT INTO notifications (id, authority_id, recipient_id, kind, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(authority.0).bind(recipient.0).bind(kind).bind(link).bind(at)
                .execute(&mut *conn).await?;
            if email {
                sqlx::query("INSERT INTO email_outbox (id, authority_id, notification_id, recipient_id, created_at, next_attempt_at)
                             SELECT $1, $2, $3, id, $4, $4 FROM workers WHERE id = $5 AND email IS NOT NULL AND email <> ''")
                    .bind(Uuid::now_v7()).bind(authority.0).bind(id).bind(at).bind(recipient.0)
                    .execute(&mut *conn).await?;
            }
        });
    }
    Ok(())
}

/// The team managers (active) of a team: who a recommendation awaiting authorisation waits for.
pub async fn team_managers_in(
    tx: &mut Tx,
    authority: AuthorityId,
    team: Option<frontdoor_domain::ids::TeamId>,
) -> Result<Vec<WorkerId>, StoreError> {
    let Some(team) = team else { return Ok(vec![]) };
    let ids: Vec<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM workers WHERE authority_id = $1 AND team_id = $2 AND role = 'team_manager' AND active ORDER BY id")
            .bind(authority.0).bind(team.0).fetch_all(&mut *conn).await?
    });
    Ok(ids.into_iter().map(WorkerId).collect())
}

/// Sets (or clears) a worker's email address; false when there is no such worker.
pub async fn set_worker_email(
    tx: &mut Tx,
    authority: AuthorityId,
    worker: WorkerId,
    email: Option<&str>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE workers SET email = $1 WHERE id = $2 AND authority_id = $3")
            .bind(email).bind(worker.0).bind(authority.0).execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

impl Store {
    /// The workers of an authority who have an email address for notifications, with it.
    pub async fn worker_emails(
        &self,
        authority: AuthorityId,
    ) -> Result<Vec<(WorkerId, String)>, StoreError> {
        on_pool!(self, pool => {
            let rows: Vec<(Uuid, String)> = sqlx::query_as(
                "SELECT id, email FROM workers WHERE authority_id = $1 AND email IS NOT NULL AND email <> ''",
            )
            .bind(authority.0)
            .fetch_all(pool)
            .await?;
            Ok(rows.into_iter().map(|(id, email)| (WorkerId(id), email)).collect())
        })
    }
}

/// One email waiting to go: the notification's kind and link, and the recipient's address.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub id: Uuid,
    pub to: String,
    pub kind: String,
    pub link: String,
    pub attempts: i32,
}

impl Store {
    /// A worker's notifications, newest first (at most `limit`).
    pub async fn notifications_for(
        &self,
        authority: AuthorityId,
        worker: WorkerId,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!("SELECT id, recipient_id, kind, link, created_at, read_at FROM notifications
                                    WHERE authority_id = $1 AND recipient_id = $2 ORDER BY created_at DESC, id DESC LIMIT {}", limit.clamp(1, 500)))
                .bind(authority.0).bind(worker.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(Notification {
                id: r.try_get("id")?,
                recipient: WorkerId(r.try_get("recipient_id")?),
                kind: r.try_get("kind")?,
                link: r.try_get("link")?,
                created_at: r.try_get("created_at")?,
                read_at: r.try_get("read_at")?,
            })).collect()
        })
    }

    pub async fn unread_notification_count(
        &self,
        authority: AuthorityId,
        worker: WorkerId,
    ) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE authority_id = $1 AND recipient_id = $2 AND read_at IS NULL")
                .bind(authority.0).bind(worker.0).fetch_one(pool).await?
        }))
    }

    /// Marks one of the worker's notifications (or, with `None`, all of them) read.
    pub async fn mark_notifications_read(
        &self,
        authority: AuthorityId,
        worker: WorkerId,
        only: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(on_pool!(self, pool => {
            match only {
                Some(id) => sqlx::query("UPDATE notifications SET read_at = $1 WHERE authority_id = $2 AND recipient_id = $3 AND id = $4 AND read_at IS NULL")
                    .bind(at).bind(authority.0).bind(worker.0).bind(id).execute(pool).await?.rows_affected(),
                None => sqlx::query("UPDATE notifications SET read_at = $1 WHERE authority_id = $2 AND recipient_id = $3 AND read_at IS NULL")
                    .bind(at).bind(authority.0).bind(worker.0).execute(pool).await?.rows_affected(),
            }
        }))
    }

    /// Emails due to be sent at `now`, oldest first.
    pub async fn emails_due(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutgoingEmail>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!("SELECT e.id, w.email, n.kind, n.link, e.attempts FROM email_outbox e
                                    JOIN workers w ON w.id = e.recipient_id JOIN notifications n ON n.id = e.notification_id
                                    WHERE e.sent_at IS NULL AND e.next_attempt_at <= $1 ORDER BY e.next_attempt_at LIMIT {}", limit.clamp(1, 100)))
                .bind(now).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(OutgoingEmail {
                id: r.try_get("id")?,
                to: r.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
                kind: r.try_get("kind")?,
                link: r.try_get("link")?,
                attempts: r.try_get("attempts")?,
            })).collect()
        })
    }

    /// Claims an email for sending until `until`, in one guarded statement: false when another
    /// server (or task) claimed or sent it first, so it is sent once.
    pub async fn claim_email(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => {
            sqlx::query("UPDATE email_outbox SET next_attempt_at = $1 WHERE id = $2 AND sent_at IS NULL AND next_attempt_at <= $3")
                .bind(until).bind(id).bind(now).execute(pool).await?.rows_affected()
        });
        Ok(changed == 1)
    }

    pub async fn email_sent(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
                .bind(at).bind(id).execute(pool).await?;
        });
        Ok(())
    }

    pub async fn email_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE email_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3")
                .bind(error).bind(retry_at).bind(id).execute(pool).await?;
        });
        Ok(())
    }
}
