//! Loading a synthetic authority (see the `frontdoor-synthetic` crate) into the store: people
//! with their previous names, addresses, relationships and search keys; contacts linked to
//! them; threshold decisions recommended by a MASH social worker and authorised by a team
//! manager; referrals (re-referrals worked out by the domain rule, as when a manager
//! authorises); assessments with their census factors; emergency actions; each referred
//! child's journey on (strategy discussions, section 47 enquiries, conferences, child
//! protection and child in need plans, closure); and an event for every change, so that the
//! chronology and `frontdoor audit verify` work on demo data.
//!
//! An operator task (demo set-up, benchmarks), run by whoever holds the database: it does not
//! go through `authorize`. Historic records keep their historic instants: every row and event
//! carries the generated time, not the clock's. Changes are applied in time order (a decision
//! is stored when it was made, after contacts received before it), in transactions of
//! [`SyntheticLoadOptions::batch_contacts`] contacts.
//!
//! Storage is batched (decision 0026): people, their names, addresses, search keys and
//! relationships, the people on contacts, and every event are held in a
//! [`RowBatch`](frontdoor_store::bulk::RowBatch) and written many rows a statement (events
//! linked into the hash chain in memory); counters are taken a block per transaction. A writer
//! pushes rows with [`Loader::batch`] and events with [`Loader::event`]; before writing
//! directly anything that names a person (a foreign key), it calls [`Loader::write_about`].

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
use frontdoor_store::bulk::{self, RowBatch};
use frontdoor_store::contacts::{self as contact_store, Contact, ContactSubject, Referrer};
use frontdoor_store::decisions::{
    self as decision_store, EmergencyActionRecord, Referral, ThresholdDecision,
};
use frontdoor_store::events::NewEvent;
use frontdoor_store::people::{Address, Person, PreviousName};
use frontdoor_store::{to_stored_instant, Tx};
use frontdoor_synthetic::{
    PersonKey, SyntheticAssessment, SyntheticClosure, SyntheticContact, SyntheticDecision,
    SyntheticEmergencyAction, SyntheticHousehold, SyntheticReferral,
};
use serde_json::json;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::time::{Duration, Instant};
use uuid::Uuid;

mod contacts;
use contacts::contact_counter;
mod decisions;
mod episodes;
mod options;
mod people;
mod protection;
mod queue;
mod strategy;

pub use options::{LoadProgress, LoadReport, SyntheticLoadOptions, SyntheticStaff};

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
    /// The children referred (a child already open to children's social care is not), each
    /// with the primary need and closure of the episode the referral opens.
    referrals: Vec<SyntheticReferral>,
    social_worker: WorkerId,
    manager: WorkerId,
}

#[derive(Debug)]
enum Change {
    Recommend(Box<DecisionWork>),
    Authorise(Box<DecisionWork>),
    /// An episode closed as the synthetic history says (with its reason).
    CloseEpisode {
        episode: frontdoor_domain::ids::EpisodeId,
        person: PersonId,
        closure: SyntheticClosure,
        worker: WorkerId,
    },
    Assessment {
        person: PersonId,
        referral: ReferralId,
        referral_date: chrono::NaiveDate,
        assessment: SyntheticAssessment,
        worker: WorkerId,
    },
    HoldDiscussion(Box<strategy::HistoricDiscussion>),
    SignOffDiscussion(
        Box<strategy::HistoricDiscussion>,
        Box<frontdoor_domain::strategy_discussion::StrategyRecord>,
        bool,
    ),
    Emergency {
        contact: ContactId,
        reference: String,
        person: PersonId,
        action: SyntheticEmergencyAction,
        worker: WorkerId,
    },
    /// A step of a child's journey beyond the assessment (see [`protection`]).
    Protection(Box<(protection::Case, protection::Step)>),
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
    /// Nothing is scheduled after this instant (see [`SyntheticLoadOptions::history_ends`]).
    history_ends: DateTime<Utc>,
    report: LoadReport,
    /// Rows held for the current transaction (`None` between transactions).
    rows: Option<RowBatch>,
    /// Numbers taken a block at a time, by counter: (next, last).
    numbers: HashMap<String, (i64, i64)>,
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
            history_ends: options.history_ends.unwrap_or_else(|| self.now()),
            report: LoadReport::default(),
            rows: None,
            numbers: HashMap::new(),
        };
        let batch = options.batch_contacts.max(1);
        let mut contacts = contacts.into_iter().peekable();
        while contacts.peek().is_some() {
            let chunk: Vec<SyntheticContact> = contacts.by_ref().take(batch).collect();
            let mut tx = self.store.begin().await?;
            loader.start_transaction(&mut tx, &chunk).await?;
            for contact in chunk {
                loader.apply_due(&mut tx, Some(contact.recorded_at)).await?;
                loader.receive(&mut tx, contact).await?;
            }
            loader.finish_transaction(&mut tx).await?;
            tx.commit().await?;
            loader.report.elapsed = started.elapsed();
            progress(&loader.progress());
        }
        // Decisions, assessments and actions still to come after the last contact.
        let mut tx = self.store.begin().await?;
        loader.start_transaction(&mut tx, &[]).await?;
        loader.apply_due(&mut tx, None).await?;
        loader.finish_transaction(&mut tx).await?;
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
