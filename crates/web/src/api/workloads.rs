//! Workloads in the API: caseloads by team and worker, weighted by stage, with the ASYE
//! protected caseload and the overrides of it; and the authority's workload rules.

use super::describe;
use super::{api_result, number_text, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use frontdoor_app::{ActingAs, AppError, WorkloadRulesInput};
use frontdoor_domain::ids::TeamId;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/workloads", get(workloads))
        .route("/workload-rules", get(rules).put(set_rules))
}

pub(super) fn paths() -> Value {
    use describe::{get, put};
    describe::paths([
        get("/api/workloads", "Caseloads by team and worker: open episodes by stage, weighted, ASYE workers over their protected caseload, and the latest 50 agreements to go over it (team managers, senior managers)")
            .query(json!({ "name": "team", "in": "query", "schema": { "type": "string", "format": "uuid" }, "description": "One team only" }))
            .ok("Workloads"),
        get("/api/workload-rules", "The weight of an episode at each stage and the ASYE protected caseload (administrators)")
            .ok("The authority's workload rules"),
        put("/api/workload-rules", "Set the weights and the ASYE protected caseload (administrators)")
            .body("WorkloadRules")
            .ok("The new rules"),
    ])
}

pub(super) fn schemas() -> Value {
    let weight = json!({ "type": "number", "minimum": 0.1, "maximum": 10, "multipleOf": 0.1 });
    json!({
        "WorkloadRules": { "type": "object", "required": ["child_protection", "section_47", "assessment", "child_in_need", "asye_cap"], "properties": {
            "child_protection": weight, "section_47": weight, "assessment": weight, "child_in_need": weight,
            "asye_cap": { "type": "number", "minimum": 1, "maximum": 100, "multipleOf": 0.1 } } }
    })
}

async fn workloads(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let team = match query.get("team").filter(|t| !t.trim().is_empty()) {
        None => None,
        Some(text) => match text.parse() {
            Ok(id) => Some(TeamId(id)),
            Err(_) => {
                return api_result::<()>(
                    StatusCode::OK,
                    Err(AppError::invalid(
                        "team",
                        "The team is not a team id (a UUID).",
                    )),
                )
            }
        },
    };
    api_result(
        StatusCode::OK,
        state.app.workloads(&worker.actor(), team).await,
    )
}

async fn rules(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .workload_rules(&ActingAs::Worker(worker.actor()))
            .await,
    )
}

/// Weights sent as numbers or as text.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RulesInput {
    child_protection: Value,
    section_47: Value,
    assessment: Value,
    child_in_need: Value,
    asye_cap: Value,
}

async fn set_rules(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<RulesInput>,
) -> Response {
    let input = WorkloadRulesInput {
        child_protection: number_text(&input.child_protection),
        section_47: number_text(&input.section_47),
        assessment: number_text(&input.assessment),
        child_in_need: number_text(&input.child_in_need),
        asye_cap: number_text(&input.asye_cap),
    };
    api_result(
        StatusCode::OK,
        state
            .app
            .set_workload_rules(&ActingAs::Worker(worker.actor()), &input)
            .await,
    )
}
