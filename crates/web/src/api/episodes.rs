//! Episodes in the API: a child's episodes, an episode with all it carries, its primary need,
//! allocation and closure; and the work due.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::{EpisodeClosureInput, EpisodeUpdateInput, WorkDueScope};
use frontdoor_domain::episode::{ClosureReason, PrimaryNeed};
use frontdoor_domain::ids::{EpisodeId, PersonId};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/episodes", get(of_child))
        .route("/episodes/{id}", get(episode).patch(update))
        .route("/episodes/{id}/closure", post(close))
        .route("/work-due", get(work_due))
}

pub(super) fn paths() -> Value {
    use describe::{get, patch, post};
    describe::paths([
        get("/api/people/{id}/episodes", "A child's episodes of need (CIN details), newest first")
            .id("Person id")
            .ok("Episodes"),
        get("/api/episodes/{id}", "An episode with its strategy discussions, section 47 enquiries, conferences, plans and emergency action (audited)")
            .id("Episode id")
            .ok("Episode"),
        patch("/api/episodes/{id}", "Set an open episode's primary need (N0–N9) or allocated worker")
            .id("Episode id")
            .body("EpisodeUpdateInput")
            .ok("Episode"),
        post("/api/episodes/{id}/closure", "Close an episode with its census reason (RC1–RC9); refused while a plan, enquiry or unsigned strategy discussion is open")
            .id("Episode id")
            .body("EpisodeClosureInput")
            .ok("Episode"),
        get("/api/work-due", "Due dates (strategy discussions to hold, ICPCs, reviews, statutory visits): the 100 soonest (`soonest`, breaches marked) and counts over all of them (`due`, `overdue`, `by_kind`)")
            .query(json!({ "name": "scope", "in": "query", "schema": { "type": "string", "enum": ["mine", "team", "all"], "default": "team" } }))
            .ok("Work due"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "EpisodeUpdateInput": { "type": "object", "properties": {
            "primary_need": { "type": "string", "enum": PrimaryNeed::ALL.iter().map(|n| n.code()).collect::<Vec<_>>() },
            "worker": { "type": "string", "format": "uuid", "description": "A social worker or team manager to allocate" },
            "asye_override_reason": { "type": "string", "description": "A team manager's reason to allocate to an ASYE worker beyond their protected caseload (refused without it)" } } },
        "EpisodeClosureInput": { "type": "object", "required": ["closed_on", "closure_reason"], "properties": {
            "closed_on": { "type": "string", "format": "date" },
            "closure_reason": { "type": "string", "enum": ClosureReason::ALL.iter().map(|r| r.code()).collect::<Vec<_>>() } } }
    })
}

async fn of_child(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.episodes_of_child(&worker.actor(), id).await,
    )
}

async fn episode(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EpisodeId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_episode(&worker.actor(), id).await,
    )
}

async fn update(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EpisodeId>,
    JsonBody(input): JsonBody<EpisodeUpdateInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.update_episode(&worker.actor(), id, &input).await,
    )
}

async fn close(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EpisodeId>,
    JsonBody(input): JsonBody<EpisodeClosureInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.close_episode(&worker.actor(), id, &input).await,
    )
}

async fn work_due(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let scope = WorkDueScope::from_code(query.get("scope").map(String::as_str).unwrap_or(""));
    api_result(
        StatusCode::OK,
        state.app.work_due(&worker.actor(), scope).await,
    )
}
