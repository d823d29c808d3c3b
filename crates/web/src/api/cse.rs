//! Child sexual exploitation screening in the API: record and read a screening, start the safety
//! plan it needs, the risk management group's list and its reviews.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::{CseReviewInput, CseScreeningInput, SafetyPlanInput};
use frontdoor_domain::cse::{Answer, CseLevel, INDICATORS};
use frontdoor_domain::ids::{CseScreeningId, PersonId};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/cse-screenings", post(record_screening))
        .route("/cse-screenings/{id}", get(view_screening))
        .route("/cse-screenings/{id}/safety-plans", post(start_plan))
        .route("/cse-screenings/{id}/reviews", post(record_review))
        .route("/risk-management-group", get(group))
}

pub(super) fn paths() -> Value {
    use describe::{get, post};
    describe::paths([
        post("/api/people/{id}/cse-screenings", "Record a completed child sexual exploitation screening (every indicator answered); 422 names each gap or a judgement that would lower the level. Medium and high risk get the risk management group's review date")
            .id("Person id (the child)")
            .body("CseScreeningInput")
            .created("The screening, with its level and review date"),
        get("/api/cse-screenings/{id}", "A CSE screening with its answers (audited)")
            .id("CSE screening id")
            .ok("The screening"),
        post("/api/cse-screenings/{id}/safety-plans", "Start the safety plan a screening needs (never a written agreement); its actions must answer each identified indicator before sign-off")
            .id("CSE screening id")
            .body("SafetyPlanInput")
            .created("The plan, with the indicators it must answer and what is missing"),
        post("/api/cse-screenings/{id}/reviews", "The risk management group reviews a child at medium or high risk and sets the next review; 409 when someone else reviewed first or a newer screening exists")
            .id("CSE screening id")
            .body("CseReviewInput")
            .created("The review"),
        get("/api/risk-management-group", "Children whose latest CSE screening is medium or high risk, with screening and review dates and overdue reviews")
            .query(json!({ "name": "level", "in": "query", "schema": { "type": "string", "enum": [CseLevel::Medium.code(), CseLevel::High.code()] } }))
            .ok("The risk management group's list"),
    ])
}

pub(super) fn schemas() -> Value {
    let codes: Vec<&str> = INDICATORS.iter().map(|i| i.code).collect();
    let answers: Vec<&str> = Answer::ALL.iter().map(|a| a.code()).collect();
    json!({
        "CseScreeningInput": { "type": "object", "required": ["answers"], "properties": {
            "contact": { "type": "string", "format": "uuid", "description": "The contact raising CSE it answers" },
            "answers": { "type": "object", "description": "Every indicator's code to its answer",
                "propertyNames": { "enum": codes },
                "additionalProperties": { "type": "string", "enum": answers } },
            "notes": { "type": "object", "additionalProperties": { "type": "string" } },
            "judgement_level": { "type": "string", "enum": [CseLevel::Low.code(), CseLevel::Medium.code(), CseLevel::High.code()] },
            "judgement_reason": { "type": "string" } } },
        "CseReviewInput": { "type": "object", "required": ["next_review_on", "notes"], "properties": {
            "previous_review_on": { "type": "string", "format": "date", "description": "The review date the reviewer saw" },
            "next_review_on": { "type": "string", "format": "date" },
            "notes": { "type": "string" } } },
    })
}

async fn record_screening(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
    JsonBody(input): JsonBody<CseScreeningInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_cse_screening(&worker.actor(), id, &input)
            .await,
    )
}

async fn view_screening(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CseScreeningId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_cse_screening(&worker.actor(), id).await,
    )
}

async fn start_plan(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CseScreeningId>,
    JsonBody(input): JsonBody<SafetyPlanInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .create_cse_safety_plan(&worker.actor(), id, &input)
            .await,
    )
}

async fn record_review(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<CseScreeningId>,
    JsonBody(input): JsonBody<CseReviewInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_cse_review(&worker.actor(), id, &input)
            .await,
    )
}

async fn group(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .risk_management_group(&worker.actor(), query.get("level").map(String::as_str))
            .await,
    )
}
