//! Contacts received, their people linked, and what followed them scheduled.

use super::*;

/// The counter a contact's reference number comes from: its year of receipt, in London.
pub(super) fn contact_counter(received_at: DateTime<Utc>) -> String {
    let year = london(to_stored_instant(received_at)).date().format("%Y");
    format!("contact-{year}")
}

impl Loader<'_> {
    /// Records a contact as received, with its people linked, and schedules what followed.
    pub(super) async fn receive(
        &mut self,
        tx: &mut Tx,
        synthetic: SyntheticContact,
    ) -> Result<(), AppError> {
        let authority = self.authority;
        let n = synthetic.number;
        let social_worker = pick(&self.staff.social_workers, n)
            .ok_or(AppError::NotFound("A MASH social worker"))?;
        let officer = pick(&self.staff.contact_officers, n).unwrap_or(social_worker);
        let manager = (0..self.staff.managers.len() as u64)
            .filter_map(|i| pick(&self.staff.managers, n + i))
            .find(|m| *m != social_worker)
            .ok_or(AppError::NotFound(
                "A team manager other than the recommending social worker",
            ))?;
        let received_at = to_stored_instant(synthetic.received_at);
        let recorded_at = to_stored_instant(synthetic.recorded_at);
        let linked_at = recorded_at + chrono::Duration::minutes(3);

        if let Some(household) = &synthetic.new_household {
            self.create_household(tx, household, linked_at, officer)
                .await?;
        }

        let received_local = london(received_at);
        let out_of_hours = self
            .app
            .settings()
            .office_hours
            .is_out_of_hours(&self.calendar, received_local);
        let due = Timescale::ThresholdDecision.due_by(&self.calendar, received_local.date());
        let decision_due_at = due.breached_from().map(from_london).unwrap_or(received_at);
        let year = received_local.date().format("%Y").to_string();
        let number = self.take_number(&contact_counter(received_at))?;
        let team = if self.teams.is_empty() {
            None
        } else {
            self.teams
                .get((n % self.teams.len() as u64) as usize)
                .copied()
        };
        let contact = Contact {
            id: ContactId::new(),
            authority,
            reference: contact_reference(year.parse().unwrap_or(0), number),
            received_at,
            recorded_at,
            recorded_by: Some(officer),
            channel: synthetic.channel,
            source: synthetic.source,
            referrer: Referrer {
                name: synthetic.referrer.name.clone(),
                organisation: synthetic.referrer.organisation.clone(),
                role: synthetic.referrer.role.clone(),
                phone: synthetic.referrer.phone.clone(),
                email: synthetic.referrer.email.clone(),
            },
            made_by_organisation: None,
            concern_categories: synthetic.concern_categories.clone(),
            concern_summary: synthetic.concern_summary.clone(),
            urgency: synthetic.urgency,
            out_of_hours,
            family_consent: synthetic.family_consent,
            consent_notes: synthetic.consent_notes.clone(),
            team,
            status: ContactStatus::AwaitingTriage,
            decision_due_at,
            decided_at: None,
        };
        contact_store::insert_contact(tx, &contact).await?;
        self.report.contacts += 1;
        self.report.rows += 2;
        self.event(
            tx,
            NewEvent::new(authority, recorded_at, "contact_recorded", contact.id.0)
                .recorded_by(Some(officer))
                .with(crate::event_payloads::contact_recorded(&contact)),
        )
        .await?;

        let mut people = Vec::new();
        let mut children = Vec::new();
        for (position, subject) in synthetic.subjects.iter().enumerate() {
            let person = self.person_id(subject.person)?;
            let described = &subject.described;
            self.batch()?.contact_subject(ContactSubject {
                id: Uuid::now_v7(),
                contact: contact.id,
                position: position as i32,
                is_child: subject.is_child,
                given_name: described.given_name.clone(),
                family_name: described.family_name.clone(),
                birth_date: described.birth_date,
                sex: described.sex,
                address: described.address.clone(),
                postcode: described.postcode.as_ref().map(|p| p.to_string()),
                nhs_number: described
                    .nhs_number
                    .as_ref()
                    .map(|n| n.as_str().to_string()),
                person: Some(person),
                linked_at: Some(linked_at),
                linked_by: Some(officer),
            });
            self.report.contact_subjects += 1;
            self.report.rows += 1;
            self.event(
                tx,
                NewEvent::new(authority, linked_at, "contact_linked", contact.id.0)
                    .recorded_by(Some(officer))
                    .about(person)
                    .with(crate::event_payloads::contact_linked(
                        &contact,
                        subject.is_child,
                        person,
                    )),
            )
            .await?;
            people.push(person);
            if subject.is_child {
                children.push((subject.person, person));
            }
        }

        if let Some(action) = synthetic.emergency_action.clone() {
            let person = self.person_id(action.child)?;
            let at = to_stored_instant(action.at).max(linked_at);
            self.schedule(
                at,
                Change::Emergency {
                    contact: contact.id,
                    reference: contact.reference.clone(),
                    person,
                    action,
                    worker: social_worker,
                },
            );
        }
        if let Some(decision) = synthetic.decision {
            let at = to_stored_instant(decision.recommended_at)
                .max(linked_at + chrono::Duration::seconds(1));
            let work = DecisionWork {
                contact: contact.id,
                reference: contact.reference,
                source: contact.source,
                received_on: received_local.date(),
                decision,
                decision_id: DecisionId::new(),
                people,
                children,
                assessments: synthetic.assessments,
                referrals: synthetic.referrals,
                social_worker,
                manager,
            };
            self.schedule(at, Change::Recommend(Box::new(work)));
        }
        Ok(())
    }
}
