//! Linking a child or adult on a contact to a person record (or creating one).

use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::SignedInForm;
use crate::pages::{candidate_rows, parse_id};
use crate::views::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::LinkTarget;
use frontdoor_domain::ids::{ContactId, PersonId};
use uuid::Uuid;

pub async fn link_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path((id, subject)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id: ContactId = parse_id(&id)?;
    let subject_id: Uuid = parse_id(&subject)?;
    let view = state.app.view_contact(&worker.actor(), id).await?;
    let subject = view
        .subjects
        .iter()
        .find(|s| s.subject.id == subject_id)
        .ok_or_else(|| PageError::NotFound("That person is not on this contact.".into()))?;
    let s = &subject.subject;
    let query = frontdoor_app::PersonQuery {
        given_name: s.given_name.clone(),
        family_name: s.family_name.clone(),
        date_of_birth: s.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        postcode: s.postcode.clone().unwrap_or_default(),
        nhs_number: s.nhs_number.clone().unwrap_or_default(),
        sex: s.sex.code().to_string(),
        ..Default::default()
    };
    let results = state.app.search_people(&worker.actor(), &query).await?;
    let page = LinkPage {
        chrome: Chrome::for_worker(&state, &worker, ""),
        contact_href: format!("/contacts/{id}"),
        action: format!("/contacts/{id}/subjects/{subject_id}/link"),
        reference: view.contact.reference.clone(),
        described: vec![
            ("Name".into(), s.full_name()),
            (
                "Date of birth".into(),
                s.birth_date.map(date).unwrap_or_else(|| "Not known".into()),
            ),
            ("Sex".into(), s.sex.label().into()),
            (
                "Address".into(),
                format!("{} {}", s.address, s.postcode.clone().unwrap_or_default())
                    .trim()
                    .to_string(),
            ),
            (
                "NHS number".into(),
                s.nhs_number.clone().unwrap_or_else(|| "Not known".into()),
            ),
        ],
        name: s.full_name(),
        searched: results.candidates_considered,
        candidates: candidate_rows(&results.results),
    };
    Ok(render(&page))
}

pub async fn link_subject(
    State(state): State<AppState>,
    Path((id, subject)): Path<(String, String)>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: ContactId = parse_id(&id)?;
    let subject_id: Uuid = parse_id(&subject)?;
    let target = if form.get("create") == "1" {
        LinkTarget::NewRecord
    } else {
        LinkTarget::Existing(parse_id::<PersonId>(form.get("person_id"))?)
    };
    state
        .app
        .link_contact_subject(&worker.actor(), id, subject_id, target)
        .await?;
    Ok(Redirect::to(&format!("/contacts/{id}?done=linked")).into_response())
}
