//! Sending a request: from a contact, or from a child's episode later on; every field checked,
//! the contact held while its child is checked, the due instant from the authority's rule, and
//! the organisation's practitioners told in the same transaction.

use super::*;

impl App {
    /// Sends an information request to a partner organisation about a child on a contact, or
    /// from a child's episode at any time after the referral (about the episode's child,
    /// carrying the episode and the contact that began it). The organisation's practitioners
    /// are told in the same transaction.
    pub async fn request_information(
        &self,
        actor: &Actor,
        on: impl Into<RequestsOn>,
        input: &InformationRequestInput,
    ) -> Result<InformationRequest, AppError> {
        let episode_id = match on.into() {
            RequestsOn::Contact(contact_id) => {
                let contact = self
                    .authorize_contact(actor, Action::RequestInformation, contact_id)
                    .await?;
                return self
                    .send_information_request(actor, &contact, None, input)
                    .await;
            }
            RequestsOn::Episode(episode_id) => episode_id,
        };
        actor.may(Action::RequestInformation)?;
        let episode = self.load_episode(actor, episode_id).await?;
        let contact = self.store.contact(actor.authority, episode.contact).await?;
        let subjects = self
            .store
            .contact_subjects(actor.authority, episode.contact)
            .await?;
        let Some(subject) = subjects
            .iter()
            .find(|s| s.is_child && s.person == Some(episode.person))
        else {
            return Err(AppError::Conflict(format!(
                "The episode's child is no longer linked to contact {}: link them there before asking about them.",
                contact.reference
            )));
        };
        let input = InformationRequestInput {
            subject: subject.id.to_string(),
            ..input.clone()
        };
        self.send_information_request(actor, &contact, Some((episode.id, episode.person)), &input)
            .await
    }

    /// Checks and sends a request about a child on `contact` (already authorised); from an
    /// episode, the child must still be the episode's.
    async fn send_information_request(
        &self,
        actor: &Actor,
        contact: &frontdoor_store::contacts::Contact,
        from_episode: Option<(EpisodeId, PersonId)>,
        input: &InformationRequestInput,
    ) -> Result<InformationRequest, AppError> {
        let episode = from_episode.map(|(episode, _)| episode);
        let contact_id = contact.id;
        let now = frontdoor_store::to_stored_instant(self.now());
        let today = london_date(now);
        let mut checks = Checks::default();
        let subject = parse_uuid(&input.subject);
        if subject.is_none() {
            checks.add("subject", "Choose the child the request is about.");
        }
        let organisation = parse_uuid(&input.organisation).map(OrganisationId);
        if organisation.is_none() {
            checks.add("organisation", "Choose the organisation to ask.");
        }
        let agency = checks.take("agency", Agency::asked(&input.agency));
        let questions = checks.take(
            "questions",
            RequestText::parse(&input.questions, "the questions you are asking"),
        );
        let urgency = checks.take("urgency", RequestUrgency::from_code(&input.urgency));
        let consent = match input.consent.trim() {
            "consent_given" => {
                let on = crate::contacts::parse_date(&input.consent_given_on);
                match on {
                    Ok(Some(on)) => checks.take(
                        if input.consent_given_by.trim().is_empty() {
                            "consent_given_by"
                        } else {
                            "consent_given_on"
                        },
                        ConsentBasis::consent_given(&input.consent_given_by, on, today),
                    ),
                    _ => {
                        if input.consent_given_by.trim().is_empty() {
                            checks.add(
                                "consent_given_by",
                                "Say who gave consent to share (for example, the child's mother).",
                            );
                        }
                        checks.add(
                            "consent_given_on",
                            "Enter the date consent was given, for example 2026-03-03.",
                        );
                        None
                    }
                }
            }
            "without_consent" => {
                let manager = parse_uuid(&input.agreed_by).map(WorkerId);
                if manager.is_none() {
                    checks.add(
                        "agreed_by",
                        "Choose the manager who agreed to share without consent.",
                    );
                }
                let reason = input.without_consent_reason.trim();
                match manager {
                    Some(manager) => checks.take(
                        "without_consent_reason",
                        ConsentBasis::without_consent(reason, manager),
                    ),
                    None => {
                        if reason.chars().count() < 10 {
                            checks.add(
                                "without_consent_reason",
                                "Say why information is shared without consent.",
                            );
                        }
                        None
                    }
                }
            }
            _ => {
                checks.add(
                    "consent",
                    "Choose whether consent to share was given, or information is shared without consent.",
                );
                None
            }
        };
        checks.finish()?;
        let (
            Some(subject),
            Some(organisation),
            Some(agency),
            Some(questions),
            Some(urgency),
            Some(consent),
        ) = (subject, organisation, agency, questions, urgency, consent)
        else {
            return Err(AppError::invalid(
                "questions",
                "The request could not be checked: correct the form and try again.",
            ));
        };
        let calendar = self.calendar_for(actor.authority).await?;

        let mut tx = self.store.begin().await?;
        // Everything the request depends on is read inside the transaction: the contact is
        // held so its links cannot change, the organisation and the manager are re-checked.
        contact_store::contact_for_update(&mut tx, actor.authority, contact_id).await?;
        let subjects =
            contact_store::subjects_for_update(&mut tx, actor.authority, contact_id).await?;
        let Some(child) = subjects.iter().find(|s| s.id == subject && s.is_child) else {
            return Err(AppError::invalid(
                "subject",
                "Choose a child named on this contact.",
            ));
        };
        let Some(person) = child.person else {
            return Err(AppError::invalid(
                "subject",
                "Link the child to a record (or create one) before asking about them, so the answer goes on their chronology.",
            ));
        };
        if from_episode.is_some_and(|(_, child)| child != person) {
            return Err(AppError::Conflict(format!(
                "The episode's child is no longer linked to contact {}: link them there before asking about them.",
                contact.reference
            )));
        }
        match store::organisation_in(&mut tx, actor.authority, organisation).await? {
            Some((kind, false)) if kind != "local_authority" => {}
            Some((_, true)) => {
                return Err(AppError::invalid(
                    "organisation",
                    "That organisation has been retired: choose one in use.",
                ))
            }
            _ => {
                return Err(AppError::invalid(
                    "organisation",
                    "Choose a partner organisation of this authority.",
                ))
            }
        }
        if let ConsentBasis::WithoutConsent { agreed_by, .. } = &consent {
            if !store::is_active_manager_in(&mut tx, actor.authority, *agreed_by).await? {
                return Err(AppError::invalid(
                    "agreed_by",
                    "Choose an active team manager of this authority: only a manager can agree to share without consent.",
                ));
            }
        }
        let rule = store::due_rule_in(&mut tx, actor.authority).await?;
        let due_at = match rule.due(urgency, &calendar, today) {
            DueAt::HoursAfterSending(hours) => now + chrono::Duration::hours(i64::from(hours)),
            DueAt::EndOfDay(date) => due_by_end_of(date)
                .breached_from()
                .map(from_london)
                .unwrap_or(now),
        };
        let id = Uuid::now_v7();
        store::insert_request(
            &mut tx,
            &store::NewInformationRequest {
                id,
                authority: actor.authority,
                contact: contact_id,
                episode: episode.map(|e| e.0),
                subject,
                person,
                organisation,
                agency,
                questions: questions.as_str(),
                consent: &consent,
                urgency,
                due_at,
                sent_by: actor.worker,
                sent_at: now,
            },
        )
        .await?;
        let request = store::request_in(&mut tx, actor.authority, id).await?;
        NewEvent::by(actor, now, "information_request_sent", id)
            .about(person)
            .with(json!({
                "contact": contact.reference,
                "episode": episode,
                "agency": agency.code(),
                "organisation": request.organisation_name,
                "questions": questions.as_str(),
                "urgency": urgency.code(),
                "consent_basis": consent.code(),
                "due_at": due_at,
            }))
            .append(&mut tx)
            .await?;
        let practitioners =
            store::active_practitioners_in(&mut tx, actor.authority, organisation).await?;
        notifications::notify(
            &mut tx,
            actor.authority,
            &practitioners,
            "new_information_request",
            &format!("/partner/requests/{id}"),
            now,
            true,
        )
        .await?;
        tx.commit().await?;
        Ok(request)
    }
}
