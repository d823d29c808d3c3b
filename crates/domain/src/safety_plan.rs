//! Safety plans, and the written agreements that are not safety plans.
//!
//! The inspection letter found "written agreements" used as safety plans: a list of things a
//! parent agrees not to do, signed by the parent, with nobody owning any protective action. Here
//! each plan has a kind: a **safety plan** (protective actions, each with an owner and a due
//! date, signed off by a manager) or a **written agreement** (recorded as exactly that). Only a
//! signed-off safety plan meets a requirement for a safety plan ([`meets_requirement`]); a
//! written agreement never does, whatever it says.
//!
//! A plan may answer identified concerns (the indicators a child sexual exploitation screening
//! found): then every identified concern must be answered by at least one action before a
//! manager can sign it off, and the refusal names each one that is not.

use crate::strategy_discussion::{action_gaps, ActionDetail};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SafetyPlanError {
    #[error("Choose the kind: '{0}' is not a safety plan or a written agreement.")]
    UnknownKind(String),
    #[error("Unknown safety plan state '{0}'.")]
    UnknownState(String),
}

/// What the document is. A written agreement is recorded, but it is not a safety plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    SafetyPlan,
    WrittenAgreement,
}

impl PlanKind {
    pub const ALL: [PlanKind; 2] = [PlanKind::SafetyPlan, PlanKind::WrittenAgreement];
    pub fn code(self) -> &'static str {
        match self {
            PlanKind::SafetyPlan => "safety_plan",
            PlanKind::WrittenAgreement => "written_agreement",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PlanKind::SafetyPlan => "Safety plan",
            PlanKind::WrittenAgreement => "Written agreement",
        }
    }
    /// What the choice means, for the form.
    pub fn hint(self) -> &'static str {
        match self {
            PlanKind::SafetyPlan => {
                "Protective actions, each with an owner and a due date, agreed by the professionals and the family."
            }
            PlanKind::WrittenAgreement => {
                "What a parent or carer has agreed to do or not do. Recorded as a written agreement: it is not a safety plan and never counts as one."
            }
        }
    }
    pub fn from_code(code: &str) -> Result<Self, SafetyPlanError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
            .ok_or_else(|| SafetyPlanError::UnknownKind(code.trim().to_string()))
    }
}

/// Where a plan is: being written (editable), or signed off by a manager (no longer editable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    Draft,
    SignedOff,
}

impl PlanState {
    pub fn code(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::SignedOff => "signed_off",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "Draft, awaiting sign-off",
            PlanState::SignedOff => "Signed off",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, SafetyPlanError> {
        [PlanState::Draft, PlanState::SignedOff]
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| SafetyPlanError::UnknownState(code.to_string()))
    }
}

/// A protective action: what, who owns it, by when, and which identified concerns it answers
/// (by their codes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAction {
    pub description: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub answers: Vec<String>,
}

/// A plan as written (parts may still be missing while it is a draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRecord {
    pub kind: PlanKind,
    /// The risks the plan manages, in the practitioner's words.
    pub concerns: String,
    pub actions: Vec<PlanAction>,
    /// When the plan is to be reviewed.
    pub review_on: Option<NaiveDate>,
}

/// A concern the plan must answer: an identified indicator, with its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Concern {
    pub code: String,
    pub label: String,
}

/// A part a manager needs before signing the plan off. Each names its form field and says what
/// to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum PlanMissing {
    Concerns,
    Actions,
    ActionDetail {
        number: usize,
        detail: ActionDetail,
    },
    ReviewDate,
    /// An identified concern no action answers.
    Unanswered {
        concern: Concern,
    },
}

impl PlanMissing {
    pub fn field(&self) -> String {
        match self {
            PlanMissing::Concerns => "concerns".into(),
            PlanMissing::Actions => "actions".into(),
            PlanMissing::ActionDetail { number, detail } => {
                format!("actions[{}].{}", number - 1, detail.field())
            }
            PlanMissing::ReviewDate => "review_on".into(),
            PlanMissing::Unanswered { concern } => format!("answers.{}", concern.code),
        }
    }
}

impl fmt::Display for PlanMissing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanMissing::Concerns => f.write_str("Say which risks the plan manages."),
            PlanMissing::Actions => {
                f.write_str("Record at least one action, with its owner and due date.")
            }
            PlanMissing::ActionDetail { number, detail } => f.write_str(&detail.sentence(*number)),
            PlanMissing::ReviewDate => f.write_str("Give the date the plan will be reviewed."),
            PlanMissing::Unanswered { concern } => write!(
                f,
                "No action answers the identified concern \"{}\": add an action for it.",
                concern.label
            ),
        }
    }
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Everything missing before sign-off, in the order of the form; empty when complete.
/// `identified` are the concerns the plan must answer (none for a plan not tied to a
/// screening).
pub fn missing_parts(plan: &PlanRecord, identified: &[Concern]) -> Vec<PlanMissing> {
    let mut missing = Vec::new();
    if blank(&plan.concerns) {
        missing.push(PlanMissing::Concerns);
    }
    if plan.actions.is_empty() {
        missing.push(PlanMissing::Actions);
    }
    for (i, action) in plan.actions.iter().enumerate() {
        for detail in action_gaps(&action.description, &action.owner, action.due_on) {
            missing.push(PlanMissing::ActionDetail {
                number: i + 1,
                detail,
            });
        }
    }
    if plan.review_on.is_none() {
        missing.push(PlanMissing::ReviewDate);
    }
    for concern in identified {
        let answered = plan
            .actions
            .iter()
            .any(|a| !blank(&a.description) && a.answers.contains(&concern.code));
        if !answered {
            missing.push(PlanMissing::Unanswered {
                concern: concern.clone(),
            });
        }
    }
    missing
}

/// Whether a plan meets a requirement for a safety plan: only a signed-off safety plan does.
/// A written agreement never does, signed off or not.
pub fn meets_requirement(kind: PlanKind, state: PlanState) -> bool {
    kind == PlanKind::SafetyPlan && state == PlanState::SignedOff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 4, d)
    }

    fn complete() -> PlanRecord {
        PlanRecord {
            kind: PlanKind::SafetyPlan,
            concerns: "Mother's partner assaulted her in front of the children.".into(),
            actions: vec![PlanAction {
                description: "Refer mother to the independent domestic violence adviser".into(),
                owner: "Social worker".into(),
                due_on: date(3),
                answers: vec!["going_missing.missing_overnight".into()],
            }],
            review_on: date(30),
        }
    }

    fn concern(code: &str, label: &str) -> Concern {
        Concern {
            code: code.into(),
            label: label.into(),
        }
    }

    #[test]
    fn a_complete_plan_has_nothing_missing() {
        assert_eq!(missing_parts(&complete(), &[]), vec![]);
    }

    #[test]
    fn an_empty_plan_names_each_part() {
        let plan = PlanRecord {
            kind: PlanKind::SafetyPlan,
            concerns: " ".into(),
            actions: vec![PlanAction::default()],
            review_on: None,
        };
        let fields: Vec<String> = missing_parts(&plan, &[])
            .iter()
            .map(|m| m.field())
            .collect();
        assert_eq!(
            fields,
            [
                "concerns",
                "actions[0].description",
                "actions[0].owner",
                "actions[0].due_on",
                "review_on"
            ]
        );
    }

    #[test]
    fn each_identified_concern_without_an_action_is_named() {
        let identified = [
            concern("going_missing.missing_overnight", "Missing overnight"),
            concern("online.sexual_images", "Sharing sexual images"),
        ];
        let missing = missing_parts(&complete(), &identified);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].field(), "answers.online.sexual_images");
        assert_eq!(
            missing[0].to_string(),
            "No action answers the identified concern \"Sharing sexual images\": add an action for it."
        );
    }

    #[test]
    fn only_a_signed_off_safety_plan_meets_a_requirement() {
        assert!(meets_requirement(
            PlanKind::SafetyPlan,
            PlanState::SignedOff
        ));
        assert!(!meets_requirement(PlanKind::SafetyPlan, PlanState::Draft));
        assert!(!meets_requirement(
            PlanKind::WrittenAgreement,
            PlanState::SignedOff
        ));
        assert!(!meets_requirement(
            PlanKind::WrittenAgreement,
            PlanState::Draft
        ));
    }

    #[test]
    fn kinds_round_trip() {
        for kind in PlanKind::ALL {
            assert_eq!(PlanKind::from_code(kind.code()), Ok(kind));
        }
        assert!(PlanKind::from_code("agreement").is_err());
    }
}
