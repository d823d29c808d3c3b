//! People: person search and the person record (details, history, chronology, merges, access).

use super::family_network::FamilyNetworkSection;
use super::{can, candidate_rows, history_flags, parse_id, HistoryContext};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::FormState;
use crate::views::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::chronology::{ChronologyEntry, EntryCategory};
use frontdoor_app::{AppError, PersonView};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::PersonId;
use std::collections::HashMap;

pub async fn person_search(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    let searched = [
        "given_name",
        "family_name",
        "date_of_birth",
        "postcode",
        "nhs_number",
        "la_person_id",
    ]
    .iter()
    .any(|k| !get(k).trim().is_empty());
    let values: Vec<(String, String)> = query.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut form = FormState::filled(values);
    let mut candidates = Vec::new();
    if searched {
        let q = frontdoor_app::PersonQuery {
            given_name: get("given_name"),
            family_name: get("family_name"),
            date_of_birth: get("date_of_birth"),
            postcode: get("postcode"),
            nhs_number: get("nhs_number"),
            la_person_id: get("la_person_id"),
            ..Default::default()
        };
        match state.app.search_people(&worker.actor(), &q).await {
            Ok(results) => candidates = candidate_rows(&results.results),
            Err(AppError::Invalid(errors)) => form.errors = errors,
            Err(e) => return Err(e.into()),
        }
    } else if !can(&worker, Action::SearchPeople) {
        return Err(AppError::Denied(
            frontdoor_domain::authorization::DenialReason::RoleNotPermitted,
        )
        .into());
    }
    Ok(render(&PersonSearchPage {
        chrome: Chrome::for_worker(&state, &worker, "/people/search"),
        searched: searched && !form.has_errors(),
        form,
        candidates,
    }))
}

fn chronology_row(entry: &ChronologyEntry) -> ChronologyRow {
    ChronologyRow {
        datetime: entry.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        when: instant(entry.at),
        category: entry.category.label(),
        what: entry.title.clone(),
        detail: entry.detail.clone(),
        by: entry.by.clone(),
    }
}

/// The chronology filter's choices: every kind present on this record, with how many entries.
fn chronology_filter(
    entries: &[ChronologyEntry],
    shown: Option<EntryCategory>,
) -> Vec<FilterChoice> {
    EntryCategory::ALL
        .into_iter()
        .filter_map(|category| {
            let count = entries.iter().filter(|e| e.category == category).count();
            (count > 0).then(|| FilterChoice {
                value: category.code(),
                label: format!("{} ({count})", category.label()),
                selected: shown == Some(category),
            })
        })
        .collect()
}

pub async fn person_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    // `?show=strategy_discussion` keeps one kind of entry; anything else shows them all.
    let shown = query
        .get("show")
        .and_then(|code| EntryCategory::from_code(code));
    let id: PersonId = parse_id(&id)?;
    let PersonView {
        person,
        previous_names,
        addresses,
        related: _,
        contacts,
        history,
        chronology,
        recent_access,
    } = state.app.view_person(&worker.actor(), id).await?;
    let mut details = vec![
        ("Person ID".to_string(), person.la_person_id.clone()),
        (
            "Date of birth".to_string(),
            match (person.birth_date, person.birth_date_expected) {
                (Some(d), true) => format!("Expected {}", date(d)),
                (Some(d), false) => format!(
                    "{} (age {})",
                    date(d),
                    person
                        .age_on(frontdoor_app::london_date(state.app.now()))
                        .unwrap_or(0)
                ),
                (None, _) => "Not known".into(),
            },
        ),
        ("Sex".to_string(), person.sex.label().into()),
        (
            "Ethnicity".to_string(),
            format!("{} ({})", person.ethnicity.label(), person.ethnicity.code()),
        ),
        (
            "NHS number".to_string(),
            person
                .nhs_number
                .as_ref()
                .map(|n| n.formatted())
                .unwrap_or_else(|| "Not known".into()),
        ),
        (
            "Unique pupil number".to_string(),
            person
                .upn
                .as_ref()
                .map(|u| u.as_str().to_string())
                .unwrap_or_else(|| "Not known".into()),
        ),
        ("Disability".to_string(), person.disabilities.clone()),
    ];
    if !previous_names.is_empty() {
        details.push((
            "Previous names".to_string(),
            previous_names
                .iter()
                .map(|n| format!("{} {}", n.given_name, n.family_name))
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    if let Some(address) = addresses.first() {
        details.push((
            "Address".to_string(),
            [
                address.line1.as_str(),
                address.line2.as_str(),
                address.town.as_str(),
                address.postcode.as_deref().unwrap_or(""),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        ));
    }
    if let Some(survivor) = person.merged_into {
        details.push((
            "Merged".to_string(),
            format!("This record was merged into {survivor}"),
        ));
    }
    let network = state.app.family_network(&worker.actor(), id).await?;
    let episodes = state
        .app
        .episodes_of_child(&worker.actor(), id)
        .await?
        .iter()
        .map(|e| {
            (
                format!("/episodes/{}", e.id),
                date(e.referral_date),
                match (e.closed_on, e.closure_reason) {
                    (Some(on), Some(reason)) => format!("Closed {}: {}", date(on), reason.label()),
                    _ => "Open".to_string(),
                },
            )
        })
        .collect();
    let supervision = if can(&worker, Action::ViewSupervision) {
        let child = state.app.child_supervision(&worker.actor(), id).await?;
        Some(crate::pages::supervision::ChildSupervisionSection::of(
            &child,
        ))
    } else {
        None
    };
    let early_help = if can(&worker, Action::ViewEarlyHelp) {
        Some(
            state
                .app
                .early_help_of_child(&worker.actor(), id)
                .await?
                .iter()
                .map(|e| {
                    (
                        format!("/early-help/{}", e.id),
                        date(e.opened_on),
                        e.status.label().to_string(),
                    )
                })
                .collect(),
        )
    } else {
        None
    };
    let page = PersonPage {
        supervision,
        episodes,
        early_help,
        chrome: Chrome::for_worker(&state, &worker, ""),
        name: person.full_name(),
        details,
        flags: history_flags(&history, HistoryContext::OnRecord),
        network: FamilyNetworkSection::of(&network),
        can_record_relationship: can(&worker, Action::EditPerson),
        contacts: contacts
            .iter()
            .map(|c| {
                (
                    format!("/contacts/{}", c.id),
                    c.reference.clone(),
                    instant(c.received_at),
                    c.status.label().to_string(),
                )
            })
            .collect(),
        chronology_filter: chronology_filter(&chronology, shown),
        chronology: chronology
            .iter()
            .filter(|entry| shown.is_none_or(|category| entry.category == category))
            .map(chronology_row)
            .collect(),
        person_id: id.to_string(),
        merges: crate::merging::merge_rows(&state, &worker, id).await?,
        can_merge: worker.worker.role.allows(Action::MergePeople),
        access: recent_access
            .iter()
            .map(|a| {
                (
                    instant(a.accessed_at),
                    a.actor_name.clone().unwrap_or_default(),
                    a.purpose.clone(),
                )
            })
            .collect(),
    };
    Ok(render(&page))
}
