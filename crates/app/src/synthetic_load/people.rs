//! Households: people with previous names, addresses, relationships and search keys.

use super::*;

impl Loader<'_> {
    /// Stores a new household's people, previous names, address, relationships and search keys.
    pub(super) async fn create_household(
        &mut self,
        tx: &mut Tx,
        household: &SyntheticHousehold,
        at: DateTime<Utc>,
        officer: WorkerId,
    ) -> Result<(), AppError> {
        let authority = self.authority;
        let address = Address {
            line1: household.address.line1.clone(),
            line2: household.address.line2.clone(),
            town: household.address.town.clone(),
            postcode: Some(household.address.postcode.to_string()),
            from_date: None,
            to_date: None,
        };
        let mut stored = Vec::with_capacity(household.people.len());
        for synthetic in &household.people {
            let number = self.take_number("person")?;
            let person = Person {
                id: PersonId::new(),
                authority,
                la_person_id: format!("P{number:07}"),
                given_name: synthetic.given_name.clone(),
                family_name: synthetic.family_name.clone(),
                birth_date: Some(synthetic.birth_date),
                birth_date_expected: false,
                sex: synthetic.sex,
                ethnicity: synthetic.ethnicity,
                nhs_number: synthetic.nhs_number.clone(),
                upn: synthetic.upn.clone(),
                disabilities: synthetic.disabilities.to_string(),
                postcode: Some(household.address.postcode.clone()),
                merged_into: None,
            };
            let previous =
                PreviousName::family_names(&person.given_name, &synthetic.previous_family_names);
            let keys = crate::search::blocking_keys_for(&person, &previous);
            let rows = self.batch()?;
            rows.person(person.clone(), at);
            for name in &previous {
                rows.previous_name(person.id, name.clone(), at);
            }
            rows.address(person.id, address.clone(), at);
            rows.blocking_keys(person.id, &keys);
            let index = synthetic.key.0 as usize;
            if self.people.len() <= index {
                self.people.resize(index + 1, None);
            }
            self.people[index] = Some(person.id);
            self.report.people += 1;
            self.report.previous_names += previous.len() as u64;
            self.report.rows += 3 + previous.len() as u64 + keys.len() as u64;
            stored.push((synthetic.key, person));
        }
        for r in &household.relationships {
            let (from, to) = (self.person_id(r.person)?, self.person_id(r.related)?);
            self.batch()?.relationship(from, r.relationship, to, at);
            self.report.relationships += 1;
            self.report.rows += 1;
        }
        for (key, person) in &stored {
            let mut relationships = Vec::new();
            for r in household.relationships.iter().filter(|r| r.person == *key) {
                relationships.push(json!({ "relationship": r.relationship.code(), "person": self.person_id(r.related)? }));
            }
            let created =
                json!({ "la_person_id": person.la_person_id, "relationships": relationships });
            let event = NewEvent::new(authority, at, "person_created", person.id.0)
                .recorded_by(Some(officer))
                .about(person.id)
                .with(created);
            self.event(tx, event).await?;
        }
        Ok(())
    }
}
