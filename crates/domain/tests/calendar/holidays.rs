//! The bank holiday table against the published list, the standing rules and Easter.

use std::collections::BTreeSet;

use super::{date, iso};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use frontdoor_domain::calendar::{
    easter_sunday, england_and_wales_bank_holidays, standard_bank_holidays, WorkingDayCalendar,
    TABLE_FIRST_YEAR, TABLE_LAST_YEAR,
};

/// The bank holidays of England and Wales as published on GOV.UK, typed in again here
/// independently of the table in the library (2028 to 2030 by the standing rules).
#[rustfmt::skip]
const PUBLISHED: &[(i32, &[&str])] = &[
    (2015, &["2015-01-01", "2015-04-03", "2015-04-06", "2015-05-04", "2015-05-25", "2015-08-31", "2015-12-25", "2015-12-28"]),
    (2016, &["2016-01-01", "2016-03-25", "2016-03-28", "2016-05-02", "2016-05-30", "2016-08-29", "2016-12-26", "2016-12-27"]),
    (2017, &["2017-01-02", "2017-04-14", "2017-04-17", "2017-05-01", "2017-05-29", "2017-08-28", "2017-12-25", "2017-12-26"]),
    (2018, &["2018-01-01", "2018-03-30", "2018-04-02", "2018-05-07", "2018-05-28", "2018-08-27", "2018-12-25", "2018-12-26"]),
    (2019, &["2019-01-01", "2019-04-19", "2019-04-22", "2019-05-06", "2019-05-27", "2019-08-26", "2019-12-25", "2019-12-26"]),
    (2020, &["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"]),
    (2021, &["2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"]),
    (2022, &["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"]),
    (2023, &["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"]),
    (2024, &["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"]),
    (2025, &["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"]),
    (2026, &["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"]),
    (2027, &["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"]),
    (2028, &["2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26"]),
    (2029, &["2029-01-01", "2029-03-30", "2029-04-02", "2029-05-07", "2029-05-28", "2029-08-27", "2029-12-25", "2029-12-26"]),
    (2030, &["2030-01-01", "2030-04-19", "2030-04-22", "2030-05-06", "2030-05-27", "2030-08-26", "2030-12-25", "2030-12-26"]),
];

/// Where the published holidays depart from the standing rules: (date, in the table but not
/// the rules?) — `true` for a one-off or moved-to date, `false` for the rule date that moved.
const KNOWN_DEPARTURES: &[(&str, bool)] = &[
    ("2011-04-29", true),  // royal wedding
    ("2012-05-28", false), // spring bank holiday moved...
    ("2012-06-04", true),  // ...to 4 June
    ("2012-06-05", true),  // Queen's Diamond Jubilee
    ("2020-05-04", false), // early May bank holiday moved...
    ("2020-05-08", true),  // ...to Friday 8 May, VE day
    ("2022-05-30", false), // spring bank holiday moved...
    ("2022-06-02", true),  // ...to Thursday 2 June
    ("2022-06-03", true),  // Platinum Jubilee
    ("2022-09-19", true),  // State Funeral of Queen Elizabeth II
    ("2023-05-08", true),  // coronation of King Charles III
];

/// Easter Sunday by Oudin's algorithm (1940), written independently of the anonymous
/// Gregorian algorithm the library uses.
pub(super) fn easter_by_oudin(year: i32) -> NaiveDate {
    let y = year;
    let c = y / 100;
    let n = y - 19 * (y / 19);
    let k = (c - 17) / 25;
    let mut i = c - c / 4 - (c - k) / 3 + 19 * n + 15;
    i -= 30 * (i / 30);
    i -= (i / 28) * (1 - (i / 28) * (29 / (i + 1)) * ((21 - n) / 11));
    let mut j = y + y / 4 + i + 2 - c + c / 4;
    j -= 7 * (j / 7);
    let l = i - j;
    let month = 3 + (l + 40) / 44;
    let day = l + 28 - 31 * (month / 4);
    date(
        year,
        u32::try_from(month).expect("month"),
        u32::try_from(day).expect("day"),
    )
}

fn table_dates_of(year: i32) -> Vec<NaiveDate> {
    WorkingDayCalendar::new()
        .bank_holidays_in(year)
        .iter()
        .map(|holiday| holiday.date)
        .collect()
}

#[test]
fn table_matches_the_published_list_for_2015_to_2030() {
    const { assert!(TABLE_FIRST_YEAR <= 2015 && TABLE_LAST_YEAR >= 2030) };
    for (year, published) in PUBLISHED {
        let expected: Vec<NaiveDate> = published.iter().map(|text| iso(text)).collect();
        assert_eq!(table_dates_of(*year), expected, "bank holidays of {year}");
    }
}

#[test]
fn every_bank_holiday_of_2015_to_2030_is_not_a_working_day() {
    let calendar = WorkingDayCalendar::new();
    let mut checked = 0;
    for (_, published) in PUBLISHED {
        for text in *published {
            let day = iso(text);
            assert!(!calendar.is_working_day(day), "{day} is a bank holiday");
            assert!(calendar.is_bank_holiday(day), "{day} is a bank holiday");
            checked += 1;
        }
    }
    assert_eq!(checked, 16 * 8 + 2 + 1);
    for holiday in england_and_wales_bank_holidays() {
        assert!(!calendar.is_working_day(holiday.date), "{holiday:?}");
    }
}

#[test]
fn every_other_weekday_of_2015_to_2030_is_a_working_day() {
    let calendar = WorkingDayCalendar::new();
    let holidays: BTreeSet<NaiveDate> = PUBLISHED
        .iter()
        .flat_map(|(_, dates)| dates.iter().map(|text| iso(text)))
        .collect();
    let mut day = date(2015, 1, 1);
    while day <= date(2030, 12, 31) {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        assert_eq!(
            calendar.is_working_day(day),
            !weekend && !holidays.contains(&day),
            "{day}"
        );
        day = day.succ_opt().expect("a next day");
    }
}

#[test]
fn number_of_bank_holidays_each_year() {
    let calendar = WorkingDayCalendar::new();
    for year in TABLE_FIRST_YEAR..=TABLE_LAST_YEAR {
        let expected = match year {
            2011 | 2012 | 2023 => 9,
            2022 => 10,
            _ => 8,
        };
        assert_eq!(calendar.bank_holidays_in(year).len(), expected, "{year}");
    }
}

#[test]
fn one_off_and_moved_holidays() {
    let calendar = WorkingDayCalendar::new();
    let closed = [
        date(2020, 5, 8),  // VE day: early May bank holiday moved to the Friday
        date(2022, 6, 2),  // spring bank holiday moved to Thursday
        date(2022, 6, 3),  // Platinum Jubilee
        date(2022, 9, 19), // State Funeral of Queen Elizabeth II
        date(2023, 5, 8),  // coronation of King Charles III
        date(2023, 5, 1),  // and the usual early May bank holiday that year
        date(2011, 4, 29), // royal wedding
        date(2012, 6, 5),  // Diamond Jubilee
    ];
    for day in closed {
        assert!(!calendar.is_working_day(day), "{day}");
    }
    let open = [
        date(2020, 5, 4),  // the first Monday in May 2020 was a working day
        date(2022, 5, 30), // the last Monday in May 2022 was a working day
        date(2012, 5, 28), // the last Monday in May 2012 was a working day
        date(2022, 9, 20),
        date(2023, 5, 9),
    ];
    for day in open {
        assert!(calendar.is_working_day(day), "{day}");
    }
    let names: Vec<&str> = calendar
        .bank_holidays_in(2022)
        .iter()
        .map(|holiday| holiday.name)
        .collect();
    assert!(names.iter().any(|name| name.contains("Platinum Jubilee")));
    assert!(names.iter().any(|name| name.contains("State Funeral")));
}

#[test]
fn substitute_days() {
    let calendar = WorkingDayCalendar::new();
    for (closed, open) in [
        // Christmas on Saturday, Boxing Day on Sunday.
        (
            vec![date(2021, 12, 27), date(2021, 12, 28)],
            date(2021, 12, 29),
        ),
        (
            vec![date(2027, 12, 27), date(2027, 12, 28)],
            date(2027, 12, 29),
        ),
        (
            vec![date(2010, 12, 27), date(2010, 12, 28)],
            date(2010, 12, 29),
        ),
        // Christmas on Sunday: Boxing Day on Monday, Christmas substitute on Tuesday.
        (
            vec![date(2022, 12, 26), date(2022, 12, 27)],
            date(2022, 12, 28),
        ),
        (
            vec![date(2016, 12, 26), date(2016, 12, 27)],
            date(2016, 12, 28),
        ),
        // Christmas on Friday: Boxing Day substitute on Monday.
        (vec![date(2020, 12, 28)], date(2020, 12, 29)),
        (vec![date(2026, 12, 28)], date(2026, 12, 29)),
        // New Year's Day on a weekend.
        (vec![date(2017, 1, 2)], date(2017, 1, 3)),
        (vec![date(2022, 1, 3)], date(2022, 1, 4)),
        (vec![date(2023, 1, 2)], date(2023, 1, 3)),
        (vec![date(2028, 1, 3)], date(2028, 1, 4)),
    ] {
        for day in closed {
            assert!(!calendar.is_working_day(day), "{day}");
        }
        assert!(calendar.is_working_day(open), "{open}");
    }
}

#[test]
fn easter_agrees_with_an_independent_algorithm() {
    for year in 1583..=4099 {
        assert_eq!(easter_sunday(year), Some(easter_by_oudin(year)), "{year}");
    }
}

#[test]
fn table_has_good_friday_and_easter_monday_every_year() {
    for year in TABLE_FIRST_YEAR..=TABLE_LAST_YEAR {
        let easter = easter_by_oudin(year);
        let dates = table_dates_of(year);
        let good_friday = easter - Days::new(2);
        let easter_monday = easter + Days::new(1);
        assert!(dates.contains(&good_friday), "Good Friday {good_friday}");
        assert!(
            dates.contains(&easter_monday),
            "Easter Monday {easter_monday}"
        );
    }
}

#[test]
fn table_and_rules_agree_except_for_the_known_departures() {
    let mut departures = BTreeSet::new();
    for year in TABLE_FIRST_YEAR..=TABLE_LAST_YEAR {
        let table: BTreeSet<NaiveDate> = table_dates_of(year).into_iter().collect();
        let rules: BTreeSet<NaiveDate> = standard_bank_holidays(year)
            .iter()
            .map(|holiday| holiday.date)
            .collect();
        departures.extend(table.difference(&rules).map(|day| (*day, true)));
        departures.extend(rules.difference(&table).map(|day| (*day, false)));
        // Where the dates agree, so do the names.
        let published = WorkingDayCalendar::new().bank_holidays_in(year);
        for holiday in standard_bank_holidays(year) {
            if let Some(same_day) = published.iter().find(|p| p.date == holiday.date) {
                assert_eq!(same_day.name, holiday.name, "{}", holiday.date);
            }
        }
    }
    let expected: BTreeSet<(NaiveDate, bool)> = KNOWN_DEPARTURES
        .iter()
        .map(|(text, one_off)| (iso(text), *one_off))
        .collect();
    assert_eq!(departures, expected);
}
