//! Statutory returns: the returns page, and the DfE Children in Need census of a year with the
//! DfE's errors and queries listed child by child (each child linked to their record; the list
//! is an access to each child's record, logged) and the XML to download.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::views::{date, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use frontdoor_app::returns::{query_explanation, CinCensusReport};
use frontdoor_domain::returns::cin_census::{CensusYear, IssueKind};
use std::collections::{BTreeMap, HashMap};

#[derive(Template)]
#[template(path = "returns/index.html")]
pub struct ReturnsPage {
    pub chrome: Chrome,
    /// (value, label) of the years offered, newest first.
    pub years: Vec<(String, String)>,
    pub latest: String,
}

/// The latest complete collection years (as at today), newest first.
fn years_offered(today: chrono::NaiveDate) -> Vec<(String, String)> {
    let latest = CensusYear::latest_complete(today).year();
    (0..4)
        .filter_map(|back| CensusYear::new(latest + 1 - back).ok())
        .map(|y| {
            (
                y.year().to_string(),
                format!(
                    "{} (April {} to March {})",
                    y.year(),
                    y.year() - 1,
                    y.year()
                ),
            )
        })
        .collect()
}

pub async fn index(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    worker
        .actor()
        .may(frontdoor_domain::authorization::Action::ProduceStatutoryReturns)
        .map_err(frontdoor_app::AppError::from)?;
    let today = frontdoor_app::london_date(state.app.now());
    Ok(render(&ReturnsPage {
        chrome: Chrome::for_worker(&state, &worker, "/returns"),
        years: years_offered(today),
        latest: CensusYear::latest_complete(today).year().to_string(),
    }))
}

/// One rule broken, with how many children and (for queries) why this system raises it.
pub struct RuleRow {
    pub code: String,
    pub kind: String,
    pub message: String,
    pub children: usize,
    pub explanation: String,
}

/// One issue: the rule, the child (link and LA child ID) and what was found.
pub struct IssueRow {
    pub code: String,
    pub child_href: String,
    pub child_id: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "returns/cin_census.html")]
pub struct CinCensusPage {
    pub chrome: Chrome,
    pub year: String,
    pub label: String,
    pub reference_date: String,
    pub la_number: String,
    pub children: usize,
    pub episodes: usize,
    pub errors: usize,
    pub queries: usize,
    pub rules: Vec<RuleRow>,
    pub whole_return: Vec<(String, String, String, String)>,
    pub error_rows: Vec<IssueRow>,
    pub query_rows: Vec<IssueRow>,
    pub download_href: String,
}

fn year_of(query: &HashMap<String, String>, state: &AppState) -> String {
    query
        .get("year")
        .map(|y| y.trim().to_string())
        .filter(|y| !y.is_empty())
        .unwrap_or_else(|| {
            CensusYear::latest_complete(frontdoor_app::london_date(state.app.now()))
                .year()
                .to_string()
        })
}

fn page_of(chrome: Chrome, report: &CinCensusReport) -> CinCensusPage {
    let mut rules: BTreeMap<(u8, &str), RuleRow> = BTreeMap::new();
    let mut whole_return = Vec::new();
    let (mut error_rows, mut query_rows) = (Vec::new(), Vec::new());
    for issue in &report.issues {
        let kind_order = u8::from(issue.kind == IssueKind::Query);
        let row = rules
            .entry((kind_order, issue.code))
            .or_insert_with(|| RuleRow {
                code: issue.code.to_string(),
                kind: issue.kind.label().to_string(),
                message: issue.message.trim().to_string(),
                children: 0,
                explanation: query_explanation(issue.code)
                    .unwrap_or_default()
                    .to_string(),
            });
        match &issue.child {
            Some(child) => {
                row.children += 1;
                let line = IssueRow {
                    code: issue.code.to_string(),
                    child_href: format!("/people/{}", child.person),
                    child_id: child.la_child_id.clone(),
                    detail: issue.detail.clone(),
                };
                match issue.kind {
                    IssueKind::Error => error_rows.push(line),
                    IssueKind::Query => query_rows.push(line),
                }
            }
            None => whole_return.push((
                issue.code.to_string(),
                issue.kind.label().to_string(),
                issue.message.trim().to_string(),
                format!(
                    "{} {}",
                    issue.detail,
                    query_explanation(issue.code).unwrap_or_default()
                )
                .trim()
                .to_string(),
            )),
        }
    }
    let year = report.census.year;
    CinCensusPage {
        chrome,
        year: year.year().to_string(),
        label: year.label(),
        reference_date: date(year.reference_date()),
        la_number: report.census.la_number.clone(),
        children: report.children(),
        episodes: report.episodes(),
        errors: report.errors(),
        queries: report.queries(),
        rules: rules.into_values().filter(|r| r.children > 0).collect(),
        whole_return,
        error_rows,
        query_rows,
        download_href: format!("/returns/cin-census.xml?year={}", year.year()),
    }
}

pub async fn cin_census(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let year = year_of(&query, &state);
    let report = state.app.cin_census(&worker.actor(), &year).await?;
    let chrome = Chrome::for_worker(&state, &worker, "/returns");
    Ok(render(&page_of(chrome, &report)))
}

/// The census XML, as a download.
pub async fn cin_census_file(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let year = year_of(&query, &state);
    let report = state.app.cin_census_file(&worker.actor(), &year).await?;
    let name = format!("cin-census-{}.xml", report.census.year.year());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/xml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        report.xml(),
    )
        .into_response())
}
