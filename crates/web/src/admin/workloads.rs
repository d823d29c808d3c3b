//! The weight of an open episode at each stage, and the caseload protected for workers in
//! their ASYE year: set by an administrator.

use super::acting;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, FormState, SignedInForm};
use crate::views::{render_form, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::{SignedIn, WorkloadRulesInput};
use frontdoor_domain::workload::CaseStage;
use std::collections::HashMap;

const PAGE: &str = "/admin/workloads";

#[derive(Template)]
#[template(path = "admin/workloads.html")]
pub struct WorkloadRulesPage {
    pub chrome: Chrome,
    pub form: FormState,
    /// (field, label) for each stage's weight.
    pub stages: Vec<(&'static str, String)>,
    pub saved: bool,
}

fn page(state: &AppState, worker: &SignedIn, form: FormState, saved: bool) -> Response {
    let page = WorkloadRulesPage {
        chrome: Chrome::for_worker(state, worker, PAGE),
        form,
        stages: CaseStage::ALL
            .iter()
            .map(|s| (s.code(), format!("{} (0.1 to 10)", s.label())))
            .collect(),
        saved,
    };
    render_form(&page, &page.form)
}

pub async fn rules(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rules = state.app.workload_rules(&acting(&worker)).await?;
    let mut fields: Vec<(String, String)> = CaseStage::ALL
        .iter()
        .map(|s| (s.code().to_string(), rules.weight(*s).to_string()))
        .collect();
    fields.push(("asye_cap".into(), rules.asye_cap().to_string()));
    Ok(page(
        &state,
        &worker,
        FormState::filled(fields),
        query.contains_key("saved"),
    ))
}

pub async fn set_rules(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let input = WorkloadRulesInput {
        child_protection: form.get("child_protection").into(),
        section_47: form.get("section_47").into(),
        assessment: form.get("assessment").into(),
        child_in_need: form.get("child_in_need").into(),
        asye_cap: form.get("asye_cap").into(),
    };
    let result = state.app.set_workload_rules(&acting(&worker), &input).await;
    after_form(
        result,
        |_| format!("{PAGE}?saved=1"),
        |errors| async { Ok(page(&state, &worker, FormState::sent(form, errors), false)) },
    )
    .await
}
