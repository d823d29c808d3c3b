//! Safety plans: written for a child (perhaps prompted by a risk tool), saved as drafts, signed
//! off by a manager who did not write them, only once complete. A written agreement is recorded
//! as exactly that, and never meets a requirement for a safety plan.

use crate::episodes::{at_words, required_date};
use crate::error::Checks;
use crate::{App, AppError, FieldError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::ids::{CseScreeningId, DashAssessmentId, PersonId, SafetyPlanId};
use frontdoor_domain::safety_plan::{
    meets_requirement, missing_parts, Concern, PlanAction, PlanKind, PlanRecord, PlanState,
};
use frontdoor_store::events::NewEvent;
use frontdoor_store::safety_plans::{self as plan_store, SafetyPlan};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The longest free text a plan field takes.
const MAX_TEXT: usize = 4000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanActionInput {
    pub description: String,
    pub owner: String,
    /// 2026-04-03
    pub due_on: String,
    /// The codes of the identified concerns (CSE indicators) this action answers.
    pub answers: Vec<String>,
}

/// A plan as typed. Parts may be left blank in a draft; a manager cannot sign it off until
/// nothing is missing. Action rows left wholly blank are dropped.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SafetyPlanInput {
    /// safety_plan or written_agreement.
    pub kind: String,
    pub concerns: String,
    /// 2026-04-30
    pub review_on: String,
    pub actions: Vec<PlanActionInput>,
}

impl SafetyPlanInput {
    /// The plan as typed, parsed: the kind must be chosen, dates real, concern codes among
    /// `answerable`; completeness is the sign-off's rule.
    pub(crate) fn parse(&self, answerable: &[Concern]) -> Result<PlanRecord, AppError> {
        let mut checks = Checks::default();
        let kind = if self.kind.trim().is_empty() {
            checks.add(
                "kind",
                "Choose whether this is a safety plan or a written agreement.",
            );
            None
        } else {
            checks.take("kind", PlanKind::from_code(&self.kind))
        };
        let concerns = checks.text("concerns", &self.concerns, MAX_TEXT);
        let review_on = if self.review_on.trim().is_empty() {
            None
        } else {
            required_date(
                &mut checks,
                "review_on",
                &self.review_on,
                "Enter the review date.",
            )
        };
        let mut actions = Vec::new();
        for (i, a) in self
            .actions
            .iter()
            .filter(|a| {
                !(a.description.trim().is_empty()
                    && a.owner.trim().is_empty()
                    && a.due_on.trim().is_empty()
                    && a.answers.iter().all(|c| c.trim().is_empty()))
            })
            .enumerate()
        {
            let due_on = if a.due_on.trim().is_empty() {
                None
            } else {
                required_date(
                    &mut checks,
                    &format!("actions[{i}].due_on"),
                    &a.due_on,
                    "Enter the due date.",
                )
            };
            let mut answers = Vec::new();
            for code in a.answers.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
                if !answerable.iter().any(|c| c.code == code) {
                    checks.add(
                        format!("actions[{i}].answers"),
                        format!("'{code}' is not one of the concerns identified for this plan: choose from the list."),
                    );
                } else if !answers.iter().any(|c| c == code) {
                    answers.push(code.to_string());
                }
            }
            actions.push(PlanAction {
                description: checks.text(
                    &format!("actions[{i}].description"),
                    &a.description,
                    MAX_TEXT,
                ),
                owner: checks.text(&format!("actions[{i}].owner"), &a.owner, 200),
                due_on,
                answers,
            });
        }
        checks.finish()?;
        Ok(PlanRecord {
            kind: kind.unwrap_or(PlanKind::SafetyPlan),
            concerns,
            actions,
            review_on,
        })
    }
}

/// A plan, with what is still missing before sign-off and the concerns it must answer.
#[derive(Debug, Clone, Serialize)]
pub struct SafetyPlanView {
    pub plan: SafetyPlan,
    pub missing: Vec<FieldError>,
    /// The identified concerns the plan must answer (from the screening that prompted it).
    pub concerns_to_answer: Vec<Concern>,
    /// Whether it meets a requirement for a safety plan (a signed-off safety plan only).
    pub meets_requirement: bool,
}

fn missing_as_errors(record: &PlanRecord, identified: &[Concern]) -> Vec<FieldError> {
    missing_parts(record, identified)
        .iter()
        .map(|part| FieldError::new(part.field(), part.to_string()))
        .collect()
}

/// A plan answering a CSE screening cannot be a written agreement.
fn written_agreement_refused() -> AppError {
    AppError::invalid(
        "kind",
        "A screening at medium or high risk needs a safety plan: a written agreement does not answer it.",
    )
}

/// "This cannot be done now: Sam Patel signed this safety plan off at 10:42 on 3 April 2026."
fn what_changed(plan: &SafetyPlan) -> String {
    match plan.state {
        PlanState::SignedOff => format!(
            "This cannot be done now: {} signed this {} off at {}. Reload it to see its current state.",
            plan.signed_off_by_name.clone().unwrap_or_else(|| "another manager".into()),
            plan.record.kind.label().to_lowercase(),
            plan.signed_off_at.map(at_words).unwrap_or_default()
        ),
        PlanState::Draft => format!(
            "This cannot be done now: {} changed it at {}. Reload it to see its current state.",
            plan.recorded_by_name.clone().unwrap_or_else(|| "another worker".into()),
            at_words(plan.recorded_at)
        ),
    }
}

impl App {
    async fn load_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
    ) -> Result<SafetyPlan, AppError> {
        self.store
            .safety_plan(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    async fn safety_plan_conflict(&self, actor: &Actor, id: SafetyPlanId) -> AppError {
        match self.load_safety_plan(actor, id).await {
            Ok(plan) => AppError::Conflict(what_changed(&plan)),
            Err(e) => e,
        }
    }

    /// The concerns a plan must answer: the indicators its CSE screening identified (present);
    /// none for a plan not answering a screening.
    async fn concerns_to_answer(
        &self,
        actor: &Actor,
        plan: &SafetyPlan,
    ) -> Result<Vec<Concern>, AppError> {
        match plan.cse_screening {
            Some(id) => {
                let s = self.load_cse_screening(actor, id).await?;
                Ok(frontdoor_domain::cse::identified_concerns(s.present()))
            }
            None => Ok(Vec::new()),
        }
    }

    /// A safety plan or written agreement, with what it still lacks before sign-off.
    pub async fn view_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
    ) -> Result<SafetyPlanView, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let plan = self.load_safety_plan(actor, id).await?;
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                plan.person,
                "safety_plan",
                self.now(),
            )
            .await?;
        let concerns = self.concerns_to_answer(actor, &plan).await?;
        Ok(SafetyPlanView {
            missing: missing_as_errors(&plan.record, &concerns),
            meets_requirement: meets_requirement(plan.record.kind, plan.state),
            concerns_to_answer: concerns,
            plan,
        })
    }

    /// Starts a child's safety plan (or records a written agreement), as a draft; a plan
    /// prompted by a DASH assessment names it.
    pub async fn create_safety_plan(
        &self,
        actor: &Actor,
        child: PersonId,
        prompted_by: Option<DashAssessmentId>,
        input: &SafetyPlanInput,
    ) -> Result<SafetyPlanView, AppError> {
        actor.may(Action::RecordSafetyPlan)?;
        self.start_safety_plan(actor, child, prompted_by, None, input)
            .await
    }

    /// Starts a safety plan answering a CSE screening: its actions must answer each indicator
    /// the screening identified before a manager can sign it off.
    pub async fn create_cse_safety_plan(
        &self,
        actor: &Actor,
        screening: CseScreeningId,
        input: &SafetyPlanInput,
    ) -> Result<SafetyPlanView, AppError> {
        actor.may(Action::RecordSafetyPlan)?;
        let s = self.load_cse_screening(actor, screening).await?;
        if input.kind.trim() == PlanKind::WrittenAgreement.code() {
            return Err(written_agreement_refused());
        }
        let input = SafetyPlanInput {
            kind: PlanKind::SafetyPlan.code().into(),
            ..input.clone()
        };
        self.start_safety_plan(actor, s.person, None, Some(s), &input)
            .await
    }

    async fn start_safety_plan(
        &self,
        actor: &Actor,
        child: PersonId,
        prompted_by: Option<DashAssessmentId>,
        cse: Option<frontdoor_store::cse::CseScreening>,
        input: &SafetyPlanInput,
    ) -> Result<SafetyPlanView, AppError> {
        let person = self.load_child(actor, child).await?;
        let dash = match prompted_by {
            Some(id) => {
                let d = self.load_dash(actor, id).await?;
                if d.person != person.id {
                    return Err(AppError::invalid(
                        "dash_assessment",
                        "That DASH assessment is about another child: start the plan from this child's record.",
                    ));
                }
                Some(id)
            }
            None => None,
        };
        let answerable = cse
            .as_ref()
            .map(|s| frontdoor_domain::cse::identified_concerns(s.present()))
            .unwrap_or_default();
        let record = input.parse(&answerable)?;
        let now = self.now();
        let plan = SafetyPlan {
            id: SafetyPlanId::new(),
            authority: actor.authority,
            person: person.id,
            state: PlanState::Draft,
            dash_assessment: dash,
            cse_screening: cse.as_ref().map(|s| s.id),
            record,
            created_by: actor.worker,
            created_at: now,
            recorded_by: actor.worker,
            recorded_by_name: None,
            recorded_at: now,
            signed_off_by: None,
            signed_off_by_name: None,
            signed_off_at: None,
            sign_off_refusals: 0,
        };
        let mut tx = self.store.begin().await?;
        plan_store::insert(&mut tx, &plan).await?;
        NewEvent::by(actor, now, "safety_plan_started", plan.id.0)
            .about(plan.person)
            .with(crate::event_payloads::safety_plan(
                &plan.record,
                dash.is_some(),
            ))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.view_safety_plan(actor, plan.id).await
    }

    /// Saves a draft plan (replacing what was written); refused once it is signed off.
    pub async fn record_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
        input: &SafetyPlanInput,
    ) -> Result<SafetyPlanView, AppError> {
        actor.may(Action::RecordSafetyPlan)?;
        let current = self.load_safety_plan(actor, id).await?;
        let answerable = self.concerns_to_answer(actor, &current).await?;
        let record = input.parse(&answerable)?;
        if current.cse_screening.is_some() && record.kind == PlanKind::WrittenAgreement {
            return Err(written_agreement_refused());
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !plan_store::save_draft(&mut tx, actor.authority, id, &record, actor.worker, now).await?
        {
            drop(tx);
            return Err(self.safety_plan_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "safety_plan_saved", id.0)
            .about(current.person)
            .with(crate::event_payloads::safety_plan(
                &record,
                current.dash_assessment.is_some(),
            ))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.view_safety_plan(actor, id).await
    }

    /// A team manager signs off a complete draft they did not write. Refused, naming each
    /// missing part (and each identified concern no action answers), while anything is
    /// missing; a lost race (another manager first) is a conflict saying who and when.
    pub async fn sign_off_safety_plan(
        &self,
        actor: &Actor,
        id: SafetyPlanId,
    ) -> Result<SafetyPlan, AppError> {
        actor.may(Action::SignOffSafetyPlan)?;
        let current = self.load_safety_plan(actor, id).await?;
        let sign_off = |plan: &SafetyPlan| {
            authorize(
                actor,
                Action::SignOffSafetyPlan,
                &Resource::record_for_sign_off(actor.authority, None, Some(plan.created_by)),
            )
            .require()
            .and_then(|()| {
                authorize(
                    actor,
                    Action::SignOffSafetyPlan,
                    &Resource::record_for_sign_off(actor.authority, None, Some(plan.recorded_by)),
                )
                .require()
            })
        };
        sign_off(&current)?;
        if current.state != PlanState::Draft {
            return Err(AppError::Conflict(what_changed(&current)));
        }
        let concerns = self.concerns_to_answer(actor, &current).await?;
        let now = self.now();
        let missing = missing_as_errors(&current.record, &concerns);
        if !missing.is_empty() {
            let mut tx = self.store.begin().await?;
            plan_store::count_refusal(&mut tx, actor.authority, id).await?;
            NewEvent::by(actor, now, "safety_plan_sign_off_refused", id.0)
                .about(current.person)
                .with(json!({ "kind": current.record.kind.code(), "missing": missing.iter().map(|m| m.message.as_str()).collect::<Vec<_>>() }))
                .append(&mut tx)
                .await?;
            tx.commit().await?;
            return Err(AppError::Invalid(missing));
        }
        let mut tx = self.store.begin().await?;
        // Read again under the lock: what is signed off is what was checked.
        let held = plan_store::plan_for_update(&mut tx, actor.authority, id).await?;
        sign_off(&held)?;
        if held.state != PlanState::Draft {
            drop(tx);
            return Err(self.safety_plan_conflict(actor, id).await);
        }
        let missing = missing_as_errors(&held.record, &concerns);
        if !missing.is_empty() {
            return Err(AppError::Invalid(missing));
        }
        if !plan_store::sign_off(&mut tx, actor.authority, id, actor.worker, now).await? {
            drop(tx);
            return Err(self.safety_plan_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "safety_plan_signed_off", id.0)
            .about(held.person)
            .with(json!({
                "kind": held.record.kind.code(),
                "actions": held.record.actions.len(),
                "review_on": held.record.review_on,
                "refusals": held.sign_off_refusals,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_safety_plan(actor, id).await
    }
}
