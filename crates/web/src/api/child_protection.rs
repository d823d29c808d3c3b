//! Section 47 enquiries, conferences and child protection plans in the API.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::{
    ConferenceInput, EnquiryOutcomeInput, EnquiryVisitInput, PlanEndInput, PlanVisitInput,
};
use frontdoor_domain::child_protection::CategoryOfAbuse;
use frontdoor_domain::ids::{ConferenceId, EnquiryId, PlanId, StrategyDiscussionId};
use serde_json::{json, Value};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/strategy-discussions/{id}/section-47", post(start))
        .route("/section-47/{id}/visits", post(visit))
        .route("/section-47/{id}/outcome", post(outcome))
        .route("/conferences/{id}", get(conference).post(hold))
        .route("/plans/{id}", get(plan))
        .route("/plans/{id}/visits", post(plan_visit))
        .route("/plans/{id}/end", post(end))
}

pub(super) fn paths() -> Value {
    use describe::{get, post};
    describe::paths([
        post("/api/strategy-discussions/{id}/section-47", "Start the section 47 enquiry a signed-off strategy discussion decided on (one per discussion; 409 for a second)")
            .id("Strategy discussion id")
            .created("The enquiry, with the ICPC due date"),
        post("/api/section-47/{id}/visits", "Record a visit; one before the strategy discussion agreed the plan is flagged and needs early_visit_reason")
            .id("Enquiry id")
            .body("EnquiryVisitInput")
            .created("The record"),
        post("/api/section-47/{id}/outcome", "Record the enquiry's outcome; an ICPC needed is scheduled 15 working days after the strategy discussion")
            .id("Enquiry id")
            .body("EnquiryOutcomeInput")
            .ok("The record"),
        get("/api/conferences/{id}", "A child protection conference (initial or review)")
            .id("Conference id")
            .ok("Conference"),
        post("/api/conferences/{id}", "Record a conference as held: an ICPC with a plan starts it (first review due within 3 months); a review continues (next within 6 months) or ends it")
            .id("Conference id")
            .body("ConferenceInput")
            .ok("Conference"),
        get("/api/plans/{id}", "A child protection plan with its reviews, visits and next due dates")
            .id("Plan id")
            .ok("Plan"),
        post("/api/plans/{id}/visits", "Record a statutory visit (seen alone or not)")
            .id("Plan id")
            .body("PlanVisitInput")
            .created("The record"),
        post("/api/plans/{id}/end", "End a plan outside a review conference")
            .id("Plan id")
            .body("PlanEndInput")
            .ok("The record"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "EnquiryVisitInput": { "type": "object", "required": ["visited_date", "visited_time", "visited_by", "child_seen"], "properties": {
            "visited_date": { "type": "string", "format": "date" }, "visited_time": { "type": "string", "description": "London time, HH:MM" },
            "visited_by": { "type": "string" }, "child_seen": { "type": "boolean" }, "seen_alone": { "type": "boolean" },
            "early_visit_reason": { "type": "string", "description": "Required when the visit was before the strategy discussion agreed the plan" } } },
        "EnquiryOutcomeInput": { "type": "object", "required": ["concerns_substantiated", "icpc_needed", "reason"], "properties": {
            "concerns_substantiated": { "type": "boolean" }, "icpc_needed": { "type": "boolean" },
            "reason": { "type": "string", "minLength": 10 }, "completed_on": { "type": "string", "format": "date" } } },
        "ConferenceInput": { "type": "object", "required": ["held_on", "chair", "plan"], "properties": {
            "held_on": { "type": "string", "format": "date" }, "chair": { "type": "string" },
            "plan": { "type": "boolean", "description": "Initial: the child is to have a plan. Review: the plan continues." },
            "category": { "type": "string", "enum": CategoryOfAbuse::ALL.iter().map(|c| c.code()).collect::<Vec<_>>() } } },
        "PlanVisitInput": { "type": "object", "required": ["visited_on", "seen_alone"], "properties": {
            "visited_on": { "type": "string", "format": "date" }, "seen_alone": { "type": "boolean" } } },
        "PlanEndInput": { "type": "object", "required": ["ended_on", "reason"], "properties": {
            "ended_on": { "type": "string", "format": "date" }, "reason": { "type": "string", "minLength": 10 } } }
    })
}

async fn start(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<StrategyDiscussionId>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state.app.start_section_47(&worker.actor(), id).await,
    )
}

async fn visit(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EnquiryId>,
    JsonBody(input): JsonBody<EnquiryVisitInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_section_47_visit(&worker.actor(), id, &input)
            .await,
    )
}

async fn outcome(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EnquiryId>,
    JsonBody(input): JsonBody<EnquiryOutcomeInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .complete_section_47(&worker.actor(), id, &input)
            .await,
    )
}

async fn conference(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<ConferenceId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_conference(&worker.actor(), id).await,
    )
}

async fn hold(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<ConferenceId>,
    JsonBody(input): JsonBody<ConferenceInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .record_conference(&worker.actor(), id, &input)
            .await,
    )
}

async fn plan(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PlanId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_plan(&worker.actor(), id).await,
    )
}

async fn plan_visit(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PlanId>,
    JsonBody(input): JsonBody<PlanVisitInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_plan_visit(&worker.actor(), id, &input)
            .await,
    )
}

async fn end(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PlanId>,
    JsonBody(input): JsonBody<PlanEndInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .end_protection_plan(&worker.actor(), id, &input)
            .await,
    )
}
