//! The append-only, hash-chained event log: the audit trail and every child's chronology.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, SecondsFormat, Utc};
use frontdoor_domain::audit::{ChainBreak, ChainEntry, ChainVerifier, GENESIS_HASH};
use frontdoor_domain::authorization::Actor;
use frontdoor_domain::ids::{AuthorityId, PersonId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

/// PostgreSQL advisory-lock keys that serialise appends to each chain.
pub(crate) const EVENT_CHAIN_LOCK: i64 = 0x0046_4452_0001;
pub(crate) const ACCESS_CHAIN_LOCK: i64 = 0x0046_4452_0002;

/// A change to record, in the same transaction as the change itself.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub authority: AuthorityId,
    /// `None` for changes made by the system or by the public (online referral form).
    pub actor: Option<WorkerId>,
    pub recorded_at: DateTime<Utc>,
    /// What happened, e.g. `contact_recorded`, `decision_authorised`.
    pub kind: &'static str,
    /// The record the change was made to.
    pub subject: Uuid,
    /// The people (children and adults) the change concerns: it appears in their chronologies.
    pub people: Vec<PersonId>,
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// A change a signed-in worker made; add the people it concerns with [`NewEvent::about`]
    /// and what changed with [`NewEvent::with`], then [`NewEvent::append`] it.
    pub fn by(
        actor: &Actor,
        recorded_at: DateTime<Utc>,
        kind: &'static str,
        subject: Uuid,
    ) -> Self {
        NewEvent {
            actor: Some(actor.worker),
            ..NewEvent::new(actor.authority, recorded_at, kind, subject)
        }
    }

    /// A change made by the system or by the public (the online referral form); name the worker
    /// with [`NewEvent::recorded_by`] where one made it.
    pub fn new(
        authority: AuthorityId,
        recorded_at: DateTime<Utc>,
        kind: &'static str,
        subject: Uuid,
    ) -> Self {
        NewEvent {
            authority,
            actor: None,
            recorded_at,
            kind,
            subject,
            people: Vec::new(),
            payload: serde_json::Value::Null,
        }
    }

    /// The worker who made the change, if any.
    pub fn recorded_by(mut self, worker: Option<WorkerId>) -> Self {
        self.actor = worker;
        self
    }

    /// A person the change concerns: it appears in their chronology.
    pub fn about(mut self, person: PersonId) -> Self {
        self.people.push(person);
        self
    }

    /// Every person the change concerns.
    pub fn about_all(mut self, people: impl IntoIterator<Item = PersonId>) -> Self {
        self.people.extend(people);
        self
    }

    /// What changed, as the chronology and the audit trail show it.
    pub fn with(mut self, payload: serde_json::Value) -> Self {
        self.payload = payload;
        self
    }

    /// Appends the event in the transaction that makes the change; returns its sequence number.
    pub async fn append(self, tx: &mut Tx) -> Result<i64, StoreError> {
        append(tx, self).await
    }
}

/// A stored event.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub sequence: i64,
    pub id: Uuid,
    pub authority: AuthorityId,
    pub recorded_at: DateTime<Utc>,
    pub actor: Option<WorkerId>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub subject: Uuid,
    pub payload: serde_json::Value,
}

pub(crate) fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn optional_uuid_text(id: Option<Uuid>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// Serialises appends to one chain for the rest of the transaction (PostgreSQL; SQLite's
/// IMMEDIATE transaction already holds the database's single write lock).
pub(crate) async fn lock_chain(tx: &mut Tx, key: i64) -> Result<(), StoreError> {
    if let Tx::Postgres(transaction) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
}

/// Appends an event; returns its sequence number.
pub async fn append(tx: &mut Tx, event: NewEvent) -> Result<i64, StoreError> {
    let mut chain = EventBatch::start(tx).await?;
    let sequence = chain.push(event);
    chain.flush(tx).await?;
    Ok(sequence)
}

/// An event linked into the chain in memory: its sequence, hash and the hash before it.
#[derive(Debug, Clone)]
struct LinkedEvent {
    sequence: i64,
    id: Uuid,
    authority: AuthorityId,
    recorded_at: DateTime<Utc>,
    actor: Option<WorkerId>,
    kind: &'static str,
    subject: Uuid,
    payload: String,
    previous_hash: String,
    hash: String,
    /// The people it concerns, each once, in order.
    people: Vec<PersonId>,
}

impl LinkedEvent {
    /// Links `event` after the entry whose hash is `previous_hash`, as entry `sequence`.
    fn link(event: NewEvent, sequence: i64, previous_hash: String) -> Self {
        let recorded_at = crate::to_stored_instant(event.recorded_at);
        let payload = event.payload.to_string();
        let hash = ChainEntry {
            sequence,
            authority: &event.authority.to_string(),
            recorded_at: &instant_text(recorded_at),
            actor: &optional_uuid_text(event.actor.map(|w| w.0)),
            kind: event.kind,
            subject: &event.subject.to_string(),
            payload: &payload,
        }
        .hash(&previous_hash);
        let mut people = event.people;
        people.sort();
        people.dedup();
        LinkedEvent {
            sequence,
            id: Uuid::now_v7(),
            authority: event.authority,
            recorded_at,
            actor: event.actor,
            kind: event.kind,
            subject: event.subject,
            payload,
            previous_hash,
            hash,
            people,
        }
    }
}

/// Events appended to the chain many at a time, for bulk loads (and, one at a time, by
/// [`append`]): [`EventBatch::start`] takes the chain's lock for the rest of the transaction
/// and reads its head once; [`EventBatch::push`] links each event in memory (sequence and
/// hash worked out in Rust); [`EventBatch::flush`] writes the pending events and their people
/// as multi-row inserts. Every row is what appending the events one by one would write.
///
/// Between `start` and the last `flush` nothing else may append to the event chain in the same
/// transaction (a second writer's sequence would collide, and the insert fail). A new
/// transaction needs a new batch: another writer may have appended in between.
#[derive(Debug)]
pub struct EventBatch {
    next_sequence: i64,
    head_hash: String,
    pending: Vec<LinkedEvent>,
}

impl EventBatch {
    /// Locks the chain for the rest of the transaction and reads its head.
    pub async fn start(tx: &mut Tx) -> Result<Self, StoreError> {
        lock_chain(tx, EVENT_CHAIN_LOCK).await?;
        let (last_sequence, head_hash): (i64, String) = on_tx!(tx, conn => {
            let row = sqlx::query("SELECT sequence, hash FROM events ORDER BY sequence DESC LIMIT 1")
                .fetch_optional(&mut *conn)
                .await?;
            match row {
                Some(row) => (row.try_get("sequence")?, row.try_get("hash")?),
                None => (0, GENESIS_HASH.to_string()),
            }
        });
        Ok(EventBatch {
            next_sequence: last_sequence + 1,
            head_hash,
            pending: Vec::new(),
        })
    }

    /// Links an event after the last one (stored or pending); returns its sequence number.
    pub fn push(&mut self, event: NewEvent) -> i64 {
        let sequence = self.next_sequence;
        let previous = std::mem::take(&mut self.head_hash);
        let linked = LinkedEvent::link(event, sequence, previous);
        self.head_hash = linked.hash.clone();
        self.next_sequence += 1;
        self.pending.push(linked);
        sequence
    }

    /// Events pushed and not yet written.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Writes the pending events, then the people each concerns; returns the rows written.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<u64, StoreError> {
        if self.pending.is_empty() {
            return Ok(0);
        }
        let events = std::mem::take(&mut self.pending);
        let mut written = crate::bulk::insert_many!(
            tx,
            "INSERT INTO events (sequence, id, authority_id, recorded_at, actor_id, kind, subject_id, payload, previous_hash, hash)",
            10,
            "",
            &events,
            |query, event| query
                .bind(event.sequence)
                .bind(event.id)
                .bind(event.authority.0)
                .bind(event.recorded_at)
                .bind(event.actor.map(|w| w.0))
                .bind(event.kind)
                .bind(event.subject)
                .bind(&event.payload)
                .bind(&event.previous_hash)
                .bind(&event.hash)
        );
        let people: Vec<(i64, PersonId, AuthorityId)> = events
            .iter()
            .flat_map(|e| e.people.iter().map(|p| (e.sequence, *p, e.authority)))
            .collect();
        written += crate::bulk::insert_many!(
            tx,
            "INSERT INTO event_people (event_sequence, person_id, authority_id)",
            3,
            "",
            &people,
            |query, row| query.bind(row.0).bind(row.1 .0).bind(row.2 .0)
        );
        Ok(written)
    }
}

/// One stored link of a chain, in the canonical text the hash covers.
pub(crate) struct StoredLink {
    pub sequence: i64,
    pub authority: String,
    pub recorded_at: String,
    pub actor: String,
    pub kind: String,
    pub subject: String,
    pub payload: String,
    pub previous_hash: String,
    pub hash: String,
}

impl StoredLink {
    pub(crate) fn check(&self, verifier: &mut ChainVerifier) -> Result<(), ChainBreak> {
        let entry = ChainEntry {
            sequence: self.sequence,
            authority: &self.authority,
            recorded_at: &self.recorded_at,
            actor: &self.actor,
            kind: &self.kind,
            subject: &self.subject,
            payload: &self.payload,
        };
        verifier.check(&entry, &self.previous_hash, &self.hash)
    }
}

/// The outcome of verifying a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub verified: i64,
    pub first_break: Option<ChainBreak>,
}

impl Store {
    /// Verifies the event log's hash chain from the first entry to the last.
    pub async fn verify_events(&self) -> Result<ChainReport, StoreError> {
        self.verify_chain(
            "SELECT sequence, authority_id, recorded_at, actor_id, kind, subject_id, payload, previous_hash, hash FROM events",
        )
        .await
    }

    /// Walks a chain page by page. `select` names a chain's columns as the event log does
    /// (`sequence, authority_id, recorded_at, actor_id, kind, subject_id, payload,
    /// previous_hash, hash`), so both chains are checked by this one loop.
    pub(crate) async fn verify_chain(&self, select: &str) -> Result<ChainReport, StoreError> {
        let page_sql = format!("{select} WHERE sequence > $1 ORDER BY sequence LIMIT 5000");
        let mut verifier = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let rows: Vec<StoredLink> = on_pool!(self, pool => {
                let rows = sqlx::query(&page_sql).bind(after).fetch_all(pool).await?;
                rows.iter().map(|r| Ok(StoredLink {
                    sequence: r.try_get("sequence")?,
                    authority: r.try_get::<Uuid, _>("authority_id")?.to_string(),
                    recorded_at: instant_text(r.try_get("recorded_at")?),
                    actor: optional_uuid_text(r.try_get("actor_id")?),
                    kind: r.try_get("kind")?,
                    subject: r.try_get::<Uuid, _>("subject_id")?.to_string(),
                    payload: r.try_get("payload")?,
                    previous_hash: r.try_get("previous_hash")?,
                    hash: r.try_get("hash")?,
                })).collect::<Result<Vec<_>, StoreError>>()?
            });
            if rows.is_empty() {
                return Ok(ChainReport {
                    verified: verifier.verified(),
                    first_break: None,
                });
            }
            for link in rows {
                after = link.sequence;
                if let Err(broken) = link.check(&mut verifier) {
                    return Ok(ChainReport {
                        verified: verifier.verified(),
                        first_break: Some(broken),
                    });
                }
            }
        }
    }

    /// A person's chronology: every event that concerns them (or a record merged into
    /// theirs), oldest first.
    pub async fn chronology(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<Event>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT DISTINCT e.sequence, e.id, e.authority_id, e.recorded_at, e.actor_id, w.display_name, e.kind, e.subject_id, e.payload
                 FROM event_people p
                 JOIN events e ON e.sequence = p.event_sequence
                 LEFT JOIN workers w ON w.id = e.actor_id
                 WHERE (p.person_id = $1 OR p.person_id IN (SELECT id FROM people WHERE merged_into = $1 AND authority_id = $2))
                   AND p.authority_id = $2 AND e.authority_id = $2
                 ORDER BY e.sequence",
            )
            .bind(person.0)
            .bind(authority.0)
            .fetch_all(pool)
            .await?;
            rows.iter().map(|row| Ok(Event {
                sequence: row.try_get("sequence")?,
                id: row.try_get("id")?,
                authority: AuthorityId(row.try_get("authority_id")?),
                recorded_at: row.try_get("recorded_at")?,
                actor: row.try_get::<Option<Uuid>, _>("actor_id")?.map(WorkerId),
                actor_name: row.try_get("display_name")?,
                kind: row.try_get("kind")?,
                subject: row.try_get("subject_id")?,
                payload: serde_json::from_str(&row.try_get::<String, _>("payload")?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            })).collect()
        })
    }

    /// Number of events stored (all authorities).
    pub async fn event_count(&self) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM events").fetch_one(pool).await?),
        )
    }
}
