use super::*;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid test date")
}

#[test]
fn table_is_in_date_order_without_duplicates() {
    for pair in BANK_HOLIDAYS.windows(2) {
        assert!(
            pair[0].date < pair[1].date,
            "{:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn table_covers_every_year_it_claims_and_no_other() {
    for year in TABLE_FIRST_YEAR..=TABLE_LAST_YEAR {
        assert!(bank_holidays_of_year(year).len() >= 8, "year {year}");
    }
    assert_eq!(
        BANK_HOLIDAYS.first().map(|h| h.date.year()),
        Some(TABLE_FIRST_YEAR)
    );
    assert_eq!(
        BANK_HOLIDAYS.last().map(|h| h.date.year()),
        Some(TABLE_LAST_YEAR)
    );
}

#[test]
fn no_bank_holiday_falls_on_a_weekend() {
    for holiday in BANK_HOLIDAYS {
        assert!(!is_weekend(holiday.date), "{holiday:?}");
    }
    for year in 1900..2200 {
        for holiday in standard_bank_holidays(year) {
            assert!(!is_weekend(holiday.date), "{holiday:?}");
        }
    }
}

#[test]
fn easter_sunday_matches_known_dates() {
    let known = [
        (1961, 4, 2),
        (2000, 4, 23),
        (2008, 3, 23),
        (2011, 4, 24),
        (2019, 4, 21),
        (2024, 3, 31),
        (2038, 4, 25),
        (2285, 3, 22),
    ];
    for (y, m, d) in known {
        assert_eq!(easter_sunday(y), Some(date(y, m, d)));
    }
}

#[test]
fn rules_give_eight_holidays_a_year() {
    for year in 1900..2200 {
        assert_eq!(standard_bank_holidays(year).len(), 8, "year {year}");
    }
}

#[test]
fn rules_are_used_beyond_the_table() {
    let calendar = WorkingDayCalendar::new();
    // 2031: Christmas Thursday, Boxing Day Friday; Easter Sunday 13 April.
    assert!(!calendar.is_working_day(date(2031, 12, 25)));
    assert!(!calendar.is_working_day(date(2031, 12, 26)));
    assert!(!calendar.is_working_day(date(2031, 4, 11)));
    assert!(!calendar.is_working_day(date(2031, 4, 14)));
    // 2032: New Year Thursday; Christmas Saturday gives Monday 27 and Tuesday 28.
    assert!(!calendar.is_working_day(date(2032, 12, 27)));
    assert!(!calendar.is_working_day(date(2032, 12, 28)));
    assert!(calendar.is_working_day(date(2032, 12, 29)));
    // 2009, before the table: Christmas Friday, Boxing Day substitute Monday 28.
    assert!(!calendar.is_working_day(date(2009, 12, 28)));
}

#[test]
fn weekdays_through_counts_weekdays() {
    let start = date(2024, 1, 1);
    for offset in 0..60 {
        let end = start + Days::new(offset);
        let naive = (1..=offset)
            .filter(|k| !is_weekend(start + Days::new(*k)))
            .count();
        assert_eq!(
            weekdays_through(end) - weekdays_through(start),
            i64::try_from(naive).expect("small")
        );
    }
}

#[test]
fn add_zero_working_days_is_the_start() {
    let calendar = WorkingDayCalendar::new();
    assert_eq!(
        calendar.add_working_days(date(2022, 6, 4), 0),
        date(2022, 6, 4)
    );
}

#[test]
fn local_closures_are_not_working_days() {
    let calendar =
        WorkingDayCalendar::with_local_closures([date(2024, 12, 24), date(2024, 12, 25)]);
    assert!(!calendar.is_working_day(date(2024, 12, 24)));
    assert!(calendar.is_local_closure(date(2024, 12, 24)));
    assert!(!calendar.is_bank_holiday(date(2024, 12, 24)));
    // The closure on Christmas Day is not counted twice.
    assert_eq!(
        calendar.working_days_between(date(2024, 12, 23), date(2024, 12, 27)),
        1
    );
    assert_eq!(
        calendar.add_working_days(date(2024, 12, 23), 1),
        date(2024, 12, 27)
    );
    assert_eq!(calendar.bank_holidays_in(2024).len(), 8);
}

#[test]
fn counting_stops_at_the_end_of_representable_dates() {
    let calendar = WorkingDayCalendar::new();
    assert_eq!(calendar.add_working_days(NaiveDate::MAX, 3), NaiveDate::MAX);
    assert_eq!(calendar.next_working_day(NaiveDate::MAX), NaiveDate::MAX);
    assert_eq!(
        calendar.previous_working_day(NaiveDate::MIN),
        NaiveDate::MIN
    );
    assert_eq!(
        calendar.working_days_between(NaiveDate::MAX, NaiveDate::MAX),
        0
    );
}
