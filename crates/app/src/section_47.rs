//! Section 47 enquiries: started by a signed-off strategy discussion that decided on one;
//! visits (flagged when before the discussion agreed the plan); the outcome, which may call an
//! initial child protection conference (due 15 working days after the discussion).

use crate::episodes::{at_words, required_date, required_instant};
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::child_protection::{icpc_due, visit_precedes_plan, MIN_REASON_CHARS};
use frontdoor_domain::ids::{ConferenceId, EnquiryId, StrategyDiscussionId};
use frontdoor_domain::strategy_discussion::{StrategyOutcome, StrategyState};
use frontdoor_store::child_protection::{self as cp_store, Conference, Enquiry, EnquiryVisit};
use frontdoor_store::episodes as episode_store;
use frontdoor_store::events::NewEvent;
use frontdoor_store::strategy_discussions as strategy_store;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// A visit in a section 47 enquiry, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EnquiryVisitInput {
    /// London date and time of the visit (2026-03-27, 14:05).
    pub visited_date: String,
    pub visited_time: String,
    /// Who visited (names and roles).
    pub visited_by: String,
    pub child_seen: Option<bool>,
    pub seen_alone: Option<bool>,
    /// Why the visit could not wait for the strategy discussion, when it came before it.
    pub early_visit_reason: String,
}

/// The outcome of an enquiry, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EnquiryOutcomeInput {
    pub concerns_substantiated: Option<bool>,
    pub icpc_needed: Option<bool>,
    /// Why a conference is (or is not) needed.
    pub reason: String,
    pub completed_on: String,
}

impl App {
    /// An enquiry (without its visits).
    pub async fn view_enquiry(&self, actor: &Actor, id: EnquiryId) -> Result<Enquiry, AppError> {
        actor.may(Action::ViewChildRecord)?;
        self.store
            .enquiry(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// Starts the section 47 enquiry a signed-off strategy discussion decided on. Only one per
    /// discussion: a second (even sent at the same moment) is a conflict naming the first.
    pub async fn start_section_47(
        &self,
        actor: &Actor,
        discussion_id: StrategyDiscussionId,
    ) -> Result<Enquiry, AppError> {
        actor.may(Action::RecordSection47Enquiry)?;
        self.load_discussion(actor, discussion_id).await?;
        let calendar = self.calendar_for(actor.authority).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let discussion =
            strategy_store::discussion_for_update(&mut tx, actor.authority, discussion_id).await?;
        if discussion.state != StrategyState::SignedOff
            || discussion.record.decision != Some(StrategyOutcome::Section47Enquiry)
        {
            return Err(AppError::Conflict(
                "A section 47 enquiry starts from a strategy discussion that decided on one and has been signed off by a manager.".into(),
            ));
        }
        let Some(held_at) = discussion.record.held_at else {
            return Err(AppError::Conflict(
                "The strategy discussion has no record of when it was held.".into(),
            ));
        };
        if let Some(existing) =
            cp_store::enquiry_of_discussion(&mut tx, actor.authority, discussion_id).await?
        {
            return Err(AppError::Conflict(format!(
                "A section 47 enquiry was already started from this strategy discussion, on {}. Reload the episode to see it.",
                existing.started_on.format("%-d %B %Y")
            )));
        }
        let episode =
            episode_store::episode_for_update(&mut tx, actor.authority, discussion.episode).await?;
        if episode.closed_on.is_some() {
            return Err(AppError::Conflict(
                "This episode has closed: a section 47 enquiry needs an open episode.".into(),
            ));
        }
        let started_on = london_date(held_at);
        let enquiry = Enquiry {
            id: EnquiryId::new(),
            authority: actor.authority,
            episode: discussion.episode,
            person: discussion.person,
            strategy_discussion: discussion_id,
            started_on,
            plan_agreed_at: held_at,
            icpc_due_on: icpc_due(&calendar, started_on),
            state: "open".into(),
            concerns_substantiated: None,
            icpc_needed: None,
            outcome_reason: String::new(),
            completed_on: None,
            started_by: actor.worker,
        };
        cp_store::insert_enquiry(&mut tx, &enquiry, now).await?;
        NewEvent::by(actor, now, "section_47_started", enquiry.id.0)
            .about(enquiry.person)
            .with(json!({ "started_on": started_on, "icpc_due_on": enquiry.icpc_due_on }))
            .append(&mut tx)
            .await?;
        tx.commit()
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        Ok(enquiry)
    }

    /// Records a visit. A visit before the strategy discussion agreed the plan is flagged and
    /// must say why it could not wait.
    pub async fn record_section_47_visit(
        &self,
        actor: &Actor,
        enquiry_id: EnquiryId,
        input: &EnquiryVisitInput,
    ) -> Result<EnquiryVisit, AppError> {
        actor.may(Action::RecordSection47Enquiry)?;
        let now = self.now();
        let mut checks = Checks::default();
        let visited_at = required_instant(
            &mut checks,
            "visited_date",
            "visited_time",
            &input.visited_date,
            &input.visited_time,
            "of the visit",
        );
        if visited_at.is_some_and(|at| at > now) {
            checks.add(
                "visited_date",
                "Record a visit once it has happened: the date is in the future.",
            );
        }
        if input.visited_by.trim().is_empty() {
            checks.add("visited_by", "Say who visited.");
        }
        if input.child_seen.is_none() {
            checks.add("child_seen", "Say whether the child was seen.");
        }
        let seen_alone = match (input.child_seen, input.seen_alone) {
            (Some(true), None) => {
                checks.add("seen_alone", "Say whether the child was seen alone.");
                false
            }
            (Some(true), Some(alone)) => alone,
            _ => false,
        };
        let enquiry = self
            .store
            .enquiry(actor.authority, enquiry_id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let before = visited_at.is_some_and(|at| visit_precedes_plan(at, enquiry.plan_agreed_at));
        let reason = input.early_visit_reason.trim();
        if before && reason.chars().count() < MIN_REASON_CHARS {
            checks.add(
                "early_visit_reason",
                format!(
                    "This visit was before the strategy discussion agreed how the enquiry would proceed (at {}): say why it could not wait.",
                    at_words(enquiry.plan_agreed_at)
                ),
            );
        }
        checks.finish()?;
        let (Some(visited_at), Some(child_seen)) = (visited_at, input.child_seen) else {
            return Err(AppError::invalid(
                "visited_date",
                "Enter the date of the visit.",
            ));
        };
        let mut tx = self.store.begin().await?;
        let held = cp_store::enquiry_for_update(&mut tx, actor.authority, enquiry_id).await?;
        if held.state != "open" {
            return Err(AppError::Conflict(
                "This enquiry has been completed: reload it to see its outcome.".into(),
            ));
        }
        let visit = EnquiryVisit {
            id: Uuid::now_v7(),
            enquiry: enquiry_id,
            visited_at,
            visited_by: input.visited_by.trim().to_string(),
            child_seen,
            seen_alone,
            before_plan_agreed: before,
            early_visit_reason: if before {
                reason.to_string()
            } else {
                String::new()
            },
            recorded_by: actor.worker,
        };
        cp_store::insert_enquiry_visit(&mut tx, actor.authority, &visit, now).await?;
        NewEvent::by(actor, now, "section_47_visit_recorded", enquiry_id.0)
            .about(held.person)
            .with(json!({
                "visited_at": visited_at,
                "visited_by": visit.visited_by,
                "child_seen": child_seen,
                "seen_alone": seen_alone,
                "before_plan_agreed": before,
                "early_visit_reason": visit.early_visit_reason,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// Records the enquiry's outcome; when a conference is needed, the initial child
    /// protection conference is scheduled as due 15 working days after the discussion.
    pub async fn complete_section_47(
        &self,
        actor: &Actor,
        enquiry_id: EnquiryId,
        input: &EnquiryOutcomeInput,
    ) -> Result<Enquiry, AppError> {
        actor.may(Action::RecordSection47Enquiry)?;
        let now = self.now();
        let mut checks = Checks::default();
        if input.concerns_substantiated.is_none() {
            checks.add(
                "concerns_substantiated",
                "Say whether the concerns were substantiated.",
            );
        }
        if input.icpc_needed.is_none() {
            checks.add(
                "icpc_needed",
                "Say whether an initial child protection conference is needed.",
            );
        }
        if input.reason.trim().chars().count() < MIN_REASON_CHARS {
            checks.add(
                "reason",
                "Give the reason a conference is, or is not, needed.",
            );
        }
        let completed_on = if input.completed_on.trim().is_empty() {
            Some(london_date(now))
        } else {
            required_date(
                &mut checks,
                "completed_on",
                &input.completed_on,
                "Enter the date.",
            )
        };
        let enquiry = self
            .store
            .enquiry(actor.authority, enquiry_id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if completed_on.is_some_and(|d| d < enquiry.started_on || d > london_date(now)) {
            checks.add(
                "completed_on",
                "The date must be between the enquiry's start and today.",
            );
        }
        checks.finish()?;
        let (Some(substantiated), Some(icpc_needed), Some(completed_on)) = (
            input.concerns_substantiated,
            input.icpc_needed,
            completed_on,
        ) else {
            return Err(AppError::invalid(
                "icpc_needed",
                "Say whether a conference is needed.",
            ));
        };
        let reason = input.reason.trim();
        let mut tx = self.store.begin().await?;
        let held = cp_store::enquiry_for_update(&mut tx, actor.authority, enquiry_id).await?;
        if !cp_store::complete_enquiry(
            &mut tx,
            actor.authority,
            enquiry_id,
            substantiated,
            icpc_needed,
            reason,
            completed_on,
            actor.worker,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "This enquiry was already completed on {}: reload it to see its outcome.",
                held.completed_on
                    .map(|d| d.format("%-d %B %Y").to_string())
                    .unwrap_or_default()
            )));
        }
        if icpc_needed {
            let conference = Conference {
                id: ConferenceId::new(),
                authority: actor.authority,
                episode: held.episode,
                person: held.person,
                kind: "initial".into(),
                enquiry: Some(enquiry_id),
                plan: None,
                due_on: held.icpc_due_on,
                held_on: None,
                chair: String::new(),
                plan_outcome: None,
                category: None,
            };
            cp_store::insert_conference(&mut tx, &conference, now).await?;
        }
        NewEvent::by(actor, now, "section_47_completed", enquiry_id.0)
            .about(held.person)
            .with(json!({
                "concerns_substantiated": substantiated,
                "icpc_needed": icpc_needed,
                "reason": reason,
                "completed_on": completed_on,
                "icpc_due_on": icpc_needed.then_some(held.icpc_due_on),
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.store
            .enquiry(actor.authority, enquiry_id)
            .await
            .map_err(AppError::from)
    }
}
