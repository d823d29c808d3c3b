//! The append-only, hash-chained log of every read of a child's record.

use crate::events::{instant_text, lock_chain, ChainReport, ACCESS_CHAIN_LOCK};
use crate::{on_pool, on_tx, Store, StoreError};
use chrono::{DateTime, Utc};
use frontdoor_domain::audit::{ChainEntry, GENESIS_HASH};
use frontdoor_domain::ids::{AuthorityId, PersonId, WorkerId};
use sqlx::Row;

const ACCESS_KIND: &str = "record_viewed";

/// One read of a person's record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Access {
    pub sequence: i64,
    pub accessed_at: DateTime<Utc>,
    pub actor: WorkerId,
    pub actor_name: Option<String>,
    pub person: PersonId,
    pub purpose: String,
}

impl Store {
    /// Writes one read of `person`'s record by `actor` to the access log, in its own transaction.
    pub async fn log_access(
        &self,
        authority: AuthorityId,
        actor: WorkerId,
        person: PersonId,
        purpose: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.log_accesses(authority, actor, &[person], purpose, at)
            .await
    }

    /// Writes one read of each person's record by `actor` (a list that shows several children,
    /// such as a return's errors) to the access log, in one transaction.
    pub async fn log_accesses(
        &self,
        authority: AuthorityId,
        actor: WorkerId,
        people: &[PersonId],
        purpose: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if people.is_empty() {
            return Ok(());
        }
        let at = crate::to_stored_instant(at);
        let mut tx = self.begin().await?;
        lock_chain(&mut tx, ACCESS_CHAIN_LOCK).await?;
        let (mut last, mut previous_hash): (i64, String) = on_tx!(&mut tx, conn => {
            match sqlx::query("SELECT sequence, hash FROM access_log ORDER BY sequence DESC LIMIT 1")
                .fetch_optional(&mut *conn)
                .await?
            {
                Some(row) => (row.try_get("sequence")?, row.try_get("hash")?),
                None => (0, GENESIS_HASH.to_string()),
            }
        });
        let (authority_text, actor_text, at_text) =
            (authority.to_string(), actor.to_string(), instant_text(at));
        for person in people {
            let sequence = last + 1;
            let person_text = person.to_string();
            let hash = ChainEntry {
                sequence,
                authority: &authority_text,
                recorded_at: &at_text,
                actor: &actor_text,
                kind: ACCESS_KIND,
                subject: &person_text,
                payload: purpose,
            }
            .hash(&previous_hash);
            on_tx!(&mut tx, conn => {
                sqlx::query(
                    "INSERT INTO access_log (sequence, authority_id, accessed_at, actor_id, person_id, purpose, previous_hash, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(sequence)
                .bind(authority.0)
                .bind(at)
                .bind(actor.0)
                .bind(person.0)
                .bind(purpose)
                .bind(&previous_hash)
                .bind(&hash)
                .execute(&mut *conn)
                .await?;
            });
            last = sequence;
            previous_hash = hash;
        }
        tx.commit().await
    }

    /// Who has read this person's record, newest first.
    pub async fn accesses_of(
        &self,
        authority: AuthorityId,
        person: PersonId,
        limit: i64,
    ) -> Result<Vec<Access>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT a.sequence, a.accessed_at, a.actor_id, w.display_name, a.person_id, a.purpose
                 FROM access_log a LEFT JOIN workers w ON w.id = a.actor_id
                 WHERE a.person_id = $1 AND a.authority_id = $2
                 ORDER BY a.sequence DESC LIMIT $3",
            )
            .bind(person.0)
            .bind(authority.0)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            rows.iter().map(|row| Ok(Access {
                sequence: row.try_get("sequence")?,
                accessed_at: row.try_get("accessed_at")?,
                actor: WorkerId(row.try_get("actor_id")?),
                actor_name: row.try_get("display_name")?,
                person: PersonId(row.try_get("person_id")?),
                purpose: row.try_get("purpose")?,
            })).collect()
        })
    }

    /// Verifies the access log's hash chain (the same walk as the event log's).
    pub async fn verify_access_log(&self) -> Result<ChainReport, StoreError> {
        self.verify_chain(&format!(
            "SELECT sequence, authority_id, accessed_at AS recorded_at, actor_id, CAST('{ACCESS_KIND}' AS TEXT) AS kind,
                    person_id AS subject_id, purpose AS payload, previous_hash, hash FROM access_log"
        ))
        .await
    }
}
