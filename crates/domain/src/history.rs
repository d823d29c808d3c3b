//! A child's history at the point of decision: re-referrals and repeated assessments.
//!
//! DfE definition: a referral is a *re-referral* when it is within 12 months of a previous
//! referral of the same child. "Within 12 months" here means the previous referral date is on or
//! after the same calendar date one year earlier (29 February maps to 28 February).

use chrono::{Months, NaiveDate};

/// The first day of the 12-month look-back window ending on `on`.
pub fn twelve_months_before(on: NaiveDate) -> NaiveDate {
    on.checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN)
}

/// Whether a referral on `on` is a re-referral, given the child's earlier referral dates.
pub fn is_re_referral(on: NaiveDate, earlier_referrals: &[NaiveDate]) -> bool {
    let window_start = twelve_months_before(on);
    earlier_referrals
        .iter()
        .any(|d| *d >= window_start && *d < on)
        || earlier_referrals.iter().filter(|d| **d == on).count() > 1
}

/// How many of the given dates fall in the 12 months up to and including `on`.
pub fn count_in_last_twelve_months(on: NaiveDate, dates: &[NaiveDate]) -> usize {
    let window_start = twelve_months_before(on);
    dates
        .iter()
        .filter(|d| **d >= window_start && **d <= on)
        .count()
}

/// The history flags shown beside each child when a decision is made.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct HistoryFlags {
    pub previous_contacts: usize,
    pub referrals_in_last_12_months: usize,
    /// A new referral now would be a re-referral.
    pub would_be_re_referral: bool,
    pub assessments_in_last_12_months: usize,
}

impl HistoryFlags {
    pub fn at(
        on: NaiveDate,
        contact_dates: &[NaiveDate],
        referral_dates: &[NaiveDate],
        assessment_dates: &[NaiveDate],
    ) -> Self {
        Self {
            previous_contacts: contact_dates.iter().filter(|d| **d <= on).count(),
            referrals_in_last_12_months: count_in_last_twelve_months(on, referral_dates),
            would_be_re_referral: referral_dates
                .iter()
                .any(|d| *d >= twelve_months_before(on) && *d <= on),
            assessments_in_last_12_months: count_in_last_twelve_months(on, assessment_dates),
        }
    }
    /// Repeated assessments: more than one in 12 months is worth a manager's attention.
    pub fn repeated_assessments(&self) -> bool {
        self.assessments_in_last_12_months >= 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn re_referral_window_is_twelve_calendar_months() {
        let on = d(2026, 3, 15);
        assert!(is_re_referral(on, &[d(2025, 3, 15)]));
        assert!(!is_re_referral(on, &[d(2025, 3, 14)]));
        assert!(!is_re_referral(on, &[]));
        assert!(
            !is_re_referral(on, &[d(2026, 4, 1)]),
            "a later referral does not count"
        );
        assert_eq!(twelve_months_before(d(2024, 2, 29)), d(2023, 2, 28));
    }

    #[test]
    fn flags_count_the_last_year() {
        let on = d(2026, 6, 1);
        let flags = HistoryFlags::at(
            on,
            &[d(2024, 1, 1), d(2026, 1, 1)],
            &[d(2025, 1, 1), d(2025, 12, 1)],
            &[d(2025, 7, 1), d(2026, 2, 1), d(2026, 5, 30)],
        );
        assert_eq!(flags.previous_contacts, 2);
        assert_eq!(flags.referrals_in_last_12_months, 1);
        assert!(flags.would_be_re_referral);
        assert_eq!(flags.assessments_in_last_12_months, 3);
        assert!(flags.repeated_assessments());
    }
}
