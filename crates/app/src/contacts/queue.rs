//! The contact queue: open contacts, soonest due first, with their timescale status.

use crate::local_time::{from_london, london, london_date};
use crate::App;
use crate::AppError;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::timescale::{status_at, TimescaleStatus};
use frontdoor_store::contacts::{QueueDueBounds, QueueEntry, QueueFilter};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct QueueRow {
    pub entry: QueueEntry,
    pub due_date: NaiveDate,
    pub timescale: TimescaleStatus,
    pub team_name: Option<String>,
    /// Information requests on this contact past their due time.
    pub overdue_requests: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueView {
    pub rows: Vec<QueueRow>,
    /// Over the whole queue the filter selects, not only this page.
    pub total: i64,
    pub overdue: i64,
    pub due_today: i64,
    /// Information requests past their due time, over the whole authority (not only this page).
    pub overdue_requests: i64,
}

impl App {
    /// The contact queue: open contacts, soonest due first, with their timescale status.
    pub async fn contact_queue(
        &self,
        actor: &Actor,
        filter: &QueueFilter,
    ) -> Result<QueueView, AppError> {
        actor.may(Action::ViewContactQueue)?;
        let now = self.now();
        let calendar = self.calendar_for(actor.authority).await?;
        let teams = self.store.teams(actor.authority).await?;
        let page = self
            .store
            .contact_queue(actor.authority, filter, due_bounds(now))
            .await?;
        let overdue_by_contact: std::collections::HashMap<_, _> = self
            .store
            .contacts_with_overdue_requests(actor.authority, now)
            .await?
            .into_iter()
            .collect();
        let rows: Vec<QueueRow> = page
            .entries
            .into_iter()
            .map(|entry| {
                let due_date = due_date(entry.decision_due_at);
                let timescale = status_at(&calendar, due_date, london(now));
                let team_name = entry
                    .team
                    .and_then(|t| teams.iter().find(|x| x.id == t))
                    .map(|t| t.name.clone());
                let overdue_requests = overdue_by_contact.get(&entry.id).copied().unwrap_or(0);
                QueueRow {
                    overdue_requests,
                    entry,
                    due_date,
                    timescale,
                    team_name,
                }
            })
            .collect();
        Ok(QueueView {
            rows,
            total: page.total,
            overdue: page.overdue,
            due_today: page.due_today,
            overdue_requests: overdue_by_contact.values().sum(),
        })
    }
}

/// The day a contact is due by the end of: a decision due at midnight belongs to the day
/// that midnight ends.
fn due_date(decision_due_at: DateTime<Utc>) -> NaiveDate {
    london_date(decision_due_at - Duration::seconds(1))
}

/// The instants between which a contact is overdue or due today at `now`, by the same rule
/// as [`due_date`] (so the counts over the whole queue agree with each row's status): due
/// before the first second after today's midnight is overdue; due from then until the first
/// second after tomorrow's midnight is due today.
fn due_bounds(now: DateTime<Utc>) -> QueueDueBounds {
    let today = london_date(now);
    let midnight_starting = |day: NaiveDate| from_london(day.and_time(chrono::NaiveTime::MIN));
    QueueDueBounds {
        overdue_before: midnight_starting(today) + Duration::seconds(1),
        due_today_before: today
            .succ_opt()
            .map_or(DateTime::<Utc>::MAX_UTC, midnight_starting)
            + Duration::seconds(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The bounds agree with [`due_date`] on every second around them, in winter and summer.
    #[test]
    fn the_counts_bounds_agree_with_each_rows_due_date() {
        for now in [
            Utc.with_ymd_and_hms(2026, 1, 14, 10, 0, 0).single(),
            Utc.with_ymd_and_hms(2026, 7, 14, 23, 30, 0).single(),
        ] {
            let now = now.expect("a time");
            let today = london_date(now);
            let bounds = due_bounds(now);
            for probe in [bounds.overdue_before, bounds.due_today_before] {
                for offset in [-2, -1, 0, 1] {
                    let due = probe + Duration::seconds(offset);
                    let day = due_date(due);
                    assert_eq!(day < today, due < bounds.overdue_before, "{due}");
                    assert_eq!(
                        day == today,
                        due >= bounds.overdue_before && due < bounds.due_today_before,
                        "{due}"
                    );
                }
            }
        }
    }
}
