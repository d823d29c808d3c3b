//! How long partners have to answer information requests: the authority's urgent hours and
//! standard working days, set by an administrator.

use super::acting;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, FormState, SignedInForm};
use crate::views::{render_form, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::{AppError, SignedIn};
use frontdoor_domain::authorization::{authorize, Action, Resource};
use std::collections::HashMap;

const PAGE: &str = "/admin/information-requests";

#[derive(Template)]
#[template(path = "admin/information_requests.html")]
pub struct TimescalesPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub saved: bool,
}

fn page(state: &AppState, worker: &SignedIn, form: FormState, saved: bool) -> Response {
    let page = TimescalesPage {
        chrome: Chrome::for_worker(state, worker, PAGE),
        form,
        saved,
    };
    render_form(&page, &page.form)
}

pub async fn timescales(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    authorize(
        &actor,
        Action::ManageInformationRequestTimescales,
        &Resource::authority(actor.authority),
    )
    .require()
    .map_err(AppError::from)?;
    let rule = state
        .app
        .information_request_due_rule(&acting(&worker))
        .await?;
    let form = FormState::filled(vec![
        ("urgent_hours".into(), rule.urgent_hours().to_string()),
        (
            "standard_working_days".into(),
            rule.standard_working_days().to_string(),
        ),
    ]);
    Ok(page(&state, &worker, form, query.contains_key("saved")))
}

pub async fn set_timescales(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let result = state
        .app
        .set_information_request_due_rule(
            &acting(&worker),
            form.get("urgent_hours"),
            form.get("standard_working_days"),
        )
        .await;
    after_form(
        result,
        |_| format!("{PAGE}?saved=1"),
        |errors| async { Ok(page(&state, &worker, FormState::sent(form, errors), false)) },
    )
    .await
}
