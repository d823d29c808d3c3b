//! Account lifecycle, partner organisations, teams and threshold framework versions: the
//! writes an administrator makes. Each change is a guarded statement (it names the state it
//! expects and reports whether a row changed), run in the caller's transaction with its event.

use crate::events::lock_chain;
use crate::organisation::{worker_from_row, Worker, WORKER_COLUMNS};
use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::decision::ThresholdFramework;
use frontdoor_domain::ids::{AuthorityId, OrganisationId, TeamId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

/// PostgreSQL advisory-lock key that serialises changes to workers' accounts (so "the last
/// active administrator" is counted by one transaction at a time). SQLite's IMMEDIATE
/// transaction already holds the database's single write lock.
const WORKER_ADMINISTRATION_LOCK: i64 = 0x0046_4452_0010;

/// Takes the worker-administration lock for the rest of the transaction. Take it before
/// anything else in the transaction (before appending an event), so locks are always taken
/// in the same order.
pub async fn lock_worker_administration(tx: &mut Tx) -> Result<(), StoreError> {
    lock_chain(tx, WORKER_ADMINISTRATION_LOCK).await
}

/// Reads a worker inside the transaction, locking the row on PostgreSQL.
pub async fn worker_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: WorkerId,
) -> Result<Worker, StoreError> {
    let lock = if tx.is_postgres() {
        // Not FOR UPDATE: that would also block sign-ins (their session row refers to the worker).
        " FOR NO KEY UPDATE"
    } else {
        ""
    };
    let sql =
        format!("SELECT {WORKER_COLUMNS} FROM workers WHERE id = $1 AND authority_id = $2{lock}");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(worker_from_row!(&row)),
            None => Err(StoreError::NotFound("The worker")),
        }
    })
}

/// Active administrators of the authority, counted inside the transaction.
pub async fn active_administrators(tx: &mut Tx, authority: AuthorityId) -> Result<i64, StoreError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT COUNT(*) FROM workers WHERE authority_id = $1 AND role = $2 AND active = $3")
            .bind(authority.0).bind(Role::Administrator.code()).bind(true)
            .fetch_one(&mut *conn).await?
    }))
}

/// Sets a worker active or inactive, only if they are not already: `false` means nothing
/// changed (someone else got there first).
pub async fn set_worker_active(
    tx: &mut Tx,
    authority: AuthorityId,
    id: WorkerId,
    active: bool,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE workers SET active = $1 WHERE id = $2 AND authority_id = $3 AND active = $4")
            .bind(active).bind(id.0).bind(authority.0).bind(!active)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Replaces a worker's password hash.
pub async fn set_worker_password(
    tx: &mut Tx,
    authority: AuthorityId,
    id: WorkerId,
    password_hash: &str,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE workers SET password_hash = $1 WHERE id = $2 AND authority_id = $3")
            .bind(password_hash).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Changes a worker's role, team and organisation, only if they still have the role and team
/// the caller read (`expected_*`): `false` means someone else changed them first.
#[allow(clippy::too_many_arguments)]
pub async fn set_worker_placement(
    tx: &mut Tx,
    authority: AuthorityId,
    id: WorkerId,
    role: Role,
    team: Option<TeamId>,
    organisation: OrganisationId,
    expected_role: Role,
    expected_team: Option<TeamId>,
) -> Result<bool, StoreError> {
    // `team_id = $n` is never true for NULL, so the expected team is compared through a
    // sentinel that no team has.
    let none = Uuid::nil();
    let changed = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE workers SET role = $1, team_id = $2, organisation_id = $3
             WHERE id = $4 AND authority_id = $5 AND role = $6 AND COALESCE(team_id, $7) = $8",
        )
        .bind(role.code()).bind(team.map(|t| t.0)).bind(organisation.0)
        .bind(id.0).bind(authority.0).bind(expected_role.code())
        .bind(none).bind(expected_team.map(|t| t.0).unwrap_or(none))
        .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Ends every session of a worker; returns how many there were.
pub async fn end_worker_sessions(
    tx: &mut Tx,
    authority: AuthorityId,
    id: WorkerId,
) -> Result<u64, StoreError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query("DELETE FROM sessions WHERE worker_id = $1 AND authority_id = $2")
            .bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    }))
}

/// Forgets a username's failed sign-ins (after an administrator resets the password, the
/// worker can sign in at once).
pub async fn clear_sign_in_failures(tx: &mut Tx, username: &str) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM sign_in_failures WHERE username = $1")
            .bind(username).execute(&mut *conn).await?;
    });
    Ok(())
}

/// Deactivates every active worker of an organisation and ends their sessions; returns who
/// was deactivated.
pub async fn deactivate_organisation_workers(
    tx: &mut Tx,
    authority: AuthorityId,
    organisation: OrganisationId,
) -> Result<Vec<WorkerId>, StoreError> {
    let ids: Vec<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM workers WHERE authority_id = $1 AND organisation_id = $2 AND active = $3 ORDER BY id")
            .bind(authority.0).bind(organisation.0).bind(true)
            .fetch_all(&mut *conn).await?
    });
    for id in &ids {
        set_worker_active(tx, authority, WorkerId(*id), false).await?;
        end_worker_sessions(tx, authority, WorkerId(*id)).await?;
    }
    Ok(ids.into_iter().map(WorkerId).collect())
}

/// Whether an organisation is retired, read inside the transaction (`None`: no such
/// organisation in this authority).
pub async fn organisation_retired(
    tx: &mut Tx,
    authority: AuthorityId,
    organisation: OrganisationId,
) -> Result<Option<bool>, StoreError> {
    let row: Option<Option<DateTime<Utc>>> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT retired_at FROM organisations WHERE id = $1 AND authority_id = $2")
            .bind(organisation.0).bind(authority.0)
            .fetch_optional(&mut *conn).await?
    });
    Ok(row.map(|retired_at| retired_at.is_some()))
}

/// Whether a team is retired, read inside the transaction (`None`: no such team).
pub async fn team_retired(
    tx: &mut Tx,
    authority: AuthorityId,
    team: TeamId,
) -> Result<Option<bool>, StoreError> {
    let row: Option<Option<DateTime<Utc>>> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT retired_at FROM teams WHERE id = $1 AND authority_id = $2")
            .bind(team.0).bind(authority.0)
            .fetch_optional(&mut *conn).await?
    });
    Ok(row.map(|retired_at| retired_at.is_some()))
}

/// Renames an organisation or team still in use. `Duplicate` when the name is taken.
pub async fn rename(
    tx: &mut Tx,
    what: Renamed,
    authority: AuthorityId,
    id: Uuid,
    name: &str,
) -> Result<bool, StoreError> {
    let sql = match what {
        Renamed::Organisation => "UPDATE organisations SET name = $1 WHERE id = $2 AND authority_id = $3 AND retired_at IS NULL",
        Renamed::Team => "UPDATE teams SET name = $1 WHERE id = $2 AND authority_id = $3 AND retired_at IS NULL",
    };
    let result = on_tx!(tx, conn => {
        sqlx::query(sql).bind(name).bind(id).bind(authority.0)
            .execute(&mut *conn).await.map(|done| done.rows_affected())
    });
    match result {
        Ok(changed) => Ok(changed == 1),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            Err(StoreError::Duplicate(what.name_field()))
        }
        Err(e) => Err(e.into()),
    }
}

/// What [`rename`] renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renamed {
    Organisation,
    Team,
}

impl Renamed {
    fn name_field(self) -> &'static str {
        match self {
            Renamed::Organisation => "organisation name",
            Renamed::Team => "team name",
        }
    }
}

/// Retires a partner organisation still in use (never the authority's own).
pub async fn retire_organisation(
    tx: &mut Tx,
    authority: AuthorityId,
    organisation: OrganisationId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE organisations SET retired_at = $1 WHERE id = $2 AND authority_id = $3 AND retired_at IS NULL AND kind <> 'local_authority'")
            .bind(at).bind(organisation.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Retires a team still in use: it receives no more contacts.
pub async fn retire_team(
    tx: &mut Tx,
    authority: AuthorityId,
    team: TeamId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE teams SET retired_at = $1, receives_contacts = $2 WHERE id = $3 AND authority_id = $4 AND retired_at IS NULL")
            .bind(at).bind(false).bind(team.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// How many other unretired teams receive contacts, read inside the administration lock (so
/// two retirements at once cannot both see the other team as the one that remains).
pub async fn other_receiving_teams(
    tx: &mut Tx,
    authority: AuthorityId,
    team: TeamId,
) -> Result<i64, StoreError> {
    on_tx!(tx, conn => {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM teams WHERE authority_id = $1 AND id <> $2 AND receives_contacts = $3 AND retired_at IS NULL")
            .bind(authority.0).bind(team.0).bind(true).fetch_one(&mut *conn).await?)
    })
}

/// What still depends on a team: its active workers and its open contacts.
pub async fn team_dependants(
    tx: &mut Tx,
    authority: AuthorityId,
    team: TeamId,
) -> Result<(i64, i64), StoreError> {
    on_tx!(tx, conn => {
        let workers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workers WHERE authority_id = $1 AND team_id = $2 AND active = $3")
            .bind(authority.0).bind(team.0).bind(true).fetch_one(&mut *conn).await?;
        let contacts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE authority_id = $1 AND team_id = $2 AND status <> 'decided'")
            .bind(authority.0).bind(team.0).fetch_one(&mut *conn).await?;
        Ok((workers, contacts))
    })
}

/// One published version of an authority's threshold framework.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FrameworkVersion {
    pub version: i32,
    pub framework: ThresholdFramework,
    pub published_at: DateTime<Utc>,
    pub published_by: Option<WorkerId>,
    pub published_by_name: Option<String>,
}

/// The framework version in force, read inside the transaction. On PostgreSQL the
/// authority's row is share-locked, so a publication waits until this transaction ends (and
/// a decision is never recorded against a version that was replaced while it was written).
pub async fn framework_version_in_force(
    tx: &mut Tx,
    authority: AuthorityId,
) -> Result<i32, StoreError> {
    let lock = if tx.is_postgres() { " FOR SHARE" } else { "" };
    let sql = format!("SELECT threshold_framework_version FROM authorities WHERE id = $1{lock}");
    let version: Option<i32> = on_tx!(tx, conn => {
        sqlx::query_scalar(&sql).bind(authority.0).fetch_optional(&mut *conn).await?
    });
    version.ok_or(StoreError::NotFound("The authority"))
}

/// Publishes `framework` as version `expected + 1`, only if version `expected` is still in
/// force: `false` means another version was published first.
pub async fn publish_framework(
    tx: &mut Tx,
    authority: AuthorityId,
    expected: i32,
    framework: &ThresholdFramework,
    at: DateTime<Utc>,
    by: Option<WorkerId>,
) -> Result<bool, StoreError> {
    let text = serde_json::to_string(framework).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let next = expected + 1;
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE authorities SET threshold_framework = $1, threshold_framework_version = $2 WHERE id = $3 AND threshold_framework_version = $4")
            .bind(&text).bind(next).bind(authority.0).bind(expected)
            .execute(&mut *conn).await?.rows_affected()
    });
    if changed != 1 {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO threshold_framework_versions (authority_id, version, framework, published_at, published_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(authority.0).bind(next).bind(&text).bind(at).bind(by.map(|w| w.0))
            .execute(&mut *conn).await?;
    });
    Ok(true)
}

/// A worker's live sessions: how many, and when the latest began.
#[derive(Debug, Clone, Copy)]
pub struct SessionSummary {
    pub worker: WorkerId,
    pub live: i64,
    pub latest_sign_in: DateTime<Utc>,
}

impl Store {
    /// Every published version of the framework, newest first.
    pub async fn framework_versions(
        &self,
        authority: AuthorityId,
    ) -> Result<Vec<FrameworkVersion>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT v.version, v.framework, v.published_at, v.published_by, w.display_name
                 FROM threshold_framework_versions v LEFT JOIN workers w ON w.id = v.published_by
                 WHERE v.authority_id = $1 ORDER BY v.version DESC",
            )
            .bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(FrameworkVersion {
                version: r.try_get("version")?,
                framework: serde_json::from_str(&r.try_get::<String, _>("framework")?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                published_at: r.try_get("published_at")?,
                published_by: r.try_get::<Option<Uuid>, _>("published_by")?.map(WorkerId),
                published_by_name: r.try_get("display_name")?,
            })).collect()
        })
    }

    /// Live (unexpired) sessions per worker of the authority.
    pub async fn session_summaries(
        &self,
        authority: AuthorityId,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT worker_id, COUNT(*) AS live, MAX(created_at) AS latest FROM sessions
                 WHERE authority_id = $1 AND expires_at > $2 GROUP BY worker_id",
            )
            .bind(authority.0).bind(now).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(SessionSummary {
                worker: WorkerId(r.try_get("worker_id")?),
                live: r.try_get("live")?,
                latest_sign_in: r.try_get("latest")?,
            })).collect()
        })
    }
}

impl Store {
    /// The events recorded about one record (a worker, an organisation, a team), oldest first:
    /// the history an administrator sees on its page.
    pub async fn events_about(
        &self,
        authority: AuthorityId,
        subject: Uuid,
    ) -> Result<Vec<crate::events::Event>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT e.sequence, e.id, e.authority_id, e.recorded_at, e.actor_id, w.display_name, e.kind, e.subject_id, e.payload
                 FROM events e LEFT JOIN workers w ON w.id = e.actor_id
                 WHERE e.subject_id = $1 AND e.authority_id = $2 ORDER BY e.sequence",
            )
            .bind(subject).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(crate::events::Event {
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
}
