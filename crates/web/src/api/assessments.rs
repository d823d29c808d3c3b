//! Child and family assessments in the API: start one on an episode, read it with the child's
//! history, record visits and the assessment, submit it, authorise or return it; the open list
//! and the quality report.

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
    AppError, AssessmentInput, AssessmentListScope, AssessmentReturnInput,
    AssessmentSubmissionInput, AssessmentVisitInput,
};
use frontdoor_domain::assessment::{AssessmentOutcome, QualityPoint, ASSESSMENT_FACTORS};
use frontdoor_domain::ids::{AssessmentId, EpisodeId};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/episodes/{id}/assessments", post(start))
        .route("/assessments", get(list))
        .route("/assessments/quality-report", get(report))
        .route("/assessments/{id}", get(view).put(update))
        .route("/assessments/{id}/visits", post(visit))
        .route("/assessments/{id}/submission", post(submit))
        .route("/assessments/{id}/authorisation", post(authorise))
        .route("/assessments/{id}/return", post(return_to_worker))
}

fn query(name: &'static str, description: &'static str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

pub(super) fn paths() -> Value {
    use describe::{get, post, put};
    describe::paths([
        post("/api/episodes/{id}/assessments", "Start a child and family assessment on an open episode: due 45 working days from the referral date, flagged as a repeat when another assessment of the child started in the 12 months before; 409 while one on the episode is open")
            .id("Episode id")
            .created("The assessment"),
        get("/api/assessments", "Assessments not yet authorised, soonest due first: one's own (mine), one's team's (team) or the authority's (all), optionally only the overdue")
            .query(query("scope", "mine, team or all", json!({ "type": "string", "enum": ["mine", "team", "all"] })))
            .query(query("overdue", "1 for overdue only", json!({ "type": "string", "enum": ["1"] })))
            .ok("Assessments with working_days_left and overdue"),
        get("/api/assessments/quality-report", "For a period (London dates), team by team: assessments started and repeats among them, and every quality point submitted without with its reason")
            .query(query("from", "First day (default: a year ago)", json!({ "type": "string", "format": "date" })))
            .query(query("to", "Last day (default: today)", json!({ "type": "string", "format": "date" })))
            .ok("The report"),
        get("/api/assessments/{id}", "One assessment with its visits, the quality points it does not yet show, the reasons recorded, working days left, and the child's previous contacts, referrals and assessments (audited)")
            .id("Assessment id")
            .ok("The assessment"),
        put("/api/assessments/{id}", "Save what the worker has written while the assessment is in progress (blank fields are saved blank); 409 once submitted")
            .id("Assessment id")
            .body("AssessmentInput")
            .ok("The assessment"),
        post("/api/assessments/{id}/visits", "Record a visit while the assessment is in progress: the date, whether the child was seen, and seen alone; 409 once submitted")
            .id("Assessment id")
            .body("AssessmentVisitInput")
            .ok("The assessment"),
        post("/api/assessments/{id}/submission", "Submit for a manager's authorisation; 422 names each quality point not shown without a reason (reasons[point]), and the factors and outcome when not chosen; nothing is stored then")
            .id("Assessment id")
            .body("AssessmentSubmissionInput")
            .ok("The assessment, awaiting authorisation"),
        post("/api/assessments/{id}/authorisation", "A manager of the team (not the one who submitted it) authorises a submitted assessment; 409 with who decided first when it was already authorised or returned")
            .id("Assessment id")
            .ok("The authorised assessment"),
        post("/api/assessments/{id}/return", "A manager of the team returns a submitted assessment to the worker with what to put right; 409 when already decided")
            .id("Assessment id")
            .body("AssessmentReturnInput")
            .ok("The assessment, in progress again"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "AssessmentInput": { "type": "object", "properties": {
            "child_views": { "type": "string", "description": "The child's views, wishes and feelings (direct work)" },
            "history_considered": { "type": "string", "description": "How the child's history and chronology informed the assessment" },
            "family_considered": { "type": "string", "description": "Extended family, fathers and significant adults considered" },
            "verification_sources": { "type": "string", "description": "Sources information was verified with, one per line; the parents' own account does not count" },
            "factors": { "type": "array", "items": { "type": "string", "enum": ASSESSMENT_FACTORS.iter().map(|(c, _)| *c).collect::<Vec<_>>() }, "description": "DfE CIN census assessment factor codes; 21 (no factors identified) alone" },
            "outcome": { "type": "string", "enum": AssessmentOutcome::ALL.iter().map(|o| o.code()).collect::<Vec<_>>() } } },
        "AssessmentVisitInput": { "type": "object", "required": ["visited_on"], "properties": {
            "visited_on": { "type": "string", "format": "date", "description": "Not before the referral date, not in the future" },
            "child_seen": { "type": "boolean" },
            "seen_alone": { "type": "boolean", "description": "Only with child_seen" },
            "note": { "type": "string" } } },
        "AssessmentSubmissionInput": { "type": "object", "properties": {
            "reasons": { "type": "object", "description": "A reason (at least 10 characters) for each quality point not shown, by point",
                "propertyNames": { "enum": QualityPoint::ALL.iter().map(|p| p.code()).collect::<Vec<_>>() },
                "additionalProperties": { "type": "string" } } } },
        "AssessmentReturnInput": { "type": "object", "required": ["reason"], "properties": {
            "reason": { "type": "string", "minLength": 10 } } }
    })
}

async fn start(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EpisodeId>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state.app.start_assessment(&worker.actor(), id).await,
    )
}

async fn list(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let scope = match query.get("scope").map(|s| s.trim()).unwrap_or("mine") {
        "mine" | "" => Ok(AssessmentListScope::Mine),
        "team" => Ok(AssessmentListScope::Team),
        "all" => Ok(AssessmentListScope::All),
        other => Err(AppError::invalid(
            "scope",
            format!("'{other}' is not a scope: use mine, team or all."),
        )),
    };
    let overdue = query.get("overdue").is_some_and(|v| v == "1");
    let result = match scope {
        Ok(scope) => state.app.assessments(&worker.actor(), scope, overdue).await,
        Err(e) => Err(e),
    };
    api_result(StatusCode::OK, result)
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

async fn report(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let today = frontdoor_app::london_date(state.app.now());
    let result = match (query_date(&query, "from"), query_date(&query, "to")) {
        (Ok(from), Ok(to)) => {
            let from = from.unwrap_or_else(|| {
                today
                    .checked_sub_months(chrono::Months::new(12))
                    .unwrap_or(today)
            });
            state
                .app
                .assessment_quality_report(&worker.actor(), from, to.unwrap_or(today))
                .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    api_result(StatusCode::OK, result)
}

async fn view(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AssessmentId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_assessment(&worker.actor(), id).await,
    )
}

async fn update(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AssessmentId>,
    JsonBody(input): JsonBody<AssessmentInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .update_assessment(&worker.actor(), id, &input)
            .await,
    )
}

async fn visit(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AssessmentId>,
    JsonBody(input): JsonBody<AssessmentVisitInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .record_assessment_visit(&worker.actor(), id, &input)
            .await,
    )
}

async fn submit(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AssessmentId>,
    JsonBody(input): JsonBody<AssessmentSubmissionInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .submit_assessment(&worker.actor(), id, &input)
            .await,
    )
}

async fn authorise(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AssessmentId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.authorise_assessment(&worker.actor(), id).await,
    )
}

async fn return_to_worker(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<AssessmentId>,
    JsonBody(input): JsonBody<AssessmentReturnInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .return_assessment(&worker.actor(), id, &input)
            .await,
    )
}
