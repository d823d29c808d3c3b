//! Instants are UTC; people work in Europe/London. The conversions live here, once.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const LONDON: Tz = chrono_tz::Europe::London;

/// The wall-clock time in London at an instant.
pub fn london(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&LONDON).naive_local()
}

/// The calendar date in London at an instant.
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    london(at).date()
}

/// The instant of a London wall-clock time. In the autumn hour that happens twice the earlier is
/// taken; in the spring hour that does not exist, the time an hour later.
pub fn from_london(local: NaiveDateTime) -> DateTime<Utc> {
    match LONDON.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => {
            let later = local + chrono::Duration::hours(1);
            match LONDON.from_local_datetime(&later) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
                LocalResult::None => Utc.from_utc_datetime(&local),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_time_is_an_hour_ahead() {
        let at = Utc
            .with_ymd_and_hms(2026, 7, 1, 23, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(
            london_date(at),
            NaiveDate::from_ymd_opt(2026, 7, 2).expect("valid")
        );
        let winter = Utc
            .with_ymd_and_hms(2026, 12, 1, 23, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(
            london_date(winter),
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid")
        );
        assert_eq!(from_london(london(at)), at);
    }
}
