//! The stored likely-duplicates report: the pairs a refresh found, the run's watermark and the
//! lease that keeps two refreshes of one authority from running at once.

use crate::bulk::insert_many;
use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, PersonId};
use sqlx::Row;
use uuid::Uuid;

/// The last refresh of an authority's likely duplicates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DuplicatesRun {
    /// The last event sequence the stored pairs take in (`None`: never computed).
    pub watermark: Option<i64>,
    pub computed_at: Option<DateTime<Utc>>,
    /// People compared in that run.
    pub people: i64,
    /// The matching model's parameters the pairs were scored with (JSON).
    pub parameters: Option<String>,
    pub confident_from: Option<f64>,
    /// A refresh holding the job, and until when.
    pub lease_until: Option<DateTime<Utc>>,
}

/// A stored pair, the earlier person id first.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPair {
    pub first: PersonId,
    pub second: PersonId,
    pub score: f64,
    pub confident: bool,
    /// Each field's part in the score (JSON).
    pub reasons: String,
}

/// Claims the refresh job for `token` until `until`, unless another run holds an unexpired
/// lease (compare-and-set: one statement decides). False when another run holds it.
pub async fn claim_lease(
    tx: &mut Tx,
    authority: AuthorityId,
    token: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let (now, until) = (
        crate::to_stored_instant(now),
        crate::to_stored_instant(until),
    );
    let claimed = on_tx!(tx, conn => {
        sqlx::query("INSERT INTO duplicate_runs (authority_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(authority.0).execute(&mut *conn).await?;
        sqlx::query(
            "UPDATE duplicate_runs SET lease_token = $2, lease_until = $3
             WHERE authority_id = $1 AND (lease_token IS NULL OR lease_until < $4)",
        )
        .bind(authority.0).bind(token).bind(until).bind(now)
        .execute(&mut *conn).await?.rows_affected()
    });
    Ok(claimed == 1)
}

/// Gives the job back without storing anything (a refresh that failed). False when the
/// lease was no longer this run's.
pub async fn release_lease(
    tx: &mut Tx,
    authority: AuthorityId,
    token: Uuid,
) -> Result<bool, StoreError> {
    let released = on_tx!(tx, conn => {
        sqlx::query("UPDATE duplicate_runs SET lease_token = NULL, lease_until = NULL WHERE authority_id = $1 AND lease_token = $2")
            .bind(authority.0).bind(token).execute(&mut *conn).await?.rows_affected()
    });
    Ok(released == 1)
}

/// Stores a refresh's result and gives the job back, if the lease is still `token`'s: the
/// pairs of the `rescored` people are replaced by `pairs` (every pair, when `rescored` is
/// `None`), and the run's watermark moves on. False, with nothing changed, when the lease was
/// lost (it expired and another run claimed it): the caller rolls back.
pub async fn store_result(
    tx: &mut Tx,
    authority: AuthorityId,
    token: Uuid,
    run: &DuplicatesRun,
    rescored: Option<&[PersonId]>,
    pairs: &[StoredPair],
) -> Result<bool, StoreError> {
    let finished = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE duplicate_runs SET watermark = $3, computed_at = $4, people = $5, parameters = $6, confident_from = $7,
                    lease_token = NULL, lease_until = NULL
             WHERE authority_id = $1 AND lease_token = $2",
        )
        .bind(authority.0).bind(token).bind(run.watermark)
        .bind(run.computed_at.map(crate::to_stored_instant)).bind(run.people)
        .bind(&run.parameters).bind(run.confident_from)
        .execute(&mut *conn).await?.rows_affected()
    });
    if finished != 1 {
        return Ok(false);
    }
    match rescored {
        None => on_tx!(tx, conn => {
            sqlx::query("DELETE FROM duplicate_pairs WHERE authority_id = $1")
                .bind(authority.0).execute(&mut *conn).await?;
        }),
        Some(people) => {
            for chunk in people.chunks(500) {
                let list = (0..chunk.len())
                    .map(|i| format!("${}", i + 2))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "DELETE FROM duplicate_pairs WHERE authority_id = $1 AND (first_id IN ({list}) OR second_id IN ({list}))"
                );
                on_tx!(tx, conn => {
                    let mut query = sqlx::query(&sql).bind(authority.0);
                    for person in chunk {
                        query = query.bind(person.0);
                    }
                    query.execute(&mut *conn).await?;
                });
            }
        }
    }
    insert_many!(
        tx,
        "INSERT INTO duplicate_pairs (authority_id, first_id, second_id, score, confident, reasons)",
        6,
        "",
        pairs,
        |query, pair| query
            .bind(authority.0)
            .bind(pair.first.0)
            .bind(pair.second.0)
            .bind(pair.score)
            .bind(pair.confident)
            .bind(&pair.reasons)
    );
    Ok(true)
}

impl Store {
    /// The authority's last refresh (all `None` when never run).
    pub async fn duplicates_run(
        &self,
        authority: AuthorityId,
    ) -> Result<DuplicatesRun, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "SELECT watermark, computed_at, people, parameters, confident_from, lease_until FROM duplicate_runs WHERE authority_id = $1",
            )
            .bind(authority.0).fetch_optional(pool).await?;
            Ok(match row {
                None => DuplicatesRun::default(),
                Some(r) => DuplicatesRun {
                    watermark: r.try_get("watermark")?,
                    computed_at: r.try_get("computed_at")?,
                    people: r.try_get("people")?,
                    parameters: r.try_get("parameters")?,
                    confident_from: r.try_get("confident_from")?,
                    lease_until: r.try_get("lease_until")?,
                },
            })
        })
    }

    /// The strongest stored pairs whose people are both still unmerged, best first.
    pub async fn stored_duplicate_pairs(
        &self,
        authority: AuthorityId,
        limit: i64,
    ) -> Result<Vec<StoredPair>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT d.first_id, d.second_id, d.score, d.confident, d.reasons FROM duplicate_pairs d
                 JOIN people a ON a.id = d.first_id AND a.merged_into IS NULL
                 JOIN people b ON b.id = d.second_id AND b.merged_into IS NULL
                 WHERE d.authority_id = $1 ORDER BY d.score DESC, d.first_id, d.second_id LIMIT $2",
            )
            .bind(authority.0).bind(limit).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(StoredPair {
                first: PersonId(r.try_get("first_id")?),
                second: PersonId(r.try_get("second_id")?),
                score: r.try_get("score")?,
                confident: r.try_get("confident")?,
                reasons: r.try_get("reasons")?,
            })).collect()
        })
    }

    /// The people any event after `after` concerns (created, changed, merged, or named on a
    /// record): the ones a refresh rescores.
    pub async fn people_concerned_since(
        &self,
        authority: AuthorityId,
        after: i64,
    ) -> Result<Vec<PersonId>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT DISTINCT person_id FROM event_people WHERE authority_id = $1 AND event_sequence > $2",
            )
            .bind(authority.0).bind(after).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(PersonId(r.try_get("person_id")?))).collect()
        })
    }

    /// The last event's sequence (0 when there is none).
    pub async fn last_event_sequence(&self) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let last: Option<i64> = sqlx::query_scalar("SELECT MAX(sequence) FROM events")
                .fetch_one(pool).await?;
            Ok(last.unwrap_or(0))
        })
    }
}
