//! Workloads: each team's case-holding workers with their open episodes by stage, weighted;
//! ASYE workers against their protected caseload; the agreements to go over it. Also the
//! choice of worker a team manager allocates an episode to, with each one's caseload.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::Choice;
use crate::views::{render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::{AppError, WorkerWorkload, Workloads};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::ids::TeamId;
use frontdoor_domain::workload::{CaseStage, Weight};
use std::collections::HashMap;

pub struct WorkerRow {
    pub name: String,
    pub asye: bool,
    /// Open episodes at each stage, in [`CaseStage::ALL`] order.
    pub stages: Vec<u32>,
    pub episodes: u32,
    pub weighted: String,
    pub over_cap: bool,
}

pub struct TeamTable {
    pub name: String,
    pub workers: Vec<WorkerRow>,
    pub episodes: u32,
    pub weighted: String,
}

pub struct OverrideRow {
    pub when: String,
    pub worker: String,
    pub episode_href: String,
    pub caseload: String,
    pub reason: String,
    pub agreed_by: String,
}

#[derive(Template)]
#[template(path = "workloads.html")]
pub struct WorkloadsPage {
    pub chrome: Chrome,
    /// (href, label, current) for "All teams" and each team.
    pub filters: Vec<(String, String, bool)>,
    pub stages: Vec<(&'static str, String)>,
    pub asye_cap: String,
    pub teams: Vec<TeamTable>,
    pub overrides: Vec<OverrideRow>,
}

fn worker_row(w: &WorkerWorkload) -> WorkerRow {
    WorkerRow {
        name: w.caseload.name.clone(),
        asye: w.caseload.asye,
        stages: CaseStage::ALL
            .iter()
            .map(|s| w.caseload.counts.of(*s))
            .collect(),
        episodes: w.episodes,
        weighted: w.weighted.to_string(),
        over_cap: w.over_asye_cap,
    }
}

fn page(
    state: &AppState,
    worker: &frontdoor_app::SignedIn,
    all: &Workloads,
    shown: &Workloads,
    team: Option<TeamId>,
) -> WorkloadsPage {
    let mut filters = vec![(
        "/workloads".to_string(),
        "All teams".to_string(),
        team.is_none(),
    )];
    filters.extend(all.teams.iter().filter_map(|t| {
        let id = t.team?;
        Some((
            format!("/workloads?team={id}"),
            t.name.clone(),
            Some(id) == team,
        ))
    }));
    WorkloadsPage {
        chrome: Chrome::for_worker(state, worker, "/workloads"),
        filters,
        stages: CaseStage::ALL
            .iter()
            .map(|s| (s.label(), shown.rules.weight(*s).to_string()))
            .collect(),
        asye_cap: shown.rules.asye_cap().to_string(),
        teams: shown
            .teams
            .iter()
            .map(|t| TeamTable {
                name: t.name.clone(),
                workers: t.workers.iter().map(worker_row).collect(),
                episodes: t.episodes,
                weighted: t.weighted.to_string(),
            })
            .collect(),
        overrides: shown
            .overrides
            .iter()
            .map(|o| OverrideRow {
                when: crate::views::instant(o.agreed_at),
                worker: o.worker_name.clone(),
                episode_href: format!("/episodes/{}", o.episode),
                caseload: format!(
                    "{} to {} (protected {})",
                    o.caseload_before, o.caseload_after, o.cap
                ),
                reason: o.reason.clone(),
                agreed_by: o.agreed_by_name.clone(),
            })
            .collect(),
    }
}

pub async fn workloads_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let team = match query.get("team").filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => Some(TeamId(
            text.parse().map_err(|_| AppError::NotFound("That team"))?,
        )),
    };
    let all = state.app.workloads(&actor, None).await?;
    let shown = match team {
        None => all.clone(),
        Some(_) => state.app.workloads(&actor, team).await?,
    };
    Ok(render(&page(&state, &worker, &all, &shown, team)))
}

/// The workers a team manager can allocate an episode to (their team's, or everyone's for a
/// manager without a team), each with their weighted caseload and any ASYE protection; empty
/// for anyone else, who may only take an episode themselves.
pub async fn allocation_choices(state: &AppState, actor: &Actor) -> Result<Vec<Choice>, AppError> {
    if !actor.role.allows(Action::OverrideAsyeCaseload) {
        return Ok(Vec::new());
    }
    let workloads = state.app.workloads(actor, actor.team).await?;
    let cap: Weight = workloads.rules.asye_cap();
    Ok(workloads
        .teams
        .iter()
        .flat_map(|t| &t.workers)
        .map(|w| {
            let protection = if w.caseload.asye {
                format!(", ASYE: protected {cap}")
            } else {
                String::new()
            };
            Choice::new(
                w.caseload.worker.to_string(),
                format!("{} (caseload {}{protection})", w.caseload.name, w.weighted),
            )
        })
        .collect())
}
