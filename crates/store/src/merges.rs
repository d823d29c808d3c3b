//! Merging duplicate person records, reversibly: what moved is recorded with the merge.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::ids::{AuthorityId, PersonId, WorkerId};
use sqlx::Row;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The tables whose rows point at a person and move with a merge.
pub const PERSON_LINK_TABLES: [&str; 17] = [
    "contact_subjects",
    "referrals",
    "assessments",
    "emergency_actions",
    "episodes",
    "strategy_discussions",
    "section_47_enquiries",
    "conferences",
    "protection_plans",
    "cin_plans",
    "dash_assessments",
    "safety_plans",
    "supervision_children",
    "supervision_actions",
    "cse_screenings",
    "early_help_episodes",
    "case_audits",
];

#[derive(Debug, Clone, serde::Serialize)]
pub struct PersonMerge {
    pub id: Uuid,
    pub authority: AuthorityId,
    pub kept: PersonId,
    pub merged: PersonId,
    /// Table name → ids of the rows moved from `merged` to `kept`.
    pub moved: BTreeMap<String, Vec<Uuid>>,
    pub reason: String,
    pub merged_by: WorkerId,
    pub merged_at: DateTime<Utc>,
    pub reversed_at: Option<DateTime<Utc>>,
}

/// Moves every linked row from one person to another; returns what moved, by table.
pub async fn move_links(
    tx: &mut Tx,
    authority: AuthorityId,
    from: PersonId,
    to: PersonId,
) -> Result<BTreeMap<String, Vec<Uuid>>, StoreError> {
    let mut moved = BTreeMap::new();
    for table in PERSON_LINK_TABLES {
        let ids: Vec<Uuid> = on_tx!(tx, conn => {
            let ids: Vec<Uuid> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE person_id = $1 AND authority_id = $2"))
                .bind(from.0).bind(authority.0).fetch_all(&mut *conn).await?;
            sqlx::query(&format!("UPDATE {table} SET person_id = $1 WHERE person_id = $2 AND authority_id = $3"))
                .bind(to.0).bind(from.0).bind(authority.0).execute(&mut *conn).await?;
            ids
        });
        moved.insert(table.to_string(), ids);
    }
    for column in RELATIONSHIP_COLUMNS {
        let ids = move_relationships(tx, authority, column, from, to).await?;
        moved.insert(format!("relationships.{column}"), ids);
    }
    Ok(moved)
}

/// The two ends of a relationship; each moves with a merge under its own key in `moved`
/// (`relationships.person_id`, `relationships.related_person_id`).
const RELATIONSHIP_COLUMNS: [&str; 2] = ["person_id", "related_person_id"];

/// Moves one end of the merged record's relationships to the kept record, except a
/// relationship between the two records themselves (it would relate the child to themself)
/// and one the kept record already has with the same person, either way round (it would be
/// recorded twice). Those stay on the merged record, which nobody sees, and return with it
/// if the merge is reversed.
async fn move_relationships(
    tx: &mut Tx,
    authority: AuthorityId,
    column: &str,
    from: PersonId,
    to: PersonId,
) -> Result<Vec<Uuid>, StoreError> {
    let other = if column == "person_id" {
        "related_person_id"
    } else {
        "person_id"
    };
    let ids: Vec<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar(&format!(
            "SELECT r.id FROM relationships r WHERE r.authority_id = $1 AND r.{column} = $2 AND r.{other} <> $3 \
             AND NOT EXISTS (SELECT 1 FROM relationships k WHERE k.authority_id = r.authority_id AND k.relationship = r.relationship \
               AND ((k.person_id = $3 AND k.related_person_id = r.{other}) OR (k.related_person_id = $3 AND k.person_id = r.{other})))"
        ))
        .bind(authority.0).bind(from.0).bind(to.0).fetch_all(&mut *conn).await?
    });
    for id in &ids {
        on_tx!(tx, conn => {
            sqlx::query(&format!("UPDATE relationships SET {column} = $1 WHERE id = $2 AND authority_id = $3"))
                .bind(to.0).bind(id).bind(authority.0).execute(&mut *conn).await?;
        });
    }
    Ok(ids)
}

/// The table and person column a key of a merge's `moved` map names, if it is one a merge
/// moves (a stored merge record is checked before anything is moved back by it).
fn link_column(key: &str) -> Option<(&str, &str)> {
    match key.split_once('.') {
        None => PERSON_LINK_TABLES
            .contains(&key)
            .then_some((key, "person_id")),
        Some(("relationships", column)) if RELATIONSHIP_COLUMNS.contains(&column) => {
            Some(("relationships", column))
        }
        Some(_) => None,
    }
}

/// Moves exactly the recorded rows back from `kept` to `to` (reversing a merge). Each row moves
/// only if it still belongs to `kept`; false when any has been linked elsewhere since (the
/// caller rolls back, so nothing half-moves).
pub async fn restore_links(
    tx: &mut Tx,
    authority: AuthorityId,
    moved: &BTreeMap<String, Vec<Uuid>>,
    kept: PersonId,
    to: PersonId,
) -> Result<bool, StoreError> {
    for (key, ids) in moved {
        let Some((table, column)) = link_column(key) else {
            return Err(StoreError::Corrupt(format!(
                "merge record names table {key}"
            )));
        };
        for id in ids {
            let changed = on_tx!(tx, conn => {
                sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2 AND authority_id = $3 AND {column} = $4"))
                    .bind(to.0).bind(id).bind(authority.0).bind(kept.0)
                    .execute(&mut *conn).await?.rows_affected()
            });
            if changed != 1 {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

pub async fn insert_merge(tx: &mut Tx, merge: &PersonMerge) -> Result<(), StoreError> {
    let moved =
        serde_json::to_string(&merge.moved).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO person_merges (id, authority_id, kept_person_id, merged_person_id, moved, reason, merged_by, merged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(merge.id).bind(merge.authority.0).bind(merge.kept.0).bind(merge.merged.0).bind(&moved)
            .bind(&merge.reason).bind(merge.merged_by.0).bind(merge.merged_at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Marks a merge reversed; false if it was already (so two reversals cannot both run).
pub async fn mark_reversed(
    tx: &mut Tx,
    authority: AuthorityId,
    merge: Uuid,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE person_merges SET reversed_by = $1, reversed_at = $2 WHERE id = $3 AND authority_id = $4 AND reversed_at IS NULL")
            .bind(by.0).bind(at).bind(merge).bind(authority.0).execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

impl Store {
    /// The merges a person took part in (kept or merged), newest first.
    pub async fn merges_of(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<PersonMerge>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, authority_id, kept_person_id, merged_person_id, moved, reason, merged_by, merged_at, reversed_at FROM person_merges WHERE authority_id = $1 AND (kept_person_id = $2 OR merged_person_id = $2) ORDER BY merged_at DESC")
                .bind(authority.0).bind(person.0).fetch_all(pool).await?;
            rows.iter().map(|r| {
                let moved: String = r.try_get("moved")?;
                Ok(PersonMerge {
                    id: r.try_get("id")?,
                    authority: AuthorityId(r.try_get("authority_id")?),
                    kept: PersonId(r.try_get("kept_person_id")?),
                    merged: PersonId(r.try_get("merged_person_id")?),
                    moved: serde_json::from_str(&moved).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    reason: r.try_get("reason")?,
                    merged_by: WorkerId(r.try_get("merged_by")?),
                    merged_at: r.try_get("merged_at")?,
                    reversed_at: r.try_get("reversed_at")?,
                })
            }).collect()
        })
    }
}

impl Store {
    /// The merged person of a merge, if the merge exists in this authority.
    pub async fn merge_person(
        &self,
        authority: AuthorityId,
        merge: Uuid,
    ) -> Result<Option<PersonId>, StoreError> {
        let id: Option<Uuid> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT merged_person_id FROM person_merges WHERE id = $1 AND authority_id = $2")
                .bind(merge).bind(authority.0).fetch_optional(pool).await?
        });
        Ok(id.map(PersonId))
    }
}
