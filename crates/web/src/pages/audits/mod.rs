//! Quality-assurance audits: the list of audits, planning one (a named child, or a sample by
//! criteria), an audit with its cases and (multi-agency) its partner auditors, the audit tools,
//! and the summary report. One child's case audit is in [`case`].

pub mod case;

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
use frontdoor_app::{london_date, Audit, AuditInput, AuditToolInput, InvitationInput, SignedIn};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::case_audit::{AuditKind, AuditTheme, CaseAuditState, Grade};
use frontdoor_domain::ids::AuditId;
use std::collections::HashMap;

/// The GOV.UK tag colour for a case audit's state.
pub fn state_tag(state: CaseAuditState) -> &'static str {
    match state {
        CaseAuditState::Planned => "govuk-tag--grey",
        CaseAuditState::InProgress => "govuk-tag--blue",
        CaseAuditState::Completed => "govuk-tag--green",
    }
}

/// The GOV.UK tag colour for a grade.
pub fn grade_tag(grade: Grade) -> &'static str {
    match grade {
        Grade::Outstanding => "govuk-tag--green",
        Grade::Good => "govuk-tag--turquoise",
        Grade::RequiresImprovement => "govuk-tag--yellow",
        Grade::Inadequate => "govuk-tag--red",
    }
}

/// An audit in the list.
pub struct AuditRow {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub selection: String,
    pub progress: String,
    pub planned: String,
}

impl AuditRow {
    fn of(a: &Audit) -> Self {
        AuditRow {
            href: format!("/audits/{}", a.id),
            title: a.title.clone(),
            kind: a.kind.label(),
            selection: a.selection.clone(),
            progress: format!("{} of {} completed", a.cases_completed, a.cases),
            planned: format!("{}, by {}", instant(a.created_at), a.created_by_name),
        }
    }
}

#[derive(Template)]
#[template(path = "audits/index.html")]
pub struct AuditsPage {
    pub chrome: Chrome,
    pub rows: Vec<AuditRow>,
    pub may_plan: bool,
    pub may_tools: bool,
}

pub async fn index(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let audits = state.app.audits(&worker.actor()).await?;
    Ok(render(&AuditsPage {
        chrome: Chrome::for_worker(&state, &worker, "/audits"),
        rows: audits.iter().map(AuditRow::of).collect(),
        may_plan: can(&worker, Action::ConductCaseAudits),
        may_tools: can(&worker, Action::ManageAuditTools),
    }))
}

#[derive(Template)]
#[template(path = "audits/new.html")]
pub struct PlanPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub kinds: Vec<Choice>,
    pub tools: Vec<Choice>,
    pub themes: Vec<Choice>,
    pub teams: Vec<Choice>,
}

async fn plan_page_response(
    state: &AppState,
    worker: &SignedIn,
    form: FormState,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let tools = state.app.audit_tools(&actor).await?;
    let teams = state.app.teams(&actor).await?;
    let page = PlanPage {
        chrome: Chrome::for_worker(state, worker, "/audits"),
        kinds: Choice::each(&AuditKind::ALL, |k| (k.code(), k.label())),
        tools: tools
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone()))
            .collect(),
        themes: Choice::each(&AuditTheme::ALL, |t| (t.code(), t.label())),
        teams: teams
            .iter()
            .filter(|t| t.retired_at.is_none())
            .map(|t| Choice::new(t.id.to_string(), t.name.clone()))
            .collect(),
        form,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn plan_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let today = london_date(state.app.now());
    // A child's record offers "Audit this case" with ?child=ID; by default, the last quarter.
    let mut values = vec![
        ("kind".to_string(), "thematic".to_string()),
        (
            "tool".to_string(),
            frontdoor_domain::case_audit::STANDARD_TOOL_ID.to_string(),
        ),
        (
            "from".to_string(),
            NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
                .and_then(|d| d.checked_sub_months(chrono::Months::new(3)))
                .unwrap_or(today)
                .to_string(),
        ),
        ("to".to_string(), today.to_string()),
        ("sample_size".to_string(), "10".to_string()),
    ];
    if let Some(child) = query
        .get("child")
        .filter(|c| c.parse::<frontdoor_domain::ids::PersonId>().is_ok())
    {
        values.retain(|(k, _)| k != "kind");
        values.push(("kind".into(), "standard".into()));
        values.push(("child".into(), child.clone()));
    }
    plan_page_response(&state, &worker, FormState::filled(values)).await
}

fn audit_input(form: &FormData) -> AuditInput {
    AuditInput {
        title: form.get("title").into(),
        kind: form.get("kind").into(),
        tool: form.get("tool").into(),
        child: form.get("child").into(),
        theme: form.get("theme").into(),
        team: form.get("team").into(),
        from: form.get("from").into(),
        to: form.get("to").into(),
        sample_size: form.get("sample_size").into(),
        seed: form.get("seed").into(),
    }
}

pub async fn plan(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let result = state
        .app
        .plan_audit(&worker.actor(), &audit_input(&form))
        .await;
    after_form(
        result,
        |a| format!("/audits/{}?done=planned", a.id),
        |errors| plan_page_response(&state, &worker, FormState::sent(form, errors)),
    )
    .await
}

/// A case in an audit's table.
pub struct CaseRow {
    pub href: String,
    pub child_name: String,
    pub team: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub grade: String,
    pub grade_tag: &'static str,
}

#[derive(Template)]
#[template(path = "audits/audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    pub id: String,
    pub title: String,
    pub details: Vec<(String, String)>,
    pub cases: Vec<CaseRow>,
    pub multi_agency: bool,
    pub as_partner: bool,
    /// (name, organisation)
    pub invited: Vec<(String, String)>,
    pub partners: Vec<Choice>,
}

async fn audit_page_response(
    state: &AppState,
    worker: &SignedIn,
    id: AuditId,
    form: FormState,
    notice: &str,
) -> Result<Response, PageError> {
    let view = state.app.view_audit(&worker.actor(), id).await?;
    let a = &view.audit;
    let mut details = vec![
        ("Kind".to_string(), a.kind.label().to_string()),
        ("Tool".to_string(), a.tool_name.clone()),
        ("Cases chosen from".to_string(), a.selection.clone()),
    ];
    if !view.as_partner {
        if let Some(seed) = &a.seed {
            details.push((
                "Sample".to_string(),
                format!(
                    "{} of {} children, drawn with seed {seed} (the same seed and the same children draw the same sample)",
                    a.sample_size, a.population
                ),
            ));
        }
        details.push((
            "Planned".to_string(),
            format!("{}, by {}", instant(a.created_at), a.created_by_name),
        ));
    }
    let page = AuditPage {
        chrome: Chrome::for_worker(state, worker, "/audits"),
        notice: notice.into(),
        id: id.to_string(),
        title: a.title.clone(),
        details,
        cases: view
            .cases
            .iter()
            .map(|c| CaseRow {
                href: format!("/audits/cases/{}", c.id),
                child_name: c.child_name.clone(),
                team: c.team_name.clone().unwrap_or_else(|| "No team".into()),
                state: c.state.label(),
                tag: state_tag(c.state),
                grade: c
                    .overall_grade
                    .map(|g| g.label().to_string())
                    .unwrap_or_default(),
                grade_tag: c.overall_grade.map(grade_tag).unwrap_or(""),
            })
            .collect(),
        multi_agency: a.kind == AuditKind::MultiAgency,
        as_partner: view.as_partner,
        invited: view
            .invitations
            .iter()
            .map(|i| (i.worker_name.clone(), i.organisation_name.clone()))
            .collect(),
        partners: view
            .partners
            .iter()
            .map(|(id, name)| Choice::new(id.to_string(), name.clone()))
            .collect(),
        form,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn audit_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: AuditId = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[
            ("planned", "Audit planned: each case is ready to start."),
            ("invited", "Partner auditor invited."),
        ],
    )
    .unwrap_or_default();
    audit_page_response(&state, &worker, id, FormState::default(), notice).await
}

pub async fn invite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: AuditId = parse_id(&id)?;
    let input = InvitationInput {
        worker: form.get("worker").into(),
    };
    let result = state
        .app
        .invite_audit_partner(&worker.actor(), id, &input)
        .await;
    after_form(
        result,
        |_| format!("/audits/{id}?done=invited#partners"),
        |errors| audit_page_response(&state, &worker, id, FormState::sent(form, errors), ""),
    )
    .await
}

#[derive(Template)]
#[template(path = "audits/tools.html")]
pub struct ToolsPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    /// (name, description, questions, built in)
    pub tools: Vec<(String, String, Vec<String>, bool)>,
    pub may_add: bool,
}

async fn tools_page_response(
    state: &AppState,
    worker: &SignedIn,
    form: FormState,
    notice: &str,
) -> Result<Response, PageError> {
    let tools = state.app.audit_tools(&worker.actor()).await?;
    let page = ToolsPage {
        chrome: Chrome::for_worker(state, worker, "/audits"),
        notice: notice.into(),
        tools: tools
            .into_iter()
            .map(|t| (t.name, t.description, t.questions, t.built_in))
            .collect(),
        may_add: can(worker, Action::ManageAuditTools),
        form,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn tools_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[("added", "Audit tool added.")],
    )
    .unwrap_or_default();
    tools_page_response(&state, &worker, FormState::default(), notice).await
}

pub async fn add_tool(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let input = AuditToolInput {
        name: form.get("name").into(),
        description: form.get("description").into(),
        questions: vec![form.get("questions").to_string()],
    };
    let result = state.app.create_audit_tool(&worker.actor(), &input).await;
    after_form(
        result,
        |_| "/audits/tools?done=added".to_string(),
        |errors| tools_page_response(&state, &worker, FormState::sent(form, errors), ""),
    )
    .await
}

/// A grade distribution ready to show: (label, count, tag).
type Distribution = Vec<(&'static str, usize, &'static str)>;

fn shown(counts: &[frontdoor_app::GradeCount]) -> Distribution {
    counts
        .iter()
        .map(|c| (c.label, c.count, grade_tag(c.grade)))
        .collect()
}

/// "Good: 2; Requires improvement: 1" (the grades given, none when nothing is).
fn grade_words(counts: &[frontdoor_app::GradeCount]) -> String {
    counts
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| format!("{}: {}", c.label, c.count))
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Template)]
#[template(path = "audits/report.html")]
pub struct ReportPage {
    pub chrome: Chrome,
    pub audit: String,
    pub from: String,
    pub to: String,
    pub heading: String,
    pub cases: usize,
    pub completed: usize,
    pub grades: Vec<&'static str>,
    /// (question, counts in grade order)
    pub questions: Vec<(String, Vec<usize>)>,
    pub overall: Distribution,
    /// (child, href, team, grade, findings)
    pub findings: Vec<(String, String, String, String, String)>,
    pub actions_outstanding: usize,
    pub actions_overdue: usize,
    /// (child, href, action, owner, due, overdue)
    pub outstanding: Vec<(String, String, String, String, String, bool)>,
    /// (team, cases, completed, overall grades in words, outstanding, overdue)
    pub teams: Vec<(String, usize, usize, String, usize, usize)>,
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
    let from = parse("from").unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(today.year() - 1, today.month(), 1).unwrap_or(today)
    });
    let to = parse("to").unwrap_or(today);
    let audit = match query
        .get("audit")
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
    {
        Some(text) => Some(parse_id::<AuditId>(text)?),
        None => None,
    };
    let report = state
        .app
        .audit_summary_report(&actor, audit, from, to)
        .await?;
    let today_date = today;
    Ok(render(&ReportPage {
        chrome: Chrome::for_worker(&state, &worker, "/audits"),
        audit: audit.map(|a| a.to_string()).unwrap_or_default(),
        from: from.to_string(),
        to: to.to_string(),
        heading: match &report.audit {
            Some(a) => a.title.clone(),
            None => format!("Audits planned {} to {}", date(from), date(to)),
        },
        cases: report.cases,
        completed: report.completed,
        grades: Grade::ALL.iter().map(|g| g.label()).collect(),
        questions: report
            .questions
            .iter()
            .map(|q| {
                (
                    q.question.clone(),
                    q.grades.iter().map(|g| g.count).collect(),
                )
            })
            .collect(),
        overall: shown(&report.overall),
        findings: report
            .findings
            .iter()
            .map(|f| {
                (
                    f.child_name.clone(),
                    format!("/audits/cases/{}", f.case_audit),
                    f.team_name.clone(),
                    f.overall_grade
                        .map(|g| g.label().to_string())
                        .unwrap_or_default(),
                    f.findings.clone(),
                )
            })
            .collect(),
        actions_outstanding: report.actions_outstanding,
        actions_overdue: report.actions_overdue,
        outstanding: report
            .outstanding
            .iter()
            .map(|a| {
                (
                    a.child_name.clone(),
                    format!("/audits/cases/{}", a.case_audit),
                    a.description.clone(),
                    a.owner_name.clone(),
                    date(a.due_on),
                    a.due_on < today_date,
                )
            })
            .collect(),
        teams: report
            .teams
            .iter()
            .map(|t| {
                (
                    t.team_name.clone(),
                    t.cases,
                    t.completed,
                    grade_words(&t.overall),
                    t.actions_outstanding,
                    t.actions_overdue,
                )
            })
            .collect(),
    }))
}
