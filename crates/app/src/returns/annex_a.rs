//! Ofsted's Annex A lists 1–7 for an inspection date: read through the store in one
//! consistent read, built by the domain's rules, and written with the shared spreadsheet
//! writer as one xlsx workbook (a sheet a list) and a CSV a list. Producing the files is an
//! access to every child in them (logged) and an event in the audit trail; the summary of row
//! counts names no child.

use crate::local_time::from_london;
use crate::spreadsheet::{table_csv, workbook_xlsx, Cell, SpreadsheetError, Table};
use crate::{london_date, App, AppError};
use chrono::{DateTime, Days, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_domain::returns::annex_a::{
    self, AnnexA, AnnexAList, AnnexAValue, ContactRecord, EmergencyActionRecord, InspectionDate,
};
use frontdoor_store::annex_a::{AnnexAPeriod, AnnexARead};
use frontdoor_store::events::NewEvent;
use serde::Serialize;
use serde_json::json;

/// The lists for an inspection date, as produced.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexAReport {
    pub annex: AnnexA,
    pub produced_at: DateTime<Utc>,
}

/// One list's row count, for the summary.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexAListCount {
    pub number: usize,
    pub name: &'static str,
    pub title: &'static str,
    pub rows: usize,
    /// The CSV's file name.
    pub csv: String,
}

impl AnnexAReport {
    pub fn inspection(&self) -> InspectionDate {
        self.annex.inspection
    }

    /// `annex-a-2026-03-09`: the files' name stem.
    pub fn file_stem(&self) -> String {
        format!("annex-a-{}", self.annex.inspection.date())
    }

    /// `annex-a-2026-03-09-list-3.csv`.
    pub fn csv_name(&self, list: usize) -> String {
        format!("{}-list-{list}.csv", self.file_stem())
    }

    pub fn counts(&self) -> Vec<AnnexAListCount> {
        self.annex
            .lists
            .iter()
            .map(|l| AnnexAListCount {
                number: l.number,
                name: l.name,
                title: l.title,
                rows: l.rows.len(),
                csv: self.csv_name(l.number),
            })
            .collect()
    }

    /// The lists as tables, a sheet each.
    pub fn tables(&self) -> Vec<Table> {
        self.annex.lists.iter().map(table_of).collect()
    }

    /// The workbook, one sheet a list.
    pub fn workbook(&self) -> Result<Vec<u8>, SpreadsheetError> {
        workbook_xlsx(&self.tables())
    }

    /// One list (1 to 7) as CSV; none for a list that does not exist.
    pub fn csv(&self, list: usize) -> Option<Result<String, SpreadsheetError>> {
        self.annex
            .lists
            .iter()
            .find(|l| l.number == list)
            .map(|l| table_csv(&table_of(l)))
    }
}

fn table_of(list: &AnnexAList) -> Table {
    let mut table = Table::new(list.name, &list.headings);
    table.rows = list
        .rows
        .iter()
        .map(|row| {
            row.values
                .iter()
                .map(|value| match value {
                    AnnexAValue::Text(text) => Cell::text(text.clone()),
                    AnnexAValue::Date(day) => Cell::Date(*day),
                    AnnexAValue::Count(n) => Cell::count(*n),
                    AnnexAValue::Blank => Cell::Blank,
                })
                .collect()
        })
        .collect();
    table
}

/// The date as typed, parsed; a bad one is a field error on `date`.
fn inspection_date(text: &str) -> Result<InspectionDate, AppError> {
    InspectionDate::parse(text).map_err(|e| AppError::invalid("date", e.to_string()))
}

/// The store's read, with what needs a London date dated.
fn records_of(read: AnnexARead) -> annex_a::AnnexARecords {
    let mut records = read.records;
    records.contacts = read
        .contacts
        .into_iter()
        .map(|c| ContactRecord {
            person: c.person,
            received_on: london_date(c.received_at),
            source: c.source,
        })
        .collect();
    for visit in read.enquiry_visits {
        if visit.child_seen {
            if let Some(enquiry) = records.enquiries.get_mut(visit.enquiry) {
                enquiry.child_seen_on.push(london_date(visit.visited_at));
            }
        }
    }
    records.emergency_actions = read
        .emergency_actions
        .into_iter()
        .map(|a| EmergencyActionRecord {
            person: a.person,
            taken_on: london_date(a.taken_at),
            action: a.action,
        })
        .collect();
    records
}

impl App {
    /// Reads and builds the lists for an inspection date.
    async fn build_annex_a(
        &self,
        authority: AuthorityId,
        on: InspectionDate,
    ) -> Result<AnnexAReport, AppError> {
        let produced_at = self.now();
        let midnight = |day: chrono::NaiveDate| from_london(day.and_time(chrono::NaiveTime::MIN));
        let period = AnnexAPeriod {
            date: on.date(),
            window_start: on.window_start(),
            from: midnight(on.window_start()),
            to: midnight(
                on.date()
                    .checked_add_days(Days::new(1))
                    .unwrap_or(on.date()),
            ),
        };
        let read = self.store.annex_a_records(authority, period).await?;
        Ok(AnnexAReport {
            annex: annex_a::build(on, &records_of(read)),
            produced_at,
        })
    }

    /// The lists' row counts for an inspection date (`YYYY-MM-DD`): names no child, so it is
    /// not an access to anyone's record.
    pub async fn annex_a(&self, actor: &Actor, date: &str) -> Result<AnnexAReport, AppError> {
        actor.may(Action::ProduceStatutoryReturns)?;
        let on = inspection_date(date)?;
        self.build_annex_a(actor.authority, on).await
    }

    /// The lists to download, the workbook (`list` none) or one list's CSV: every child in
    /// the file is an access, logged, and producing it is an event in the audit trail.
    pub async fn annex_a_file(
        &self,
        actor: &Actor,
        date: &str,
        list: Option<usize>,
    ) -> Result<AnnexAReport, AppError> {
        actor.may(Action::ProduceStatutoryReturns)?;
        let on = inspection_date(date)?;
        if list.is_some_and(|n| !(1..=annex_a::LIST_NAMES.len()).contains(&n)) {
            return Err(AppError::NotFound(
                "The list (Annex A lists are numbered 1 to 7)",
            ));
        }
        let report = self.build_annex_a(actor.authority, on).await?;
        let people: Vec<PersonId> = report.annex.people_in(list);
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &people,
                "annex_a_file",
                report.produced_at,
            )
            .await?;
        let mut tx = self.store.begin().await?;
        NewEvent::by(
            actor,
            report.produced_at,
            "annex_a_produced",
            actor.authority.0,
        )
        .with(produced_payload(&report, list))
        .append(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// The lists for an operator at the command line (who holds the database, so no worker is
    /// named): recorded as an event in the audit trail.
    pub async fn annex_a_for_operator(
        &self,
        authority: AuthorityId,
        on: InspectionDate,
    ) -> Result<AnnexAReport, AppError> {
        let report = self.build_annex_a(authority, on).await?;
        let mut tx = self.store.begin().await?;
        NewEvent::new(
            authority,
            report.produced_at,
            "annex_a_produced",
            authority.0,
        )
        .with(produced_payload(&report, None))
        .append(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}

/// What was produced: the date, the window, each list's rows and the file (a list's number,
/// or none for the workbook).
fn produced_payload(report: &AnnexAReport, list: Option<usize>) -> serde_json::Value {
    json!({
        "list": list,
        "inspection_date": report.annex.inspection.date(),
        "window_start": report.annex.window_start,
        "rows": report.annex.lists.iter().map(|l| l.rows.len()).collect::<Vec<_>>(),
        "children": report.annex.people_in(list).len(),
    })
}
