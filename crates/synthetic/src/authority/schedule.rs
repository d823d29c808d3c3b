//! When contacts arrive: each year's contacts shared out over its days, and each day's times.

use super::SyntheticAuthority;
use crate::pick::weighted_index;
use chrono::{Datelike, Duration, Months, NaiveTime};
use rand::Rng;

impl SyntheticAuthority {
    /// Shares each year's contacts out over its days (fewer at weekends, on bank holidays, in
    /// August and at Christmas), exactly `contacts_per_year` in all.
    fn plan_segment(&mut self) {
        let start = self.segment_end;
        let end = start
            .checked_add_months(Months::new(12))
            .unwrap_or(self.end_day)
            .min(self.end_day);
        let days = (end - start).num_days().max(0) as usize;
        let mut weights = Vec::with_capacity(days);
        for i in 0..days {
            let day = start + Duration::days(i as i64);
            let month = match day.month() {
                4 => 0.92,
                8 => 0.78,
                12 => 0.88,
                3 | 6 | 10 => 1.05,
                11 => 1.08,
                _ => 1.0,
            };
            let kind = if self.is_working_day(day) { 1.0 } else { 0.33 };
            weights.push(kind * month * self.rng.gen_range(0.85..1.15));
        }
        let total: f64 = weights.iter().sum();
        let wanted = f64::from(self.config.contacts_per_year);
        let mut counts: Vec<u32> = Vec::with_capacity(days);
        let mut remainders: Vec<(f64, usize)> = Vec::with_capacity(days);
        for (i, w) in weights.iter().enumerate() {
            let exact = if total > 0.0 { wanted * w / total } else { 0.0 };
            counts.push(exact.floor() as u32);
            remainders.push((exact - exact.floor(), i));
        }
        let allotted: u32 = counts.iter().sum();
        let missing = self.config.contacts_per_year.saturating_sub(allotted) as usize;
        remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders.into_iter().take(missing) {
            counts[i] += 1;
        }
        // Out-of-hours: all of a non-working day, and enough of working days' evenings and
        // nights for the source mix's share overall.
        let all: u32 = counts.iter().sum();
        let closed: u32 = (0..days)
            .filter(|i| !self.is_working_day(start + Duration::days(*i as i64)))
            .map(|i| counts[i])
            .sum();
        let closed_share = if all > 0 {
            f64::from(closed) / f64::from(all)
        } else {
            0.0
        };
        let target = Self::expected_out_of_hours_share();
        self.working_day_ooh_rate =
            ((target - closed_share) / (1.0 - closed_share).max(0.01)).clamp(0.02, 0.6);
        self.segment_start = start;
        self.segment_end = end;
        self.segment_counts = counts;
    }

    /// Plans the next day's contacts: how many, at what times, in time order.
    pub(super) fn plan_day(&mut self) -> bool {
        if self.next_day >= self.end_day {
            return false;
        }
        if self.next_day >= self.segment_end {
            self.plan_segment();
            if self.segment_end <= self.segment_start {
                return false;
            }
        }
        let day = self.next_day;
        self.next_day = day + Duration::days(1);
        let index = (day - self.segment_start).num_days().max(0) as usize;
        let count = self.segment_counts.get(index).copied().unwrap_or(0);
        let working = self.is_working_day(day);
        let mut times = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let ooh = !working || self.rng.gen_bool(self.working_day_ooh_rate);
            let hour = if !working {
                weighted_index(&mut self.rng, &NON_WORKING_DAY_HOURS)
            } else if ooh {
                weighted_index(&mut self.rng, &EVENING_AND_NIGHT_HOURS)
            } else {
                9 + weighted_index(&mut self.rng, &OFFICE_HOURS)
            };
            let minute = self.rng.gen_range(0..60);
            let second = self.rng.gen_range(0..60);
            let time =
                NaiveTime::from_hms_opt(hour as u32, minute, second).unwrap_or(NaiveTime::MIN);
            times.push((day.and_time(time), ooh));
        }
        times.sort();
        self.today = times.into();
        true
    }
}

/// Relative numbers of contacts in each hour of a weekend or bank holiday (00:00 to 23:00).
const NON_WORKING_DAY_HOURS: [f64; 24] = [
    0.5, 0.4, 0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.2, 1.2, 1.2, 1.2, 1.3, 1.4, 1.4,
    1.3, 1.2, 1.0, 0.8, 0.6,
];
/// Relative numbers of out-of-hours contacts on a working day, by hour (00:00 to 23:00; none
/// in office hours).
const EVENING_AND_NIGHT_HOURS: [f64; 24] = [
    0.35, 0.25, 0.2, 0.15, 0.1, 0.1, 0.2, 0.35, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.6,
    1.4, 1.2, 1.0, 0.9, 0.7, 0.5,
];
/// Relative numbers of contacts in each office hour (09:00 to 16:00).
const OFFICE_HOURS: [f64; 8] = [1.0, 1.3, 1.3, 1.0, 1.0, 1.2, 1.2, 0.9];
