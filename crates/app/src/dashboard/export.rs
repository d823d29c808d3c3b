//! The dashboard's tables for download, through the one spreadsheet writer: the figures as a
//! workbook (a sheet each) or one table as CSV, and the children behind a figure.

use super::{ChildBehindFigure, Dashboard, RateFigure};
use crate::spreadsheet::{Cell, Table};
use frontdoor_domain::performance::Figure;
use frontdoor_domain::workload::CaseStage;

fn percent(value: Option<f64>) -> Cell {
    value.map_or(Cell::Blank, Cell::Number)
}

fn rate_row(name: &str, rate: RateFigure) -> Vec<Cell> {
    vec![
        Cell::text(name),
        Cell::count(rate.rate.met),
        Cell::count(rate.rate.of),
        percent(rate.percent),
    ]
}

/// The figures as tables: timeliness, conversion, information requests, decisions by level of
/// need and team, drift, workloads.
pub fn dashboard_tables(dashboard: &Dashboard) -> Vec<Table> {
    let mut timeliness = Table::new("Timeliness", &["Figure", "Met", "Of", "Percentage"]);
    timeliness.rows = vec![
        rate_row(
            "Decisions within one working day",
            dashboard.decisions_within_one_working_day,
        ),
        rate_row(
            "Assessments within 45 working days",
            dashboard.assessments_within_45_working_days,
        ),
        rate_row(
            "Initial conferences within 15 working days",
            dashboard.initial_conferences_within_15_working_days,
        ),
        rate_row("Re-referrals within 12 months", dashboard.re_referrals),
    ];
    let c = &dashboard.conversion;
    let mut conversion = Table::new("Conversion", &["Stage", "Number"]);
    conversion.rows = [
        ("Contacts", c.contacts),
        ("Referrals", c.referrals),
        ("Assessments started", c.assessments),
        ("Section 47 enquiries", c.section_47_enquiries),
        ("Initial conferences", c.initial_conferences),
        ("Child protection plans", c.protection_plans),
    ]
    .into_iter()
    .map(|(stage, n)| vec![Cell::text(stage), Cell::count(n)])
    .collect();
    let mut requests = Table::new(
        "Information requests",
        &[
            "Agency",
            "Sent",
            "Answered",
            "Answered within due time",
            "Answered or past due",
            "Percentage within due time",
            "Median hours to answer",
        ],
    );
    requests.rows = dashboard
        .information_requests
        .iter()
        .map(|a| {
            vec![
                Cell::text(&a.label),
                Cell::count(a.sent),
                Cell::count(a.answered),
                Cell::count(a.within_due.met),
                Cell::count(a.within_due.of),
                percent(a.within_due_percent),
                percent(a.median_hours),
            ]
        })
        .collect();
    let levels = &dashboard.consistency.levels;
    let mut headings: Vec<String> = vec!["Team".into()];
    headings.extend(levels.iter().map(|l| format!("{} {}", l.level, l.name)));
    headings.push("Total".into());
    let heading_refs: Vec<&str> = headings.iter().map(String::as_str).collect();
    let mut consistency = Table::new("Decisions by level", &heading_refs);
    consistency.rows = dashboard
        .consistency
        .teams
        .iter()
        .chain(std::iter::once(&dashboard.consistency.total))
        .map(|row| {
            let mut cells = vec![Cell::text(&row.team_name)];
            cells.extend(row.decisions.iter().map(|n| Cell::count(*n)));
            cells.push(Cell::count(row.total));
            cells
        })
        .collect();
    let mut drift = Table::new(
        "Drift",
        &["Team", "Actions drifting", "Past due", "Carried forward"],
    );
    drift.rows = dashboard
        .drift
        .teams
        .iter()
        .map(|t| (t.name.as_str(), t.counts))
        .chain(std::iter::once(("All", dashboard.drift.total)))
        .map(|(name, counts)| {
            vec![
                Cell::text(name),
                Cell::count(counts.drifting as i64),
                Cell::count(counts.past_due as i64),
                Cell::count(counts.carried_forward as i64),
            ]
        })
        .collect();
    let mut headings: Vec<&str> = vec!["Team", "Worker", "ASYE"];
    headings.extend(CaseStage::ALL.iter().map(|s| s.label()));
    headings.extend(["Open episodes", "Weighted caseload"]);
    let mut workloads = Table::new("Workloads", &headings);
    for team in &dashboard.workloads {
        for w in &team.workers {
            let mut cells = vec![
                Cell::text(&team.name),
                Cell::text(&w.caseload.name),
                Cell::text(if w.caseload.asye { "Yes" } else { "No" }),
            ];
            cells.extend(
                CaseStage::ALL
                    .iter()
                    .map(|s| Cell::count(i64::from(w.caseload.counts.of(*s)))),
            );
            cells.push(Cell::count(i64::from(w.episodes)));
            cells.push(Cell::Number(f64::from(w.weighted.tenths()) / 10.0));
            workloads.rows.push(cells);
        }
    }
    vec![
        timeliness,
        conversion,
        requests,
        consistency,
        drift,
        workloads,
    ]
}

/// The children behind a figure as a table (a sheet name is at most 31 characters).
pub fn children_table(figure: Figure, children: &[ChildBehindFigure]) -> Table {
    let mut table = Table::new(
        "Children",
        &[
            "Child",
            "LA person ID",
            "Team",
            "Contact reference",
            figure.date_label(),
            "Due",
            "Done",
            "Working days late",
        ],
    );
    table.rows = children
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.name),
                c.la_person_id.as_deref().map_or(Cell::Blank, Cell::text),
                c.team_name.as_deref().map_or(Cell::Blank, Cell::text),
                c.reference.as_deref().map_or(Cell::Blank, Cell::text),
                Cell::Date(c.on),
                Cell::date_or_blank(c.due),
                Cell::date_or_blank(c.done),
                c.working_days_late.map_or(Cell::Blank, Cell::count),
            ]
        })
        .collect();
    table
}
