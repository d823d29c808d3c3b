//! The drift report (per worker and per team) and a child's supervision history.

use super::ActionView;
use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::NaiveDate;
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource, Role};
use frontdoor_domain::ids::{PersonId, TeamId, WorkerId};
use frontdoor_store::supervisions::{ActionsOf, ChildDiscussion};
use serde::Serialize;

/// How many actions are drifting, and why (an action past due and carried counts in both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DriftCount {
    pub drifting: usize,
    pub past_due: usize,
    pub carried_forward: usize,
}

impl DriftCount {
    fn add(&mut self, view: &ActionView) {
        if let Some(drift) = view.drift {
            self.drifting += 1;
            self.past_due += usize::from(drift.past_due);
            self.carried_forward += usize::from(drift.times_carried > 0);
        }
    }
}

/// Drift of the actions a worker owns.
#[derive(Debug, Clone, Serialize)]
pub struct WorkerDrift {
    pub worker: WorkerId,
    pub name: String,
    pub counts: DriftCount,
}

/// Drift of the actions agreed in a team's supervisions.
#[derive(Debug, Clone, Serialize)]
pub struct TeamDrift {
    pub team: Option<TeamId>,
    pub name: String,
    pub counts: DriftCount,
}

/// Every drifting action in scope, most overdue first, with counts per team and per owner.
#[derive(Debug, Clone, Serialize)]
pub struct DriftReport {
    pub today: NaiveDate,
    /// The team the report is narrowed to (a team manager's is always their own).
    pub team: Option<TeamId>,
    pub total: DriftCount,
    pub teams: Vec<TeamDrift>,
    pub workers: Vec<WorkerDrift>,
    pub actions: Vec<ActionView>,
}

/// A child's case supervision: every discussion of them, and every action about them.
#[derive(Debug, Clone, Serialize)]
pub struct ChildSupervision {
    pub discussions: Vec<ChildDiscussion>,
    pub actions: Vec<ActionView>,
}

impl App {
    /// The drift report: open supervision actions past their due date (before today in
    /// London) or carried unfinished into a later supervision, for `team` or (senior managers
    /// and quality assurance) the whole authority. A team manager's is their own team's.
    pub async fn drift_report(
        &self,
        actor: &Actor,
        team: Option<TeamId>,
    ) -> Result<DriftReport, AppError> {
        actor.may(Action::ViewDriftReport)?;
        let team = match (actor.role, team) {
            (Role::TeamManager, None) => actor.team,
            (_, team) => team,
        };
        authorize(
            actor,
            Action::ViewDriftReport,
            &Resource::team(actor.authority, team),
        )
        .require()?;
        let today = london_date(self.now());
        let actions = self
            .store
            .supervision_actions(actor.authority, ActionsOf::Drifting { team, today })
            .await?;
        let mut actions: Vec<ActionView> = self
            .action_views(actor, actions)
            .await?
            .into_iter()
            .filter(|a| a.drift.is_some())
            .collect();
        actions.sort_by_key(|a| {
            let (overdue, carried) = a
                .drift
                .map(|d| (d.working_days_overdue, d.times_carried))
                .unwrap_or_default();
            (
                std::cmp::Reverse(overdue),
                std::cmp::Reverse(carried),
                a.action.due_on,
            )
        });
        let mut total = DriftCount::default();
        let mut teams: Vec<TeamDrift> = Vec::new();
        let mut workers: Vec<WorkerDrift> = Vec::new();
        for view in &actions {
            total.add(view);
            let a = &view.action;
            match teams.iter_mut().find(|t| t.team == a.team) {
                Some(t) => t.counts.add(view),
                None => {
                    let mut counts = DriftCount::default();
                    counts.add(view);
                    teams.push(TeamDrift {
                        team: a.team,
                        name: a.team_name.clone().unwrap_or_else(|| "No team".into()),
                        counts,
                    });
                }
            }
            match workers.iter_mut().find(|w| w.worker == a.owner) {
                Some(w) => w.counts.add(view),
                None => {
                    let mut counts = DriftCount::default();
                    counts.add(view);
                    workers.push(WorkerDrift {
                        worker: a.owner,
                        name: a.owner_name.clone(),
                        counts,
                    });
                }
            }
        }
        teams.sort_by(|a, b| a.name.cmp(&b.name));
        workers.sort_by(|a, b| {
            b.counts
                .drifting
                .cmp(&a.counts.drifting)
                .then(a.name.cmp(&b.name))
        });
        Ok(DriftReport {
            today,
            team,
            total,
            teams,
            workers,
            actions,
        })
    }

    /// A child's supervision history: the supervisions that discussed them (risks reviewed,
    /// decisions) and every action about them, drifting ones marked. For anyone who may read
    /// the child's record and supervision records.
    pub async fn child_supervision(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<ChildSupervision, AppError> {
        actor.may(Action::ViewChildRecord)?;
        actor.may(Action::ViewSupervision)?;
        let authority = actor.authority;
        let actions = self
            .store
            .supervision_actions(authority, ActionsOf::Child(person))
            .await?;
        Ok(ChildSupervision {
            discussions: self.store.supervision_of_child(authority, person).await?,
            actions: self.action_views(actor, actions).await?,
        })
    }
}
