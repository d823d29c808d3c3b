//! The working-day calendar and the timescales, checked against the bank holidays published
//! for England and Wales and against independent computations.

mod holidays;
mod properties;
mod timescales;

use chrono::NaiveDate;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid test date")
}

fn iso(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("an ISO test date")
}
