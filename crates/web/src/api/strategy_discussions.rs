//! Strategy discussions in the API: start an emergency one, read, write up, sign off.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::StrategyRecordInput;
use frontdoor_domain::ids::{EpisodeId, StrategyDiscussionId};
use frontdoor_domain::strategy_discussion::{Agency, RiskLevel, StrategyOutcome};
use serde_json::{json, Value};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/episodes/{id}/strategy-discussions", post(start))
        .route("/strategy-discussions/{id}", get(view).put(record))
        .route("/strategy-discussions/{id}/sign-off", post(sign_off))
        .route("/strategy-discussions/{id}/withdrawal", post(withdraw))
}

pub(super) fn paths() -> Value {
    use describe::{get, post, put};
    describe::paths([
        post("/api/episodes/{id}/strategy-discussions", "Start an emergency strategy discussion on an open episode (at any hour)")
            .id("Episode id")
            .created("The strategy discussion, to hold"),
        get("/api/strategy-discussions/{id}", "A strategy discussion, with the parts still missing before sign-off (audited)")
            .id("Strategy discussion id")
            .ok("Strategy discussion"),
        put("/api/strategy-discussions/{id}", "Write up a strategy discussion not yet signed off (replaces the record; parts may be missing until sign-off)")
            .id("Strategy discussion id")
            .body("StrategyRecordInput")
            .ok("Strategy discussion, with what is missing"),
        post("/api/strategy-discussions/{id}/withdrawal", "A team manager withdraws a strategy discussion no longer needed (not yet signed off), with the reason")
            .id("Strategy discussion id")
            .body("WithdrawalInput")
            .ok("The withdrawn strategy discussion"),
        post("/api/strategy-discussions/{id}/sign-off", "A team manager signs off a complete record (never their own); 422 names each missing part, 409 when already signed off")
            .id("Strategy discussion id")
            .ok("The signed-off strategy discussion"),
    ])
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct WithdrawalInput {
    reason: String,
}

async fn withdraw(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<StrategyDiscussionId>,
    JsonBody(input): JsonBody<WithdrawalInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .withdraw_strategy_discussion(&worker.actor(), id, &input.reason)
            .await,
    )
}

pub(super) fn schemas() -> Value {
    let levels: Vec<&str> = RiskLevel::ALL.iter().map(|l| l.code()).collect();
    json!({
        "WithdrawalInput": { "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string", "minLength": 10 } } },
        "StrategyRecordInput": { "type": "object", "properties": {
            "held_date": { "type": "string", "format": "date", "description": "London date it was held" },
            "held_time": { "type": "string", "description": "London time it was held, HH:MM" },
            "attendees": { "type": "array", "items": { "type": "object", "properties": {
                "name": { "type": "string" }, "agency": { "type": "string", "enum": Agency::ALL.iter().map(|a| a.code()).collect::<Vec<_>>() },
                "role": { "type": "string" }, "information_shared": { "type": "string" } } } },
            "police_absence_reason": { "type": "string" },
            "health_absence_reason": { "type": "string" },
            "risks": { "type": "array", "items": { "type": "object", "properties": {
                "harm": { "type": "string" }, "to_whom": { "type": "string" }, "from_whom": { "type": "string" },
                "likelihood": { "type": "string", "enum": levels }, "severity": { "type": "string", "enum": levels } } } },
            "decision": { "type": "string", "enum": StrategyOutcome::ALL.iter().map(|o| o.code()).collect::<Vec<_>>() },
            "rationale": { "type": "string" },
            "actions": { "type": "array", "items": { "type": "object", "properties": {
                "description": { "type": "string" }, "owner": { "type": "string" }, "due_on": { "type": "string", "format": "date" } } } } } }
    })
}

async fn start(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EpisodeId>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .start_emergency_strategy_discussion(&worker.actor(), id)
            .await,
    )
}

async fn view(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<StrategyDiscussionId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .view_strategy_discussion(&worker.actor(), id)
            .await,
    )
}

async fn record(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<StrategyDiscussionId>,
    JsonBody(input): JsonBody<StrategyRecordInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .record_strategy_discussion(&worker.actor(), id, &input)
            .await,
    )
}

async fn sign_off(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<StrategyDiscussionId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .sign_off_strategy_discussion(&worker.actor(), id)
            .await,
    )
}
