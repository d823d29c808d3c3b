//! Pages for likely duplicates and for merging (and un-merging) person records.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, FormState, SignedInForm};
use crate::pages::path_id;
use crate::views::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::records::Person;
use frontdoor_app::AppError;
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::PersonId;
use std::collections::HashMap;

fn summary(person: &Person) -> String {
    format!(
        "{} ({}), born {}{}",
        person.full_name(),
        person.la_person_id,
        person
            .birth_date
            .map(date)
            .unwrap_or_else(|| "date not known".into()),
        person
            .postcode
            .as_ref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default()
    )
}

fn details(person: &Person) -> Vec<(String, String)> {
    vec![
        ("Name".into(), person.full_name()),
        ("Person ID".into(), person.la_person_id.clone()),
        (
            "Date of birth".into(),
            person
                .birth_date
                .map(date)
                .unwrap_or_else(|| "Not known".into()),
        ),
        ("Sex".into(), person.sex.label().into()),
        (
            "NHS number".into(),
            person
                .nhs_number
                .as_ref()
                .map(|n| n.formatted())
                .unwrap_or_else(|| "Not known".into()),
        ),
        (
            "Postcode".into(),
            person
                .postcode
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_else(|| "Not known".into()),
        ),
    ]
}

pub async fn duplicates(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    // The stored report (refreshed by `frontdoor duplicates refresh` and after loads): no
    // visit waits for every person of the authority to be paired.
    let stored = state.app.stored_duplicates(&actor, 200).await?;
    let rows = stored
        .pairs
        .iter()
        .map(|p| DuplicateRow {
            first_id: p.first.id.to_string(),
            first: summary(&p.first),
            second_id: p.second.id.to_string(),
            second: summary(&p.second),
            score: format!("{:.1}", p.score),
            strength: if p.confident {
                "Strong match".into()
            } else {
                "Possible match".into()
            },
            tag: if p.confident {
                "govuk-tag--green"
            } else {
                "govuk-tag--yellow"
            },
            reasons: p
                .reasons
                .iter()
                .map(|r| format!("{}: {} ({:+.1})", r.field, r.level, r.weight))
                .collect(),
        })
        .collect();
    Ok(render(&DuplicatesPage {
        chrome: Chrome::for_worker(&state, &worker, "/people/duplicates"),
        pairs: rows,
        computed: stored.computed_at.map(crate::views::instant),
        people_compared: stored.people,
        can_merge: actor.role.allows(Action::MergePeople),
    }))
}

fn person_id(text: &str) -> Result<PersonId, PageError> {
    path_id(text, "person")
}

async fn merge_page(
    state: &AppState,
    worker: &frontdoor_app::SignedIn,
    keep: PersonId,
    merge: PersonId,
    form: FormState,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    if !actor.role.allows(Action::MergePeople) {
        return Err(AppError::Denied(
            frontdoor_domain::authorization::DenialReason::RoleNotPermitted,
        )
        .into());
    }
    let kept = state.app.view_person(&actor, keep).await?.person;
    let merged = state.app.view_person(&actor, merge).await?.person;
    let page = MergePage {
        chrome: Chrome::for_worker(state, worker, ""),
        form,
        keep_id: keep.to_string(),
        keep_name: kept.full_name(),
        keep_details: details(&kept),
        merge_id: merge.to_string(),
        merge_name: merged.full_name(),
        merge_details: details(&merged),
    };
    Ok(render_form(&page, &page.form))
}

pub async fn merge_form(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    merge_page(
        &state,
        &worker,
        person_id(&get("keep"))?,
        person_id(&get("merge"))?,
        FormState::default(),
    )
    .await
}

pub async fn merge(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let (keep, merge) = (person_id(form.get("keep"))?, person_id(form.get("merge"))?);
    let result = state
        .app
        .merge_people(&worker.actor(), keep, merge, form.get("reason"))
        .await;
    after_form(
        result,
        |_| format!("/people/{keep}"),
        |errors| merge_page(&state, &worker, keep, merge, FormState::sent(form, errors)),
    )
    .await
}

pub async fn reverse(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let merge_id: uuid::Uuid = path_id(&id, "merge")?;
    let actor = worker.actor();
    state
        .app
        .reverse_merge(&actor, merge_id, form.get("reason"))
        .await?;
    Ok(Redirect::to("/people/duplicates").into_response())
}

/// The merge history shown on a person's page.
pub async fn merge_rows(
    state: &AppState,
    worker: &frontdoor_app::SignedIn,
    person: PersonId,
) -> Result<Vec<MergeRow>, PageError> {
    let merges = state.app.merges_of(&worker.actor(), person).await?;
    Ok(merges
        .iter()
        .map(|m| MergeRow {
            id: m.id.to_string(),
            description: format!(
                "{} {} on {}: {}{}",
                if m.kept == person {
                    "Another record was merged into this one"
                } else {
                    "This record was merged into"
                },
                if m.kept == person {
                    String::new()
                } else {
                    m.kept.to_string()
                },
                instant(m.merged_at),
                m.reason,
                m.reversed_at
                    .map(|at| format!(" (reversed {})", instant(at)))
                    .unwrap_or_default()
            ),
            reversible: m.reversed_at.is_none(),
        })
        .collect())
}
