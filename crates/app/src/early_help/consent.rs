//! Consent to share, managers' safeguarding overrides, the lead professional and the early help
//! assessment.

use crate::episodes::required_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::authorization::{authorize, Action, Actor, DenialReason, Resource, Role};
use frontdoor_domain::early_help::{
    assessment_due, may_share, ConsentDecision, ConsentToShare, SafeguardingOverride, SharedPart,
    Sharing,
};
use frontdoor_domain::ids::{EarlyHelpEpisodeId, WorkerId};
use frontdoor_store::early_help::{
    self as store, ConsentRecord, EarlyHelpAssessment, EarlyHelpEpisode, OverrideRecord,
};
use frontdoor_store::events::NewEvent;
use frontdoor_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// A consent decision as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentInput {
    /// given, refused or withdrawn.
    pub decision: String,
    /// Who decided (a parent, the young person...) and their relationship to the child.
    pub given_by: String,
    pub relationship: String,
    pub decided_on: String,
    /// Parts that may be shared (given consent): identity, assessment, family_history.
    pub parts: Vec<String>,
    /// Agency codes it is about; for a refusal or withdrawal, none means every agency.
    pub agencies: Vec<String>,
    pub notes: String,
}

/// A manager's safeguarding reason to share with an agency regardless of consent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SafeguardingOverrideInput {
    pub agency: String,
    pub reason: String,
}

/// The lead professional: a worker's id (a partner's practitioner, or the authority's own).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadProfessionalInput {
    pub lead: String,
}

/// The assessment's start (a date; blank is today).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentStartInput {
    pub started_on: String,
}

/// The assessment's completion: the date and what it found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentCompletionInput {
    pub completed_on: String,
    pub summary: String,
}

/// Consent and overrides read through the transaction, as the rule needs them.
pub(crate) async fn sharing_in(
    tx: &mut Tx,
    actor: &Actor,
    id: EarlyHelpEpisodeId,
) -> Result<(Vec<ConsentToShare>, Vec<SafeguardingOverride>), AppError> {
    let (consents, overrides) = store::consents_in(tx, actor.authority, id).await?;
    Ok((
        consents.into_iter().map(|c| c.consent).collect(),
        overrides.into_iter().map(|o| o.sharing).collect(),
    ))
}

impl App {
    /// Records the family's consent decision (given, refused or withdrawn), who made it, when,
    /// which parts and which agencies.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &ConsentInput,
    ) -> Result<ConsentRecord, AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let now = self.now();
        let mut checks = Checks::default();
        let decision = if input.decision.trim().is_empty() {
            checks.add(
                "decision",
                "Choose whether consent was given, refused or withdrawn.",
            );
            None
        } else {
            checks.take("decision", ConsentDecision::from_code(&input.decision))
        };
        let given_by = checks.text("given_by", &input.given_by, 200);
        if given_by.is_empty() {
            checks.add(
                "given_by",
                "Enter the name of the person who made the decision.",
            );
        }
        let relationship = checks.text("relationship", &input.relationship, 200);
        if relationship.is_empty() {
            checks.add(
                "relationship",
                "Enter their relationship to the child (for example mother, or the young person).",
            );
        }
        let decided_on = required_date(
            &mut checks,
            "decided_on",
            &input.decided_on,
            "Enter the date the decision was made.",
        );
        if decided_on.is_some_and(|d| d > london_date(now)) {
            checks.add(
                "decided_on",
                "The date of the decision cannot be in the future.",
            );
        }
        let mut parts = Vec::new();
        for code in &input.parts {
            if let Some(p) = checks.take("parts", SharedPart::from_code(code)) {
                parts.push(p);
            }
        }
        let mut agencies = Vec::new();
        for code in &input.agencies {
            match Agency::from_code(code).filter(|a| Agency::ASKED.contains(a)) {
                Some(a) => agencies.push(a),
                None => checks.add(
                    "agencies",
                    format!(
                        "'{}' is not a partner agency: choose from the list.",
                        code.trim()
                    ),
                ),
            }
        }
        let notes = checks.text("notes", &input.notes, 4000);
        let consent = decision.and_then(|d| {
            checks.take(
                if agencies.is_empty() {
                    "agencies"
                } else {
                    "parts"
                },
                ConsentToShare::new(d, agencies, parts, now),
            )
        });
        checks.finish()?;
        let (Some(consent), Some(decided_on)) = (consent, decided_on) else {
            return Err(AppError::invalid("decision", "Choose the decision."));
        };
        let record = ConsentRecord {
            id: Uuid::now_v7(),
            episode: id,
            given_by,
            relationship,
            decided_on,
            notes,
            consent,
            recorded_by: actor.worker,
            recorded_by_name: None,
        };
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        store::insert_consent(&mut tx, actor.authority, &record).await?;
        NewEvent::by(actor, now, "early_help_consent_recorded", record.id)
            .about(episode.person)
            .with(json!({
                "episode": id,
                "decision": record.consent.decision.code(),
                "given_by": record.given_by,
                "relationship": record.relationship,
                "decided_on": decided_on,
                "parts": record.consent.parts.iter().map(|p| p.code()).collect::<Vec<_>>(),
                "agencies": record.consent.agencies.iter().map(|a| a.code()).collect::<Vec<_>>(),
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(record)
    }

    /// A manager records a safeguarding reason to share with an agency without (or against)
    /// consent.
    pub async fn record_safeguarding_override(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &SafeguardingOverrideInput,
    ) -> Result<OverrideRecord, AppError> {
        actor.may(Action::RecordSafeguardingOverride)?;
        let now = self.now();
        let mut checks = Checks::default();
        let agency = match Agency::from_code(&input.agency).filter(|a| Agency::ASKED.contains(a)) {
            Some(a) => Some(a),
            None => {
                checks.add("agency", "Choose the agency to share with.");
                None
            }
        };
        let reason = checks.text("reason", &input.reason, 4000);
        if reason.chars().count() < 10 {
            checks.add(
                "reason",
                "Give the safeguarding reason for sharing without the family's consent.",
            );
        }
        checks.finish()?;
        let Some(agency) = agency else {
            return Err(AppError::invalid(
                "agency",
                "Choose the agency to share with.",
            ));
        };
        let record = OverrideRecord {
            id: Uuid::now_v7(),
            episode: id,
            reason,
            sharing: SafeguardingOverride {
                agency,
                recorded_at: now,
            },
            recorded_by: actor.worker,
            recorded_by_name: None,
        };
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        store::insert_override(&mut tx, actor.authority, &record).await?;
        NewEvent::by(actor, now, "early_help_safeguarding_override", record.id)
            .about(episode.person)
            .with(json!({ "episode": id, "agency": agency.code(), "reason": record.reason }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Appoints the lead professional for the early help assessment. A partner's practitioner
    /// may lead only while consent (or a manager's safeguarding reason) lets their agency see
    /// the child's identity and the assessment; checked again inside the transaction.
    pub async fn appoint_lead_professional(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &LeadProfessionalInput,
    ) -> Result<EarlyHelpEpisode, AppError> {
        actor.may(Action::RecordEarlyHelp)?;
        let choose = || AppError::invalid("lead", "Choose the lead professional from the list.");
        let lead: WorkerId = input.lead.parse().map_err(|_| choose())?;
        let worker = self
            .store
            .worker(actor.authority, lead)
            .await
            .map_err(|_| choose())?;
        if !worker.active
            || !matches!(
                worker.role,
                Role::PartnerPractitioner | Role::EarlyHelpCoordinator | Role::MashSocialWorker
            )
        {
            return Err(AppError::invalid(
                "lead",
                "The lead professional is a partner agency practitioner, an early help coordinator or a social worker who is active: choose one from the list.",
            ));
        }
        let agency = self.agency_of(actor, &worker).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        if worker.role == Role::PartnerPractitioner {
            let (consents, overrides) = sharing_in(&mut tx, actor, id).await?;
            for part in [SharedPart::Identity, SharedPart::Assessment] {
                if let Sharing::Denied(reason) = may_share(&consents, &overrides, agency, part) {
                    return Err(AppError::invalid(
                        "lead",
                        format!(
                            "{} cannot lead this assessment ({}, {}): {}",
                            worker.display_name,
                            agency.label(),
                            part.label().to_lowercase(),
                            reason.message()
                        ),
                    ));
                }
            }
        }
        if !store::appoint_lead(
            &mut tx,
            actor.authority,
            id,
            lead,
            worker.organisation,
            actor.worker,
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "The early help assessment has been completed, so its lead professional cannot change.".into(),
            ));
        }
        NewEvent::by(actor, now, "early_help_lead_appointed", id.0)
            .about(episode.person)
            .with(
                json!({ "lead": lead, "lead_name": worker.display_name, "agency": agency.code() }),
            )
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_early_help(actor, id).await
    }

    /// The agency a worker works for (their organisation's kind).
    pub(crate) async fn agency_of(
        &self,
        actor: &Actor,
        worker: &frontdoor_store::organisation::Worker,
    ) -> Result<Agency, AppError> {
        Ok(self
            .store
            .organisations(actor.authority)
            .await?
            .into_iter()
            .find(|o| o.id == worker.organisation)
            .map(|o| o.kind.agency())
            .unwrap_or(Agency::Other))
    }

    /// Who may record the assessment: the authority's early help workers, or the partner
    /// practitioner who leads it, through the portal, while consent covers their agency for the
    /// assessment. Checked inside the transaction, so a withdrawal that lands first wins.
    async fn authorize_assessment(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
    ) -> Result<EarlyHelpEpisode, AppError> {
        let partner = actor.role == Role::PartnerPractitioner;
        if !partner {
            actor.may(Action::RecordEarlyHelp)?;
        }
        let episode = self.open_episode_in(tx, actor, id).await;
        let episode = match episode {
            // A partner learns nothing of an episode they do not lead (not even that it was
            // stepped up or closed): only its lead is told why it cannot be recorded.
            Err(e) if partner => {
                let leads = self
                    .store
                    .early_help_episode(actor.authority, id)
                    .await
                    .ok()
                    .and_then(|ep| ep.assessment)
                    .is_some_and(|a| a.lead == actor.worker);
                return Err(match e {
                    AppError::Conflict(_) if leads => e,
                    _ => AppError::NotFound("The early help episode"),
                });
            }
            other => other?,
        };
        let Some(assessment) = &episode.assessment else {
            return Err(if partner {
                AppError::NotFound("The early help episode")
            } else {
                AppError::invalid(
                    "lead",
                    "Appoint the lead professional before recording the assessment.",
                )
            });
        };
        if partner {
            authorize(
                actor,
                Action::LeadEarlyHelpAssessment,
                &Resource::workers_own(actor.authority, None, assessment.lead),
            )
            .require()
            .map_err(|_| AppError::NotFound("The early help episode"))?;
            let (consents, overrides) = sharing_in(tx, actor, id).await?;
            for part in [SharedPart::Identity, SharedPart::Assessment] {
                if !may_share(&consents, &overrides, assessment.lead_agency, part).is_allowed() {
                    return Err(AppError::Denied(DenialReason::NotSharedWithAgency));
                }
            }
        }
        Ok(episode)
    }

    /// Starts the early help assessment (by its lead professional, or the coordinator); the
    /// due date follows from the start.
    pub async fn start_early_help_assessment(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &AssessmentStartInput,
    ) -> Result<EarlyHelpAssessment, AppError> {
        let now = self.now();
        let today = london_date(now);
        let mut checks = Checks::default();
        let started_on = if input.started_on.trim().is_empty() {
            Some(today)
        } else {
            required_date(
                &mut checks,
                "started_on",
                &input.started_on,
                "Enter the date.",
            )
        };
        if started_on.is_some_and(|d| d > today) {
            checks.add("started_on", "The assessment cannot start in the future.");
        }
        let calendar = self.calendar_for(actor.authority).await?;
        let mut tx = self.store.begin().await?;
        let episode = self.authorize_assessment(&mut tx, actor, id).await?;
        checks.finish()?;
        let Some(started_on) = started_on else {
            return Err(AppError::invalid("started_on", "Enter the date."));
        };
        if started_on < episode.opened_on {
            return Err(AppError::invalid(
                "started_on",
                "The assessment cannot start before the early help episode opened.",
            ));
        }
        let due_on = assessment_due(&calendar, started_on);
        if !store::start_assessment(&mut tx, actor.authority, id, started_on, due_on).await? {
            return Err(AppError::Conflict(format!(
                "The early help assessment had already started on {}: reload to see it.",
                episode
                    .assessment
                    .as_ref()
                    .and_then(|a| a.started_on)
                    .map(|d| d.format("%-d %B %Y").to_string())
                    .unwrap_or_default()
            )));
        }
        NewEvent::by(actor, now, "early_help_assessment_started", id.0)
            .about(episode.person)
            .with(json!({ "started_on": started_on, "due_on": due_on }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        // The assessment alone: a partner lead sees no more of the episode than consent allows
        // (see `partner_early_help`).
        self.store
            .early_help_episode(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?
            .assessment
            .ok_or(AppError::NotFound("The early help assessment"))
    }

    /// Completes the early help assessment, once: the second of two completions at once is a
    /// 409 saying when it was completed.
    pub async fn complete_early_help_assessment(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &AssessmentCompletionInput,
    ) -> Result<EarlyHelpAssessment, AppError> {
        let now = self.now();
        let today = london_date(now);
        let mut checks = Checks::default();
        let completed_on = if input.completed_on.trim().is_empty() {
            Some(today)
        } else {
            required_date(
                &mut checks,
                "completed_on",
                &input.completed_on,
                "Enter the date.",
            )
        };
        if completed_on.is_some_and(|d| d > today) {
            checks.add(
                "completed_on",
                "The completion date cannot be in the future.",
            );
        }
        let summary = checks.text("summary", &input.summary, 20_000);
        if summary.chars().count() < 10 {
            checks.add(
                "summary",
                "Summarise what the assessment found and the help agreed with the family.",
            );
        }
        let mut tx = self.store.begin().await?;
        let episode = self.authorize_assessment(&mut tx, actor, id).await?;
        checks.finish()?;
        let Some(completed_on) = completed_on else {
            return Err(AppError::invalid("completed_on", "Enter the date."));
        };
        let assessment = episode.assessment.as_ref();
        if let Some(started) = assessment.and_then(|a| a.started_on) {
            if completed_on < started {
                return Err(AppError::invalid(
                    "completed_on",
                    "The assessment cannot be completed before it started.",
                ));
            }
        }
        if !store::complete_assessment(
            &mut tx,
            actor.authority,
            id,
            completed_on,
            actor.worker,
            &summary,
        )
        .await?
        {
            let current = store::episode_in(&mut tx, actor.authority, id).await?;
            drop(tx);
            let a = current.assessment.as_ref();
            return Err(match a.and_then(|a| a.completed_on) {
                Some(done) => AppError::Conflict(format!(
                    "The early help assessment was already completed on {}: reload to see it.",
                    done.format("%-d %B %Y")
                )),
                None => {
                    AppError::invalid("completed_on", "Start the assessment before completing it.")
                }
            });
        }
        NewEvent::by(actor, now, "early_help_assessment_completed", id.0)
            .about(episode.person)
            .with(json!({
                "completed_on": completed_on,
                "organisation": assessment.map(|a| a.lead_organisation_name.clone()),
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        // The assessment alone: a partner lead sees no more of the episode than consent allows
        // (see `partner_early_help`).
        self.store
            .early_help_episode(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?
            .assessment
            .ok_or(AppError::NotFound("The early help assessment"))
    }
}
