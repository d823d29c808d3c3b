//! The partner portal: a partner practitioner's list of the information requests sent to their
//! own organisation, one request (the questions and the child's name, date of birth and
//! address — never the contact, the child's record, other answers or decisions) and its answer
//! form. Another organisation's request is "not found".

use super::information_requests::{due_words, status_words};
use super::parse_id;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, FormState, SignedInForm};
use crate::views::*;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::SignedIn;
use frontdoor_domain::information_request::RequestStatus;
use std::collections::HashMap;
use uuid::Uuid;

pub struct PartnerRow {
    pub id: String,
    pub child: String,
    pub sent: String,
    pub due: String,
    pub status: String,
    pub status_tag: &'static str,
}

#[derive(Template)]
#[template(path = "partner_requests.html")]
pub struct PartnerRequestsPage {
    pub chrome: Chrome,
    pub organisation: String,
    pub rows: Vec<PartnerRow>,
    pub overdue: usize,
}

#[derive(Template)]
#[template(path = "partner_request.html")]
pub struct PartnerRequestPage {
    pub chrome: Chrome,
    pub id: String,
    pub child: String,
    pub birth_date: String,
    pub address: String,
    pub questions: String,
    pub due: String,
    pub sent: String,
    pub status: String,
    pub status_tag: &'static str,
    pub answer: String,
    pub answered: String,
    pub can_answer: bool,
    pub form: FormState,
    pub notice: String,
}

pub async fn requests(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let requests = state.app.addressed_requests(&actor).await?;
    let page = PartnerRequestsPage {
        chrome: Chrome::for_worker(&state, &worker, "/partner/requests"),
        organisation: state.app.own_organisation_name(&actor).await?,
        overdue: requests.iter().filter(|r| r.overdue).count(),
        rows: requests
            .iter()
            .map(|r| {
                let (status, status_tag) = status_words(r.request.status, r.overdue);
                PartnerRow {
                    id: r.request.id.to_string(),
                    child: r.request.child_name.clone(),
                    sent: instant(r.request.sent_at),
                    due: due_words(r.request.urgency, r.request.due_at),
                    status: status.into(),
                    status_tag,
                }
            })
            .collect(),
    };
    Ok(render(&page))
}

async fn request_response(
    state: &AppState,
    worker: &SignedIn,
    id: Uuid,
    form: FormState,
    notice: &str,
) -> Result<Response, PageError> {
    let view = state.app.addressed_request(&worker.actor(), id).await?;
    let r = &view.request;
    let (status, status_tag) = status_words(r.status, view.overdue);
    let page = PartnerRequestPage {
        chrome: Chrome::for_worker(state, worker, "/partner/requests"),
        id: r.id.to_string(),
        child: r.child_name.clone(),
        birth_date: r
            .child_birth_date
            .map(date)
            .unwrap_or_else(|| "Not known".into()),
        address: if r.child_address.is_empty() {
            "Not known".into()
        } else {
            r.child_address.clone()
        },
        questions: r.questions.clone(),
        due: due_words(r.urgency, r.due_at),
        sent: format!("{} by {}", instant(r.sent_at), r.sent_by_name),
        status: status.into(),
        status_tag,
        answer: r.answer.clone().unwrap_or_default(),
        answered: r.answered_at.map(instant).unwrap_or_default(),
        can_answer: r.status == RequestStatus::Sent,
        form,
        notice: notice.into(),
    };
    Ok(render_form(&page, &page.form))
}

pub async fn request(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: Uuid = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[("answered", "Answer sent. Thank you.")],
    )
    .unwrap_or_default();
    request_response(&state, &worker, id, FormState::default(), notice).await
}

pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: Uuid = parse_id(&id)?;
    let result = state
        .app
        .answer_information_request(&worker.actor(), id, form.get("answer"))
        .await;
    after_form(
        result,
        |()| format!("/partner/requests/{id}?done=answered"),
        |errors| request_response(&state, &worker, id, FormState::sent(form, errors), ""),
    )
    .await
}
