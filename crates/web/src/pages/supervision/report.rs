//! The drift report page, and the child's supervision on their record.

use super::ActionRow;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::Choice;
use crate::pages::parse_id;
use crate::views::{date, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::supervision::ChildSupervision;
use frontdoor_domain::ids::TeamId;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "supervision/drift.html")]
pub struct DriftPage {
    pub chrome: Chrome,
    pub today: String,
    pub teams_filter: Vec<Choice>,
    pub team: String,
    pub can_filter: bool,
    /// (name, drifting, past due, carried forward)
    pub total: (usize, usize, usize),
    pub teams: Vec<(String, usize, usize, usize)>,
    pub workers: Vec<(String, usize, usize, usize)>,
    pub actions: Vec<ActionRow>,
}

pub async fn drift_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let team = match query
        .get("team")
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        Some(text) => Some(parse_id::<TeamId>(text)?),
        None => None,
    };
    let report = state.app.drift_report(&actor, team).await?;
    let can_filter = actor.role != frontdoor_domain::authorization::Role::TeamManager;
    let teams = if can_filter {
        state.app.teams(&actor).await?
    } else {
        vec![]
    };
    let counts =
        |c: frontdoor_app::supervision::DriftCount| (c.drifting, c.past_due, c.carried_forward);
    Ok(render(&DriftPage {
        chrome: Chrome::for_worker(&state, &worker, "/supervision"),
        today: date(report.today),
        teams_filter: teams
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone()))
            .collect(),
        team: report.team.map(|t| t.to_string()).unwrap_or_default(),
        can_filter,
        total: counts(report.total),
        teams: report
            .teams
            .iter()
            .map(|t| {
                let (a, b, c) = counts(t.counts);
                (t.name.clone(), a, b, c)
            })
            .collect(),
        workers: report
            .workers
            .iter()
            .map(|w| {
                let (a, b, c) = counts(w.counts);
                (w.name.clone(), a, b, c)
            })
            .collect(),
        actions: report.actions.iter().map(ActionRow::of).collect(),
    }))
}

/// The child's supervision on their record page.
pub struct ChildSupervisionSection {
    /// (link, held, worker, supervisor, risks reviewed, decisions)
    pub discussions: Vec<(String, String, String, String, String, String)>,
    pub actions: Vec<ActionRow>,
    pub drifting: usize,
}

impl ChildSupervisionSection {
    pub fn of(child: &ChildSupervision) -> Self {
        ChildSupervisionSection {
            discussions: child
                .discussions
                .iter()
                .map(|d| {
                    (
                        format!("/supervision/{}", d.supervision),
                        date(d.held_on),
                        d.worker_name.clone(),
                        d.supervisor_name.clone(),
                        d.risks_reviewed.clone(),
                        d.decisions.clone(),
                    )
                })
                .collect(),
            actions: child.actions.iter().map(ActionRow::of).collect(),
            drifting: child.actions.iter().filter(|a| a.drift.is_some()).count(),
        }
    }
}
