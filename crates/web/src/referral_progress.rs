//! The page a partner practitioner sees for a referral their organisation made: received, the
//! authorised outcome in plain words, and who to contact. Never the working record.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::views::{instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::response::Response;
use frontdoor_app::ReferralProgress;
use frontdoor_domain::authorization::{Action, Role};
use frontdoor_domain::ids::ContactId;

#[derive(Template)]
#[template(path = "referral_progress.html")]
pub struct ReferralProgressPage {
    pub chrome: Chrome,
    pub notice: String,
    pub progress: ReferralProgress,
    pub received: String,
    pub decided: String,
}

/// A role that follows its own organisation's referrals but never sees the working record of a
/// contact (partner practitioners): its contact addresses show the referral's progress.
pub fn follows_referrals_only(role: Role) -> bool {
    role.allows(Action::FollowOwnReferral) && !role.allows(Action::ViewContact)
}

pub async fn page(
    state: &AppState,
    worker: &Worker,
    id: ContactId,
    notice: String,
) -> Result<Response, PageError> {
    let Worker(worker) = worker;
    let progress = state.app.referral_progress(&worker.actor(), id).await?;
    Ok(render(&ReferralProgressPage {
        chrome: Chrome::for_worker(state, worker, "/contacts"),
        notice,
        received: instant(progress.received_at),
        decided: progress.decided_at.map(instant).unwrap_or_default(),
        progress,
    }))
}
