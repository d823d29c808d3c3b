//! Early help: an episode for each child of an authorised early help decision (or stepped down
//! from children's social care), allocated to an early help coordinator, who contacts the
//! family, records consent to share, appoints a lead professional (often a partner's
//! practitioner, who records the early help assessment through the partner portal), monitors
//! the assessment's completion, agrees team-around-the-family actions, and steps the child up
//! to children's social care when needed. Consent limits what partners see and do: the rule is
//! `frontdoor_domain::early_help::may_share`.

mod consent;
mod partner;
mod step;

pub use consent::{
    AssessmentCompletionInput, AssessmentStartInput, ConsentInput, LeadProfessionalInput,
    SafeguardingOverrideInput,
};
pub use partner::{PartnerEarlyHelp, PartnerEarlyHelpSummary};
pub use step::{StepDownInput, StepUpInput};

use crate::episodes::required_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::authorization::{Action, Actor, Role};
use frontdoor_domain::early_help::{
    assessment_overdue, may_share, ConsentToShare, EarlyHelpClosureReason, EarlyHelpStatus,
    SafeguardingOverride, SharedPart, Sharing,
};
use frontdoor_domain::ids::{AuthorityId, ContactId, EarlyHelpEpisodeId, PersonId, WorkerId};
use frontdoor_store::early_help::{
    self as store, ConsentRecord, EarlyHelpEpisode, EarlyHelpList, FamilyAction, FamilyContact,
    NewEarlyHelpEpisode, OverrideRecord,
};
use frontdoor_store::events::NewEvent;
use frontdoor_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// The early help lists: waiting for a coordinator, the actor's own, overdue assessments.
#[derive(Debug, Clone, Serialize)]
pub struct EarlyHelpLists {
    pub unallocated: Vec<EarlyHelpEpisode>,
    pub mine: Vec<EarlyHelpEpisode>,
    pub overdue: Vec<EarlyHelpEpisode>,
    pub today: NaiveDate,
}

/// What may be shared with one agency, part by part.
#[derive(Debug, Clone, Serialize)]
pub struct AgencySharing {
    pub agency: Agency,
    pub parts: Vec<(SharedPart, Sharing)>,
}

impl AgencySharing {
    pub fn allows(&self, part: SharedPart) -> bool {
        self.parts
            .iter()
            .any(|(p, sharing)| *p == part && sharing.is_allowed())
    }
}

/// An episode with everything recorded on it.
#[derive(Debug, Clone, Serialize)]
pub struct EarlyHelpView {
    pub episode: EarlyHelpEpisode,
    pub consents: Vec<ConsentRecord>,
    pub overrides: Vec<OverrideRecord>,
    pub family_contacts: Vec<FamilyContact>,
    pub actions: Vec<FamilyAction>,
    /// What the rule allows, for every partner agency.
    pub sharing: Vec<AgencySharing>,
    pub assessment_overdue: bool,
    pub today: NaiveDate,
}

/// Allocation to a coordinator: a worker's id, or blank for oneself.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AllocationInput {
    pub coordinator: String,
}

/// A contact with the family.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FamilyContactInput {
    pub contacted_on: String,
    /// phone, visit, letter, email, text or meeting.
    pub method: String,
    pub outcome: String,
}

/// A team-around-the-family action; the due date is required.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FamilyActionInput {
    pub description: String,
    pub owner: String,
    pub due_on: String,
}

/// Closing an early help episode: why, and a summary of what was achieved or why it ends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EarlyHelpClosureInput {
    pub reason: String,
    pub summary: String,
}

/// How a coordinator can contact a family: (code, label).
pub const CONTACT_METHODS: [(&str, &str); 6] = [
    ("phone", "Phone call"),
    ("visit", "Home visit"),
    ("meeting", "Meeting"),
    ("letter", "Letter"),
    ("email", "Email"),
    ("text", "Text message"),
];

/// Opens an unallocated early help episode for a child, in the caller's transaction (an
/// authorised early help decision, or a step-down), with its event on the child's chronology.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn open_early_help_episode(
    tx: &mut Tx,
    authority: AuthorityId,
    by: Option<WorkerId>,
    person: PersonId,
    contact: Option<(ContactId, &str)>,
    decision: Option<Uuid>,
    stepped_down_from: Option<frontdoor_domain::ids::EpisodeId>,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<EarlyHelpEpisodeId, AppError> {
    let id = EarlyHelpEpisodeId::new();
    store::insert_episode(
        tx,
        &NewEarlyHelpEpisode {
            id,
            authority,
            person,
            contact: contact.map(|(c, _)| c),
            decision,
            stepped_down_from,
            reason,
            opened_on: london_date(at),
            opened_at: at,
        },
    )
    .await?;
    NewEvent::new(authority, at, "early_help_opened", id.0)
        .recorded_by(by)
        .about(person)
        .with(json!({
            "contact": contact.map(|(_, reference)| reference),
            "stepped_down_from": stepped_down_from,
        }))
        .append(tx)
        .await?;
    Ok(id)
}

impl App {
    pub(crate) async fn load_early_help(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
    ) -> Result<EarlyHelpEpisode, AppError> {
        self.store
            .early_help_episode(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// The lists: unallocated, the actor's own, and assessments overdue.
    pub async fn early_help_lists(&self, actor: &Actor) -> Result<EarlyHelpLists, AppError> {
        actor.may(Action::ViewEarlyHelp)?;
        let today = london_date(self.now());
        let authority = actor.authority;
        Ok(EarlyHelpLists {
            unallocated: self
                .store
                .early_help_list(authority, EarlyHelpList::Unallocated)
                .await?,
            mine: self
                .store
                .early_help_list(authority, EarlyHelpList::CoordinatedBy(actor.worker))
                .await?,
            overdue: self
                .store
                .early_help_list(authority, EarlyHelpList::OverdueOn(today))
                .await?,
            today,
        })
    }

    /// An episode with its consent, contacts, assessment and actions (audited as a read of the
    /// child's record).
    pub async fn view_early_help(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
    ) -> Result<EarlyHelpView, AppError> {
        actor.may(Action::ViewEarlyHelp)?;
        let episode = self.load_early_help(actor, id).await?;
        let now = self.now();
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                episode.person,
                "early_help",
                now,
            )
            .await?;
        let (consents, overrides) = self.store.early_help_consents(actor.authority, id).await?;
        let today = london_date(now);
        Ok(EarlyHelpView {
            sharing: sharing_table(&consents, &overrides),
            family_contacts: self
                .store
                .early_help_family_contacts(actor.authority, id)
                .await?,
            actions: self.store.early_help_actions(actor.authority, id).await?,
            assessment_overdue: episode
                .assessment
                .as_ref()
                .is_some_and(|a| assessment_overdue(a.due_on, a.completed_on, today)),
            consents,
            overrides,
            episode,
            today,
        })
    }

    /// A child's early help episodes (for their record), newest first.
    pub async fn early_help_of_child(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<EarlyHelpEpisode>, AppError> {
        actor.may(Action::ViewEarlyHelp)?;
        Ok(self
            .store
            .early_help_episodes_of(actor.authority, person)
            .await?)
    }

    /// The workers an episode can be allocated to: the authority's active early help
    /// coordinators.
    pub async fn early_help_coordinators(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(WorkerId, String)>, AppError> {
        actor.may(Action::ViewEarlyHelp)?;
        Ok(self
            .store
            .workers(actor.authority)
            .await?
            .into_iter()
            .filter(|w| w.active && w.role == Role::EarlyHelpCoordinator)
            .map(|w| (w.id, w.display_name))
            .collect())
    }

    /// Who can be appointed lead professional: active partner practitioners (with their
    /// organisation), early help coordinators and social workers, as (id, "name, organisation").
    pub async fn early_help_lead_candidates(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(WorkerId, String)>, AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let organisations = self.store.organisations(actor.authority).await?;
        Ok(self
            .store
            .workers(actor.authority)
            .await?
            .into_iter()
            .filter(|w| {
                w.active
                    && matches!(
                        w.role,
                        Role::PartnerPractitioner
                            | Role::EarlyHelpCoordinator
                            | Role::MashSocialWorker
                    )
            })
            .map(|w| {
                let organisation = organisations
                    .iter()
                    .find(|o| o.id == w.organisation)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                (w.id, format!("{}, {}", w.display_name, organisation))
            })
            .collect())
    }

    /// Allocates an unallocated episode to a coordinator (oneself when none is named). Two
    /// allocations at once: one wins, the other is a 409 naming who has it.
    pub async fn allocate_early_help(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &AllocationInput,
    ) -> Result<EarlyHelpEpisode, AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let coordinator = if input.coordinator.trim().is_empty() {
            if actor.role != Role::EarlyHelpCoordinator {
                return Err(AppError::invalid(
                    "coordinator",
                    "Choose the early help coordinator to allocate this to.",
                ));
            }
            actor.worker
        } else {
            input.coordinator.parse::<WorkerId>().map_err(|_| {
                AppError::invalid("coordinator", "Choose a coordinator from the list.")
            })?
        };
        let worker = self
            .store
            .worker(actor.authority, coordinator)
            .await
            .map_err(|_| AppError::invalid("coordinator", "Choose a coordinator from the list."))?;
        if !worker.active || worker.role != Role::EarlyHelpCoordinator {
            return Err(AppError::invalid(
                "coordinator",
                "Early help is allocated to an active early help coordinator: choose one from the list.",
            ));
        }
        let episode = self.load_early_help(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !store::allocate(
            &mut tx,
            actor.authority,
            id,
            coordinator,
            worker.team,
            actor.worker,
            now,
        )
        .await?
        {
            let current = store::episode_in(&mut tx, actor.authority, id).await?;
            drop(tx);
            return Err(episode_conflict(&current));
        }
        NewEvent::by(actor, now, "early_help_allocated", id.0)
            .about(episode.person)
            .with(json!({ "coordinator": coordinator, "coordinator_name": worker.display_name }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_early_help(actor, id).await
    }

    /// Records a contact with the family.
    pub async fn record_family_contact(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &FamilyContactInput,
    ) -> Result<FamilyContact, AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let now = self.now();
        let mut checks = Checks::default();
        let contacted_on = required_date(
            &mut checks,
            "contacted_on",
            &input.contacted_on,
            "Enter the date of the contact with the family.",
        );
        if contacted_on.is_some_and(|d| d > london_date(now)) {
            checks.add(
                "contacted_on",
                "The date of the contact cannot be in the future.",
            );
        }
        let method = input.method.trim();
        if !CONTACT_METHODS.iter().any(|(code, _)| *code == method) {
            checks.add("method", "Choose how the family was contacted.");
        }
        let outcome = checks.text("outcome", &input.outcome, 4000);
        if outcome.chars().count() < 5 {
            checks.add(
                "outcome",
                "Say what came of the contact: what the family said, what was offered.",
            );
        }
        checks.finish()?;
        let Some(contacted_on) = contacted_on else {
            return Err(AppError::invalid("contacted_on", "Enter the date."));
        };
        let contact = FamilyContact {
            id: Uuid::now_v7(),
            episode: id,
            contacted_on,
            method: method.to_string(),
            outcome,
            recorded_by: actor.worker,
            recorded_by_name: None,
            recorded_at: now,
        };
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        store::insert_family_contact(&mut tx, actor.authority, &contact).await?;
        NewEvent::by(actor, now, "early_help_family_contact", contact.id)
            .about(episode.person)
            .with(json!({ "episode": id, "contacted_on": contacted_on, "method": contact.method }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(contact)
    }

    /// Adds a team-around-the-family action. The due date is required: an action without a
    /// timescale drifts.
    pub async fn add_family_action(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &FamilyActionInput,
    ) -> Result<FamilyAction, AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let now = self.now();
        let mut checks = Checks::default();
        let description = checks.text("description", &input.description, 2000);
        if description.chars().count() < 5 {
            checks.add("description", "Say what is to be done.");
        }
        let owner = checks.text("owner", &input.owner, 200);
        if owner.is_empty() {
            checks.add("owner", "Say who will do it (a person or an agency).");
        }
        let due_on = required_date(
            &mut checks,
            "due_on",
            &input.due_on,
            "Enter the date the action is due: every team-around-the-family action has a timescale.",
        );
        if due_on.is_some_and(|d| d < london_date(now)) {
            checks.add("due_on", "The due date cannot be in the past.");
        }
        checks.finish()?;
        let Some(due_on) = due_on else {
            return Err(AppError::invalid(
                "due_on",
                "Enter the date the action is due.",
            ));
        };
        let action = FamilyAction {
            id: Uuid::now_v7(),
            episode: id,
            description,
            owner,
            due_on,
            completed_on: None,
            recorded_by: actor.worker,
            recorded_at: now,
        };
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        store::insert_action(&mut tx, actor.authority, &action).await?;
        NewEvent::by(actor, now, "early_help_action_agreed", action.id)
            .about(episode.person)
            .with(json!({ "episode": id, "description": action.description, "owner": action.owner, "due_on": due_on }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(action)
    }

    /// Marks a team-around-the-family action done (once).
    pub async fn complete_family_action(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        action: Uuid,
    ) -> Result<(), AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        if !store::complete_action(
            &mut tx,
            actor.authority,
            id,
            action,
            london_date(now),
            actor.worker,
        )
        .await?
        {
            drop(tx);
            let actions = self.store.early_help_actions(actor.authority, id).await?;
            return Err(match actions.iter().find(|a| a.id == action) {
                Some(a) => AppError::Conflict(format!(
                    "This action was already completed on {}: reload the episode.",
                    a.completed_on
                        .map(|d| d.format("%-d %B %Y").to_string())
                        .unwrap_or_default()
                )),
                None => AppError::NotFound("The action"),
            });
        }
        NewEvent::by(actor, now, "early_help_action_completed", action)
            .about(episode.person)
            .with(json!({ "episode": id }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes an open early help episode with its reason and the worker's summary, once: a
    /// second closure, or a closure racing a step-up, meets the episode already ended (409).
    /// Actions still open are named in the event, so the chronology shows what was left.
    pub async fn close_early_help(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &EarlyHelpClosureInput,
    ) -> Result<EarlyHelpEpisode, AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let now = self.now();
        let mut checks = Checks::default();
        let reason = match EarlyHelpClosureReason::from_code(&input.reason) {
            Ok(reason) => Some(reason),
            Err(error) => {
                checks.add("reason", error.to_string());
                None
            }
        };
        let summary = checks.text("summary", &input.summary, 4000);
        if summary.chars().count() < 10 {
            checks.add(
                "summary",
                "Summarise what early help achieved, or why it is ending, for the family's record.",
            );
        }
        checks.finish()?;
        let Some(reason) = reason else {
            return Err(AppError::invalid(
                "reason",
                "Choose why early help is ending.",
            ));
        };
        let today = london_date(now);
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        let open_actions = store::open_actions_in(&mut tx, actor.authority, id).await?;
        let closing = store::Closing {
            reason,
            summary: &summary,
            by: actor.worker,
            at: now,
            on: today,
        };
        if !store::close_episode(&mut tx, actor.authority, id, &closing).await? {
            let current = store::episode_in(&mut tx, actor.authority, id).await?;
            return Err(episode_conflict(&current));
        }
        NewEvent::by(actor, now, "early_help_closed", id.0)
            .about(episode.person)
            .with(json!({
                "reason": reason.code(),
                "summary": summary,
                "closed_on": today,
                "open_actions": open_actions,
            }))
            .append(&mut tx)
            .await?;
        let closed = store::episode_in(&mut tx, actor.authority, id).await?;
        tx.commit().await?;
        Ok(closed)
    }

    /// Holds the episode for the transaction and checks it is still open (a stepped-up or
    /// closed episode takes no more work).
    pub(crate) async fn open_episode_in(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
    ) -> Result<EarlyHelpEpisode, AppError> {
        store::lock_episode(tx, actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let episode = store::episode_in(tx, actor.authority, id).await?;
        if episode.status != EarlyHelpStatus::Open {
            return Err(episode_conflict(&episode));
        }
        Ok(episode)
    }
}

/// What may be shared with each partner agency, part by part.
pub(crate) fn sharing_table(
    consents: &[ConsentRecord],
    overrides: &[OverrideRecord],
) -> Vec<AgencySharing> {
    let consents: Vec<ConsentToShare> = consents.iter().map(|c| c.consent.clone()).collect();
    let overrides: Vec<SafeguardingOverride> =
        overrides.iter().map(|o| o.sharing.clone()).collect();
    Agency::ASKED
        .iter()
        .map(|agency| AgencySharing {
            agency: *agency,
            parts: SharedPart::ALL
                .iter()
                .map(|part| (*part, may_share(&consents, &overrides, *agency, *part)))
                .collect(),
        })
        .collect()
}

/// The 409 for an episode not in the state an action needed: what it is now, who, when.
pub(crate) fn episode_conflict(current: &EarlyHelpEpisode) -> AppError {
    let when = |at: Option<DateTime<Utc>>| {
        at.map(|at| {
            crate::local_time::london(at)
                .format("%-d %B %Y at %H:%M")
                .to_string()
        })
        .unwrap_or_default()
    };
    AppError::Conflict(match current.status {
        EarlyHelpStatus::SteppedUp => format!(
            "This early help episode was stepped up to children's social care on {} by {} (contact {}): nothing more can be recorded on it.",
            when(current.stepped_up_at),
            current.stepped_up_by_name.clone().unwrap_or_default(),
            current.stepped_up_contact_reference.clone().unwrap_or_default(),
        ),
        EarlyHelpStatus::Closed => match &current.closure {
            Some(closure) => format!(
                "This early help episode was closed on {} by {} ({}): nothing more can be recorded on it.",
                when(Some(closure.closed_at)),
                closure.closed_by_name,
                closure.reason.label().to_lowercase(),
            ),
            None => "This early help episode is closed: nothing more can be recorded on it."
                .to_string(),
        },
        EarlyHelpStatus::Open => format!(
            "This early help episode was allocated to {} on {} by {}: reload it to see who has it.",
            current.coordinator_name.clone().unwrap_or_default(),
            when(current.allocated_at),
            current.allocated_by_name.clone().unwrap_or_default(),
        ),
    })
}
