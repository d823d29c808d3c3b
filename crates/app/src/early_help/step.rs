//! Step-up from early help to children's social care (a new contact at the front door carrying
//! the early help history), and step-down from a social care episode to early help.

use super::{episode_conflict, open_early_help_episode, CONTACT_METHODS};
use crate::error::Checks;
use crate::local_time::{from_london, london, london_date};
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::contact::{
    contact_reference, ConcernCategory, ContactChannel, ContactStatus, FamilyConsent,
    ReferralSource, Urgency,
};
use frontdoor_domain::early_help::{ConsentDecision, EarlyHelpStatus};
use frontdoor_domain::episode::ClosureReason;
use frontdoor_domain::ids::{ContactId, EarlyHelpEpisodeId, EpisodeId};
use frontdoor_domain::timescale::Timescale;
use frontdoor_store::contacts::{self as contact_store, Contact, ContactSubject, Referrer};
use frontdoor_store::early_help::{self as store, ConsentRecord, EarlyHelpEpisode};
use frontdoor_store::episodes as episode_store;
use frontdoor_store::events::NewEvent;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// Why the child is being stepped up.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StepUpInput {
    pub concern_categories: Vec<String>,
    /// What has changed: why early help is no longer enough.
    pub concern_summary: String,
    /// immediate, urgent or standard (blank is standard).
    pub urgency: String,
}

/// Why a social care episode steps down to early help.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StepDownInput {
    pub reason: String,
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The early help history written into the step-up contact, so the MASH reads it with the
/// concern: why early help began, consent, the assessment, the actions, the contacts.
fn history_text(
    episode: &EarlyHelpEpisode,
    consents: &[ConsentRecord],
    actions: &[frontdoor_store::early_help::FamilyAction],
    contacts: &[frontdoor_store::early_help::FamilyContact],
) -> String {
    let mut text = format!(
        "Early help history (episode opened {}",
        day(episode.opened_on)
    );
    if let Some(reference) = &episode.contact_reference {
        text.push_str(&format!(" from contact {reference}"));
    }
    text.push_str("):\n");
    if !episode.reason.is_empty() {
        text.push_str(&format!("Why early help: {}\n", episode.reason));
    }
    if let Some(name) = &episode.coordinator_name {
        text.push_str(&format!("Early help coordinator: {name}\n"));
    }
    text.push_str("Consent to share:");
    if consents.is_empty() {
        text.push_str(" none recorded\n");
    } else {
        text.push('\n');
        for c in consents {
            let agencies = if c.consent.agencies.is_empty() {
                "all agencies".to_string()
            } else {
                c.consent
                    .agencies
                    .iter()
                    .map(|a| a.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            text.push_str(&format!(
                "- {} on {} by {} ({}) for {}",
                c.consent.decision.label(),
                day(c.decided_on),
                c.given_by,
                c.relationship,
                agencies
            ));
            if !c.consent.parts.is_empty() {
                text.push_str(&format!(
                    ": {}",
                    c.consent
                        .parts
                        .iter()
                        .map(|p| p.label().to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            text.push('\n');
        }
    }
    match &episode.assessment {
        None => text.push_str("Early help assessment: no lead professional appointed\n"),
        Some(a) => {
            text.push_str(&format!(
                "Early help assessment: lead professional {} ({})",
                a.lead_name, a.lead_organisation_name
            ));
            match (a.started_on, a.completed_on) {
                (None, _) => text.push_str(", not started\n"),
                (Some(s), None) => text.push_str(&format!(
                    ", started {}, due {}, not completed\n",
                    day(s),
                    a.due_on.map(day).unwrap_or_default()
                )),
                (Some(s), Some(c)) => text.push_str(&format!(
                    ", started {}, completed {}\nAssessment summary: {}\n",
                    day(s),
                    day(c),
                    a.summary
                )),
            }
        }
    }
    if !actions.is_empty() {
        text.push_str("Team-around-the-family actions:\n");
        for a in actions {
            let state = match a.completed_on {
                Some(done) => format!("done {}", day(done)),
                None => format!("due {}", day(a.due_on)),
            };
            text.push_str(&format!("- {} ({}; {})\n", a.description, a.owner, state));
        }
    }
    if !contacts.is_empty() {
        text.push_str("Contacts with the family:\n");
        for c in contacts {
            let method = CONTACT_METHODS
                .iter()
                .find(|(code, _)| *code == c.method)
                .map(|(_, label)| *label)
                .unwrap_or(c.method.as_str());
            text.push_str(&format!(
                "- {} ({}): {}\n",
                day(c.contacted_on),
                method,
                c.outcome
            ));
        }
    }
    text
}

impl App {
    /// Steps an open early help episode up to children's social care: a new contact in the
    /// front-door queue (source early help, the child linked, the early help history in its
    /// text), and the episode marked stepped up — once: of two step-ups at once, one wins and
    /// the other is a 409 naming the contact made.
    pub async fn step_up_early_help(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
        input: &StepUpInput,
    ) -> Result<Contact, AppError> {
        actor.may(Action::StepUpEarlyHelp)?;
        let now = frontdoor_store::to_stored_instant(self.now());
        let mut checks = Checks::default();
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
        let summary = checks.text("concern_summary", &input.concern_summary, 20_000);
        if summary.chars().count() < 10 {
            checks.add(
                "concern_summary",
                "Say what has changed and why the child now needs children's social care.",
            );
        }
        let urgency = checks.take(
            "urgency",
            Urgency::from_code(if input.urgency.trim().is_empty() {
                "standard"
            } else {
                input.urgency.trim()
            }),
        );
        checks.finish()?;
        let Some(urgency) = urgency else {
            return Err(AppError::invalid("urgency", "Choose the urgency."));
        };
        let authority = self.store.authority(actor.authority).await?;
        let coordinator = self.store.worker(actor.authority, actor.worker).await?;
        let calendar = self.calendar_for(actor.authority).await?;
        let team = self.receiving_team(actor.authority, None).await?;
        let received_local = london(now);
        let out_of_hours = self
            .settings()
            .office_hours
            .is_out_of_hours(&calendar, received_local);
        let due = Timescale::ThresholdDecision.due_by(&calendar, received_local.date());
        let decision_due_at = due.breached_from().map(from_london).unwrap_or(now);

        // The history the contact carries, read before the episode is locked (a read through
        // the pool while holding the lock would wait on a connection the racing requests hold).
        let before = self
            .store
            .early_help_episode(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let person = self
            .store
            .person(actor.authority, before.person)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let actions = self.store.early_help_actions(actor.authority, id).await?;
        let family_contacts = self
            .store
            .early_help_family_contacts(actor.authority, id)
            .await?;
        let mut tx = self.store.begin().await?;
        let episode = self.open_episode_in(&mut tx, actor, id).await?;
        let (consents, _) = store::consents_in(&mut tx, actor.authority, id).await?;
        let history = history_text(&episode, &consents, &actions, &family_contacts);
        let (family_consent, consent_notes) = match consents.last().map(|c| c.consent.decision) {
            Some(ConsentDecision::Given) => (
                FamilyConsent::Given,
                "Consent to share recorded during early help: see the history below.".to_string(),
            ),
            Some(ConsentDecision::Refused | ConsentDecision::Withdrawn) => (
                FamilyConsent::Refused,
                "The family refused or withdrew consent to share during early help: see the history below.".to_string(),
            ),
            None => (
                FamilyConsent::NotSought,
                "No consent decision was recorded during early help.".to_string(),
            ),
        };
        let year = received_local.date().format("%Y").to_string();
        let number = frontdoor_store::people::next_counter(
            &mut tx,
            actor.authority,
            &format!("contact-{year}"),
        )
        .await?;
        let contact = Contact {
            id: ContactId::new(),
            authority: actor.authority,
            reference: contact_reference(year.parse().unwrap_or(0), number),
            received_at: now,
            recorded_at: now,
            recorded_by: Some(actor.worker),
            channel: ContactChannel::InPerson,
            source: ReferralSource::EarlyHelp,
            referrer: Referrer {
                name: coordinator.display_name.clone(),
                organisation: format!("{} early help", authority.name),
                role: actor.role.label().to_string(),
                phone: String::new(),
                email: String::new(),
            },
            made_by_organisation: None,
            concern_categories: categories,
            concern_summary: format!("{summary}\n\n{history}"),
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
        contact_store::insert_subject(
            &mut tx,
            actor.authority,
            &ContactSubject {
                id: Uuid::now_v7(),
                contact: contact.id,
                position: 0,
                is_child: true,
                given_name: person.given_name.clone(),
                family_name: person.family_name.clone(),
                birth_date: person.birth_date,
                sex: person.sex,
                address: String::new(),
                postcode: person.postcode.as_ref().map(|p| p.to_string()),
                nhs_number: person.nhs_number.as_ref().map(|n| n.as_str().to_string()),
                person: Some(person.id),
                linked_at: Some(now),
                linked_by: Some(actor.worker),
            },
        )
        .await?;
        if !store::step_up(
            &mut tx,
            actor.authority,
            id,
            contact.id,
            actor.worker,
            now,
            london_date(now),
        )
        .await?
        {
            let current = store::episode_in(&mut tx, actor.authority, id).await?;
            drop(tx);
            return Err(episode_conflict(&current));
        }
        NewEvent::by(actor, now, "contact_recorded", contact.id.0)
            .about(person.id)
            .with(crate::event_payloads::contact_recorded(&contact))
            .append(&mut tx)
            .await?;
        NewEvent::by(actor, now, "early_help_stepped_up", id.0)
            .about(person.id)
            .with(json!({ "contact": contact.reference }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        tracing::info!(contact = %contact.id, episode = %id, "early help stepped up");
        Ok(contact)
    }

    /// Steps a child's open episode of social care down to early help: the episode closes
    /// (RC9, closed after assessment, referred to early help) and an unallocated early help
    /// episode opens linked to it, in one transaction. A second step-down meets the closed
    /// episode: 409.
    pub async fn step_down_to_early_help(
        &self,
        actor: &Actor,
        episode_id: EpisodeId,
        input: &StepDownInput,
    ) -> Result<EarlyHelpEpisode, AppError> {
        actor.may(Action::StepDownToEarlyHelp)?;
        let mut checks = Checks::default();
        let reason = checks.text("reason", &input.reason, 4000);
        if reason.chars().count() < 10 {
            checks.add(
                "reason",
                "Say why early help is now the right support, and what it should address.",
            );
        }
        checks.finish()?;
        let now = self.now();
        let today = london_date(now);
        let mut tx = self.store.begin().await?;
        let episode = episode_store::episode_for_update(&mut tx, actor.authority, episode_id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if let Some(closed) = episode.closed_on {
            return Err(AppError::Conflict(format!(
                "This episode closed on {} ({}): reload it to see whether it was stepped down already.",
                day(closed),
                episode.closure_reason.map(|r| r.code()).unwrap_or_default()
            )));
        }
        let open =
            episode_store::open_work_on_episode(&mut tx, actor.authority, episode_id).await?;
        if open.plans + open.enquiries + open.discussions > 0 {
            return Err(AppError::Conflict(
                "This episode still has open work (a child protection plan, a section 47 enquiry or a strategy discussion): finish it before stepping down to early help.".into(),
            ));
        }
        if !episode_store::close_episode(
            &mut tx,
            actor.authority,
            episode_id,
            today.max(episode.referral_date),
            ClosureReason::ClosedAfterAssessmentEarlyHelp,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "This episode has just been closed by someone else: reload it.".into(),
            ));
        }
        NewEvent::by(actor, now, "episode_closed", episode_id.0)
            .about(episode.person)
            .with(json!({ "closed_on": today, "closure_reason": "RC9", "stepped_down": true }))
            .append(&mut tx)
            .await?;
        let id = open_early_help_episode(
            &mut tx,
            actor.authority,
            Some(actor.worker),
            episode.person,
            None,
            None,
            Some(episode_id),
            &reason,
            now,
        )
        .await?;
        tx.commit().await?;
        let opened = self.load_early_help(actor, id).await?;
        debug_assert_eq!(opened.status, EarlyHelpStatus::Open);
        Ok(opened)
    }
}
