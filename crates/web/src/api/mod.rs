//! The JSON API for partner systems and scripts: the same use cases as the pages, with
//! bearer-token sessions (`POST /api/session`) and RFC 9457 problem details on every error.
//! Described by the OpenAPI document at `/api/openapi.json`.

use crate::client_address::ClientAddress;
use crate::errors::Problem;
use crate::referral_progress::follows_referrals_only;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdoor_app::records::QueueFilter;
use frontdoor_app::{
    AppError, ContactInput, LinkTarget, PersonQuery, RecommendationInput, ReviewInput, SignedIn,
};
use frontdoor_domain::contact::{ContactStatus, Urgency};
use frontdoor_domain::ids::{ContactId, PersonId, TeamId};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use uuid::Uuid;

mod assessments;
mod audits;
mod child_protection;
mod cse;
mod dashboard;
mod describe;
mod early_help;
mod episodes;
mod information_requests;
mod people;
mod returns;
mod risk;
mod strategy_discussions;
mod supervision;
mod threshold_prompts;
mod triage;
mod workloads;

/// One area of the API (`api/<area>.rs`): its routes and its part of the OpenAPI document,
/// from the area module's `routes`, `paths` (`{"/api/...": {"get": {...}}}`) and `schemas`
/// (`{"SchemaName": {...}}`). Every area is listed in [`AREAS`]; the router and the document
/// are built from that list.
pub(crate) struct ApiArea {
    pub routes: fn() -> Router<AppState>,
    pub paths: fn() -> Value,
    pub schemas: fn() -> Value,
}

macro_rules! areas {
    ($($area:ident),* $(,)?) => {
        &[$(ApiArea { routes: $area::routes, paths: $area::paths, schemas: $area::schemas }),*]
    };
}

const AREAS: &[ApiArea] = areas![
    people,
    information_requests,
    triage,
    episodes,
    strategy_discussions,
    child_protection,
    workloads,
    risk,
    supervision,
    cse,
    threshold_prompts,
    assessments,
    audits,
    early_help,
    returns,
    dashboard,
];

pub fn router() -> Router<AppState> {
    let areas = AREAS
        .iter()
        .fold(Router::new(), |router, area| router.merge((area.routes)()));
    areas
        .route("/openapi.json", get(openapi))
        .route("/session", post(create_session).delete(end_session))
        .route("/contacts", get(queue).post(record_contact))
        .route("/contacts/{id}", get(contact))
        .route("/contacts/{id}/subjects/{subject}/link", post(link))
        .route("/contacts/{id}/recommendation", post(recommend))
        .route("/contacts/{id}/review", post(review))
        .route("/people/search", get(search))
        .fallback(|| async {
            Problem {
                status: StatusCode::NOT_FOUND,
                title: "Not found".into(),
                detail: "No such API route: see /api/openapi.json.".into(),
                errors: vec![],
            }
        })
}

fn problem(status: StatusCode, title: &str, detail: impl Into<String>) -> Problem {
    Problem {
        status,
        title: title.into(),
        detail: detail.into(),
        errors: vec![],
    }
}

/// The worker behind the request's bearer token.
pub struct ApiWorker(pub SignedIn, pub String);

impl FromRequestParts<AppState> for ApiWorker {
    type Rejection = Problem;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            problem(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Send 'Authorization: Bearer TOKEN' with a token from POST /api/session.",
            )
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string())
            .ok_or_else(unauthorized)?;
        match state.app.session(&token).await {
            Ok(Some(worker)) => Ok(ApiWorker(worker, token)),
            Ok(None) => Err(unauthorized()),
            Err(e) => Err(e.into()),
        }
    }
}

/// What a record id in a path names, for the 404 answer when it is not an id at all.
pub(crate) trait PathRecord: std::str::FromStr {
    const WHAT: &'static str;
}

macro_rules! path_records {
    ($($id:ty => $what:literal),* $(,)?) => {
        $(impl PathRecord for $id { const WHAT: &'static str = $what; })*
    };
}

path_records!(
    ContactId => "contact",
    PersonId => "person",
    frontdoor_domain::ids::EpisodeId => "episode",
    frontdoor_domain::ids::StrategyDiscussionId => "strategy discussion",
    frontdoor_domain::ids::EnquiryId => "section 47 enquiry",
    frontdoor_domain::ids::ConferenceId => "conference",
    frontdoor_domain::ids::PlanId => "child protection plan",
    frontdoor_domain::ids::TriageMeetingId => "triage meeting",
    frontdoor_domain::ids::SafetyPlanId => "safety plan",
    frontdoor_domain::ids::DashAssessmentId => "DASH assessment",
    frontdoor_domain::ids::SupervisionId => "supervision",
    frontdoor_domain::ids::SupervisionActionId => "supervision action",
    frontdoor_domain::ids::WorkerId => "worker",
    frontdoor_domain::ids::CseScreeningId => "CSE screening",
    frontdoor_domain::ids::AssessmentId => "assessment",
    frontdoor_domain::ids::EarlyHelpEpisodeId => "early help episode",
    frontdoor_domain::ids::AuditId => "audit",
    frontdoor_domain::ids::CaseAuditId => "case audit",
    frontdoor_domain::ids::AuditActionId => "audit action",
);

/// The record id of a one-parameter path (`/api/episodes/{id}`), parsed; one that is not an id
/// is a 404 problem naming what was sought.
pub(crate) struct ApiId<T>(pub T);

impl<T: PathRecord + Send, S: Send + Sync> FromRequestParts<S> for ApiId<T> {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| problem(StatusCode::NOT_FOUND, "Not found", e.body_text()))?;
        parse::<T>(&id, T::WHAT).map(ApiId)
    }
}

/// A JSON body, with a problem-details answer naming what is wrong when it cannot be read.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;
    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "Send the body as JSON with 'Content-Type: application/json'.",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Body too large",
                e.to_string(),
            )
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            problem(
                StatusCode::BAD_REQUEST,
                "Malformed JSON",
                format!("The body is not valid for this request: {e}."),
            )
        })
    }
}

fn api_result<T: serde::Serialize>(status: StatusCode, result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => (status, Json(value)).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, Problem> {
    text.parse().map_err(|_| {
        problem(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("There is no {what} with id '{text}'."),
        )
    })
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

async fn create_session(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    JsonBody(credentials): JsonBody<Credentials>,
) -> Response {
    let result = state.app.sign_in(&credentials.username, &credentials.password, &client.to_string()).await.map(|session| {
        json!({ "token": session.token, "worker": { "id": session.worker.id, "name": session.worker.display_name, "role": session.worker.role.code() } })
    });
    let retry_after = match &result {
        Err(AppError::TooManySignIns {
            retry_after_seconds,
            ..
        }) => Some(*retry_after_seconds),
        Err(AppError::Busy(_)) => Some(frontdoor_app::BUSY_RETRY_AFTER_SECONDS),
        _ => None,
    };
    let response = api_result(StatusCode::CREATED, result);
    match retry_after {
        Some(seconds) => crate::auth::with_retry_after(response, seconds),
        None => response,
    }
}

async fn end_session(State(state): State<AppState>, ApiWorker(_, token): ApiWorker) -> Response {
    match state.app.sign_out(&token).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn queue(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or("");
    let filter = QueueFilter {
        team: get("team").parse::<TeamId>().ok(),
        status: ContactStatus::from_code(get("status")).ok(),
        urgency: Urgency::from_code(get("urgency")).ok(),
        out_of_hours: match get("out_of_hours") {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        limit: get("limit").parse().unwrap_or(100),
        offset: get("offset").parse().unwrap_or(0),
    };
    api_result(
        StatusCode::OK,
        state.app.contact_queue(&worker.actor(), &filter).await,
    )
}

async fn record_contact(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    JsonBody(mut input): JsonBody<ContactInput>,
) -> Response {
    if input.channel.is_empty() {
        input.channel = "api".into();
    }
    api_result(
        StatusCode::CREATED,
        state.app.record_contact(&worker.actor(), &input).await,
    )
}

async fn contact(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<ContactId>,
) -> Response {
    let actor = worker.actor();
    // A partner gets the progress of their organisation's referral, never the working record.
    if follows_referrals_only(actor.role) {
        return api_result(
            StatusCode::OK,
            state.app.referral_progress(&actor, id).await,
        );
    }
    api_result(StatusCode::OK, state.app.view_contact(&actor, id).await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LinkRequest {
    person_id: Option<String>,
    create: bool,
}

async fn link(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Path((id, subject)): Path<(String, String)>,
    JsonBody(request): JsonBody<LinkRequest>,
) -> Response {
    let ids = parse::<ContactId>(&id, "contact")
        .and_then(|c| parse::<Uuid>(&subject, "person on this contact").map(|s| (c, s)));
    let (contact_id, subject_id) = match ids {
        Ok(ids) => ids,
        Err(p) => return p.into_response(),
    };
    let target = match (request.create, request.person_id) {
        (true, _) => LinkTarget::NewRecord,
        (false, Some(person)) => match person.parse::<PersonId>() {
            Ok(p) => LinkTarget::Existing(p),
            Err(_) => {
                return Problem::from(AppError::invalid(
                    "person_id",
                    "person_id must be a person's id.",
                ))
                .into_response()
            }
        },
        (false, None) => {
            return Problem::from(AppError::invalid(
                "person_id",
                "Give person_id to link an existing record, or create: true.",
            ))
            .into_response()
        }
    };
    let result = state
        .app
        .link_contact_subject(&worker.actor(), contact_id, subject_id, target)
        .await
        .map(|person| json!({ "person_id": person }));
    api_result(StatusCode::OK, result)
}

async fn recommend(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<ContactId>,
    JsonBody(input): JsonBody<RecommendationInput>,
) -> Response {
    api_result(
        StatusCode::CREATED,
        state
            .app
            .recommend_decision(&worker.actor(), id, &input)
            .await,
    )
}

async fn review(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    ApiId(id): ApiId<ContactId>,
    JsonBody(input): JsonBody<ReviewInput>,
) -> Response {
    api_result(
        StatusCode::OK,
        state
            .app
            .review_decision(&worker.actor(), id, &input)
            .await
            .map(|s| json!({ "state": s.code() })),
    )
}

async fn search(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<PersonQuery>,
) -> Response {
    api_result(
        StatusCode::OK,
        state.app.search_people(&worker.actor(), &query).await,
    )
}

/// The OpenAPI 3.1 description of this API.
fn front_door_document() -> Value {
    use describe::{get, post};
    let problem = describe::problem();
    let search = [
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "postcode",
        "nhs_number",
        "la_person_id",
        "upn",
    ]
    .into_iter()
    .fold(
        get(
            "/api/people/search",
            "Search people; ranked, with an explanation of each match",
        ),
        |search, name| {
            search.query(json!({ "name": name, "in": "query", "schema": { "type": "string" } }))
        },
    );
    let mut document = json!({
        "openapi": "3.1.0",
        "info": { "title": "frontdoor API", "version": env!("CARGO_PKG_VERSION"), "description": "The children's services front door: record contacts, link children to records, recommend and authorise threshold decisions. Every call is authorised by the caller's role, team and authority, and every read of a child's record is audited." },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "A session token from POST /api/session." } },
            "schemas": {
                "Problem": { "type": "object", "required": ["title", "status"], "properties": {
                    "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" },
                    "errors": { "type": "array", "items": { "type": "object", "properties": { "pointer": { "type": "string" }, "field": { "type": "string" }, "detail": { "type": "string" } } } } } },
                "Credentials": { "type": "object", "required": ["username", "password"], "properties": { "username": { "type": "string" }, "password": { "type": "string", "format": "password" } } },
                "Subject": { "type": "object", "properties": {
                    "given_name": { "type": "string" }, "family_name": { "type": "string" }, "date_of_birth": { "type": "string", "description": "YYYY-MM-DD, or empty" },
                    "sex": { "type": "string", "enum": ["female", "male", "indeterminate", "not_known", ""] }, "address": { "type": "string" }, "postcode": { "type": "string" }, "nhs_number": { "type": "string" } } },
                "ContactInput": { "type": "object", "required": ["source", "concern_categories", "concern_summary", "family_consent", "children"], "properties": {
                    "received_date": { "type": "string", "description": "London date received (YYYY-MM-DD); empty for now" },
                    "received_time": { "type": "string", "description": "London time received (HH:MM); empty for now" },
                    "channel": { "type": "string", "enum": ["phone", "email", "in_person", "api"] },
                    "source": { "type": "string", "description": "CIN census referral source code", "enum": frontdoor_domain::contact::ReferralSource::ALL.iter().map(|s| s.code()).collect::<Vec<_>>() },
                    "referrer": { "type": "object", "properties": { "name": { "type": "string" }, "organisation": { "type": "string" }, "role": { "type": "string" }, "phone": { "type": "string" }, "email": { "type": "string" } } },
                    "concern_categories": { "type": "array", "items": { "type": "string", "enum": frontdoor_domain::contact::ConcernCategory::ALL.iter().map(|c| c.code()).collect::<Vec<_>>() } },
                    "concern_summary": { "type": "string" },
                    "urgency": { "type": "string", "enum": ["immediate", "urgent", "standard"] },
                    "family_consent": { "type": "string", "enum": frontdoor_domain::contact::FamilyConsent::ALL.iter().map(|c| c.code()).collect::<Vec<_>>() },
                    "consent_notes": { "type": "string" },
                    "children": { "type": "array", "items": { "$ref": "#/components/schemas/Subject" } },
                    "adults": { "type": "array", "items": { "$ref": "#/components/schemas/Subject" } } } },
                "LinkRequest": { "type": "object", "properties": { "person_id": { "type": "string", "format": "uuid" }, "create": { "type": "boolean" } } },
                "RecommendationInput": { "type": "object", "required": ["outcome", "level_of_need", "rationale"], "properties": {
                    "outcome": { "type": "string", "enum": frontdoor_domain::decision::ThresholdOutcome::ALL.iter().map(|o| o.code()).collect::<Vec<_>>() },
                    "level_of_need": { "type": "string", "description": "A level of the authority's threshold framework, e.g. \"3\"" },
                    "signposted_to": { "type": "string" }, "rationale": { "type": "string", "minLength": 20 }, "departure_reasons": { "type": "object", "description": "When authorising below the outcome a threshold prompt asks for: the reason for each such prompt, by its kind (see GET /api/contacts/{id}/threshold-prompts); without one the authorisation is refused (422) naming departure_reason_<kind>", "propertyNames": { "enum": ["injury_to_non_mobile_baby", "repeat_contacts", "domestic_abuse_with_young_child"] }, "additionalProperties": { "type": "string", "minLength": 20 } } } },
                "ReviewInput": { "type": "object", "required": ["authorise", "rationale"], "properties": { "authorise": { "type": "boolean", "description": "true to authorise the recommendation, false to return it to the worker; a review without it is refused (422)" }, "rationale": { "type": "string", "minLength": 20 } } }
            }
        },
        "paths": {
            "/api/session": {
                "post": { "summary": "Sign in; returns a bearer token", "requestBody": describe::body("Credentials"), "responses": { "201": describe::ok("Session token"), "401": problem.clone() } },
                "delete": { "summary": "Sign out", "security": describe::secured(), "responses": { "204": { "description": "Signed out" }, "401": problem } }
            }
        }
    });
    let contacts = describe::paths([
        get("/api/contacts", "The contact queue, soonest due first")
            .query(json!({ "name": "status", "in": "query", "schema": { "type": "string", "enum": ContactStatus::ALL.iter().map(|s| s.code()).collect::<Vec<_>>() } }))
            .query(json!({ "name": "team", "in": "query", "schema": { "type": "string", "format": "uuid" } }))
            .query(json!({ "name": "urgency", "in": "query", "schema": { "type": "string", "enum": ["immediate", "urgent", "standard"] } }))
            .query(json!({ "name": "out_of_hours", "in": "query", "schema": { "type": "boolean" } }))
            .query(json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "maximum": 1000 } }))
            .query(json!({ "name": "offset", "in": "query", "schema": { "type": "integer" } }))
            .ok("Queue"),
        post("/api/contacts", "Record a contact")
            .body("ContactInput")
            .created("The contact, with its reference"),
        get("/api/contacts/{id}", "A contact with its people, their history, and its decisions (audited)")
            .id("Contact id")
            .ok("Contact"),
        post("/api/contacts/{id}/subjects/{subject}/link", "Link a child or adult on a contact to a record, or create one")
            .id("Contact id")
            .path_param("subject", "The person's entry on the contact")
            .body("LinkRequest")
            .ok("The linked person's id"),
        post("/api/contacts/{id}/recommendation", "Recommend a threshold decision")
            .id("Contact id")
            .body("RecommendationInput")
            .created("The recommended decision"),
        post("/api/contacts/{id}/review", "Authorise or return the recommendation (a manager; never your own)")
            .id("Contact id")
            .body("ReviewInput")
            .ok("The decision's new state"),
        search.ok("Search results"),
    ]);
    merge_into(&mut document["paths"], contacts);
    document
}

/// Adds an object's entries to another object.
fn merge_into(target: &mut Value, part: Value) {
    if let (Some(target), Value::Object(part)) = (target.as_object_mut(), part) {
        target.extend(part);
    }
}

async fn openapi() -> Response {
    Json(openapi_document()).into_response()
}

/// The document of the front door's own routes, then each area's paths and schemas.
pub fn openapi_document() -> Value {
    let mut document = front_door_document();
    for area in AREAS {
        merge_into(&mut document["paths"], (area.paths)());
        merge_into(&mut document["components"]["schemas"], (area.schemas)());
    }
    document
}

/// A number sent as a number or as text.
pub(crate) fn number_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
