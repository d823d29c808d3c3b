//! Recording contacts, linking the people on them to records, and the contact queue.
//!
//! `checks` parses what was typed, `linking` links people to records, `queue` is the queue.

mod checks;
mod linking;
mod queue;

use checks::check_subject;
pub(crate) use checks::parse_date;
pub use linking::LinkTarget;
pub use queue::{QueueRow, QueueView};

use crate::error::Checks;
use crate::local_time::{from_london, london, london_date};
use crate::{App, AppError};
use chrono::{NaiveDate, NaiveTime};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::contact::{
    contact_reference, ConcernCategory, ContactChannel, ContactStatus, FamilyConsent,
    ReferralSource, Urgency,
};
use frontdoor_domain::history::HistoryFlags;
use frontdoor_domain::ids::{AuthorityId, ContactId, TeamId};
use frontdoor_domain::timescale::{status_at, Timescale, TimescaleStatus};
use frontdoor_store::contacts::{self as contact_store, Contact, ContactSubject, Referrer};
use frontdoor_store::decisions::{EmergencyActionRecord, ThresholdDecision};
use frontdoor_store::events::NewEvent;
use frontdoor_store::people::Person;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest free text accepted in a contact (about 20 pages).
const MAX_SUMMARY_CHARS: usize = 50_000;
const MAX_FIELD_CHARS: usize = 200;
/// The most children and adults one contact can name.
const MAX_SUBJECTS: usize = 20;

/// A child or adult named on a contact, as the referrer described them (all text, as typed).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SubjectInput {
    pub given_name: String,
    pub family_name: String,
    /// YYYY-MM-DD, or blank when not known.
    pub date_of_birth: String,
    pub sex: String,
    pub address: String,
    pub postcode: String,
    pub nhs_number: String,
}

/// A contact as entered by staff, by the public on the online form, or by a partner's system.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    /// When the concern was received (London time, YYYY-MM-DD and HH:MM); blank means now.
    pub received_date: String,
    pub received_time: String,
    pub channel: String,
    pub source: String,
    pub referrer: Referrer,
    pub concern_categories: Vec<String>,
    pub concern_summary: String,
    pub urgency: String,
    pub family_consent: String,
    pub consent_notes: String,
    pub children: Vec<SubjectInput>,
    pub adults: Vec<SubjectInput>,
}

/// A contact's person with their record (if linked) and history at the point of decision.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectView {
    pub subject: ContactSubject,
    pub person: Option<Person>,
    pub history: Option<HistoryFlags>,
    /// Earlier contacts about this person (not this one), newest first.
    pub previous_contacts: Vec<(ContactId, String, NaiveDate, ReferralSource)>,
    /// Kinds of concern raised about this person by earlier contacts in the last 12 months:
    /// the known risks a decision should weigh.
    pub known_concerns: Vec<ConcernCategory>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub contact: Contact,
    pub subjects: Vec<SubjectView>,
    pub decisions: Vec<ThresholdDecision>,
    pub emergency_actions: Vec<EmergencyActionRecord>,
    pub due_date: NaiveDate,
    pub timescale: TimescaleStatus,
    pub team_name: Option<String>,
}

impl ContactView {
    /// The decision awaiting a manager, if any.
    pub fn pending_decision(&self) -> Option<&ThresholdDecision> {
        self.decisions
            .iter()
            .rev()
            .find(|d| d.state == frontdoor_domain::decision::DecisionState::Recommended)
    }
    pub fn all_linked(&self) -> bool {
        self.subjects.iter().all(|s| s.subject.person.is_some())
    }
}

impl App {
    pub(crate) async fn calendar_for(
        &self,
        authority: AuthorityId,
    ) -> Result<WorkingDayCalendar, AppError> {
        let authority = self.store.authority(authority).await?;
        Ok(WorkingDayCalendar::with_local_closures(
            authority.local_closure_days,
        ))
    }

    /// The team contacts go to by default: the worker's own front-door team, or the first one.
    pub(crate) async fn receiving_team(
        &self,
        authority: AuthorityId,
        preferred: Option<TeamId>,
    ) -> Result<Option<TeamId>, AppError> {
        let teams = self.store.teams(authority).await?;
        let receiving: Vec<_> = teams.iter().filter(|t| t.receives_contacts).collect();
        Ok(preferred
            .filter(|p| receiving.iter().any(|t| t.id == *p))
            .or_else(|| receiving.first().map(|t| t.id)))
    }

    /// Records a contact by a signed-in worker (staff entry, or a partner practitioner's referral).
    pub async fn record_contact(
        &self,
        actor: &Actor,
        input: &ContactInput,
    ) -> Result<Contact, AppError> {
        actor.may(Action::RecordContact)?;
        let made_by = (actor.role == frontdoor_domain::authorization::Role::PartnerPractitioner)
            .then_some(actor.organisation);
        let team = self.receiving_team(actor.authority, actor.team).await?;
        self.store_contact(actor.authority, Some(actor), made_by, team, input)
            .await
    }

    /// Records a contact from the public online referral form (no account).
    pub async fn submit_online_referral(
        &self,
        authority: AuthorityId,
        input: &ContactInput,
    ) -> Result<Contact, AppError> {
        let mut input = input.clone();
        input.channel = ContactChannel::OnlineForm.code().into();
        // The online form is received when it is submitted: the referrer does not choose.
        input.received_date.clear();
        input.received_time.clear();
        let team = self.receiving_team(authority, None).await?;
        self.store_contact(authority, None, None, team, &input)
            .await
    }

    async fn store_contact(
        &self,
        authority: AuthorityId,
        actor: Option<&Actor>,
        made_by_organisation: Option<frontdoor_domain::ids::OrganisationId>,
        team: Option<TeamId>,
        input: &ContactInput,
    ) -> Result<Contact, AppError> {
        let now = self.now();
        let today = london_date(now);
        let mut checks = Checks::default();

        let received_at = match (input.received_date.trim(), input.received_time.trim()) {
            ("", "") => Some(now),
            (date, time) => {
                let date = match parse_date(date) {
                    Ok(Some(d)) => Some(d),
                    Ok(None) => {
                        checks.add("received_date", "Enter the date the contact was received.");
                        None
                    }
                    Err(message) => {
                        checks.add("received_date", message);
                        None
                    }
                };
                let time = match NaiveTime::parse_from_str(time, "%H:%M") {
                    Ok(t) => Some(t),
                    Err(_) => {
                        checks.add(
                            "received_time",
                            "Enter the time received as hours and minutes, for example 14:05.",
                        );
                        None
                    }
                };
                match (date, time) {
                    (Some(d), Some(t)) => {
                        let at = from_london(d.and_time(t));
                        if at > now + chrono::Duration::minutes(1) {
                            checks.add(
                                "received_date",
                                "The time received cannot be in the future.",
                            );
                            None
                        } else if at < now - chrono::Duration::days(31) {
                            checks.add("received_date", "The time received must be within the last month: older information belongs on the child's record as history.");
                            None
                        } else {
                            Some(frontdoor_store::to_stored_instant(at))
                        }
                    }
                    _ => None,
                }
            }
        };
        let channel = checks.take(
            "channel",
            ContactChannel::from_code(if input.channel.is_empty() {
                "phone"
            } else {
                &input.channel
            }),
        );
        let source = if input.source.trim().is_empty() {
            checks.add("source", "Choose who the contact is from.");
            None
        } else {
            checks.take("source", ReferralSource::from_code(&input.source))
        };
        let urgency = checks.take(
            "urgency",
            Urgency::from_code(if input.urgency.is_empty() {
                "standard"
            } else {
                &input.urgency
            }),
        );
        let consent = if input.family_consent.trim().is_empty() {
            checks.add(
                "family_consent",
                "Say whether the family knows about this contact and agrees to it.",
            );
            None
        } else {
            checks.take(
                "family_consent",
                FamilyConsent::from_code(&input.family_consent),
            )
        };
        let mut categories = Vec::new();
        for code in &input.concern_categories {
            if let Some(c) = checks.take("concern_categories", ConcernCategory::from_code(code)) {
                if !categories.contains(&c) {
                    categories.push(c);
                }
            }
        }
        if categories.is_empty() {
            checks.add("concern_categories", "Choose at least one kind of concern.");
        }
        let summary = checks.text("concern_summary", &input.concern_summary, MAX_SUMMARY_CHARS);
        if summary.chars().count() < 10 {
            checks.add(
                "concern_summary",
                "Describe the concern: what happened, when, and what the child said.",
            );
        }
        let consent_notes = checks.text("consent_notes", &input.consent_notes, 2_000);
        if consent == Some(FamilyConsent::NotSought) && consent_notes.is_empty() {
            checks.add("consent_notes", "Say why the family was not told.");
        }
        let referrer = Referrer {
            name: checks.text("referrer.name", &input.referrer.name, MAX_FIELD_CHARS),
            organisation: checks.text(
                "referrer.organisation",
                &input.referrer.organisation,
                MAX_FIELD_CHARS,
            ),
            role: checks.text("referrer.role", &input.referrer.role, MAX_FIELD_CHARS),
            phone: checks.text("referrer.phone", &input.referrer.phone, 40),
            email: checks.text("referrer.email", &input.referrer.email, MAX_FIELD_CHARS),
        };
        if source != Some(ReferralSource::Anonymous) && referrer.name.is_empty() {
            checks.add(
                "referrer.name",
                "Enter the referrer's name (or choose 'Anonymous' as the source).",
            );
        }
        if !referrer.email.is_empty() && !referrer.email.contains('@') {
            checks.add(
                "referrer.email",
                "Enter an email address in the right format, like name@example.org.",
            );
        }
        let named_children: Vec<&SubjectInput> = input
            .children
            .iter()
            .filter(|c| *c != &SubjectInput::default())
            .collect();
        let named_adults: Vec<&SubjectInput> = input
            .adults
            .iter()
            .filter(|a| *a != &SubjectInput::default())
            .collect();
        if named_children.is_empty() {
            checks.add(
                "children[0].family_name",
                "Add at least one child the concern is about.",
            );
        }
        if named_children.len() + named_adults.len() > MAX_SUBJECTS {
            checks.add("children", format!("A contact can name at most {MAX_SUBJECTS} people: record a second contact for the rest."));
        }
        let mut subjects = Vec::new();
        for (i, child) in named_children.iter().enumerate() {
            subjects.push((
                true,
                check_subject(&mut checks, &format!("children[{i}]"), child, today, true),
            ));
        }
        for (i, adult) in named_adults.iter().enumerate() {
            subjects.push((
                false,
                check_subject(&mut checks, &format!("adults[{i}]"), adult, today, false),
            ));
        }
        checks.finish()?;
        let (Some(received_at), Some(channel), Some(source), Some(urgency), Some(family_consent)) =
            (received_at, channel, source, urgency, consent)
        else {
            return Err(AppError::invalid(
                "contact",
                "The contact could not be checked: correct the form and try again.",
            ));
        };

        let calendar = self.calendar_for(authority).await?;
        let received_local = london(received_at);
        let out_of_hours = self
            .settings
            .office_hours
            .is_out_of_hours(&calendar, received_local);
        let due = Timescale::ThresholdDecision.due_by(&calendar, received_local.date());
        let decision_due_at = due.breached_from().map(from_london).unwrap_or(received_at);

        let mut tx = self.store.begin().await?;
        let year = received_local.date().format("%Y").to_string();
        let number =
            frontdoor_store::people::next_counter(&mut tx, authority, &format!("contact-{year}"))
                .await?;
        let contact = Contact {
            id: ContactId::new(),
            authority,
            reference: contact_reference(year.parse().unwrap_or(0), number),
            received_at,
            recorded_at: now,
            recorded_by: actor.map(|a| a.worker),
            channel,
            source,
            referrer,
            made_by_organisation,
            concern_categories: categories,
            concern_summary: summary,
            urgency,
            out_of_hours,
            family_consent,
            consent_notes,
            team,
            status: ContactStatus::AwaitingTriage,
            decision_due_at,
            decided_at: None,
        };
        contact_store::insert_contact(&mut tx, &contact).await?;
        for (position, (is_child, subject)) in subjects.into_iter().enumerate() {
            let Some(s) = subject else { continue };
            contact_store::insert_subject(
                &mut tx,
                authority,
                &ContactSubject {
                    id: Uuid::now_v7(),
                    contact: contact.id,
                    position: position as i32,
                    is_child,
                    given_name: s.given_name,
                    family_name: s.family_name,
                    birth_date: s.birth_date,
                    sex: s.sex,
                    address: s.address,
                    postcode: s.postcode.map(|p| p.to_string()),
                    nhs_number: s.nhs_number.map(|n| n.as_str().to_string()),
                    person: None,
                    linked_at: None,
                    linked_by: None,
                },
            )
            .await?;
        }
        NewEvent::new(authority, now, "contact_recorded", contact.id.0)
            .recorded_by(actor.map(|a| a.worker))
            .with(crate::event_payloads::contact_recorded(&contact))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        tracing::info!(contact = %contact.id, reference = %contact.reference, "contact recorded");
        Ok(contact)
    }

    /// The name of the team a record belongs to, if it has one.
    pub(crate) async fn team_name(
        &self,
        authority: AuthorityId,
        team: Option<TeamId>,
    ) -> Result<Option<String>, AppError> {
        let Some(team) = team else { return Ok(None) };
        Ok(self
            .store
            .teams(authority)
            .await?
            .into_iter()
            .find(|t| t.id == team)
            .map(|t| t.name))
    }

    /// Loads a contact of the actor's authority and checks they may take `action` on it.
    pub(crate) async fn authorize_contact(
        &self,
        actor: &Actor,
        action: Action,
        id: ContactId,
    ) -> Result<Contact, AppError> {
        let contact = self
            .store
            .contact(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        authorize(
            actor,
            action,
            &Resource::contact(
                contact.authority,
                contact.team,
                contact.made_by_organisation,
            ),
        )
        .require()?;
        Ok(contact)
    }

    /// A contact with everything needed to decide on it. Reading the history of each linked
    /// person is a read of their record, so it is written to the access log.
    pub async fn view_contact(
        &self,
        actor: &Actor,
        id: ContactId,
    ) -> Result<ContactView, AppError> {
        let contact = self
            .authorize_contact(actor, Action::ViewContact, id)
            .await?;
        let now = self.now();
        let calendar = self.calendar_for(actor.authority).await?;
        let subjects = self.store.contact_subjects(actor.authority, id).await?;
        // Partners see their referral's progress, not the children's histories.
        let sees_history = authorize(
            actor,
            Action::ViewChildRecord,
            &Resource::authority(actor.authority),
        )
        .is_allowed();
        let mut views = Vec::new();
        for subject in subjects {
            let mut view = SubjectView {
                person: None,
                history: None,
                previous_contacts: vec![],
                known_concerns: vec![],
                subject,
            };
            if let (Some(person_id), true) = (view.subject.person, sees_history) {
                let person = self.store.person(actor.authority, person_id).await?;
                let contacts = self
                    .store
                    .contacts_of_person(actor.authority, person_id)
                    .await?;
                let earlier: Vec<&Contact> = contacts.iter().filter(|c| c.id != id).collect();
                let contact_dates: Vec<NaiveDate> =
                    earlier.iter().map(|c| london_date(c.received_at)).collect();
                // History at the point of decision: referrals made by other contacts only.
                let referrals: Vec<NaiveDate> = self
                    .store
                    .referrals_of(actor.authority, person_id)
                    .await?
                    .into_iter()
                    .filter(|(_, from)| *from != id)
                    .map(|(date, _)| date)
                    .collect();
                let assessments = self
                    .store
                    .assessment_dates(actor.authority, person_id)
                    .await?;
                view.history = Some(HistoryFlags::at(
                    london_date(contact.received_at),
                    &contact_dates,
                    &referrals,
                    &assessments,
                ));
                let window_start = frontdoor_domain::history::twelve_months_before(london_date(
                    contact.received_at,
                ));
                for earlier_contact in earlier
                    .iter()
                    .filter(|c| london_date(c.received_at) >= window_start)
                {
                    for concern in &earlier_contact.concern_categories {
                        if !view.known_concerns.contains(concern) {
                            view.known_concerns.push(*concern);
                        }
                    }
                }
                view.previous_contacts = earlier
                    .iter()
                    .map(|c| {
                        (
                            c.id,
                            c.reference.clone(),
                            london_date(c.received_at),
                            c.source,
                        )
                    })
                    .collect();
                view.person = Some(person);
                self.store
                    .log_access(
                        actor.authority,
                        actor.worker,
                        person_id,
                        &format!("contact {}", contact.reference),
                        now,
                    )
                    .await?;
            }
            views.push(view);
        }
        let decisions = self.store.decisions_on_contact(actor.authority, id).await?;
        let emergency_actions = self
            .store
            .emergency_actions_on_contact(actor.authority, id)
            .await?;
        let due_date = london_date(contact.decision_due_at - chrono::Duration::seconds(1));
        let timescale = status_at(&calendar, due_date, london(now));
        let team_name = self.team_name(actor.authority, contact.team).await?;
        Ok(ContactView {
            contact,
            subjects: views,
            decisions,
            emergency_actions,
            due_date,
            timescale,
            team_name,
        })
    }

    /// The contact with this reference, if the worker may see it.
    pub async fn contact_by_reference(
        &self,
        actor: &Actor,
        reference: &str,
    ) -> Result<Option<ContactId>, AppError> {
        let Some(contact) = self
            .store
            .contact_by_reference(actor.authority, reference.trim())
            .await?
        else {
            return Ok(None);
        };
        authorize(
            actor,
            Action::ViewContact,
            &Resource::contact(
                contact.authority,
                contact.team,
                contact.made_by_organisation,
            ),
        )
        .require()?;
        Ok(Some(contact.id))
    }
}
