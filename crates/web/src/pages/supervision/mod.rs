//! Case supervision pages: the supervision list (and a manager's "record a supervision"), the
//! supervision form, one supervision, one action (with its completion form), the drift report,
//! and the child's supervision on their record.

use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::{date, render, render_form, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::supervision::{
    ActionReviewInput, ActionView, CompletionInput, DiscussedChildInput, SupervisionActionInput,
    SupervisionInput, ACTION_ROWS,
};
use frontdoor_app::{london, SignedIn};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::{SupervisionActionId, SupervisionId, WorkerId};
use frontdoor_domain::supervision::{ActionStatus, ReviewOutcome};
use std::collections::HashMap;

mod report;

pub use report::{drift_page, ChildSupervisionSection};

/// An action in a table: link, child (name, link), what, owner, due, status and its tag.
pub struct ActionRow {
    pub href: String,
    pub child: String,
    pub child_href: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub tag: &'static str,
    pub overdue: String,
    pub carried: i32,
}

impl ActionRow {
    pub fn of(view: &ActionView) -> Self {
        let a = &view.action;
        let (status, tag) = match (a.status, view.drift) {
            (ActionStatus::Open, Some(drift)) => (
                format!("Drifting: {}", drift.reason().to_lowercase()),
                "govuk-tag--red",
            ),
            (ActionStatus::Open, None) => ("Open".to_string(), "govuk-tag--blue"),
            (ActionStatus::Completed, _) => (
                format!("Done {}", a.completed_on.map(date).unwrap_or_default()),
                "govuk-tag--green",
            ),
            (ActionStatus::Closed, _) => ("Closed unfinished".to_string(), "govuk-tag--grey"),
        };
        ActionRow {
            href: format!("/supervision/actions/{}", a.id),
            child: a.child_name.clone(),
            child_href: format!("/people/{}", a.person),
            description: a.description.clone(),
            owner: a.owner_name.clone(),
            due: date(a.due_on),
            status,
            tag,
            overdue: view
                .drift
                .filter(|d| d.past_due)
                .map(|d| d.working_days_overdue.to_string())
                .unwrap_or_else(|| "0".into()),
            carried: a.times_carried,
        }
    }
}

#[derive(Template)]
#[template(path = "supervision/index.html")]
pub struct SupervisionIndexPage {
    pub chrome: Chrome,
    pub supervisees: Vec<Choice>,
    pub can_report: bool,
    /// (link, held, worker, supervisor, children, actions)
    pub supervisions: Vec<(String, String, String, String, i64, i64)>,
    pub my_actions: Vec<ActionRow>,
}

pub async fn index(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let supervisees = if can(&worker, Action::RecordSupervision) {
        state.app.supervisees(&actor).await?
    } else {
        vec![]
    };
    let supervisions = state.app.supervisions(&actor, None).await?;
    let my_actions = state.app.my_supervision_actions(&actor).await?;
    Ok(render(&SupervisionIndexPage {
        chrome: Chrome::for_worker(&state, &worker, "/supervision"),
        supervisees: supervisees
            .into_iter()
            .map(|(id, name)| Choice::new(id.to_string(), name))
            .collect(),
        can_report: can(&worker, Action::ViewDriftReport),
        supervisions: supervisions
            .iter()
            .map(|s| {
                (
                    format!("/supervision/{}", s.id),
                    date(s.held_on),
                    s.worker_name.clone(),
                    s.supervisor_name.clone(),
                    s.children,
                    s.actions,
                )
            })
            .collect(),
        my_actions: my_actions.iter().map(ActionRow::of).collect(),
    }))
}

/// A child on the form.
pub struct ChildRow {
    pub index: usize,
    pub person_id: String,
    pub legend: String,
    pub discussed_field: String,
    pub risks_field: String,
    pub decisions_field: String,
}

/// An earlier action on the form, to carry forward or close.
pub struct ReviewRow {
    pub index: usize,
    pub action_id: String,
    pub legend: String,
    pub hint: String,
    pub outcome_field: String,
    pub due_field: String,
    pub reason_field: String,
}

#[derive(Template)]
#[template(path = "supervision/new.html")]
pub struct NewSupervisionPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub worker: String,
    pub worker_name: String,
    pub last_held: String,
    pub children: Vec<ChildRow>,
    pub reviews: Vec<ReviewRow>,
    pub outcomes: Vec<Choice>,
    pub caseload: Vec<Choice>,
    pub owners: Vec<Choice>,
    /// (number, child field, description field, owner field, due field)
    pub action_rows: Vec<(usize, String, String, String, String)>,
}

async fn form_page(
    state: &AppState,
    worker: &SignedIn,
    supervisee: WorkerId,
    form: FormState,
) -> Result<Response, PageError> {
    let prepared = state
        .app
        .prepare_supervision(&worker.actor(), supervisee)
        .await?;
    let page = NewSupervisionPage {
        chrome: Chrome::for_worker(state, worker, "/supervision"),
        worker: supervisee.to_string(),
        worker_name: prepared.worker_name.clone(),
        last_held: prepared.last_held_on.map(date).unwrap_or_default(),
        children: prepared
            .caseload
            .iter()
            .enumerate()
            .map(|(i, c)| ChildRow {
                index: i,
                person_id: c.person.to_string(),
                legend: format!("{} (referred {})", c.child_name, date(c.referral_date)),
                discussed_field: format!("children[{i}].discussed"),
                risks_field: format!("children[{i}].risks_reviewed"),
                decisions_field: format!("children[{i}].decisions"),
            })
            .collect(),
        reviews: prepared
            .open_actions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let row = ActionRow::of(v);
                ReviewRow {
                    index: i,
                    action_id: v.action.id.to_string(),
                    legend: format!("Earlier action {}: {}", i + 1, v.action.description),
                    hint: format!(
                        "{}; owner {}; due {}; agreed {}. {}",
                        row.child,
                        row.owner,
                        row.due,
                        date(v.action.agreed_on),
                        row.status
                    ),
                    outcome_field: format!("reviews[{i}].outcome"),
                    due_field: format!("reviews[{i}].due_on"),
                    reason_field: format!("reviews[{i}].reason"),
                }
            })
            .collect(),
        outcomes: ReviewOutcome::ALL
            .iter()
            .map(|o| Choice::new(o.code(), o.label()))
            .collect(),
        caseload: prepared
            .caseload
            .iter()
            .map(|c| Choice::new(c.person.to_string(), c.child_name.clone()))
            .collect(),
        owners: prepared
            .owners
            .iter()
            .map(|(id, name)| Choice::new(id.to_string(), name.clone()))
            .collect(),
        action_rows: (0..ACTION_ROWS)
            .map(|i| {
                (
                    i + 1,
                    format!("actions[{i}].person_id"),
                    format!("actions[{i}].description"),
                    format!("actions[{i}].owner"),
                    format!("actions[{i}].due_on"),
                )
            })
            .collect(),
        form,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn new_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let supervisee: WorkerId = parse_id(query.get("worker").map(String::as_str).unwrap_or(""))?;
    let today = london(state.app.now()).format("%Y-%m-%d").to_string();
    form_page(
        &state,
        &worker,
        supervisee,
        FormState::filled(vec![("held_on".into(), today)]),
    )
    .await
}

/// Reads the form: every row, blank ones included (the use case ignores them), so errors name
/// the row the user sees.
fn supervision_input(form: &FormData) -> SupervisionInput {
    let rows = |prefix: &str| form.rows(prefix);
    let get = |name: String| form.get(&name).to_string();
    SupervisionInput {
        worker: form.get("worker").to_string(),
        held_on: form.get("held_on").to_string(),
        children: (0..rows("children"))
            .map(|i| DiscussedChildInput {
                person_id: get(format!("children[{i}].person_id")),
                discussed: form.get(&format!("children[{i}].discussed")) == "true",
                risks_reviewed: get(format!("children[{i}].risks_reviewed")),
                decisions: get(format!("children[{i}].decisions")),
            })
            .collect(),
        actions: (0..rows("actions"))
            .map(|i| SupervisionActionInput {
                person_id: get(format!("actions[{i}].person_id")),
                description: get(format!("actions[{i}].description")),
                owner: get(format!("actions[{i}].owner")),
                due_on: get(format!("actions[{i}].due_on")),
            })
            .collect(),
        reviews: (0..rows("reviews"))
            .map(|i| ActionReviewInput {
                action_id: get(format!("reviews[{i}].action_id")),
                outcome: get(format!("reviews[{i}].outcome")),
                reason: get(format!("reviews[{i}].reason")),
                due_on: get(format!("reviews[{i}].due_on")),
            })
            .collect(),
    }
}

pub async fn record(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let input = supervision_input(&form);
    let supervisee: WorkerId = parse_id(&input.worker)?;
    let result = state.app.record_supervision(&worker.actor(), &input).await;
    after_form(
        result,
        |view| format!("/supervision/{}?recorded=1", view.supervision.id),
        |errors| form_page(&state, &worker, supervisee, FormState::sent(form, errors)),
    )
    .await
}

/// A child discussed: (link, name, risks reviewed, decisions).
type ChildDiscussed = (String, String, String, String);

#[derive(Template)]
#[template(path = "supervision/supervision.html")]
pub struct SupervisionPage {
    pub chrome: Chrome,
    pub recorded: bool,
    pub held: String,
    pub worker: String,
    pub supervisor: String,
    pub team: String,
    pub children: Vec<ChildDiscussed>,
    pub actions: Vec<ActionRow>,
    /// (link, action, child, outcome, detail)
    pub reviews: Vec<(String, String, String, &'static str, String)>,
}

pub async fn supervision_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: SupervisionId = parse_id(&id)?;
    let view = state.app.view_supervision(&worker.actor(), id).await?;
    let s = &view.supervision;
    Ok(render(&SupervisionPage {
        chrome: Chrome::for_worker(&state, &worker, "/supervision"),
        recorded: query.contains_key("recorded"),
        held: date(s.held_on),
        worker: s.worker_name.clone(),
        supervisor: s.supervisor_name.clone(),
        team: s.team_name.clone().unwrap_or_default(),
        children: s
            .children
            .iter()
            .map(|c| {
                (
                    format!("/people/{}", c.person),
                    c.child_name.clone(),
                    c.risks_reviewed.clone(),
                    c.decisions.clone(),
                )
            })
            .collect(),
        actions: s
            .actions
            .iter()
            .zip(&view.action_drift)
            .map(|(a, drift)| {
                ActionRow::of(&ActionView {
                    action: a.clone(),
                    drift: *drift,
                })
            })
            .collect(),
        reviews: s
            .reviews
            .iter()
            .map(|r| {
                (
                    format!("/supervision/actions/{}", r.action),
                    r.description.clone(),
                    r.child_name.clone(),
                    match r.outcome {
                        ReviewOutcome::CarryForward => "Carried forward",
                        ReviewOutcome::Close => "Closed",
                    },
                    match r.outcome {
                        ReviewOutcome::CarryForward if r.due_on_after != r.due_on_before => {
                            format!(
                                "Was due {}; now due {}",
                                date(r.due_on_before),
                                date(r.due_on_after)
                            )
                        }
                        ReviewOutcome::CarryForward => {
                            format!("Still due {}", date(r.due_on_before))
                        }
                        ReviewOutcome::Close => r.reason.clone(),
                    },
                )
            })
            .collect(),
    }))
}

#[derive(Template)]
#[template(path = "supervision/action.html")]
pub struct ActionPage {
    pub chrome: Chrome,
    pub id: String,
    pub row: ActionRow,
    pub details: Vec<(String, String)>,
    /// (link, held, what happened)
    pub history: Vec<(String, String, String)>,
    pub can_complete: bool,
    pub form: FormState,
    pub completed: bool,
}

async fn action_page_with(
    state: &AppState,
    worker: &SignedIn,
    id: SupervisionActionId,
    form: FormState,
    completed: bool,
) -> Result<Response, PageError> {
    let detail = state.app.supervision_action(&worker.actor(), id).await?;
    let a = &detail.view.action;
    let mut details = vec![
        ("Child".to_string(), a.child_name.clone()),
        (
            "Agreed".to_string(),
            format!(
                "In {}'s supervision of {}",
                a.supervised_worker_name,
                date(a.agreed_on)
            ),
        ),
        ("Owner".to_string(), a.owner_name.clone()),
        ("Due by".to_string(), date(a.due_on)),
    ];
    if a.status == ActionStatus::Completed {
        details.push((
            "Done".to_string(),
            format!(
                "{} by {}: {}",
                a.completed_on.map(date).unwrap_or_default(),
                a.completed_by_name.clone().unwrap_or_default(),
                a.completion_note
            ),
        ));
    }
    if a.status == ActionStatus::Closed {
        details.push(("Closed unfinished".to_string(), a.closure_reason.clone()));
    }
    let page = ActionPage {
        chrome: Chrome::for_worker(state, worker, "/supervision"),
        id: id.to_string(),
        row: ActionRow::of(&detail.view),
        details,
        history: detail
            .reviews
            .iter()
            .map(|r| {
                (
                    format!("/supervision/{}", r.supervision),
                    date(r.held_on),
                    match r.outcome {
                        ReviewOutcome::CarryForward => format!(
                            "Carried forward unfinished (was due {}, now due {})",
                            date(r.due_on_before),
                            date(r.due_on_after)
                        ),
                        ReviewOutcome::Close => format!("Closed unfinished: {}", r.reason),
                    },
                )
            })
            .collect(),
        can_complete: detail.may_complete && a.status == ActionStatus::Open,
        form,
        completed,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn action_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: SupervisionActionId = parse_id(&id)?;
    let today = london(state.app.now()).format("%Y-%m-%d").to_string();
    let form = FormState::filled(vec![("completed_on".into(), today)]);
    action_page_with(&state, &worker, id, form, query.contains_key("completed")).await
}

pub async fn complete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: SupervisionActionId = parse_id(&id)?;
    let input = CompletionInput {
        completed_on: form.get("completed_on").to_string(),
        note: form.get("note").to_string(),
    };
    let result = state
        .app
        .complete_supervision_action(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/supervision/actions/{id}?completed=1"),
        |errors| action_page_with(&state, &worker, id, FormState::sent(form, errors), false),
    )
    .await
}
