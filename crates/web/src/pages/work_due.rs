//! Work due: strategy discussions to hold, initial conferences, reviews and statutory visits
//! for me, my team or the authority, soonest first, breaches marked.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::views::{date, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::{WorkDueKind, WorkDueScope};
use frontdoor_domain::timescale::TimescaleStatus;
use std::collections::HashMap;

pub struct WorkDueRow {
    pub what: &'static str,
    pub href: String,
    pub child: String,
    pub child_href: String,
    pub due: String,
    pub status: String,
    pub tag: &'static str,
    pub worker: String,
}

#[derive(Template)]
#[template(path = "child_protection/work_due.html")]
pub struct WorkDuePage {
    pub chrome: Chrome,
    pub scopes: Vec<(&'static str, &'static str, bool)>,
    pub rows: Vec<WorkDueRow>,
    pub due: u64,
    pub overdue: u64,
    /// (what, due, overdue) for each kind with anything due.
    pub kinds: Vec<(&'static str, u64, u64)>,
}

pub async fn work_due_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let scope = WorkDueScope::from_code(query.get("scope").map(String::as_str).unwrap_or(""));
    let work = state.app.work_due(&worker.actor(), scope).await?;
    let rows: Vec<WorkDueRow> = work
        .soonest
        .iter()
        .map(|i| {
            let (status, tag) = match i.status {
                TimescaleStatus::OnTime { working_days_left } => (
                    format!(
                        "{working_days_left} working day{} left",
                        if working_days_left == 1 { "" } else { "s" }
                    ),
                    "govuk-tag--green",
                ),
                TimescaleStatus::DueToday => ("Due today".to_string(), "govuk-tag--orange"),
                TimescaleStatus::Overdue { working_days_over } => (
                    format!(
                        "Overdue by {working_days_over} working day{}",
                        if working_days_over == 1 { "" } else { "s" }
                    ),
                    "govuk-tag--red",
                ),
            };
            WorkDueRow {
                what: i.kind.label(),
                href: match i.kind {
                    WorkDueKind::StrategyDiscussion => {
                        format!("/strategy-discussions/{}", i.record)
                    }
                    WorkDueKind::SupervisionAction => {
                        format!("/supervision/actions/{}", i.record)
                    }
                    WorkDueKind::Assessment => format!("/assessments/{}", i.record),
                    _ => format!("/episodes/{}", i.episode),
                },
                child: i.child_name.clone(),
                child_href: format!("/people/{}", i.child),
                due: date(i.due_on),
                status,
                tag,
                worker: i
                    .worker_name
                    .clone()
                    .or_else(|| i.team_name.clone())
                    .unwrap_or_else(|| "Not allocated".into()),
            }
        })
        .collect();
    let page = WorkDuePage {
        chrome: Chrome::for_worker(&state, &worker, "/work-due"),
        scopes: vec![
            ("mine", "Allocated to me", scope == WorkDueScope::Mine),
            ("team", "My team", scope == WorkDueScope::Team),
            ("all", "Everyone", scope == WorkDueScope::All),
        ],
        rows,
        due: work.due,
        overdue: work.overdue,
        kinds: work
            .by_kind
            .iter()
            .filter(|k| k.due > 0)
            .map(|k| (k.kind.label(), k.due, k.overdue))
            .collect(),
    };
    Ok(render(&page))
}
