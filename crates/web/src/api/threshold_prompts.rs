//! Threshold prompts in the API: the prompts that fire on a contact (and those recorded on its
//! decisions), the authority's prompt rules (administrators), and the report of authorised
//! decisions that departed from a prompt, with the managers' reasons.

use super::describe;
use super::{api_result, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use frontdoor_app::{ActingAs, AppError, PromptRuleInput};
use frontdoor_domain::ids::ContactId;
use frontdoor_domain::threshold_prompt::{PromptKind, PROMPTABLE_OUTCOMES};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts/{id}/threshold-prompts", get(on_contact))
        .route("/threshold-prompt-rules", get(rules).put(set_rules))
        .route("/threshold-prompt-departures", get(departures))
}

pub(super) fn paths() -> Value {
    use describe::{get, put};
    let date = |name: &str, description: &str| json!({ "name": name, "in": "query", "required": true, "schema": { "type": "string", "format": "date" }, "description": description });
    describe::paths([
        get("/api/contacts/{id}/threshold-prompts", "The threshold prompts that fire on the contact now (evaluated again when a decision is recommended and authorised), and those recorded on its decisions with any manager's reason for departing from them")
            .id("Contact id")
            .ok("The prompts firing and recorded"),
        get("/api/threshold-prompt-rules", "The authority's threshold prompts, one of each kind, with their parameters, the outcome each asks for and its source (administrators)")
            .ok("The prompt rules"),
        put("/api/threshold-prompt-rules", "Save threshold prompts (administrators): each rule sent replaces the authority's rule of its kind; 422 names each field that is wrong and saves nothing")
            .body("ThresholdPromptRulesInput")
            .ok("Every prompt rule, as saved"),
        get("/api/threshold-prompt-departures", "Authorised decisions below the outcome a threshold prompt asked for, with the manager's reason (team managers, quality assurance, senior managers)")
            .query(date("from", "First day authorised (London date)"))
            .query(date("to", "Last day authorised (London date), inclusive"))
            .ok("The departures, newest first"),
    ])
}

pub(super) fn schemas() -> Value {
    let kinds: Vec<&str> = PromptKind::ALL.iter().map(|k| k.code()).collect();
    let outcomes: Vec<&str> = PROMPTABLE_OUTCOMES.iter().map(|o| o.code()).collect();
    json!({
        "ThresholdPromptRulesInput": { "type": "object", "required": ["rules"], "properties": {
            "rules": { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/ThresholdPromptRuleInput" } } } },
        "ThresholdPromptRuleInput": { "type": "object", "required": ["kind", "enabled", "first_parameter", "minimum_outcome", "source"], "properties": {
            "kind": { "type": "string", "enum": kinds },
            "enabled": { "type": "boolean" },
            "first_parameter": { "type": ["string", "integer"], "description": "injury_to_non_mobile_baby: age under, in months (1-24); repeat_contacts: number of contacts, this one included (2-10); domestic_abuse_with_young_child: age under, in years (1-18)" },
            "second_parameter": { "type": ["string", "integer"], "description": "repeat_contacts: within how many months (1-36); otherwise blank" },
            "minimum_outcome": { "type": "string", "enum": outcomes },
            "source": { "type": "string", "minLength": 1, "maxLength": 500, "description": "The review, guidance or local threshold document the prompt comes from" } } }
    })
}

async fn on_contact(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<ContactId>,
) -> Response {
    let actor = worker.actor();
    let result = async {
        let firing = state.app.threshold_prompts_on_contact(&actor, id).await?;
        let recorded = state.app.threshold_prompts_recorded(&actor, id).await?;
        Ok::<_, AppError>(json!({ "firing": firing, "recorded": recorded }))
    }
    .await;
    api_result(StatusCode::OK, result)
}

async fn rules(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .threshold_prompt_rules(&ActingAs::Worker(worker.actor()))
            .await,
    )
}

/// A rule as sent: numbers may be numbers or text.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RuleBody {
    kind: String,
    enabled: bool,
    first_parameter: Value,
    second_parameter: Value,
    minimum_outcome: String,
    source: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RulesBody {
    rules: Vec<RuleBody>,
}

async fn set_rules(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(body): JsonBody<RulesBody>,
) -> Response {
    let input: Vec<PromptRuleInput> = body
        .rules
        .into_iter()
        .map(|r| PromptRuleInput {
            kind: r.kind,
            enabled: r.enabled,
            first_parameter: super::number_text(&r.first_parameter),
            second_parameter: super::number_text(&r.second_parameter),
            minimum_outcome: r.minimum_outcome,
            source: r.source,
        })
        .collect();
    api_result(
        StatusCode::OK,
        state
            .app
            .set_threshold_prompt_rules(&ActingAs::Worker(worker.actor()), &input)
            .await,
    )
}

async fn departures(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let date = |name: &str| {
        query
            .get(name)
            .and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
            .ok_or_else(|| AppError::invalid(name, format!("Give {name} as a date, YYYY-MM-DD.")))
    };
    let result = async {
        let (from, to) = (date("from")?, date("to")?);
        state
            .app
            .threshold_prompt_departures(&worker.actor(), from, to)
            .await
    }
    .await;
    api_result(StatusCode::OK, result)
}
