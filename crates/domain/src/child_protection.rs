//! Section 47 enquiries, child protection conferences and plans: their due dates and codes.
//!
//! Due dates follow [`crate::timescale`]: the day of the triggering event is day 0 (it does not
//! count), and "within 15 working days" means by the end of the 15th working day after it.
//!
//! - The initial child protection conference (ICPC) is due 15 working days after the strategy
//!   discussion that started the enquiry (the day it was held).
//! - The first review conference is due within 3 months of the ICPC; each later review within
//!   6 months of the previous review. A month-end date that does not exist (30 November + 3
//!   months) falls back to the month's last day, and a date that is not a working day to the
//!   working day before it.
//! - Statutory visits to a child on a plan: at least every [`STATUTORY_VISIT_WORKING_DAYS`]
//!   working days from the plan's start or the last visit (a local standard: Working Together
//!   leaves the frequency to the plan; ten working days is the common one, and the figure is
//!   kept in one place).

use crate::calendar::WorkingDayCalendar;
use crate::timescale::Timescale;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChildProtectionError {
    #[error("Choose the category of abuse: '{0}' is not one of NEG, PHY, SAB, EMO or MUL.")]
    UnknownCategory(String),
}

/// The category of abuse of a child protection plan, as the DfE codes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CategoryOfAbuse {
    #[serde(rename = "NEG")]
    Neglect,
    #[serde(rename = "PHY")]
    PhysicalAbuse,
    #[serde(rename = "SAB")]
    SexualAbuse,
    #[serde(rename = "EMO")]
    EmotionalAbuse,
    #[serde(rename = "MUL")]
    Multiple,
}

impl CategoryOfAbuse {
    pub const ALL: [CategoryOfAbuse; 5] = [
        CategoryOfAbuse::Neglect,
        CategoryOfAbuse::PhysicalAbuse,
        CategoryOfAbuse::SexualAbuse,
        CategoryOfAbuse::EmotionalAbuse,
        CategoryOfAbuse::Multiple,
    ];
    pub fn code(self) -> &'static str {
        match self {
            CategoryOfAbuse::Neglect => "NEG",
            CategoryOfAbuse::PhysicalAbuse => "PHY",
            CategoryOfAbuse::SexualAbuse => "SAB",
            CategoryOfAbuse::EmotionalAbuse => "EMO",
            CategoryOfAbuse::Multiple => "MUL",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CategoryOfAbuse::Neglect => "Neglect",
            CategoryOfAbuse::PhysicalAbuse => "Physical abuse",
            CategoryOfAbuse::SexualAbuse => "Sexual abuse",
            CategoryOfAbuse::EmotionalAbuse => "Emotional abuse",
            CategoryOfAbuse::Multiple => "Multiple categories",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, ChildProtectionError> {
        let wanted = code.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|c| c.code() == wanted)
            .ok_or_else(|| ChildProtectionError::UnknownCategory(code.trim().to_string()))
    }
}

/// The ICPC's due date: 15 working days after the day the strategy discussion was held.
pub fn icpc_due(calendar: &WorkingDayCalendar, strategy_discussion_on: NaiveDate) -> NaiveDate {
    Timescale::InitialChildProtectionConference.due_date(calendar, strategy_discussion_on)
}

/// The next review conference's due date: within 3 months of the ICPC when there has been no
/// review yet, otherwise within 6 months of the latest review.
pub fn next_review_due(
    calendar: &WorkingDayCalendar,
    icpc_on: NaiveDate,
    latest_review_on: Option<NaiveDate>,
) -> NaiveDate {
    match latest_review_on {
        None => Timescale::FirstReviewConference.due_date(calendar, icpc_on),
        Some(review) => Timescale::SubsequentReviewConference.due_date(calendar, review),
    }
}

/// The local standard for visits to a child on a child protection plan.
pub const STATUTORY_VISIT_WORKING_DAYS: u32 = 10;

/// The next statutory visit's due date: [`STATUTORY_VISIT_WORKING_DAYS`] working days after the
/// plan started, or after the latest visit.
pub fn next_statutory_visit_due(
    calendar: &WorkingDayCalendar,
    plan_start: NaiveDate,
    latest_visit_on: Option<NaiveDate>,
) -> NaiveDate {
    calendar.add_working_days(
        latest_visit_on.unwrap_or(plan_start).max(plan_start),
        STATUTORY_VISIT_WORKING_DAYS,
    )
}

/// Whether a visit in a section 47 enquiry came before the strategy discussion agreed how the
/// enquiry would proceed: such a visit is flagged, and needs a recorded reason.
pub fn visit_precedes_plan(visited_at: DateTime<Utc>, plan_agreed_at: DateTime<Utc>) -> bool {
    visited_at < plan_agreed_at
}

/// The least a reason must say.
pub const MIN_REASON_CHARS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn category_codes_are_the_dfe_codes() {
        for category in CategoryOfAbuse::ALL {
            assert_eq!(CategoryOfAbuse::from_code(category.code()), Ok(category));
        }
        assert_eq!(
            CategoryOfAbuse::from_code("neg"),
            Ok(CategoryOfAbuse::Neglect)
        );
        assert!(CategoryOfAbuse::from_code("DOM").is_err());
    }

    #[test]
    fn icpc_due_counts_working_days_after_the_strategy_discussion() {
        let calendar = WorkingDayCalendar::new();
        // Tuesday 3 March 2026: day 0; 15 working days later is Tuesday 24 March.
        assert_eq!(icpc_due(&calendar, date(2026, 3, 3)), date(2026, 3, 24));
    }

    #[test]
    fn icpc_due_skips_easter() {
        let calendar = WorkingDayCalendar::new();
        // Wednesday 1 April 2026; Good Friday 3 April and Easter Monday 6 April do not count,
        // so the conference is due Friday 24 April rather than Wednesday 22 April.
        assert_eq!(icpc_due(&calendar, date(2026, 4, 1)), date(2026, 4, 24));
    }

    #[test]
    fn icpc_due_skips_christmas_and_new_year() {
        let calendar = WorkingDayCalendar::new();
        // Monday 21 December 2026: Christmas Day (Friday), Boxing Day substitute (Monday 28)
        // and New Year's Day 2027 (Friday) do not count.
        assert_eq!(icpc_due(&calendar, date(2026, 12, 21)), date(2027, 1, 14));
        // A local closure day (24 December) moves it one more day.
        let closed = WorkingDayCalendar::with_local_closures([date(2026, 12, 24)]);
        assert_eq!(icpc_due(&closed, date(2026, 12, 21)), date(2027, 1, 15));
    }

    #[test]
    fn review_conferences_at_month_ends() {
        let calendar = WorkingDayCalendar::new();
        // ICPC on Monday 30 November 2026: 3 months is 28 February 2027 (there is no 30th),
        // a Sunday, so the review is due Friday 26 February.
        assert_eq!(
            next_review_due(&calendar, date(2026, 11, 30), None),
            date(2027, 2, 26)
        );
        // ICPC on 31 August 2026: due Monday 30 November 2026.
        assert_eq!(
            next_review_due(&calendar, date(2026, 8, 31), None),
            date(2026, 11, 30)
        );
        // A later review counts 6 months from the previous review, not from the ICPC: from
        // Friday 26 February 2027 to Thursday 26 August 2027.
        assert_eq!(
            next_review_due(&calendar, date(2026, 11, 30), Some(date(2027, 2, 26))),
            date(2027, 8, 26)
        );
        // From Monday 31 August 2026: 28 February 2027 is a Sunday, so Friday 26 February.
        assert_eq!(
            next_review_due(&calendar, date(2026, 3, 1), Some(date(2026, 8, 31))),
            date(2027, 2, 26)
        );
    }

    #[test]
    fn statutory_visits_every_ten_working_days() {
        let calendar = WorkingDayCalendar::new();
        assert_eq!(
            next_statutory_visit_due(&calendar, date(2026, 3, 3), None),
            date(2026, 3, 17)
        );
        assert_eq!(
            next_statutory_visit_due(&calendar, date(2026, 3, 3), Some(date(2026, 3, 31))),
            date(2026, 4, 16)
        );
    }

    #[test]
    fn a_visit_before_the_strategy_discussion_is_flagged() {
        let agreed = Utc.with_ymd_and_hms(2026, 3, 3, 14, 0, 0).single();
        let before = Utc.with_ymd_and_hms(2026, 3, 3, 11, 0, 0).single();
        let after = Utc.with_ymd_and_hms(2026, 3, 3, 16, 0, 0).single();
        let (Some(agreed), Some(before), Some(after)) = (agreed, before, after) else {
            panic!("instants")
        };
        assert!(visit_precedes_plan(before, agreed));
        assert!(!visit_precedes_plan(after, agreed));
    }
}
