//! Information requests, the authority's side: the requests on a contact or sent from a child's
//! episode (overdue ones tagged), the form to send one, and withdrawing one.

use super::parse_id;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, renamed_fields, Choice, FormState, SignedInForm};
use crate::views::*;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::records::InformationRequest;
use frontdoor_app::{InformationRequestInput, RequestOnContact, RequestsOn, SignedIn};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::information_request::{Agency, ConsentBasis, RequestStatus, RequestUrgency};
use std::collections::HashMap;
use std::str::FromStr;
use uuid::Uuid;

pub struct RequestCard {
    pub id: String,
    /// The withdrawal form's reason field (one per request on the page).
    pub reason_field: String,
    pub title: String,
    pub status: String,
    pub status_tag: &'static str,
    pub questions: String,
    pub consent: String,
    pub due: String,
    pub sent: String,
    pub answer: String,
    pub answered: String,
    pub withdrawn: String,
    pub can_withdraw: bool,
}

#[derive(Template)]
#[template(path = "information_requests.html")]
pub struct InformationRequestsPage {
    pub chrome: Chrome,
    /// The contact's or episode's page ("/contacts/{id}"); the requests are at its
    /// "/information-requests".
    pub base: String,
    /// What the requests are on: "Contact FD-2026-000123", or the episode's child.
    pub heading: String,
    /// Sent from an episode: there is no choice of child.
    pub from_episode: bool,
    pub requests: Vec<RequestCard>,
    pub overdue: usize,
    pub can_request: bool,
    pub children_unlinked: bool,
    pub children: Vec<Choice>,
    pub organisations: Vec<Choice>,
    pub agencies: Vec<Choice>,
    pub consents: Vec<Choice>,
    pub managers: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub form: FormState,
    pub notice: String,
}

/// "Overdue" (red), "Waiting for an answer", "Answered", "Withdrawn".
pub fn status_words(status: RequestStatus, overdue: bool) -> (&'static str, &'static str) {
    match (status, overdue) {
        (RequestStatus::Sent, true) => ("Overdue", "govuk-tag--red"),
        (RequestStatus::Sent, false) => ("Waiting for an answer", "govuk-tag--blue"),
        (RequestStatus::Answered, _) => ("Answered", "govuk-tag--green"),
        (RequestStatus::Withdrawn, _) => ("Withdrawn", "govuk-tag--grey"),
    }
}

/// When a request is due, in words: an urgent one at a time, a standard one by the end of a day.
pub fn due_words(urgency: RequestUrgency, due_at: chrono::DateTime<chrono::Utc>) -> String {
    match urgency {
        RequestUrgency::Urgent => format!("Urgent: by {}", instant(due_at)),
        RequestUrgency::Standard => format!(
            "Standard: by the end of {}",
            date(frontdoor_app::london_date(
                due_at - chrono::Duration::seconds(1)
            ))
        ),
    }
}

fn card(r: &RequestOnContact, can_withdraw: bool) -> RequestCard {
    let q: &InformationRequest = &r.request;
    let (status, status_tag) = status_words(q.status, r.overdue);
    RequestCard {
        id: q.id.to_string(),
        reason_field: format!("reason-{}", q.id),
        title: format!(
            "{} ({}) about {}",
            q.organisation_name,
            q.agency.label().to_lowercase(),
            q.child_name
        ),
        status: status.into(),
        status_tag,
        questions: q.questions.clone(),
        consent: match &q.consent {
            ConsentBasis::ConsentGiven { given_by, given_on } => {
                format!("Consent given by {given_by} on {}", date(*given_on))
            }
            ConsentBasis::WithoutConsent { reason, .. } => format!(
                "Shared without consent, agreed by {}: {reason}",
                q.agreed_by_name.clone().unwrap_or_default()
            ),
        },
        due: due_words(q.urgency, q.due_at),
        sent: format!("{} by {}", instant(q.sent_at), q.sent_by_name),
        answer: q.answer.clone().unwrap_or_default(),
        answered: q
            .answered_at
            .map(|at| {
                format!(
                    "{} by {}",
                    instant(at),
                    q.answered_by_name.clone().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        withdrawn: q
            .withdrawn_at
            .map(|at| {
                format!(
                    "{} by {}: {}",
                    instant(at),
                    q.withdrawn_by_name.clone().unwrap_or_default(),
                    q.withdrawn_reason.clone().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        can_withdraw: can_withdraw && q.status == RequestStatus::Sent,
    }
}

/// The page of a contact or an episode whose requests these are.
fn base_path(on: RequestsOn) -> String {
    match on {
        RequestsOn::Contact(id) => format!("/contacts/{id}"),
        RequestsOn::Episode(id) => format!("/episodes/{id}"),
    }
}

async fn page_response(
    state: &AppState,
    worker: &SignedIn,
    on: RequestsOn,
    form: FormState,
    notice: &str,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let heading = state.app.information_requests_heading(&actor, on).await?;
    let requests = state.app.information_requests_on(&actor, on).await?;
    let can_request = actor.role.allows(Action::RequestInformation);
    let can_withdraw = actor.role.allows(Action::WithdrawInformationRequest);
    let mut page = InformationRequestsPage {
        chrome: Chrome::for_worker(state, worker, ""),
        base: base_path(on),
        heading,
        from_episode: matches!(on, RequestsOn::Episode(_)),
        overdue: requests.iter().filter(|r| r.overdue).count(),
        requests: requests.iter().map(|r| card(r, can_withdraw)).collect(),
        can_request,
        children_unlinked: false,
        children: vec![],
        organisations: vec![],
        agencies: Choice::each(Agency::ASKED, |a| (a.code(), a.label())),
        consents: vec![
            Choice::new("consent_given", "Consent was given"),
            Choice::new(
                "without_consent",
                "Shared without consent (a manager agreed)",
            ),
        ],
        managers: vec![],
        urgencies: vec![],
        form,
        notice: notice.into(),
    };
    if can_request {
        let choices = state.app.information_request_choices(&actor, on).await?;
        page.children_unlinked = choices.children.iter().any(|(_, _, linked)| !linked);
        page.children = choices
            .children
            .iter()
            .filter(|(_, _, linked)| *linked)
            .map(|(id, name, _)| Choice::new(id.to_string(), name))
            .collect();
        page.organisations = choices
            .organisations
            .iter()
            .map(|(id, name)| Choice::new(id.to_string(), name))
            .collect();
        page.managers = choices
            .managers
            .iter()
            .map(|(id, name)| Choice::new(id.to_string(), name))
            .collect();
        page.urgencies = vec![
            Choice::new(
                "urgent",
                format!(
                    "Urgent (answer within {} hours)",
                    choices.due_rule.urgent_hours()
                ),
            ),
            Choice::new(
                "standard",
                format!(
                    "Standard (answer within {} working days)",
                    choices.due_rule.standard_working_days()
                ),
            ),
        ];
    }
    Ok(render_form(&page, &page.form))
}

/// The requests on a contact or sent from an episode, and the form to send one.
pub async fn requests_page<T: FromStr + Into<RequestsOn>>(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let on: RequestsOn = parse_id::<T>(&id)?.into();
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[
            (
                "sent",
                "Request sent. The organisation's practitioners have been told.",
            ),
            ("withdrawn", "Request withdrawn."),
        ],
    )
    .unwrap_or_default();
    page_response(&state, &worker, on, FormState::default(), notice).await
}

pub async fn send_request<T: FromStr + Into<RequestsOn>>(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let on: RequestsOn = parse_id::<T>(&id)?.into();
    let input = InformationRequestInput {
        subject: form.get("subject").into(),
        organisation: form.get("organisation").into(),
        agency: form.get("agency").into(),
        questions: form.get("questions").into(),
        consent: form.get("consent").into(),
        consent_given_by: form.get("consent_given_by").into(),
        consent_given_on: form.get("consent_given_on").into(),
        without_consent_reason: form.get("without_consent_reason").into(),
        agreed_by: form.get("agreed_by").into(),
        urgency: form.get("urgency").into(),
    };
    let result = state
        .app
        .request_information(&worker.actor(), on, &input)
        .await;
    after_form(
        result,
        |_| format!("{}/information-requests?done=sent", base_path(on)),
        |errors| page_response(&state, &worker, on, FormState::sent(form, errors), ""),
    )
    .await
}

pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: Uuid = parse_id(&id)?;
    // Back to where the request is listed: its episode's requests, or its contact's.
    let on = state
        .app
        .information_request_place(&worker.actor(), id)
        .await?;
    let result = state
        .app
        .withdraw_information_request(&worker.actor(), id, form.get("reason"))
        .await;
    // The reason field of this request's own form, among one per request.
    let result = renamed_fields(result, &[("reason", &format!("reason-{id}"))]);
    after_form(
        result,
        |_| format!("{}/information-requests?done=withdrawn", base_path(on)),
        |errors| page_response(&state, &worker, on, FormState::sent(form, errors), ""),
    )
    .await
}
