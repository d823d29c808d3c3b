//! The DASH domestic abuse risk checklist: completed with a victim in the child's household, for
//! the child (perhaps for a contact about domestic abuse). The score, level, escalation and the
//! MARAC referral prompt follow the domain's rules (`frontdoor_domain::dash`).

use crate::episodes::required_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::contact::ConcernCategory;
use frontdoor_domain::dash::{self, Answer, DashLevel, QUESTIONS};
use frontdoor_domain::ids::{ContactId, DashAssessmentId, PersonId};
use frontdoor_store::contacts::Contact;
use frontdoor_store::dash::{self as dash_store, DashAnswer, DashAssessment, MaracReferral};
use frontdoor_store::events::NewEvent;
use frontdoor_store::people::Person;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A completed checklist as typed. Every question needs an answer (not known is an answer).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DashInput {
    /// The contact it was completed for (its id), or blank.
    pub contact: String,
    pub victim_name: String,
    /// The victim's relationship to the child, e.g. "mother".
    pub victim_relationship: String,
    /// The date of the incident (2026-04-01).
    pub incident_on: String,
    /// 24 answers in question order: yes, no or not_known.
    pub answers: Vec<String>,
    /// 24 comments in question order (may be blank).
    pub comments: Vec<String>,
    /// medium or high, to raise the level the answers give; blank when not raised.
    pub judgement_level: String,
    pub judgement_reason: String,
    /// Whether a MARAC referral was made (yes or no): needed when the risk is high or escalating.
    pub marac_referred: String,
    pub marac_referred_on: String,
    pub marac_reason_not: String,
}

/// The answers and comments as parsed, and the judgement (before the level is worked out).
struct Parsed {
    contact: Option<ContactId>,
    victim_name: String,
    victim_relationship: String,
    incident_on: Option<chrono::NaiveDate>,
    answers: Vec<DashAnswer>,
    judgement: Option<DashLevel>,
    judgement_reason: String,
}

impl DashInput {
    fn parse(&self, checks: &mut Checks, today: chrono::NaiveDate) -> Parsed {
        let contact = checks.optional("contact", &self.contact, |id| {
            id.parse::<ContactId>()
                .map_err(|_| "Choose the contact from the list.")
        });
        let victim_name = checks.text("victim_name", &self.victim_name, 200);
        if victim_name.is_empty() {
            checks.add(
                "victim_name",
                "Enter the name of the person the checklist was completed with.",
            );
        }
        let victim_relationship =
            checks.text("victim_relationship", &self.victim_relationship, 200);
        if victim_relationship.is_empty() {
            checks.add(
                "victim_relationship",
                "Say who they are to the child, for example mother.",
            );
        }
        let incident_on = required_date(
            checks,
            "incident_on",
            &self.incident_on,
            "Enter the date of the incident.",
        );
        if incident_on.is_some_and(|d| d > today) {
            checks.add("incident_on", "The incident cannot be in the future.");
        }
        let mut answers = Vec::new();
        for (i, _) in QUESTIONS.iter().enumerate() {
            let field = format!("answers[{i}]");
            let text = self.answers.get(i).map(String::as_str).unwrap_or("");
            let comment = checks.text(
                &format!("comments[{i}]"),
                self.comments.get(i).map(String::as_str).unwrap_or(""),
                2000,
            );
            if text.trim().is_empty() {
                checks.add(
                    field,
                    format!("Answer question {}: yes, no or not known.", i + 1),
                );
            } else if let Some(answer) = checks.take(&field, Answer::from_code(text)) {
                answers.push(DashAnswer {
                    question: i as i32 + 1,
                    answer,
                    comment,
                });
            }
        }
        if self.answers.len() > QUESTIONS.len() {
            checks.add(
                "answers",
                "The checklist has 24 questions: send 24 answers.",
            );
        }
        let judgement = checks.optional(
            "judgement_level",
            &self.judgement_level,
            DashLevel::from_code,
        );
        let judgement_reason = checks.text("judgement_reason", &self.judgement_reason, 4000);
        if judgement.is_some() && judgement_reason.chars().count() < 10 {
            checks.add(
                "judgement_reason",
                "Say why your professional judgement raises the level.",
            );
        }
        if judgement.is_none() && !judgement_reason.is_empty() {
            checks.add(
                "judgement_level",
                "Choose the level your professional judgement gives, or clear the reason.",
            );
        }
        Parsed {
            contact,
            victim_name,
            victim_relationship,
            incident_on,
            answers,
            judgement,
            judgement_reason,
        }
    }

    /// The MARAC referral as typed: required when prompted.
    fn marac(&self, checks: &mut Checks, prompted: bool) -> Option<MaracReferral> {
        match self.marac_referred.trim() {
            "yes" => required_date(
                checks,
                "marac_referred_on",
                &self.marac_referred_on,
                "Enter the date of the MARAC referral.",
            )
            .map(|on| MaracReferral::Referred { on }),
            "no" => {
                let reason = checks.text("marac_reason_not", &self.marac_reason_not, 4000);
                if reason.chars().count() < 10 {
                    checks.add(
                        "marac_reason_not",
                        "Say why no referral to the MARAC was made.",
                    );
                    None
                } else {
                    Some(MaracReferral::NotReferred { reason })
                }
            }
            "" if prompted => {
                checks.add("marac_referred", "The risk is high or escalating: record whether a referral to the MARAC was made.");
                None
            }
            "" => None,
            other => {
                checks.add(
                    "marac_referred",
                    format!("Answer yes or no: '{other}' is neither."),
                );
                None
            }
        }
    }
}

/// A contact raising a risk (domestic abuse, CSE) and a child on it: whether its tool has been
/// completed.
#[derive(Debug, Clone, Serialize)]
pub struct RiskToolPrompt<T> {
    pub person: PersonId,
    pub child_name: String,
    /// The tool completed for this contact (or since it was received), if any.
    pub completed: Option<T>,
}

/// The DASH checklist prompted by a contact with a domestic abuse concern.
pub type DashPrompt = RiskToolPrompt<DashAssessment>;

fn is_domestic_abuse(categories: &[ConcernCategory]) -> bool {
    categories.contains(&ConcernCategory::DomesticAbuse)
}

impl App {
    pub(crate) async fn load_dash(
        &self,
        actor: &Actor,
        id: DashAssessmentId,
    ) -> Result<DashAssessment, AppError> {
        self.store
            .dash_assessment(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    pub(crate) async fn load_child(&self, actor: &Actor, id: PersonId) -> Result<Person, AppError> {
        self.store
            .person(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// A DASH assessment with its answers (audited as a read of the child's record).
    pub async fn view_dash_assessment(
        &self,
        actor: &Actor,
        id: DashAssessmentId,
    ) -> Result<DashAssessment, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let d = self.load_dash(actor, id).await?;
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                d.person,
                "dash_assessment",
                self.now(),
            )
            .await?;
        Ok(d)
    }

    /// Records a completed checklist for a child. The level is the higher of the score's and
    /// the professional judgement (which may not lower it); escalation counts the domestic
    /// abuse incidents for the child in the 12 months up to this one; high risk or escalation
    /// needs the MARAC referral recorded (made, or why not).
    pub async fn record_dash_assessment(
        &self,
        actor: &Actor,
        child: PersonId,
        input: &DashInput,
    ) -> Result<DashAssessment, AppError> {
        actor.may(Action::RecordDashAssessment)?;
        let person = self.load_child(actor, child).await?;
        let now = self.now();
        let mut checks = Checks::default();
        let parsed = input.parse(&mut checks, london_date(now));
        let contacts = self
            .store
            .contacts_of_person(actor.authority, person.id)
            .await?;
        if let Some(contact) = parsed.contact {
            if !contacts.iter().any(|c| c.id == contact) {
                checks.add(
                    "contact",
                    "That contact is not about this child: choose one of the child's contacts.",
                );
            }
        }
        let score = dash::score(&parsed.answers.iter().map(|a| a.answer).collect::<Vec<_>>());
        let level = match dash::level(score, parsed.judgement) {
            Ok(level) => level,
            Err(lowers) => {
                checks.add("judgement_level", lowers.to_string());
                dash::level_from_score(score)
            }
        };
        let incidents = match parsed.incident_on {
            Some(on) => {
                let earlier = self
                    .store
                    .dash_assessments_of_person(actor.authority, person.id)
                    .await?;
                incidents_in_window(on, parsed.contact, &contacts, &earlier)
            }
            None => 1,
        };
        let escalation = dash::is_escalation(incidents);
        let marac = input.marac(
            &mut checks,
            dash::marac_referral_prompted(level, escalation),
        );
        checks.finish()?;
        let Some(incident_on) = parsed.incident_on else {
            return Err(AppError::invalid(
                "incident_on",
                "Enter the date of the incident.",
            ));
        };
        let assessment = DashAssessment {
            id: DashAssessmentId::new(),
            authority: actor.authority,
            person: person.id,
            contact: parsed.contact,
            victim_name: parsed.victim_name,
            victim_relationship: parsed.victim_relationship,
            incident_on,
            answers: parsed.answers,
            score: score as i32,
            judgement_level: parsed.judgement,
            judgement_reason: parsed.judgement_reason,
            level,
            incidents_in_12_months: incidents as i32,
            escalation,
            marac,
            recorded_by: actor.worker,
            recorded_by_name: None,
            recorded_at: now,
        };
        let mut tx = self.store.begin().await?;
        dash_store::insert(&mut tx, &assessment).await?;
        NewEvent::by(actor, now, "dash_assessment_recorded", assessment.id.0)
            .about(person.id)
            .with(crate::event_payloads::dash_assessment_recorded(&assessment))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.view_dash_assessment(actor, assessment.id).await
    }

    /// A contact raising `category`, with each child linked to it (record and name); `None`
    /// for a contact that does not raise it. The prompts of the risk tools start here.
    pub(crate) async fn children_on_contact_raising(
        &self,
        actor: &Actor,
        contact: ContactId,
        category: ConcernCategory,
    ) -> Result<Option<(Contact, Vec<(PersonId, String)>)>, AppError> {
        actor.may(Action::ViewContact)?;
        let c = self
            .store
            .contact(actor.authority, contact)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if !c.concern_categories.contains(&category) {
            return Ok(None);
        }
        let children = self
            .store
            .contact_subjects(actor.authority, contact)
            .await?
            .into_iter()
            .filter(|s| s.is_child)
            .filter_map(|s| s.person.map(|p| (p, s.full_name())))
            .collect();
        Ok(Some((c, children)))
    }

    /// For a contact with a domestic abuse concern: each linked child, and whether the DASH
    /// checklist has been completed for them (for this contact, or since it was received).
    /// Empty for any other contact.
    pub async fn dash_prompts(
        &self,
        actor: &Actor,
        contact: ContactId,
    ) -> Result<Vec<DashPrompt>, AppError> {
        let authority = actor.authority;
        self.risk_tool_prompts(
            actor,
            contact,
            ConcernCategory::DomesticAbuse,
            move |person| self.store.dash_assessments_of_person(authority, person),
            |d: &DashAssessment, c| d.contact == Some(c.id) || d.recorded_at >= c.received_at,
        )
        .await
    }

    /// Each child on a contact raising `category`, with the risk tool completed for them (for
    /// this contact, or since it was received: `answers` says which); empty for any other
    /// contact.
    pub(crate) async fn risk_tool_prompts<T, Completed, Done>(
        &self,
        actor: &Actor,
        contact: ContactId,
        category: ConcernCategory,
        completed_for: Completed,
        answers: fn(&T, &Contact) -> bool,
    ) -> Result<Vec<RiskToolPrompt<T>>, AppError>
    where
        Completed: Fn(PersonId) -> Done,
        Done: std::future::Future<Output = Result<Vec<T>, frontdoor_store::StoreError>>,
    {
        let Some((c, children)) = self
            .children_on_contact_raising(actor, contact, category)
            .await?
        else {
            return Ok(Vec::new());
        };
        let mut prompts = Vec::new();
        for (person, child_name) in children {
            let done = completed_for(person).await?;
            prompts.push(RiskToolPrompt {
                person,
                child_name,
                completed: done.into_iter().find(|t| answers(t, &c)),
            });
        }
        Ok(prompts)
    }
}

/// Domestic abuse incidents for the child in the 12 months up to `incident_on`, this one
/// included: each contact with a domestic abuse concern received in the window, and each
/// earlier checklist in the window not completed for one of those contacts.
fn incidents_in_window(
    incident_on: chrono::NaiveDate,
    this_contact: Option<ContactId>,
    contacts: &[frontdoor_store::contacts::Contact],
    earlier: &[DashAssessment],
) -> usize {
    let from = dash::escalation_window_start(incident_on);
    let in_window = |d: chrono::NaiveDate| d >= from && d <= incident_on;
    let abuse_contacts: BTreeSet<ContactId> = contacts
        .iter()
        .filter(|c| {
            is_domestic_abuse(&c.concern_categories) && in_window(london_date(c.received_at))
        })
        .map(|c| c.id)
        .collect();
    let other_checklists = earlier
        .iter()
        .filter(|d| in_window(d.incident_on))
        .filter(|d| !d.contact.is_some_and(|c| abuse_contacts.contains(&c)))
        .count();
    let this_one = usize::from(!this_contact.is_some_and(|c| abuse_contacts.contains(&c)));
    abuse_contacts.len() + other_checklists + this_one
}
