//! The contact queue: open contacts, soonest due first, with filters.

use super::timescale_tag;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::Choice;
use crate::views::*;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::records::QueueFilter;
use frontdoor_domain::contact::{ContactStatus, Urgency};
use frontdoor_domain::ids::TeamId;
use std::collections::HashMap;

pub async fn queue(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let get = |k: &str| {
        query
            .get(k)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut filter_team = get("team");
    if get("mine") == "1" {
        filter_team = actor.team.map(|t| t.to_string()).unwrap_or_default();
    }
    let filter = QueueFilter {
        team: filter_team.parse::<TeamId>().ok(),
        status: ContactStatus::from_code(&get("status")).ok(),
        urgency: Urgency::from_code(&get("urgency")).ok(),
        out_of_hours: match get("hours").as_str() {
            "in" => Some(false),
            "out" => Some(true),
            _ => None,
        },
        limit: 200,
        offset: 0,
    };
    let view = state.app.contact_queue(&actor, &filter).await?;
    let teams = state.app.teams(&actor).await?;
    let rows = view
        .rows
        .iter()
        .map(|row| {
            let (timescale, timescale_tag) = timescale_tag(row.timescale);
            QueueRowView {
                href: format!("/contacts/{}", row.entry.id),
                reference: row.entry.reference.clone(),
                child: if row.entry.children > 1 {
                    format!(
                        "{} and {} more",
                        row.entry.first_child,
                        row.entry.children - 1
                    )
                } else {
                    row.entry.first_child.clone()
                },
                received: instant(row.entry.received_at),
                source: row.entry.source.label().to_string(),
                urgency: match row.entry.urgency {
                    Urgency::Immediate => "Immediate",
                    Urgency::Urgent => "Urgent",
                    Urgency::Standard => "Standard",
                }
                .to_string(),
                urgent: row.entry.urgency != Urgency::Standard,
                out_of_hours: row.entry.out_of_hours,
                status: row.entry.status.label().to_string(),
                team: row.team_name.clone().unwrap_or_default(),
                due: date(row.due_date),
                timescale,
                timescale_tag,
                breach: row.timescale.is_overdue(),
                overdue_requests: row.overdue_requests,
            }
        })
        .collect();
    let page = QueuePage {
        chrome: Chrome::for_worker(&state, &worker, "/contacts"),
        heading: if filter.status == Some(ContactStatus::AwaitingAuthorisation) {
            "Awaiting authorisation".into()
        } else {
            "Contact queue".into()
        },
        rows,
        total: view.total,
        overdue: view.overdue,
        due_today: view.due_today,
        overdue_requests: view.overdue_requests,
        teams: teams
            .iter()
            .filter(|t| t.receives_contacts)
            .map(|t| Choice::new(t.id.to_string(), &t.name))
            .collect(),
        statuses: Choice::each(&ContactStatus::ALL, |s| (s.code(), s.label())),
        urgencies: Choice::each(&Urgency::ALL, |u| (u.code(), u.code())),
        filter_team,
        filter_status: get("status"),
        filter_urgency: get("urgency"),
        filter_hours: get("hours"),
    };
    Ok(render(&page))
}
