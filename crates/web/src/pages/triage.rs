//! MASH triage meetings: the list, recording a meeting (every open contact offered for a rating
//! and a next step) and one meeting's record.

use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use frontdoor_app::records::QueueFilter;
use frontdoor_app::triage::{AttendeeInput, DiscussedInput, TriageMeetingInput, ATTENDEE_ROWS};
use frontdoor_app::{london, AppError, SignedIn};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::authorization::{Action, DenialReason};
use frontdoor_domain::ids::TriageMeetingId;
use frontdoor_domain::triage::RagRating;

/// Open contacts a meeting form offers, soonest due first.
const CONTACTS_OFFERED: i64 = 60;

pub async fn meetings(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let meetings = state.app.triage_meetings(&worker.actor(), 100).await?;
    Ok(render(&TriageMeetingsPage {
        chrome: Chrome::for_worker(&state, &worker, "/triage"),
        can_record: can(&worker, Action::RecordTriageMeeting),
        meetings: meetings
            .iter()
            .map(|m| {
                (
                    format!("/triage/{}", m.id),
                    instant(m.held_at),
                    m.recorded_by_name.clone(),
                    m.attendees.to_string(),
                    m.contacts.to_string(),
                )
            })
            .collect(),
    }))
}

async fn form_page(
    state: &AppState,
    worker: &SignedIn,
    form: FormState,
) -> Result<Response, PageError> {
    let queue = state
        .app
        .contact_queue(
            &worker.actor(),
            &QueueFilter {
                limit: CONTACTS_OFFERED,
                ..QueueFilter::default()
            },
        )
        .await?;
    let contacts = queue
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| TriageContactRow {
            index: i,
            contact_id: row.entry.id.to_string(),
            legend: format!(
                "{}: {}{}",
                row.entry.reference,
                if row.entry.first_child.is_empty() {
                    "child not named"
                } else {
                    row.entry.first_child.as_str()
                },
                if row.entry.children > 1 {
                    format!(" and {} more", row.entry.children - 1)
                } else {
                    String::new()
                }
            ),
            hint: format!(
                "{} · {} · decision due {}",
                row.entry.source.label(),
                row.entry.status.label(),
                date(row.due_date)
            ),
            rating_field: format!("discussed[{i}].rating"),
            next_step_field: format!("discussed[{i}].next_step"),
        })
        .collect();
    let page = NewTriageMeetingPage {
        chrome: Chrome::for_worker(state, worker, "/triage"),
        attendee_rows: (0..ATTENDEE_ROWS)
            .map(|i| {
                (
                    i + 1,
                    format!("attendees[{i}].name"),
                    format!("attendees[{i}].agency"),
                    format!("attendees[{i}].role"),
                )
            })
            .collect(),
        agencies: Choice::each(&Agency::ALL, |a| (a.code(), a.label())),
        ratings: RagRating::ALL
            .iter()
            .map(|r| (r.code(), r.label(), r.hint()))
            .collect(),
        contacts,
        form,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn new_meeting_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    if !can(&worker, Action::RecordTriageMeeting) {
        return Err(AppError::Denied(DenialReason::RoleNotPermitted).into());
    }
    let now = london(state.app.now());
    // The person recording is usually there: their row is filled in.
    let values = vec![
        ("held_date".to_string(), now.format("%Y-%m-%d").to_string()),
        ("held_time".to_string(), now.format("%H:%M").to_string()),
        (
            "attendees[0].name".to_string(),
            worker.worker.display_name.clone(),
        ),
        (
            "attendees[0].agency".to_string(),
            Agency::ChildrensSocialCare.code().to_string(),
        ),
        (
            "attendees[0].role".to_string(),
            worker.worker.role.label().to_string(),
        ),
    ];
    form_page(&state, &worker, FormState::filled(values)).await
}

/// Reads the meeting form: every attendee row and every contact row, blank ones included (the
/// use case ignores them), so errors name the row the user sees.
fn meeting_input(form: &FormData) -> TriageMeetingInput {
    let rows = |prefix: &str| form.rows(prefix);
    TriageMeetingInput {
        held_date: form.get("held_date").to_string(),
        held_time: form.get("held_time").to_string(),
        notes: form.get("notes").to_string(),
        attendees: (0..rows("attendees"))
            .map(|i| AttendeeInput {
                name: form.get(&format!("attendees[{i}].name")).to_string(),
                agency: form.get(&format!("attendees[{i}].agency")).to_string(),
                role: form.get(&format!("attendees[{i}].role")).to_string(),
            })
            .collect(),
        discussed: (0..rows("discussed"))
            .map(|i| DiscussedInput {
                contact_id: form.get(&format!("discussed[{i}].contact_id")).to_string(),
                rating: form.get(&format!("discussed[{i}].rating")).to_string(),
                next_step: form.get(&format!("discussed[{i}].next_step")).to_string(),
            })
            .collect(),
    }
}

pub async fn record_meeting(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let result = state
        .app
        .record_triage_meeting(&worker.actor(), &meeting_input(&form))
        .await;
    after_form(
        result,
        |meeting| format!("/triage/{}?recorded=1", meeting.id),
        |errors| form_page(&state, &worker, FormState::sent(form, errors)),
    )
    .await
}

pub async fn meeting_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: TriageMeetingId = parse_id(&id)?;
    let meeting = state.app.triage_meeting(&worker.actor(), id).await?;
    Ok(render(&TriageMeetingPage {
        chrome: Chrome::for_worker(&state, &worker, "/triage"),
        recorded: query.contains_key("recorded"),
        held: instant(meeting.held_at),
        recorded_by: meeting.recorded_by_name.clone(),
        notes: meeting.notes.clone(),
        attendees: meeting
            .attendees
            .iter()
            .map(|a| (a.name.clone(), a.agency.label(), a.role.clone()))
            .collect(),
        discussed: meeting
            .discussed
            .iter()
            .map(|d| {
                (
                    format!("/contacts/{}", d.contact),
                    d.contact_reference.clone(),
                    d.rating.label(),
                    rating_tag(d.rating),
                    d.next_step.clone(),
                )
            })
            .collect(),
    }))
}

/// The GOV.UK tag colour for a rating.
pub fn rating_tag(rating: RagRating) -> &'static str {
    match rating {
        RagRating::Red => "govuk-tag--red",
        RagRating::Amber => "govuk-tag--orange",
        RagRating::Green => "govuk-tag--green",
    }
}
