//! Early help in the API: the lists, an episode, and its main actions (allocation, consent,
//! safeguarding override, lead professional, assessment, team-around-the-family actions done,
//! closure, step-up and step-down), and the partner's view of the episodes they lead.

use super::describe;
use super::{api_result, parse, ApiId, ApiWorker, JsonBody};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::{
    AllocationInput, AssessmentCompletionInput, AssessmentStartInput, ConsentInput,
    EarlyHelpClosureInput, FamilyActionInput, FamilyContactInput, LeadProfessionalInput,
    SafeguardingOverrideInput, StepDownInput, StepUpInput,
};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::contact::{ConcernCategory, Urgency};
use frontdoor_domain::early_help::{ConsentDecision, EarlyHelpClosureReason, SharedPart};
use frontdoor_domain::ids::{EarlyHelpEpisodeId, EpisodeId};
use serde_json::{json, Value};
use uuid::Uuid;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/early-help", get(lists))
        .route("/early-help/{id}", get(view))
        .route("/early-help/{id}/allocation", post(allocate))
        .route("/early-help/{id}/family-contacts", post(family_contact))
        .route("/early-help/{id}/consents", post(consent))
        .route(
            "/early-help/{id}/safeguarding-overrides",
            post(safeguarding_override),
        )
        .route("/early-help/{id}/lead-professional", post(lead))
        .route("/early-help/{id}/assessment/start", post(start))
        .route("/early-help/{id}/assessment/complete", post(complete))
        .route("/early-help/{id}/actions", post(action))
        .route("/early-help/{id}/actions/{action}/done", post(action_done))
        .route("/early-help/{id}/close", post(close))
        .route("/early-help/{id}/step-up", post(step_up))
        .route("/episodes/{id}/step-down", post(step_down))
        .route("/partner/early-help", get(led))
        .route("/partner/early-help/{id}", get(partner_view))
}

pub(super) fn paths() -> Value {
    use describe::{get, post};
    describe::paths([
        get("/api/early-help", "The early help lists: unallocated, the caller's own, and assessments past their due date")
            .ok("The lists"),
        get("/api/early-help/{id}", "An early help episode with consent, what may be shared with each agency, contacts with the family, the assessment and actions (audited)")
            .id("Early help episode id")
            .ok("The episode"),
        post("/api/early-help/{id}/allocation", "Allocate an unallocated episode to an early help coordinator (blank: the caller); 409 naming who has it when someone allocated it first")
            .id("Early help episode id")
            .body("AllocationInput")
            .created("The episode"),
        post("/api/early-help/{id}/family-contacts", "Record a contact with the family")
            .id("Early help episode id")
            .body("FamilyContactInput")
            .created("The contact"),
        post("/api/early-help/{id}/consents", "Record a consent to share decision (given, refused, withdrawn): who, when, which parts, which agencies")
            .id("Early help episode id")
            .body("ConsentInput")
            .created("The consent decision"),
        post("/api/early-help/{id}/safeguarding-overrides", "A manager records a safeguarding reason to share with an agency without consent")
            .id("Early help episode id")
            .body("SafeguardingOverrideInput")
            .created("The override"),
        post("/api/early-help/{id}/lead-professional", "Appoint the lead professional; 422 when consent does not cover a partner's agency for the identity and the assessment")
            .id("Early help episode id")
            .body("LeadProfessionalInput")
            .created("The episode"),
        post("/api/early-help/{id}/assessment/start", "Start the early help assessment (the coordinator, or the partner lead while consent covers their agency); due 30 working days later")
            .id("Early help episode id")
            .body("AssessmentStartInput")
            .created("The episode"),
        post("/api/early-help/{id}/assessment/complete", "Complete the early help assessment, once; 409 when already completed, 403 for a partner lead without consent")
            .id("Early help episode id")
            .body("AssessmentCompletionInput")
            .created("The episode"),
        post("/api/early-help/{id}/actions", "Agree a team-around-the-family action (the due date is required)")
            .id("Early help episode id")
            .body("FamilyActionInput")
            .created("The action"),
        post("/api/early-help/{id}/actions/{action}/done", "Mark a team-around-the-family action done, once; 409 with the day it was done when it already was")
            .id("Early help episode id")
            .path_param("action", "The action's id")
            .ok("The action's id, now done"),
        post("/api/early-help/{id}/close", "Close an open early help episode with the reason and a summary; 409 naming who closed or stepped it up when it is no longer open")
            .id("Early help episode id")
            .body("EarlyHelpClosureInput")
            .ok("The closed episode"),
        post("/api/early-help/{id}/step-up", "Step up to children's social care: a new contact with the early help history; 409 naming the contact when it was already stepped up")
            .id("Early help episode id")
            .body("StepUpInput")
            .created("The new contact"),
        post("/api/episodes/{id}/step-down", "Step a social care episode down to early help: it closes RC9 and an early help episode opens")
            .id("Episode id")
            .body("StepDownInput")
            .created("The early help episode"),
        get("/api/partner/early-help", "The episodes the calling partner leads, where consent shares the child's identity with their agency")
            .ok("The episodes"),
        get("/api/partner/early-help/{id}", "One episode the calling partner leads, with only the parts consent shares with their agency; 403 without consent")
            .id("Early help episode id")
            .ok("The episode as shared"),
    ])
}

pub(super) fn schemas() -> Value {
    let decisions: Vec<&str> = ConsentDecision::ALL.iter().map(|d| d.code()).collect();
    let parts: Vec<&str> = SharedPart::ALL.iter().map(|p| p.code()).collect();
    let agencies: Vec<&str> = Agency::ASKED.iter().map(|a| a.code()).collect();
    let concerns: Vec<&str> = ConcernCategory::ALL.iter().map(|c| c.code()).collect();
    let urgencies: Vec<&str> = Urgency::ALL.iter().map(|u| u.code()).collect();
    json!({
        "AllocationInput": { "type": "object", "properties": {
            "coordinator": { "type": "string", "format": "uuid", "description": "The coordinator's worker id; blank for the caller" } } },
        "FamilyContactInput": { "type": "object", "required": ["contacted_on", "method", "outcome"], "properties": {
            "contacted_on": { "type": "string", "format": "date" },
            "method": { "type": "string", "enum": frontdoor_app::CONTACT_METHODS.iter().map(|(c, _)| *c).collect::<Vec<_>>() },
            "outcome": { "type": "string" } } },
        "ConsentInput": { "type": "object", "required": ["decision", "given_by", "relationship", "decided_on"], "properties": {
            "decision": { "type": "string", "enum": decisions },
            "given_by": { "type": "string" },
            "relationship": { "type": "string" },
            "decided_on": { "type": "string", "format": "date" },
            "parts": { "type": "array", "items": { "type": "string", "enum": parts } },
            "agencies": { "type": "array", "items": { "type": "string", "enum": agencies.clone() }, "description": "For a refusal or withdrawal, none means every agency" },
            "notes": { "type": "string" } } },
        "SafeguardingOverrideInput": { "type": "object", "required": ["agency", "reason"], "properties": {
            "agency": { "type": "string", "enum": agencies },
            "reason": { "type": "string" } } },
        "LeadProfessionalInput": { "type": "object", "required": ["lead"], "properties": {
            "lead": { "type": "string", "format": "uuid", "description": "The lead professional's worker id" } } },
        "AssessmentStartInput": { "type": "object", "properties": {
            "started_on": { "type": "string", "format": "date", "description": "Blank for today" } } },
        "AssessmentCompletionInput": { "type": "object", "required": ["summary"], "properties": {
            "completed_on": { "type": "string", "format": "date", "description": "Blank for today" },
            "summary": { "type": "string" } } },
        "FamilyActionInput": { "type": "object", "required": ["description", "owner", "due_on"], "properties": {
            "description": { "type": "string" },
            "owner": { "type": "string" },
            "due_on": { "type": "string", "format": "date" } } },
        "EarlyHelpClosureInput": { "type": "object", "required": ["reason", "summary"], "properties": {
            "reason": { "type": "string", "enum": EarlyHelpClosureReason::ALL.iter().map(|r| r.code()).collect::<Vec<_>>() },
            "summary": { "type": "string", "description": "What early help achieved, or why it is ending (at least 10 characters)" } } },
        "StepUpInput": { "type": "object", "required": ["concern_categories", "concern_summary"], "properties": {
            "concern_categories": { "type": "array", "items": { "type": "string", "enum": concerns } },
            "concern_summary": { "type": "string" },
            "urgency": { "type": "string", "enum": urgencies } } },
        "StepDownInput": { "type": "object", "required": ["reason"], "properties": {
            "reason": { "type": "string" } } },
    })
}

async fn lists(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state.app.early_help_lists(&worker.actor()).await,
    )
}

async fn view(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.view_early_help(&worker.actor(), id).await,
    )
}

async fn allocate(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<AllocationInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .allocate_early_help(&worker.actor(), id, &input)
            .await,
    )
}

async fn family_contact(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<FamilyContactInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_family_contact(&worker.actor(), id, &input)
            .await,
    )
}

async fn consent(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<ConsentInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state.app.record_consent(&worker.actor(), id, &input).await,
    )
}

async fn safeguarding_override(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<SafeguardingOverrideInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .record_safeguarding_override(&worker.actor(), id, &input)
            .await,
    )
}

async fn lead(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<LeadProfessionalInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .appoint_lead_professional(&worker.actor(), id, &input)
            .await,
    )
}

async fn start(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<AssessmentStartInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .start_early_help_assessment(&worker.actor(), id, &input)
            .await,
    )
}

async fn complete(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<AssessmentCompletionInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .complete_early_help_assessment(&worker.actor(), id, &input)
            .await,
    )
}

async fn action(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<FamilyActionInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .add_family_action(&worker.actor(), id, &input)
            .await,
    )
}

async fn action_done(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Path((id, action)): Path<(String, String)>,
) -> Response {
    let ids = parse::<EarlyHelpEpisodeId>(&id, "early help episode")
        .and_then(|e| parse::<Uuid>(&action, "action").map(|a| (e, a)));
    let (id, action) = match ids {
        Ok(ids) => ids,
        Err(problem) => return problem.into_response(),
    };
    let result = state
        .app
        .complete_family_action(&worker.actor(), id, action)
        .await
        .map(|()| json!({ "completed": action }));
    api_result(StatusCode::OK, result)
}

async fn close(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<EarlyHelpClosureInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .close_early_help(&worker.actor(), id, &input)
            .await,
    )
}

async fn step_up(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
    JsonBody(input): JsonBody<StepUpInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .step_up_early_help(&worker.actor(), id, &input)
            .await,
    )
}

async fn step_down(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EpisodeId>,
    JsonBody(input): JsonBody<StepDownInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .step_down_to_early_help(&worker.actor(), id, &input)
            .await,
    )
}

async fn led(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state.app.led_early_help(&worker.actor()).await,
    )
}

async fn partner_view(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<EarlyHelpEpisodeId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.partner_early_help(&worker.actor(), id).await,
    )
}
