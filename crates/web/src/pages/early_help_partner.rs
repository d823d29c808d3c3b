//! The partner portal's early help: the episodes a partner practitioner leads (only those whose
//! child's identity the family's consent shares with their agency), one episode with only the
//! parts consent allows, and the assessment's start and completion forms.

use super::parse_id;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, FormState, SignedInForm};
use crate::views::{date, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use frontdoor_app::{AssessmentCompletionInput, AssessmentStartInput, SignedIn, CONTACT_METHODS};
use frontdoor_domain::ids::EarlyHelpEpisodeId;

pub struct LedRow {
    pub href: String,
    pub child: String,
    pub started: String,
    pub due: String,
    pub completed: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "early_help/partner_list.html")]
pub struct LedPage {
    pub chrome: Chrome,
    pub rows: Vec<LedRow>,
}

pub async fn led(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let rows = state
        .app
        .led_early_help(&worker.actor())
        .await?
        .into_iter()
        .map(|r| LedRow {
            href: format!("/partner/early-help/{}", r.id),
            child: r.child_name,
            started: r.started_on.map(date).unwrap_or_default(),
            due: r.due_on.map(date).unwrap_or_default(),
            completed: r.completed_on.map(date).unwrap_or_default(),
            overdue: r.overdue,
        })
        .collect();
    Ok(render(&LedPage {
        chrome: Chrome::for_worker(&state, &worker, "/partner/early-help"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "early_help/partner_episode.html")]
pub struct PartnerEpisodePage {
    pub chrome: Chrome,
    pub id: String,
    pub child: String,
    pub birth_date: String,
    pub coordinator: String,
    pub shares_assessment: bool,
    pub assessment: Vec<(String, String)>,
    pub started: bool,
    pub completed: bool,
    pub overdue: bool,
    pub actions: Vec<(String, String, String, String)>,
    pub reason: Option<String>,
    pub contacts: Vec<(String, String, String)>,
    pub withheld: Vec<(&'static str, String)>,
    pub form: FormState,
}

async fn episode_response(
    state: &AppState,
    worker: &SignedIn,
    id: EarlyHelpEpisodeId,
    form: FormState,
) -> Result<Response, PageError> {
    let view = state.app.partner_early_help(&worker.actor(), id).await?;
    let assessment = view
        .assessment
        .as_ref()
        .map(|a| super::early_help::assessment_rows(a, false))
        .unwrap_or_default();
    let page = PartnerEpisodePage {
        chrome: Chrome::for_worker(state, worker, "/partner/early-help"),
        id: id.to_string(),
        child: view.child_name.clone(),
        birth_date: view.child_birth_date.map(date).unwrap_or_default(),
        coordinator: view.coordinator_name.clone().unwrap_or_default(),
        shares_assessment: view.assessment.is_some(),
        started: view
            .assessment
            .as_ref()
            .is_some_and(|a| a.started_on.is_some()),
        completed: view
            .assessment
            .as_ref()
            .is_some_and(|a| a.completed_on.is_some()),
        overdue: view.overdue,
        assessment,
        actions: view
            .actions
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                (
                    a.description,
                    a.owner,
                    date(a.due_on),
                    a.completed_on.map(date).unwrap_or_default(),
                )
            })
            .collect(),
        reason: view.reason.clone(),
        contacts: view
            .family_contacts
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                (
                    date(c.contacted_on),
                    CONTACT_METHODS
                        .iter()
                        .find(|(code, _)| *code == c.method)
                        .map(|(_, l)| l.to_string())
                        .unwrap_or(c.method),
                    c.outcome,
                )
            })
            .collect(),
        withheld: view
            .withheld
            .into_iter()
            .map(|(part, why)| (part.label(), why))
            .collect(),
        form,
    };
    Ok(render(&page))
}

pub async fn episode(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    episode_response(&state, &worker, id, FormState::default()).await
}

pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = AssessmentStartInput {
        started_on: form.get("started_on").into(),
    };
    let result = state
        .app
        .start_early_help_assessment(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/partner/early-help/{id}"),
        |errors| episode_response(&state, &worker, id, FormState::sent(form, errors)),
    )
    .await
}

pub async fn complete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = AssessmentCompletionInput {
        completed_on: form.get("completed_on").into(),
        summary: form.get("summary").into(),
    };
    let result = state
        .app
        .complete_early_help_assessment(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/partner/early-help/{id}"),
        |errors| episode_response(&state, &worker, id, FormState::sent(form, errors)),
    )
    .await
}
