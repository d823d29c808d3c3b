//! The contact queue: open contacts, soonest due first, with their timescale status.

use crate::local_time::{london, london_date};
use crate::App;
use crate::AppError;
use chrono::NaiveDate;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::timescale::{status_at, TimescaleStatus};
use frontdoor_store::contacts::{QueueEntry, QueueFilter};
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
    pub total: i64,
    pub overdue: usize,
    pub due_today: usize,
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
        let (entries, total) = self.store.contact_queue(actor.authority, filter).await?;
        let overdue_by_contact: std::collections::HashMap<_, _> = self
            .store
            .contacts_with_overdue_requests(actor.authority, now)
            .await?
            .into_iter()
            .collect();
        let rows: Vec<QueueRow> = entries
            .into_iter()
            .map(|entry| {
                let due_date = london_date(entry.decision_due_at - chrono::Duration::seconds(1));
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
        let overdue = rows.iter().filter(|r| r.timescale.is_overdue()).count();
        let due_today = rows
            .iter()
            .filter(|r| r.timescale == TimescaleStatus::DueToday)
            .count();
        Ok(QueueView {
            rows,
            total,
            overdue,
            due_today,
            overdue_requests: overdue_by_contact.values().sum(),
        })
    }
}
