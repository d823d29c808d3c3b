//! Case supervision: supervisions, the children discussed, the actions agreed (and what later
//! supervisions did with them), and the reads behind the drift report and the child's record.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{
    AuthorityId, EpisodeId, PersonId, SupervisionActionId, SupervisionId, TeamId, WorkerId,
};
use frontdoor_domain::supervision::{ActionStatus, ReviewOutcome};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// An action agreed in a supervision, as it stands now.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionAction {
    pub id: SupervisionActionId,
    /// The supervision that agreed it, and when that was held.
    pub supervision: SupervisionId,
    pub agreed_on: NaiveDate,
    /// The worker whose supervision agreed it.
    pub supervised_worker: WorkerId,
    pub supervised_worker_name: String,
    pub person: PersonId,
    pub child_name: String,
    pub episode: EpisodeId,
    /// The supervised worker's team when it was agreed.
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub description: String,
    pub owner: WorkerId,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
    /// Later supervisions it was carried into unfinished.
    pub times_carried: i32,
    pub completed_on: Option<NaiveDate>,
    pub completed_by_name: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub completion_note: String,
    pub closed_by_name: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closure_reason: String,
}

/// A child discussed at a supervision.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionChild {
    pub person: PersonId,
    pub child_name: String,
    pub episode: EpisodeId,
    pub risks_reviewed: String,
    pub decisions: String,
}

/// What a supervision did with an action open from an earlier one.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionReview {
    pub supervision: SupervisionId,
    pub held_on: NaiveDate,
    pub action: SupervisionActionId,
    pub description: String,
    pub child_name: String,
    pub outcome: ReviewOutcome,
    pub reason: String,
    pub due_on_before: NaiveDate,
    pub due_on_after: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Supervision {
    pub id: SupervisionId,
    pub authority: AuthorityId,
    pub worker: WorkerId,
    pub worker_name: String,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub supervisor: WorkerId,
    pub supervisor_name: String,
    pub held_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub children: Vec<SupervisionChild>,
    /// The actions it agreed, as they stand now.
    pub actions: Vec<SupervisionAction>,
    /// What it did with earlier actions still open.
    pub reviews: Vec<SupervisionReview>,
}

/// A supervision in a list.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionSummary {
    pub id: SupervisionId,
    pub held_on: NaiveDate,
    pub worker: WorkerId,
    pub worker_name: String,
    pub supervisor_name: String,
    pub children: i64,
    pub actions: i64,
}

/// A child's part of a supervision, seen from the child's record.
#[derive(Debug, Clone, Serialize)]
pub struct ChildDiscussion {
    pub supervision: SupervisionId,
    pub held_on: NaiveDate,
    pub worker_name: String,
    pub supervisor_name: String,
    pub risks_reviewed: String,
    pub decisions: String,
}

/// A child on a worker's caseload: an open episode allocated to them.
#[derive(Debug, Clone, Serialize)]
pub struct CaseloadChild {
    pub episode: EpisodeId,
    pub person: PersonId,
    pub child_name: String,
    pub referral_date: NaiveDate,
}

/// A supervision to store.
pub struct NewSupervision<'a> {
    pub id: SupervisionId,
    pub authority: AuthorityId,
    pub worker: WorkerId,
    pub team: Option<TeamId>,
    pub supervisor: WorkerId,
    pub held_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub children: &'a [NewChild],
    pub actions: &'a [NewAction],
}

pub struct NewChild {
    pub person: PersonId,
    pub episode: EpisodeId,
    pub risks_reviewed: String,
    pub decisions: String,
}

pub struct NewAction {
    pub id: SupervisionActionId,
    pub person: PersonId,
    pub episode: EpisodeId,
    pub description: String,
    pub owner: WorkerId,
    pub due_on: NaiveDate,
}

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} '{code}' in a supervision"))
}

fn name(given: String, family: String) -> String {
    format!("{given} {family}").trim().to_string()
}

const ACTION_COLUMNS: &str = "a.id, a.supervision_id, s.held_on AS agreed_on, s.worker_id AS supervised_worker, sw.display_name AS supervised_worker_name,
    a.person_id, p.given_name, p.family_name, a.episode_id, a.team_id, t.name AS team_name, a.description, a.owner_id, o.display_name AS owner_name,
    a.due_on, a.status, a.times_carried, a.completed_on, cb.display_name AS completed_by_name, a.completed_at, a.completion_note,
    xb.display_name AS closed_by_name, a.closed_at, a.closure_reason";
const ACTION_FROM: &str = "FROM supervision_actions a JOIN supervisions s ON s.id = a.supervision_id
    JOIN workers sw ON sw.id = s.worker_id JOIN people p ON p.id = a.person_id LEFT JOIN teams t ON t.id = a.team_id
    JOIN workers o ON o.id = a.owner_id LEFT JOIN workers cb ON cb.id = a.completed_by LEFT JOIN workers xb ON xb.id = a.closed_by";

macro_rules! action_from_row {
    ($r:expr) => {{
        let r = $r;
        let status: String = r.try_get("status")?;
        SupervisionAction {
            id: SupervisionActionId(r.try_get("id")?),
            supervision: SupervisionId(r.try_get("supervision_id")?),
            agreed_on: r.try_get("agreed_on")?,
            supervised_worker: WorkerId(r.try_get("supervised_worker")?),
            supervised_worker_name: r.try_get("supervised_worker_name")?,
            person: PersonId(r.try_get("person_id")?),
            child_name: name(r.try_get("given_name")?, r.try_get("family_name")?),
            episode: EpisodeId(r.try_get("episode_id")?),
            team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            team_name: r.try_get("team_name")?,
            description: r.try_get("description")?,
            owner: WorkerId(r.try_get("owner_id")?),
            owner_name: r.try_get("owner_name")?,
            due_on: r.try_get("due_on")?,
            status: ActionStatus::from_code(&status).ok_or_else(|| corrupt("status", &status))?,
            times_carried: r.try_get("times_carried")?,
            completed_on: r.try_get("completed_on")?,
            completed_by_name: r.try_get("completed_by_name")?,
            completed_at: r.try_get("completed_at")?,
            completion_note: r.try_get("completion_note")?,
            closed_by_name: r.try_get("closed_by_name")?,
            closed_at: r.try_get("closed_at")?,
            closure_reason: r.try_get("closure_reason")?,
        }
    }};
}

macro_rules! review_from_row {
    ($r:expr) => {{
        let r = $r;
        let outcome: String = r.try_get("outcome")?;
        SupervisionReview {
            supervision: SupervisionId(r.try_get("supervision_id")?),
            held_on: r.try_get("held_on")?,
            action: SupervisionActionId(r.try_get("action_id")?),
            description: r.try_get("description")?,
            child_name: name(r.try_get("given_name")?, r.try_get("family_name")?),
            outcome: ReviewOutcome::from_code(&outcome)
                .ok_or_else(|| corrupt("outcome", &outcome))?,
            reason: r.try_get("reason")?,
            due_on_before: r.try_get("due_on_before")?,
            due_on_after: r.try_get("due_on_after")?,
        }
    }};
}

/// Holds the supervised worker's row for the transaction (PostgreSQL; SQLite's write
/// transaction already holds the database), so two supervisions of one worker recorded at once
/// review their open actions one after the other.
pub async fn hold_worker(
    tx: &mut Tx,
    authority: AuthorityId,
    worker: WorkerId,
) -> Result<(), StoreError> {
    if tx.is_postgres() {
        on_tx!(tx, conn => {
            sqlx::query("SELECT id FROM workers WHERE id = $1 AND authority_id = $2 FOR UPDATE")
                .bind(worker.0).bind(authority.0).fetch_optional(&mut *conn).await?;
        });
    }
    Ok(())
}

/// The date of the worker's latest supervision, read in the transaction.
pub async fn latest_held_on(
    tx: &mut Tx,
    authority: AuthorityId,
    worker: WorkerId,
) -> Result<Option<NaiveDate>, StoreError> {
    on_tx!(tx, conn => {
        let row = sqlx::query("SELECT held_on FROM supervisions WHERE worker_id = $1 AND authority_id = $2 ORDER BY held_on DESC LIMIT 1")
            .bind(worker.0).bind(authority.0).fetch_optional(&mut *conn).await?;
        Ok(match row { Some(r) => Some(r.try_get("held_on")?), None => None })
    })
}

/// The actions still open from the worker's supervisions, read in the transaction (due
/// soonest first: the order the form shows them).
pub async fn open_actions_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    worker: WorkerId,
) -> Result<Vec<SupervisionAction>, StoreError> {
    let sql = format!("SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE s.worker_id = $1 AND a.authority_id = $2 AND a.status = 'open' ORDER BY a.due_on, a.id");
    on_tx!(tx, conn => {
        let rows = sqlx::query(&sql).bind(worker.0).bind(authority.0).fetch_all(&mut *conn).await?;
        rows.iter().map(|r| Ok(action_from_row!(r))).collect()
    })
}

/// Stores a supervision with its children and the actions it agreed (open, never carried).
pub async fn insert(tx: &mut Tx, s: &NewSupervision<'_>) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO supervisions (id, authority_id, worker_id, team_id, supervisor_id, held_on, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(s.id.0).bind(s.authority.0).bind(s.worker.0).bind(s.team.map(|t| t.0))
            .bind(s.supervisor.0).bind(s.held_on).bind(to_stored_instant(s.recorded_at))
            .execute(&mut *conn).await?;
        for (position, c) in s.children.iter().enumerate() {
            sqlx::query("INSERT INTO supervision_children (id, authority_id, supervision_id, person_id, episode_id, position, risks_reviewed, decisions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(Uuid::now_v7()).bind(s.authority.0).bind(s.id.0).bind(c.person.0).bind(c.episode.0)
                .bind(position as i32).bind(&c.risks_reviewed).bind(&c.decisions)
                .execute(&mut *conn).await?;
        }
        for (position, a) in s.actions.iter().enumerate() {
            sqlx::query("INSERT INTO supervision_actions (id, authority_id, supervision_id, person_id, episode_id, team_id, position, description, owner_id, due_on, status, times_carried, completion_note, closure_reason)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', 0, '', '')")
                .bind(a.id.0).bind(s.authority.0).bind(s.id.0).bind(a.person.0).bind(a.episode.0)
                .bind(s.team.map(|t| t.0)).bind(position as i32).bind(&a.description).bind(a.owner.0).bind(a.due_on)
                .execute(&mut *conn).await?;
        }
    });
    Ok(())
}

/// Records what a supervision did with an earlier action, and applies it in one guarded
/// statement: the action must still be open and carried as often as when it was read (so two
/// supervisions cannot both carry it, nor one carry what another closed). False when it was
/// not.
#[allow(clippy::too_many_arguments)]
pub async fn review_action(
    tx: &mut Tx,
    authority: AuthorityId,
    supervision: SupervisionId,
    position: usize,
    action: &SupervisionAction,
    outcome: ReviewOutcome,
    reason: &str,
    due_on_after: NaiveDate,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        match outcome {
            ReviewOutcome::CarryForward => sqlx::query("UPDATE supervision_actions SET times_carried = times_carried + 1, due_on = $1 WHERE id = $2 AND authority_id = $3 AND status = 'open' AND times_carried = $4")
                .bind(due_on_after).bind(action.id.0).bind(authority.0).bind(action.times_carried)
                .execute(&mut *conn).await?.rows_affected(),
            ReviewOutcome::Close => sqlx::query("UPDATE supervision_actions SET status = 'closed', closed_by = $1, closed_at = $2, closure_reason = $3 WHERE id = $4 AND authority_id = $5 AND status = 'open' AND times_carried = $6")
                .bind(by.0).bind(to_stored_instant(at)).bind(reason).bind(action.id.0).bind(authority.0).bind(action.times_carried)
                .execute(&mut *conn).await?.rows_affected(),
        }
    });
    if changed != 1 {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO supervision_reviews (id, authority_id, supervision_id, action_id, position, outcome, reason, due_on_before, due_on_after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(Uuid::now_v7()).bind(authority.0).bind(supervision.0).bind(action.id.0).bind(position as i32)
            .bind(outcome.code()).bind(reason).bind(action.due_on).bind(due_on_after)
            .execute(&mut *conn).await?;
    });
    Ok(true)
}

/// Completes an open action in one guarded statement; false when it was no longer open.
pub async fn complete(
    tx: &mut Tx,
    authority: AuthorityId,
    action: SupervisionActionId,
    by: WorkerId,
    at: DateTime<Utc>,
    completed_on: NaiveDate,
    note: &str,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE supervision_actions SET status = 'completed', completed_by = $1, completed_at = $2, completed_on = $3, completion_note = $4 WHERE id = $5 AND authority_id = $6 AND status = 'open'")
            .bind(by.0).bind(to_stored_instant(at)).bind(completed_on).bind(note).bind(action.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

const SUMMARY: &str = "SELECT s.id, s.held_on, s.worker_id, w.display_name AS worker_name, m.display_name AS supervisor_name,
    (SELECT COUNT(*) FROM supervision_children c WHERE c.supervision_id = s.id) AS children,
    (SELECT COUNT(*) FROM supervision_actions a WHERE a.supervision_id = s.id) AS actions
    FROM supervisions s JOIN workers w ON w.id = s.worker_id JOIN workers m ON m.id = s.supervisor_id";

impl Store {
    /// One supervision with its children, the actions it agreed and its reviews.
    pub async fn supervision(
        &self,
        authority: AuthorityId,
        id: SupervisionId,
    ) -> Result<Supervision, StoreError> {
        let actions_sql = format!("SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE a.supervision_id = $1 AND a.authority_id = $2 ORDER BY a.position");
        on_pool!(self, pool => {
            let row = sqlx::query(
                "SELECT s.worker_id, w.display_name AS worker_name, s.team_id, t.name AS team_name, s.supervisor_id, m.display_name AS supervisor_name, s.held_on, s.recorded_at
                 FROM supervisions s JOIN workers w ON w.id = s.worker_id JOIN workers m ON m.id = s.supervisor_id LEFT JOIN teams t ON t.id = s.team_id
                 WHERE s.id = $1 AND s.authority_id = $2",
            )
            .bind(id.0).bind(authority.0).fetch_optional(pool).await?
            .ok_or(StoreError::NotFound("The supervision"))?;
            let children = sqlx::query(
                "SELECT c.person_id, p.given_name, p.family_name, c.episode_id, c.risks_reviewed, c.decisions
                 FROM supervision_children c JOIN people p ON p.id = c.person_id
                 WHERE c.supervision_id = $1 AND c.authority_id = $2 ORDER BY c.position",
            )
            .bind(id.0).bind(authority.0).fetch_all(pool).await?
            .iter()
            .map(|r| Ok(SupervisionChild {
                person: PersonId(r.try_get("person_id")?),
                child_name: name(r.try_get("given_name")?, r.try_get("family_name")?),
                episode: EpisodeId(r.try_get("episode_id")?),
                risks_reviewed: r.try_get("risks_reviewed")?,
                decisions: r.try_get("decisions")?,
            }))
            .collect::<Result<Vec<_>, StoreError>>()?;
            let actions = sqlx::query(&actions_sql).bind(id.0).bind(authority.0).fetch_all(pool).await?
                .iter().map(|r| Ok(action_from_row!(r))).collect::<Result<Vec<_>, StoreError>>()?;
            let reviews = sqlx::query(
                "SELECT r.supervision_id, s.held_on, r.action_id, a.description, p.given_name, p.family_name, r.outcome, r.reason, r.due_on_before, r.due_on_after
                 FROM supervision_reviews r JOIN supervisions s ON s.id = r.supervision_id JOIN supervision_actions a ON a.id = r.action_id JOIN people p ON p.id = a.person_id
                 WHERE r.supervision_id = $1 AND r.authority_id = $2 ORDER BY r.position",
            )
            .bind(id.0).bind(authority.0).fetch_all(pool).await?
            .iter().map(|r| Ok(review_from_row!(r))).collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Supervision {
                id,
                authority,
                worker: WorkerId(row.try_get("worker_id")?),
                worker_name: row.try_get("worker_name")?,
                team: row.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                team_name: row.try_get("team_name")?,
                supervisor: WorkerId(row.try_get("supervisor_id")?),
                supervisor_name: row.try_get("supervisor_name")?,
                held_on: row.try_get("held_on")?,
                recorded_at: row.try_get("recorded_at")?,
                children,
                actions,
                reviews,
            })
        })
    }

    /// Supervisions, most recent first: of one worker, or of a team's workers, or (neither) the
    /// whole authority's.
    pub async fn supervisions(
        &self,
        authority: AuthorityId,
        worker: Option<WorkerId>,
        team: Option<TeamId>,
        limit: i64,
    ) -> Result<Vec<SupervisionSummary>, StoreError> {
        let (condition, value) = match (worker, team) {
            (Some(w), _) => ("s.worker_id = $2", w.0),
            (None, Some(t)) => ("s.team_id = $2", t.0),
            (None, None) => ("s.authority_id = $2", authority.0),
        };
        let sql = format!("{SUMMARY} WHERE s.authority_id = $1 AND {condition} ORDER BY s.held_on DESC, s.recorded_at DESC LIMIT {limit}");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(authority.0).bind(value).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(SupervisionSummary {
                id: SupervisionId(r.try_get("id")?),
                held_on: r.try_get("held_on")?,
                worker: WorkerId(r.try_get("worker_id")?),
                worker_name: r.try_get("worker_name")?,
                supervisor_name: r.try_get("supervisor_name")?,
                children: r.try_get("children")?,
                actions: r.try_get("actions")?,
            })).collect()
        })
    }

    pub async fn supervision_action(
        &self,
        authority: AuthorityId,
        id: SupervisionActionId,
    ) -> Result<SupervisionAction, StoreError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE a.id = $1 AND a.authority_id = $2"
        );
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(r) => Ok(action_from_row!(&r)),
                None => Err(StoreError::NotFound("The supervision action")),
            }
        })
    }

    /// Supervision actions chosen by `which`, due soonest first.
    pub async fn supervision_actions(
        &self,
        authority: AuthorityId,
        which: ActionsOf,
    ) -> Result<Vec<SupervisionAction>, StoreError> {
        let (condition, value, today) = which.condition();
        let sql = format!("SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE a.authority_id = $1 AND {condition} ORDER BY a.due_on, a.id");
        on_pool!(self, pool => {
            let mut query = sqlx::query(&sql).bind(authority.0);
            if let Some(value) = value {
                query = query.bind(value);
            }
            if let Some(today) = today {
                query = query.bind(today);
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter().map(|r| Ok(action_from_row!(r))).collect()
        })
    }

    /// What later supervisions did with an action, earliest first.
    pub async fn reviews_of_action(
        &self,
        authority: AuthorityId,
        action: SupervisionActionId,
    ) -> Result<Vec<SupervisionReview>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT r.supervision_id, s.held_on, r.action_id, a.description, p.given_name, p.family_name, r.outcome, r.reason, r.due_on_before, r.due_on_after
                 FROM supervision_reviews r JOIN supervisions s ON s.id = r.supervision_id JOIN supervision_actions a ON a.id = r.action_id JOIN people p ON p.id = a.person_id
                 WHERE r.action_id = $1 AND r.authority_id = $2 ORDER BY s.held_on, r.id",
            )
            .bind(action.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(review_from_row!(r))).collect()
        })
    }

    /// The supervisions that discussed a child, most recent first.
    pub async fn supervision_of_child(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<ChildDiscussion>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT s.id, s.held_on, w.display_name AS worker_name, m.display_name AS supervisor_name, c.risks_reviewed, c.decisions
                 FROM supervision_children c JOIN supervisions s ON s.id = c.supervision_id
                 JOIN workers w ON w.id = s.worker_id JOIN workers m ON m.id = s.supervisor_id
                 WHERE c.person_id = $1 AND c.authority_id = $2 ORDER BY s.held_on DESC, s.recorded_at DESC",
            )
            .bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(ChildDiscussion {
                supervision: SupervisionId(r.try_get("id")?),
                held_on: r.try_get("held_on")?,
                worker_name: r.try_get("worker_name")?,
                supervisor_name: r.try_get("supervisor_name")?,
                risks_reviewed: r.try_get("risks_reviewed")?,
                decisions: r.try_get("decisions")?,
            })).collect()
        })
    }

    /// The children on a worker's caseload: their open episodes, by child's name.
    pub async fn caseload(
        &self,
        authority: AuthorityId,
        worker: WorkerId,
    ) -> Result<Vec<CaseloadChild>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT e.id, e.person_id, e.referral_date, p.given_name, p.family_name FROM episodes e JOIN people p ON p.id = e.person_id
                 WHERE e.worker_id = $1 AND e.authority_id = $2 AND e.closed_on IS NULL
                 ORDER BY p.family_name, p.given_name, e.referral_date",
            )
            .bind(worker.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(CaseloadChild {
                episode: EpisodeId(r.try_get("id")?),
                person: PersonId(r.try_get("person_id")?),
                child_name: name(r.try_get("given_name")?, r.try_get("family_name")?),
                referral_date: r.try_get("referral_date")?,
            })).collect()
        })
    }
}

/// Which supervision actions to read.
#[derive(Debug, Clone, Copy)]
pub enum ActionsOf {
    /// Open actions a worker owns.
    OpenOwnedBy(WorkerId),
    /// Open actions of a worker's supervisions (to review at their next one).
    OpenFromSupervisionsOf(WorkerId),
    /// Every action about a child.
    Child(PersonId),
    /// Open actions past due (before `today`) or carried forward: of one team, or all.
    Drifting {
        team: Option<TeamId>,
        today: NaiveDate,
    },
}

impl ActionsOf {
    /// The condition, with the value bound as `$2` (if any) and the date after it.
    fn condition(self) -> (&'static str, Option<Uuid>, Option<NaiveDate>) {
        match self {
            ActionsOf::OpenOwnedBy(w) => ("a.owner_id = $2 AND a.status = 'open'", Some(w.0), None),
            ActionsOf::OpenFromSupervisionsOf(w) => {
                ("s.worker_id = $2 AND a.status = 'open'", Some(w.0), None)
            }
            ActionsOf::Child(p) => ("a.person_id = $2", Some(p.0), None),
            ActionsOf::Drifting {
                team: Some(t),
                today,
            } => (
                "a.team_id = $2 AND a.status = 'open' AND (a.due_on < $3 OR a.times_carried > 0)",
                Some(t.0),
                Some(today),
            ),
            ActionsOf::Drifting { team: None, today } => (
                "a.status = 'open' AND (a.due_on < $2 OR a.times_carried > 0)",
                None,
                Some(today),
            ),
        }
    }
}
