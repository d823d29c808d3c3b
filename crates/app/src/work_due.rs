//! Work due: every due date of strategy discussions, conferences, reviews and statutory visits,
//! for the worker, their team or the authority: the soonest first, breaches marked, with counts
//! over all of them (read as counts in the database, so the page costs the same at any size).

use crate::local_time::{from_london, london, london_date};
use crate::{App, AppError};
use chrono::{NaiveDate, NaiveTime};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::child_protection::next_statutory_visit_due;
use frontdoor_domain::ids::{EpisodeId, PersonId, TeamId, WorkerId};
use frontdoor_domain::strategy_discussion::hold_by;
use frontdoor_domain::timescale::{status_at, TimescaleStatus};
use frontdoor_store::work_due::{Basis, DueCounts, DueRecord, DueSource, Whose};
use serde::Serialize;
use uuid::Uuid;

/// How many of the soonest due dates the list shows; the counts cover all of them.
pub const WORK_DUE_SHOWN: usize = 100;

/// Whose work to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkDueScope {
    /// Episodes allocated to me.
    Mine,
    /// Episodes of my team.
    Team,
    /// The whole authority.
    All,
}

impl WorkDueScope {
    pub fn from_code(code: &str) -> WorkDueScope {
        match code.trim() {
            "mine" => WorkDueScope::Mine,
            "all" => WorkDueScope::All,
            _ => WorkDueScope::Team,
        }
    }
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkDueKind {
    StrategyDiscussion,
    InitialConference,
    ReviewConference,
    StatutoryVisit,
    /// An open supervision action, for its owner (and the team of the supervision).
    SupervisionAction,
    /// A child and family assessment not yet authorised, for its worker and team.
    Assessment,
}

impl WorkDueKind {
    pub const ALL: [WorkDueKind; 6] = [
        WorkDueKind::StrategyDiscussion,
        WorkDueKind::InitialConference,
        WorkDueKind::ReviewConference,
        WorkDueKind::StatutoryVisit,
        WorkDueKind::SupervisionAction,
        WorkDueKind::Assessment,
    ];

    fn source(self) -> DueSource {
        match self {
            WorkDueKind::StrategyDiscussion => DueSource::StrategyDiscussions,
            WorkDueKind::InitialConference => DueSource::InitialConferences,
            WorkDueKind::ReviewConference => DueSource::ReviewConferences,
            WorkDueKind::StatutoryVisit => DueSource::StatutoryVisits,
            WorkDueKind::SupervisionAction => DueSource::SupervisionActions,
            WorkDueKind::Assessment => DueSource::Assessments,
        }
    }

    /// The due date worked out from a record's basis: a discussion is due a target of working
    /// days after its decision, a visit working days after the latest one; a conference's due
    /// date is stored.
    fn due_on(self, calendar: &WorkingDayCalendar, basis: Basis) -> NaiveDate {
        let on = match basis {
            Basis::Instant(at) => london_date(at),
            Basis::Date(on) => on,
        };
        match self {
            WorkDueKind::StrategyDiscussion => hold_by(calendar, on),
            WorkDueKind::StatutoryVisit => next_statutory_visit_due(calendar, on, None),
            WorkDueKind::InitialConference
            | WorkDueKind::ReviewConference
            | WorkDueKind::SupervisionAction
            | WorkDueKind::Assessment => on,
        }
    }

    /// The basis before which a due date has already passed on `today`. Due dates only move
    /// later as their basis does, so this is the earliest basis not yet overdue.
    fn overdue_before(self, calendar: &WorkingDayCalendar, today: NaiveDate) -> Basis {
        let mut first = today;
        while let Some(earlier) = first.pred_opt() {
            if self.due_on(calendar, Basis::Date(earlier)) < today {
                break;
            }
            first = earlier;
        }
        if self == WorkDueKind::StrategyDiscussion {
            Basis::Instant(from_london(first.and_time(NaiveTime::MIN)))
        } else {
            Basis::Date(first)
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkDueKind::StrategyDiscussion => "Strategy discussion to hold",
            WorkDueKind::InitialConference => "Initial child protection conference",
            WorkDueKind::ReviewConference => "Review child protection conference",
            WorkDueKind::StatutoryVisit => "Statutory visit (child protection plan)",
            WorkDueKind::SupervisionAction => "Supervision action",
            WorkDueKind::Assessment => "Child and family assessment",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkDueItem {
    pub kind: WorkDueKind,
    /// The strategy discussion, conference or plan it is due on.
    pub record: Uuid,
    pub episode: EpisodeId,
    pub child: PersonId,
    pub child_name: String,
    pub due_on: NaiveDate,
    pub status: TimescaleStatus,
    pub breached: bool,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub worker: Option<WorkerId>,
    pub worker_name: Option<String>,
}

/// How many of one kind are due, and overdue, over the whole scope.
#[derive(Debug, Clone, Serialize)]
pub struct WorkDueCount {
    pub kind: WorkDueKind,
    pub due: u64,
    pub overdue: u64,
}

/// The work due in a scope: the soonest [`WORK_DUE_SHOWN`] and the counts over everything.
#[derive(Debug, Clone, Serialize)]
pub struct WorkDue {
    pub soonest: Vec<WorkDueItem>,
    pub due: u64,
    pub overdue: u64,
    pub by_kind: Vec<WorkDueCount>,
}

impl App {
    /// What is due, soonest first (breaches first of all, being the soonest).
    pub async fn work_due(&self, actor: &Actor, scope: WorkDueScope) -> Result<WorkDue, AppError> {
        actor.may(Action::ViewWorkDue)?;
        let authority = actor.authority;
        let whose = match (scope, actor.team) {
            (WorkDueScope::Mine, _) => Whose::Worker(actor.worker),
            (WorkDueScope::Team, Some(team)) => Whose::Team(team),
            // A worker in no team has no team's work: every kind, none due.
            (WorkDueScope::Team, None) => {
                return Ok(WorkDue {
                    soonest: Vec::new(),
                    due: 0,
                    overdue: 0,
                    by_kind: WorkDueKind::ALL
                        .iter()
                        .map(|&kind| WorkDueCount {
                            kind,
                            due: 0,
                            overdue: 0,
                        })
                        .collect(),
                })
            }
            (WorkDueScope::All, _) => Whose::Authority,
        };
        let calendar = self.calendar_for(authority).await?;
        let now_local = london(self.now());
        let today = now_local.date();
        let mut soonest = Vec::new();
        let mut by_kind = Vec::new();
        for kind in WorkDueKind::ALL {
            let source = kind.source();
            let overdue_before = kind.overdue_before(&calendar, today);
            let DueCounts { total, overdue } = self
                .store
                .count_due(authority, source, whose, overdue_before)
                .await?;
            by_kind.push(WorkDueCount {
                kind,
                due: total,
                overdue,
            });
            let records = self
                .store
                .soonest_due(authority, source, whose, WORK_DUE_SHOWN)
                .await?;
            soonest.extend(records.into_iter().map(|r: DueRecord| {
                let due_on = kind.due_on(&calendar, r.basis);
                let status = status_at(&calendar, due_on, now_local);
                WorkDueItem {
                    kind,
                    record: r.record,
                    episode: r.episode,
                    child: r.child,
                    child_name: r.child_name,
                    due_on,
                    breached: status.is_overdue(),
                    status,
                    team: r.team,
                    team_name: r.team_name,
                    worker: r.worker,
                    worker_name: r.worker_name,
                }
            }));
        }
        soonest.sort_by_key(|i| (i.due_on, i.kind.label()));
        soonest.truncate(WORK_DUE_SHOWN);
        Ok(WorkDue {
            soonest,
            due: by_kind.iter().map(|k| k.due).sum(),
            overdue: by_kind.iter().map(|k| k.overdue).sum(),
            by_kind,
        })
    }
}
