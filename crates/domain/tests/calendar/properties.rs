//! Properties of the working-day calendar against one-day-at-a-time counting.

use super::date;
use chrono::{Days, NaiveDate, NaiveDateTime, Timelike};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::timescale::{
    is_out_of_hours, status_at, working_days_left, Timescale, TimescaleStatus,
};
use proptest::prelude::*;

/// Dates from 1990 to 2069: inside the table, and decades either side of it.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0_u64..(80 * 366)).prop_map(|offset| date(1990, 1, 1) + Days::new(offset))
}

fn any_calendar() -> impl Strategy<Value = WorkingDayCalendar> {
    prop_oneof![
        Just(WorkingDayCalendar::new()),
        proptest::collection::vec(any_date(), 0..40)
            .prop_map(WorkingDayCalendar::with_local_closures),
    ]
}

/// Working days in (start, end], counted one day at a time.
fn counted_one_by_one(calendar: &WorkingDayCalendar, start: NaiveDate, end: NaiveDate) -> i64 {
    let (low, high, sign) = if start <= end {
        (start, end, 1)
    } else {
        (end, start, -1)
    };
    let mut count = 0;
    let mut day = low;
    while day < high {
        day = day.succ_opt().expect("a next day");
        if calendar.is_working_day(day) {
            count += 1;
        }
    }
    sign * count
}

proptest! {
    #[test]
    fn adding_working_days_lands_on_a_working_day(
        calendar in any_calendar(), start in any_date(), n in 1_u32..400,
    ) {
        prop_assert!(calendar.is_working_day(calendar.add_working_days(start, n)));
    }

    #[test]
    fn adding_working_days_is_strictly_monotonic(
        calendar in any_calendar(), start in any_date(), n in 0_u32..400,
    ) {
        prop_assert!(calendar.add_working_days(start, n) < calendar.add_working_days(start, n + 1));
    }

    #[test]
    fn counting_undoes_adding(calendar in any_calendar(), start in any_date(), n in 0_u32..400) {
        let end = calendar.add_working_days(start, n);
        prop_assert_eq!(calendar.working_days_between(start, end), i64::from(n));
        if calendar.is_working_day(start) {
            prop_assert_eq!(calendar.working_days_between(end, start), -i64::from(n));
        }
    }

    #[test]
    fn counting_matches_a_day_by_day_count(
        calendar in any_calendar(), start in any_date(), end in any_date(),
    ) {
        prop_assert_eq!(
            calendar.working_days_between(start, end),
            counted_one_by_one(&calendar, start, end)
        );
        prop_assert_eq!(
            calendar.working_days_between(start, end),
            -calendar.working_days_between(end, start)
        );
    }

    #[test]
    fn next_working_day_is_the_first_after(calendar in any_calendar(), start in any_date()) {
        let next = calendar.next_working_day(start);
        prop_assert!(next > start);
        prop_assert!(calendar.is_working_day(next));
        prop_assert_eq!(counted_one_by_one(&calendar, start, next), 1);
        prop_assert_eq!(next, calendar.add_working_days(start, 1));
        let previous = calendar.previous_working_day(start);
        prop_assert!(previous < start && calendar.is_working_day(previous));
        prop_assert_eq!(calendar.next_working_day(previous) >= start, true);
    }

    #[test]
    fn every_due_date_is_a_working_day_after_the_event(
        calendar in any_calendar(), start in any_date(),
    ) {
        for timescale in Timescale::ALL {
            let due = timescale.due_date(&calendar, start);
            prop_assert!(calendar.is_working_day(due), "{} from {}", timescale, start);
            prop_assert!(due > start, "{} from {}", timescale, start);
        }
    }

    #[test]
    fn status_agrees_with_working_days_left(
        calendar in any_calendar(),
        start in any_date(),
        n in 1_u32..60,
        offset in -90_i64..90,
        seconds in 0_u32..86_400,
    ) {
        let due = calendar.add_working_days(start, n);
        let today = if offset >= 0 {
            due + Days::new(offset.unsigned_abs())
        } else {
            due - Days::new(offset.unsigned_abs())
        };
        let now = today
            .and_hms_opt(seconds / 3600, (seconds / 60) % 60, seconds % 60)
            .expect("a valid time");
        let left = working_days_left(&calendar, today, due);
        match status_at(&calendar, due, now) {
            TimescaleStatus::OnTime { working_days_left } => {
                prop_assert!(today < due);
                prop_assert!(working_days_left >= 1);
                prop_assert_eq!(working_days_left, left);
            }
            TimescaleStatus::DueToday => {
                prop_assert_eq!(today, due);
                prop_assert_eq!(left, 0);
            }
            TimescaleStatus::Overdue { working_days_over } => {
                prop_assert!(today > due);
                prop_assert!(working_days_over >= 1);
                prop_assert_eq!(working_days_over, -left);
            }
        }
    }

    #[test]
    fn out_of_hours_is_everything_but_nine_to_five_on_working_days(
        calendar in any_calendar(), day in any_date(), seconds in 0_u32..86_400,
    ) {
        let local: NaiveDateTime = day
            .and_hms_opt(seconds / 3600, (seconds / 60) % 60, seconds % 60)
            .expect("a valid time");
        let in_hours = calendar.is_working_day(day) && (9..17).contains(&local.hour());
        prop_assert_eq!(is_out_of_hours(local, &calendar), !in_hours);
    }
}
