//! Work due: every due date of strategy discussions, conferences, reviews and statutory visits,
//! for the worker, their team or the authority, soonest first, breaches marked.

use crate::local_time::{london, london_date};
use crate::{App, AppError};
use chrono::NaiveDate;
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::child_protection::next_statutory_visit_due;
use frontdoor_domain::ids::{EpisodeId, PersonId, TeamId, WorkerId};
use frontdoor_domain::strategy_discussion::hold_by;
use frontdoor_domain::timescale::{status_at, TimescaleStatus};
use frontdoor_store::episodes::Episode;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

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
}

impl WorkDueKind {
    pub fn label(self) -> &'static str {
        match self {
            WorkDueKind::StrategyDiscussion => "Strategy discussion to hold",
            WorkDueKind::InitialConference => "Initial child protection conference",
            WorkDueKind::ReviewConference => "Review child protection conference",
            WorkDueKind::StatutoryVisit => "Statutory visit (child protection plan)",
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

impl App {
    /// Everything due, soonest first (breaches first of all, being the soonest).
    pub async fn work_due(
        &self,
        actor: &Actor,
        scope: WorkDueScope,
    ) -> Result<Vec<WorkDueItem>, AppError> {
        authorize(
            actor,
            Action::ViewWorkDue,
            &Resource::authority(actor.authority),
        )
        .require()?;
        let authority = actor.authority;
        let calendar = self.calendar_for(authority).await?;
        let now_local = london(self.now());
        let mut episodes: HashMap<EpisodeId, Episode> = HashMap::new();
        let mut due: Vec<(WorkDueKind, Uuid, EpisodeId, NaiveDate)> = Vec::new();
        for d in self.store.strategy_discussions_to_hold(authority).await? {
            due.push((
                WorkDueKind::StrategyDiscussion,
                d.id.0,
                d.episode,
                hold_by(&calendar, london_date(d.decided_at)),
            ));
        }
        let plans = self.store.open_plans(authority).await?;
        for c in self.store.conferences_not_held(authority).await? {
            let initial = c.kind == "initial";
            // A review of a plan that has ended is no longer due.
            if !initial
                && !c
                    .plan
                    .is_some_and(|p| plans.iter().any(|plan| plan.id == p))
            {
                continue;
            }
            let kind = if initial {
                WorkDueKind::InitialConference
            } else {
                WorkDueKind::ReviewConference
            };
            due.push((kind, c.id.0, c.episode, c.due_on));
        }
        for plan in &plans {
            let visits = self.store.plan_visits(authority, plan.id).await?;
            let next = next_statutory_visit_due(
                &calendar,
                plan.started_on,
                visits.last().map(|v| v.visited_on),
            );
            due.push((WorkDueKind::StatutoryVisit, plan.id.0, plan.episode, next));
        }
        let mut items = Vec::new();
        let mut names: HashMap<PersonId, String> = HashMap::new();
        for (kind, record, episode_id, due_on) in due {
            let episode = match episodes.entry(episode_id) {
                std::collections::hash_map::Entry::Occupied(held) => held.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(self.store.episode(authority, episode_id).await?)
                }
            };
            let keep = match scope {
                WorkDueScope::Mine => episode.worker == Some(actor.worker),
                WorkDueScope::Team => actor.team.is_some() && episode.team == actor.team,
                WorkDueScope::All => true,
            };
            if !keep {
                continue;
            }
            let child_name = match names.get(&episode.person) {
                Some(name) => name.clone(),
                None => {
                    let name = self
                        .store
                        .person(authority, episode.person)
                        .await?
                        .full_name();
                    names.insert(episode.person, name.clone());
                    name
                }
            };
            let status = status_at(&calendar, due_on, now_local);
            items.push(WorkDueItem {
                kind,
                record,
                episode: episode_id,
                child: episode.person,
                child_name,
                due_on,
                breached: status.is_overdue(),
                status,
                team: episode.team,
                team_name: episode.team_name.clone(),
                worker: episode.worker,
                worker_name: episode.worker_name.clone(),
            });
        }
        items.sort_by_key(|i| (i.due_on, i.kind.label()));
        Ok(items)
    }
}
