//! A safety plan (or written agreement): starting one from the child's risk page, writing it
//! up, what is missing before sign-off, and a manager's sign-off.

use super::risk::child_risk_response;
use super::strategy_discussions::{field_rows, rows, FieldRow};
use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::{date, done_notice, instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::{AppError, FieldError, PlanActionInput, SafetyPlanInput, SignedIn};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::{DashAssessmentId, PersonId, SafetyPlanId};
use frontdoor_domain::safety_plan::{PlanKind, PlanRecord, PlanState};
use std::collections::HashMap;

const ACTION_FIELDS: [&str; 4] = ["description", "owner", "due_on", "answers"];

#[derive(Template)]
#[template(path = "risk/safety_plan.html")]
pub struct SafetyPlanPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    pub id: String,
    pub risk_href: String,
    pub kind: &'static str,
    pub written_agreement: bool,
    pub state: &'static str,
    pub state_tag: &'static str,
    pub details: Vec<(String, String)>,
    pub missing: Vec<FieldError>,
    pub draft: bool,
    pub concerns: String,
    /// (what, owner, due, the identified indicators it answers).
    pub actions: Vec<(String, String, String, String)>,
    pub action_rows: Vec<FieldRow>,
    /// The identified indicators (of the CSE screening it answers) an action can answer.
    pub answerable: Vec<Choice>,
    /// Each of them as (the id its sign-off error links to, its words).
    pub to_answer: Vec<(String, String)>,
    pub screening_href: String,
    pub kinds: Vec<Choice>,
    pub can_record: bool,
    pub can_sign_off: bool,
}

fn record_values(record: &PlanRecord) -> Vec<(String, String)> {
    let mut values = vec![
        ("kind".to_string(), record.kind.code().to_string()),
        ("concerns".to_string(), record.concerns.clone()),
        (
            "review_on".to_string(),
            record.review_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ];
    for (i, a) in record.actions.iter().enumerate() {
        values.push((format!("actions[{i}].description"), a.description.clone()));
        values.push((format!("actions[{i}].owner"), a.owner.clone()));
        values.push((
            format!("actions[{i}].due_on"),
            a.due_on.map(|d| d.to_string()).unwrap_or_default(),
        ));
        for code in &a.answers {
            values.push((format!("actions[{i}].answers"), code.clone()));
        }
    }
    values
}

fn input_from(form: &FormData) -> SafetyPlanInput {
    let get = |name: String| form.get(&name).to_string();
    SafetyPlanInput {
        kind: form.get("kind").into(),
        concerns: form.get("concerns").into(),
        review_on: form.get("review_on").into(),
        actions: (0..rows(form, "actions", &ACTION_FIELDS))
            .map(|i| PlanActionInput {
                description: get(format!("actions[{i}].description")),
                owner: get(format!("actions[{i}].owner")),
                due_on: get(format!("actions[{i}].due_on")),
                answers: form.all(&format!("actions[{i}].answers")),
            })
            .collect(),
    }
}

async fn page(
    state: &AppState,
    worker: &SignedIn,
    id: SafetyPlanId,
    form: Option<FormState>,
    notice: &str,
) -> Result<Response, PageError> {
    let view = state.app.view_safety_plan(&worker.actor(), id).await?;
    let plan = &view.plan;
    let r = &plan.record;
    let mut details = vec![("Started".to_string(), instant(plan.created_at))];
    if let Some(on) = r.review_on {
        details.push(("To be reviewed by".to_string(), date(on)));
    }
    details.push((
        "Last written up".to_string(),
        format!(
            "by {}, {}",
            plan.recorded_by_name.clone().unwrap_or_default(),
            instant(plan.recorded_at)
        ),
    ));
    if let (Some(by), Some(at)) = (&plan.signed_off_by_name, plan.signed_off_at) {
        details.push((
            "Signed off".to_string(),
            format!("by {by}, {}", instant(at)),
        ));
    }
    if let Some(dash) = plan.dash_assessment {
        details.push((
            "Prompted by".to_string(),
            format!("The DASH risk checklist {dash}"),
        ));
    }
    let draft = plan.state == PlanState::Draft;
    let form = form.unwrap_or_else(|| FormState::filled(record_values(r)));
    let page = SafetyPlanPage {
        chrome: Chrome::for_worker(state, worker, ""),
        notice: notice.into(),
        id: id.to_string(),
        risk_href: format!("/people/{}/risk", plan.person),
        kind: r.kind.label(),
        written_agreement: r.kind == PlanKind::WrittenAgreement,
        state: plan.state.label(),
        state_tag: if draft {
            "govuk-tag--yellow"
        } else {
            "govuk-tag--green"
        },
        details,
        missing: if draft { view.missing.clone() } else { vec![] },
        draft,
        concerns: r.concerns.clone(),
        actions: r
            .actions
            .iter()
            .map(|a| {
                (
                    a.description.clone(),
                    a.owner.clone(),
                    a.due_on.map(date).unwrap_or_default(),
                    view.concerns_to_answer
                        .iter()
                        .filter(|c| a.answers.contains(&c.code))
                        .map(|c| c.label.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })
            .collect(),
        action_rows: field_rows(&form, "actions", 2, &ACTION_FIELDS),
        answerable: view
            .concerns_to_answer
            .iter()
            .map(|c| Choice::new(c.code.clone(), c.label.clone()))
            .collect(),
        to_answer: view
            .concerns_to_answer
            .iter()
            .map(|c| {
                (
                    crate::forms::field_id(&format!("answers.{}", c.code)),
                    c.label.clone(),
                )
            })
            .collect(),
        screening_href: plan
            .cse_screening
            .map(|s| format!("/cse-screenings/{s}"))
            .unwrap_or_default(),
        kinds: Choice::each(&PlanKind::ALL, |k| (k.code(), k.label())),
        can_record: draft && can(worker, Action::RecordSafetyPlan),
        can_sign_off: draft && can(worker, Action::SignOffSafetyPlan),
        form,
    };
    Ok(render(&page))
}

pub async fn plan_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: SafetyPlanId = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[
            (
                "started",
                "Started: write it up below. A manager signs it off once it is complete.",
            ),
            ("saved", "Saved."),
            ("signed_off", "Signed off."),
        ],
    )
    .unwrap_or_default();
    page(&state, &worker, id, None, notice).await
}

/// Starts a plan of the chosen kind from the child's risk page (or a DASH assessment's page).
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let person: PersonId = parse_id(&id)?;
    let prompted_by = match form.get("dash_assessment") {
        "" => None,
        text => Some(parse_id::<DashAssessmentId>(text)?),
    };
    let input = SafetyPlanInput {
        kind: form.get("kind").into(),
        ..SafetyPlanInput::default()
    };
    let result = state
        .app
        .create_safety_plan(&worker.actor(), person, prompted_by, &input)
        .await;
    after_form(
        result,
        |view| format!("/safety-plans/{}?done=started", view.plan.id),
        |errors| child_risk_response(&state, &worker, person, FormState::sent(form, errors)),
    )
    .await
}

pub async fn record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: SafetyPlanId = parse_id(&id)?;
    let result = state
        .app
        .record_safety_plan(&worker.actor(), id, &input_from(&form))
        .await;
    after_form(
        result,
        |_| format!("/safety-plans/{id}?done=saved"),
        |errors| page(&state, &worker, id, Some(FormState::sent(form, errors)), ""),
    )
    .await
}

pub async fn sign_off(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let id: SafetyPlanId = parse_id(&id)?;
    let result: Result<_, AppError> = state.app.sign_off_safety_plan(&worker.actor(), id).await;
    after_form(
        result,
        |_| format!("/safety-plans/{id}?done=signed_off"),
        |errors| async move {
            // Refused: name each missing part, over the plan as saved.
            let view = state.app.view_safety_plan(&worker.actor(), id).await?;
            let form = FormState {
                values: record_values(&view.plan.record),
                errors,
                ..FormState::default()
            };
            page(&state, &worker, id, Some(form), "").await
        },
    )
    .await
}
