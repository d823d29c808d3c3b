//! Quality-assurance audits in the API: the tools, planning an audit (a named child, or a
//! sample by criteria), a sample from a list of children (a dashboard figure's drill-down),
//! the exception "decisions not authorised within one working day", an audit and its partner
//! auditors, a case audit (start, answers, completion, actions) and the summary report.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use frontdoor_app::{
    AppError, AuditActionInput, AuditInput, AuditListSampleInput, AuditToolInput,
    CaseAuditAnswersInput, InvitationInput,
};
use frontdoor_domain::case_audit::{AuditKind, AuditTheme, Grade};
use frontdoor_domain::ids::{AuditActionId, AuditId, CaseAuditId};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/audits", get(list).post(plan))
        .route("/audits/tools", get(tools).post(add_tool))
        .route("/audits/samples", post(sample_from_list))
        .route(
            "/audits/exceptions/decisions-not-authorised-in-one-working-day",
            get(decision_exceptions),
        )
        .route("/audits/report", get(report))
        .route("/audits/{id}", get(view))
        .route("/audits/{id}/invitations", post(invite))
        .route("/audits/cases/{id}", get(view_case).put(answer))
        .route("/audits/cases/{id}/start", post(start))
        .route("/audits/cases/{id}/completion", post(complete))
        .route("/audits/cases/{id}/actions", post(add_action))
        .route("/audits/actions/{id}/completion", post(action_done))
}

fn query(name: &'static str, description: &'static str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn codes<T>(all: &[T], code: impl Fn(&T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(code).collect()
}

pub(super) fn paths() -> Value {
    use describe::{get, post, put};
    let date = json!({ "type": "string", "format": "date" });
    describe::paths([
        get("/api/audits", "The audits, newest first, with how their cases were chosen and how many are completed; a partner auditor sees only those they are invited to")
            .ok("Audits"),
        post("/api/audits", "Plan an audit with a tool: of one named child (standard, multi_agency), or of sample_size children drawn with a recorded seed from those meeting the criteria (thematic: a period, perhaps a theme and a team); each case audit starts planned")
            .body("AuditInput")
            .created("The audit"),
        get("/api/audits/tools", "The audit tools: the built-in standard tool (the Ofsted letter's questions) first, then the authority's")
            .ok("Tools with their questions"),
        post("/api/audits/tools", "Add an audit tool: a name unique in the authority and its questions in order")
            .body("AuditToolInput")
            .created("The tool"),
        post("/api/audits/samples", "Plan a thematic audit of sample_size children drawn with a recorded seed from a list of children (for example a dashboard figure's), with where the list came from; 422 when a child listed is not the authority's record")
            .body("AuditListSampleInput")
            .created("The audit"),
        get("/api/audits/exceptions/decisions-not-authorised-in-one-working-day", "The children on contacts received in the period (London dates) whose threshold decision was not authorised within one working day: authorised after its due time, or still not authorised past it")
            .query(query("from", "First day", date.clone()))
            .query(query("to", "Last day", date.clone()))
            .ok("{ from, to, description, children: [person id] }"),
        get("/api/audits/report", "The audit summary: for one audit, or the audits planned in a period, the grades per question and overall of the completed cases, their findings, the actions outstanding and overdue, and the same per team (names children: access-logged)")
            .query(query("audit", "One audit's id", json!({ "type": "string", "format": "uuid" })))
            .query(query("from", "First day (default: a year ago)", date.clone()))
            .query(query("to", "Last day (default: today)", date))
            .ok("The report"),
        get("/api/audits/{id}", "An audit with its cases (access-logged) and its partner auditors; 404 for a partner not invited")
            .id("Audit id")
            .ok("The audit"),
        post("/api/audits/{id}/invitations", "Invite a partner agency practitioner to a multi-agency audit: they will see its case's summary and answer its questions, nothing else; 409 when already invited")
            .id("Audit id")
            .body("InvitationInput")
            .ok("The audit's partner auditors"),
        get("/api/audits/cases/{id}", "A case audit with its questions and answers, actions and the case's summary (access-logged); 404 for a partner auditor not invited to its multi-agency audit")
            .id("Case audit id")
            .ok("The case audit"),
        put("/api/audits/cases/{id}", "Save grades and comments (and the overall grade and findings) while the case audit is in progress; a partner auditor answers the questions only; 409 unless in progress")
            .id("Case audit id")
            .body("CaseAuditAnswersInput")
            .ok("The case audit"),
        post("/api/audits/cases/{id}/start", "Start a planned case audit; 409 with who started it when already started")
            .id("Case audit id")
            .ok("The case audit, in progress"),
        post("/api/audits/cases/{id}/completion", "Complete an in-progress case audit; 422 names each question not graded (grade[n]), the overall grade and the findings when missing; 409 with who completed it when already completed")
            .id("Case audit id")
            .ok("The completed case audit"),
        post("/api/audits/cases/{id}/actions", "Agree an action on a started case audit: what, its owner (a worker) and its due date (refused without one)")
            .id("Case audit id")
            .body("AuditActionInput")
            .created("The action"),
        post("/api/audits/actions/{id}/completion", "Mark an audit action done (an auditor, or its owner); 409 when already done")
            .id("Audit action id")
            .ok("The action"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "AuditInput": { "type": "object", "required": ["title", "kind"], "properties": {
            "title": { "type": "string" },
            "kind": { "type": "string", "enum": codes(&AuditKind::ALL, |k| k.code()) },
            "tool": { "type": "string", "format": "uuid", "description": "Blank: the built-in standard tool" },
            "child": { "type": "string", "format": "uuid", "description": "The child's record (standard and multi_agency)" },
            "theme": { "type": "string", "enum": codes(&AuditTheme::ALL, |t| t.code()), "description": "Thematic: blank for every child in the period" },
            "team": { "type": "string", "format": "uuid", "description": "Thematic: only this team's contacts" },
            "from": { "type": "string", "format": "date" },
            "to": { "type": "string", "format": "date" },
            "sample_size": { "type": "string", "description": "Thematic: how many children, 1 to 200" },
            "seed": { "type": "string", "description": "Thematic: a whole number (blank: one is drawn); the same seed and population draw the same sample" } } },
        "AuditListSampleInput": { "type": "object", "required": ["title", "source", "children", "sample_size"], "properties": {
            "title": { "type": "string" },
            "tool": { "type": "string", "format": "uuid" },
            "source": { "type": "string", "description": "Where the list came from, e.g. 'Decisions that breached one working day, 01/09/2026–30/11/2026'" },
            "children": { "type": "array", "items": { "type": "string", "format": "uuid" } },
            "sample_size": { "type": "string" },
            "seed": { "type": "string" } } },
        "AuditToolInput": { "type": "object", "required": ["name", "questions"], "properties": {
            "name": { "type": "string" },
            "description": { "type": "string" },
            "questions": { "type": "array", "items": { "type": "string" }, "maxItems": 40 } } },
        "InvitationInput": { "type": "object", "required": ["worker"], "properties": {
            "worker": { "type": "string", "format": "uuid", "description": "A partner agency practitioner" } } },
        "CaseAuditAnswersInput": { "type": "object", "properties": {
            "answers": { "type": "array", "items": { "type": "object", "required": ["number"], "properties": {
                "number": { "type": "integer", "minimum": 1 },
                "grade": { "type": "string", "enum": codes(&Grade::ALL, |g| g.code()), "description": "Blank: not graded" },
                "comment": { "type": "string" } } } },
            "overall_grade": { "type": "string", "enum": codes(&Grade::ALL, |g| g.code()) },
            "findings": { "type": "string" } } },
        "AuditActionInput": { "type": "object", "required": ["description", "owner", "due_on"], "properties": {
            "description": { "type": "string" },
            "owner": { "type": "string", "format": "uuid", "description": "A worker of the authority" },
            "due_on": { "type": "string", "format": "date", "description": "Required: an action without a due date is refused" } } }
    })
}

fn query_date(
    query: &HashMap<String, String>,
    name: &'static str,
) -> Result<Option<NaiveDate>, AppError> {
    match query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                AppError::invalid(name, format!("'{text}' is not a date: use 2026-04-01."))
            }),
    }
}

async fn list(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(StatusCode::OK, state.app.audits(&worker.actor()).await)
}

async fn plan(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<AuditInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state.app.plan_audit(&worker.actor(), &input).await,
    )
}

async fn tools(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(StatusCode::OK, state.app.audit_tools(&worker.actor()).await)
}

async fn add_tool(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<AuditToolInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state.app.create_audit_tool(&worker.actor(), &input).await,
    )
}

async fn sample_from_list(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<AuditListSampleInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .sample_audit_from_list(&worker.actor(), &input)
            .await,
    )
}

async fn decision_exceptions(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = match (query_date(&query, "from"), query_date(&query, "to")) {
        (Ok(Some(from)), Ok(Some(to))) => state
            .app
            .decisions_not_authorised_in_one_working_day(&worker.actor(), from, to)
            .await
            .map(|children| {
                json!({
                    "from": from,
                    "to": to,
                    "description": format!(
                        "{}, {}",
                        AuditTheme::DecisionsNotAuthorisedInOneWorkingDay.label(),
                        frontdoor_domain::case_audit::AuditPeriod { from, to }.words()
                    ),
                    "children": children,
                })
            }),
        (Err(e), _) | (_, Err(e)) => Err(e),
        _ => Err(AppError::invalid(
            "from",
            "Give the period: from and to (for example 2026-09-01 and 2026-11-30).",
        )),
    };
    api_result(StatusCode::OK, result)
}

async fn report(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let today = frontdoor_app::london_date(state.app.now());
    let audit = match query
        .get("audit")
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
    {
        None => Ok(None),
        Some(text) => text
            .parse::<AuditId>()
            .map(Some)
            .map_err(|_| AppError::NotFound("The audit")),
    };
    let result = match (audit, query_date(&query, "from"), query_date(&query, "to")) {
        (Ok(audit), Ok(from), Ok(to)) => {
            let from = from.unwrap_or_else(|| {
                today
                    .checked_sub_months(chrono::Months::new(12))
                    .unwrap_or(today)
            });
            state
                .app
                .audit_summary_report(&worker.actor(), audit, from, to.unwrap_or(today))
                .await
        }
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Err(e),
    };
    api_result(StatusCode::OK, result)
}

async fn view(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AuditId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_audit(&worker.actor(), id).await,
    )
}

async fn invite(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AuditId>,
    JsonBody(input): JsonBody<InvitationInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .invite_audit_partner(&worker.actor(), id, &input)
            .await,
    )
}

async fn view_case(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CaseAuditId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_case_audit(&worker.actor(), id).await,
    )
}

async fn answer(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CaseAuditId>,
    JsonBody(input): JsonBody<CaseAuditAnswersInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .record_case_audit_answers(&worker.actor(), id, &input)
            .await,
    )
}

async fn start(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CaseAuditId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.start_case_audit(&worker.actor(), id).await,
    )
}

async fn complete(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CaseAuditId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.complete_case_audit(&worker.actor(), id).await,
    )
}

async fn add_action(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CaseAuditId>,
    JsonBody(input): JsonBody<AuditActionInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .add_case_audit_action(&worker.actor(), id, &input)
            .await,
    )
}

async fn action_done(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AuditActionId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .complete_case_audit_action(&worker.actor(), id)
            .await,
    )
}
