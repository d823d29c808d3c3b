//! The threshold framework: the version in force, its history, and publishing a new version.

use super::views::*;
use super::{acting, done_message, DoneQuery};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, FormData, FormState, SignedInForm};
use crate::views::{instant, render, render_form, Chrome};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use frontdoor_app::SignedIn;
use frontdoor_domain::decision::{LevelOfNeed, ThresholdFramework};

const PAGE: &str = "/admin/threshold-framework";

pub async fn page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let history = state
        .app
        .threshold_framework_history(&acting(&worker))
        .await?;
    let current = history
        .current()
        .ok_or_else(|| PageError::NotFound("This authority has no threshold framework.".into()))?;
    Ok(render(&FrameworkPage {
        chrome: Chrome::for_worker(&state, &worker, PAGE),
        version: current.version.to_string(),
        published: format!(
            "{}{}",
            instant(current.published_at),
            current
                .published_by_name
                .as_ref()
                .map(|n| format!(" by {n}"))
                .unwrap_or_default()
        ),
        levels: current
            .framework
            .levels
            .iter()
            .map(|l| LevelRow {
                level: format!("Level {}", l.level),
                name: l.name.clone(),
                description: l.description.clone(),
            })
            .collect(),
        history: history
            .versions
            .iter()
            .map(|v| VersionRow {
                version: v.version.to_string(),
                published: instant(v.published_at),
                by: v
                    .published_by_name
                    .clone()
                    .unwrap_or_else(|| "Operator (command line)".into()),
                levels: v
                    .framework
                    .levels
                    .iter()
                    .map(|l| format!("{}. {}", l.level, l.name))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
        done: done_message(query.done.as_deref()),
    }))
}

fn edit_page(state: &AppState, worker: &SignedIn, version: i32, form: FormState) -> Response {
    let page = FrameworkEditPage {
        chrome: Chrome::for_worker(state, worker, PAGE),
        version: version.to_string(),
        rows: (1..=ThresholdFramework::MAX_LEVELS).collect(),
        form,
    };
    render_form(&page, &page.form)
}

pub async fn edit_form(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let history = state
        .app
        .threshold_framework_history(&acting(&worker))
        .await?;
    let current = history
        .current()
        .ok_or_else(|| PageError::NotFound("This authority has no threshold framework.".into()))?;
    let mut values = Vec::new();
    for level in &current.framework.levels {
        values.push((format!("level_{}_name", level.level), level.name.clone()));
        values.push((
            format!("level_{}_description", level.level),
            level.description.clone(),
        ));
    }
    Ok(edit_page(
        &state,
        &worker,
        current.version,
        FormState::filled(values),
    ))
}

/// The levels a form holds: every row up to the last one with anything in it (a blank row
/// before that is an error the framework names).
fn levels(form: &FormData) -> Vec<LevelOfNeed> {
    let rows: Vec<(String, String)> = (1..=ThresholdFramework::MAX_LEVELS)
        .map(|i| {
            (
                form.get(&format!("level_{i}_name")).to_string(),
                form.get(&format!("level_{i}_description")).to_string(),
            )
        })
        .collect();
    let used = rows
        .iter()
        .rposition(|(name, description)| !name.trim().is_empty() || !description.trim().is_empty())
        .map(|last| last + 1)
        .unwrap_or(0);
    rows.into_iter()
        .take(used)
        .enumerate()
        .map(|(i, (name, description))| LevelOfNeed {
            level: u8::try_from(i + 1).unwrap_or(u8::MAX),
            name,
            description,
        })
        .collect()
}

pub async fn publish(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let expected: i32 = form.get("version").trim().parse().map_err(|_| {
        PageError::BadRequest(
            "The form did not say which version it was edited from: open the edit page again."
                .into(),
        )
    })?;
    let result = state
        .app
        .publish_threshold_framework(&acting(&worker), expected, levels(&form))
        .await;
    after_form(
        result,
        |_| format!("{PAGE}?done=published"),
        |errors| async move {
            let form = FormState::sent(form, errors);
            Ok(edit_page(&state, &worker, expected, form))
        },
    )
    .await
}
