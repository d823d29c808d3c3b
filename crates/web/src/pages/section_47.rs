//! Section 47 enquiries: starting one from a signed-off strategy discussion, visits, outcome.

use super::episode_forms::{answer, EpisodeForm};
use super::parse_id;
use crate::errors::PageError;
use crate::forms::SignedInForm;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::{EnquiryOutcomeInput, EnquiryVisitInput};
use frontdoor_domain::ids::{EnquiryId, StrategyDiscussionId};

pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let id: StrategyDiscussionId = parse_id(&id)?;
    let enquiry = state.app.start_section_47(&worker.actor(), id).await?;
    Ok(Redirect::to(&format!("/episodes/{}?done=enquiry", enquiry.episode)).into_response())
}

pub async fn visit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EnquiryId = parse_id(&id)?;
    let enquiry = state.app.view_enquiry(&worker.actor(), id).await?;
    let input = EnquiryVisitInput {
        visited_date: form.get("visited_date").into(),
        visited_time: form.get("visited_time").into(),
        visited_by: form.get("visited_by").into(),
        child_seen: answer(&form, "child_seen"),
        seen_alone: answer(&form, "seen_alone"),
        early_visit_reason: form.get("early_visit_reason").into(),
    };
    let result = state
        .app
        .record_section_47_visit(&worker.actor(), id, &input)
        .await;
    EpisodeForm::about_record(enquiry.episode, id)
        .answer(&state, &worker, form, result, "visit")
        .await
}

pub async fn outcome(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EnquiryId = parse_id(&id)?;
    let enquiry = state.app.view_enquiry(&worker.actor(), id).await?;
    let input = EnquiryOutcomeInput {
        concerns_substantiated: answer(&form, "concerns_substantiated"),
        icpc_needed: answer(&form, "icpc_needed"),
        reason: form.get("reason").into(),
        completed_on: form.get("completed_on").into(),
    };
    let result = state
        .app
        .complete_section_47(&worker.actor(), id, &input)
        .await;
    EpisodeForm::about_record(enquiry.episode, id)
        .answer(&state, &worker, form, result, "outcome")
        .await
}
