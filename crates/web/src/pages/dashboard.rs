//! The performance dashboard: the figures of a period (and a team) as server-drawn charts,
//! each beside a table of the same numbers; each figure links to the children behind it; the
//! figures and every list of children download as CSV or xlsx.

use crate::auth::Worker;
use crate::charts::{bar_chart, Bar};
use crate::errors::PageError;
use crate::views::{date, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use frontdoor_app::dashboard::export::{children_table, dashboard_tables};
use frontdoor_app::dashboard::{period_of, team_of, ChildBehindFigure, Dashboard, RateFigure};
use frontdoor_app::spreadsheet::{table_csv, workbook_xlsx, Table};
use frontdoor_app::AppError;
use frontdoor_domain::ids::TeamId;
use frontdoor_domain::performance::{Figure, Period};
use std::collections::HashMap;

/// The period and team a request asks for, as typed, and parsed.
struct Filter {
    period: Period,
    team: Option<TeamId>,
}

impl Filter {
    fn of(state: &AppState, query: &HashMap<String, String>) -> Result<Filter, AppError> {
        let text = |key: &str| query.get(key).map(String::as_str).unwrap_or("");
        Ok(Filter {
            period: period_of(text("from"), text("to"), state.app.today())?,
            team: team_of(text("team"))?,
        })
    }

    /// `from=…&to=…[&team=…]`, for links that keep the filter.
    fn query(&self) -> String {
        let mut q = format!("from={}&to={}", self.period.from(), self.period.to());
        if let Some(team) = self.team {
            q.push_str(&format!("&team={team}"));
        }
        q
    }
}

/// A row of a table: a label, numbers as text, and the children behind it (if any).
pub struct FigureRow {
    pub label: String,
    pub cells: Vec<String>,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/index.html")]
pub struct DashboardPage {
    pub chrome: Chrome,
    pub from: String,
    pub to: String,
    pub period: String,
    pub scope: String,
    /// (value, label, selected) for "All teams" and each team.
    pub teams: Vec<(String, String, bool)>,
    pub query: String,
    pub timeliness_chart: String,
    pub timeliness: Vec<FigureRow>,
    pub conversion_chart: String,
    pub conversion: Vec<FigureRow>,
    pub requests_chart: String,
    pub requests: Vec<FigureRow>,
    pub requests_late_href: String,
    pub level_headings: Vec<String>,
    pub consistency: Vec<FigureRow>,
    pub drift_scope: String,
    pub drift_chart: String,
    pub drift: Vec<FigureRow>,
    pub drift_href: String,
    pub workloads_chart: String,
    pub workloads: Vec<FigureRow>,
    /// (href, label) of each CSV table.
    pub csv_tables: Vec<(String, String)>,
}

fn percent_text(p: Option<f64>) -> String {
    p.map_or_else(|| "–".to_string(), |p| format!("{p:.1}%"))
}

fn rate_row(label: &str, rate: RateFigure, href: Option<String>) -> FigureRow {
    FigureRow {
        label: label.to_string(),
        cells: vec![
            rate.rate.met.to_string(),
            rate.rate.of.to_string(),
            percent_text(rate.percent),
        ],
        href,
    }
}

fn drill(figure: Figure, query: &str) -> String {
    format!("/dashboard/{}?{query}", figure.slug())
}

fn page(chrome: Chrome, filter: &Filter, d: &Dashboard) -> DashboardPage {
    let q = filter.query();
    let rates = [
        (
            "Decisions within one working day",
            d.decisions_within_one_working_day,
            Figure::DecisionsLate,
        ),
        (
            "Assessments within 45 working days",
            d.assessments_within_45_working_days,
            Figure::AssessmentsLate,
        ),
        (
            "Initial conferences within 15 working days",
            d.initial_conferences_within_15_working_days,
            Figure::InitialConferencesLate,
        ),
        (
            "Re-referrals within 12 months",
            d.re_referrals,
            Figure::ReReferrals,
        ),
    ];
    let timeliness_chart = bar_chart(
        "timeliness-chart",
        "Timeliness and re-referrals",
        &rates
            .iter()
            .map(|(label, r, _)| format!("{label}: {}", r.rate.describe()))
            .collect::<Vec<_>>()
            .join("; "),
        &rates
            .iter()
            .map(|(label, r, _)| {
                Bar::new(*label, r.percent.unwrap_or(0.0), percent_text(r.percent))
            })
            .collect::<Vec<_>>(),
        100.0,
    );
    let timeliness = rates
        .iter()
        .map(|(label, r, figure)| rate_row(label, *r, Some(drill(*figure, &q))))
        .collect();
    let c = &d.conversion;
    let stages = [
        ("Contacts", c.contacts, Figure::Contacts),
        ("Referrals", c.referrals, Figure::Referrals),
        ("Assessments", c.assessments, Figure::AssessmentsStarted),
        (
            "Section 47 enquiries",
            c.section_47_enquiries,
            Figure::Section47Enquiries,
        ),
        (
            "Initial conferences",
            c.initial_conferences,
            Figure::InitialConferences,
        ),
        (
            "Child protection plans",
            c.protection_plans,
            Figure::ProtectionPlans,
        ),
    ];
    let largest = stages.iter().map(|s| s.1).max().unwrap_or(0) as f64;
    let conversion_chart = bar_chart(
        "conversion-chart",
        "From contact to child protection plan",
        &stages
            .iter()
            .map(|(label, n, _)| format!("{label}: {n}"))
            .collect::<Vec<_>>()
            .join("; "),
        &stages
            .iter()
            .map(|(label, n, _)| Bar::new(*label, *n as f64, n.to_string()))
            .collect::<Vec<_>>(),
        largest,
    );
    let mut previous: Option<i64> = None;
    let conversion = stages
        .iter()
        .map(|(label, n, figure)| {
            let of_previous = previous
                .map(|p| percent_text(frontdoor_domain::performance::Rate::new(*n, p).percent()))
                .unwrap_or_default();
            previous = Some(*n);
            FigureRow {
                label: label.to_string(),
                cells: vec![n.to_string(), of_previous],
                href: Some(drill(*figure, &q)),
            }
        })
        .collect();
    let requests_chart = bar_chart(
        "requests-chart",
        "Information requests answered within the due time, by agency",
        &if d.information_requests.is_empty() {
            "No information requests were sent in the period.".to_string()
        } else {
            d.information_requests
                .iter()
                .map(|a| format!("{}: {}", a.label, a.within_due.describe()))
                .collect::<Vec<_>>()
                .join("; ")
        },
        &d.information_requests
            .iter()
            .map(|a| {
                Bar::new(
                    a.label.clone(),
                    a.within_due_percent.unwrap_or(0.0),
                    percent_text(a.within_due_percent),
                )
            })
            .collect::<Vec<_>>(),
        100.0,
    );
    let requests = d
        .information_requests
        .iter()
        .map(|a| FigureRow {
            label: a.label.clone(),
            cells: vec![
                a.sent.to_string(),
                a.answered.to_string(),
                format!("{} of {}", a.within_due.met, a.within_due.of),
                percent_text(a.within_due_percent),
                a.median_hours
                    .map_or_else(|| "–".to_string(), |h| format!("{h:.1}")),
            ],
            href: None,
        })
        .collect();
    let level_headings = d
        .consistency
        .levels
        .iter()
        .map(|l| format!("{} {}", l.level, l.name))
        .collect();
    let consistency = d
        .consistency
        .teams
        .iter()
        .chain(std::iter::once(&d.consistency.total))
        .map(|row| {
            let mut cells: Vec<String> = row
                .decisions
                .iter()
                .zip(row.shares())
                .map(|(n, share)| format!("{n} ({})", percent_text(share)))
                .collect();
            cells.push(row.total.to_string());
            FigureRow {
                label: row.team_name.clone(),
                cells,
                href: None,
            }
        })
        .collect();
    let drift_rows: Vec<_> = d
        .drift
        .teams
        .iter()
        .map(|t| (t.name.clone(), t.counts))
        .collect();
    let drift_chart = bar_chart(
        "drift-chart",
        "Supervision actions drifting today, by team",
        &if drift_rows.is_empty() {
            "No supervision actions are drifting.".to_string()
        } else {
            drift_rows
                .iter()
                .map(|(name, c)| format!("{name}: {}", c.drifting))
                .collect::<Vec<_>>()
                .join("; ")
        },
        &drift_rows
            .iter()
            .map(|(name, c)| Bar::new(name.clone(), c.drifting as f64, c.drifting.to_string()))
            .collect::<Vec<_>>(),
        drift_rows
            .iter()
            .map(|(_, c)| c.drifting)
            .max()
            .unwrap_or(0) as f64,
    );
    let drift = drift_rows
        .iter()
        .map(|(name, c)| (name.clone(), *c))
        .chain(std::iter::once(("All".to_string(), d.drift.total)))
        .map(|(name, c)| FigureRow {
            label: name,
            cells: vec![
                c.drifting.to_string(),
                c.past_due.to_string(),
                c.carried_forward.to_string(),
            ],
            href: None,
        })
        .collect();
    let workloads_chart = bar_chart(
        "workloads-chart",
        "Weighted caseload by team",
        &d.workloads
            .iter()
            .map(|t| format!("{}: {} ({} open episodes)", t.name, t.weighted, t.episodes))
            .collect::<Vec<_>>()
            .join("; "),
        &d.workloads
            .iter()
            .map(|t| {
                Bar::new(
                    t.name.clone(),
                    f64::from(t.weighted.tenths()) / 10.0,
                    t.weighted.to_string(),
                )
            })
            .collect::<Vec<_>>(),
        d.workloads
            .iter()
            .map(|t| t.weighted.tenths())
            .max()
            .unwrap_or(0) as f64
            / 10.0,
    );
    let workloads = d
        .workloads
        .iter()
        .flat_map(|t| {
            t.workers.iter().map(move |w| FigureRow {
                label: w.caseload.name.clone(),
                cells: vec![
                    t.name.clone(),
                    w.episodes.to_string(),
                    format!(
                        "{}{}",
                        w.weighted,
                        if w.over_asye_cap {
                            " (over the ASYE protected caseload)"
                        } else {
                            ""
                        }
                    ),
                ],
                href: None,
            })
        })
        .collect();
    let mut teams = vec![(String::new(), "All teams".to_string(), d.team.is_none())];
    teams.extend(
        d.teams
            .iter()
            .map(|t| (t.id.to_string(), t.name.clone(), Some(t.id) == d.team)),
    );
    let csv_tables = dashboard_tables(d)
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (
                format!("/dashboard/download?{q}&format=csv&table={i}"),
                t.name.clone(),
            )
        })
        .collect();
    DashboardPage {
        chrome,
        from: filter.period.from().to_string(),
        to: filter.period.to().to_string(),
        period: format!(
            "{} to {}",
            date(filter.period.from()),
            date(filter.period.to())
        ),
        scope: d.team_name.clone().unwrap_or_else(|| "All teams".into()),
        teams,
        timeliness_chart,
        timeliness,
        conversion_chart,
        conversion,
        requests_chart,
        requests,
        requests_late_href: drill(Figure::InformationRequestsLate, &q),
        level_headings,
        consistency,
        drift_scope: match (d.drift.team, d.team) {
            (Some(_), None) => "your team".into(),
            (Some(_), Some(_)) => d.team_name.clone().unwrap_or_default(),
            (None, _) => "all teams".into(),
        },
        drift_chart,
        drift,
        drift_href: drill(Figure::Drift, &q),
        workloads_chart,
        workloads,
        csv_tables,
        query: q,
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let filter = Filter::of(&state, &query)?;
    let dashboard = state
        .app
        .dashboard(&worker.actor(), filter.period, filter.team)
        .await?;
    let chrome = Chrome::for_worker(&state, &worker, "/dashboard");
    Ok(render(&page(chrome, &filter, &dashboard)))
}

/// A table (or tables) as a download.
fn download(name: &str, format: &str, tables: &[Table]) -> Result<Response, AppError> {
    let failed = |e: frontdoor_app::spreadsheet::SpreadsheetError| {
        AppError::invalid("format", e.to_string())
    };
    match format {
        "xlsx" => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.xlsx\""),
                ),
            ],
            workbook_xlsx(tables).map_err(failed)?,
        )
            .into_response()),
        "csv" => {
            let table = tables.first().ok_or(AppError::NotFound("That table"))?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}.csv\""),
                    ),
                ],
                table_csv(table).map_err(failed)?,
            )
                .into_response())
        }
        _ => Err(AppError::invalid("format", "Choose CSV or xlsx.")),
    }
}

/// The figures as a workbook (`format=xlsx`), or one of their tables as CSV (`format=csv&table=N`).
pub async fn dashboard_download(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let filter = Filter::of(&state, &query)?;
    let dashboard = state
        .app
        .dashboard(&worker.actor(), filter.period, filter.team)
        .await?;
    let mut tables = dashboard_tables(&dashboard);
    let format = query.get("format").map(String::as_str).unwrap_or("xlsx");
    let name = format!(
        "dashboard-{}-to-{}",
        filter.period.from(),
        filter.period.to()
    );
    if format == "csv" {
        let index: usize = query.get("table").and_then(|t| t.parse().ok()).unwrap_or(0);
        if index >= tables.len() {
            return Err(AppError::NotFound("That table").into());
        }
        let table = tables.swap_remove(index);
        let name = format!("{name}-{}", table.name.to_lowercase().replace(' ', "-"));
        return Ok(download(&name, format, &[table])?);
    }
    Ok(download(&name, format, &tables)?)
}

pub struct ChildLine {
    pub name: String,
    pub href: Option<String>,
    pub la_person_id: String,
    pub team: String,
    pub reference: String,
    pub reference_href: Option<String>,
    pub on: String,
    pub due: String,
    pub done: String,
    pub late: String,
}

#[derive(Template)]
#[template(path = "dashboard/children.html")]
pub struct ChildrenPage {
    pub chrome: Chrome,
    pub heading: String,
    pub period: String,
    pub scope: String,
    pub current: bool,
    pub date_label: String,
    pub back_href: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub children: Vec<ChildLine>,
}

fn child_line(figure: Figure, c: &ChildBehindFigure) -> ChildLine {
    let contact = matches!(figure, Figure::DecisionsLate | Figure::Contacts);
    ChildLine {
        name: c.name.clone(),
        href: c.person.map(|p| format!("/people/{p}")),
        la_person_id: c.la_person_id.clone().unwrap_or_default(),
        team: c.team_name.clone().unwrap_or_else(|| "No team".into()),
        reference: c.reference.clone().unwrap_or_default(),
        reference_href: contact.then(|| format!("/contacts/{}", c.record)),
        on: date(c.on),
        due: c.due.map(date).unwrap_or_default(),
        done: c.done.map(date).unwrap_or_else(|| {
            if c.due.is_some() {
                "Not yet".into()
            } else {
                String::new()
            }
        }),
        late: c
            .working_days_late
            .map(|n| n.to_string())
            .unwrap_or_default(),
    }
}

async fn children_of(
    state: &AppState,
    worker: &frontdoor_app::SignedIn,
    figure: &str,
    query: &HashMap<String, String>,
) -> Result<(Figure, Filter, Vec<ChildBehindFigure>), AppError> {
    let figure: Figure = figure
        .parse()
        .map_err(|_| AppError::NotFound("That figure"))?;
    let filter = Filter::of(state, query)?;
    let children = state
        .app
        .children_behind(&worker.actor(), figure, filter.period, filter.team)
        .await?;
    Ok((figure, filter, children))
}

pub async fn children(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(figure): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (figure, filter, children) = children_of(&state, &worker, &figure, &query).await?;
    let q = filter.query();
    let scope = match filter.team {
        None => "All teams".to_string(),
        Some(_) => children
            .first()
            .and_then(|c| c.team_name.clone())
            .unwrap_or_else(|| "One team".into()),
    };
    Ok(render(&ChildrenPage {
        chrome: Chrome::for_worker(&state, &worker, "/dashboard"),
        heading: figure.label().to_string(),
        period: format!(
            "{} to {}",
            date(filter.period.from()),
            date(filter.period.to())
        ),
        scope,
        current: figure.is_current(),
        date_label: figure.date_label().to_string(),
        back_href: format!("/dashboard?{q}"),
        csv_href: format!("/dashboard/{}/download?{q}&format=csv", figure.slug()),
        xlsx_href: format!("/dashboard/{}/download?{q}&format=xlsx", figure.slug()),
        children: children.iter().map(|c| child_line(figure, c)).collect(),
    }))
}

pub async fn children_download(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(figure): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (figure, filter, children) = children_of(&state, &worker, &figure, &query).await?;
    let format = query.get("format").map(String::as_str).unwrap_or("csv");
    let name = format!(
        "{}-{}-to-{}",
        figure.slug(),
        filter.period.from(),
        filter.period.to()
    );
    Ok(download(
        &name,
        format,
        &[children_table(figure, &children)],
    )?)
}
