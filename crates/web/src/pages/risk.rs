//! A child's risk and safety: what is still required, the DASH checklists completed (and the
//! form to complete one, no JavaScript needed), and the safety plans and written agreements.

use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::{date, instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::records::{DashAssessment, MaracReferral};
use frontdoor_app::{DashInput, RequirementKind, SignedIn};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::dash::{Answer, DashLevel, QUESTIONS};
use frontdoor_domain::ids::{DashAssessmentId, PersonId};
use frontdoor_domain::safety_plan::PlanKind;
use std::collections::HashMap;

/// The GOV.UK tag colour for a DASH level.
pub fn level_tag(level: DashLevel) -> &'static str {
    match level {
        DashLevel::Standard => "govuk-tag--grey",
        DashLevel::Medium => "govuk-tag--orange",
        DashLevel::High => "govuk-tag--red",
    }
}

pub struct RequirementRow {
    pub reason: String,
    pub status: String,
    pub met: bool,
    /// Where to meet it (empty when met or nothing to link).
    pub href: String,
    pub link: String,
}

pub struct DashRow {
    pub href: String,
    pub incident: String,
    pub victim: String,
    pub score: i32,
    pub level: &'static str,
    pub tag: &'static str,
    pub escalation: bool,
}

pub struct CseRow {
    pub href: String,
    pub screened: String,
    pub level: &'static str,
    pub tag: &'static str,
    pub present: usize,
    pub review: String,
}

pub struct PlanRow {
    pub href: String,
    pub kind: &'static str,
    pub written_agreement: bool,
    pub state: &'static str,
    pub started: String,
}

#[derive(Template)]
#[template(path = "risk/child.html")]
pub struct ChildRiskPage {
    pub chrome: Chrome,
    pub person_id: String,
    pub name: String,
    pub unmet: Vec<RequirementRow>,
    pub met: Vec<RequirementRow>,
    pub dash: Vec<DashRow>,
    pub plans: Vec<PlanRow>,
    pub cse: Vec<CseRow>,
    pub can_cse: bool,
    pub kinds: Vec<Choice>,
    pub form: FormState,
    pub can_dash: bool,
    pub can_plan: bool,
}

pub(super) async fn child_risk_response(
    state: &AppState,
    worker: &SignedIn,
    id: PersonId,
    form: FormState,
) -> Result<Response, PageError> {
    let risk = state.app.child_risk(&worker.actor(), id).await?;
    let rows = risk.requirements.iter().map(|r| {
        let (href, link) = match (r.kind, r.met) {
            (_, true) => (String::new(), String::new()),
            (RequirementKind::DashChecklist, false) => (
                format!(
                    "/people/{id}/dash/new?contact={}",
                    r.contact.map(|c| c.to_string()).unwrap_or_default()
                ),
                "Complete the DASH risk checklist".to_string(),
            ),
            (RequirementKind::SafetyPlan, false) => {
                ("#new-plan".to_string(), "Write the safety plan".to_string())
            }
            (RequirementKind::CseScreening, false) => (
                format!(
                    "/people/{id}/cse/new?contact={}",
                    r.contact.map(|c| c.to_string()).unwrap_or_default()
                ),
                "Complete the CSE screening".to_string(),
            ),
            (RequirementKind::CseSafetyPlan, false) => (
                format!(
                    "/cse-screenings/{}",
                    r.cse_screening.map(|c| c.to_string()).unwrap_or_default()
                ),
                "Write or sign off the safety plan answering the screening".to_string(),
            ),
        };
        RequirementRow {
            reason: r.reason.clone(),
            status: r.status.clone(),
            met: r.met,
            href,
            link,
        }
    });
    let (met, unmet): (Vec<_>, Vec<_>) = rows.partition(|r| r.met);
    let page = ChildRiskPage {
        chrome: Chrome::for_worker(state, worker, ""),
        person_id: id.to_string(),
        name: risk.person.full_name(),
        unmet,
        met,
        dash: risk
            .dash_assessments
            .iter()
            .map(|d| DashRow {
                href: format!("/dash/{}", d.id),
                incident: date(d.incident_on),
                victim: format!("{} ({})", d.victim_name, d.victim_relationship),
                score: d.score,
                level: d.level.label(),
                tag: level_tag(d.level),
                escalation: d.escalation,
            })
            .collect(),
        plans: risk
            .safety_plans
            .iter()
            .map(|p| PlanRow {
                href: format!("/safety-plans/{}", p.id),
                kind: p.record.kind.label(),
                written_agreement: p.record.kind == PlanKind::WrittenAgreement,
                state: p.state.label(),
                started: instant(p.created_at),
            })
            .collect(),
        cse: risk
            .cse_screenings
            .iter()
            .map(|s| CseRow {
                href: format!("/cse-screenings/{}", s.id),
                screened: date(s.screened_on),
                level: s.level.label(),
                tag: super::cse::cse_tag(s.level),
                present: s.present().count(),
                review: s.review_on.map(date).unwrap_or_default(),
            })
            .collect(),
        can_cse: can(worker, Action::RecordCseScreening),
        kinds: Choice::each(&PlanKind::ALL, |k| (k.code(), k.label())),
        form,
        can_dash: can(worker, Action::RecordDashAssessment),
        can_plan: can(worker, Action::RecordSafetyPlan),
    };
    Ok(render(&page))
}

pub async fn child_risk_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    child_risk_response(&state, &worker, id, FormState::default()).await
}

#[derive(Template)]
#[template(path = "risk/dash_new.html")]
pub struct DashFormPage {
    pub chrome: Chrome,
    pub person_id: String,
    pub name: String,
    pub form: FormState,
    /// (field name of the answer, field name of the comment, the question, the comment's label).
    pub questions: Vec<(String, String, String, String)>,
    pub answers: Vec<Choice>,
    pub contacts: Vec<Choice>,
    pub raised_levels: Vec<Choice>,
    pub yes_no: Vec<Choice>,
}

async fn dash_form(
    state: &AppState,
    worker: &SignedIn,
    id: PersonId,
    form: FormState,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let risk = state.app.child_risk(&actor, id).await?;
    let page = DashFormPage {
        chrome: Chrome::for_worker(state, worker, ""),
        person_id: id.to_string(),
        name: risk.person.full_name(),
        form,
        questions: QUESTIONS
            .iter()
            .enumerate()
            .map(|(i, q)| {
                (
                    format!("answers[{i}]"),
                    format!("comments[{i}]"),
                    format!("{}. {q}", i + 1),
                    format!("Comment on question {}", i + 1),
                )
            })
            .collect(),
        answers: Choice::each(&Answer::ALL, |a| (a.code(), a.label())),
        contacts: risk
            .requirements
            .iter()
            .filter(|r| r.kind == RequirementKind::DashChecklist)
            .filter_map(|r| {
                r.contact
                    .map(|c| Choice::new(c.to_string(), r.reason.clone()))
            })
            .collect(),
        raised_levels: Choice::each(&[DashLevel::Medium, DashLevel::High], |l| {
            (l.code(), l.label())
        }),
        yes_no: vec![Choice::new("yes", "Yes"), Choice::new("no", "No")],
    };
    Ok(render(&page))
}

pub async fn new_dash_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    let contact = query.get("contact").cloned().unwrap_or_default();
    dash_form(
        &state,
        &worker,
        id,
        FormState::filled(vec![("contact".into(), contact)]),
    )
    .await
}

fn dash_input(form: &FormData) -> DashInput {
    let each = |part: &str| {
        (0..QUESTIONS.len())
            .map(|i| form.get(&format!("{part}[{i}]")).to_string())
            .collect()
    };
    DashInput {
        contact: form.get("contact").into(),
        victim_name: form.get("victim_name").into(),
        victim_relationship: form.get("victim_relationship").into(),
        incident_on: form.get("incident_on").into(),
        answers: each("answers"),
        comments: each("comments"),
        judgement_level: form.get("judgement_level").into(),
        judgement_reason: form.get("judgement_reason").into(),
        marac_referred: form.get("marac_referred").into(),
        marac_referred_on: form.get("marac_referred_on").into(),
        marac_reason_not: form.get("marac_reason_not").into(),
    }
}

pub async fn record_dash(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    let result = state
        .app
        .record_dash_assessment(&worker.actor(), id, &dash_input(&form))
        .await;
    after_form(
        result,
        |d| format!("/dash/{}", d.id),
        |errors| dash_form(&state, &worker, id, FormState::sent(form, errors)),
    )
    .await
}

#[derive(Template)]
#[template(path = "risk/dash.html")]
pub struct DashPage {
    pub chrome: Chrome,
    pub id: String,
    pub person_id: String,
    pub level: &'static str,
    pub tag: &'static str,
    pub details: Vec<(String, String)>,
    /// (number, question, answer, comment).
    pub answers: Vec<(i32, &'static str, &'static str, String)>,
    pub high: bool,
    pub can_plan: bool,
}

fn dash_details(d: &DashAssessment) -> Vec<(String, String)> {
    let mut details = vec![
        (
            "Completed with".to_string(),
            format!("{} ({})", d.victim_name, d.victim_relationship),
        ),
        ("Date of the incident".to_string(), date(d.incident_on)),
        (
            "Score".to_string(),
            format!("{} of 24 answers yes", d.score),
        ),
    ];
    if let Some(judged) = d.judgement_level {
        details.push((
            "Professional judgement".to_string(),
            format!(
                "Raised to {}: {}",
                judged.label().to_lowercase(),
                d.judgement_reason
            ),
        ));
    }
    details.push((
        "Domestic abuse incidents in 12 months".to_string(),
        format!(
            "{}{}",
            d.incidents_in_12_months,
            if d.escalation { " (escalating)" } else { "" }
        ),
    ));
    details.push((
        "MARAC referral".to_string(),
        match &d.marac {
            Some(MaracReferral::Referred { on }) => format!("Referred on {}", date(*on)),
            Some(MaracReferral::NotReferred { reason }) => format!("Not referred: {reason}"),
            None => "Not prompted (standard or medium risk, not escalating)".to_string(),
        },
    ));
    details.push((
        "Recorded".to_string(),
        format!(
            "by {}, {}",
            d.recorded_by_name.clone().unwrap_or_default(),
            instant(d.recorded_at)
        ),
    ));
    details
}

pub async fn dash_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: DashAssessmentId = parse_id(&id)?;
    let d = state.app.view_dash_assessment(&worker.actor(), id).await?;
    let page = DashPage {
        chrome: Chrome::for_worker(&state, &worker, ""),
        id: id.to_string(),
        person_id: d.person.to_string(),
        level: d.level.label(),
        tag: level_tag(d.level),
        details: dash_details(&d),
        answers: d
            .answers
            .iter()
            .map(|a| {
                (
                    a.question,
                    QUESTIONS
                        .get((a.question - 1).max(0) as usize)
                        .copied()
                        .unwrap_or(""),
                    a.answer.label(),
                    a.comment.clone(),
                )
            })
            .collect(),
        high: frontdoor_domain::dash::requires_safety_plan(d.level),
        can_plan: can(&worker, Action::RecordSafetyPlan),
    };
    Ok(render(&page))
}
