//! Statutory timescales of the front door, and office hours.
//!
//! Every working-day timescale here counts by [the counting convention of the
//! calendar](crate::calendar#the-counting-convention): the day of the triggering event is day 0,
//! and "within N working days" means by the end of the Nth working day after it.
//!
//! These are pure functions of dates and local times. The domain has no time-zone database:
//! the caller converts an instant (kept in UTC) to the local date and time in Europe/London
//! before asking, and the answers are about that local calendar.
//!
//! - A timescale is **on time** until its due day.
//! - It is **due today** (the near-breach warning) throughout its due day.
//! - It is **overdue** (breached) from the first moment after its due day ends.
//!
//! ```
//! use chrono::NaiveDate;
//! use frontdoor_domain::calendar::WorkingDayCalendar;
//! use frontdoor_domain::timescale::{status_at, Timescale, TimescaleStatus};
//!
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
//! let calendar = WorkingDayCalendar::new();
//! // A contact received on Christmas Eve 2020 needs its threshold decision by the end of
//! // Tuesday 29 December 2020.
//! let due = Timescale::ThresholdDecision.due_date(&calendar, date(2020, 12, 24));
//! assert_eq!(due, date(2020, 12, 29));
//! let evening = date(2020, 12, 29).and_hms_opt(23, 59, 59).expect("a valid time");
//! assert_eq!(status_at(&calendar, due, evening), TimescaleStatus::DueToday);
//! let next_morning = date(2020, 12, 30).and_hms_opt(0, 0, 0).expect("a valid time");
//! assert_eq!(
//!     status_at(&calendar, due, next_morning),
//!     TimescaleStatus::Overdue { working_days_over: 1 }
//! );
//! ```

use std::fmt;

use chrono::{Days, Months, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingDayCalendar;

/// A statutory timescale that the front door tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timescale {
    /// A threshold decision on a contact: within 1 working day of its receipt.
    ThresholdDecision,
    /// A child and family assessment: concluded within 45 working days of the referral date.
    Assessment,
    /// An initial child protection conference: within 15 working days of the strategy
    /// discussion that started the section 47 enquiry.
    InitialChildProtectionConference,
    /// The first review child protection conference: within 3 months of the initial
    /// conference.
    FirstReviewConference,
    /// Each later review child protection conference: within 6 months of the previous review.
    SubsequentReviewConference,
}

/// How long a timescale allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "count")]
pub enum TimescalePeriod {
    /// Working days, counted by the calendar's counting convention.
    WorkingDays(u32),
    /// Calendar months, to the same day of the month (or the last day of a shorter month).
    CalendarMonths(u32),
}

impl Timescale {
    /// Every timescale, in the order a case meets them.
    pub const ALL: [Timescale; 5] = [
        Timescale::ThresholdDecision,
        Timescale::Assessment,
        Timescale::InitialChildProtectionConference,
        Timescale::FirstReviewConference,
        Timescale::SubsequentReviewConference,
    ];

    /// The name a practitioner knows the timescale by.
    pub fn label(self) -> &'static str {
        match self {
            Timescale::ThresholdDecision => "Threshold decision",
            Timescale::Assessment => "Child and family assessment",
            Timescale::InitialChildProtectionConference => "Initial child protection conference",
            Timescale::FirstReviewConference => "First review child protection conference",
            Timescale::SubsequentReviewConference => "Review child protection conference",
        }
    }

    /// The event the timescale counts from (its day 0).
    pub fn counts_from(self) -> &'static str {
        match self {
            Timescale::ThresholdDecision => "the day the contact was received",
            Timescale::Assessment => "the referral date",
            Timescale::InitialChildProtectionConference => "the day of the strategy discussion",
            Timescale::FirstReviewConference => {
                "the day of the initial child protection conference"
            }
            Timescale::SubsequentReviewConference => "the day of the previous review conference",
        }
    }

    /// How long the timescale allows.
    pub fn period(self) -> TimescalePeriod {
        match self {
            Timescale::ThresholdDecision => TimescalePeriod::WorkingDays(1),
            Timescale::Assessment => TimescalePeriod::WorkingDays(45),
            Timescale::InitialChildProtectionConference => TimescalePeriod::WorkingDays(15),
            Timescale::FirstReviewConference => TimescalePeriod::CalendarMonths(3),
            Timescale::SubsequentReviewConference => TimescalePeriod::CalendarMonths(6),
        }
    }

    /// The last day by the end of which the timescale is met, for an event on `start`.
    ///
    /// - Working days: day N of the [counting convention](crate::calendar#the-counting-convention).
    /// - Calendar months: the same day of the month N months later, or the last day of that
    ///   month when it is shorter (an initial conference on 30 November is reviewed by 28 or
    ///   29 February). A conference cannot sit on a weekend, bank holiday or closure day, so
    ///   when that date is not a working day the due date is the last working day before it:
    ///   moving it later would let the review fall outside the months allowed.
    ///
    /// The due date is always a working day (except at the very end of the range of dates
    /// chrono can represent, where counting stops).
    pub fn due_date(self, calendar: &WorkingDayCalendar, start: NaiveDate) -> NaiveDate {
        match self.period() {
            TimescalePeriod::WorkingDays(days) => calendar.add_working_days(start, days),
            TimescalePeriod::CalendarMonths(months) => {
                let same_day = start
                    .checked_add_months(Months::new(months))
                    .unwrap_or(NaiveDate::MAX);
                calendar.working_day_on_or_before(same_day)
            }
        }
    }

    /// The due point of the timescale for an event on `start`: the end of its due date.
    pub fn due_by(self, calendar: &WorkingDayCalendar, start: NaiveDate) -> DueBy {
        due_by_end_of(self.due_date(calendar, start))
    }
}

impl fmt::Display for Timescale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The end of a due day, in local time: met by anything done on or before that date, breached
/// from the first moment of the day after. Comparing dates avoids pretending that the day ends
/// at 23:59:59.999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DueBy {
    date: NaiveDate,
}

/// The due point at the end of `date` (local time).
pub fn due_by_end_of(date: NaiveDate) -> DueBy {
    DueBy { date }
}

impl DueBy {
    /// The due date: the timescale is met by the end of this day.
    pub fn date(self) -> NaiveDate {
        self.date
    }

    /// Whether something done at this local time meets the timescale.
    pub fn is_met_by(self, done_local: NaiveDateTime) -> bool {
        done_local.date() <= self.date
    }

    /// The first local instant at which the timescale is breached (midnight at the start of
    /// the day after the due date), for comparing with stored instants once converted from
    /// Europe/London. `None` only at the end of the range of dates chrono can represent.
    pub fn breached_from(self) -> Option<NaiveDateTime> {
        self.date
            .checked_add_days(Days::new(1))
            .map(|next| next.and_time(NaiveTime::MIN))
    }
}

/// Where a timescale stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TimescaleStatus {
    /// Before the due day. `working_days_left` is the number of working days after today up
    /// to and including the due day (at least 1 when the due date is a working day).
    OnTime { working_days_left: i64 },
    /// On the due day itself: the near-breach warning.
    DueToday,
    /// After the end of the due day: breached. `working_days_over` is the number of working
    /// days after the due day up to and including today, and never less than 1: a decision due
    /// on a Friday is 1 working day over through the weekend and on Monday, 2 on Tuesday.
    Overdue { working_days_over: i64 },
}

impl TimescaleStatus {
    /// Whether the timescale has been breached.
    pub fn is_overdue(self) -> bool {
        matches!(self, TimescaleStatus::Overdue { .. })
    }

    /// A short label for lists and tags.
    pub fn label(self) -> &'static str {
        match self {
            TimescaleStatus::OnTime { .. } => "On time",
            TimescaleStatus::DueToday => "Due today",
            TimescaleStatus::Overdue { .. } => "Overdue",
        }
    }
}

/// Where a timescale due by the end of `due` stands at the local time `now_local`.
pub fn status_at(
    calendar: &WorkingDayCalendar,
    due: NaiveDate,
    now_local: NaiveDateTime,
) -> TimescaleStatus {
    let today = now_local.date();
    if today < due {
        TimescaleStatus::OnTime {
            working_days_left: working_days_left(calendar, today, due),
        }
    } else if today == due {
        TimescaleStatus::DueToday
    } else {
        TimescaleStatus::Overdue {
            working_days_over: -working_days_left(calendar, today, due),
        }
    }
}

/// Working days left from `today` until the end of `due`: the working days after today up to
/// and including the due day; 0 on the due day; negative once the due day has passed, counting
/// the working days after the due day up to and including today but never less than 1 (so it
/// is negative on every day after the due day, weekends included).
pub fn working_days_left(calendar: &WorkingDayCalendar, today: NaiveDate, due: NaiveDate) -> i64 {
    if today <= due {
        calendar.working_days_between(today, due)
    } else {
        -calendar.working_days_between(due, today).max(1)
    }
}

/// The hours the front door's office is open on a working day: from `opens` (inclusive) to
/// `closes` (exclusive), local time. Outside them the out-of-hours (emergency duty) service
/// takes contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "OfficeHoursSetting")]
pub struct OfficeHours {
    opens: NaiveTime,
    closes: NaiveTime,
}

/// Office hours as written in configuration, before they are checked.
#[derive(Deserialize)]
struct OfficeHoursSetting {
    opens: NaiveTime,
    closes: NaiveTime,
}

impl TryFrom<OfficeHoursSetting> for OfficeHours {
    type Error = OfficeHoursError;

    fn try_from(setting: OfficeHoursSetting) -> Result<Self, Self::Error> {
        OfficeHours::new(setting.opens, setting.closes)
    }
}

/// Office hours that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficeHoursError {
    /// The office would close before (or when) it opens.
    #[error(
        "office hours must close after they open: set a closing time later than {opens} \
         (it is {closes})"
    )]
    ClosesBeforeOpening { opens: NaiveTime, closes: NaiveTime },
}

impl OfficeHours {
    /// Office hours from `opens` to `closes` on each working day. The office must close after
    /// it opens, on the same day.
    pub fn new(opens: NaiveTime, closes: NaiveTime) -> Result<Self, OfficeHoursError> {
        if closes <= opens {
            return Err(OfficeHoursError::ClosesBeforeOpening { opens, closes });
        }
        Ok(Self { opens, closes })
    }

    /// The time the office opens.
    pub fn opens(self) -> NaiveTime {
        self.opens
    }

    /// The time the office closes.
    pub fn closes(self) -> NaiveTime {
        self.closes
    }

    /// Whether the office is open at this local time: a working day, at or after opening and
    /// before closing.
    pub fn is_open_at(self, calendar: &WorkingDayCalendar, local: NaiveDateTime) -> bool {
        let time = local.time();
        calendar.is_working_day(local.date()) && self.opens <= time && time < self.closes
    }

    /// Whether this local time is out of hours: evenings, nights, weekends, bank holidays and
    /// local closure days.
    pub fn is_out_of_hours(self, calendar: &WorkingDayCalendar, local: NaiveDateTime) -> bool {
        !self.is_open_at(calendar, local)
    }
}

/// A time of day known when the crate is built (an impossible one stops the build).
const fn time_of_day(hour: u32, minute: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, minute, 0) {
        Some(time) => time,
        None => panic!("an impossible time of day"),
    }
}

impl OfficeHours {
    /// 09:00 to 17:00 on working days, Friday included: the [`Default`].
    pub const NINE_TO_FIVE: OfficeHours = OfficeHours {
        opens: time_of_day(9, 0),
        closes: time_of_day(17, 0),
    };
}

impl Default for OfficeHours {
    /// 09:00 to 17:00 on working days, Friday included.
    fn default() -> Self {
        Self::NINE_TO_FIVE
    }
}

/// Whether this local time is out of hours for the default office hours (09:00 to 17:00 on
/// working days).
pub fn is_out_of_hours(local: NaiveDateTime, calendar: &WorkingDayCalendar) -> bool {
    OfficeHours::default().is_out_of_hours(calendar, local)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a valid test date")
    }

    fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        date(year, month, day)
            .and_hms_opt(hour, minute, 0)
            .expect("a valid test time")
    }

    fn time(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid test time")
    }

    #[test]
    fn default_office_hours_are_nine_to_five() {
        let hours = OfficeHours::default();
        assert_eq!(hours.opens(), time(9, 0));
        assert_eq!(hours.closes(), time(17, 0));
    }

    #[test]
    fn office_hours_must_close_after_opening() {
        assert!(OfficeHours::new(time(17, 0), time(9, 0)).is_err());
        assert!(OfficeHours::new(time(9, 0), time(9, 0)).is_err());
        assert!(OfficeHours::new(time(8, 30), time(17, 30)).is_ok());
    }

    fn office_hours_from_setting(
        opens: &'static str,
        closes: &'static str,
    ) -> Result<OfficeHours, serde::de::value::Error> {
        use serde::de::value::MapDeserializer;
        let setting = MapDeserializer::new([("opens", opens), ("closes", closes)].into_iter());
        OfficeHours::deserialize(setting)
    }

    #[test]
    fn office_hours_read_from_configuration_are_checked() {
        assert_eq!(
            office_hours_from_setting("08:30:00", "16:30:00").ok(),
            OfficeHours::new(time(8, 30), time(16, 30)).ok()
        );
        let refused = office_hours_from_setting("17:00:00", "09:00:00");
        assert!(refused.is_err_and(|e| e.to_string().contains("must close after they open")));
    }

    #[test]
    fn out_of_hours_boundaries() {
        let calendar = WorkingDayCalendar::new();
        // Wednesday 6 March 2024.
        assert!(is_out_of_hours(at(2024, 3, 6, 8, 59), &calendar));
        assert!(!is_out_of_hours(at(2024, 3, 6, 9, 0), &calendar));
        assert!(!is_out_of_hours(at(2024, 3, 6, 16, 59), &calendar));
        assert!(is_out_of_hours(at(2024, 3, 6, 17, 0), &calendar));
        assert!(is_out_of_hours(at(2024, 3, 6, 2, 0), &calendar));
        // Friday afternoon is in hours until 17:00.
        assert!(!is_out_of_hours(at(2024, 3, 8, 16, 45), &calendar));
        // Saturday, and Good Friday 2024, at midday.
        assert!(is_out_of_hours(at(2024, 3, 9, 12, 0), &calendar));
        assert!(is_out_of_hours(at(2024, 3, 29, 12, 0), &calendar));
    }

    #[test]
    fn local_closure_is_out_of_hours() {
        let calendar = WorkingDayCalendar::with_local_closures([date(2024, 12, 24)]);
        assert!(is_out_of_hours(at(2024, 12, 24, 11, 0), &calendar));
        assert!(!is_out_of_hours(at(2024, 12, 23, 11, 0), &calendar));
    }

    #[test]
    fn configured_hours_apply() {
        let calendar = WorkingDayCalendar::new();
        let hours = OfficeHours::new(time(8, 30), time(16, 30)).expect("valid hours");
        assert!(hours.is_open_at(&calendar, at(2024, 3, 6, 8, 30)));
        assert!(hours.is_out_of_hours(&calendar, at(2024, 3, 6, 16, 30)));
    }

    #[test]
    fn status_through_the_due_day() {
        let calendar = WorkingDayCalendar::new();
        // Due Friday 8 March 2024.
        let due = date(2024, 3, 8);
        assert_eq!(
            status_at(&calendar, due, at(2024, 3, 6, 10, 0)),
            TimescaleStatus::OnTime {
                working_days_left: 2
            }
        );
        assert_eq!(
            status_at(&calendar, due, at(2024, 3, 8, 0, 0)),
            TimescaleStatus::DueToday
        );
        assert_eq!(
            status_at(&calendar, due, at(2024, 3, 9, 0, 0)),
            TimescaleStatus::Overdue {
                working_days_over: 1
            }
        );
        assert_eq!(
            status_at(&calendar, due, at(2024, 3, 11, 9, 0)),
            TimescaleStatus::Overdue {
                working_days_over: 1
            }
        );
        assert_eq!(
            status_at(&calendar, due, at(2024, 3, 12, 9, 0)),
            TimescaleStatus::Overdue {
                working_days_over: 2
            }
        );
    }

    #[test]
    fn working_days_left_is_signed() {
        let calendar = WorkingDayCalendar::new();
        let due = date(2024, 3, 8);
        assert_eq!(working_days_left(&calendar, date(2024, 3, 2), due), 5);
        assert_eq!(working_days_left(&calendar, due, due), 0);
        assert_eq!(working_days_left(&calendar, date(2024, 3, 10), due), -1);
        assert_eq!(working_days_left(&calendar, date(2024, 3, 16), due), -5);
    }

    #[test]
    fn due_by_is_the_end_of_the_day() {
        let due = due_by_end_of(date(2024, 3, 8));
        assert!(due.is_met_by(at(2024, 3, 8, 23, 59)));
        assert!(!due.is_met_by(at(2024, 3, 9, 0, 0)));
        assert_eq!(due.breached_from(), Some(at(2024, 3, 9, 0, 0)));
        assert_eq!(due_by_end_of(NaiveDate::MAX).breached_from(), None);
    }

    #[test]
    fn labels_and_periods() {
        for timescale in Timescale::ALL {
            assert!(!timescale.label().is_empty());
            assert!(!timescale.counts_from().is_empty());
        }
        assert_eq!(
            Timescale::Assessment.period(),
            TimescalePeriod::WorkingDays(45)
        );
        assert_eq!(
            Timescale::SubsequentReviewConference.to_string(),
            "Review child protection conference"
        );
    }

    #[test]
    fn review_conference_due_on_a_weekend_moves_earlier() {
        let calendar = WorkingDayCalendar::new();
        // ICPC Thursday 7 March 2024 + 3 months = Friday 7 June 2024, a working day.
        assert_eq!(
            Timescale::FirstReviewConference.due_date(&calendar, date(2024, 3, 7)),
            date(2024, 6, 7)
        );
        // ICPC Friday 15 March 2024 + 3 months = Saturday 15 June 2024, so Friday 14 June.
        assert_eq!(
            Timescale::FirstReviewConference.due_date(&calendar, date(2024, 3, 15)),
            date(2024, 6, 14)
        );
        // 30 November 2023 + 3 months = 29 February 2024 (a Thursday, leap year).
        assert_eq!(
            Timescale::FirstReviewConference.due_date(&calendar, date(2023, 11, 30)),
            date(2024, 2, 29)
        );
    }
}
