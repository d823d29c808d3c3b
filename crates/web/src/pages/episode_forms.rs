//! The forms about a child's episode and the records on it (enquiries, conferences, plans):
//! where each form's answer goes, and the yes/no answers they share.

use super::episodes::episode_page_response;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState};
use crate::AppState;
use axum::response::Response;
use frontdoor_app::{AppError, SignedIn};
use frontdoor_domain::ids::EpisodeId;

pub fn yes_no() -> Vec<Choice> {
    vec![Choice::new("yes", "Yes"), Choice::new("no", "No")]
}

/// "yes" / "no" from a radio, or nothing.
pub fn answer(form: &FormData, name: &str) -> Option<bool> {
    match form.get(name) {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// A form about an episode, or about one record on it (an enquiry, conference or plan: a form
/// the page repeats once per record): where the use case's answer to it goes.
pub struct EpisodeForm {
    episode: EpisodeId,
    record: Option<String>,
}

impl EpisodeForm {
    pub fn about(episode: EpisodeId) -> Self {
        EpisodeForm {
            episode,
            record: None,
        }
    }
    pub fn about_record(episode: EpisodeId, record: impl ToString) -> Self {
        EpisodeForm {
            episode,
            record: Some(record.to_string()),
        }
    }
    /// Back to the episode with a notice, or its page again with the form's errors.
    pub async fn answer<T>(
        self,
        state: &AppState,
        worker: &SignedIn,
        form: FormData,
        result: Result<T, AppError>,
        done: &str,
    ) -> Result<Response, PageError> {
        let EpisodeForm { episode, record } = self;
        after_form(
            result,
            |_| format!("/episodes/{episode}?done={done}"),
            |errors| {
                let form = FormState::sent(form, errors).for_record(record);
                episode_page_response(state, worker, episode, form, "")
            },
        )
        .await
    }
}
