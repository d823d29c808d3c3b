//! Child sexual exploitation (CSE) screening: completed for a child (perhaps for a contact
//! raising CSE), its level by the domain's rule (`frontdoor_domain::cse`), the risk management
//! group's list of children at medium or high risk with their review dates, and the group's
//! reviews (a guarded move of the review date).

mod group;

pub use group::{CseReviewInput, RiskManagementGroup, RmgChild};

use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::contact::ConcernCategory;
use frontdoor_domain::cse::{self, Answer, CseLevel, INDICATORS};
use frontdoor_domain::ids::{ContactId, CseScreeningId, PersonId};
use frontdoor_store::cse::{self as cse_store, CseAnswer, CseScreening};
use frontdoor_store::events::NewEvent;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A screening as typed. Every indicator needs an answer (not known is an answer).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CseScreeningInput {
    /// The contact it was completed for (its id), or blank.
    pub contact: String,
    /// Indicator code → present, not_present or not_known; one for every indicator.
    pub answers: BTreeMap<String, String>,
    /// Indicator code → a note (may be blank).
    pub notes: BTreeMap<String, String>,
    /// low, medium or high, to raise the level the indicators give; blank when not raised.
    pub judgement_level: String,
    pub judgement_reason: String,
}

/// A contact raising CSE and a child on it: whether the screening has been completed.
pub type CsePrompt = crate::dash::RiskToolPrompt<CseScreening>;

pub(crate) fn is_cse(categories: &[ConcernCategory]) -> bool {
    categories.contains(&ConcernCategory::ChildSexualExploitation)
}

/// Whether a screening answers a contact: completed for it, or after it was received.
pub(crate) fn answers_contact(
    s: &CseScreening,
    contact: &frontdoor_store::contacts::Contact,
) -> bool {
    s.contact == Some(contact.id) || s.recorded_at >= contact.received_at
}

impl CseScreeningInput {
    fn parse(
        &self,
        checks: &mut Checks,
    ) -> (Option<ContactId>, Vec<CseAnswer>, Option<CseLevel>, String) {
        let contact = checks.optional("contact", &self.contact, |id| {
            id.parse::<ContactId>()
                .map_err(|_| "Choose the contact from the list.")
        });
        for code in self.answers.keys().chain(self.notes.keys()) {
            if cse::indicator(code).is_err() {
                checks.add(
                    format!("answers.{code}"),
                    format!("'{code}' is not an indicator of the screening tool."),
                );
            }
        }
        let mut answers = Vec::new();
        for indicator in INDICATORS {
            let field = format!("answers.{}", indicator.code);
            let note = checks.text(
                &format!("notes.{}", indicator.code),
                self.notes
                    .get(indicator.code)
                    .map(String::as_str)
                    .unwrap_or(""),
                2000,
            );
            let text = self
                .answers
                .get(indicator.code)
                .map(String::as_str)
                .unwrap_or("");
            if text.trim().is_empty() {
                checks.add(
                    field,
                    format!(
                        "Answer \"{}\": present, not present or not known.",
                        indicator.label
                    ),
                );
            } else if let Some(answer) = checks.take(&field, Answer::from_code(text)) {
                answers.push(CseAnswer {
                    indicator: indicator.code.to_string(),
                    answer,
                    note,
                });
            }
        }
        let judgement = checks.optional(
            "judgement_level",
            &self.judgement_level,
            CseLevel::from_code,
        );
        let reason = checks.text("judgement_reason", &self.judgement_reason, 4000);
        if judgement.is_some() && reason.chars().count() < 10 {
            checks.add(
                "judgement_reason",
                "Say why your professional judgement raises the level.",
            );
        }
        if judgement.is_none() && !reason.is_empty() {
            checks.add(
                "judgement_level",
                "Choose the level your professional judgement gives, or clear the reason.",
            );
        }
        (contact, answers, judgement, reason)
    }
}

impl App {
    pub(crate) async fn load_cse_screening(
        &self,
        actor: &Actor,
        id: CseScreeningId,
    ) -> Result<CseScreening, AppError> {
        self.store
            .cse_screening(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// A screening with its answers (audited as a read of the child's record).
    pub async fn view_cse_screening(
        &self,
        actor: &Actor,
        id: CseScreeningId,
    ) -> Result<CseScreening, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let s = self.load_cse_screening(actor, id).await?;
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                s.person,
                "cse_screening",
                self.now(),
            )
            .await?;
        Ok(s)
    }

    /// Records a completed screening for a child. The level is the indicators' level, or a
    /// higher professional judgement (a lower one is refused); medium and high risk get the
    /// risk management group's review date.
    pub async fn record_cse_screening(
        &self,
        actor: &Actor,
        child: PersonId,
        input: &CseScreeningInput,
    ) -> Result<CseScreening, AppError> {
        actor.may(Action::RecordCseScreening)?;
        let person = self.load_child(actor, child).await?;
        let now = self.now();
        let mut checks = Checks::default();
        let (contact, answers, judgement, judgement_reason) = input.parse(&mut checks);
        if let Some(contact) = contact {
            let contacts = self
                .store
                .contacts_of_person(actor.authority, person.id)
                .await?;
            if !contacts.iter().any(|c| c.id == contact) {
                checks.add(
                    "contact",
                    "That contact is not about this child: choose one of the child's contacts.",
                );
            }
        }
        let weights: Vec<cse::Weight> = answers
            .iter()
            .filter(|a| a.answer == Answer::Present)
            .filter_map(|a| cse::indicator(&a.indicator).ok().map(|i| i.weight))
            .collect();
        let indicator_level = cse::level_from_indicators(&weights);
        let level = match cse::level(indicator_level, judgement) {
            Ok(level) => level,
            Err(lowers) => {
                checks.add("judgement_level", lowers.to_string());
                indicator_level
            }
        };
        checks.finish()?;
        let screened_on = london_date(now);
        let screening = CseScreening {
            id: CseScreeningId::new(),
            authority: actor.authority,
            person: person.id,
            child_name: None,
            contact,
            screened_on,
            answers,
            indicator_level,
            judgement_level: judgement,
            judgement_reason,
            level,
            review_on: cse::review_due(level, screened_on),
            recorded_by: actor.worker,
            recorded_by_name: None,
            recorded_at: now,
        };
        let mut tx = self.store.begin().await?;
        cse_store::insert(&mut tx, &screening).await?;
        NewEvent::by(actor, now, "cse_screening_recorded", screening.id.0)
            .about(person.id)
            .with(crate::event_payloads::cse_screening_recorded(&screening))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.view_cse_screening(actor, screening.id).await
    }

    /// For a contact raising CSE: each linked child, and whether the screening has been
    /// completed for them (for this contact, or since it was received). Empty for any other
    /// contact.
    pub async fn cse_prompts(
        &self,
        actor: &Actor,
        contact: ContactId,
    ) -> Result<Vec<CsePrompt>, AppError> {
        let authority = actor.authority;
        self.risk_tool_prompts(
            actor,
            contact,
            ConcernCategory::ChildSexualExploitation,
            move |person| self.store.cse_screenings_of_person(authority, person),
            answers_contact,
        )
        .await
    }
}
