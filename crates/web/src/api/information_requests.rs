//! Information requests, the partner portal and notifications in the API: the same use cases
//! as the pages, with the same scoping (a partner sees only requests to their organisation; any
//! other is 404).

use super::describe;
use super::{api_result, number_text, ApiId, ApiWorker, JsonBody, PathRecord};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::{InformationRequestInput, RequestsOn};
use frontdoor_domain::ids::{ContactId, EpisodeId};
use frontdoor_domain::information_request::Agency;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

/// An information request's id in a path (the app names requests by a bare uuid).
pub(crate) struct RequestId(Uuid);

impl std::str::FromStr for RequestId {
    type Err = uuid::Error;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(RequestId)
    }
}

impl PathRecord for RequestId {
    const WHAT: &'static str = "information request";
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/contacts/{id}/information-requests",
            get(listed::<ContactId>).post(send::<ContactId>),
        )
        .route(
            "/episodes/{id}/information-requests",
            get(listed::<EpisodeId>).post(send::<EpisodeId>),
        )
        .route("/information-requests/{id}/withdraw", post(withdraw))
        .route(
            "/information-request-timescales",
            get(timescales).put(set_timescales),
        )
        .route("/partner/requests", get(addressed))
        .route("/partner/requests/{id}", get(addressed_one))
        .route("/partner/requests/{id}/answer", post(answer))
        .route("/notifications", get(notifications))
        .route("/notifications/read", post(mark_read))
}

pub(super) fn paths() -> Value {
    use describe::{get, post, put};
    const CONTACT: &str = "Contact id";
    const REQUEST: &str = "Information request id";
    describe::paths([
        get("/api/contacts/{id}/information-requests", "The information requests on a contact, each marked overdue or not")
            .id(CONTACT)
            .ok("Requests, oldest first"),
        post("/api/contacts/{id}/information-requests", "Send an information request to a partner organisation about a child on the contact (linked to a record)")
            .id(CONTACT)
            .body("InformationRequestInput")
            .created("The request, with its due instant"),
        get("/api/episodes/{id}/information-requests", "The information requests sent from a child's episode, each marked overdue or not")
            .id("Episode id")
            .ok("Requests, oldest first"),
        post("/api/episodes/{id}/information-requests", "Send an information request from a child's episode, about the episode's child (the subject field is not needed); it carries the episode and the contact that began it")
            .id("Episode id")
            .body("InformationRequestInput")
            .created("The request, with its due instant"),
        post("/api/information-requests/{id}/withdraw", "Withdraw a request still waiting for an answer (409 if answered or withdrawn first)")
            .id(REQUEST)
            .body("WithdrawInput")
            .ok("Withdrawn"),
        get("/api/information-request-timescales", "How long partners have to answer (urgent hours, standard working days)")
            .ok("The authority's due rule"),
        put("/api/information-request-timescales", "Set how long partners have to answer (administrators)")
            .body("InformationRequestTimescales")
            .ok("The new due rule"),
        get("/api/partner/requests", "Partner portal: requests sent to your organisation, those waiting for an answer first, then newest (at most 500; the child's name, date of birth and address, and the questions)")
            .ok("Requests to your organisation"),
        get("/api/partner/requests/{id}", "Partner portal: one request to your organisation (404 for any other)")
            .id(REQUEST)
            .ok("The request"),
        post("/api/partner/requests/{id}/answer", "Partner portal: answer a request to your organisation; it goes on the child's chronology (409 if answered or withdrawn first)")
            .id(REQUEST)
            .body("AnswerInput")
            .ok("Answered"),
        get("/api/notifications", "What is waiting for you: notifications (newest first), the unread count, and overdue information requests")
            .ok("Notifications"),
        post("/api/notifications/read", "Mark one notification read (with its id) or all of them (without)")
            .body("MarkReadInput")
            .ok("How many were marked"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({
        "InformationRequestInput": { "type": "object", "required": ["organisation", "agency", "questions", "consent", "urgency"], "properties": {
            "subject": { "type": "string", "format": "uuid", "description": "On a contact, required: the child's entry on the contact (linked to a record). From an episode, not needed: it is the episode's child" },
            "organisation": { "type": "string", "format": "uuid", "description": "The partner organisation asked" },
            "agency": { "type": "string", "enum": Agency::ASKED.iter().map(|a| a.code()).collect::<Vec<_>>() },
            "questions": { "type": "string" },
            "consent": { "type": "string", "enum": ["consent_given", "without_consent"] },
            "consent_given_by": { "type": "string", "description": "With consent_given: who gave it" },
            "consent_given_on": { "type": "string", "description": "With consent_given: YYYY-MM-DD, not in the future" },
            "without_consent_reason": { "type": "string", "description": "With without_consent: why" },
            "agreed_by": { "type": "string", "format": "uuid", "description": "With without_consent: the active team manager who agreed" },
            "urgency": { "type": "string", "enum": ["urgent", "standard"] } } },
        "WithdrawInput": { "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } },
        "AnswerInput": { "type": "object", "required": ["answer"], "properties": { "answer": { "type": "string" } } },
        "MarkReadInput": { "type": "object", "properties": { "id": { "type": "string", "format": "uuid" } } },
        "InformationRequestTimescales": { "type": "object", "required": ["urgent_hours", "standard_working_days"], "properties": {
            "urgent_hours": { "type": "integer", "minimum": 1, "maximum": 72 },
            "standard_working_days": { "type": "integer", "minimum": 1, "maximum": 30 } } }
    })
}

/// The requests on a contact or sent from an episode.
async fn listed<T: PathRecord + Into<RequestsOn>>(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<T>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.information_requests_on(&worker.actor(), id).await,
    )
}

/// Sends a request from a contact or an episode.
async fn send<T: PathRecord + Into<RequestsOn>>(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<T>,
    JsonBody(input): JsonBody<InformationRequestInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .request_information(&worker.actor(), id, &input)
            .await,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WithdrawInput {
    reason: String,
}

async fn withdraw(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(RequestId(id)): ApiId<RequestId>,
    JsonBody(input): JsonBody<WithdrawInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .withdraw_information_request(&worker.actor(), id, &input.reason)
            .await
            .map(|contact| json!({ "status": "withdrawn", "contact": contact })),
    )
}

async fn timescales(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .information_request_due_rule(&frontdoor_app::ActingAs::Worker(worker.actor()))
            .await,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TimescalesInput {
    urgent_hours: Value,
    standard_working_days: Value,
}

async fn set_timescales(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<TimescalesInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .set_information_request_due_rule(
                &frontdoor_app::ActingAs::Worker(worker.actor()),
                &number_text(&input.urgent_hours),
                &number_text(&input.standard_working_days),
            )
            .await,
    )
}

async fn addressed(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state.app.addressed_requests(&worker.actor()).await,
    )
}

async fn addressed_one(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(RequestId(id)): ApiId<RequestId>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.addressed_request(&worker.actor(), id).await,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerInput {
    answer: String,
}

async fn answer(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(RequestId(id)): ApiId<RequestId>,
    JsonBody(input): JsonBody<AnswerInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .answer_information_request(&worker.actor(), id, &input.answer)
            .await
            .map(|()| json!({ "status": "answered" })),
    )
}

async fn notifications(State(state): State<AppState>, ApiWorker(worker, _): ApiWorker) -> Response {
    api_result(
        StatusCode::OK,
        state.app.notifications(&worker.actor()).await,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MarkReadInput {
    id: Option<Uuid>,
}

async fn mark_read(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(input): JsonBody<MarkReadInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .mark_notifications_read(&worker.actor(), input.id)
            .await
            .map(|marked| json!({ "marked": marked })),
    )
}
