//! Loading a synthetic authority (see the `frontdoor-synthetic` crate) into the store: people
//! with their previous names, addresses, relationships and search keys; contacts linked to
//! them; threshold decisions recommended by a MASH social worker and authorised by a team
//! manager; referrals (re-referrals worked out by the domain rule, as when a manager
//! authorises); assessments; emergency actions; and an event for every change, so that the
//! chronology and `frontdoor audit verify` work on demo data.
//!
//! An operator task (demo set-up, benchmarks), run by whoever holds the database: it does not
//! go through `authorize`. Historic records keep their historic instants: every row and event
//! carries the generated time, not the clock's. Changes are applied in time order (a decision
//! is stored when it was made, after contacts received before it), in transactions of
//! [`SyntheticLoadOptions::batch_contacts`] contacts.

use crate::local_time::{from_london, london};
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::contact::{contact_reference, ContactStatus, ReferralSource};
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::history::is_re_referral;
use frontdoor_domain::ids::{
    AuthorityId, ContactId, DecisionId, PersonId, ReferralId, TeamId, WorkerId,
};
use frontdoor_domain::timescale::Timescale;
use frontdoor_store::contacts::{self as contact_store, Contact, ContactSubject, Referrer};
use frontdoor_store::decisions::{
    self as decision_store, EmergencyActionRecord, Referral, ThresholdDecision,
};
use frontdoor_store::events::{self, NewEvent};
use frontdoor_store::people::{self as people_store, Address, Person, PreviousName};
use frontdoor_store::{to_stored_instant, Tx};
use frontdoor_synthetic::{
    PersonKey, SyntheticAssessment, SyntheticContact, SyntheticDecision, SyntheticEmergencyAction,
    SyntheticHousehold,
};
use serde_json::json;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The workers synthetic records are attributed to. Each list is used in turn.
#[derive(Debug, Clone, Default)]
pub struct SyntheticStaff {
    /// Record contacts and link their people (a MASH social worker if empty).
    pub contact_officers: Vec<WorkerId>,
    /// Recommend threshold decisions and record emergency action.
    pub social_workers: Vec<WorkerId>,
    /// Authorise decisions (never their own recommendation).
    pub managers: Vec<WorkerId>,
}

#[derive(Debug, Clone)]
pub struct SyntheticLoadOptions {
    /// `None`: the authority's active workers, by role.
    pub staff: Option<SyntheticStaff>,
    /// Contacts written per transaction.
    pub batch_contacts: usize,
}

impl Default for SyntheticLoadOptions {
    fn default() -> Self {
        Self {
            staff: None,
            batch_contacts: 500,
        }
    }
}

/// Where a load has got to (reported after each transaction).
#[derive(Debug, Clone, Default)]
pub struct LoadProgress {
    pub contacts: u64,
    pub people: u64,
    pub events: u64,
    pub rows: u64,
    pub elapsed: Duration,
}

/// What a load stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub people: u64,
    pub previous_names: u64,
    pub relationships: u64,
    pub contacts: u64,
    pub contact_subjects: u64,
    pub decisions_recommended: u64,
    pub decisions_authorised: u64,
    pub referrals: u64,
    pub re_referrals: u64,
    pub assessments: u64,
    pub emergency_actions: u64,
    pub events: u64,
    /// Every row inserted or updated (records, search keys, events and their people).
    pub rows: u64,
    pub elapsed: Duration,
}

impl LoadReport {
    /// Re-referrals as a share of referrals (0 when there were none).
    pub fn re_referral_share(&self) -> f64 {
        if self.referrals == 0 {
            0.0
        } else {
            self.re_referrals as f64 / self.referrals as f64
        }
    }
    pub fn rows_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.rows as f64 / seconds
        } else {
            0.0
        }
    }
}

/// A decision being followed through: recommended, then authorised, then referrals.
#[derive(Debug)]
struct DecisionWork {
    contact: ContactId,
    reference: String,
    source: ReferralSource,
    received_on: NaiveDate,
    decision: SyntheticDecision,
    decision_id: DecisionId,
    people: Vec<PersonId>,
    children: Vec<(PersonKey, PersonId)>,
    assessments: Vec<SyntheticAssessment>,
    social_worker: WorkerId,
    manager: WorkerId,
}

#[derive(Debug)]
enum Change {
    Recommend(Box<DecisionWork>),
    Authorise(Box<DecisionWork>),
    Assessment {
        person: PersonId,
        referral: ReferralId,
        assessment: SyntheticAssessment,
        worker: WorkerId,
    },
    Emergency {
        contact: ContactId,
        reference: String,
        person: PersonId,
        action: SyntheticEmergencyAction,
        worker: WorkerId,
    },
}

/// A change due at an instant; ties keep the order they were scheduled in.
#[derive(Debug)]
struct Due {
    at: DateTime<Utc>,
    order: u64,
    change: Change,
}

impl PartialEq for Due {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.order) == (other.at, other.order)
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Due {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.at, self.order).cmp(&(other.at, other.order))
    }
}

struct Loader<'a> {
    app: &'a App,
    authority: AuthorityId,
    staff: SyntheticStaff,
    teams: Vec<TeamId>,
    calendar: WorkingDayCalendar,
    /// Stored id of each synthetic person, by key.
    people: Vec<Option<PersonId>>,
    referral_dates: HashMap<PersonKey, Vec<NaiveDate>>,
    due: BinaryHeap<Reverse<Due>>,
    order: u64,
    report: LoadReport,
}

fn pick(list: &[WorkerId], n: u64) -> Option<WorkerId> {
    if list.is_empty() {
        None
    } else {
        list.get((n % list.len() as u64) as usize).copied()
    }
}

impl App {
    /// The authority's active workers by role, for synthetic records.
    pub async fn synthetic_staff(
        &self,
        authority: AuthorityId,
    ) -> Result<SyntheticStaff, AppError> {
        let workers = self.store.workers(authority).await?;
        let of = |role: Role| {
            workers
                .iter()
                .filter(|w| w.active && w.role == role)
                .map(|w| w.id)
                .collect::<Vec<_>>()
        };
        Ok(SyntheticStaff {
            contact_officers: of(Role::ContactOfficer),
            social_workers: of(Role::MashSocialWorker),
            managers: of(Role::TeamManager),
        })
    }

    /// Loads synthetic contacts (and the people they bring) into an authority, attributing the
    /// work to the authority's contact officers, MASH social workers and team managers.
    pub async fn load_synthetic(
        &self,
        authority: AuthorityId,
        contacts: impl IntoIterator<Item = SyntheticContact>,
        progress: impl FnMut(&LoadProgress),
    ) -> Result<LoadReport, AppError> {
        self.load_synthetic_with(
            authority,
            contacts,
            &SyntheticLoadOptions::default(),
            progress,
        )
        .await
    }

    /// [`App::load_synthetic`] with chosen staff and batch size.
    pub async fn load_synthetic_with(
        &self,
        authority: AuthorityId,
        contacts: impl IntoIterator<Item = SyntheticContact>,
        options: &SyntheticLoadOptions,
        mut progress: impl FnMut(&LoadProgress),
    ) -> Result<LoadReport, AppError> {
        let started = Instant::now();
        let staff = match &options.staff {
            Some(staff) => staff.clone(),
            None => self.synthetic_staff(authority).await?,
        };
        if staff.social_workers.is_empty() || staff.managers.is_empty() {
            return Err(AppError::Conflict(
                "Synthetic decisions need at least one active MASH social worker and one team manager in the authority: add them first.".into(),
            ));
        }
        if staff
            .managers
            .iter()
            .all(|m| staff.social_workers.contains(m))
        {
            return Err(AppError::Conflict(
                "A decision cannot be authorised by the worker who recommended it: name a team manager who is not also a social worker.".into(),
            ));
        }
        let teams = self
            .store
            .teams(authority)
            .await?
            .into_iter()
            .filter(|t| t.receives_contacts)
            .map(|t| t.id)
            .collect();
        let mut loader = Loader {
            app: self,
            authority,
            staff,
            teams,
            calendar: self.calendar_for(authority).await?,
            people: Vec::new(),
            referral_dates: HashMap::new(),
            due: BinaryHeap::new(),
            order: 0,
            report: LoadReport::default(),
        };
        let batch = options.batch_contacts.max(1);
        let mut contacts = contacts.into_iter().peekable();
        while contacts.peek().is_some() {
            let mut tx = self.store.begin().await?;
            for contact in contacts.by_ref().take(batch) {
                loader.apply_due(&mut tx, Some(contact.recorded_at)).await?;
                loader.receive(&mut tx, contact).await?;
            }
            tx.commit().await?;
            loader.report.elapsed = started.elapsed();
            progress(&loader.progress());
        }
        // Decisions, assessments and actions still to come after the last contact.
        let mut tx = self.store.begin().await?;
        loader.apply_due(&mut tx, None).await?;
        tx.commit().await?;
        loader.report.elapsed = started.elapsed();
        progress(&loader.progress());
        tracing::info!(
            authority = %authority,
            contacts = loader.report.contacts,
            people = loader.report.people,
            events = loader.report.events,
            "synthetic authority loaded"
        );
        Ok(loader.report)
    }
}

impl Loader<'_> {
    fn progress(&self) -> LoadProgress {
        LoadProgress {
            contacts: self.report.contacts,
            people: self.report.people,
            events: self.report.events,
            rows: self.report.rows,
            elapsed: self.report.elapsed,
        }
    }

    fn schedule(&mut self, at: DateTime<Utc>, change: Change) {
        self.order += 1;
        self.due.push(Reverse(Due {
            at,
            order: self.order,
            change,
        }));
    }

    async fn event(&mut self, tx: &mut Tx, event: NewEvent) -> Result<(), AppError> {
        let mut people = event.people.clone();
        people.sort();
        people.dedup();
        events::append(tx, event).await?;
        self.report.events += 1;
        self.report.rows += 1 + people.len() as u64;
        Ok(())
    }

    fn person_id(&self, key: PersonKey) -> Result<PersonId, AppError> {
        self.people
            .get(key.0 as usize)
            .copied()
            .flatten()
            .ok_or_else(|| AppError::Conflict(format!("Synthetic person {} appears before their household: contacts must come from one generator, in order.", key.0)))
    }

    /// Applies every change due up to `until` (all of them when `None`).
    async fn apply_due(
        &mut self,
        tx: &mut Tx,
        until: Option<DateTime<Utc>>,
    ) -> Result<(), AppError> {
        while let Some(Reverse(next)) = self.due.peek() {
            if until.is_some_and(|until| next.at > until) {
                break;
            }
            let Some(Reverse(due)) = self.due.pop() else {
                break;
            };
            match due.change {
                Change::Recommend(work) => self.recommend(tx, due.at, work).await?,
                Change::Authorise(work) => self.authorise(tx, due.at, work).await?,
                Change::Assessment {
                    person,
                    referral,
                    assessment,
                    worker,
                } => {
                    decision_store::insert_assessment(
                        tx,
                        self.authority,
                        person,
                        Some(referral),
                        assessment.started_on,
                        assessment.completed_on,
                        due.at,
                    )
                    .await?;
                    self.report.assessments += 1;
                    self.report.rows += 1;
                    self.event(
                        tx,
                        NewEvent {
                            authority: self.authority,
                            actor: Some(worker),
                            recorded_at: due.at,
                            kind: "assessment_recorded",
                            subject: referral.0,
                            people: vec![person],
                            payload: json!({
                                "referral": referral,
                                "started_on": assessment.started_on,
                                "completed_on": assessment.completed_on,
                            }),
                        },
                    )
                    .await?;
                }
                Change::Emergency {
                    contact,
                    reference,
                    person,
                    action,
                    worker,
                } => {
                    let notes = "Emergency action taken out of hours to keep the child safe; see the strategy discussion.";
                    let record = EmergencyActionRecord {
                        id: Uuid::now_v7(),
                        contact,
                        person: Some(person),
                        action: action.action,
                        taken_at: due.at,
                        notes: notes.into(),
                        recorded_by: worker,
                    };
                    decision_store::insert_emergency_action(tx, self.authority, &record, due.at)
                        .await?;
                    self.report.emergency_actions += 1;
                    self.report.rows += 1;
                    self.event(
                        tx,
                        NewEvent {
                            authority: self.authority,
                            actor: Some(worker),
                            recorded_at: due.at,
                            kind: "emergency_action_recorded",
                            subject: contact.0,
                            people: vec![person],
                            payload: crate::event_payloads::emergency_action_recorded(
                                &reference,
                                action.action,
                                notes,
                            ),
                        },
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// Stores a new household's people, previous names, address, relationships and search keys.
    async fn create_household(
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
            let number = people_store::next_counter(tx, authority, "person").await?;
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
            people_store::insert_person(tx, &person, at).await?;
            let previous: Vec<PreviousName> = synthetic
                .previous_family_names
                .iter()
                .map(|family| PreviousName {
                    given_name: person.given_name.clone(),
                    family_name: family.clone(),
                    kind: "previous".into(),
                })
                .collect();
            for name in &previous {
                people_store::insert_previous_name(tx, authority, person.id, name, at).await?;
            }
            people_store::insert_address(tx, authority, person.id, &address, at).await?;
            let keys = crate::search::blocking_keys_for(&person, &previous);
            people_store::replace_blocking_keys(tx, authority, person.id, &keys).await?;
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
            people_store::insert_relationship(tx, authority, from, r.relationship, to, at).await?;
            self.report.relationships += 1;
            self.report.rows += 1;
        }
        for (key, person) in &stored {
            let mut relationships = Vec::new();
            for r in household.relationships.iter().filter(|r| r.person == *key) {
                relationships.push(json!({ "relationship": r.relationship.code(), "person": self.person_id(r.related)? }));
            }
            self.event(tx, NewEvent {
                authority,
                actor: Some(officer),
                recorded_at: at,
                kind: "person_created",
                subject: person.id.0,
                people: vec![person.id],
                payload: json!({ "la_person_id": person.la_person_id, "relationships": relationships }),
            })
            .await?;
        }
        Ok(())
    }

    /// Records a contact as received, with its people linked, and schedules what followed.
    async fn receive(&mut self, tx: &mut Tx, synthetic: SyntheticContact) -> Result<(), AppError> {
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
        let number = people_store::next_counter(tx, authority, &format!("contact-{year}")).await?;
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
            NewEvent {
                authority,
                actor: Some(officer),
                recorded_at,
                kind: "contact_recorded",
                subject: contact.id.0,
                people: vec![],
                payload: crate::event_payloads::contact_recorded(&contact),
            },
        )
        .await?;

        let mut people = Vec::new();
        let mut children = Vec::new();
        for (position, subject) in synthetic.subjects.iter().enumerate() {
            let person = self.person_id(subject.person)?;
            let described = &subject.described;
            contact_store::insert_subject(
                tx,
                authority,
                &ContactSubject {
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
                },
            )
            .await?;
            self.report.contact_subjects += 1;
            self.report.rows += 1;
            self.event(
                tx,
                NewEvent {
                    authority,
                    actor: Some(officer),
                    recorded_at: linked_at,
                    kind: "contact_linked",
                    subject: contact.id.0,
                    people: vec![person],
                    payload: crate::event_payloads::contact_linked(
                        &contact,
                        subject.is_child,
                        person,
                    ),
                },
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
                social_worker,
                manager,
            };
            self.schedule(at, Change::Recommend(Box::new(work)));
        }
        Ok(())
    }

    async fn recommend(
        &mut self,
        tx: &mut Tx,
        at: DateTime<Utc>,
        work: Box<DecisionWork>,
    ) -> Result<(), AppError> {
        let d = &work.decision;
        let decision = ThresholdDecision {
            id: work.decision_id,
            authority: self.authority,
            contact: work.contact,
            state: DecisionState::Recommended,
            outcome: d.outcome,
            level_of_need: i32::from(d.level_of_need),
            signposted_to: d.signposted_to.clone(),
            rationale: d.rationale.clone(),
            recommended_by: work.social_worker,
            recommended_by_name: None,
            recommended_at: at,
            reviewed_by: None,
            reviewed_by_name: None,
            reviewed_at: None,
            review_rationale: None,
            // Synthetic history is made under the framework the authority was created with.
            threshold_framework_version: 1,
        };
        decision_store::insert_decision(tx, &decision).await?;
        if !contact_store::transition_contact(
            tx,
            self.authority,
            work.contact,
            &[ContactStatus::AwaitingTriage],
            ContactStatus::AwaitingAuthorisation,
            None,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "The synthetic contact {} was not awaiting triage.",
                work.reference
            )));
        }
        self.report.decisions_recommended += 1;
        self.report.rows += 2;
        self.event(
            tx,
            NewEvent {
                authority: self.authority,
                actor: Some(work.social_worker),
                recorded_at: at,
                kind: "decision_recommended",
                subject: decision.id.0,
                people: work.people.clone(),
                payload: crate::event_payloads::decision_recommended(&work.reference, &decision),
            },
        )
        .await?;
        if let Some(authorisation) = &work.decision.authorisation {
            let when = to_stored_instant(authorisation.at).max(at + chrono::Duration::seconds(1));
            self.schedule(when, Change::Authorise(work));
        }
        Ok(())
    }

    async fn authorise(
        &mut self,
        tx: &mut Tx,
        at: DateTime<Utc>,
        work: Box<DecisionWork>,
    ) -> Result<(), AppError> {
        let Some(authorisation) = &work.decision.authorisation else {
            return Ok(());
        };
        let authority = self.authority;
        if !decision_store::review_decision(
            tx,
            authority,
            work.decision_id,
            DecisionState::Authorised,
            work.manager,
            at,
            &authorisation.rationale,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "The synthetic decision on {} was not awaiting authorisation.",
                work.reference
            )));
        }
        if !contact_store::transition_contact(
            tx,
            authority,
            work.contact,
            &[ContactStatus::AwaitingAuthorisation],
            ContactStatus::Decided,
            Some(at),
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "The synthetic contact {} was not awaiting authorisation.",
                work.reference
            )));
        }
        self.report.decisions_authorised += 1;
        self.report.rows += 2;
        let mut referrals = Vec::new();
        if work.decision.outcome.is_referral() {
            for (key, person) in &work.children {
                let earlier = self.referral_dates.entry(*key).or_default();
                let referral = Referral {
                    id: ReferralId::new(),
                    contact: work.contact,
                    person: *person,
                    decision: work.decision_id,
                    referral_date: work.received_on,
                    source: work.source,
                    is_re_referral: is_re_referral(work.received_on, earlier),
                };
                earlier.push(work.received_on);
                decision_store::insert_referral(tx, authority, &referral, at).await?;
                let episode_events = crate::episodes::open_episode_for_referral(
                    tx,
                    authority,
                    Some(work.manager),
                    &referral,
                    &work.reference,
                    work.decision.outcome,
                    at,
                )
                .await?;
                self.report.events += episode_events;
                // Each event, its row in the person index, and the episode (and discussion).
                self.report.rows += 3 * episode_events;
                self.report.referrals += 1;
                self.report.re_referrals += u64::from(referral.is_re_referral);
                self.report.rows += 1;
                referrals.push(json!({ "person": person, "re_referral": referral.is_re_referral }));
                for assessment in work.assessments.iter().filter(|a| a.child == *key) {
                    let start = from_london(
                        assessment
                            .started_on
                            .and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN)),
                    );
                    self.schedule(
                        start.max(at + chrono::Duration::minutes(1)),
                        Change::Assessment {
                            person: *person,
                            referral: referral.id,
                            assessment: assessment.clone(),
                            worker: work.social_worker,
                        },
                    );
                }
            }
        }
        self.event(
            tx,
            NewEvent {
                authority,
                actor: Some(work.manager),
                recorded_at: at,
                kind: "decision_authorised",
                subject: work.decision_id.0,
                people: work.people.clone(),
                payload: crate::event_payloads::decision_reviewed(
                    &work.reference,
                    work.decision.outcome,
                    i32::from(work.decision.level_of_need),
                    work.social_worker,
                    &authorisation.rationale,
                    &referrals,
                ),
            },
        )
        .await?;
        Ok(())
    }
}
