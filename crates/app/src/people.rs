//! People: creating and viewing records. Every view of a person's record is access-logged.

use crate::chronology::{self, ChronologyEntry};
use crate::contacts::parse_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::history::HistoryFlags;
use frontdoor_domain::ids::{AuthorityId, PersonId, WorkerId};
use frontdoor_domain::person::{EthnicityCode, NhsNumber, PersonName, Postcode, Sex, Upn};
use frontdoor_store::access_log::Access;
use frontdoor_store::contacts::Contact;
use frontdoor_store::events::NewEvent;
use frontdoor_store::people::{self as people_store, Address, Person, PreviousName, RelatedPerson};
use frontdoor_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A person's details as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub given_name: String,
    pub family_name: String,
    pub previous_family_names: Vec<String>,
    pub date_of_birth: String,
    /// The date is an expected date of birth (an unborn child).
    pub birth_date_expected: bool,
    pub sex: String,
    pub ethnicity: String,
    pub nhs_number: String,
    pub upn: String,
    pub disabilities: String,
    pub address_line1: String,
    pub address_line2: String,
    pub town: String,
    pub postcode: String,
}

/// Everything on a person's record page.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub person: Person,
    pub previous_names: Vec<PreviousName>,
    pub addresses: Vec<Address>,
    pub related: Vec<RelatedPerson>,
    pub contacts: Vec<Contact>,
    pub history: HistoryFlags,
    /// Everything recorded about the person, oldest first, in plain words.
    pub chronology: Vec<ChronologyEntry>,
    pub recent_access: Vec<Access>,
}

impl App {
    /// Validates and inserts a person (with their previous names, address and search keys) in
    /// the caller's transaction, with its event.
    pub(crate) async fn insert_person(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        input: &PersonInput,
    ) -> Result<Person, AppError> {
        self.insert_person_for(tx, actor.authority, Some(actor.worker), input, None)
            .await
    }

    /// As [`App::insert_person`], for an authority by a worker (or by the operator, when
    /// `worker` is `None`), keeping the LA person id given (a migration keeps the previous
    /// system's ids) or taking the next one.
    pub(crate) async fn insert_person_for(
        &self,
        tx: &mut Tx,
        authority: AuthorityId,
        worker: Option<WorkerId>,
        input: &PersonInput,
        la_person_id: Option<&str>,
    ) -> Result<Person, AppError> {
        let now = self.now();
        let mut checks = Checks::default();
        let name = checks.take(
            "family_name",
            PersonName::new(&input.given_name, &input.family_name),
        );
        let birth_date = match parse_date(&input.date_of_birth) {
            Ok(date) => date,
            Err(message) => {
                checks.add("date_of_birth", message);
                None
            }
        };
        let sex = checks.take("sex", input.sex.parse::<Sex>());
        let ethnicity = if input.ethnicity.trim().is_empty() {
            Some(EthnicityCode::NOT_OBTAINED)
        } else {
            checks.take("ethnicity", EthnicityCode::parse(&input.ethnicity))
        };
        let nhs_number = checks.optional("nhs_number", &input.nhs_number, NhsNumber::parse);
        let upn = checks.optional("upn", &input.upn, Upn::parse);
        let postcode = checks.optional("postcode", &input.postcode, Postcode::parse);
        if input.birth_date_expected && birth_date.is_none() {
            checks.add("date_of_birth", "Enter the expected date of birth.");
        }
        let previous_family_names: Vec<String> = input
            .previous_family_names
            .iter()
            .filter_map(|n| {
                checks.take("previous_family_names", PersonName::previous_family_name(n))
            })
            .filter(|n| !n.is_empty())
            .collect();
        checks.finish()?;
        let (Some(name), Some(sex), Some(ethnicity)) = (name, sex, ethnicity) else {
            return Err(AppError::invalid(
                "family_name",
                "Check the person's details.",
            ));
        };
        let la_person_id = match la_person_id {
            Some(id) => id.to_string(),
            None => {
                let number = people_store::next_counter(tx, authority, "person").await?;
                format!("P{number:07}")
            }
        };
        let person = Person {
            id: PersonId::new(),
            authority,
            la_person_id,
            given_name: name.given().to_string(),
            family_name: name.family().to_string(),
            birth_date,
            birth_date_expected: input.birth_date_expected,
            sex,
            ethnicity,
            nhs_number,
            upn,
            disabilities: if input.disabilities.trim().is_empty() {
                "NONE".into()
            } else {
                input.disabilities.trim().to_ascii_uppercase()
            },
            postcode,
            merged_into: None,
        };
        people_store::insert_person(tx, &person, now).await?;
        let previous = PreviousName::family_names(&person.given_name, previous_family_names);
        for name in &previous {
            people_store::insert_previous_name(tx, authority, person.id, name, now).await?;
        }
        if !input.address_line1.trim().is_empty() || person.postcode.is_some() {
            let address = Address {
                line1: input.address_line1.trim().to_string(),
                line2: input.address_line2.trim().to_string(),
                town: input.town.trim().to_string(),
                postcode: person.postcode.as_ref().map(|p| p.to_string()),
                from_date: None,
                to_date: None,
            };
            people_store::insert_address(tx, authority, person.id, &address, now).await?;
        }
        let keys = crate::search::blocking_keys_for(&person, &previous);
        people_store::replace_blocking_keys(tx, authority, person.id, &keys).await?;
        NewEvent::new(authority, now, "person_created", person.id.0)
            .recorded_by(worker)
            .about(person.id)
            .with(json!({ "la_person_id": person.la_person_id }))
            .append(tx)
            .await?;
        Ok(person)
    }

    /// Creates a person record.
    pub async fn create_person(
        &self,
        actor: &Actor,
        input: &PersonInput,
    ) -> Result<Person, AppError> {
        actor.may(Action::CreatePerson)?;
        let mut tx = self.store.begin().await?;
        let person = self.insert_person(&mut tx, actor, input).await?;
        tx.commit().await?;
        Ok(person)
    }

    /// A person's chronology in plain words, oldest first, keeping only `only` when given.
    /// Written to the access log (purpose "chronology") before anything is returned.
    pub async fn person_chronology(
        &self,
        actor: &Actor,
        id: PersonId,
        only: Option<chronology::EntryCategory>,
    ) -> Result<Vec<ChronologyEntry>, AppError> {
        actor.may(Action::ViewChildRecord)?;
        self.store
            .person(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        self.store
            .log_access(actor.authority, actor.worker, id, "chronology", self.now())
            .await?;
        Ok(chronology::in_words(
            &self.store.chronology(actor.authority, id).await?,
            only,
        ))
    }

    /// A person's record: details, relationships, contacts, history flags and chronology.
    /// The view is written to the access log before anything is returned.
    pub async fn view_person(&self, actor: &Actor, id: PersonId) -> Result<PersonView, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let person = self
            .store
            .person(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let now = self.now();
        self.store
            .log_access(actor.authority, actor.worker, id, "record", now)
            .await?;
        let contacts = self.store.contacts_of_person(actor.authority, id).await?;
        let contact_dates: Vec<_> = contacts
            .iter()
            .map(|c| london_date(c.received_at))
            .collect();
        let referrals = self.store.referral_dates(actor.authority, id).await?;
        let assessments = self.store.assessment_dates(actor.authority, id).await?;
        Ok(PersonView {
            history: HistoryFlags::at(london_date(now), &contact_dates, &referrals, &assessments),
            previous_names: self.store.previous_names(actor.authority, id).await?,
            addresses: self.store.addresses(actor.authority, id).await?,
            related: self.store.related_people(actor.authority, id).await?,
            chronology: chronology::in_words(
                &self.store.chronology(actor.authority, id).await?,
                None,
            ),
            recent_access: self.store.accesses_of(actor.authority, id, 20).await?,
            contacts,
            person,
        })
    }
}
