//! Timescales in working days and months across Christmas, Easter and one-off holidays.

use super::date;
use super::holidays::easter_by_oudin;
use chrono::Days;
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::timescale::{status_at, working_days_left, Timescale, TimescaleStatus};

#[test]
fn threshold_decision_across_christmas_every_year() {
    let calendar = WorkingDayCalendar::new();
    let expected = [
        (2015, date(2015, 12, 29)),
        (2016, date(2016, 12, 28)),
        (2017, date(2017, 12, 27)),
        (2018, date(2018, 12, 27)),
        (2019, date(2019, 12, 27)),
        (2020, date(2020, 12, 29)),
        (2021, date(2021, 12, 29)),
        (2022, date(2022, 12, 28)),
        (2023, date(2023, 12, 27)),
        (2024, date(2024, 12, 27)),
        (2025, date(2025, 12, 29)),
        (2026, date(2026, 12, 29)),
        (2027, date(2027, 12, 29)),
        (2028, date(2028, 12, 27)),
        (2029, date(2029, 12, 27)),
        (2030, date(2030, 12, 27)),
    ];
    for (year, due) in expected {
        assert_eq!(
            Timescale::ThresholdDecision.due_date(&calendar, date(year, 12, 24)),
            due,
            "contact on Christmas Eve {year}"
        );
    }
}

#[test]
fn threshold_decision_across_new_year() {
    let calendar = WorkingDayCalendar::new();
    for (received, due) in [
        (date(2015, 12, 31), date(2016, 1, 4)),
        (date(2016, 12, 31), date(2017, 1, 3)),
        (date(2021, 12, 31), date(2022, 1, 4)),
        (date(2022, 12, 31), date(2023, 1, 3)),
        (date(2024, 12, 31), date(2025, 1, 2)),
        (date(2027, 12, 31), date(2028, 1, 4)),
    ] {
        assert_eq!(
            Timescale::ThresholdDecision.due_date(&calendar, received),
            due,
            "contact on {received}"
        );
    }
}

#[test]
fn threshold_decision_across_easter_every_year() {
    let calendar = WorkingDayCalendar::new();
    for year in 2010..=2035 {
        let easter = easter_by_oudin(year);
        let maundy_thursday = easter - Days::new(3);
        let tuesday_after = easter + Days::new(2);
        assert_eq!(
            Timescale::ThresholdDecision.due_date(&calendar, maundy_thursday),
            tuesday_after,
            "contact on Maundy Thursday {year}"
        );
    }
}

#[test]
fn threshold_decision_around_one_off_holidays() {
    let calendar = WorkingDayCalendar::new();
    for (received, due) in [
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
    ] {
        assert_eq!(
            Timescale::ThresholdDecision.due_date(&calendar, received),
            due,
            "contact on {received}"
        );
    }
}

#[test]
fn assessment_within_45_working_days() {
    let calendar = WorkingDayCalendar::new();
    for (referral, due) in [
        (date(2024, 9, 2), date(2024, 11, 4)), // no bank holiday in between
        (date(2023, 1, 9), date(2023, 3, 13)), // no bank holiday in between
        (date(2021, 11, 15), date(2022, 1, 20)), // Christmas, Boxing Day and New Year substitutes
        (date(2020, 4, 1), date(2020, 6, 9)),  // Easter, VE day, spring bank holiday
        (date(2022, 5, 16), date(2022, 7, 20)), // Platinum Jubilee
    ] {
        assert_eq!(
            Timescale::Assessment.due_date(&calendar, referral),
            due,
            "referral on {referral}"
        );
        assert_eq!(calendar.working_days_between(referral, due), 45);
    }
}

#[test]
fn initial_conference_within_15_working_days() {
    let calendar = WorkingDayCalendar::new();
    for (strategy_discussion, due) in [
        (date(2022, 9, 8), date(2022, 9, 30)),  // State Funeral
        (date(2023, 4, 28), date(2023, 5, 23)), // early May and Coronation
        (date(2025, 4, 19), date(2025, 5, 13)), // on Easter Saturday
    ] {
        assert_eq!(
            Timescale::InitialChildProtectionConference.due_date(&calendar, strategy_discussion),
            due,
            "strategy discussion on {strategy_discussion}"
        );
    }
}

#[test]
fn review_conferences_in_calendar_months() {
    let calendar = WorkingDayCalendar::new();
    // First review: 3 months.
    assert_eq!(
        Timescale::FirstReviewConference.due_date(&calendar, date(2024, 1, 10)),
        date(2024, 4, 10)
    );
    // 3 months from 26 September 2022 is Monday 26 December 2022, Boxing Day: the last
    // working day before it is Friday 23 December.
    assert_eq!(
        Timescale::FirstReviewConference.due_date(&calendar, date(2022, 9, 26)),
        date(2022, 12, 23)
    );
    // Later reviews: 6 months; 31 August to the end of February.
    assert_eq!(
        Timescale::SubsequentReviewConference.due_date(&calendar, date(2023, 8, 31)),
        date(2024, 2, 29)
    );
    assert_eq!(
        Timescale::SubsequentReviewConference.due_date(&calendar, date(2022, 8, 31)),
        date(2023, 2, 28)
    );
    // 6 months from 8 November 2022 is 8 May 2023, the coronation bank holiday.
    assert_eq!(
        Timescale::SubsequentReviewConference.due_date(&calendar, date(2022, 11, 8)),
        date(2023, 5, 5)
    );
}

#[test]
fn local_closures_extend_timescales() {
    let closures = [date(2024, 12, 24), date(2024, 12, 27), date(2024, 12, 31)];
    let calendar = WorkingDayCalendar::with_local_closures(closures);
    // Contact on Monday 23 December 2024: 24 closed, 25 and 26 bank holidays, 27 closed,
    // the weekend, so Monday 30 December.
    assert_eq!(
        Timescale::ThresholdDecision.due_date(&calendar, date(2024, 12, 23)),
        date(2024, 12, 30)
    );
    assert_eq!(
        Timescale::ThresholdDecision.due_date(&calendar, date(2024, 12, 30)),
        date(2025, 1, 2)
    );
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
    assert_eq!(
        status_at(&calendar, due, at(24, 15)),
        TimescaleStatus::OnTime {
            working_days_left: 1
        }
    );
    assert_eq!(
        status_at(&calendar, due, at(27, 15)),
        TimescaleStatus::OnTime {
            working_days_left: 1
        }
    );
    assert_eq!(
        status_at(&calendar, due, at(29, 23)),
        TimescaleStatus::DueToday
    );
    assert_eq!(
        status_at(&calendar, due, at(30, 0)),
        TimescaleStatus::Overdue {
            working_days_over: 1
        }
    );
    assert_eq!(
        status_at(&calendar, due, at(31, 12)),
        TimescaleStatus::Overdue {
            working_days_over: 2
        }
    );
    assert_eq!(working_days_left(&calendar, date(2021, 1, 4), due), -3);
}
