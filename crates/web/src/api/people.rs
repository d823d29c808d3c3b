//! People in the API: a child's chronology in plain words and their family network (both
//! audited like the record page).

use super::describe;
use super::{api_result, problem, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::chronology::EntryCategory;
use frontdoor_app::family_network::RelationshipInput;
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::person::Relationship;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/chronology", get(chronology))
        .route("/people/{id}/family-network", get(family_network))
        .route("/people/{id}/relationships", post(record_relationship))
}

pub(super) fn paths() -> Value {
    use describe::{get, post};
    describe::paths([
        get("/api/people/{id}/chronology", "A person's chronology in plain words, oldest first (audited)")
            .id("Person id")
            .query(json!({ "name": "show", "in": "query", "description": "Keep only one kind of entry", "schema": { "type": "string", "enum": EntryCategory::ALL.iter().map(|c| c.code()).collect::<Vec<_>>() } }))
            .ok("Chronology entries: at, kind, category, title, detail, by"),
        get("/api/people/{id}/family-network", "A person's family network: the people related to them (two steps out), every relationship among those people, each person's generation relative to them and open involvement (each person shown is access-logged)")
            .id("Person id")
            .ok("subject, members (person, generation, involvement, open_contacts, open_episodes), links (from, relationship, to), cut"),
        post("/api/people/{id}/relationships", "Records a relationship between this person and another (by LA person id or record id), on both chronologies; symmetric relationships are stored one way; 409 when already recorded")
            .id("Person id")
            .body("RelationshipInput")
            .created("The relationship recorded: from, relationship, to"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "RelationshipInput": { "type": "object", "required": ["related_person", "relationship", "direction"], "properties": {
            "related_person": { "type": "string", "description": "The other person's LA person id, or their record's id" },
            "relationship": { "type": "string", "enum": Relationship::ALL.iter().map(|r| r.code()).collect::<Vec<_>>() },
            "direction": { "type": "string", "enum": ["they_are", "this_person_is"], "description": "they_are: the other person is <relationship> this person" } } }
    })
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

async fn family_network(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
) -> Response {
    let network = state
        .app
        .family_network(&worker.actor(), id)
        .await
        .map(|n| {
            json!({
                "subject": n.subject,
                "members": n.members.iter().map(|m| json!({
                    "person": m.person,
                    "generation": m.generation,
                    "involvement": m.involvement(),
                    "open_contacts": m.open_contacts,
                    "open_episodes": m.open_episodes,
                })).collect::<Vec<_>>(),
                "links": n.links,
                "cut": n.cut,
            })
        });
    api_result(StatusCode::OK, network)
}

async fn record_relationship(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
    JsonBody(input): JsonBody<RelationshipInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_relationship(&worker.actor(), id, &input)
            .await,
    )
}
