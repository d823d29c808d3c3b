//! Timescales in working days and months across Christmas, Easter and one-off holidays.

use super::date;
use super::holidays::easter_by_oudin;
use chrono::{Datelike, Days, NaiveDate};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::timescale::{status_at, working_days_left, Timescale, TimescaleStatus};

/// Asserts each (start, due) case of `timescale` on `calendar`, naming the case that fails.
fn assert_due_dates(
    calendar: &WorkingDayCalendar,
    timescale: Timescale,
    started_by: &str,
    cases: &[(NaiveDate, NaiveDate)],
) {
    for (start, due) in cases {
        assert_eq!(
            timescale.due_date(calendar, *start),
            *due,
            "{timescale:?}: {started_by} on {start}"
        );
    }
}

#[test]
fn threshold_decision_across_christmas_every_year() {
    // The contact is received on Christmas Eve.
    let expected = [
        date(2015, 12, 29),
        date(2016, 12, 28),
        date(2017, 12, 27),
        date(2018, 12, 27),
        date(2019, 12, 27),
        date(2020, 12, 29),
        date(2021, 12, 29),
        date(2022, 12, 28),
        date(2023, 12, 27),
        date(2024, 12, 27),
        date(2025, 12, 29),
        date(2026, 12, 29),
        date(2027, 12, 29),
        date(2028, 12, 27),
        date(2029, 12, 27),
        date(2030, 12, 27),
    ];
    let cases: Vec<_> = expected
        .iter()
        .map(|due| (date(due.year(), 12, 24), *due))
        .collect();
    let calendar = WorkingDayCalendar::new();
    assert_due_dates(&calendar, Timescale::ThresholdDecision, "contact", &cases);
}

#[test]
fn threshold_decision_across_new_year() {
    let cases = [
        (date(2015, 12, 31), date(2016, 1, 4)),
        (date(2016, 12, 31), date(2017, 1, 3)),
        (date(2021, 12, 31), date(2022, 1, 4)),
        (date(2022, 12, 31), date(2023, 1, 3)),
        (date(2024, 12, 31), date(2025, 1, 2)),
        (date(2027, 12, 31), date(2028, 1, 4)),
    ];
    let calendar = WorkingDayCalendar::new();
    assert_due_dates(&calendar, Timescale::ThresholdDecision, "contact", &cases);
}

#[test]
fn threshold_decision_across_easter_every_year() {
    // From Maundy Thursday to the Tuesday after Easter.
    let cases: Vec<_> = (2010..=2035)
        .map(easter_by_oudin)
        .map(|easter| (easter - Days::new(3), easter + Days::new(2)))
        .collect();
    let calendar = WorkingDayCalendar::new();
    assert_due_dates(&calendar, Timescale::ThresholdDecision, "contact", &cases);
}

#[test]
fn threshold_decision_around_one_off_holidays() {
    let cases = [
        (date(2020, 5, 7), date(2020, 5, 11)),  // VE day Friday
        (date(2020, 5, 1), date(2020, 5, 4)),   // Monday 4 May 2020 was a working day
        (date(2022, 6, 1), date(2022, 6, 6)),   // Jubilee Thursday and Friday
        (date(2022, 5, 27), date(2022, 5, 30)), // Monday 30 May 2022 was a working day
        (date(2022, 9, 16), date(2022, 9, 20)), // State Funeral Monday
        (date(2023, 5, 5), date(2023, 5, 9)),   // Coronation Monday
        (date(2023, 4, 28), date(2023, 5, 2)),  // early May 2023
        // Received on a non-working day: day 1 is the first working day after it.
        (date(2022, 6, 2), date(2022, 6, 6)),
        (date(2024, 3, 9), date(2024, 3, 11)),
    ];
    let calendar = WorkingDayCalendar::new();
    assert_due_dates(&calendar, Timescale::ThresholdDecision, "contact", &cases);
}

#[test]
fn assessment_within_45_working_days() {
    let cases = [
        (date(2024, 9, 2), date(2024, 11, 4)), // no bank holiday in between
        (date(2023, 1, 9), date(2023, 3, 13)), // no bank holiday in between
        (date(2021, 11, 15), date(2022, 1, 20)), // Christmas, Boxing Day and New Year substitutes
        (date(2020, 4, 1), date(2020, 6, 9)),  // Easter, VE day, spring bank holiday
        (date(2022, 5, 16), date(2022, 7, 20)), // Platinum Jubilee
    ];
    let calendar = WorkingDayCalendar::new();
    assert_due_dates(&calendar, Timescale::Assessment, "referral", &cases);
    for (referral, due) in cases {
        assert_eq!(
            calendar.working_days_between(referral, due),
            45,
            "referral on {referral}"
        );
    }
}

#[test]
fn initial_conference_within_15_working_days() {
    let cases = [
        (date(2022, 9, 8), date(2022, 9, 30)),  // State Funeral
        (date(2023, 4, 28), date(2023, 5, 23)), // early May and Coronation
        (date(2025, 4, 19), date(2025, 5, 13)), // on Easter Saturday
    ];
    let calendar = WorkingDayCalendar::new();
    let icpc = Timescale::InitialChildProtectionConference;
    assert_due_dates(&calendar, icpc, "strategy discussion", &cases);
}

#[test]
fn review_conferences_in_calendar_months() {
    let calendar = WorkingDayCalendar::new();
    // First review: 3 months. 3 months from 26 September 2022 is Monday 26 December 2022,
    // Boxing Day: the last working day before it is Friday 23 December.
    let first = [
        (date(2024, 1, 10), date(2024, 4, 10)),
        (date(2022, 9, 26), date(2022, 12, 23)),
    ];
    assert_due_dates(&calendar, Timescale::FirstReviewConference, "ICPC", &first);
    // Later reviews: 6 months; 31 August to the end of February. 6 months from 8 November
    // 2022 is 8 May 2023, the coronation bank holiday.
    let later = [
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2022, 8, 31), date(2023, 2, 28)),
        (date(2022, 11, 8), date(2023, 5, 5)),
    ];
    let subsequent = Timescale::SubsequentReviewConference;
    assert_due_dates(&calendar, subsequent, "previous review", &later);
}

#[test]
fn local_closures_extend_timescales() {
    let closures = [date(2024, 12, 24), date(2024, 12, 27), date(2024, 12, 31)];
    let calendar = WorkingDayCalendar::with_local_closures(closures);
    // Contact on Monday 23 December 2024: 24 closed, 25 and 26 bank holidays, 27 closed,
    // the weekend, so Monday 30 December.
    let cases = [
        (date(2024, 12, 23), date(2024, 12, 30)),
        (date(2024, 12, 30), date(2025, 1, 2)),
    ];
    assert_due_dates(&calendar, Timescale::ThresholdDecision, "contact", &cases);
    assert_eq!(calendar.local_closures().collect::<Vec<_>>(), closures);
    assert_eq!(
        WorkingDayCalendar::new().add_working_days(date(2024, 12, 23), 1),
        date(2024, 12, 24)
    );
}

#[test]
fn status_of_a_threshold_decision_over_the_christmas_of_2020() {
    let calendar = WorkingDayCalendar::new();
    let due = Timescale::ThresholdDecision.due_date(&calendar, date(2020, 12, 24));
    let at = |day: u32, hour: u32| {
        date(2020, 12, day)
            .and_hms_opt(hour, 0, 0)
            .expect("a valid test time")
    };
    let on_time = TimescaleStatus::OnTime {
        working_days_left: 1,
    };
    let over = |days| TimescaleStatus::Overdue {
        working_days_over: days,
    };
    for (day, hour, expected) in [
        (24, 15, on_time),
        (27, 15, on_time),
        (29, 23, TimescaleStatus::DueToday),
        (30, 0, over(1)),
        (31, 12, over(2)),
    ] {
        assert_eq!(
            status_at(&calendar, due, at(day, hour)),
            expected,
            "at {hour}:00 on {day} December 2020"
        );
    }
    assert_eq!(working_days_left(&calendar, date(2021, 1, 4), due), -3);
}
