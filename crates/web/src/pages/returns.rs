//! Statutory returns: the returns page; the DfE Children in Need census of a year with the
//! DfE's errors and queries listed child by child (each child linked to their record; the list
//! is an access to each child's record, logged) and the XML to download; and Ofsted's Annex A
//! for an inspection date: each list's row count, the workbook and each list's CSV to download
//! (each file an access to every child in it, logged).

use crate::auth::Worker;
use crate::errors::PageError;
use crate::views::{date, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use frontdoor_app::returns::{query_explanation, AnnexAReport, CinCensusReport};
use frontdoor_app::spreadsheet::SpreadsheetError;
use frontdoor_app::AppError;
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

/// One list's line in the summary: its name, what it is about, its rows and its CSV.
pub struct AnnexAListLine {
    pub name: &'static str,
    pub title: &'static str,
    pub rows: usize,
    pub href: String,
}

/// The lists counted for an inspection date.
pub struct AnnexASummary {
    pub label: String,
    pub window: String,
    pub workbook_href: String,
    pub lists: Vec<AnnexAListLine>,
}

#[derive(Template)]
#[template(path = "returns/annex_a.html")]
pub struct AnnexAPage {
    pub chrome: Chrome,
    pub date: String,
    pub example: String,
    pub error: Option<String>,
    pub summary: Option<AnnexASummary>,
}

fn summary_of(report: &AnnexAReport) -> AnnexASummary {
    let on = report.inspection();
    let query = format!("date={}", on.date());
    AnnexASummary {
        label: on.label(),
        window: format!("{} to {}", date(report.annex.window_start), date(on.date())),
        workbook_href: format!("/returns/annex-a.xlsx?{query}"),
        lists: report
            .counts()
            .into_iter()
            .map(|l| AnnexAListLine {
                name: l.name,
                title: l.title,
                rows: l.rows,
                href: format!("/returns/annex-a/list-{}.csv?{query}", l.number),
            })
            .collect(),
    }
}

/// The Annex A page: a date field, and once a date is given, each list's row count with links
/// to the workbook and each CSV. A date that is not a date is shown beside the field.
pub async fn annex_a(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    actor
        .may(frontdoor_domain::authorization::Action::ProduceStatutoryReturns)
        .map_err(AppError::from)?;
    let chrome = Chrome::for_worker(&state, &worker, "/returns");
    let example = frontdoor_app::london_date(state.app.now()).to_string();
    let date = query.get("date").map(|d| d.trim().to_string());
    let mut page = AnnexAPage {
        chrome,
        date: date.clone().unwrap_or_default(),
        example,
        error: None,
        summary: None,
    };
    if let Some(date) = date {
        match state.app.annex_a(&actor, &date).await {
            Ok(report) => page.summary = Some(summary_of(&report)),
            Err(AppError::Invalid(errors)) => {
                page.error = errors.into_iter().next().map(|e| e.message);
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(render(&page))
}

/// A file to download, with its name.
fn download(content_type: &str, name: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV: &str = "text/csv; charset=utf-8";

/// The inspection date as given (a missing one is refused by the app as not a date).
pub fn date_of(query: &HashMap<String, String>) -> String {
    query.get("date").cloned().unwrap_or_default()
}

/// Why an Annex A file could not be given: the app refused (or failed), or the file could not
/// be written.
pub enum AnnexAFileFailure {
    App(AppError),
    Written(SpreadsheetError),
}

impl From<AnnexAFileFailure> for PageError {
    fn from(failure: AnnexAFileFailure) -> Self {
        match failure {
            AnnexAFileFailure::App(e) => e.into(),
            AnnexAFileFailure::Written(error) => {
                tracing::error!(%error, "an Annex A file could not be written");
                PageError::Internal
            }
        }
    }
}

/// An Annex A file as a download, for the page and the API: the workbook (`list` none) or one
/// list's CSV; every child in it is an access, logged, and producing it an event.
pub async fn annex_a_download(
    state: &AppState,
    actor: &frontdoor_domain::authorization::Actor,
    date: &str,
    list: Option<usize>,
) -> Result<Response, AnnexAFileFailure> {
    let report = state
        .app
        .annex_a_file(actor, date, list)
        .await
        .map_err(AnnexAFileFailure::App)?;
    let (content_type, name, body) = match list {
        None => (
            XLSX,
            format!("{}.xlsx", report.file_stem()),
            report.workbook().map_err(AnnexAFileFailure::Written)?,
        ),
        Some(n) => (
            CSV,
            report.csv_name(n),
            report
                .csv(n)
                .ok_or(AnnexAFileFailure::App(AppError::NotFound("The list")))?
                .map_err(AnnexAFileFailure::Written)?
                .into_bytes(),
        ),
    };
    Ok(download(content_type, &name, body))
}

/// The workbook, lists 1 to 7.
pub async fn annex_a_workbook(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    Ok(annex_a_download(&state, &worker.actor(), &date_of(&query), None).await?)
}

/// One list as CSV (`/returns/annex-a/list-3.csv`).
pub async fn annex_a_csv(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let list = list_number(&file).ok_or_else(|| PageError::no_such("list"))?;
    Ok(annex_a_download(&state, &worker.actor(), &date_of(&query), Some(list)).await?)
}

/// `list-3.csv` is list 3; lists are 1 to 7.
pub fn list_number(file: &str) -> Option<usize> {
    file.strip_prefix("list-")?
        .strip_suffix(".csv")?
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=7).contains(n))
}
