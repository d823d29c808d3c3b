//! One child's case audit: the case's summary beside the questions (a grade and a comment
//! each), the overall grade and findings, starting and completing it, and its actions. An
//! invited partner auditor sees the summary and the questions only.

use super::{grade_tag, state_tag};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::pages::parse_id;
use crate::views::{date, done_notice, instant, render_form, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::{
    london_date, AuditActionInput, CaseAuditAnswersInput, CaseAuditView, GivenAnswerInput, SignedIn,
};
use frontdoor_domain::case_audit::Grade;
use frontdoor_domain::ids::{AuditActionId, CaseAuditId};
use std::collections::HashMap;

/// A question on the page: (number, question, grade field, comment field, answered by).
pub struct QuestionRow {
    pub number: i32,
    pub question: String,
    pub grade_field: String,
    pub comment_field: String,
    pub grade: String,
    pub grade_tag: &'static str,
    pub comment: String,
    pub answered_by: String,
}

/// An action on the page.
pub struct ActionRow {
    pub id: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub overdue: bool,
    pub done: String,
}

#[derive(Template)]
#[template(path = "audits/case.html")]
pub struct CaseAuditPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    pub id: String,
    pub audit_href: String,
    pub audit_title: String,
    pub child_name: String,
    pub child_href: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub details: Vec<(String, String)>,
    pub questions: Vec<QuestionRow>,
    pub grades: Vec<Choice>,
    pub overall: String,
    pub overall_tag: &'static str,
    pub findings: String,
    pub contacts: Vec<(String, String)>,
    pub referrals: Vec<(String, String)>,
    pub assessments: Vec<(String, String)>,
    pub actions: Vec<ActionRow>,
    pub owners: Vec<Choice>,
    pub as_partner: bool,
    pub may_start: bool,
    pub may_answer: bool,
    pub may_complete: bool,
    pub may_add_actions: bool,
    pub today: String,
}

fn answer_values(view: &CaseAuditView) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> = view
        .answers
        .iter()
        .flat_map(|a| {
            [
                (
                    format!("grade[{}]", a.number),
                    a.grade.map(|g| g.code().to_string()).unwrap_or_default(),
                ),
                (format!("comment[{}]", a.number), a.comment.clone()),
            ]
        })
        .collect();
    values.push((
        "overall_grade".into(),
        view.case
            .overall_grade
            .map(|g| g.code().to_string())
            .unwrap_or_default(),
    ));
    values.push(("findings".into(), view.case.findings.clone()));
    values
}

async fn case_page_response(
    state: &AppState,
    worker: &SignedIn,
    id: CaseAuditId,
    sent: Option<(FormData, Vec<frontdoor_app::FieldError>)>,
    notice: &str,
) -> Result<Response, PageError> {
    let view = state.app.view_case_audit(&worker.actor(), id).await?;
    let c = &view.case;
    // The stored answers fill the answers form, unless that form was the one sent back.
    let form = match sent {
        Some((form, errors)) => {
            let answers_sent = form.0.iter().any(|(n, _)| n.starts_with("grade["));
            let mut state = FormState::sent(form, errors);
            if !answers_sent {
                state.values.extend(answer_values(&view));
            }
            state
        }
        None => FormState::filled(answer_values(&view)),
    };
    let today = london_date(state.app.now());
    let mut details = vec![
        (
            "Audit".to_string(),
            format!("{} ({})", c.audit_title, c.kind.label()),
        ),
        ("Tool".to_string(), c.tool_name.clone()),
        (
            "Team".to_string(),
            c.team_name.clone().unwrap_or_else(|| "No team".into()),
        ),
    ];
    if let Some(born) = c.birth_date {
        details.push(("Date of birth".to_string(), date(born)));
    }
    if let (Some(at), Some(by)) = (c.started_at, &c.started_by_name) {
        details.push(("Started".to_string(), format!("{}, by {by}", instant(at))));
    }
    if let (Some(at), Some(by)) = (c.completed_at, &c.completed_by_name) {
        details.push(("Completed".to_string(), format!("{}, by {by}", instant(at))));
    }
    let lines = |lines: &[frontdoor_app::SummaryLine]| {
        lines
            .iter()
            .map(|l| (date(l.on), l.what.clone()))
            .collect::<Vec<_>>()
    };
    let page = CaseAuditPage {
        chrome: Chrome::for_worker(state, worker, "/audits"),
        notice: notice.into(),
        id: id.to_string(),
        audit_href: format!("/audits/{}", c.audit),
        audit_title: c.audit_title.clone(),
        child_name: c.child_name.clone(),
        child_href: if view.as_partner {
            String::new()
        } else {
            format!("/people/{}", c.person)
        },
        state: c.state.label(),
        tag: state_tag(c.state),
        details,
        questions: view
            .answers
            .iter()
            .map(|a| QuestionRow {
                number: a.number,
                question: a.question.clone(),
                grade_field: format!("grade[{}]", a.number),
                comment_field: format!("comment[{}]", a.number),
                grade: a.grade.map(|g| g.label().to_string()).unwrap_or_default(),
                grade_tag: a.grade.map(grade_tag).unwrap_or(""),
                comment: a.comment.clone(),
                answered_by: a.answered_by_name.clone().unwrap_or_default(),
            })
            .collect(),
        grades: Choice::each(&Grade::ALL, |g| (g.code(), g.label())),
        overall: c
            .overall_grade
            .map(|g| g.label().to_string())
            .unwrap_or_default(),
        overall_tag: c.overall_grade.map(grade_tag).unwrap_or(""),
        findings: c.findings.clone(),
        contacts: lines(&view.summary.contacts),
        referrals: lines(&view.summary.referrals),
        assessments: lines(&view.summary.assessments),
        actions: view
            .actions
            .iter()
            .map(|a| ActionRow {
                id: a.id.to_string(),
                description: a.description.clone(),
                owner: a.owner_name.clone(),
                due: date(a.due_on),
                overdue: a.completed_on.is_none() && a.due_on < today,
                done: a.completed_on.map(date).unwrap_or_default(),
            })
            .collect(),
        owners: view
            .owners
            .iter()
            .map(|(id, name)| Choice::new(id.to_string(), name.clone()))
            .collect(),
        as_partner: view.as_partner,
        may_start: view.may_start,
        may_answer: view.may_answer,
        may_complete: view.may_complete,
        may_add_actions: view.may_add_actions,
        today: today.to_string(),
        form,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn case_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: CaseAuditId = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[
            ("started", "Case audit started."),
            ("saved", "Answers saved."),
            ("completed", "Case audit completed."),
            ("action", "Action added."),
            ("action-done", "Action marked done."),
        ],
    )
    .unwrap_or_default();
    case_page_response(&state, &worker, id, None, notice).await
}

pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: CaseAuditId = parse_id(&id)?;
    let result = state.app.start_case_audit(&worker.actor(), id).await;
    after_form(
        result,
        |_| format!("/audits/cases/{id}?done=started"),
        |errors| case_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

/// The answers form: a grade and a comment per question; the overall grade and findings when
/// the form has them (a partner auditor's has not).
fn answers_input(form: &FormData) -> CaseAuditAnswersInput {
    let mut answers = Vec::new();
    for (name, _) in &form.0 {
        let Some(number) = name
            .strip_prefix("comment[")
            .and_then(|n| n.strip_suffix(']'))
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        answers.push(GivenAnswerInput {
            number,
            grade: form.get(&format!("grade[{number}]")).into(),
            comment: form.get(name).into(),
        });
    }
    let has = |field: &str| form.0.iter().any(|(n, _)| n == field);
    CaseAuditAnswersInput {
        answers,
        overall_grade: has("findings").then(|| form.get("overall_grade").to_string()),
        findings: has("findings").then(|| form.get("findings").to_string()),
    }
}

pub async fn save_answers(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: CaseAuditId = parse_id(&id)?;
    let result = state
        .app
        .record_case_audit_answers(&worker.actor(), id, &answers_input(&form))
        .await;
    after_form(
        result,
        |_| format!("/audits/cases/{id}?done=saved#questions"),
        |errors| case_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

pub async fn complete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: CaseAuditId = parse_id(&id)?;
    let result = state.app.complete_case_audit(&worker.actor(), id).await;
    after_form(
        result,
        |_| format!("/audits/cases/{id}?done=completed"),
        |errors| case_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

pub async fn add_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: CaseAuditId = parse_id(&id)?;
    let input = AuditActionInput {
        description: form.get("description").into(),
        owner: form.get("owner").into(),
        due_on: form.get("due_on").into(),
    };
    let result = state
        .app
        .add_case_audit_action(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/audits/cases/{id}?done=action#actions"),
        |errors| case_page_response(&state, &worker, id, Some((form, errors)), ""),
    )
    .await
}

pub async fn action_done(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _form): SignedInForm,
) -> Result<Response, PageError> {
    let id: AuditActionId = parse_id(&id)?;
    let action = state
        .app
        .complete_case_audit_action(&worker.actor(), id)
        .await?;
    Ok(Redirect::to(&format!(
        "/audits/cases/{}?done=action-done#actions",
        action.case_audit
    ))
    .into_response())
}
