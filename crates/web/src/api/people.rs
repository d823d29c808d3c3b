//! People in the API: a child's chronology in plain words (audited like the record page).

use super::describe;
use super::{api_result, problem, ApiId, ApiWorker};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use frontdoor_app::chronology::EntryCategory;
use frontdoor_domain::ids::PersonId;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/people/{id}/chronology", get(chronology))
}

pub(super) fn paths() -> Value {
    use describe::get;
    describe::paths([
        get("/api/people/{id}/chronology", "A person's chronology in plain words, oldest first (audited)")
            .id("Person id")
            .query(json!({ "name": "show", "in": "query", "description": "Keep only one kind of entry", "schema": { "type": "string", "enum": EntryCategory::ALL.iter().map(|c| c.code()).collect::<Vec<_>>() } }))
            .ok("Chronology entries: at, kind, category, title, detail, by"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({})
}

async fn chronology(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let only = match query
        .get("show")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => match EntryCategory::from_code(code) {
            Some(category) => Some(category),
            None => {
                return problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Unknown chronology filter",
                    format!(
                        "'show' must be one of: {}.",
                        EntryCategory::ALL.map(|c| c.code()).join(", ")
                    ),
                )
                .into_response()
            }
        },
    };
    api_result(
        StatusCode::OK,
        state.app.person_chronology(&worker.actor(), id, only).await,
    )
}
