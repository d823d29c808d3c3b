//! Early help: the coordinators' lists (unallocated, mine, overdue assessments) and an episode
//! with its consent to share (and what the rule allows each agency), contacts with the family,
//! the lead professional and assessment, team-around-the-family actions and the step-up. Every
//! form works without JavaScript; the field names on the episode page are distinct across its
//! forms, so one form state serves them all.

use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, renamed_fields, Choice, FormData, FormState, SignedInForm};
use crate::views::{date, done_notice, instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::records::EarlyHelpEpisode;
use frontdoor_app::{
    AllocationInput, AssessmentCompletionInput, AssessmentStartInput, ConsentInput,
    EarlyHelpClosureInput, FamilyActionInput, FamilyContactInput, LeadProfessionalInput,
    SafeguardingOverrideInput, SignedIn, StepDownInput, StepUpInput, CONTACT_METHODS,
};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::authorization::Action;
use frontdoor_domain::contact::{ConcernCategory, Urgency};
use frontdoor_domain::early_help::{
    ConsentDecision, EarlyHelpClosureReason, EarlyHelpStatus, SharedPart, Sharing, SharingBasis,
};
use frontdoor_domain::ids::{EarlyHelpEpisodeId, EpisodeId};
use std::collections::HashMap;
use uuid::Uuid;

pub struct ListRow {
    pub href: String,
    pub child: String,
    pub opened: String,
    pub coordinator: String,
    pub assessment: String,
    pub overdue: bool,
}

fn assessment_words(e: &EarlyHelpEpisode) -> String {
    match &e.assessment {
        None => "No lead professional".into(),
        Some(a) => match (a.started_on, a.due_on, a.completed_on) {
            (_, _, Some(done)) => format!("Completed {}", date(done)),
            (Some(_), Some(due), None) => format!("Due {} ({})", date(due), a.lead_name),
            _ => format!("Not started ({})", a.lead_name),
        },
    }
}

fn row(e: &EarlyHelpEpisode, overdue: bool) -> ListRow {
    ListRow {
        href: format!("/early-help/{}", e.id),
        child: e.child_name.clone(),
        opened: date(e.opened_on),
        coordinator: e.coordinator_name.clone().unwrap_or_default(),
        assessment: assessment_words(e),
        overdue,
    }
}

#[derive(Template)]
#[template(path = "early_help/index.html")]
pub struct IndexPage {
    pub chrome: Chrome,
    pub unallocated: Vec<ListRow>,
    pub mine: Vec<ListRow>,
    pub overdue: Vec<ListRow>,
}

pub async fn index(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let lists = state.app.early_help_lists(&worker.actor()).await?;
    let overdue_ids: Vec<_> = lists.overdue.iter().map(|e| e.id).collect();
    let page = IndexPage {
        chrome: Chrome::for_worker(&state, &worker, "/early-help"),
        unallocated: lists
            .unallocated
            .iter()
            .map(|e| row(e, overdue_ids.contains(&e.id)))
            .collect(),
        mine: lists
            .mine
            .iter()
            .map(|e| row(e, overdue_ids.contains(&e.id)))
            .collect(),
        overdue: lists.overdue.iter().map(|e| row(e, true)).collect(),
    };
    Ok(render(&page))
}

pub struct ConsentRow {
    pub decision: &'static str,
    pub by: String,
    pub decided_on: String,
    pub agencies: String,
    pub parts: String,
    pub recorded: String,
}

pub struct SharingRow {
    pub agency: &'static str,
    pub cells: Vec<String>,
}

pub struct ActionRow {
    pub id: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub done: String,
}

#[derive(Template)]
#[template(path = "early_help/episode.html")]
pub struct EpisodePage {
    pub chrome: Chrome,
    pub id: String,
    pub child: String,
    pub person_id: String,
    pub status: &'static str,
    pub open: bool,
    pub details: Vec<(String, String)>,
    pub stepped_up: Option<(String, String)>,
    /// How it closed: the reason, the summary, and who closed it when.
    pub closure: Option<(String, String, String)>,
    pub closure_reasons: Vec<Choice>,
    pub unallocated: bool,
    pub coordinators: Vec<Choice>,
    pub consents: Vec<ConsentRow>,
    pub overrides: Vec<(String, String, String)>,
    pub part_labels: Vec<&'static str>,
    pub sharing: Vec<SharingRow>,
    pub contacts: Vec<(String, String, String, String)>,
    pub assessment: Vec<(String, String)>,
    pub assessment_overdue: bool,
    pub has_lead: bool,
    pub started: bool,
    pub completed: bool,
    pub actions: Vec<ActionRow>,
    pub decisions: Vec<Choice>,
    pub parts: Vec<Choice>,
    pub agencies: Vec<Choice>,
    pub methods: Vec<Choice>,
    pub leads: Vec<Choice>,
    pub concerns: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub can_record: bool,
    pub can_override: bool,
    pub can_step_up: bool,
    pub form: FormState,
    pub notice: String,
}

fn sharing_words(sharing: Sharing) -> String {
    match sharing {
        Sharing::Allowed(SharingBasis::Consent) => "Yes (consent)".into(),
        Sharing::Allowed(SharingBasis::SafeguardingOverride) => "Yes (safeguarding reason)".into(),
        Sharing::Denied(reason) => match reason {
            frontdoor_domain::early_help::SharingDenied::NoConsent => "No: no consent".into(),
            frontdoor_domain::early_help::SharingDenied::Refused => "No: refused".into(),
            frontdoor_domain::early_help::SharingDenied::Withdrawn => "No: withdrawn".into(),
            frontdoor_domain::early_help::SharingDenied::OutsideScope => {
                "No: not in the consent".into()
            }
        },
    }
}

const NOTICES: [(&str, &str); 11] = [
    ("allocated", "The episode is allocated."),
    ("contact", "The contact with the family is recorded."),
    ("consent", "The consent decision is recorded."),
    ("override", "The safeguarding reason is recorded."),
    ("lead", "The lead professional is appointed."),
    ("started", "The early help assessment has started."),
    ("completed", "The early help assessment is completed."),
    ("action", "The action is recorded."),
    ("action_done", "The action is marked done."),
    ("closed", "Early help is closed."),
    (
        "stepped_down",
        "Stepped down to early help: the episode waits for a coordinator.",
    ),
];

async fn episode_response(
    state: &AppState,
    worker: &SignedIn,
    id: EarlyHelpEpisodeId,
    form: FormState,
    done: Option<&str>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let view = state.app.view_early_help(&actor, id).await?;
    let e = &view.episode;
    let can_record = can(worker, Action::RecordEarlyHelp);
    let mut details = vec![
        ("Child".to_string(), e.child_name.clone()),
        ("Opened".to_string(), date(e.opened_on)),
        (
            "From".to_string(),
            match (&e.contact_reference, e.stepped_down_from) {
                (Some(reference), _) => format!("Early help decision on contact {reference}"),
                (None, Some(_)) => "Stepped down from children's social care".to_string(),
                _ => String::new(),
            },
        ),
        ("Why early help".to_string(), e.reason.clone()),
        (
            "Coordinator".to_string(),
            e.coordinator_name
                .clone()
                .unwrap_or_else(|| "Not allocated".into()),
        ),
    ];
    if let Some(at) = e.allocated_at {
        details.push(("Allocated".to_string(), instant(at)));
    }
    let assessment = e
        .assessment
        .as_ref()
        .map(|a| assessment_rows(a, true))
        .unwrap_or_default();
    let (coordinators, leads) = if can_record {
        (
            state
                .app
                .early_help_coordinators(&actor)
                .await?
                .into_iter()
                .map(|(id, name)| Choice::new(id.to_string(), name))
                .collect(),
            state
                .app
                .early_help_lead_candidates(&actor)
                .await?
                .into_iter()
                .map(|(id, name)| Choice::new(id.to_string(), name))
                .collect(),
        )
    } else {
        (vec![], vec![])
    };
    let page = EpisodePage {
        chrome: Chrome::for_worker(state, worker, "/early-help"),
        id: id.to_string(),
        child: e.child_name.clone(),
        person_id: e.person.to_string(),
        status: e.status.label(),
        open: e.status == EarlyHelpStatus::Open,
        details,
        closure: e.closure.as_ref().map(|c| {
            (
                c.reason.label().to_string(),
                c.summary.clone(),
                format!(
                    "Closed on {} by {}.",
                    instant(c.closed_at),
                    c.closed_by_name
                ),
            )
        }),
        closure_reasons: Choice::each(&EarlyHelpClosureReason::ALL, |r| (r.code(), r.label())),
        stepped_up: e.stepped_up_contact.map(|c| {
            (
                format!("/contacts/{c}"),
                format!(
                    "{} on {} by {}",
                    e.stepped_up_contact_reference.clone().unwrap_or_default(),
                    e.stepped_up_at.map(instant).unwrap_or_default(),
                    e.stepped_up_by_name.clone().unwrap_or_default()
                ),
            )
        }),
        unallocated: e.coordinator.is_none(),
        coordinators,
        consents: view
            .consents
            .iter()
            .map(|c| ConsentRow {
                decision: c.consent.decision.label(),
                by: format!("{} ({})", c.given_by, c.relationship),
                decided_on: date(c.decided_on),
                agencies: if c.consent.agencies.is_empty() {
                    "All agencies".into()
                } else {
                    c.consent
                        .agencies
                        .iter()
                        .map(|a| a.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                parts: c
                    .consent
                    .parts
                    .iter()
                    .map(|p| p.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                recorded: format!(
                    "{}, {}",
                    instant(c.consent.recorded_at),
                    c.recorded_by_name.clone().unwrap_or_default()
                ),
            })
            .collect(),
        overrides: view
            .overrides
            .iter()
            .map(|o| {
                (
                    o.sharing.agency.label().to_string(),
                    o.reason.clone(),
                    format!(
                        "{}, {}",
                        instant(o.sharing.recorded_at),
                        o.recorded_by_name.clone().unwrap_or_default()
                    ),
                )
            })
            .collect(),
        part_labels: SharedPart::ALL.iter().map(|p| p.label()).collect(),
        sharing: view
            .sharing
            .iter()
            .map(|s| SharingRow {
                agency: s.agency.label(),
                cells: s.parts.iter().map(|(_, sh)| sharing_words(*sh)).collect(),
            })
            .collect(),
        contacts: view
            .family_contacts
            .iter()
            .map(|c| {
                (
                    date(c.contacted_on),
                    CONTACT_METHODS
                        .iter()
                        .find(|(code, _)| *code == c.method)
                        .map(|(_, l)| l.to_string())
                        .unwrap_or_else(|| c.method.clone()),
                    c.outcome.clone(),
                    c.recorded_by_name.clone().unwrap_or_default(),
                )
            })
            .collect(),
        assessment,
        assessment_overdue: view.assessment_overdue,
        has_lead: e.assessment.is_some(),
        started: e
            .assessment
            .as_ref()
            .is_some_and(|a| a.started_on.is_some()),
        completed: e
            .assessment
            .as_ref()
            .is_some_and(|a| a.completed_on.is_some()),
        actions: view
            .actions
            .iter()
            .map(|a| ActionRow {
                id: a.id.to_string(),
                description: a.description.clone(),
                owner: a.owner.clone(),
                due: date(a.due_on),
                done: a.completed_on.map(date).unwrap_or_default(),
            })
            .collect(),
        decisions: Choice::each(&ConsentDecision::ALL, |d| (d.code(), d.label())),
        parts: Choice::each(&SharedPart::ALL, |p| (p.code(), p.label())),
        agencies: Choice::each(Agency::ASKED, |a| (a.code(), a.label())),
        methods: CONTACT_METHODS
            .iter()
            .map(|(code, label)| Choice::new(*code, *label))
            .collect(),
        leads,
        concerns: Choice::each(&ConcernCategory::ALL, |c| (c.code(), c.label())),
        urgencies: Choice::each(&Urgency::ALL, |u| (u.code(), u.label())),
        can_record,
        can_override: can(worker, Action::RecordSafeguardingOverride),
        can_step_up: can(worker, Action::StepUpEarlyHelp),
        form,
        notice: done_notice(done, &NOTICES).unwrap_or("").to_string(),
    };
    Ok(render(&page))
}

pub async fn episode_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    episode_response(
        &state,
        &worker,
        id,
        FormState::default(),
        query.get("done").map(String::as_str),
    )
    .await
}

/// Runs one of the episode page's forms: on to the page with a notice, or back with errors.
async fn episode_form<T>(
    state: &AppState,
    worker: &SignedIn,
    id: EarlyHelpEpisodeId,
    form: FormData,
    result: Result<T, frontdoor_app::AppError>,
    done: &str,
) -> Result<Response, PageError> {
    after_form(
        result,
        |_| format!("/early-help/{id}?done={done}"),
        |errors| episode_response(state, worker, id, FormState::sent(form, errors), None),
    )
    .await
}

pub async fn allocate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = AllocationInput {
        coordinator: form.get("coordinator").into(),
    };
    let result = state
        .app
        .allocate_early_help(&worker.actor(), id, &input)
        .await;
    episode_form(&state, &worker, id, form, result, "allocated").await
}

pub async fn family_contact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = FamilyContactInput {
        contacted_on: form.get("contacted_on").into(),
        method: form.get("method").into(),
        outcome: form.get("outcome").into(),
    };
    let result = state
        .app
        .record_family_contact(&worker.actor(), id, &input)
        .await;
    episode_form(&state, &worker, id, form, result, "contact").await
}

pub async fn consent(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = ConsentInput {
        decision: form.get("decision").into(),
        given_by: form.get("given_by").into(),
        relationship: form.get("relationship").into(),
        decided_on: form.get("decided_on").into(),
        parts: form.all("parts"),
        agencies: form.all("agencies"),
        notes: form.get("consent_notes").into(),
    };
    let result = renamed_fields(
        state.app.record_consent(&worker.actor(), id, &input).await,
        &[("notes", "consent_notes")],
    );
    episode_form(&state, &worker, id, form, result, "consent").await
}

pub async fn safeguarding_override(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = SafeguardingOverrideInput {
        agency: form.get("override_agency").into(),
        reason: form.get("override_reason").into(),
    };
    let result = renamed_fields(
        state
            .app
            .record_safeguarding_override(&worker.actor(), id, &input)
            .await,
        &[("agency", "override_agency"), ("reason", "override_reason")],
    );
    episode_form(&state, &worker, id, form, result, "override").await
}

pub async fn lead(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = LeadProfessionalInput {
        lead: form.get("lead").into(),
    };
    let result = state
        .app
        .appoint_lead_professional(&worker.actor(), id, &input)
        .await;
    episode_form(&state, &worker, id, form, result, "lead").await
}

pub async fn start_assessment(
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
    episode_form(&state, &worker, id, form, result, "started").await
}

pub async fn complete_assessment(
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
    episode_form(&state, &worker, id, form, result, "completed").await
}

pub async fn add_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = FamilyActionInput {
        description: form.get("description").into(),
        owner: form.get("owner").into(),
        due_on: form.get("due_on").into(),
    };
    let result = state
        .app
        .add_family_action(&worker.actor(), id, &input)
        .await;
    episode_form(&state, &worker, id, form, result, "action").await
}

pub async fn complete_action(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let action: Uuid = parse_id(&action)?;
    let result = state
        .app
        .complete_family_action(&worker.actor(), id, action)
        .await;
    episode_form(&state, &worker, id, form, result, "action_done").await
}

pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = EarlyHelpClosureInput {
        reason: form.get("reason").into(),
        summary: form.get("summary").into(),
    };
    let result = state
        .app
        .close_early_help(&worker.actor(), id, &input)
        .await;
    episode_form(&state, &worker, id, form, result, "closed").await
}

pub async fn step_up(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EarlyHelpEpisodeId = parse_id(&id)?;
    let input = StepUpInput {
        concern_categories: form.all("concern_categories"),
        concern_summary: form.get("concern_summary").into(),
        urgency: form.get("urgency").into(),
    };
    let result = state
        .app
        .step_up_early_help(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |contact| format!("/contacts/{}", contact.id),
        |errors| episode_response(&state, &worker, id, FormState::sent(form, errors), None),
    )
    .await
}

/// Step-down from a social care episode (its page's form): on to the new early help episode.
pub async fn step_down(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let episode: EpisodeId = parse_id(&id)?;
    let input = StepDownInput {
        reason: form.get("step_down_reason").into(),
    };
    let result = state
        .app
        .step_down_to_early_help(&worker.actor(), episode, &input)
        .await;
    match result {
        Ok(opened) => Ok(axum::response::Redirect::to(&format!(
            "/early-help/{}?done=stepped_down",
            opened.id
        ))
        .into_response()),
        Err(frontdoor_app::AppError::Invalid(errors)) => Err(PageError::BadRequest(
            errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
        )),
        Err(e) => Err(e.into()),
    }
}

use axum::response::IntoResponse;

/// The early help assessment as summary rows: its lead professional (and, for the authority's
/// staff, their organisation), start, due date, completion and summary.
pub(super) fn assessment_rows(
    a: &frontdoor_app::records::EarlyHelpAssessment,
    with_organisation: bool,
) -> Vec<(String, String)> {
    let mut rows = vec![("Lead professional".to_string(), a.lead_name.clone())];
    if with_organisation {
        rows.push(("Organisation".to_string(), a.lead_organisation_name.clone()));
    }
    rows.push((
        "Started".to_string(),
        a.started_on
            .map(date)
            .unwrap_or_else(|| "Not started".into()),
    ));
    if let Some(due) = a.due_on {
        rows.push(("Due".to_string(), date(due)));
    }
    if let Some(done) = a.completed_on {
        rows.push(("Completed".to_string(), date(done)));
        rows.push(("Summary".to_string(), a.summary.clone()));
    }
    rows
}
