//! Child protection plans: statutory visits and ending a plan.

use super::episodes::{after_episode_form, answer};
use super::parse_id;
use crate::auth::{check_csrf, Worker};
use crate::errors::PageError;
use crate::forms::FormData;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use frontdoor_app::{AppError, PlanEndInput, PlanVisitInput};
use frontdoor_domain::ids::PlanId;

/// The plan's forms share a page with the enquiry's, so their fields are named apart.
fn renamed<T>(result: Result<T, AppError>, from: &str, to: &str) -> Result<T, AppError> {
    result.map_err(|e| match e {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut error| {
                    if error.field == from {
                        error.field = to.into();
                    }
                    error
                })
                .collect(),
        ),
        other => other,
    })
}

pub async fn visit(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    check_csrf(&worker, &form)?;
    let id: PlanId = parse_id(&id)?;
    let plan = state.app.view_plan(&worker.actor(), id).await?;
    let input = PlanVisitInput {
        visited_on: form.get("visited_on").into(),
        seen_alone: answer(&form, "plan_seen_alone"),
    };
    let result = renamed(
        state
            .app
            .record_plan_visit(&worker.actor(), id, &input)
            .await,
        "seen_alone",
        "plan_seen_alone",
    );
    after_episode_form(
        &state,
        &worker,
        plan.plan.episode,
        form,
        result,
        "plan_visit",
    )
    .await
}

pub async fn end(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    check_csrf(&worker, &form)?;
    let id: PlanId = parse_id(&id)?;
    let plan = state.app.view_plan(&worker.actor(), id).await?;
    let input = PlanEndInput {
        ended_on: form.get("ended_on").into(),
        reason: form.get("end_reason").into(),
    };
    let result = renamed(
        state
            .app
            .end_protection_plan(&worker.actor(), id, &input)
            .await,
        "reason",
        "end_reason",
    );
    after_episode_form(
        &state,
        &worker,
        plan.plan.episode,
        form,
        result,
        "plan_ended",
    )
    .await
}
