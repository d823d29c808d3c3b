//! The authority's threshold prompts, set by an administrator: which are on, their ages and
//! counts, the outcome each asks for, and the source each comes from.

use super::acting;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormState, SignedInForm};
use crate::views::{render_form, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::{rule_field, PromptRuleInput, SignedIn};
use frontdoor_domain::threshold_prompt::{PromptKind, PROMPTABLE_OUTCOMES};
use std::collections::HashMap;

const PAGE: &str = "/admin/threshold-prompts";

/// One prompt's fields on the form.
pub struct PromptFields {
    pub name: &'static str,
    pub enabled: String,
    pub first: String,
    pub first_label: &'static str,
    /// (field, label) of the second parameter, when the kind has one.
    pub second: Option<(String, &'static str)>,
    pub minimum_outcome: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "admin/threshold_prompts.html")]
pub struct ThresholdPromptsPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub prompts: Vec<PromptFields>,
    pub outcomes: Vec<Choice>,
    pub saved: bool,
}

fn page(state: &AppState, worker: &SignedIn, form: FormState, saved: bool) -> Response {
    let prompts = PromptKind::ALL
        .iter()
        .map(|kind| {
            let (first_label, second_label) = kind.parameter_labels();
            PromptFields {
                name: kind.name(),
                enabled: rule_field(*kind, "enabled"),
                first: rule_field(*kind, "first_parameter"),
                first_label,
                second: second_label.map(|label| (rule_field(*kind, "second_parameter"), label)),
                minimum_outcome: rule_field(*kind, "minimum_outcome"),
                source: rule_field(*kind, "source"),
            }
        })
        .collect();
    let page = ThresholdPromptsPage {
        chrome: Chrome::for_worker(state, worker, PAGE),
        form,
        prompts,
        outcomes: Choice::each(&PROMPTABLE_OUTCOMES, |o| (o.code(), o.label())),
        saved,
    };
    render_form(&page, &page.form)
}

pub async fn rules(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rules = state.app.threshold_prompt_rules(&acting(&worker)).await?;
    let mut fields = Vec::new();
    for rule in &rules {
        let input = PromptRuleInput::from_rule(rule);
        let kind = rule.kind();
        if rule.enabled {
            fields.push((rule_field(kind, "enabled"), "yes".to_string()));
        }
        fields.push((rule_field(kind, "first_parameter"), input.first_parameter));
        fields.push((rule_field(kind, "second_parameter"), input.second_parameter));
        fields.push((rule_field(kind, "minimum_outcome"), input.minimum_outcome));
        fields.push((rule_field(kind, "source"), input.source));
    }
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
    let input: Vec<PromptRuleInput> = PromptKind::ALL
        .iter()
        .map(|kind| PromptRuleInput {
            kind: kind.code().into(),
            enabled: form.get(&rule_field(*kind, "enabled")) == "yes",
            first_parameter: form.get(&rule_field(*kind, "first_parameter")).into(),
            second_parameter: form.get(&rule_field(*kind, "second_parameter")).into(),
            minimum_outcome: form.get(&rule_field(*kind, "minimum_outcome")).into(),
            source: form.get(&rule_field(*kind, "source")).into(),
        })
        .collect();
    let result = state
        .app
        .set_threshold_prompt_rules(&acting(&worker), &input)
        .await;
    after_form(
        result,
        |_| format!("{PAGE}?saved=1"),
        |errors| async { Ok(page(&state, &worker, FormState::sent(form, errors), false)) },
    )
    .await
}
