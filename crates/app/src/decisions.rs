//! Threshold decisions: recommend, then authorise or return; and emergency action.

use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::{
    review_transition, DecisionState, EmergencyAction, ManagerReview, Rationale, Recommendation,
    ThresholdOutcome,
};
use frontdoor_domain::history::is_re_referral;
use frontdoor_domain::ids::{ContactId, DecisionId, PersonId, ReferralId};
use frontdoor_store::contacts::set_contact_status;
use frontdoor_store::decisions::{
    self as decision_store, EmergencyActionRecord, Referral, ThresholdDecision,
};
use frontdoor_store::events::{self, NewEvent};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RecommendationInput {
    pub outcome: String,
    pub level_of_need: String,
    pub signposted_to: String,
    pub rationale: String,
}

/// A manager's review: `authorise` true to authorise, false to return.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    pub authorise: bool,
    pub rationale: String,
}

impl App {
    /// A MASH social worker recommends a threshold decision on a contact.
    pub async fn recommend_decision(
        &self,
        actor: &Actor,
        contact_id: ContactId,
        input: &RecommendationInput,
    ) -> Result<ThresholdDecision, AppError> {
        let contact = self
            .authorize_contact(actor, Action::RecommendDecision, contact_id)
            .await?;
        let authority = self.store.authority(actor.authority).await?;
        let mut errors = Vec::new();
        let outcome = ThresholdOutcome::from_code(&input.outcome)
            .map_err(|_| {
                errors.push(crate::FieldError::new(
                    "outcome",
                    "Choose the outcome you recommend.",
                ))
            })
            .ok();
        let level = input
            .level_of_need
            .trim()
            .parse::<u8>()
            .map_err(|_| {
                errors.push(crate::FieldError::new(
                    "level_of_need",
                    "Choose the level of need.",
                ))
            })
            .ok();
        let rationale = Rationale::parse(&input.rationale)
            .map_err(|e| errors.push(crate::FieldError::new("rationale", e.to_string())))
            .ok();
        let recommendation = match (outcome, level, rationale) {
            (Some(outcome), Some(level), Some(rationale)) if errors.is_empty() => {
                Recommendation::new(
                    &authority.threshold_framework,
                    outcome,
                    level,
                    Some(&input.signposted_to),
                    rationale,
                )
                .map_err(|e| {
                    let field = match e {
                        frontdoor_domain::decision::DecisionError::SignpostServiceMissing => {
                            "signposted_to"
                        }
                        _ => "level_of_need",
                    };
                    AppError::invalid(field, e.to_string())
                })?
            }
            _ => return Err(AppError::Invalid(errors)),
        };
        if !matches!(
            contact.status,
            ContactStatus::AwaitingTriage | ContactStatus::Returned
        ) {
            return Err(AppError::Conflict(format!(
                "This contact is {}: a new recommendation cannot be made now.",
                contact.status.label().to_lowercase()
            )));
        }
        let subjects = self
            .store
            .contact_subjects(actor.authority, contact_id)
            .await?;
        if subjects.iter().any(|s| s.person.is_none()) {
            return Err(AppError::Conflict("Link every child and adult on the contact to a record (or create one) before recommending a decision, so the decision appears on their records.".into()));
        }
        let people: Vec<PersonId> = subjects.iter().filter_map(|s| s.person).collect();
        let now = self.now();
        let decision = ThresholdDecision {
            id: DecisionId::new(),
            authority: actor.authority,
            contact: contact_id,
            state: DecisionState::Recommended,
            outcome: recommendation.outcome,
            level_of_need: i32::from(recommendation.level_of_need),
            signposted_to: recommendation.signposted_to.clone(),
            rationale: recommendation.rationale.as_str().to_string(),
            recommended_by: actor.worker,
            recommended_by_name: None,
            recommended_at: now,
            reviewed_by: None,
            reviewed_by_name: None,
            reviewed_at: None,
            review_rationale: None,
            threshold_framework_version: authority.threshold_framework_version,
        };
        let mut tx = self.store.begin().await?;
        // The level was checked against the framework read above: refuse if a new version was
        // published since (the share lock holds publication back until this commits).
        let in_force =
            frontdoor_store::administration::framework_version_in_force(&mut tx, actor.authority)
                .await?;
        if in_force != authority.threshold_framework_version {
            return Err(AppError::Conflict(format!("The threshold framework changed to version {in_force} while you were recommending: reload the contact, check the level of need and recommend again.")));
        }
        decision_store::insert_decision(&mut tx, &decision).await?;
        set_contact_status(
            &mut tx,
            actor.authority,
            contact_id,
            ContactStatus::AwaitingAuthorisation,
            None,
        )
        .await?;
        events::append(
            &mut tx,
            NewEvent {
                authority: actor.authority,
                actor: Some(actor.worker),
                recorded_at: now,
                kind: "decision_recommended",
                subject: decision.id.0,
                people,
                payload: crate::event_payloads::decision_recommended(&contact.reference, &decision),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// A team manager authorises or returns the recommendation awaiting them on a contact.
    pub async fn review_decision(
        &self,
        actor: &Actor,
        contact_id: ContactId,
        input: &ReviewInput,
    ) -> Result<DecisionState, AppError> {
        let contact = self
            .store
            .contact(actor.authority, contact_id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let decisions = self
            .store
            .decisions_on_contact(actor.authority, contact_id)
            .await?;
        let pending = decisions
            .iter()
            .rev()
            .find(|d| d.state == DecisionState::Recommended)
            .ok_or_else(|| {
                AppError::Conflict(
                    "There is no recommendation awaiting authorisation on this contact.".into(),
                )
            })?;
        let action = if input.authorise {
            Action::AuthoriseDecision
        } else {
            Action::ReturnDecision
        };
        authorize(
            actor,
            action,
            &Resource::decision(contact.authority, contact.team, pending.recommended_by),
        )
        .require()?;
        let rationale = Rationale::parse(&input.rationale)
            .map_err(|e| AppError::invalid("rationale", e.to_string()))?;
        let review = if input.authorise {
            ManagerReview::Authorise { rationale }
        } else {
            ManagerReview::Return { reason: rationale }
        };
        let next = review_transition(pending.state, pending.recommended_by, actor.worker, &review)
            .map_err(|e| AppError::Conflict(e.to_string()))?;
        let text = match &review {
            ManagerReview::Authorise { rationale } => rationale.as_str().to_string(),
            ManagerReview::Return { reason } => reason.as_str().to_string(),
        };
        let subjects = self
            .store
            .contact_subjects(actor.authority, contact_id)
            .await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !decision_store::review_decision(
            &mut tx,
            actor.authority,
            pending.id,
            next,
            actor.worker,
            now,
            &text,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "Someone else reviewed this recommendation a moment ago: reload the contact."
                    .into(),
            ));
        }
        let mut referrals = Vec::new();
        if next == DecisionState::Authorised {
            set_contact_status(
                &mut tx,
                actor.authority,
                contact_id,
                ContactStatus::Decided,
                Some(now),
            )
            .await?;
            if pending.outcome.is_referral() {
                let referral_date = london_date(contact.received_at);
                for child in subjects.iter().filter(|s| s.is_child) {
                    let Some(person) = child.person else { continue };
                    let earlier = self.store.referral_dates(actor.authority, person).await?;
                    let referral = Referral {
                        id: ReferralId::new(),
                        contact: contact_id,
                        person,
                        decision: pending.id,
                        referral_date,
                        source: contact.source,
                        is_re_referral: is_re_referral(referral_date, &earlier),
                    };
                    decision_store::insert_referral(&mut tx, actor.authority, &referral, now)
                        .await?;
                    referrals
                        .push(json!({ "person": person, "re_referral": referral.is_re_referral }));
                }
            }
        } else {
            set_contact_status(
                &mut tx,
                actor.authority,
                contact_id,
                ContactStatus::Returned,
                None,
            )
            .await?;
        }
        events::append(
            &mut tx,
            NewEvent {
                authority: actor.authority,
                actor: Some(actor.worker),
                recorded_at: now,
                kind: if next == DecisionState::Authorised {
                    "decision_authorised"
                } else {
                    "decision_returned"
                },
                subject: pending.id.0,
                people: subjects.iter().filter_map(|s| s.person).collect(),
                payload: crate::event_payloads::decision_reviewed(
                    &contact.reference,
                    pending.outcome,
                    pending.level_of_need,
                    pending.recommended_by,
                    &text,
                    &referrals,
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Records emergency action taken on a contact (at any hour).
    pub async fn record_emergency_action(
        &self,
        actor: &Actor,
        contact_id: ContactId,
        person: Option<PersonId>,
        action: &str,
        notes: &str,
    ) -> Result<(), AppError> {
        let contact = self
            .authorize_contact(actor, Action::RecordEmergencyAction, contact_id)
            .await?;
        let action = EmergencyAction::from_code(action)
            .map_err(|_| AppError::invalid("action", "Choose the emergency action taken."))?;
        let notes = notes.trim();
        if notes.chars().count() < 10 {
            return Err(AppError::invalid(
                "notes",
                "Say what happened and why the action was needed.",
            ));
        }
        let subjects = self
            .store
            .contact_subjects(actor.authority, contact_id)
            .await?;
        if let Some(person) = person {
            if !subjects.iter().any(|s| s.person == Some(person)) {
                return Err(AppError::invalid(
                    "person",
                    "Choose a child linked to this contact.",
                ));
            }
        }
        let now = self.now();
        let record = EmergencyActionRecord {
            id: Uuid::now_v7(),
            contact: contact_id,
            person,
            action,
            taken_at: now,
            notes: notes.to_string(),
            recorded_by: actor.worker,
        };
        let mut tx = self.store.begin().await?;
        decision_store::insert_emergency_action(&mut tx, actor.authority, &record, now).await?;
        events::append(
            &mut tx,
            NewEvent {
                authority: actor.authority,
                actor: Some(actor.worker),
                recorded_at: now,
                kind: "emergency_action_recorded",
                subject: contact_id.0,
                people: person
                    .map(|p| vec![p])
                    .unwrap_or_else(|| subjects.iter().filter_map(|s| s.person).collect()),
                payload: crate::event_payloads::emergency_action_recorded(
                    &contact.reference,
                    action,
                    notes,
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
