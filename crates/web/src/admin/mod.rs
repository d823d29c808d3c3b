//! The administrator's pages: workers (deactivate, reactivate, reset a password, end sessions,
//! change role or team), partner organisations, teams, and the threshold framework. Every
//! page and form goes through a use case that asks the policy, so only administrators get
//! past the first line; every form is a POST carrying the session's CSRF token, and the
//! destructive ones (deactivate, end sessions, retire) ask for confirmation on a page first.

mod framework;
mod information_requests;
mod organisations;
mod threshold_prompts;
mod views;
mod workers;
mod workloads;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::{ActingAs, SignedIn};

/// The administration routes, merged into the router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/workers", get(workers::list))
        .route("/admin/workers/{id}", get(workers::page))
        .route(
            "/admin/workers/{id}/deactivate",
            get(workers::confirm_deactivate).post(workers::deactivate),
        )
        .route("/admin/workers/{id}/reactivate", post(workers::reactivate))
        .route(
            "/admin/workers/{id}/password",
            get(workers::password_form).post(workers::reset_password),
        )
        .route(
            "/admin/workers/{id}/end-sessions",
            get(workers::confirm_end_sessions).post(workers::end_sessions),
        )
        .route(
            "/admin/workers/{id}/email",
            get(workers::email_form).post(workers::set_email),
        )
        .route(
            "/admin/workers/{id}/change",
            get(workers::change_form).post(workers::change),
        )
        .route(
            "/admin/organisations",
            get(organisations::organisations).post(organisations::add_organisation),
        )
        .route(
            "/admin/organisations/{id}/rename",
            get(organisations::rename_organisation_form).post(organisations::rename_organisation),
        )
        .route(
            "/admin/organisations/{id}/retire",
            get(organisations::confirm_retire_organisation)
                .post(organisations::retire_organisation),
        )
        .route(
            "/admin/teams",
            get(organisations::teams).post(organisations::add_team),
        )
        .route(
            "/admin/teams/{id}/rename",
            get(organisations::rename_team_form).post(organisations::rename_team),
        )
        .route(
            "/admin/teams/{id}/retire",
            get(organisations::confirm_retire_team).post(organisations::retire_team),
        )
        .route(
            "/admin/information-requests",
            get(information_requests::timescales).post(information_requests::set_timescales),
        )
        .route(
            "/admin/workloads",
            get(workloads::rules).post(workloads::set_rules),
        )
        .route(
            "/admin/threshold-prompts",
            get(threshold_prompts::rules).post(threshold_prompts::set_rules),
        )
        .route("/admin/threshold-framework", get(framework::page))
        .route(
            "/admin/threshold-framework/edit",
            get(framework::edit_form).post(framework::publish),
        )
}

/// The signed-in worker as the one acting (the use cases check they are an administrator).
fn acting(worker: &SignedIn) -> ActingAs {
    ActingAs::Worker(worker.actor())
}

/// The message a page shows after a change, from its `done` query value.
fn done_message(done: Option<&str>) -> Option<&'static str> {
    crate::views::done_notice(
        done,
        &[
            ("deactivated", "The account was deactivated and its sessions ended."),
            ("reactivated", "The account was reactivated."),
            ("password", "The password was reset and every session of this worker ended."),
            ("sessions", "Every session of this worker ended."),
            ("email", "The email address for notifications was saved."),
            ("changed", "The role and team were changed; the worker's sessions ended, so the change applies at once."),
            ("organisation-added", "The organisation was added."),
            ("organisation-renamed", "The organisation was renamed."),
            ("organisation-retired", "The organisation was retired and its practitioners deactivated."),
            ("team-added", "The team was added."),
            ("team-renamed", "The team was renamed."),
            ("team-retired", "The team was retired."),
            ("published", "The new version of the threshold framework is in force."),
        ],
    )
}

#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}
