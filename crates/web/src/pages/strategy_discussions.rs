//! A strategy discussion: its record, the write-up form (participants, what each agency
//! shared, risks, decision, rationale, actions), what is missing before sign-off, and the
//! manager's sign-off.

use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::{date, done_notice, instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::{
    london, ActionInput, AppError, AttendeeInput, FieldError, RiskInput, SignedIn,
    StrategyRecordInput,
};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::StrategyDiscussionId;
use frontdoor_domain::strategy_discussion::{
    duration_words, minutes_from_decision, Agency, RiskLevel, StrategyOutcome, StrategyRecord,
    StrategyState,
};
use std::collections::HashMap;

/// One row of a repeating part of the form: its number (from 1) and its fields' names, in order.
pub struct FieldRow {
    pub number: usize,
    pub names: Vec<String>,
}

#[derive(Template)]
#[template(path = "child_protection/strategy_discussion.html")]
pub struct StrategyDiscussionPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    pub id: String,
    pub episode_href: String,
    pub state: &'static str,
    pub state_tag: &'static str,
    pub emergency: bool,
    pub details: Vec<(String, String)>,
    /// What is still missing before sign-off (shown while it is held, not yet signed off).
    pub missing: Vec<FieldError>,
    pub editable: bool,
    pub signed_off: bool,
    pub attendee_rows: Vec<FieldRow>,
    pub risk_rows: Vec<FieldRow>,
    pub action_rows: Vec<FieldRow>,
    pub agencies: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub decisions: Vec<Choice>,
    pub attendees: Vec<(String, String, String, String)>,
    pub risks: Vec<(String, String, String, String, String)>,
    pub actions: Vec<(String, String, String)>,
    pub decision: String,
    pub rationale: String,
    pub can_record: bool,
    pub can_sign_off: bool,
    pub can_withdraw: bool,
    pub can_start_enquiry: bool,
}

/// The GOV.UK tag colour for a discussion's state.
pub fn state_tag(state: StrategyState) -> &'static str {
    match state {
        StrategyState::ToHold => "govuk-tag--orange",
        StrategyState::Held => "govuk-tag--yellow",
        StrategyState::SignedOff => "govuk-tag--green",
        StrategyState::Withdrawn => "govuk-tag--grey",
    }
}

fn record_values(record: &StrategyRecord) -> Vec<(String, String)> {
    let mut values = Vec::new();
    let mut put = |name: String, value: String| values.push((name, value));
    if let Some(at) = record.held_at {
        put(
            "held_date".into(),
            london(at).format("%Y-%m-%d").to_string(),
        );
        put("held_time".into(), london(at).format("%H:%M").to_string());
    }
    for (i, a) in record.attendees.iter().enumerate() {
        put(format!("attendees[{i}].name"), a.name.clone());
        put(
            format!("attendees[{i}].agency"),
            a.agency.map(|g| g.code()).unwrap_or("").into(),
        );
        put(format!("attendees[{i}].role"), a.role.clone());
        put(
            format!("attendees[{i}].information_shared"),
            a.information_shared.clone(),
        );
    }
    put(
        "police_absence_reason".into(),
        record.police_absence_reason.clone(),
    );
    put(
        "health_absence_reason".into(),
        record.health_absence_reason.clone(),
    );
    for (i, r) in record.risks.iter().enumerate() {
        put(format!("risks[{i}].harm"), r.harm.clone());
        put(format!("risks[{i}].to_whom"), r.to_whom.clone());
        put(format!("risks[{i}].from_whom"), r.from_whom.clone());
        put(
            format!("risks[{i}].likelihood"),
            r.likelihood.map(|l| l.code()).unwrap_or("").into(),
        );
        put(
            format!("risks[{i}].severity"),
            r.severity.map(|l| l.code()).unwrap_or("").into(),
        );
    }
    put(
        "decision".into(),
        record.decision.map(|d| d.code()).unwrap_or("").into(),
    );
    put("rationale".into(), record.rationale.clone());
    for (i, a) in record.actions.iter().enumerate() {
        put(format!("actions[{i}].description"), a.description.clone());
        put(format!("actions[{i}].owner"), a.owner.clone());
        put(
            format!("actions[{i}].due_on"),
            a.due_on.map(|d| d.to_string()).unwrap_or_default(),
        );
    }
    values
}

/// The rows of a repeating part of a form to show: those filled in, one empty row more, and at
/// least `at_least`.
pub fn field_rows(form: &FormState, part: &str, at_least: usize, fields: &[&str]) -> Vec<FieldRow> {
    let sent = (0..50)
        .take_while(|i| {
            fields
                .iter()
                .any(|f| !form.value(&format!("{part}[{i}].{f}")).is_empty())
        })
        .count();
    (0..(sent + 1).max(at_least))
        .map(|i| FieldRow {
            number: i + 1,
            names: fields.iter().map(|f| format!("{part}[{i}].{f}")).collect(),
        })
        .collect()
}

/// Rows of a repeating part as sent: indices 0.. while any of the part's fields is present.
pub fn rows(form: &FormData, part: &str, fields: &[&str]) -> usize {
    (0..50)
        .take_while(|i| {
            fields
                .iter()
                .any(|f| form.0.iter().any(|(n, _)| *n == format!("{part}[{i}].{f}")))
        })
        .count()
}

fn input_from(form: &FormData) -> StrategyRecordInput {
    let get = |name: String| form.get(&name).to_string();
    StrategyRecordInput {
        held_date: form.get("held_date").into(),
        held_time: form.get("held_time").into(),
        attendees: (0..rows(
            form,
            "attendees",
            &["name", "agency", "role", "information_shared"],
        ))
            .map(|i| AttendeeInput {
                name: get(format!("attendees[{i}].name")),
                agency: get(format!("attendees[{i}].agency")),
                role: get(format!("attendees[{i}].role")),
                information_shared: get(format!("attendees[{i}].information_shared")),
            })
            .collect(),
        police_absence_reason: form.get("police_absence_reason").into(),
        health_absence_reason: form.get("health_absence_reason").into(),
        risks: (0..rows(
            form,
            "risks",
            &["harm", "to_whom", "from_whom", "likelihood", "severity"],
        ))
            .map(|i| RiskInput {
                harm: get(format!("risks[{i}].harm")),
                to_whom: get(format!("risks[{i}].to_whom")),
                from_whom: get(format!("risks[{i}].from_whom")),
                likelihood: get(format!("risks[{i}].likelihood")),
                severity: get(format!("risks[{i}].severity")),
            })
            .collect(),
        decision: form.get("decision").into(),
        rationale: form.get("rationale").into(),
        actions: (0..rows(form, "actions", &["description", "owner", "due_on"]))
            .map(|i| ActionInput {
                description: get(format!("actions[{i}].description")),
                owner: get(format!("actions[{i}].owner")),
                due_on: get(format!("actions[{i}].due_on")),
            })
            .collect(),
    }
}

async fn page(
    state: &AppState,
    worker: &SignedIn,
    id: StrategyDiscussionId,
    form: Option<FormState>,
    notice: &str,
) -> Result<Response, PageError> {
    let view = state
        .app
        .view_strategy_discussion(&worker.actor(), id)
        .await?;
    let d = &view.discussion;
    let r = &d.record;
    let mut details = vec![
        ("Decided".to_string(), instant(d.decided_at)),
        ("To be held by the end of".to_string(), date(view.hold_by)),
    ];
    if let Some(held) = r.held_at {
        details.push(("Held".to_string(), instant(held)));
        details.push((
            "Time from decision".to_string(),
            duration_words(minutes_from_decision(d.decided_at, held)),
        ));
    }
    if let (Some(by), Some(at)) = (&d.recorded_by_name, d.recorded_at) {
        details.push((
            "Written up".to_string(),
            format!("by {by}, {}", instant(at)),
        ));
    }
    if let Some(at) = d.withdrawn_at {
        details.push((
            "Withdrawn".to_string(),
            format!("{}: {}", instant(at), d.withdrawal_reason),
        ));
    }
    if let (Some(by), Some(at)) = (&d.signed_off_by_name, d.signed_off_at) {
        details.push((
            "Signed off".to_string(),
            format!("by {by}, {}", instant(at)),
        ));
    }
    let form = form.unwrap_or_else(|| FormState::filled(record_values(r)));
    let count =
        |part: &str, at_least: usize, fields: &[&str]| field_rows(&form, part, at_least, fields);
    let attendee_rows = count(
        "attendees",
        3,
        &["name", "agency", "role", "information_shared"],
    );
    let risk_rows = count(
        "risks",
        2,
        &["harm", "to_whom", "from_whom", "likelihood", "severity"],
    );
    let action_rows = count("actions", 2, &["description", "owner", "due_on"]);
    let level = |l: Option<RiskLevel>| l.map(|l| l.label()).unwrap_or("Not recorded").to_string();
    let page = StrategyDiscussionPage {
        chrome: Chrome::for_worker(state, worker, ""),
        notice: notice.into(),
        id: id.to_string(),
        episode_href: format!("/episodes/{}", d.episode),
        state: d.state.label(),
        state_tag: state_tag(d.state),
        emergency: d.emergency,
        details,
        missing: if d.state == StrategyState::Held {
            view.missing.clone()
        } else {
            vec![]
        },
        editable: matches!(d.state, StrategyState::ToHold | StrategyState::Held),
        signed_off: d.state == StrategyState::SignedOff,
        attendee_rows,
        risk_rows,
        action_rows,
        agencies: Choice::each(&Agency::ALL, |a| (a.code(), a.label())),
        levels: Choice::each(&RiskLevel::ALL, |l| (l.code(), l.label())),
        decisions: Choice::each(&StrategyOutcome::ALL, |o| (o.code(), o.label())),
        attendees: r
            .attendees
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.agency.map(|g| g.label()).unwrap_or("").to_string(),
                    a.role.clone(),
                    a.information_shared.clone(),
                )
            })
            .collect(),
        risks: r
            .risks
            .iter()
            .map(|k| {
                (
                    k.harm.clone(),
                    k.to_whom.clone(),
                    k.from_whom.clone(),
                    level(k.likelihood),
                    level(k.severity),
                )
            })
            .collect(),
        actions: r
            .actions
            .iter()
            .map(|a| {
                (
                    a.description.clone(),
                    a.owner.clone(),
                    a.due_on.map(date).unwrap_or_default(),
                )
            })
            .collect(),
        decision: r
            .decision
            .map(|x| x.label())
            .unwrap_or("Not recorded")
            .to_string(),
        rationale: r.rationale.clone(),
        can_record: can(worker, Action::RecordStrategyDiscussion),
        can_sign_off: d.state == StrategyState::Held
            && can(worker, Action::SignOffStrategyDiscussion),
        can_withdraw: matches!(d.state, StrategyState::ToHold | StrategyState::Held)
            && can(worker, Action::SignOffStrategyDiscussion),
        can_start_enquiry: d.state == StrategyState::SignedOff
            && r.decision == Some(StrategyOutcome::Section47Enquiry)
            && can(worker, Action::RecordSection47Enquiry),
        form,
    };
    Ok(render(&page))
}

pub async fn discussion_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: StrategyDiscussionId = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[
            ("saved", "Strategy discussion saved."),
            ("signed_off", "Strategy discussion signed off."),
            ("withdrawn", "Strategy discussion withdrawn."),
        ],
    )
    .unwrap_or_default();
    page(&state, &worker, id, None, notice).await
}

/// Back to the discussion with a notice, or the page again with the form's errors.
async fn after_discussion_form<T>(
    state: &AppState,
    worker: &SignedIn,
    id: StrategyDiscussionId,
    form: FormData,
    result: Result<T, AppError>,
    done: &str,
) -> Result<Response, PageError> {
    after_form(
        result,
        |_| format!("/strategy-discussions/{id}?done={done}"),
        |errors| page(state, worker, id, Some(FormState::sent(form, errors)), ""),
    )
    .await
}

pub async fn record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: StrategyDiscussionId = parse_id(&id)?;
    let input = input_from(&form);
    let result = state
        .app
        .record_strategy_discussion(&worker.actor(), id, &input)
        .await;
    after_discussion_form(&state, &worker, id, form, result, "saved").await
}

pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: StrategyDiscussionId = parse_id(&id)?;
    let result = state
        .app
        .withdraw_strategy_discussion(&worker.actor(), id, form.get("withdrawal_reason"))
        .await;
    after_discussion_form(&state, &worker, id, form, result, "withdrawn").await
}

pub async fn sign_off(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let id: StrategyDiscussionId = parse_id(&id)?;
    let result = state
        .app
        .sign_off_strategy_discussion(&worker.actor(), id)
        .await;
    after_form(
        result,
        |_| format!("/strategy-discussions/{id}?done=signed_off"),
        |errors| async move {
            // Refused: name each missing part, over the record as saved.
            let view = state
                .app
                .view_strategy_discussion(&worker.actor(), id)
                .await?;
            let values = record_values(&view.discussion.record);
            page(
                &state,
                &worker,
                id,
                Some(FormState {
                    values,
                    errors,
                    ..FormState::default()
                }),
                "",
            )
            .await
        },
    )
    .await
}
