//! MASH triage meetings in the API: list, record, read.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use frontdoor_app::triage::TriageMeetingInput;
use frontdoor_domain::agency::Agency;
use frontdoor_domain::ids::TriageMeetingId;
use frontdoor_domain::triage::RagRating;
use serde_json::{json, Value};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/triage-meetings", get(list).post(record))
        .route("/triage-meetings/{id}", get(meeting))
}

pub(super) fn paths() -> Value {
    use describe::{get, post};
    describe::paths([
        get("/api/triage-meetings", "The authority's MASH triage meetings, most recent first")
            .ok("Meetings: held_at, recorded_by_name, attendees, contacts"),
        post("/api/triage-meetings", "Record a MASH triage meeting: attendees with agency, each contact discussed with a RAG rating and the next step agreed")
            .body("TriageMeetingInput")
            .created("The meeting as recorded"),
        get("/api/triage-meetings/{id}", "One triage meeting")
            .id("Triage meeting id")
            .ok("The meeting"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "TriageMeetingInput": { "type": "object", "required": ["held_date", "held_time", "attendees", "discussed"], "properties": {
            "held_date": { "type": "string", "description": "London date of the meeting (YYYY-MM-DD)" },
            "held_time": { "type": "string", "description": "London time it started (HH:MM)" },
            "notes": { "type": "string" },
            "attendees": { "type": "array", "minItems": 2, "description": "At least two people, from more than one agency", "items": { "type": "object", "required": ["name", "agency"], "properties": {
                "name": { "type": "string" },
                "agency": { "type": "string", "enum": Agency::ALL.iter().map(|a| a.code()).collect::<Vec<_>>() },
                "role": { "type": "string" } } } },
            "discussed": { "type": "array", "minItems": 1, "description": "Contacts waiting for a decision; a decided contact is refused with 409", "items": { "type": "object", "required": ["contact_id", "rating", "next_step"], "properties": {
                "contact_id": { "type": "string", "format": "uuid" },
                "rating": { "type": "string", "enum": RagRating::ALL.iter().map(|r| r.code()).collect::<Vec<_>>() },
                "next_step": { "type": "string", "minLength": 5 } } } }
        } }
    })
}

async fn list(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state.app.triage_meetings(&worker.actor(), 100).await,
    )
}

async fn record(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<TriageMeetingInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_triage_meeting(&worker.actor(), &input)
            .await,
    )
}

async fn meeting(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<TriageMeetingId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.triage_meeting(&worker.actor(), id).await,
    )
}
