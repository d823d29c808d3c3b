//! Child and family assessments: one row per assessment (created only by [`insert`]), its
//! visits, the reasons given for missing quality points, and the guarded workflow transitions
//! (submit, authorise, return) that report a lost race as `false`.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::assessment::{
    parse_factors, AssessmentFactor, AssessmentOutcome, AssessmentState, AssessmentVisit,
    QualityPoint,
};
use frontdoor_domain::ids::{
    AssessmentId, AuthorityId, EpisodeId, PersonId, ReferralId, TeamId, WorkerId,
};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;
use uuid::Uuid;

/// An assessment as it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub id: AssessmentId,
    pub authority: AuthorityId,
    pub person: PersonId,
    pub child_name: String,
    pub episode: Option<EpisodeId>,
    pub referral: Option<ReferralId>,
    pub referral_date: Option<NaiveDate>,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub worker: Option<WorkerId>,
    pub worker_name: Option<String>,
    pub started_on: NaiveDate,
    /// 45 working days from the referral date (not kept for assessments loaded before 0018).
    pub due_on: Option<NaiveDate>,
    pub state: AssessmentState,
    /// Another assessment of the child had started in the 12 months before this one.
    pub is_repeat: bool,
    pub child_views: String,
    pub history_considered: String,
    pub family_considered: String,
    pub verification_sources: Vec<String>,
    pub factors: Vec<AssessmentFactor>,
    pub outcome: Option<AssessmentOutcome>,
    pub started_by: Option<WorkerId>,
    pub submitted_by: Option<WorkerId>,
    pub submitted_by_name: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub authorised_by: Option<WorkerId>,
    pub authorised_by_name: Option<String>,
    pub authorised_at: Option<DateTime<Utc>>,
    /// The day it was authorised (the census's completion / authorisation date).
    pub completed_on: Option<NaiveDate>,
    pub returned_by_name: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub return_reason: String,
}

/// A visit recorded during an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct VisitRecord {
    pub id: Uuid,
    pub visited_on: NaiveDate,
    pub child_seen: bool,
    pub seen_alone: bool,
    pub note: String,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
}

impl VisitRecord {
    pub fn visit(&self) -> AssessmentVisit {
        AssessmentVisit {
            visited_on: self.visited_on,
            child_seen: self.child_seen,
            seen_alone: self.seen_alone,
        }
    }
}

/// A reason recorded for a missing quality point, for the completion reasons report.
#[derive(Debug, Clone, Serialize)]
pub struct MissingPointReason {
    pub assessment: AssessmentId,
    pub person: PersonId,
    pub child_name: String,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub worker_name: Option<String>,
    pub point: QualityPoint,
    pub reason: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub state: AssessmentState,
}

/// An assessment to store: the only way a row of `assessments` is made.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub id: AssessmentId,
    pub authority: AuthorityId,
    pub person: PersonId,
    pub episode: Option<EpisodeId>,
    pub referral: Option<ReferralId>,
    pub team: Option<TeamId>,
    pub worker: Option<WorkerId>,
    pub started_on: NaiveDate,
    pub due_on: NaiveDate,
    pub is_repeat: bool,
    /// Set for an assessment loaded as already completed (synthetic history): authorised then.
    pub completed_on: Option<NaiveDate>,
    /// The census factors identified (an assessment loaded as completed brings them).
    pub factors: Vec<AssessmentFactor>,
    pub started_by: Option<WorkerId>,
    pub at: DateTime<Utc>,
}

/// What the worker has written, saved while in progress.
#[derive(Debug, Clone, Default)]
pub struct AssessmentRecord {
    pub child_views: String,
    pub history_considered: String,
    pub family_considered: String,
    pub verification_sources: Vec<String>,
    pub factors: Vec<AssessmentFactor>,
    pub outcome: Option<AssessmentOutcome>,
}

const COLUMNS: &str = "a.id, a.authority_id, a.person_id, TRIM(p.given_name || ' ' || p.family_name) AS child_name,
    a.episode_id, a.referral_id, e.referral_date, a.team_id, t.name AS team_name, a.worker_id, w.display_name AS worker_name,
    a.started_on, a.due_on, a.state, a.is_repeat, a.child_views, a.history_considered, a.family_considered,
    a.verification_sources, a.factors, a.outcome, a.started_by, a.submitted_by, ws.display_name AS submitted_by_name,
    a.submitted_at, a.authorised_by, wa.display_name AS authorised_by_name, a.authorised_at, a.completed_on,
    wr.display_name AS returned_by_name, a.returned_at, a.return_reason";
const FROM: &str = "FROM assessments a JOIN people p ON p.id = a.person_id
    LEFT JOIN episodes e ON e.id = a.episode_id LEFT JOIN teams t ON t.id = a.team_id
    LEFT JOIN workers w ON w.id = a.worker_id LEFT JOIN workers ws ON ws.id = a.submitted_by
    LEFT JOIN workers wa ON wa.id = a.authorised_by LEFT JOIN workers wr ON wr.id = a.returned_by";

fn corrupt(e: impl ToString) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

macro_rules! assessment_from_row {
    ($r:expr) => {{
        let r = $r;
        let state: String = r.try_get("state")?;
        let outcome: Option<String> = r.try_get("outcome")?;
        let factors: String = r.try_get("factors")?;
        let sources: String = r.try_get("verification_sources")?;
        let codes: Vec<&str> = factors.split(',').collect();
        Assessment {
            id: AssessmentId(r.try_get("id")?),
            authority: AuthorityId(r.try_get("authority_id")?),
            person: PersonId(r.try_get("person_id")?),
            child_name: r.try_get("child_name")?,
            episode: r.try_get::<Option<Uuid>, _>("episode_id")?.map(EpisodeId),
            referral: r.try_get::<Option<Uuid>, _>("referral_id")?.map(ReferralId),
            referral_date: r.try_get("referral_date")?,
            team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
            team_name: r.try_get("team_name")?,
            worker: r.try_get::<Option<Uuid>, _>("worker_id")?.map(WorkerId),
            worker_name: r.try_get("worker_name")?,
            started_on: r.try_get("started_on")?,
            due_on: r.try_get("due_on")?,
            state: AssessmentState::from_code(&state).map_err(corrupt)?,
            is_repeat: r.try_get("is_repeat")?,
            child_views: r.try_get("child_views")?,
            history_considered: r.try_get("history_considered")?,
            family_considered: r.try_get("family_considered")?,
            verification_sources: lines(&sources),
            factors: parse_factors(&codes).map_err(corrupt)?,
            outcome: outcome
                .map(|o| AssessmentOutcome::from_code(&o))
                .transpose()
                .map_err(corrupt)?,
            started_by: r.try_get::<Option<Uuid>, _>("started_by")?.map(WorkerId),
            submitted_by: r.try_get::<Option<Uuid>, _>("submitted_by")?.map(WorkerId),
            submitted_by_name: r.try_get("submitted_by_name")?,
            submitted_at: r.try_get("submitted_at")?,
            authorised_by: r.try_get::<Option<Uuid>, _>("authorised_by")?.map(WorkerId),
            authorised_by_name: r.try_get("authorised_by_name")?,
            authorised_at: r.try_get("authorised_at")?,
            completed_on: r.try_get("completed_on")?,
            returned_by_name: r.try_get("returned_by_name")?,
            returned_at: r.try_get("returned_at")?,
            return_reason: r.try_get("return_reason")?,
        }
    }};
}

/// Stores a new assessment. A second open assessment on the same episode is refused by the
/// database (`StoreError::Duplicate`), whatever raced to start it.
pub async fn insert(tx: &mut Tx, new: &NewAssessment) -> Result<(), StoreError> {
    let state = if new.completed_on.is_some() {
        AssessmentState::Authorised
    } else {
        AssessmentState::InProgress
    };
    let at = to_stored_instant(new.at);
    let factors: Vec<&str> = new.factors.iter().map(|f| f.code()).collect();
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO assessments (id, authority_id, person_id, referral_id, started_on, completed_on, created_at,
                episode_id, team_id, worker_id, due_on, state, is_repeat, started_by, updated_at, factors)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $7, $15)",
        )
        .bind(new.id.0).bind(new.authority.0).bind(new.person.0).bind(new.referral.map(|r| r.0))
        .bind(new.started_on).bind(new.completed_on).bind(at)
        .bind(new.episode.map(|e| e.0)).bind(new.team.map(|t| t.0)).bind(new.worker.map(|w| w.0))
        .bind(new.due_on).bind(state.code()).bind(new.is_repeat).bind(new.started_by.map(|w| w.0))
        .bind(factors.join(","))
        .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Start dates of a child's assessments, read through the transaction (oldest first).
pub async fn start_dates_in(
    tx: &mut Tx,
    authority: AuthorityId,
    person: PersonId,
) -> Result<Vec<NaiveDate>, StoreError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT started_on FROM assessments WHERE person_id = $1 AND authority_id = $2 ORDER BY started_on")
            .bind(person.0).bind(authority.0).fetch_all(&mut *conn).await?
    }))
}

/// The assessment still open (not authorised) on an episode, read through the transaction.
pub async fn open_on_episode_in(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EpisodeId,
) -> Result<Option<AssessmentId>, StoreError> {
    let id: Option<Uuid> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM assessments WHERE episode_id = $1 AND authority_id = $2 AND state <> 'authorised'")
            .bind(episode.0).bind(authority.0).fetch_optional(&mut *conn).await?
    });
    Ok(id.map(AssessmentId))
}

/// Reads an assessment inside a write transaction, holding its row on PostgreSQL.
pub async fn assessment_for_update(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AssessmentId,
) -> Result<Assessment, StoreError> {
    if tx.is_postgres() {
        on_tx!(tx, conn => {
            sqlx::query("SELECT id FROM assessments WHERE id = $1 AND authority_id = $2 FOR UPDATE")
                .bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await?;
        });
    }
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.id = $1 AND a.authority_id = $2");
    on_tx!(tx, conn => {
        match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(&mut *conn).await? {
            Some(row) => Ok(assessment_from_row!(&row)),
            None => Err(StoreError::NotFound("The assessment")),
        }
    })
}

/// The visits of an assessment, read through the transaction (a use case holding the write
/// lock must not wait for a second pool connection).
pub async fn visits_in(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AssessmentId,
) -> Result<Vec<AssessmentVisit>, StoreError> {
    on_tx!(tx, conn => {
        let rows = sqlx::query("SELECT visited_on, child_seen, seen_alone FROM assessment_visits WHERE assessment_id = $1 AND authority_id = $2 ORDER BY visited_on")
            .bind(id.0).bind(authority.0).fetch_all(&mut *conn).await?;
        rows.iter().map(|r| Ok(AssessmentVisit {
            visited_on: r.try_get("visited_on")?,
            child_seen: r.try_get("child_seen")?,
            seen_alone: r.try_get("seen_alone")?,
        })).collect()
    })
}

/// Saves what the worker wrote; false unless the assessment is still in progress.
pub async fn update_record(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AssessmentId,
    record: &AssessmentRecord,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let factors: Vec<&str> = record.factors.iter().map(|f| f.code()).collect();
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE assessments SET child_views = $1, history_considered = $2, family_considered = $3,
                verification_sources = $4, factors = $5, outcome = $6, updated_at = $7
             WHERE id = $8 AND authority_id = $9 AND state = 'in_progress'")
            .bind(&record.child_views).bind(&record.history_considered).bind(&record.family_considered)
            .bind(record.verification_sources.join("\n")).bind(factors.join(",")).bind(record.outcome.map(|o| o.code()))
            .bind(to_stored_instant(at)).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Adds a visit; false unless the assessment is still in progress.
#[allow(clippy::too_many_arguments)]
pub async fn add_visit(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AssessmentId,
    visit: AssessmentVisit,
    note: &str,
    by: WorkerId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("INSERT INTO assessment_visits (id, authority_id, assessment_id, visited_on, child_seen, seen_alone, note, recorded_by, recorded_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS
                (SELECT 1 FROM assessments WHERE id = $3 AND authority_id = $2 AND state = 'in_progress')")
            .bind(Uuid::now_v7()).bind(authority.0).bind(id.0).bind(visit.visited_on).bind(visit.child_seen)
            .bind(visit.seen_alone).bind(note).bind(by.0).bind(to_stored_instant(at))
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Submits for authorisation with the reasons for missing quality points (replacing any from
/// an earlier submission); false unless it was in progress.
pub async fn submit(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AssessmentId,
    by: WorkerId,
    at: DateTime<Utc>,
    reasons: &BTreeMap<QualityPoint, String>,
) -> Result<bool, StoreError> {
    let at = to_stored_instant(at);
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE assessments SET state = 'submitted', submitted_by = $1, submitted_at = $2, updated_at = $2
             WHERE id = $3 AND authority_id = $4 AND state = 'in_progress'")
            .bind(by.0).bind(at).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    if changed != 1 {
        return Ok(false);
    }
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM assessment_missing_points WHERE assessment_id = $1 AND authority_id = $2")
            .bind(id.0).bind(authority.0).execute(&mut *conn).await?;
        for (point, reason) in reasons {
            sqlx::query("INSERT INTO assessment_missing_points (authority_id, assessment_id, point, reason) VALUES ($1, $2, $3, $4)")
                .bind(authority.0).bind(id.0).bind(point.code()).bind(reason)
                .execute(&mut *conn).await?;
        }
    });
    Ok(true)
}

/// A manager authorises a submitted assessment: it is complete on `completed_on`; false unless
/// it was awaiting authorisation.
pub async fn authorise(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AssessmentId,
    by: WorkerId,
    at: DateTime<Utc>,
    completed_on: NaiveDate,
) -> Result<bool, StoreError> {
    let at = to_stored_instant(at);
    let changed = on_tx!(tx, conn => {
        // Never by the worker who submitted it, even if it was returned and resubmitted by
        // them after the caller read it.
        sqlx::query("UPDATE assessments SET state = 'authorised', authorised_by = $1, authorised_at = $2, completed_on = $3, updated_at = $2
             WHERE id = $4 AND authority_id = $5 AND state = 'submitted' AND (submitted_by IS NULL OR submitted_by <> $1)")
            .bind(by.0).bind(at).bind(completed_on).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// A manager returns a submitted assessment to the worker with a reason; false unless it was
/// awaiting authorisation.
pub async fn return_to_worker(
    tx: &mut Tx,
    authority: AuthorityId,
    id: AssessmentId,
    by: WorkerId,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<bool, StoreError> {
    let at = to_stored_instant(at);
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE assessments SET state = 'in_progress', returned_by = $1, returned_at = $2, return_reason = $3, updated_at = $2
             WHERE id = $4 AND authority_id = $5 AND state = 'submitted' AND (submitted_by IS NULL OR submitted_by <> $1)")
            .bind(by.0).bind(at).bind(reason).bind(id.0).bind(authority.0)
            .execute(&mut *conn).await?.rows_affected()
    });
    Ok(changed == 1)
}

/// Which assessments a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentScope {
    /// Allocated to (or started by) one worker.
    Worker(WorkerId),
    /// Held by one team.
    Team(TeamId),
    /// The whole authority.
    Authority,
}

impl Store {
    pub async fn assessment(
        &self,
        authority: AuthorityId,
        id: AssessmentId,
    ) -> Result<Assessment, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.id = $1 AND a.authority_id = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).bind(authority.0).fetch_optional(pool).await? {
                Some(row) => Ok(assessment_from_row!(&row)),
                None => Err(StoreError::NotFound("The assessment")),
            }
        })
    }

    /// A child's assessments, newest first.
    pub async fn assessments_of_child(
        &self,
        authority: AuthorityId,
        person: PersonId,
    ) -> Result<Vec<Assessment>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.person_id = $1 AND a.authority_id = $2 ORDER BY a.started_on DESC, a.created_at DESC");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(person.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(assessment_from_row!(r))).collect()
        })
    }

    /// The assessments on an episode, newest first.
    pub async fn assessments_of_episode(
        &self,
        authority: AuthorityId,
        episode: EpisodeId,
    ) -> Result<Vec<Assessment>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.episode_id = $1 AND a.authority_id = $2 ORDER BY a.started_on DESC, a.created_at DESC");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(episode.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(assessment_from_row!(r))).collect()
        })
    }

    /// Assessments not yet authorised in a scope, soonest due first.
    pub async fn open_assessments(
        &self,
        authority: AuthorityId,
        scope: AssessmentScope,
    ) -> Result<Vec<Assessment>, StoreError> {
        let (filter, id) = match scope {
            AssessmentScope::Worker(w) => (
                "AND (a.worker_id = $2 OR (a.worker_id IS NULL AND a.started_by = $2))",
                Some(w.0),
            ),
            AssessmentScope::Team(t) => ("AND a.team_id = $2", Some(t.0)),
            AssessmentScope::Authority => ("", None),
        };
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.authority_id = $1 AND a.state <> 'authorised' {filter} ORDER BY a.due_on, a.started_on");
        on_pool!(self, pool => {
            let mut query = sqlx::query(&sql).bind(authority.0);
            if let Some(id) = id {
                query = query.bind(id);
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter().map(|r| Ok(assessment_from_row!(r))).collect()
        })
    }

    pub async fn assessment_visits(
        &self,
        authority: AuthorityId,
        id: AssessmentId,
    ) -> Result<Vec<VisitRecord>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT v.id, v.visited_on, v.child_seen, v.seen_alone, v.note, w.display_name AS recorded_by_name, v.recorded_at
                 FROM assessment_visits v JOIN workers w ON w.id = v.recorded_by
                 WHERE v.assessment_id = $1 AND v.authority_id = $2 ORDER BY v.visited_on, v.recorded_at")
                .bind(id.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(VisitRecord {
                id: r.try_get("id")?,
                visited_on: r.try_get("visited_on")?,
                child_seen: r.try_get("child_seen")?,
                seen_alone: r.try_get("seen_alone")?,
                note: r.try_get("note")?,
                recorded_by_name: r.try_get("recorded_by_name")?,
                recorded_at: r.try_get("recorded_at")?,
            })).collect()
        })
    }

    /// The reasons for missing quality points of one assessment, or of every assessment
    /// submitted in a period (`from`..=`to`, by submission instant), team by team.
    pub async fn missing_point_reasons(
        &self,
        authority: AuthorityId,
        assessment: Option<AssessmentId>,
        submitted_between: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Result<Vec<MissingPointReason>, StoreError> {
        let mut sql = String::from(
            "SELECT m.assessment_id, a.person_id, TRIM(p.given_name || ' ' || p.family_name) AS child_name, a.team_id,
                t.name AS team_name, w.display_name AS worker_name, m.point, m.reason, a.submitted_at, a.state
             FROM assessment_missing_points m JOIN assessments a ON a.id = m.assessment_id
             JOIN people p ON p.id = a.person_id LEFT JOIN teams t ON t.id = a.team_id
             LEFT JOIN workers w ON w.id = a.worker_id
             WHERE m.authority_id = $1",
        );
        if assessment.is_some() {
            sql.push_str(" AND m.assessment_id = $2");
        } else if submitted_between.is_some() {
            sql.push_str(" AND a.submitted_at >= $2 AND a.submitted_at <= $3");
        }
        sql.push_str(" ORDER BY t.name, a.submitted_at, m.point");
        on_pool!(self, pool => {
            let mut query = sqlx::query(&sql).bind(authority.0);
            if let Some(id) = assessment {
                query = query.bind(id.0);
            } else if let Some((from, to)) = submitted_between {
                query = query.bind(to_stored_instant(from)).bind(to_stored_instant(to));
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter().map(|r| {
                let point: String = r.try_get("point")?;
                let state: String = r.try_get("state")?;
                Ok(MissingPointReason {
                    assessment: AssessmentId(r.try_get("assessment_id")?),
                    person: PersonId(r.try_get("person_id")?),
                    child_name: r.try_get("child_name")?,
                    team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                    team_name: r.try_get("team_name")?,
                    worker_name: r.try_get("worker_name")?,
                    point: QualityPoint::from_code(&point).map_err(corrupt)?,
                    reason: r.try_get("reason")?,
                    submitted_at: r.try_get("submitted_at")?,
                    state: AssessmentState::from_code(&state).map_err(corrupt)?,
                })
            }).collect()
        })
    }

    /// Assessments started in a period (`from`..=`to`): (started, of which repeats), team by
    /// team (team id, name).
    pub async fn assessment_starts_by_team(
        &self,
        authority: AuthorityId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(Option<TeamId>, Option<String>, i64, i64)>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT a.team_id, t.name AS team_name, COUNT(*) AS started,
                    SUM(CASE WHEN a.is_repeat THEN 1 ELSE 0 END) AS repeats
                 FROM assessments a LEFT JOIN teams t ON t.id = a.team_id
                 WHERE a.authority_id = $1 AND a.started_on >= $2 AND a.started_on <= $3
                 GROUP BY a.team_id, t.name ORDER BY t.name")
                .bind(authority.0).bind(from).bind(to).fetch_all(pool).await?;
            rows.iter().map(|r| Ok((
                r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                r.try_get("team_name")?,
                r.try_get::<i64, _>("started")?,
                r.try_get::<Option<i64>, _>("repeats")?.unwrap_or(0),
            ))).collect()
        })
    }
}
