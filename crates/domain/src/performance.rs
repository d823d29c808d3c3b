//! Performance information: the figures a manager reads on the dashboard, what each one counts,
//! and the rule that decides whether a piece of work met its timescale.
//!
//! Every figure is counted over a [`Period`] of London calendar dates, `from` to `to` inclusive.
//! What falls in the period:
//!
//! | figure | counted when | met when |
//! |---|---|---|
//! | decisions within one working day | contact received in the period, decided or already past due | authorised before the end of its due day ([`Timescale::ThresholdDecision`]) |
//! | conversion | contact received / referral dated / assessment, section 47 enquiry started / initial conference held / plan started in the period | — |
//! | re-referrals | referral dated in the period | a previous referral of the child in the 12 months before ([`crate::history::is_re_referral`], stored on the referral) |
//! | assessments within 45 working days | assessment completed in the period | completed on or before its due date ([`Timescale::Assessment`]) |
//! | initial conferences within 15 working days | initial conference held in the period | held on or before its due date ([`Timescale::InitialChildProtectionConference`]) |
//! | information requests | request sent in the period (not withdrawn) | answered before the end of its due time |
//! | decisions by level of need | decision authorised in the period | — |
//!
//! Each due date was worked out by [`Timescale::due_date`] from the working-day calendar when
//! the work started and stored with it, so the counting here compares the day the work was
//! done with that stored day: [`met_by`] is the rule, and the store's queries count it in SQL
//! as `done <= due` (dates) or `done < breached_from` (instants, the first moment after the
//! due day).
//!
//! [`Timescale::ThresholdDecision`]: crate::timescale::Timescale::ThresholdDecision
//! [`Timescale::Assessment`]: crate::timescale::Timescale::Assessment
//! [`Timescale::InitialChildProtectionConference`]: crate::timescale::Timescale::InitialChildProtectionConference
//! [`Timescale::due_date`]: crate::timescale::Timescale::due_date

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::timescale::due_by_end_of;

/// The longest period the dashboard counts over: ten years.
pub const LONGEST_PERIOD_DAYS: i64 = 3653;

/// London calendar dates `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("The end of the period must be on or after its start.")]
    EndBeforeStart,
    #[error("The period can be at most ten years long: choose a later start or an earlier end.")]
    TooLong,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if to < from {
            return Err(PeriodError::EndBeforeStart);
        }
        if (to - from).num_days() >= LONGEST_PERIOD_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period { from, to })
    }

    /// The default: the three months up to and including `today` (from the day after the same
    /// date three months earlier, so 1 April to 30 June for 30 June).
    pub fn last_three_months(today: NaiveDate) -> Period {
        let from = today
            .checked_sub_months(Months::new(3))
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .unwrap_or(today);
        Period { from, to: today }
    }

    pub fn from(self) -> NaiveDate {
        self.from
    }

    pub fn to(self) -> NaiveDate {
        self.to
    }

    /// The first day after the period (the exclusive end, for instants).
    pub fn day_after(self) -> NaiveDate {
        self.to.checked_add_days(Days::new(1)).unwrap_or(self.to)
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} to {}",
            self.from.format("%-d %B %Y"),
            self.to.format("%-d %B %Y")
        )
    }
}

/// The rule for every timescale the dashboard counts: work done on `done` met a timescale due
/// on `due` when it was done by the end of the due day.
pub fn met_by(done: NaiveDate, due: NaiveDate) -> bool {
    due_by_end_of(due).is_met_by(done.and_time(chrono::NaiveTime::MIN))
}

/// How many of some work met a rule: `met` of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rate {
    pub met: i64,
    pub of: i64,
}

impl Rate {
    pub fn new(met: i64, of: i64) -> Rate {
        Rate { met, of }
    }

    /// The ones that did not meet it.
    pub fn missed(self) -> i64 {
        self.of - self.met
    }

    /// The percentage to one decimal place, half away from zero; `None` when nothing counted.
    pub fn percent(self) -> Option<f64> {
        if self.of <= 0 {
            return None;
        }
        let tenths = (self.met as f64 * 1000.0 / self.of as f64).round();
        Some(tenths / 10.0)
    }

    /// "87.5% (7 of 8)", or "No cases" when nothing counted.
    pub fn describe(self) -> String {
        match self.percent() {
            None => "None in the period".into(),
            Some(p) => format!("{p:.1}% ({} of {})", self.met, self.of),
        }
    }
}

/// The figures that have children behind them: each links to the list of those children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Figure {
    /// Contacts whose threshold decision was not authorised within one working day.
    DecisionsLate,
    /// Contacts received (each child on them).
    Contacts,
    Referrals,
    ReReferrals,
    AssessmentsStarted,
    /// Assessments completed after their 45 working days.
    AssessmentsLate,
    Section47Enquiries,
    InitialConferences,
    /// Initial conferences held after their 15 working days.
    InitialConferencesLate,
    ProtectionPlans,
    /// Information requests answered late or not answered by their due time.
    InformationRequestsLate,
    /// Children with a supervision action drifting now.
    Drift,
}

impl Figure {
    pub const ALL: [Figure; 12] = [
        Figure::DecisionsLate,
        Figure::Contacts,
        Figure::Referrals,
        Figure::ReReferrals,
        Figure::AssessmentsStarted,
        Figure::AssessmentsLate,
        Figure::Section47Enquiries,
        Figure::InitialConferences,
        Figure::InitialConferencesLate,
        Figure::ProtectionPlans,
        Figure::InformationRequestsLate,
        Figure::Drift,
    ];

    /// The figure's name in a link (`/dashboard/{slug}`).
    pub fn slug(self) -> &'static str {
        match self {
            Figure::DecisionsLate => "decisions-late",
            Figure::Contacts => "contacts",
            Figure::Referrals => "referrals",
            Figure::ReReferrals => "re-referrals",
            Figure::AssessmentsStarted => "assessments",
            Figure::AssessmentsLate => "assessments-late",
            Figure::Section47Enquiries => "section-47-enquiries",
            Figure::InitialConferences => "initial-conferences",
            Figure::InitialConferencesLate => "initial-conferences-late",
            Figure::ProtectionPlans => "protection-plans",
            Figure::InformationRequestsLate => "information-requests-late",
            Figure::Drift => "drift",
        }
    }

    /// A heading for the list of children behind the figure.
    pub fn label(self) -> &'static str {
        match self {
            Figure::DecisionsLate => "Decisions not made within one working day",
            Figure::Contacts => "Contacts received",
            Figure::Referrals => "Referrals",
            Figure::ReReferrals => "Re-referrals within 12 months",
            Figure::AssessmentsStarted => "Assessments started",
            Figure::AssessmentsLate => "Assessments completed after 45 working days",
            Figure::Section47Enquiries => "Section 47 enquiries started",
            Figure::InitialConferences => "Initial child protection conferences held",
            Figure::InitialConferencesLate => {
                "Initial conferences held after 15 working days of the strategy discussion"
            }
            Figure::ProtectionPlans => "Child protection plans started",
            Figure::InformationRequestsLate => "Information requests answered late or not at all",
            Figure::Drift => "Children with supervision actions drifting",
        }
    }

    /// What the list's date column means.
    pub fn date_label(self) -> &'static str {
        match self {
            Figure::DecisionsLate | Figure::Contacts => "Received",
            Figure::Referrals | Figure::ReReferrals => "Referral date",
            Figure::AssessmentsStarted | Figure::Section47Enquiries => "Started",
            Figure::AssessmentsLate => "Completed",
            Figure::InitialConferences | Figure::InitialConferencesLate => "Held",
            Figure::ProtectionPlans => "Plan started",
            Figure::InformationRequestsLate => "Sent",
            Figure::Drift => "Action due",
        }
    }

    /// Whether the figure counts what is so now (drift) rather than what happened in a period.
    pub fn is_current(self) -> bool {
        self == Figure::Drift
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("There is no figure called \"{0}\" on the dashboard.")]
pub struct UnknownFigure(pub String);

impl FromStr for Figure {
    type Err = UnknownFigure;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Figure::ALL
            .into_iter()
            .find(|f| f.slug() == s)
            .ok_or_else(|| UnknownFigure(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkingDayCalendar;
    use crate::timescale::Timescale;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
    }

    #[test]
    fn the_default_period_is_the_last_three_months_including_today() {
        let p = Period::last_three_months(d(2026, 6, 30));
        assert_eq!((p.from(), p.to()), (d(2026, 3, 31), d(2026, 6, 30)));
        let p = Period::last_three_months(d(2026, 5, 31));
        // 31 May less 3 months is 28 February (the last day of a shorter month), then the day after.
        assert_eq!(p.from(), d(2026, 3, 1));
        assert_eq!(p.day_after(), d(2026, 6, 1));
    }

    #[test]
    fn a_period_ends_on_or_after_it_starts_and_is_at_most_ten_years() {
        assert_eq!(
            Period::new(d(2026, 2, 1), d(2026, 1, 31)),
            Err(PeriodError::EndBeforeStart)
        );
        assert!(Period::new(d(2026, 1, 1), d(2026, 1, 1)).is_ok());
        assert!(Period::new(d(2016, 1, 2), d(2025, 12, 31)).is_ok());
        assert_eq!(
            Period::new(d(2016, 1, 1), d(2026, 1, 1)),
            Err(PeriodError::TooLong)
        );
    }

    #[test]
    fn work_meets_a_timescale_by_the_end_of_its_due_day() {
        let calendar = WorkingDayCalendar::new();
        // Referral on Thursday 2 April 2026: 45 working days across Easter and the early May
        // bank holiday.
        let due = Timescale::Assessment.due_date(&calendar, d(2026, 4, 2));
        assert!(met_by(due, due));
        assert!(met_by(d(2026, 4, 2), due));
        assert!(!met_by(due.succ_opt().expect("a date"), due));
    }

    #[test]
    fn a_rate_rounds_to_one_decimal_and_has_none_of_nothing() {
        assert_eq!(Rate::new(2, 3).percent(), Some(66.7));
        assert_eq!(Rate::new(1, 8).percent(), Some(12.5));
        assert_eq!(Rate::new(0, 0).percent(), None);
        assert_eq!(Rate::new(3, 4).describe(), "75.0% (3 of 4)");
        assert_eq!(Rate::new(3, 4).missed(), 1);
    }

    #[test]
    fn every_figure_reads_back_from_its_slug() {
        for figure in Figure::ALL {
            assert_eq!(figure.slug().parse::<Figure>(), Ok(figure));
        }
        assert!("nothing".parse::<Figure>().is_err());
    }
}
