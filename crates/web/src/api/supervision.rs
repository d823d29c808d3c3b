//! Case supervision in the API: prepare, record and read a worker's supervision; read and
//! complete an action; the drift report; a child's supervision history.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::supervision::{CompletionInput, SupervisionInput};
use frontdoor_app::AppError;
use frontdoor_domain::ids::{PersonId, SupervisionActionId, SupervisionId, TeamId, WorkerId};
use frontdoor_domain::supervision::ReviewOutcome;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervisions", get(list).post(record))
        .route("/supervisions/{id}", get(supervision))
        .route("/workers/{id}/supervision-preparation", get(prepare))
        .route("/supervision-actions", get(my_actions))
        .route("/supervision-actions/{id}", get(action))
        .route("/supervision-actions/{id}/completion", post(complete))
        .route("/drift-report", get(drift_report))
        .route("/people/{id}/supervision", get(child))
}

fn uuid_query(name: &'static str, description: &'static str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string", "format": "uuid" } })
}

pub(super) fn paths() -> Value {
    use describe::{get, post};
    describe::paths([
        get("/api/supervisions", "Case supervisions, most recent first: a worker's (theirs, their manager's or a senior manager's to read), or by default one's own, a manager's team's, a senior manager's all")
            .query(uuid_query("worker", "The worker supervised"))
            .ok("Supervisions: held_on, worker_name, supervisor_name, children, actions"),
        post("/api/supervisions", "A team manager records a case supervision of a worker of their team: children discussed with risks reviewed (required), decisions, actions each with owner and due date (required), and every action still open from the worker's earlier supervisions carried forward or closed with a reason; 422 names each missing part")
            .body("SupervisionInput")
            .created("The supervision, with each action's drift"),
        get("/api/supervisions/{id}", "One case supervision (audited for each child discussed)")
            .id("Supervision id")
            .ok("The supervision"),
        get("/api/workers/{id}/supervision-preparation", "What recording a worker's supervision needs: their caseload (open episodes allocated to them), the actions still open from their earlier supervisions (review them in this order), and who may own an action")
            .id("Worker id")
            .ok("Preparation"),
        get("/api/supervision-actions", "The open supervision actions one owns, due soonest first, with their drift")
            .ok("Actions"),
        get("/api/supervision-actions/{id}", "One supervision action, with what later supervisions did with it")
            .id("Supervision action id")
            .ok("The action"),
        post("/api/supervision-actions/{id}/completion", "Its owner, or the manager of the team it was agreed in, completes an open action with the date and what was done; 409 when already completed or closed")
            .id("Supervision action id")
            .body("CompletionInput")
            .ok("The completed action"),
        get("/api/drift-report", "Supervision actions drifting (open and past due, or carried into a later supervision), with counts per team and per owner; a team manager's is their own team's")
            .query(uuid_query("team", "Narrow to one team (senior managers and quality assurance)"))
            .ok("Drift report"),
        get("/api/people/{id}/supervision", "A child's case supervision: the supervisions that discussed them and every action about them")
            .id("Person id")
            .ok("The child's supervision"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "SupervisionInput": { "type": "object", "required": ["worker", "held_on", "children"], "properties": {
            "worker": { "type": "string", "format": "uuid", "description": "The worker supervised (of the manager's team)" },
            "held_on": { "type": "string", "format": "date", "description": "London date held; not in the future, not before the worker's latest supervision, one a day" },
            "children": { "type": "array", "items": { "type": "object", "required": ["person_id", "risks_reviewed"], "properties": {
                "person_id": { "type": "string", "format": "uuid", "description": "A child with an open episode allocated to the worker" },
                "discussed": { "type": "boolean" },
                "risks_reviewed": { "type": "string", "minLength": 10 },
                "decisions": { "type": "string" } } } },
            "actions": { "type": "array", "items": { "type": "object", "required": ["person_id", "description", "owner", "due_on"], "properties": {
                "person_id": { "type": "string", "format": "uuid", "description": "One of the children discussed" },
                "description": { "type": "string" },
                "owner": { "type": "string", "format": "uuid", "description": "An active worker of the authority" },
                "due_on": { "type": "string", "format": "date", "description": "On or after held_on, within a year" } } } },
            "reviews": { "type": "array", "description": "One for each action of the preparation's open_actions, in that order", "items": { "type": "object", "required": ["action_id", "outcome"], "properties": {
                "action_id": { "type": "string", "format": "uuid" },
                "outcome": { "type": "string", "enum": ReviewOutcome::ALL.iter().map(|o| o.code()).collect::<Vec<_>>() },
                "reason": { "type": "string", "description": "Why it is closed unfinished (required to close)" },
                "due_on": { "type": "string", "format": "date", "description": "A new due date when carried forward (blank keeps it)" } } } }
        } },
        "CompletionInput": { "type": "object", "required": ["completed_on", "note"], "properties": {
            "completed_on": { "type": "string", "format": "date", "description": "Not before the supervision, not in the future" },
            "note": { "type": "string", "minLength": 5 } } }
    })
}

/// An optional id in the query; one that is not an id names the parameter.
fn query_id<T: std::str::FromStr>(
    query: &HashMap<String, String>,
    name: &'static str,
) -> Result<Option<T>, AppError> {
    match query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(name, format!("'{text}' is not an id."))),
    }
}

async fn list(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = match query_id::<WorkerId>(&query, "worker") {
        Ok(whose) => state.app.supervisions(&worker.actor(), whose).await,
        Err(e) => Err(e),
    };
    api_result(StatusCode::OK, result)
}

async fn record(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<SupervisionInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state.app.record_supervision(&worker.actor(), &input).await,
    )
}

async fn supervision(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<SupervisionId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_supervision(&worker.actor(), id).await,
    )
}

async fn prepare(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<WorkerId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.prepare_supervision(&worker.actor(), id).await,
    )
}

async fn my_actions(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state.app.my_supervision_actions(&worker.actor()).await,
    )
}

async fn action(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<SupervisionActionId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.supervision_action(&worker.actor(), id).await,
    )
}

async fn complete(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<SupervisionActionId>,
    JsonBody(input): JsonBody<CompletionInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .complete_supervision_action(&worker.actor(), id, &input)
            .await,
    )
}

async fn drift_report(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = match query_id::<TeamId>(&query, "team") {
        Ok(team) => state.app.drift_report(&worker.actor(), team).await,
        Err(e) => Err(e),
    };
    api_result(StatusCode::OK, result)
}

async fn child(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<PersonId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.child_supervision(&worker.actor(), id).await,
    )
}
