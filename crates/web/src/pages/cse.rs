//! Child sexual exploitation screening: the tool (indicators by domain, no JavaScript needed),
//! a completed screening (with the safety plan it needs at medium or high risk, and the risk
//! management group's reviews), and the group's list of children at medium or high risk.

use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::{date, done_notice, instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::records::CseScreening;
use frontdoor_app::{
    CseReviewInput, CseScreeningInput, RequirementKind, SafetyPlanInput, SignedIn,
};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::cse::{self, Answer, CseLevel, DOMAINS, INDICATORS};
use frontdoor_domain::ids::{CseScreeningId, PersonId};
use std::collections::HashMap;

/// The GOV.UK tag colour for a CSE level.
pub fn cse_tag(level: CseLevel) -> &'static str {
    match level {
        CseLevel::NoIdentifiedRisk => "govuk-tag--grey",
        CseLevel::Low => "govuk-tag--blue",
        CseLevel::Medium => "govuk-tag--orange",
        CseLevel::High => "govuk-tag--red",
    }
}

/// One indicator on the form: (answer field, note field, label with its weight, note label).
pub struct IndicatorField {
    pub answer: String,
    pub note: String,
    pub label: String,
    pub note_label: String,
}

/// A domain of the tool with its indicators.
pub struct DomainFields {
    pub heading: &'static str,
    pub indicators: Vec<IndicatorField>,
}

#[derive(Template)]
#[template(path = "cse/new.html")]
pub struct ScreeningFormPage {
    pub chrome: Chrome,
    pub person_id: String,
    pub name: String,
    pub form: FormState,
    pub domains: Vec<DomainFields>,
    pub answers: Vec<Choice>,
    pub contacts: Vec<Choice>,
    pub raised_levels: Vec<Choice>,
}

async fn screening_form(
    state: &AppState,
    worker: &SignedIn,
    id: PersonId,
    form: FormState,
) -> Result<Response, PageError> {
    let risk = state.app.child_risk(&worker.actor(), id).await?;
    let page = ScreeningFormPage {
        chrome: Chrome::for_worker(state, worker, ""),
        person_id: id.to_string(),
        name: risk.person.full_name(),
        form,
        domains: DOMAINS
            .iter()
            .map(|(code, heading)| DomainFields {
                heading,
                indicators: INDICATORS
                    .iter()
                    .filter(|i| i.domain == *code)
                    .map(|i| IndicatorField {
                        answer: format!("answers.{}", i.code),
                        note: format!("notes.{}", i.code),
                        label: format!(
                            "{} ({} indicator)",
                            i.label,
                            i.weight.label().to_lowercase()
                        ),
                        note_label: format!("Note on \"{}\"", i.label),
                    })
                    .collect(),
            })
            .collect(),
        answers: Choice::each(&Answer::ALL, |a| (a.code(), a.label())),
        contacts: risk
            .requirements
            .iter()
            .filter(|r| r.kind == RequirementKind::CseScreening)
            .filter_map(|r| {
                r.contact
                    .map(|c| Choice::new(c.to_string(), r.reason.clone()))
            })
            .collect(),
        raised_levels: Choice::each(&[CseLevel::Low, CseLevel::Medium, CseLevel::High], |l| {
            (l.code(), l.label())
        }),
    };
    Ok(render(&page))
}

pub async fn new_screening_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    let contact = query.get("contact").cloned().unwrap_or_default();
    screening_form(
        &state,
        &worker,
        id,
        FormState::filled(vec![("contact".into(), contact)]),
    )
    .await
}

fn screening_input(form: &FormData) -> CseScreeningInput {
    let each = |part: &str| {
        INDICATORS
            .iter()
            .map(|i| {
                (
                    i.code.to_string(),
                    form.get(&format!("{part}.{}", i.code)).to_string(),
                )
            })
            .filter(|(_, v)| part == "answers" || !v.is_empty())
            .collect()
    };
    CseScreeningInput {
        contact: form.get("contact").into(),
        answers: each("answers"),
        notes: each("notes"),
        judgement_level: form.get("judgement_level").into(),
        judgement_reason: form.get("judgement_reason").into(),
    }
}

pub async fn record_screening(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    let result = state
        .app
        .record_cse_screening(&worker.actor(), id, &screening_input(&form))
        .await;
    after_form(
        result,
        |s| format!("/cse-screenings/{}", s.id),
        |errors| screening_form(&state, &worker, id, FormState::sent(form, errors)),
    )
    .await
}

/// An indicator as answered on a screening.
pub struct AnswerRow {
    pub label: &'static str,
    pub answer: &'static str,
    pub present: bool,
    pub note: String,
}

#[derive(Template)]
#[template(path = "cse/screening.html")]
pub struct ScreeningPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    pub id: String,
    pub person_id: String,
    pub level: &'static str,
    pub tag: &'static str,
    pub details: Vec<(String, String)>,
    /// Each domain's heading and its indicators as answered.
    pub domains: Vec<(&'static str, Vec<AnswerRow>)>,
    pub needs_plan: bool,
    /// The plans answering this screening: (link, state).
    pub plans: Vec<(String, &'static str)>,
    pub can_plan: bool,
    /// (when, by, next review, notes).
    pub reviews: Vec<(String, String, String, String)>,
    pub can_review: bool,
    pub review_on: String,
}

fn screening_details(s: &CseScreening) -> Vec<(String, String)> {
    let mut details = vec![
        ("Screened on".to_string(), date(s.screened_on)),
        (
            "Level the indicators give".to_string(),
            s.indicator_level.label().to_string(),
        ),
    ];
    if let Some(judged) = s.judgement_level {
        details.push((
            "Professional judgement".to_string(),
            format!(
                "Raised to {}: {}",
                judged.label().to_lowercase(),
                s.judgement_reason
            ),
        ));
    }
    if let Some(on) = s.review_on {
        details.push(("Risk management group review by".to_string(), date(on)));
    }
    details.push((
        "Recorded".to_string(),
        format!(
            "by {}, {}",
            s.recorded_by_name.clone().unwrap_or_default(),
            instant(s.recorded_at)
        ),
    ));
    details
}

async fn screening_page_response(
    state: &AppState,
    worker: &SignedIn,
    id: CseScreeningId,
    form: FormState,
    notice: &str,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let s = state.app.view_cse_screening(&actor, id).await?;
    let risk = state.app.child_risk(&actor, s.person).await?;
    let latest = risk.cse_screenings.first().is_some_and(|l| l.id == s.id);
    let needs_plan = cse::requires_safety_plan(s.level);
    let reviews = state.app.cse_reviews(&actor, id).await?;
    let page = ScreeningPage {
        chrome: Chrome::for_worker(state, worker, ""),
        notice: notice.into(),
        id: id.to_string(),
        person_id: s.person.to_string(),
        level: s.level.label(),
        tag: cse_tag(s.level),
        details: screening_details(&s),
        domains: DOMAINS
            .iter()
            .map(|(code, heading)| {
                let rows = INDICATORS
                    .iter()
                    .filter(|i| i.domain == *code)
                    .filter_map(|i| {
                        s.answers
                            .iter()
                            .find(|a| a.indicator == i.code)
                            .map(|a| AnswerRow {
                                label: i.label,
                                answer: a.answer.label(),
                                present: a.answer == Answer::Present,
                                note: a.note.clone(),
                            })
                    })
                    .collect();
                (*heading, rows)
            })
            .collect(),
        needs_plan,
        plans: risk
            .safety_plans
            .iter()
            .filter(|p| p.cse_screening == Some(id))
            .map(|p| (format!("/safety-plans/{}", p.id), p.state.label()))
            .collect(),
        can_plan: needs_plan && latest && can(worker, Action::RecordSafetyPlan),
        reviews: reviews
            .iter()
            .map(|r| {
                (
                    instant(r.recorded_at),
                    r.recorded_by_name.clone().unwrap_or_default(),
                    date(r.next_review_on),
                    r.notes.clone(),
                )
            })
            .collect(),
        can_review: needs_plan && latest && can(worker, Action::RecordCseReview),
        review_on: s.review_on.map(|d| d.to_string()).unwrap_or_default(),
        form,
    };
    Ok(render(&page))
}

pub async fn screening_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: CseScreeningId = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[("reviewed", "Review recorded.")],
    )
    .unwrap_or_default();
    screening_page_response(&state, &worker, id, FormState::default(), notice).await
}

/// Starts the safety plan a medium or high-risk screening needs.
pub async fn start_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: CseScreeningId = parse_id(&id)?;
    let input = SafetyPlanInput {
        kind: "safety_plan".into(),
        ..SafetyPlanInput::default()
    };
    let result = state
        .app
        .create_cse_safety_plan(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |view| format!("/safety-plans/{}?done=started", view.plan.id),
        |errors| screening_page_response(&state, &worker, id, FormState::sent(form, errors), ""),
    )
    .await
}

pub async fn review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: CseScreeningId = parse_id(&id)?;
    let input = CseReviewInput {
        previous_review_on: form.get("previous_review_on").into(),
        next_review_on: form.get("next_review_on").into(),
        notes: form.get("notes").into(),
    };
    let result = state
        .app
        .record_cse_review(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/cse-screenings/{id}?done=reviewed"),
        |errors| screening_page_response(&state, &worker, id, FormState::sent(form, errors), ""),
    )
    .await
}

pub struct GroupRow {
    pub href: String,
    pub name: String,
    pub level: &'static str,
    pub tag: &'static str,
    pub screened: String,
    pub review: String,
    pub overdue: bool,
    pub plan: bool,
}

#[derive(Template)]
#[template(path = "cse/group.html")]
pub struct GroupPage {
    pub chrome: Chrome,
    pub levels: Vec<Choice>,
    pub rows: Vec<GroupRow>,
    pub overdue: usize,
    pub form: FormState,
}

pub async fn group_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let level = query.get("level").cloned().unwrap_or_default();
    let group = state
        .app
        .risk_management_group(&worker.actor(), Some(level.as_str()))
        .await?;
    let rows: Vec<GroupRow> = group
        .children
        .iter()
        .map(|c| GroupRow {
            href: format!("/cse-screenings/{}", c.screening),
            name: c.child_name.clone(),
            level: c.level.label(),
            tag: cse_tag(c.level),
            screened: date(c.screened_on),
            review: c.review_on.map(date).unwrap_or_default(),
            overdue: c.overdue,
            plan: c.safety_plan.is_some(),
        })
        .collect();
    let page = GroupPage {
        chrome: Chrome::for_worker(&state, &worker, "/risk-management-group"),
        overdue: rows.iter().filter(|r| r.overdue).count(),
        rows,
        levels: Choice::each(&[CseLevel::Medium, CseLevel::High], |l| {
            (l.code(), l.label())
        }),
        form: FormState::filled(vec![("level".into(), level)]),
    };
    Ok(render(&page))
}
