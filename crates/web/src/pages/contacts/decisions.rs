//! Deciding on a contact: recommending a decision, authorising or returning it, and recording
//! emergency action.

use super::after_contact_form;
use crate::errors::PageError;
use crate::forms::{renamed_fields, SignedInForm};
use crate::pages::parse_id;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use frontdoor_app::{RecommendationInput, ReviewInput};
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::ids::ContactId;

pub async fn recommend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: ContactId = parse_id(&id)?;
    let input = RecommendationInput {
        outcome: form.get("outcome").into(),
        level_of_need: form.get("level_of_need").into(),
        signposted_to: form.get("signposted_to").into(),
        rationale: form.get("rationale").into(),
    };
    let result = state
        .app
        .recommend_decision(&worker.actor(), id, &input)
        .await
        .map(|_| "recommended");
    after_contact_form(&state, &worker, id, form, result).await
}

pub async fn review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: ContactId = parse_id(&id)?;
    let input = ReviewInput {
        authorise: match form.get("decision") {
            "authorise" => Some(true),
            "return" => Some(false),
            _ => None,
        },
        rationale: form.get("review_rationale").into(),
        departure_reasons: frontdoor_app::reasons_from_fields(|field| Some(form.get(field))),
    };
    let result = state
        .app
        .review_decision(&worker.actor(), id, &input)
        .await
        .map(|state| {
            if state == DecisionState::Authorised {
                "authorised"
            } else {
                "returned"
            }
        });
    // The review form's field is named review_rationale on the page.
    let result = renamed_fields(result, &[("rationale", "review_rationale")]);
    after_contact_form(&state, &worker, id, form, result).await
}

pub async fn emergency_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: ContactId = parse_id(&id)?;
    let result = state
        .app
        .record_emergency_action(
            &worker.actor(),
            id,
            None,
            form.get("action"),
            form.get("notes"),
        )
        .await
        .map(|_| "emergency");
    after_contact_form(&state, &worker, id, form, result).await
}
