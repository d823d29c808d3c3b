//! Working days in England and Wales, and how every timescale counts them.
//!
//! A working day is a Monday to Friday that is neither a bank holiday of England and Wales nor
//! a local closure day configured by the authority (for example the days between Christmas and
//! New Year when its offices shut).
//!
//! # The counting convention
//!
//! Every timescale in this system counts working days the same way, and this is the one place
//! where that way is written down:
//!
//! - The day of the triggering event (the day a contact is received, the day of the referral,
//!   the day of the strategy discussion) is **day 0**. It does not count, however early in the
//!   day the event happened.
//! - **Day 1** is the first working day *after* the day of the event. If the event happens on a
//!   non-working day (a weekend, a bank holiday, a local closure), day 1 is still simply the
//!   first working day after it.
//! - "Within N working days" means **by the end of day N**: the Nth working day after the day
//!   of the event, up to and including the last moment of that day (local time, Europe/London).
//!
//! [`WorkingDayCalendar::add_working_days`] gives day N, and
//! [`WorkingDayCalendar::working_days_between`] counts the other way round: it is the number of
//! working days after `start` up to and including `end`, so that
//! `working_days_between(d, add_working_days(d, n)) == n` for every date `d`.
//!
//! Examples, all for the one working day allowed for a threshold decision:
//!
//! | contact received                 | day 1 (decision due by the end of) | why                                    |
//! |----------------------------------|------------------------------------|----------------------------------------|
//! | Monday 2024-03-04, 08:05         | Tuesday 2024-03-05                 | the day of receipt is day 0            |
//! | Friday 2024-03-08, 16:55         | Monday 2024-03-11                  | the weekend does not count             |
//! | Saturday 2024-03-09, 02:00       | Monday 2024-03-11                  | day 1 is the first working day after   |
//! | Thursday 2020-12-24              | Tuesday 2020-12-29                 | 25 Dec, weekend, 28 Dec (substitute)   |
//! | Thursday 2022-06-02 (bank hol.)  | Monday 2022-06-06                  | 2 and 3 June 2022 were bank holidays   |
//!
//! ```
//! use chrono::NaiveDate;
//! use frontdoor_domain::calendar::WorkingDayCalendar;
//!
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
//! let calendar = WorkingDayCalendar::new();
//! // Received on Christmas Eve 2020: 25 December, the weekend and the Boxing Day
//! // substitute on Monday 28 December do not count.
//! assert_eq!(calendar.add_working_days(date(2020, 12, 24), 1), date(2020, 12, 29));
//! // A referral on Monday 2 September 2024: the assessment is due by the end of
//! // Monday 4 November 2024 (45 working days, no bank holidays in between).
//! assert_eq!(calendar.add_working_days(date(2024, 9, 2), 45), date(2024, 11, 4));
//! assert_eq!(calendar.working_days_between(date(2024, 9, 2), date(2024, 11, 4)), 45);
//! ```
//!
//! # Where the bank holidays come from
//!
//! For the years [`TABLE_FIRST_YEAR`] to [`TABLE_LAST_YEAR`] the bank holidays are data: a table
//! of the dates published by GOV.UK for England and Wales, including the one-off holidays and
//! the holidays moved by proclamation (2011 royal wedding, 2012 Diamond Jubilee, 2020 VE day,
//! 2022 Platinum Jubilee and State Funeral of Queen Elizabeth II, 2023 coronation). Years from
//! 2028 onwards were not yet published when the table was written; they hold the dates the
//! standing rules give, and must be checked against GOV.UK when it publishes them.
//!
//! For any other year the dates are generated from the standing rules
//! ([`standard_bank_holidays`]), so the calendar never treats a bank holiday as a working day
//! just because the table has run out. The table wins wherever it has the year. One-off
//! holidays before the table (1995 VE day, 1999 millennium, 2002 Golden Jubilee) are not known
//! to the rules.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

/// The first year for which [`england_and_wales_bank_holidays`] holds published dates.
pub const TABLE_FIRST_YEAR: i32 = 2010;
/// The last year for which [`england_and_wales_bank_holidays`] holds dates.
pub const TABLE_LAST_YEAR: i32 = 2030;

/// A bank holiday of England and Wales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BankHoliday {
    /// The day the offices are closed (the substitute day when the holiday falls on a weekend).
    pub date: NaiveDate,
    /// The name GOV.UK gives it.
    pub name: &'static str,
}

const NEW_YEAR: &str = "New Year's Day";
const NEW_YEAR_SUBSTITUTE: &str = "New Year's Day (substitute day)";
const GOOD_FRIDAY: &str = "Good Friday";
const EASTER_MONDAY: &str = "Easter Monday";
const EARLY_MAY: &str = "Early May bank holiday";
const SPRING: &str = "Spring bank holiday";
const SUMMER: &str = "Summer bank holiday";
const CHRISTMAS: &str = "Christmas Day";
const CHRISTMAS_SUBSTITUTE: &str = "Christmas Day (substitute day)";
const BOXING_DAY: &str = "Boxing Day";
const BOXING_DAY_SUBSTITUTE: &str = "Boxing Day (substitute day)";

/// Builds a table entry. Evaluated at compile time: an impossible date in the table stops the
/// build rather than reaching a user.
const fn holiday(year: i32, month: u32, day: u32, name: &'static str) -> BankHoliday {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => BankHoliday { date, name },
        None => panic!("the bank holiday table holds an impossible date"),
    }
}

/// Bank holidays of England and Wales, in date order, as published by GOV.UK.
const BANK_HOLIDAYS: &[BankHoliday] = &[
    // 2010
    holiday(2010, 1, 1, NEW_YEAR),
    holiday(2010, 4, 2, GOOD_FRIDAY),
    holiday(2010, 4, 5, EASTER_MONDAY),
    holiday(2010, 5, 3, EARLY_MAY),
    holiday(2010, 5, 31, SPRING),
    holiday(2010, 8, 30, SUMMER),
    holiday(2010, 12, 27, CHRISTMAS_SUBSTITUTE),
    holiday(2010, 12, 28, BOXING_DAY_SUBSTITUTE),
    // 2011
    holiday(2011, 1, 3, NEW_YEAR_SUBSTITUTE),
    holiday(2011, 4, 22, GOOD_FRIDAY),
    holiday(2011, 4, 25, EASTER_MONDAY),
    holiday(2011, 4, 29, "Royal wedding"),
    holiday(2011, 5, 2, EARLY_MAY),
    holiday(2011, 5, 30, SPRING),
    holiday(2011, 8, 29, SUMMER),
    holiday(2011, 12, 26, BOXING_DAY),
    holiday(2011, 12, 27, CHRISTMAS_SUBSTITUTE),
    // 2012
    holiday(2012, 1, 2, NEW_YEAR_SUBSTITUTE),
    holiday(2012, 4, 6, GOOD_FRIDAY),
    holiday(2012, 4, 9, EASTER_MONDAY),
    holiday(2012, 5, 7, EARLY_MAY),
    holiday(2012, 6, 4, SPRING),
    holiday(2012, 6, 5, "Queen's Diamond Jubilee"),
    holiday(2012, 8, 27, SUMMER),
    holiday(2012, 12, 25, CHRISTMAS),
    holiday(2012, 12, 26, BOXING_DAY),
    // 2013
    holiday(2013, 1, 1, NEW_YEAR),
    holiday(2013, 3, 29, GOOD_FRIDAY),
    holiday(2013, 4, 1, EASTER_MONDAY),
    holiday(2013, 5, 6, EARLY_MAY),
    holiday(2013, 5, 27, SPRING),
    holiday(2013, 8, 26, SUMMER),
    holiday(2013, 12, 25, CHRISTMAS),
    holiday(2013, 12, 26, BOXING_DAY),
    // 2014
    holiday(2014, 1, 1, NEW_YEAR),
    holiday(2014, 4, 18, GOOD_FRIDAY),
    holiday(2014, 4, 21, EASTER_MONDAY),
    holiday(2014, 5, 5, EARLY_MAY),
    holiday(2014, 5, 26, SPRING),
    holiday(2014, 8, 25, SUMMER),
    holiday(2014, 12, 25, CHRISTMAS),
    holiday(2014, 12, 26, BOXING_DAY),
    // 2015
    holiday(2015, 1, 1, NEW_YEAR),
    holiday(2015, 4, 3, GOOD_FRIDAY),
    holiday(2015, 4, 6, EASTER_MONDAY),
    holiday(2015, 5, 4, EARLY_MAY),
    holiday(2015, 5, 25, SPRING),
    holiday(2015, 8, 31, SUMMER),
    holiday(2015, 12, 25, CHRISTMAS),
    holiday(2015, 12, 28, BOXING_DAY_SUBSTITUTE),
    // 2016
    holiday(2016, 1, 1, NEW_YEAR),
    holiday(2016, 3, 25, GOOD_FRIDAY),
    holiday(2016, 3, 28, EASTER_MONDAY),
    holiday(2016, 5, 2, EARLY_MAY),
    holiday(2016, 5, 30, SPRING),
    holiday(2016, 8, 29, SUMMER),
    holiday(2016, 12, 26, BOXING_DAY),
    holiday(2016, 12, 27, CHRISTMAS_SUBSTITUTE),
    // 2017
    holiday(2017, 1, 2, NEW_YEAR_SUBSTITUTE),
    holiday(2017, 4, 14, GOOD_FRIDAY),
    holiday(2017, 4, 17, EASTER_MONDAY),
    holiday(2017, 5, 1, EARLY_MAY),
    holiday(2017, 5, 29, SPRING),
    holiday(2017, 8, 28, SUMMER),
    holiday(2017, 12, 25, CHRISTMAS),
    holiday(2017, 12, 26, BOXING_DAY),
    // 2018
    holiday(2018, 1, 1, NEW_YEAR),
    holiday(2018, 3, 30, GOOD_FRIDAY),
    holiday(2018, 4, 2, EASTER_MONDAY),
    holiday(2018, 5, 7, EARLY_MAY),
    holiday(2018, 5, 28, SPRING),
    holiday(2018, 8, 27, SUMMER),
    holiday(2018, 12, 25, CHRISTMAS),
    holiday(2018, 12, 26, BOXING_DAY),
    // 2019
    holiday(2019, 1, 1, NEW_YEAR),
    holiday(2019, 4, 19, GOOD_FRIDAY),
    holiday(2019, 4, 22, EASTER_MONDAY),
    holiday(2019, 5, 6, EARLY_MAY),
    holiday(2019, 5, 27, SPRING),
    holiday(2019, 8, 26, SUMMER),
    holiday(2019, 12, 25, CHRISTMAS),
    holiday(2019, 12, 26, BOXING_DAY),
    // 2020: the early May bank holiday moved from Monday 4 May to Friday 8 May (VE day).
    holiday(2020, 1, 1, NEW_YEAR),
    holiday(2020, 4, 10, GOOD_FRIDAY),
    holiday(2020, 4, 13, EASTER_MONDAY),
    holiday(2020, 5, 8, "Early May bank holiday (VE day)"),
    holiday(2020, 5, 25, SPRING),
    holiday(2020, 8, 31, SUMMER),
    holiday(2020, 12, 25, CHRISTMAS),
    holiday(2020, 12, 28, BOXING_DAY_SUBSTITUTE),
    // 2021
    holiday(2021, 1, 1, NEW_YEAR),
    holiday(2021, 4, 2, GOOD_FRIDAY),
    holiday(2021, 4, 5, EASTER_MONDAY),
    holiday(2021, 5, 3, EARLY_MAY),
    holiday(2021, 5, 31, SPRING),
    holiday(2021, 8, 30, SUMMER),
    holiday(2021, 12, 27, CHRISTMAS_SUBSTITUTE),
    holiday(2021, 12, 28, BOXING_DAY_SUBSTITUTE),
    // 2022: the spring bank holiday moved from Monday 30 May to Thursday 2 June, with the
    // Platinum Jubilee on Friday 3 June; the State Funeral on Monday 19 September.
    holiday(2022, 1, 3, NEW_YEAR_SUBSTITUTE),
    holiday(2022, 4, 15, GOOD_FRIDAY),
    holiday(2022, 4, 18, EASTER_MONDAY),
    holiday(2022, 5, 2, EARLY_MAY),
    holiday(2022, 6, 2, SPRING),
    holiday(2022, 6, 3, "Platinum Jubilee bank holiday"),
    holiday(2022, 8, 29, SUMMER),
    holiday(
        2022,
        9,
        19,
        "Bank Holiday for the State Funeral of Queen Elizabeth II",
    ),
    holiday(2022, 12, 26, BOXING_DAY),
    holiday(2022, 12, 27, CHRISTMAS_SUBSTITUTE),
    // 2023: the coronation of King Charles III on Monday 8 May.
    holiday(2023, 1, 2, NEW_YEAR_SUBSTITUTE),
    holiday(2023, 4, 7, GOOD_FRIDAY),
    holiday(2023, 4, 10, EASTER_MONDAY),
    holiday(2023, 5, 1, EARLY_MAY),
    holiday(
        2023,
        5,
        8,
        "Bank holiday for the coronation of King Charles III",
    ),
    holiday(2023, 5, 29, SPRING),
    holiday(2023, 8, 28, SUMMER),
    holiday(2023, 12, 25, CHRISTMAS),
    holiday(2023, 12, 26, BOXING_DAY),
    // 2024
    holiday(2024, 1, 1, NEW_YEAR),
    holiday(2024, 3, 29, GOOD_FRIDAY),
    holiday(2024, 4, 1, EASTER_MONDAY),
    holiday(2024, 5, 6, EARLY_MAY),
    holiday(2024, 5, 27, SPRING),
    holiday(2024, 8, 26, SUMMER),
    holiday(2024, 12, 25, CHRISTMAS),
    holiday(2024, 12, 26, BOXING_DAY),
    // 2025
    holiday(2025, 1, 1, NEW_YEAR),
    holiday(2025, 4, 18, GOOD_FRIDAY),
    holiday(2025, 4, 21, EASTER_MONDAY),
    holiday(2025, 5, 5, EARLY_MAY),
    holiday(2025, 5, 26, SPRING),
    holiday(2025, 8, 25, SUMMER),
    holiday(2025, 12, 25, CHRISTMAS),
    holiday(2025, 12, 26, BOXING_DAY),
    // 2026
    holiday(2026, 1, 1, NEW_YEAR),
    holiday(2026, 4, 3, GOOD_FRIDAY),
    holiday(2026, 4, 6, EASTER_MONDAY),
    holiday(2026, 5, 4, EARLY_MAY),
    holiday(2026, 5, 25, SPRING),
    holiday(2026, 8, 31, SUMMER),
    holiday(2026, 12, 25, CHRISTMAS),
    holiday(2026, 12, 28, BOXING_DAY_SUBSTITUTE),
    // 2027
    holiday(2027, 1, 1, NEW_YEAR),
    holiday(2027, 3, 26, GOOD_FRIDAY),
    holiday(2027, 3, 29, EASTER_MONDAY),
    holiday(2027, 5, 3, EARLY_MAY),
    holiday(2027, 5, 31, SPRING),
    holiday(2027, 8, 30, SUMMER),
    holiday(2027, 12, 27, CHRISTMAS_SUBSTITUTE),
    holiday(2027, 12, 28, BOXING_DAY_SUBSTITUTE),
    // 2028 (standing rules; check against GOV.UK when published)
    holiday(2028, 1, 3, NEW_YEAR_SUBSTITUTE),
    holiday(2028, 4, 14, GOOD_FRIDAY),
    holiday(2028, 4, 17, EASTER_MONDAY),
    holiday(2028, 5, 1, EARLY_MAY),
    holiday(2028, 5, 29, SPRING),
    holiday(2028, 8, 28, SUMMER),
    holiday(2028, 12, 25, CHRISTMAS),
    holiday(2028, 12, 26, BOXING_DAY),
    // 2029 (standing rules; check against GOV.UK when published)
    holiday(2029, 1, 1, NEW_YEAR),
    holiday(2029, 3, 30, GOOD_FRIDAY),
    holiday(2029, 4, 2, EASTER_MONDAY),
    holiday(2029, 5, 7, EARLY_MAY),
    holiday(2029, 5, 28, SPRING),
    holiday(2029, 8, 27, SUMMER),
    holiday(2029, 12, 25, CHRISTMAS),
    holiday(2029, 12, 26, BOXING_DAY),
    // 2030 (standing rules; check against GOV.UK when published)
    holiday(2030, 1, 1, NEW_YEAR),
    holiday(2030, 4, 19, GOOD_FRIDAY),
    holiday(2030, 4, 22, EASTER_MONDAY),
    holiday(2030, 5, 6, EARLY_MAY),
    holiday(2030, 5, 27, SPRING),
    holiday(2030, 8, 26, SUMMER),
    holiday(2030, 12, 25, CHRISTMAS),
    holiday(2030, 12, 26, BOXING_DAY),
];

/// The table of published bank holidays of England and Wales, in date order, for the years
/// [`TABLE_FIRST_YEAR`] to [`TABLE_LAST_YEAR`].
pub fn england_and_wales_bank_holidays() -> &'static [BankHoliday] {
    BANK_HOLIDAYS
}

/// Easter Sunday of a year of the Gregorian calendar (the anonymous Gregorian algorithm, also
/// known as Meeus/Jones/Butcher). `None` only outside the range of dates chrono can represent.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The last given weekday of a month.
fn last_weekday_of_month(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    last.checked_sub_days(Days::new(u64::from(back)))
}

/// The bank holidays of England and Wales that the standing rules give for a year, in date
/// order, without any one-off holiday or proclamation:
///
/// - New Year's Day, 1 January, or the Monday after when it falls on a weekend;
/// - Good Friday and Easter Monday;
/// - the early May bank holiday, the first Monday in May;
/// - the spring bank holiday, the last Monday in May;
/// - the summer bank holiday, the last Monday in August;
/// - Christmas Day and Boxing Day, with substitute days on the following weekdays when either
///   falls on a weekend (Christmas on a Saturday gives Monday 27 and Tuesday 28 December;
///   on a Sunday, Boxing Day on Monday 26 and Christmas substitute on Tuesday 27).
///
/// Dates outside the range chrono can represent are left out.
pub fn standard_bank_holidays(year: i32) -> Vec<BankHoliday> {
    let date = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day);
    let mut found: Vec<Option<BankHoliday>> = Vec::with_capacity(8);
    let mut push = |date: Option<NaiveDate>, name: &'static str| {
        found.push(date.map(|date| BankHoliday { date, name }));
    };

    if let Some(new_year) = date(1, 1) {
        match new_year.weekday() {
            Weekday::Sat => push(date(1, 3), NEW_YEAR_SUBSTITUTE),
            Weekday::Sun => push(date(1, 2), NEW_YEAR_SUBSTITUTE),
            _ => push(Some(new_year), NEW_YEAR),
        }
    }
    if let Some(easter) = easter_sunday(year) {
        push(easter.checked_sub_days(Days::new(2)), GOOD_FRIDAY);
        push(easter.checked_add_days(Days::new(1)), EASTER_MONDAY);
    }
    push(
        NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1),
        EARLY_MAY,
    );
    push(last_weekday_of_month(year, 5, Weekday::Mon), SPRING);
    push(last_weekday_of_month(year, 8, Weekday::Mon), SUMMER);
    if let Some(christmas) = date(12, 25) {
        match christmas.weekday() {
            Weekday::Fri => {
                push(Some(christmas), CHRISTMAS);
                push(date(12, 28), BOXING_DAY_SUBSTITUTE);
            }
            Weekday::Sat => {
                push(date(12, 27), CHRISTMAS_SUBSTITUTE);
                push(date(12, 28), BOXING_DAY_SUBSTITUTE);
            }
            Weekday::Sun => {
                push(date(12, 26), BOXING_DAY);
                push(date(12, 27), CHRISTMAS_SUBSTITUTE);
            }
            _ => {
                push(Some(christmas), CHRISTMAS);
                push(date(12, 26), BOXING_DAY);
            }
        }
    }
    let mut holidays: Vec<BankHoliday> = found.into_iter().flatten().collect();
    holidays.sort();
    holidays
}

/// The bank holidays of one year: the table where it has the year, the rules otherwise.
fn bank_holidays_of_year(year: i32) -> Cow<'static, [BankHoliday]> {
    if (TABLE_FIRST_YEAR..=TABLE_LAST_YEAR).contains(&year) {
        let from = BANK_HOLIDAYS.partition_point(|h| h.date.year() < year);
        let to = BANK_HOLIDAYS.partition_point(|h| h.date.year() <= year);
        Cow::Borrowed(BANK_HOLIDAYS.get(from..to).unwrap_or_default())
    } else {
        Cow::Owned(standard_bank_holidays(year))
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Number of Mondays to Fridays from a fixed origin up to and including `date`. Only
/// differences of this count mean anything.
fn weekdays_through(date: NaiveDate) -> i64 {
    // Day 1 of the common era (0001-01-01) is a Monday, so days 1..=5 of each week of the
    // count are the weekdays.
    let n = i64::from(date.num_days_from_ce());
    n.div_euclid(7) * 5 + n.rem_euclid(7).min(5)
}

/// The working-day calendar of an authority in England or Wales: Mondays to Fridays, less the
/// bank holidays of England and Wales and the authority's own local closure days.
///
/// See the [module documentation](self#the-counting-convention) for how timescales count.
///
/// Dates within a few days of the end of the range chrono can represent (the year 262142) have
/// no later date to move to: counting forwards stops there rather than failing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingDayCalendar {
    local_closures: BTreeSet<NaiveDate>,
}

impl WorkingDayCalendar {
    /// The calendar of England and Wales, with no local closures.
    pub fn new() -> Self {
        Self::default()
    }

    /// The calendar of England and Wales with extra days on which the authority's offices are
    /// closed (for example 24 and 31 December). Closures on weekends or bank holidays change
    /// nothing.
    pub fn with_local_closures(closures: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            local_closures: closures.into_iter().collect(),
        }
    }

    /// The local closure days, in date order.
    pub fn local_closures(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.local_closures.iter().copied()
    }

    /// Whether the date is a bank holiday of England and Wales.
    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        bank_holidays_of_year(date.year())
            .iter()
            .any(|holiday| holiday.date == date)
    }

    /// Whether the date is one of the authority's local closure days.
    pub fn is_local_closure(&self, date: NaiveDate) -> bool {
        self.local_closures.contains(&date)
    }

    /// Whether the date is a working day: a Monday to Friday that is neither a bank holiday
    /// nor a local closure day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.is_local_closure(date) && !self.is_bank_holiday(date)
    }

    /// The first working day strictly after `date` (day 1 of a timescale that starts on
    /// `date`).
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        self.first_working_day(date, NaiveDate::succ_opt)
    }

    /// The last working day strictly before `date`.
    pub fn previous_working_day(&self, date: NaiveDate) -> NaiveDate {
        self.first_working_day(date, NaiveDate::pred_opt)
    }

    /// The first working day met stepping from `date` (exclusive) one day at a time.
    fn first_working_day(
        &self,
        date: NaiveDate,
        step: fn(&NaiveDate) -> Option<NaiveDate>,
    ) -> NaiveDate {
        let mut day = date;
        while let Some(next) = step(&day) {
            day = next;
            if self.is_working_day(day) {
                return day;
            }
        }
        day
    }

    /// `date` itself if it is a working day, otherwise the last working day before it: the
    /// last day on which something due "by `date`" can be done.
    pub fn working_day_on_or_before(&self, date: NaiveDate) -> NaiveDate {
        if self.is_working_day(date) {
            date
        } else {
            self.previous_working_day(date)
        }
    }

    /// Day `n` of a timescale that starts on `start`: the `n`th working day strictly after
    /// `start`. `start` itself is day 0 and is returned unchanged when `n` is 0.
    ///
    /// See [the counting convention](self#the-counting-convention).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        for _ in 0..n {
            let next = self.next_working_day(day);
            if next == day {
                break;
            }
            day = next;
        }
        day
    }

    /// The number of working days after `start` up to and including `end`, when `end` is not
    /// before `start`; minus the number of working days after `end` up to and including
    /// `start`, when it is.
    ///
    /// So the count is 0 when both are the same day, it is antisymmetric
    /// (`between(a, b) == -between(b, a)`), and
    /// `working_days_between(d, add_working_days(d, n)) == n` for every date `d`.
    pub fn working_days_between(&self, start: NaiveDate, end: NaiveDate) -> i64 {
        if end < start {
            return -self.working_days_between(end, start);
        }
        // Working days in (start, end]: the weekdays, less the bank holidays on weekdays, less
        // the local closures on weekdays that are not also bank holidays.
        let weekdays = weekdays_through(end) - weekdays_through(start);
        let in_range = |date: NaiveDate| start < date && date <= end && !is_weekend(date);
        let mut bank_holidays = 0_i64;
        for year in start.year()..=end.year() {
            let of_year = bank_holidays_of_year(year);
            bank_holidays += count(of_year.iter().filter(|holiday| in_range(holiday.date)));
        }
        let closures = self
            .local_closures
            .range((Bound::Excluded(start), Bound::Included(end)))
            .filter(|date| !is_weekend(**date) && !self.is_bank_holiday(**date));
        weekdays - bank_holidays - count(closures)
    }

    /// The bank holidays of England and Wales in a year, in date order: the published table
    /// for [`TABLE_FIRST_YEAR`] to [`TABLE_LAST_YEAR`], the standing rules for other years.
    /// Local closure days are not bank holidays and are not included.
    pub fn bank_holidays_in(&self, year: i32) -> Vec<BankHoliday> {
        bank_holidays_of_year(year).into_owned()
    }
}

fn count<T>(items: impl Iterator<Item = T>) -> i64 {
    items.fold(0, |total, _| total + 1)
}

#[cfg(test)]
mod tests;
