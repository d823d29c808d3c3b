//! Child and family assessments: starting one from an episode, the assessment page (the form
//! beside the child's history, the due date and working days left, the repeat flag; visits;
//! submitting with a reason for each missing quality point; a manager authorising or
//! returning it), the list of open assessments, and the quality report.

use super::{can, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::{date, done_notice, instant, render, render_form, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use frontdoor_app::{
    london_date, Assessment, AssessmentInput, AssessmentListScope, AssessmentReturnInput,
    AssessmentSubmissionInput, AssessmentVisitInput, SignedIn,
};
use frontdoor_domain::assessment::{
    AssessmentFactor, AssessmentOutcome, AssessmentState, QualityPoint,
};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::{AssessmentId, EpisodeId};
use std::collections::{BTreeMap, HashMap};

/// The GOV.UK tag colour for an assessment's state.
pub fn state_tag(state: AssessmentState) -> &'static str {
    match state {
        AssessmentState::InProgress => "govuk-tag--blue",
        AssessmentState::Submitted => "govuk-tag--yellow",
        AssessmentState::Authorised => "govuk-tag--green",
    }
}

/// "12 working days left", "due today", "3 working days overdue".
pub fn days_left_words(days: Option<i64>) -> String {
    match days {
        None => String::new(),
        Some(0) => "Due today".into(),
        Some(1) => "1 working day left".into(),
        Some(d) if d > 1 => format!("{d} working days left"),
        Some(-1) => "1 working day overdue".into(),
        Some(d) => format!("{} working days overdue", -d),
    }
}

/// An assessment in a table (the episode page, the list).
pub struct AssessmentRow {
    pub href: String,
    pub child_name: String,
    pub started: String,
    pub due: String,
    pub left: String,
    pub overdue: bool,
    pub state: &'static str,
    pub tag: &'static str,
    pub outcome: String,
    pub repeat: bool,
    pub authorised: bool,
    pub worker: String,
    pub team: String,
}

impl AssessmentRow {
    pub fn of(a: &Assessment) -> Self {
        Self::with_days(a, None)
    }
    fn with_days(a: &Assessment, left: Option<i64>) -> Self {
        AssessmentRow {
            href: format!("/assessments/{}", a.id),
            child_name: a.child_name.clone(),
            started: date(a.started_on),
            due: a.due_on.map(date).unwrap_or_else(|| "Not recorded".into()),
            left: days_left_words(left),
            overdue: left.is_some_and(|d| d < 0),
            state: a.state.label(),
            tag: state_tag(a.state),
            outcome: a.outcome.map(|o| o.label().to_string()).unwrap_or_default(),
            repeat: a.is_repeat,
            authorised: a.state == AssessmentState::Authorised,
            worker: a.worker_name.clone().unwrap_or_default(),
            team: a.team_name.clone().unwrap_or_default(),
        }
    }
}

/// Starts an assessment on an episode.
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EpisodeId = parse_id(&id)?;
    let result = state.app.start_assessment(&worker.actor(), id).await;
    after_form(
        result,
        |a| format!("/assessments/{}?done=started", a.id),
        |errors| async move {
            super::episodes::episode_page_response(
                &state,
                &worker,
                id,
                FormState {
                    errors,
                    ..FormState::default()
                },
                "",
            )
            .await
        },
    )
    .await
}

/// A history line beside the form: (date, what, link).
pub struct HistoryLine {
    pub when: String,
    pub what: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "assessments/assessment.html")]
pub struct AssessmentPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    pub id: String,
    pub child_name: String,
    pub child_href: String,
    pub episode_href: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub repeat: bool,
    pub assessments_in_12_months: usize,
    pub details: Vec<(String, String)>,
    pub left: String,
    pub overdue: bool,
    /// (date, seen words, note, by)
    pub visits: Vec<(String, String, String, String)>,
    /// Quality points shown or not: (label, shown).
    pub quality: Vec<(&'static str, bool)>,
    /// The missing points to give a reason for: (field name, label).
    pub missing: Vec<(String, &'static str)>,
    /// Reasons recorded: (label, reason).
    pub reasons: Vec<(&'static str, String)>,
    pub factors: Vec<Choice>,
    pub outcomes: Vec<Choice>,
    pub record: Vec<(String, String)>,
    pub return_reason: String,
    pub contacts: Vec<HistoryLine>,
    pub referrals: Vec<HistoryLine>,
    pub previous: Vec<HistoryLine>,
    pub may_record: bool,
    pub may_authorise: bool,
    pub today: String,
}

/// The record form's fields filled from what is stored.
fn record_values(a: &Assessment) -> Vec<(String, String)> {
    let mut values = vec![
        ("child_views".to_string(), a.child_views.clone()),
        (
            "history_considered".to_string(),
            a.history_considered.clone(),
        ),
        ("family_considered".to_string(), a.family_considered.clone()),
        (
            "verification_sources".to_string(),
            a.verification_sources.join("\n"),
        ),
        (
            "outcome".to_string(),
            a.outcome.map(|o| o.code().to_string()).unwrap_or_default(),
        ),
    ];
    values.extend(
        a.factors
            .iter()
            .map(|f| ("factors".to_string(), f.code().to_string())),
    );
    values
}

async fn assessment_page_response(
    state: &AppState,
    worker: &SignedIn,
    id: AssessmentId,
    sent: Option<(FormData, Vec<frontdoor_app::FieldError>)>,
    notice: &str,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let view = state.app.view_assessment(&actor, id).await?;
    let a = &view.assessment;
    // The stored record fills the record form, unless that form was the one sent back.
    let form = match sent {
        Some((form, errors)) => {
            let record_sent = form.0.iter().any(|(n, _)| n == "child_views");
            let mut state = FormState::sent(form, errors);
            if !record_sent {
                state.values.extend(record_values(a));
            }
            state
        }
        None => FormState::filled(record_values(a)),
    };
    let mut details = vec![
        (
            "Referral date".to_string(),
            a.referral_date
                .map(date)
                .unwrap_or_else(|| "Not recorded".into()),
        ),
        ("Started".to_string(), date(a.started_on)),
        (
            "Due (45 working days from the referral)".to_string(),
            a.due_on.map(date).unwrap_or_else(|| "Not recorded".into()),
        ),
        (
            "Team".to_string(),
            a.team_name
                .clone()
                .unwrap_or_else(|| "Not allocated".into()),
        ),
        (
            "Worker".to_string(),
            a.worker_name
                .clone()
                .unwrap_or_else(|| "Not allocated".into()),
        ),
    ];
    if let (Some(at), Some(by)) = (a.submitted_at, &a.submitted_by_name) {
        details.push(("Submitted".to_string(), format!("{}, by {by}", instant(at))));
    }
    if let (Some(at), Some(by)) = (a.authorised_at, &a.authorised_by_name) {
        details.push((
            "Authorised".to_string(),
            format!("{}, by {by}", instant(at)),
        ));
    }
    if let Some(outcome) = a.outcome {
        details.push(("Outcome".to_string(), outcome.label().to_string()));
    }
    if !a.factors.is_empty() {
        details.push((
            "Assessment factors".to_string(),
            a.factors
                .iter()
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    let missing_now = &view.missing_points;
    let page = AssessmentPage {
        chrome: Chrome::for_worker(state, worker, "/assessments"),
        notice: notice.into(),
        id: id.to_string(),
        child_name: a.child_name.clone(),
        child_href: format!("/people/{}", a.person),
        episode_href: a
            .episode
            .map(|e| format!("/episodes/{e}"))
            .unwrap_or_default(),
        state: a.state.label(),
        tag: state_tag(a.state),
        repeat: a.is_repeat,
        assessments_in_12_months: view.assessments_in_12_months,
        details,
        left: days_left_words(view.working_days_left),
        overdue: view.working_days_left.is_some_and(|d| d < 0),
        visits: view
            .visits
            .iter()
            .map(|v| {
                (
                    date(v.visited_on),
                    match (v.child_seen, v.seen_alone) {
                        (true, true) => "Child seen alone".to_string(),
                        (true, false) => "Child seen, not alone".to_string(),
                        _ => "Child not seen".to_string(),
                    },
                    v.note.clone(),
                    v.recorded_by_name.clone(),
                )
            })
            .collect(),
        quality: QualityPoint::ALL
            .into_iter()
            .map(|p| (p.label(), !missing_now.contains(&p)))
            .collect(),
        missing: missing_now
            .iter()
            .map(|p| (format!("reasons[{}]", p.code()), p.label()))
            .collect(),
        reasons: view
            .reasons
            .iter()
            .map(|r| (r.point.label(), r.reason.clone()))
            .collect(),
        factors: AssessmentFactor::all()
            .map(|f| Choice::new(f.code(), format!("{} {}", f.code(), f.label())))
            .collect(),
        outcomes: Choice::each(&AssessmentOutcome::ALL, |o| (o.code(), o.label())),
        record: vec![
            ("The child's views".to_string(), a.child_views.clone()),
            (
                "History and chronology".to_string(),
                a.history_considered.clone(),
            ),
            (
                "Extended family, fathers and significant adults".to_string(),
                a.family_considered.clone(),
            ),
            (
                "Information verified with".to_string(),
                a.verification_sources.join("; "),
            ),
        ],
        return_reason: a.return_reason.clone(),
        contacts: view
            .previous_contacts
            .iter()
            .map(|c| HistoryLine {
                when: date(london_date(c.received_at)),
                what: format!("Contact {}: {}", c.reference, c.concern_summary),
                href: format!("/contacts/{}", c.id),
            })
            .collect(),
        referrals: view
            .referrals
            .iter()
            .map(|e| HistoryLine {
                when: date(e.referral_date),
                what: format!(
                    "Referral from {}{}",
                    e.source.label(),
                    match e.closed_on {
                        Some(on) => format!(", closed {}", date(on)),
                        None => ", open".into(),
                    }
                ),
                href: format!("/episodes/{}", e.id),
            })
            .collect(),
        previous: view
            .previous_assessments
            .iter()
            .map(|p| HistoryLine {
                when: date(p.started_on),
                what: format!(
                    "Assessment: {}{}",
                    p.state.label().to_lowercase(),
                    p.outcome
                        .map(|o| format!(", {}", o.label().to_lowercase()))
                        .unwrap_or_default()
                ),
                href: format!("/assessments/{}", p.id),
            })
            .collect(),
        may_record: view.may_record,
        may_authorise: view.may_authorise,
        today: london_date(state.app.now()).to_string(),
        form,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn assessment_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: AssessmentId = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[
            ("started", "Assessment started."),
            ("saved", "Assessment saved."),
            ("visit", "Visit recorded."),
            ("submitted", "Submitted for a manager's authorisation."),
            ("authorised", "Assessment authorised."),
            ("returned", "Returned to the worker."),
        ],
    )
    .unwrap_or_default();
    assessment_page_response(&state, &worker, id, None, notice).await
}

fn record_input(form: &FormData) -> AssessmentInput {
    AssessmentInput {
        child_views: form.get("child_views").into(),
        history_considered: form.get("history_considered").into(),
        family_considered: form.get("family_considered").into(),
        verification_sources: form.get("verification_sources").into(),
        factors: form.all("factors"),
        outcome: form.get("outcome").into(),
    }
}

/// Saves the record form.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: AssessmentId = parse_id(&id)?;
    let result = state
        .app
        .update_assessment(&worker.actor(), id, &record_input(&form))
        .await;
    after_form(
        result,
        |_| format!("/assessments/{id}?done=saved#record"),
        |errors| assessment_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

/// Records a visit.
pub async fn visit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: AssessmentId = parse_id(&id)?;
    let input = AssessmentVisitInput {
        visited_on: form.get("visited_on").into(),
        child_seen: form.get("child_seen") == "yes",
        seen_alone: form.get("seen_alone") == "yes",
        note: form.get("note").into(),
    };
    let result = state
        .app
        .record_assessment_visit(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/assessments/{id}?done=visit#visits"),
        |errors| assessment_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

/// Submits for authorisation, with a reason for each quality point not shown.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: AssessmentId = parse_id(&id)?;
    let reasons: BTreeMap<String, String> = QualityPoint::ALL
        .into_iter()
        .map(|p| {
            (
                p.code().to_string(),
                form.get(&format!("reasons[{}]", p.code())).to_string(),
            )
        })
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let result = state
        .app
        .submit_assessment(&worker.actor(), id, &AssessmentSubmissionInput { reasons })
        .await;
    after_form(
        result,
        |_| format!("/assessments/{id}?done=submitted"),
        |errors| assessment_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

/// A manager authorises.
pub async fn authorise(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: AssessmentId = parse_id(&id)?;
    let result = state.app.authorise_assessment(&worker.actor(), id).await;
    after_form(
        result,
        |_| format!("/assessments/{id}?done=authorised"),
        |errors| assessment_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

/// A manager returns it to the worker.
pub async fn return_to_worker(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: AssessmentId = parse_id(&id)?;
    let input = AssessmentReturnInput {
        reason: form.get("reason").into(),
    };
    let result = state
        .app
        .return_assessment(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/assessments/{id}?done=returned"),
        |errors| assessment_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

#[derive(Template)]
#[template(path = "assessments/index.html")]
pub struct AssessmentsPage {
    pub chrome: Chrome,
    pub scope: &'static str,
    pub overdue_only: bool,
    pub scopes: Vec<(&'static str, &'static str, bool)>,
    pub rows: Vec<AssessmentRow>,
    pub can_report: bool,
}

pub async fn index(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let may_team =
        can(&worker, Action::AuthoriseAssessment) || can(&worker, Action::ViewAssessmentReports);
    let may_all = can(&worker, Action::ViewAssessmentReports);
    let may_mine = can(&worker, Action::RecordAssessment);
    let asked = query.get("scope").map(String::as_str).unwrap_or("");
    let scope = match asked {
        "mine" if may_mine => AssessmentListScope::Mine,
        "team" if may_team => AssessmentListScope::Team,
        "all" if may_all => AssessmentListScope::All,
        _ if may_mine && !may_team => AssessmentListScope::Mine,
        _ if may_team && actor.team.is_some() => AssessmentListScope::Team,
        _ if may_all => AssessmentListScope::All,
        _ => AssessmentListScope::Mine,
    };
    let overdue_only = query.get("overdue").is_some_and(|v| v == "1");
    let list = state.app.assessments(&actor, scope, overdue_only).await?;
    let code = match scope {
        AssessmentListScope::Mine => "mine",
        AssessmentListScope::Team => "team",
        AssessmentListScope::All => "all",
    };
    let mut scopes = Vec::new();
    if may_mine {
        scopes.push(("mine", "Mine", code == "mine"));
    }
    if may_team && actor.team.is_some() {
        scopes.push(("team", "My team's", code == "team"));
    }
    if may_all {
        scopes.push(("all", "Everyone's", code == "all"));
    }
    Ok(render(&AssessmentsPage {
        chrome: Chrome::for_worker(&state, &worker, "/assessments"),
        scope: code,
        overdue_only,
        scopes,
        rows: list
            .iter()
            .map(|s| AssessmentRow::with_days(&s.assessment, s.working_days_left))
            .collect(),
        can_report: may_all,
    }))
}

/// One team's part of the quality report, ready to show.
pub struct TeamRow {
    pub name: String,
    pub started: i64,
    pub repeats: i64,
    pub counts: Vec<(&'static str, usize)>,
    /// (child, link, point, reason, worker)
    pub reasons: Vec<(String, String, &'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "assessments/report.html")]
pub struct ReportPage {
    pub chrome: Chrome,
    pub from: String,
    pub to: String,
    pub period: String,
    pub started: i64,
    pub repeats: i64,
    pub missing_points: usize,
    pub teams: Vec<TeamRow>,
}

pub async fn report(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let today = london_date(state.app.now());
    let parse = |key: &str| {
        query
            .get(key)
            .and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
    };
    // The last 12 months by default.
    let from = parse("from").unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(today.year() - 1, today.month(), 1).unwrap_or(today)
    });
    let to = parse("to").unwrap_or(today);
    let report = state
        .app
        .assessment_quality_report(&actor, from, to)
        .await?;
    Ok(render(&ReportPage {
        chrome: Chrome::for_worker(&state, &worker, "/assessments"),
        from: from.to_string(),
        to: to.to_string(),
        period: format!("{} to {}", date(from), date(to)),
        started: report.started,
        repeats: report.repeats,
        missing_points: report.missing_points,
        teams: report
            .teams
            .iter()
            .map(|t| TeamRow {
                name: t.team_name.clone(),
                started: t.started,
                repeats: t.repeats,
                counts: t.point_counts.iter().map(|c| (c.label, c.count)).collect(),
                reasons: t
                    .reasons
                    .iter()
                    .map(|r| {
                        (
                            r.child_name.clone(),
                            format!("/assessments/{}", r.assessment),
                            r.point.label(),
                            r.reason.clone(),
                            r.worker_name.clone().unwrap_or_default(),
                        )
                    })
                    .collect(),
            })
            .collect(),
    }))
}
