//! Recording a child protection conference (initial or review) as held.

use super::episode_forms::{answer, EpisodeForm};
use super::parse_id;
use crate::errors::PageError;
use crate::forms::SignedInForm;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use frontdoor_app::ConferenceInput;
use frontdoor_domain::ids::ConferenceId;

pub async fn hold(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: ConferenceId = parse_id(&id)?;
    let conference = state.app.view_conference(&worker.actor(), id).await?;
    let input = ConferenceInput {
        held_on: form.get("held_on").into(),
        chair: form.get("chair").into(),
        plan: answer(&form, "plan"),
        category: form.get("category").into(),
    };
    let result = state
        .app
        .record_conference(&worker.actor(), id, &input)
        .await;
    EpisodeForm::about_record(conference.episode, id)
        .answer(&state, &worker, form, result, "conference")
        .await
}
