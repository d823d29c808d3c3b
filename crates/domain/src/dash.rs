//! Domestic abuse risk: the SafeLives DASH risk identification checklist (DASH RIC).
//!
//! Twenty-four questions asked of the victim (an adult in the child's household), each answered
//! yes, no or not known, with a comment. The score is the number of "yes" answers. Following the
//! SafeLives convention:
//! - **high** risk at [`HIGH_RISK_YES_ANSWERS`] (14) or more "yes" answers ("visible high risk");
//! - **medium** and **high** also by professional judgement, which may raise the level the
//!   answers give, never lower it, and must say why;
//! - **standard** otherwise.
//!
//! **Escalation** is [`ESCALATION_INCIDENTS`] (3) or more domestic abuse incidents in the 12
//! months up to this one. High risk or escalation prompts a referral to the MARAC (the
//! multi-agency risk assessment conference), recorded as made (with its date) or not (with the
//! reason). High risk makes a safety plan — not a written agreement — a requirement for the
//! child.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DashError {
    #[error("Answer yes, no or not known: '{0}' is not one of them.")]
    UnknownAnswer(String),
    #[error("Choose standard, medium or high: '{0}' is not a DASH risk level.")]
    UnknownLevel(String),
}

/// The 24 questions, in the checklist's order (question 1 first). "The person causing harm"
/// stands for the name of the abuser.
pub const QUESTIONS: [&str; 24] = [
    "Has the current incident resulted in injury?",
    "Are you very frightened?",
    "What are you afraid of? Is it further injury or violence?",
    "Do you feel isolated from family or friends? Does the person causing harm try to stop you from seeing friends, family, your doctor or others?",
    "Are you feeling depressed or having suicidal thoughts?",
    "Have you separated or tried to separate from the person causing harm within the past year?",
    "Is there conflict over child contact?",
    "Does the person causing harm constantly text, call, contact, follow, stalk or harass you?",
    "Are you pregnant or have you recently had a baby (within the last 18 months)?",
    "Is the abuse happening more often?",
    "Is the abuse getting worse?",
    "Does the person causing harm try to control everything you do, or are they excessively jealous?",
    "Has the person causing harm ever used weapons or objects to hurt you?",
    "Has the person causing harm ever threatened to kill you or someone else, and you believed them?",
    "Has the person causing harm ever attempted to strangle, choke, suffocate or drown you?",
    "Does the person causing harm do or say things of a sexual nature that make you feel bad or that physically hurt you or someone else?",
    "Is there any other person who has threatened you or who you are afraid of?",
    "Do you know if the person causing harm has hurt anyone else (children, another family member, someone from a previous relationship, or others)?",
    "Has the person causing harm ever mistreated an animal or the family pet?",
    "Are there any financial issues? For example, are you dependent on the person causing harm for money, or have they recently lost their job?",
    "Has the person causing harm had problems in the past year with drugs, alcohol or mental health, leading to problems in leading a normal life?",
    "Has the person causing harm ever threatened or attempted suicide?",
    "Has the person causing harm ever broken bail, an injunction or a formal agreement about when they can see you or the children?",
    "Do you know if the person causing harm has ever been in trouble with the police or has a criminal history?",
];

/// "Yes" answers at which the risk is high whatever else is recorded.
pub const HIGH_RISK_YES_ANSWERS: usize = 14;

/// Domestic abuse incidents in 12 months (this one included) that make escalation.
pub const ESCALATION_INCIDENTS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    NotKnown,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::NotKnown];
    pub fn code(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::NotKnown => "not_known",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "Yes",
            Answer::No => "No",
            Answer::NotKnown => "Not known",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, DashError> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == code.trim())
            .ok_or_else(|| DashError::UnknownAnswer(code.trim().to_string()))
    }
}

/// The level of risk, lowest first (so levels compare).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DashLevel {
    Standard,
    Medium,
    High,
}

impl DashLevel {
    pub const ALL: [DashLevel; 3] = [DashLevel::Standard, DashLevel::Medium, DashLevel::High];
    pub fn code(self) -> &'static str {
        match self {
            DashLevel::Standard => "standard",
            DashLevel::Medium => "medium",
            DashLevel::High => "high",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DashLevel::Standard => "Standard",
            DashLevel::Medium => "Medium",
            DashLevel::High => "High",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, DashError> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == code.trim())
            .ok_or_else(|| DashError::UnknownLevel(code.trim().to_string()))
    }
}

/// The number of "yes" answers.
pub fn score(answers: &[Answer]) -> usize {
    answers.iter().filter(|a| **a == Answer::Yes).count()
}

/// The level the answers alone give: high at 14 or more "yes", otherwise standard (medium is a
/// professional judgement).
pub fn level_from_score(score: usize) -> DashLevel {
    if score >= HIGH_RISK_YES_ANSWERS {
        DashLevel::High
    } else {
        DashLevel::Standard
    }
}

/// A professional judgement that would lower the level the answers give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("Professional judgement can raise the level, never lower it: the answers give {} risk ({score} yes answers).", .from_score.label().to_lowercase())]
pub struct JudgementLowers {
    pub from_score: DashLevel,
    pub score: usize,
}

/// The level of risk: the higher of the score's level and the professional judgement. A
/// judgement below the score's level is refused.
pub fn level(score: usize, judgement: Option<DashLevel>) -> Result<DashLevel, JudgementLowers> {
    let from_score = level_from_score(score);
    match judgement {
        Some(judged) if judged < from_score => Err(JudgementLowers { from_score, score }),
        Some(judged) => Ok(judged),
        None => Ok(from_score),
    }
}

/// Whether this many incidents in the 12 months up to this one (this one included) is
/// escalation.
pub fn is_escalation(incidents_in_12_months: usize) -> bool {
    incidents_in_12_months >= ESCALATION_INCIDENTS
}

/// Whether the MARAC referral must be answered (made, or why not): high risk, or escalation.
pub fn marac_referral_prompted(level: DashLevel, escalation: bool) -> bool {
    level == DashLevel::High || escalation
}

/// Whether this level makes a safety plan a requirement for the child.
pub fn requires_safety_plan(level: DashLevel) -> bool {
    level == DashLevel::High
}

/// The first day of the 12-month window that ends on `incident_on` (a year before, plus a day;
/// 29 February counts back to 1 March).
pub fn escalation_window_start(incident_on: NaiveDate) -> NaiveDate {
    incident_on
        .checked_sub_months(chrono::Months::new(12))
        .and_then(|d| d.succ_opt())
        .unwrap_or(incident_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(yes: usize) -> Vec<Answer> {
        (0..24)
            .map(|i| if i < yes { Answer::Yes } else { Answer::No })
            .collect()
    }

    #[test]
    fn there_are_twenty_four_questions() {
        assert_eq!(QUESTIONS.len(), 24);
        assert!(QUESTIONS.iter().all(|q| q.ends_with('?')));
    }

    #[test]
    fn fourteen_yes_answers_is_high_risk_and_thirteen_is_not() {
        assert_eq!(score(&answers(14)), 14);
        assert_eq!(level(14, None), Ok(DashLevel::High));
        assert_eq!(level(13, None), Ok(DashLevel::Standard));
        // Not known is not yes.
        let mut a = answers(13);
        a[20] = Answer::NotKnown;
        assert_eq!(score(&a), 13);
    }

    #[test]
    fn judgement_raises_and_never_lowers() {
        assert_eq!(level(3, Some(DashLevel::Medium)), Ok(DashLevel::Medium));
        assert_eq!(level(3, Some(DashLevel::High)), Ok(DashLevel::High));
        assert_eq!(level(15, Some(DashLevel::High)), Ok(DashLevel::High));
        let refused = level(15, Some(DashLevel::Medium)).expect_err("lowers");
        assert_eq!(
            refused.to_string(),
            "Professional judgement can raise the level, never lower it: the answers give high risk (15 yes answers)."
        );
    }

    #[test]
    fn escalation_is_three_incidents_in_twelve_months() {
        assert!(!is_escalation(2));
        assert!(is_escalation(3));
        assert!(marac_referral_prompted(DashLevel::Standard, true));
        assert!(marac_referral_prompted(DashLevel::High, false));
        assert!(!marac_referral_prompted(DashLevel::Medium, false));
        let d = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
        assert_eq!(
            escalation_window_start(d),
            NaiveDate::from_ymd_opt(2025, 4, 2).expect("date")
        );
    }

    #[test]
    fn only_high_risk_requires_a_safety_plan() {
        assert!(requires_safety_plan(DashLevel::High));
        assert!(!requires_safety_plan(DashLevel::Medium));
    }
}
