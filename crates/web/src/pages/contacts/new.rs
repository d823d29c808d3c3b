//! Recording a new contact.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, FormData, FormState, SignedInForm};
use crate::pages::can;
use crate::views::*;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use frontdoor_app::records::Referrer;
use frontdoor_app::{AppError, ContactInput, SignedIn, SubjectInput};
use frontdoor_domain::authorization::Action;

/// Reads a contact form (staff or public) into the app's input.
pub fn contact_input(form: &FormData) -> ContactInput {
    let subject = |prefix: &str, i: usize| SubjectInput {
        given_name: form.get(&format!("{prefix}[{i}].given_name")).to_string(),
        family_name: form.get(&format!("{prefix}[{i}].family_name")).to_string(),
        date_of_birth: form
            .get(&format!("{prefix}[{i}].date_of_birth"))
            .to_string(),
        sex: form.get(&format!("{prefix}[{i}].sex")).to_string(),
        address: form.get(&format!("{prefix}[{i}].address")).to_string(),
        postcode: form.get(&format!("{prefix}[{i}].postcode")).to_string(),
        nhs_number: form.get(&format!("{prefix}[{i}].nhs_number")).to_string(),
    };
    ContactInput {
        received_date: form.get("received_date").to_string(),
        received_time: form.get("received_time").to_string(),
        channel: form.get("channel").to_string(),
        source: form.get("source").to_string(),
        referrer: Referrer {
            name: form.get("referrer.name").to_string(),
            organisation: form.get("referrer.organisation").to_string(),
            role: form.get("referrer.role").to_string(),
            phone: form.get("referrer.phone").to_string(),
            email: form.get("referrer.email").to_string(),
        },
        concern_categories: form.all("concern_categories"),
        concern_summary: form.get("concern_summary").to_string(),
        urgency: form.get("urgency").to_string(),
        family_consent: form.get("family_consent").to_string(),
        consent_notes: form.get("consent_notes").to_string(),
        children: (0..4).map(|i| subject("children", i)).collect(),
        adults: (0..2).map(|i| subject("adults", i)).collect(),
    }
}

/// The form to record a contact, blank or as sent with its errors (422).
fn new_contact_form(state: &AppState, worker: &SignedIn, form: FormState) -> Response {
    let page = NewContactPage {
        chrome: Chrome::for_worker(state, worker, "/contacts/new"),
        form,
        choices: ContactChoices::new(false),
    };
    render_form(&page, &page.form)
}

pub async fn new_contact_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    if !can(&worker, Action::RecordContact) {
        return Err(AppError::Denied(
            frontdoor_domain::authorization::DenialReason::RoleNotPermitted,
        )
        .into());
    }
    let form = FormState::filled(vec![
        ("channel".into(), "phone".into()),
        ("urgency".into(), "standard".into()),
    ]);
    Ok(new_contact_form(&state, &worker, form))
}

pub async fn record_contact(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let result = state
        .app
        .record_contact(&worker.actor(), &contact_input(&form))
        .await;
    after_form(
        result,
        |contact| format!("/contacts/{}?recorded=1", contact.id),
        |errors| async {
            Ok(new_contact_form(
                &state,
                &worker,
                FormState::sent(form, errors),
            ))
        },
    )
    .await
}
