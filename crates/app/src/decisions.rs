//! Threshold decisions: recommend, then authorise or return; and emergency action.

use crate::local_time::{london, london_date};
use crate::{App, AppError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::{
    review_transition, DecisionState, EmergencyAction, ManagerReview, Rationale, Recommendation,
    ThresholdOutcome,
};
use frontdoor_domain::history::is_re_referral;
use frontdoor_domain::ids::{ContactId, DecisionId, PersonId, ReferralId};
use frontdoor_store::contacts::{self as contact_store, Contact};
use frontdoor_store::decisions::{
    self as decision_store, EmergencyActionRecord, Referral, ThresholdDecision,
};
use frontdoor_store::events::NewEvent;
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

/// A manager's review: `authorise` true to authorise, false to return. Nothing is assumed when
/// it is missing: a review that does not say which is refused.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    pub authorise: Option<bool>,
    pub rationale: String,
    /// The manager's reason for authorising below each threshold prompt that fired, by the
    /// prompt's kind code (e.g. `repeat_contacts`). Needed only for prompts the decision is
    /// below; the prompts are evaluated again when the decision is authorised.
    pub departure_reasons: std::collections::BTreeMap<String, String>,
}

/// "This contact is awaiting authorisation: Sam Patel recommended a decision at 10:42 on 3 March
/// 2026. Reload the contact to see it."
fn what_changed(contact: &Contact, latest: Option<&ThresholdDecision>) -> String {
    let at = |instant| london(instant).format("%H:%M on %-d %B %Y").to_string();
    let name = |name: &Option<String>| name.clone().unwrap_or_else(|| "another worker".into());
    let what = match (contact.status, latest) {
        (ContactStatus::AwaitingAuthorisation, Some(d)) => format!(
            "{} recommended a decision at {}, and it is awaiting a manager's authorisation",
            name(&d.recommended_by_name),
            at(d.recommended_at)
        ),
        (ContactStatus::Decided, Some(d)) if d.state == DecisionState::Authorised => format!(
            "{} authorised the decision at {}",
            name(&d.reviewed_by_name),
            d.reviewed_at.map(at).unwrap_or_default()
        ),
        (ContactStatus::Returned, Some(d)) if d.state == DecisionState::Returned => format!(
            "{} returned the recommendation at {}",
            name(&d.reviewed_by_name),
            d.reviewed_at.map(at).unwrap_or_default()
        ),
        (status, _) => format!("it is now {}", status.label().to_lowercase()),
    };
    format!(
        "This cannot be done now: on contact {} {what}. Reload the contact to see its current state.",
        contact.reference
    )
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
        if !contact.status.accepts_recommendation() {
            return Err(self.contact_conflict(&contact).await);
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // The level was checked against the framework read above: refuse if a new version was
        // published since (the share lock holds publication back until this commits).
        let in_force =
            frontdoor_store::administration::framework_version_in_force(&mut tx, actor.authority)
                .await?;
        if in_force != authority.threshold_framework_version {
            return Err(AppError::Conflict(format!("The threshold framework changed to version {in_force} while you were recommending: reload the contact, check the level of need and recommend again.")));
        }
        // The guard: only a contact still awaiting triage (or returned) moves on. A second
        // recommendation sent at the same moment finds it moved and gets a 409.
        if !contact_store::transition_contact(
            &mut tx,
            actor.authority,
            contact_id,
            &ContactStatus::ACCEPTING_RECOMMENDATION,
            ContactStatus::AwaitingAuthorisation,
            None,
        )
        .await?
        {
            drop(tx);
            return Err(self.contact_conflict_by_id(actor, contact_id).await);
        }
        // Read inside the transaction, after the guard: links cannot change from here on.
        let subjects =
            contact_store::subjects_for_update(&mut tx, actor.authority, contact_id).await?;
        if subjects.iter().any(|s| s.person.is_none()) {
            return Err(AppError::Conflict("Link every child and adult on the contact to a record (or create one) before recommending a decision, so the decision appears on their records.".into()));
        }
        let people: Vec<PersonId> = subjects.iter().filter_map(|s| s.person).collect();
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
        decision_store::insert_decision(&mut tx, &decision).await?;
        crate::threshold_prompts::record_at_recommendation(&mut tx, &contact, &decision).await?;
        NewEvent::by(actor, now, "decision_recommended", decision.id.0)
            .about_all(people)
            .with(crate::event_payloads::decision_recommended(
                &contact.reference,
                &decision,
            ))
            .append(&mut tx)
            .await?;
        // The owning team's managers are told a recommendation awaits them.
        let managers = frontdoor_store::notifications::team_managers_in(
            &mut tx,
            actor.authority,
            contact.team,
        )
        .await?;
        frontdoor_store::notifications::notify(
            &mut tx,
            actor.authority,
            &managers,
            "authorisation_waiting",
            &format!("/contacts/{contact_id}"),
            now,
            true,
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
        let Some(authorise) = input.authorise else {
            return Err(AppError::invalid(
                "authorise",
                "Choose whether to authorise the recommendation or return it to the worker.",
            ));
        };
        let contact = self
            .store
            .contact(actor.authority, contact_id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let decisions = self
            .store
            .decisions_on_contact(actor.authority, contact_id)
            .await?;
        let Some(pending) = decisions
            .iter()
            .rev()
            .find(|d| d.state == DecisionState::Recommended)
        else {
            // Read the contact again: it may have changed since it was loaded above.
            return Err(self.contact_conflict_by_id(actor, contact_id).await);
        };
        let action = if authorise {
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
        let review = if authorise {
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
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // Two guards in one transaction: the recommendation is still awaiting review, and the
        // contact is still awaiting authorisation. A second manager loses both and gets a 409.
        let reviewed = decision_store::review_decision(
            &mut tx,
            actor.authority,
            pending.id,
            next,
            actor.worker,
            now,
            &text,
        )
        .await?;
        let (contact_status, decided_at) = if next == DecisionState::Authorised {
            (ContactStatus::Decided, Some(now))
        } else {
            (ContactStatus::Returned, None)
        };
        if !reviewed
            || !contact_store::transition_contact(
                &mut tx,
                actor.authority,
                contact_id,
                &[ContactStatus::AwaitingAuthorisation],
                contact_status,
                decided_at,
            )
            .await?
        {
            drop(tx);
            return Err(self.contact_conflict_by_id(actor, contact_id).await);
        }
        // The people the decision is about, read after the guards: who the referral goes to
        // is exactly who the recommendation named.
        let subjects =
            contact_store::subjects_for_update(&mut tx, actor.authority, contact_id).await?;
        if next == DecisionState::Authorised {
            // Below a threshold prompt's outcome: refused (and nothing stored) without the
            // manager's reason for each prompt departed from.
            let people: Vec<PersonId> = subjects.iter().filter_map(|s| s.person).collect();
            crate::threshold_prompts::check_at_authorisation(
                &mut tx,
                actor,
                &contact,
                pending,
                &input.departure_reasons,
                &people,
                now,
            )
            .await?;
        }
        let mut referrals = Vec::new();
        if next == DecisionState::Authorised && pending.outcome.is_referral() {
            let referral_date = london_date(contact.received_at);
            for child in subjects.iter().filter(|s| s.is_child) {
                let Some(person) = child.person else { continue };
                let earlier =
                    decision_store::referral_dates_in(&mut tx, actor.authority, person).await?;
                let referral = Referral {
                    id: ReferralId::new(),
                    contact: contact_id,
                    person,
                    decision: pending.id,
                    referral_date,
                    source: contact.source,
                    is_re_referral: is_re_referral(referral_date, &earlier),
                };
                decision_store::insert_referral(&mut tx, actor.authority, &referral, now).await?;
                // The child's episode starts with the referral (and, for a strategy discussion
                // outcome, a discussion to hold, decided now).
                let opened = crate::episodes::open_episode_for_referral(
                    &mut tx,
                    actor.authority,
                    Some(actor.worker),
                    &referral,
                    &contact.reference,
                    pending.outcome,
                    now,
                )
                .await?;
                for event in opened.events {
                    event.append(&mut tx).await?;
                }
                referrals.push(json!({ "person": person, "re_referral": referral.is_re_referral }));
            }
        }
        // An authorised early help decision opens an early help episode for each child, in
        // the same transaction, unallocated: the early help coordinators' list.
        if next == DecisionState::Authorised && pending.outcome == ThresholdOutcome::EarlyHelp {
            for child in subjects.iter().filter(|s| s.is_child) {
                let Some(person) = child.person else { continue };
                crate::early_help::open_early_help_episode(
                    &mut tx,
                    actor.authority,
                    Some(actor.worker),
                    person,
                    Some((contact_id, &contact.reference)),
                    Some(pending.id.0),
                    None,
                    &pending.rationale,
                    now,
                )
                .await?;
            }
        }
        NewEvent::by(
            actor,
            now,
            if next == DecisionState::Authorised {
                "decision_authorised"
            } else {
                "decision_returned"
            },
            pending.id.0,
        )
        .about_all(subjects.iter().filter_map(|s| s.person))
        .with(crate::event_payloads::decision_reviewed(
            &contact.reference,
            pending.outcome,
            pending.level_of_need,
            pending.recommended_by,
            &text,
            &referrals,
        ))
        .append(&mut tx)
        .await?;
        if next == DecisionState::Returned {
            frontdoor_store::notifications::notify(
                &mut tx,
                actor.authority,
                &[pending.recommended_by],
                "decision_returned",
                &format!("/contacts/{contact_id}"),
                now,
                true,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(next)
    }

    /// The 409 for a contact that is not in the state an action needed: what it is now, and
    /// who moved it there and when, so the worker knows what changed under them.
    pub(crate) async fn contact_conflict_by_id(
        &self,
        actor: &Actor,
        contact_id: ContactId,
    ) -> AppError {
        match self.store.contact(actor.authority, contact_id).await {
            Ok(contact) => self.contact_conflict(&contact).await,
            Err(e) => AppError::from(e).normalise(),
        }
    }

    pub(crate) async fn contact_conflict(&self, contact: &Contact) -> AppError {
        let latest = self
            .store
            .decisions_on_contact(contact.authority, contact.id)
            .await
            .ok()
            .and_then(|decisions| decisions.into_iter().last());
        AppError::Conflict(what_changed(contact, latest.as_ref()))
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
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // The child named must be on the contact when the action is stored, not only when the
        // form was read: hold the contact so its links cannot change meanwhile.
        contact_store::contact_for_update(&mut tx, actor.authority, contact_id).await?;
        let subjects =
            contact_store::subjects_for_update(&mut tx, actor.authority, contact_id).await?;
        if let Some(person) = person {
            if !subjects.iter().any(|s| s.person == Some(person)) {
                return Err(AppError::invalid(
                    "person",
                    "Choose a child linked to this contact.",
                ));
            }
        }
        let record = EmergencyActionRecord {
            id: Uuid::now_v7(),
            contact: contact_id,
            person,
            action,
            taken_at: now,
            notes: notes.to_string(),
            recorded_by: actor.worker,
        };
        decision_store::insert_emergency_action(&mut tx, actor.authority, &record, now).await?;
        NewEvent::by(actor, now, "emergency_action_recorded", contact_id.0)
            .about_all(
                person
                    .map(|p| vec![p])
                    .unwrap_or_else(|| subjects.iter().filter_map(|s| s.person).collect()),
            )
            .with(crate::event_payloads::emergency_action_recorded(
                &contact.reference,
                action,
                notes,
            ))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
