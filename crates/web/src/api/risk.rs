//! Risk tools and safety plans in the API: a child's risk and what is still required, the DASH
//! checklist, and safety plans (start, read, write up, sign off).

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::{DashInput, SafetyPlanInput};
use frontdoor_domain::dash::{Answer, DashLevel};
use frontdoor_domain::ids::{DashAssessmentId, PersonId, SafetyPlanId};
use frontdoor_domain::safety_plan::PlanKind;
use serde_json::{json, Value};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/risk", get(child_risk))
        .route("/people/{id}/dash-assessments", post(record_dash))
        .route("/dash-assessments/{id}", get(view_dash))
        .route("/people/{id}/safety-plans", post(start_plan))
        .route("/safety-plans/{id}", get(view_plan).put(record_plan))
        .route("/safety-plans/{id}/sign-off", post(sign_off_plan))
}

pub(super) fn paths() -> Value {
    use describe::{get, post, put};
    describe::paths([
        get("/api/people/{id}/risk", "A child's DASH checklists, safety plans and written agreements, with what is still required (audited)")
            .id("Person id (the child)")
            .ok("The child's risk and safety"),
        post("/api/people/{id}/dash-assessments", "Record a completed DASH risk checklist (24 answers); 422 names each gap, a judgement that would lower the level, or a MARAC referral not answered when the risk is high or escalating")
            .id("Person id (the child)")
            .body("DashInput")
            .created("The DASH assessment, with its score, level and escalation"),
        get("/api/dash-assessments/{id}", "A DASH assessment with its answers (audited)")
            .id("DASH assessment id")
            .ok("The DASH assessment"),
        post("/api/people/{id}/safety-plans", "Start a safety plan (or record a written agreement, which never meets a safety-plan requirement) as a draft")
            .id("Person id (the child)")
            .body("SafetyPlanStart")
            .created("The plan, with what is missing before sign-off"),
        get("/api/safety-plans/{id}", "A safety plan or written agreement, with what is missing before sign-off (audited)")
            .id("Safety plan id")
            .ok("The plan"),
        put("/api/safety-plans/{id}", "Write up a draft plan (replaces it); 409 once signed off")
            .id("Safety plan id")
            .body("SafetyPlanInput")
            .ok("The plan, with what is missing"),
        post("/api/safety-plans/{id}/sign-off", "A team manager signs off a complete plan they did not write; 422 names each missing part, 409 when already signed off")
            .id("Safety plan id")
            .ok("The signed-off plan"),
    ])
}

pub(super) fn schemas() -> Value {
    let plan_properties = json!({
        "kind": { "type": "string", "enum": PlanKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>() },
        "concerns": { "type": "string" },
        "review_on": { "type": "string", "format": "date" },
        "actions": { "type": "array", "items": { "type": "object", "properties": {
            "description": { "type": "string" }, "owner": { "type": "string" },
            "due_on": { "type": "string", "format": "date" },
            "answers": { "type": "array", "items": { "type": "string" } } } } }
    });
    let mut start = plan_properties.clone();
    start["dash_assessment"] = json!({ "type": "string", "format": "uuid", "description": "The DASH assessment that prompted it" });
    json!({
        "DashInput": { "type": "object", "required": ["victim_name", "victim_relationship", "incident_on", "answers"], "properties": {
            "contact": { "type": "string", "format": "uuid", "description": "The contact about domestic abuse it answers" },
            "victim_name": { "type": "string" },
            "victim_relationship": { "type": "string" },
            "incident_on": { "type": "string", "format": "date" },
            "answers": { "type": "array", "minItems": 24, "maxItems": 24, "items": { "type": "string", "enum": Answer::ALL.iter().map(|a| a.code()).collect::<Vec<_>>() } },
            "comments": { "type": "array", "maxItems": 24, "items": { "type": "string" } },
            "judgement_level": { "type": "string", "enum": [DashLevel::Medium.code(), DashLevel::High.code()] },
            "judgement_reason": { "type": "string" },
            "marac_referred": { "type": "string", "enum": ["yes", "no"] },
            "marac_referred_on": { "type": "string", "format": "date" },
            "marac_reason_not": { "type": "string" } } },
        "SafetyPlanInput": { "type": "object", "required": ["kind"], "properties": plan_properties },
        "SafetyPlanStart": { "type": "object", "required": ["kind"], "properties": start },
    })
}

/// A new plan: what prompted it, and the plan as typed.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct SafetyPlanStart {
    dash_assessment: Option<DashAssessmentId>,
    #[serde(flatten)]
    plan: SafetyPlanInput,
}

async fn child_risk(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.child_risk(&worker.actor(), id).await,
    )
}

async fn record_dash(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
    JsonBody(input): JsonBody<DashInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_dash_assessment(&worker.actor(), id, &input)
            .await,
    )
}

async fn view_dash(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<DashAssessmentId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_dash_assessment(&worker.actor(), id).await,
    )
}

async fn start_plan(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
    JsonBody(input): JsonBody<SafetyPlanStart>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .create_safety_plan(&worker.actor(), id, input.dash_assessment, &input.plan)
            .await,
    )
}

async fn view_plan(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<SafetyPlanId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_safety_plan(&worker.actor(), id).await,
    )
}

async fn record_plan(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<SafetyPlanId>,
    JsonBody(input): JsonBody<SafetyPlanInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .record_safety_plan(&worker.actor(), id, &input)
            .await,
    )
}

async fn sign_off_plan(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<SafetyPlanId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.sign_off_safety_plan(&worker.actor(), id).await,
    )
}
