//! Work due: the records that have a due date still to meet (strategy discussions to hold,
//! conferences not yet held, statutory visits of open plans), for a worker, a team or the whole
//! authority. Read as the soonest few and counts over all of them, so the page costs the same
//! at any size of authority.

use crate::{on_pool, to_stored_instant, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, TeamId, WorkerId};
use sqlx::Row;
use uuid::Uuid;

/// Where due dates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueSource {
    /// Discussions decided and not yet held; due by a target after the decision.
    StrategyDiscussions,
    /// Initial conferences not yet held; due on the date set when the enquiry asked for one.
    InitialConferences,
    /// Review conferences not yet held, of plans still open.
    ReviewConferences,
    /// Open plans; the next visit is due a number of working days after the latest visit (or
    /// the plan's start).
    StatutoryVisits,
    /// Open supervision actions, due on their due date; their owner's (not the episode's
    /// worker's), and the team of the supervision that agreed them.
    SupervisionActions,
    /// Child and family assessments not yet authorised, due 45 working days from the referral
    /// date (stored at start); the assessment's own worker and team.
    Assessments,
}

impl DueSource {
    /// Selects `record`, `episode_id` and `basis` (what the due date is worked out from, whose
    /// order is the due dates' order), for the authority bound as `$1`.
    fn source_sql(self) -> &'static str {
        match self {
            DueSource::StrategyDiscussions => {
                "SELECT s.id AS record, s.episode_id, s.decided_at AS basis FROM strategy_discussions s
                 WHERE s.authority_id = $1 AND s.state = 'to_hold'"
            }
            DueSource::InitialConferences => {
                "SELECT c.id AS record, c.episode_id, c.due_on AS basis FROM conferences c
                 WHERE c.authority_id = $1 AND c.held_on IS NULL AND c.kind = 'initial'"
            }
            DueSource::ReviewConferences => {
                "SELECT c.id AS record, c.episode_id, c.due_on AS basis FROM conferences c
                 JOIN protection_plans p ON p.id = c.plan_id AND p.ended_on IS NULL
                 WHERE c.authority_id = $1 AND c.held_on IS NULL AND c.kind = 'review'"
            }
            DueSource::StatutoryVisits => {
                "SELECT p.id AS record, p.episode_id,
                        CASE WHEN v.latest > p.started_on THEN v.latest ELSE p.started_on END AS basis
                 FROM protection_plans p
                 LEFT JOIN (SELECT plan_id, MAX(visited_on) AS latest FROM plan_visits
                            WHERE authority_id = $1 GROUP BY plan_id) v ON v.plan_id = p.id
                 WHERE p.authority_id = $1 AND p.ended_on IS NULL"
            }
            DueSource::SupervisionActions => {
                "SELECT a.id AS record, a.episode_id, a.due_on AS basis, a.owner_id, a.team_id FROM supervision_actions a
                 WHERE a.authority_id = $1 AND a.status = 'open'"
            }
            DueSource::Assessments => {
                "SELECT a.id AS record, a.episode_id, a.due_on AS basis, a.worker_id, a.team_id FROM assessments a
                 WHERE a.authority_id = $1 AND a.state <> 'authorised' AND a.episode_id IS NOT NULL AND a.due_on IS NOT NULL"
            }
        }
    }

    /// The columns saying whose work a record is (worker, team): the episode's allocation, or
    /// the source's own for supervision actions.
    fn whose_columns(self) -> (&'static str, &'static str) {
        match self {
            DueSource::SupervisionActions => ("d.owner_id", "d.team_id"),
            DueSource::Assessments => ("d.worker_id", "d.team_id"),
            _ => ("e.worker_id", "e.team_id"),
        }
    }

    /// Whether the basis is an instant (the decision) rather than a date.
    fn basis_is_instant(self) -> bool {
        self == DueSource::StrategyDiscussions
    }
}

/// Whose work: the episodes allocated to a worker, a team's, or all the authority's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Worker(WorkerId),
    Team(TeamId),
    Authority,
}

impl Whose {
    /// The condition on the record `d` of `source` and its episode `e`, with its value bound
    /// as `$2`.
    fn condition(self, source: DueSource, authority: AuthorityId) -> (String, Uuid) {
        let (worker, team) = source.whose_columns();
        match self {
            Whose::Worker(id) => (format!("{worker} = $2"), id.0),
            Whose::Team(id) => (format!("{team} = $2"), id.0),
            Whose::Authority => ("e.authority_id = $2".into(), authority.0),
        }
    }
}

/// What a due date is worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Instant(DateTime<Utc>),
    Date(NaiveDate),
}

/// A record with a due date, and whose it is.
#[derive(Debug, Clone)]
pub struct DueRecord {
    pub record: Uuid,
    pub basis: Basis,
    pub episode: EpisodeId,
    pub child: PersonId,
    pub child_name: String,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub worker: Option<WorkerId>,
    pub worker_name: Option<String>,
}

/// How many are due, and how many of them are overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueCounts {
    pub total: u64,
    pub overdue: u64,
}

impl Store {
    /// The `limit` records of a source whose due dates come first.
    pub async fn soonest_due(
        &self,
        authority: AuthorityId,
        source: DueSource,
        whose: Whose,
        limit: usize,
    ) -> Result<Vec<DueRecord>, StoreError> {
        let (condition, whose_id) = whose.condition(source, authority);
        let (worker, team) = source.whose_columns();
        let sql = format!(
            "SELECT d.record, d.basis, e.id AS episode_id, e.person_id, p.given_name, p.family_name,
                    {team} AS team_id, t.name AS team_name, {worker} AS worker_id, w.display_name AS worker_name
             FROM ({}) d
             JOIN episodes e ON e.id = d.episode_id
             JOIN people p ON p.id = e.person_id
             LEFT JOIN teams t ON t.id = {team}
             LEFT JOIN workers w ON w.id = {worker}
             WHERE {condition}
             ORDER BY d.basis, d.record LIMIT {limit}",
            source.source_sql()
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(authority.0).bind(whose_id).fetch_all(pool).await?;
            rows.iter().map(|r| {
                let given: String = r.try_get("given_name")?;
                let family: String = r.try_get("family_name")?;
                Ok(DueRecord {
                    record: r.try_get("record")?,
                    basis: if source.basis_is_instant() {
                        Basis::Instant(r.try_get("basis")?)
                    } else {
                        Basis::Date(r.try_get("basis")?)
                    },
                    episode: EpisodeId(r.try_get("episode_id")?),
                    child: PersonId(r.try_get("person_id")?),
                    child_name: format!("{given} {family}").trim().to_string(),
                    team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                    team_name: r.try_get("team_name")?,
                    worker: r.try_get::<Option<Uuid>, _>("worker_id")?.map(WorkerId),
                    worker_name: r.try_get("worker_name")?,
                })
            }).collect()
        })
    }

    /// How many records of a source are due, and how many have a basis before
    /// `overdue_before` (the caller works out which bases make a due date already past).
    pub async fn count_due(
        &self,
        authority: AuthorityId,
        source: DueSource,
        whose: Whose,
        overdue_before: Basis,
    ) -> Result<DueCounts, StoreError> {
        let (condition, whose_id) = whose.condition(source, authority);
        let sql = format!(
            "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN d.basis < $3 THEN 1 ELSE 0 END), 0) AS overdue
             FROM ({}) d JOIN episodes e ON e.id = d.episode_id
             WHERE {condition}",
            source.source_sql()
        );
        on_pool!(self, pool => {
            let query = sqlx::query(&sql).bind(authority.0).bind(whose_id);
            let query = match overdue_before {
                Basis::Instant(at) => query.bind(to_stored_instant(at)),
                Basis::Date(on) => query.bind(on),
            };
            let row = query.fetch_one(pool).await?;
            let total: i64 = row.try_get("total")?;
            let overdue: i64 = row.try_get("overdue")?;
            Ok(DueCounts {
                total: total.max(0) as u64,
                overdue: overdue.max(0) as u64,
            })
        })
    }
}
