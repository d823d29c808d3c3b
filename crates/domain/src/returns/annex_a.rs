//! Ofsted's Annex A (ILACS) lists 1–7 for an inspection date: which records each list covers,
//! the columns, and the codes, as pure rules (see `docs/decisions/0021-ofsted-annex-a.md` for
//! where each heading and code comes from and how the windows are read).
//!
//! - Lists 1–3 (contacts, early help assessments, referrals) cover the six months before the
//!   inspection date: the window runs from the same day six months earlier to the inspection
//!   date, both included.
//! - Lists 4–7 cover the work that was live in that window: assessments and section 47
//!   enquiries open at any point in it, children in need open at the date or closed in the
//!   window, child protection plans open at the date or ended in the window.
//! - Nothing recorded for a day after the inspection date is reported (an assessment authorised
//!   the next day is still open on the list).
//!
//! The lists are built from the records as read (codes as text); the app writes them as an
//! xlsx workbook and CSVs.

mod codes;
mod lists;
#[cfg(test)]
mod tests;

pub use codes::*;
pub use lists::{
    build, AnnexA, AnnexAList, AnnexARecords, AnnexARow, AnnexAValue, AssessmentRecord,
    ChildRecord, ContactRecord, EarlyHelpAssessmentRecord, EmergencyActionRecord, EnquiryRecord,
    EpisodeRecord, PlanRecord,
};

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnnexAError {
    #[error(
        "Enter the inspection date as year-month-day, for example 2026-03-09: '{0}' is not a date."
    )]
    Date(String),
    #[error("Enter an inspection date between 2000 and 2100: {0} is outside them.")]
    OutOfRange(String),
}

/// The inspection date the lists are produced for, and the reporting windows it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct InspectionDate(NaiveDate);

impl InspectionDate {
    pub fn new(date: NaiveDate) -> Result<Self, AnnexAError> {
        if (2000..=2100).contains(&date.year()) {
            Ok(Self(date))
        } else {
            Err(AnnexAError::OutOfRange(date.to_string()))
        }
    }

    /// Reads `YYYY-MM-DD` (the form's and the command line's date).
    pub fn parse(text: &str) -> Result<Self, AnnexAError> {
        let text = text.trim();
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| AnnexAError::Date(text.to_string()))
            .and_then(Self::new)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// The first day of the six-month window: the same day six months earlier (the last day of
    /// that month when it is shorter).
    pub fn window_start(self) -> NaiveDate {
        months_before(self.0, 6)
    }

    /// Whether a day falls in the six months before the inspection date (both ends included).
    pub fn in_window(self, day: NaiveDate) -> bool {
        self.window_start() <= day && day <= self.0
    }

    /// Whether something that started on `start` and ended on `end` (if it has, as recorded)
    /// was open at any point of the window. An end recorded after the inspection date does not
    /// count: as at the date it was still open.
    pub fn live_in_window(self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.0 && end.is_none_or(|end| end >= self.window_start())
    }

    /// A date recorded for a day after the inspection date is not yet known on the date.
    pub fn as_at(self, day: Option<NaiveDate>) -> Option<NaiveDate> {
        day.filter(|d| *d <= self.0)
    }

    /// "9 March 2026".
    pub fn label(self) -> String {
        self.0.format("%-d %B %Y").to_string()
    }
}

/// The same day `months` months earlier (clamped to the month's last day).
pub fn months_before(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

/// A child's age in whole years on a day; none before they were born.
pub fn age_in_years(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// How many of `days` fall in the 12 months ending on `on` (the day twelve months earlier is
/// outside, `on` itself inside): "in the last 12 months", the row's own event included when it
/// is one of `days`.
pub fn in_last_12_months(days: impl IntoIterator<Item = NaiveDate>, on: NaiveDate) -> i64 {
    let from = months_before(on, 12);
    days.into_iter().filter(|d| from < *d && *d <= on).count() as i64
}
