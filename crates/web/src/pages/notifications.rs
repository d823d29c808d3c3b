//! The notifications page: what is waiting for the signed-in worker or partner, with links, and
//! marking them read.

use super::path_id;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::SignedInForm;
use crate::views::*;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::notification_title;
use uuid::Uuid;

pub struct NotificationRow {
    pub id: String,
    pub title: String,
    pub href: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub chrome: Chrome,
    pub items: Vec<NotificationRow>,
    pub unread: i64,
    /// (link, about, due)
    pub overdue: Vec<(String, String, String)>,
}

pub async fn notifications(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let view = state.app.notifications(&worker.actor()).await?;
    let page = NotificationsPage {
        chrome: Chrome::for_worker(&state, &worker, "/notifications"),
        items: view
            .items
            .iter()
            .map(|n| NotificationRow {
                id: n.id.to_string(),
                title: notification_title(&n.kind).into(),
                href: n.link.clone(),
                when: instant(n.created_at),
                unread: n.read_at.is_none(),
            })
            .collect(),
        unread: view.unread,
        overdue: view
            .overdue
            .iter()
            .map(|o| (o.link.clone(), o.about.clone(), instant(o.due_at)))
            .collect(),
    };
    Ok(render(&page))
}

pub async fn mark_read(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let only = match form.get("id").trim() {
        "" => None,
        id => Some(path_id::<Uuid>(id, "notification")?),
    };
    state
        .app
        .mark_notifications_read(&worker.actor(), only)
        .await?;
    Ok(Redirect::to("/notifications").into_response())
}
