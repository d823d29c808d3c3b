//! Linking the people on a contact to records (or new ones), guarded against the contact
//! moving on meanwhile.

use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::ids::{ContactId, PersonId};
use frontdoor_store::contacts as contact_store;
use frontdoor_store::events::NewEvent;
use frontdoor_store::people as people_store;
use uuid::Uuid;

/// What to link a person on a contact to.
#[derive(Debug, Clone)]
pub enum LinkTarget {
    Existing(PersonId),
    /// Create a new record from what the referrer told us.
    NewRecord,
}

impl App {
    /// Links a child or adult on a contact to an existing record, or to a new one made from
    /// what the referrer said.
    pub async fn link_contact_subject(
        &self,
        actor: &Actor,
        contact_id: ContactId,
        subject_id: Uuid,
        target: LinkTarget,
    ) -> Result<PersonId, AppError> {
        self.authorize_contact(actor, Action::LinkPersonToContact, contact_id)
            .await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // Hold the contact while linking: a recommendation made meanwhile waits for this
        // transaction (and then names the person linked here), and a link attempted after a
        // recommendation sees it and is refused.
        let contact = contact_store::contact_for_update(&mut tx, actor.authority, contact_id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if !contact.status.accepts_recommendation() {
            drop(tx);
            let reason = match contact.status {
                ContactStatus::Decided => format!(
                    "Contact {} has been decided: the people on it can no longer be changed. Reload the contact to see the decision.",
                    contact.reference
                ),
                _ => format!(
                    "A recommendation on contact {} is awaiting a manager's authorisation: who it is about cannot change until the manager returns it. Reload the contact to see the recommendation.",
                    contact.reference
                ),
            };
            return Err(AppError::Conflict(reason));
        }
        let subjects =
            contact_store::subjects_for_update(&mut tx, actor.authority, contact_id).await?;
        let subject = subjects
            .iter()
            .find(|s| s.id == subject_id)
            .ok_or(AppError::NotFound("That person on the contact"))?;
        let person = match target {
            LinkTarget::Existing(person_id) => {
                // Held until commit, so a merge of this record waits for the link (and then
                // moves it) or has already happened (and the link is refused).
                let person =
                    people_store::people_for_update(&mut tx, actor.authority, &[person_id])
                        .await?
                        .pop()
                        .ok_or(AppError::NotFound("The person"))?;
                if let Some(survivor) = person.merged_into {
                    return Err(AppError::Conflict(format!(
                        "That record was merged into another ({survivor}): link that one instead."
                    )));
                }
                person
            }
            LinkTarget::NewRecord => {
                actor.may(Action::CreatePerson)?;
                let input = crate::PersonInput {
                    given_name: subject.given_name.clone(),
                    family_name: subject.family_name.clone(),
                    date_of_birth: subject
                        .birth_date
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    birth_date_expected: false,
                    sex: subject.sex.code().into(),
                    ethnicity: String::new(),
                    nhs_number: subject.nhs_number.clone().unwrap_or_default(),
                    upn: String::new(),
                    postcode: subject.postcode.clone().unwrap_or_default(),
                    address_line1: subject.address.clone(),
                    ..Default::default()
                };
                self.insert_person(&mut tx, actor, &input).await?
            }
        };
        contact_store::link_subject(
            &mut tx,
            actor.authority,
            contact_id,
            subject_id,
            person.id,
            actor.worker,
            now,
        )
        .await?;
        NewEvent::by(actor, now, "contact_linked", contact.id.0)
            .about(person.id)
            .with(crate::event_payloads::contact_linked(
                &contact,
                subject.is_child,
                person.id,
            ))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(person.id)
    }
}
