//! The threshold prompt departures report: authorised decisions below the outcome a prompt
//! asked for, with the manager's reason, for team managers and quality assurance.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::views::{date, instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Months, NaiveDate};
use frontdoor_app::london_date;
use std::collections::HashMap;

/// One departure: (contact link, reference, authorised at and by, outcome, prompt and the
/// outcome it asked for, why it fired, the manager's reason).
pub struct DepartureRow {
    pub contact_href: String,
    pub reference: String,
    pub authorised: String,
    pub outcome: String,
    pub prompt: String,
    pub because: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "threshold_prompts/departures.html")]
pub struct DeparturesPage {
    pub chrome: Chrome,
    pub from: String,
    pub to: String,
    pub period: String,
    pub error: String,
    pub rows: Vec<DepartureRow>,
}

pub async fn departures_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let today = london_date(state.app.now());
    let default_from = today.checked_sub_months(Months::new(3)).unwrap_or(today);
    let parse = |name: &str| {
        query
            .get(name)
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
    };
    let mut error = String::new();
    let mut pick = |name: &str, default: NaiveDate| match parse(name) {
        None => default,
        Some(Ok(d)) => d,
        Some(Err(_)) => {
            error = format!("Enter the {name} date as YYYY-MM-DD: showing the last 3 months.");
            default
        }
    };
    let (mut from, mut to) = (pick("from", default_from), pick("to", today));
    if to < from {
        error = "The end date is before the start date: showing the last 3 months.".into();
        (from, to) = (default_from, today);
    }
    let departures = state
        .app
        .threshold_prompt_departures(&actor, from, to)
        .await?;
    let rows = departures
        .into_iter()
        .map(|d| DepartureRow {
            contact_href: format!("/contacts/{}", d.contact),
            reference: d.contact_reference,
            authorised: format!("{} by {}", instant(d.authorised_at), d.authorised_by_name),
            outcome: d.outcome.label().into(),
            prompt: format!(
                "{} (asks for at least {})",
                d.name,
                d.minimum_outcome.label().to_lowercase()
            ),
            because: d.because,
            reason: d.reason,
        })
        .collect();
    Ok(render(&DeparturesPage {
        chrome: Chrome::for_worker(&state, &worker, "/threshold-prompts"),
        from: from.to_string(),
        to: to.to_string(),
        period: format!("{} to {}", date(from), date(to)),
        error,
        rows,
    }))
}
