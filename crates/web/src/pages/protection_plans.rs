//! Child protection plans: statutory visits and ending a plan.

use super::episode_forms::{answer, EpisodeForm};
use super::parse_id;
use crate::errors::PageError;
use crate::forms::{renamed_fields, SignedInForm};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use frontdoor_app::{PlanEndInput, PlanVisitInput};
use frontdoor_domain::ids::PlanId;

// The plan's forms share a page with the enquiry's, so their fields are named apart.

pub async fn visit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: PlanId = parse_id(&id)?;
    let plan = state.app.view_plan(&worker.actor(), id).await?;
    let input = PlanVisitInput {
        visited_on: form.get("visited_on").into(),
        seen_alone: answer(&form, "plan_seen_alone"),
    };
    let result = renamed_fields(
        state
            .app
            .record_plan_visit(&worker.actor(), id, &input)
            .await,
        &[("seen_alone", "plan_seen_alone")],
    );
    EpisodeForm::about_record(plan.plan.episode, id)
        .answer(&state, &worker, form, result, "plan_visit")
        .await
}

pub async fn end(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: PlanId = parse_id(&id)?;
    let plan = state.app.view_plan(&worker.actor(), id).await?;
    let input = PlanEndInput {
        ended_on: form.get("ended_on").into(),
        reason: form.get("end_reason").into(),
    };
    let result = renamed_fields(
        state
            .app
            .end_protection_plan(&worker.actor(), id, &input)
            .await,
        &[("reason", "end_reason")],
    );
    EpisodeForm::about_record(plan.plan.episode, id)
        .answer(&state, &worker, form, result, "plan_ended")
        .await
}
