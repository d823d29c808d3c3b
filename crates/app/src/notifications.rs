//! What is waiting for each worker and partner: notifications written with the change that
//! caused them (a new request, an answer, a decision returned, an authorisation waiting), and
//! overdue information requests, read from the clock when the list is shown.

use crate::{App, AppError};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Actor, Role};
use frontdoor_store::notifications::Notification;
use serde::Serialize;
use uuid::Uuid;

/// An overdue information request, as a reminder: for the worker who sent it, or for the
/// partner organisation it is addressed to.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueReminder {
    pub id: Uuid,
    pub link: String,
    pub due_at: DateTime<Utc>,
    /// "Testshire Police, about Amy Stone" (worker) or "About Amy Stone" (partner).
    pub about: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotificationsView {
    /// Newest first.
    pub items: Vec<Notification>,
    pub unread: i64,
    pub overdue: Vec<OverdueReminder>,
}

/// What a notification kind means, in words.
pub fn notification_title(kind: &str) -> &'static str {
    match kind {
        "new_information_request" => "New information request",
        "information_request_answered" => "Information request answered",
        "information_request_withdrawn" => "Information request withdrawn: no answer needed",
        "decision_returned" => "Recommendation returned to you",
        "authorisation_waiting" => "Recommendation awaiting authorisation",
        _ => "Something changed",
    }
}

impl App {
    fn check_notifications(actor: &Actor) -> Result<(), AppError> {
        actor.may(Action::ViewNotifications)?;
        Ok(())
    }

    /// The worker's notifications and reminders.
    pub async fn notifications(&self, actor: &Actor) -> Result<NotificationsView, AppError> {
        Self::check_notifications(actor)?;
        let now = self.now();
        let items = self
            .store
            .notifications_for(actor.authority, actor.worker, 200)
            .await?;
        let unread = self
            .store
            .unread_notification_count(actor.authority, actor.worker)
            .await?;
        let overdue = if actor.role == Role::PartnerPractitioner {
            self.addressed_requests(actor)
                .await?
                .into_iter()
                .filter(|r| r.overdue)
                .map(|r| OverdueReminder {
                    id: r.request.id,
                    link: format!("/partner/requests/{}", r.request.id),
                    due_at: r.request.due_at,
                    about: format!("About {}", r.request.child_name),
                })
                .collect()
        } else {
            self.store
                .overdue_requests_sent_by(actor.authority, actor.worker, now)
                .await?
                .into_iter()
                .map(|r| OverdueReminder {
                    id: r.id,
                    link: format!("/contacts/{}/information-requests", r.contact),
                    due_at: r.due_at,
                    about: format!("{}, about {}", r.organisation_name, r.child_name),
                })
                .collect()
        };
        Ok(NotificationsView {
            items,
            unread,
            overdue,
        })
    }

    /// How many notifications the worker has not read (for the count in the header).
    pub async fn unread_notifications(&self, actor: &Actor) -> Result<i64, AppError> {
        Self::check_notifications(actor)?;
        Ok(self
            .store
            .unread_notification_count(actor.authority, actor.worker)
            .await?)
    }

    /// Marks one of the worker's notifications read, or all of them with `None`.
    pub async fn mark_notifications_read(
        &self,
        actor: &Actor,
        only: Option<Uuid>,
    ) -> Result<u64, AppError> {
        Self::check_notifications(actor)?;
        Ok(self
            .store
            .mark_notifications_read(actor.authority, actor.worker, only, self.now())
            .await?)
    }
}
