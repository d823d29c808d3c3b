//! A child's risk and safety: the DASH checklists completed, the safety plans and written
//! agreements, and what is still required — a checklist for each recent contact about domestic
//! abuse, and a signed-off safety plan (never a written agreement) after a high-risk DASH.

use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::contact::ConcernCategory;
use frontdoor_domain::cse;
use frontdoor_domain::dash;
use frontdoor_domain::ids::{ContactId, CseScreeningId, DashAssessmentId, PersonId};
use frontdoor_domain::safety_plan::{meets_requirement, PlanKind, PlanState};
use frontdoor_store::cse::CseScreening;
use frontdoor_store::dash::DashAssessment;
use frontdoor_store::people::Person;
use frontdoor_store::safety_plans::SafetyPlan;
use serde::Serialize;

/// What is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementKind {
    /// The DASH checklist, for a contact about domestic abuse.
    DashChecklist,
    /// A signed-off safety plan, after a high-risk DASH.
    SafetyPlan,
    /// The CSE screening, for a contact raising child sexual exploitation.
    CseScreening,
    /// A signed-off safety plan answering every identified indicator, after a medium or
    /// high-risk CSE screening.
    CseSafetyPlan,
}

/// Something a child's record must have, and whether it has it.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub kind: RequirementKind,
    /// Why it is required, in words ("Contact CON-12 on 1 April 2026 raised domestic abuse").
    pub reason: String,
    pub met: bool,
    /// How it was met, or what is still needed, in words.
    pub status: String,
    /// The contact that prompted it (a checklist requirement).
    pub contact: Option<ContactId>,
    /// The assessment that prompted it (a safety plan requirement).
    pub dash_assessment: Option<DashAssessmentId>,
    /// The CSE screening that met it, or that prompted it (a CSE safety plan requirement).
    pub cse_screening: Option<CseScreeningId>,
}

/// A child's risk tools and plans, with what is still required.
#[derive(Debug, Clone, Serialize)]
pub struct ChildRisk {
    pub person: Person,
    pub dash_assessments: Vec<DashAssessment>,
    pub safety_plans: Vec<SafetyPlan>,
    /// CSE screenings, newest first.
    pub cse_screenings: Vec<CseScreening>,
    pub requirements: Vec<Requirement>,
}

impl ChildRisk {
    /// Requirements not yet met.
    pub fn unmet(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(|r| !r.met)
    }
}

fn day(at: DateTime<Utc>) -> String {
    london_date(at).format("%-d %B %Y").to_string()
}

/// The safety plan requirement a high-risk checklist makes: met by a safety plan signed off
/// after it was completed; never by a written agreement.
fn safety_plan_requirement(latest: &DashAssessment, plans: &[SafetyPlan]) -> Requirement {
    let since = |p: &&SafetyPlan| p.signed_off_at.is_some_and(|at| at >= latest.recorded_at);
    let met_by = plans
        .iter()
        .filter(since)
        .find(|p| meets_requirement(p.record.kind, p.state));
    let agreement = plans
        .iter()
        .any(|p| p.record.kind == PlanKind::WrittenAgreement && p.created_at >= latest.recorded_at);
    let draft = plans.iter().any(|p| {
        p.record.kind == PlanKind::SafetyPlan
            && p.state == PlanState::Draft
            && p.created_at >= latest.recorded_at
    });
    let status = match (met_by, draft, agreement) {
        (Some(p), _, _) => format!(
            "Met: safety plan signed off on {}.",
            p.signed_off_at.map(day).unwrap_or_default()
        ),
        (None, true, _) => "A safety plan is drafted and awaits a manager's sign-off.".into(),
        (None, false, true) => {
            "Not met: a written agreement is recorded, but a written agreement is not a safety plan."
                .into()
        }
        (None, false, false) => "Not met: write a safety plan.".into(),
    };
    Requirement {
        kind: RequirementKind::SafetyPlan,
        reason: format!(
            "High risk DASH ({} yes answers) completed on {}.",
            latest.score,
            day(latest.recorded_at)
        ),
        met: met_by.is_some(),
        status,
        contact: None,
        dash_assessment: Some(latest.id),
        cse_screening: None,
    }
}

/// The safety plan a medium or high-risk CSE screening makes a requirement: met by a signed-off
/// safety plan answering that screening (whose sign-off needed an action for every identified
/// indicator); never by a written agreement.
fn cse_plan_requirement(latest: &CseScreening, plans: &[SafetyPlan]) -> Requirement {
    let answering: Vec<&SafetyPlan> = plans
        .iter()
        .filter(|p| p.cse_screening == Some(latest.id))
        .collect();
    let met_by = answering
        .iter()
        .find(|p| meets_requirement(p.record.kind, p.state));
    let status = match met_by {
        Some(p) => format!(
            "Met: safety plan answering each identified indicator signed off on {}.",
            p.signed_off_at.map(day).unwrap_or_default()
        ),
        None if !answering.is_empty() => {
            "A safety plan answering the screening is drafted and awaits a manager's sign-off."
                .into()
        }
        None => {
            "Not met: write a safety plan whose actions answer each identified indicator.".into()
        }
    };
    Requirement {
        kind: RequirementKind::CseSafetyPlan,
        reason: format!(
            "{} risk CSE screening completed on {}.",
            latest.level.label(),
            day(latest.recorded_at)
        ),
        met: met_by.is_some(),
        status,
        contact: None,
        dash_assessment: None,
        cse_screening: Some(latest.id),
    }
}

impl App {
    /// A child's DASH checklists, safety plans and written agreements, with what is still
    /// required (audited as a read of the child's record).
    pub async fn child_risk(&self, actor: &Actor, child: PersonId) -> Result<ChildRisk, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let person = self.load_child(actor, child).await?;
        let now = self.now();
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                person.id,
                "risk_and_safety",
                now,
            )
            .await?;
        let dash_assessments = self
            .store
            .dash_assessments_of_person(actor.authority, person.id)
            .await?;
        let safety_plans = self
            .store
            .safety_plans_of_person(actor.authority, person.id)
            .await?;
        let mut requirements = Vec::new();
        // Contacts about domestic abuse in the last 12 months each prompt the checklist.
        let since = dash::escalation_window_start(london_date(now));
        for contact in self
            .store
            .contacts_of_person(actor.authority, person.id)
            .await?
            .into_iter()
            .filter(|c| {
                c.concern_categories
                    .contains(&ConcernCategory::DomesticAbuse)
            })
            .filter(|c| london_date(c.received_at) >= since)
        {
            let done = dash_assessments
                .iter()
                .find(|d| d.contact == Some(contact.id) || d.recorded_at >= contact.received_at);
            requirements.push(Requirement {
                kind: RequirementKind::DashChecklist,
                reason: format!(
                    "Contact {} received on {} raised domestic abuse.",
                    contact.reference,
                    day(contact.received_at)
                ),
                met: done.is_some(),
                status: match done {
                    Some(d) => format!(
                        "Met: DASH completed on {} ({} risk).",
                        day(d.recorded_at),
                        d.level.label().to_lowercase()
                    ),
                    None => "Not met: complete the DASH risk checklist.".into(),
                },
                contact: Some(contact.id),
                dash_assessment: done.map(|d| d.id),
                cse_screening: None,
            });
        }
        let cse_screenings = self
            .store
            .cse_screenings_of_person(actor.authority, person.id)
            .await?;
        // Every contact raising CSE prompts the screening until it is completed.
        for contact in self
            .store
            .contacts_of_person(actor.authority, person.id)
            .await?
            .into_iter()
            .filter(|c| crate::cse::is_cse(&c.concern_categories))
        {
            let done = cse_screenings
                .iter()
                .find(|s| crate::cse::answers_contact(s, &contact));
            requirements.push(Requirement {
                kind: RequirementKind::CseScreening,
                reason: format!(
                    "Contact {} received on {} raised child sexual exploitation.",
                    contact.reference,
                    day(contact.received_at)
                ),
                met: done.is_some(),
                status: match done {
                    Some(s) => format!(
                        "Met: CSE screening completed on {} ({} risk).",
                        day(s.recorded_at),
                        s.level.label().to_lowercase()
                    ),
                    None => "Not met: complete the CSE screening.".into(),
                },
                contact: Some(contact.id),
                dash_assessment: None,
                cse_screening: done.map(|s| s.id),
            });
        }
        if let Some(latest) = cse_screenings
            .first()
            .filter(|s| cse::requires_safety_plan(s.level))
        {
            requirements.push(cse_plan_requirement(latest, &safety_plans));
        }
        let latest = dash_assessments
            .iter()
            .max_by_key(|d| (d.incident_on, d.recorded_at));
        if let Some(latest) = latest.filter(|d| dash::requires_safety_plan(d.level)) {
            requirements.push(safety_plan_requirement(latest, &safety_plans));
        }
        Ok(ChildRisk {
            person,
            dash_assessments,
            safety_plans,
            cse_screenings,
            requirements,
        })
    }
}
