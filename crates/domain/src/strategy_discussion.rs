//! Strategy discussions (and meetings): what makes a record complete enough to sign off.
//!
//! The inspection letter found records "too brief", not showing "what multi-agency information
//! has been shared", the risks, the rationale, or how to proceed. A manager's sign-off is
//! refused while any part is missing, and the refusal names each one ([`missing_parts`]).
//!
//! Police and health must take part, unless the record says why they did not. Every agency that
//! took part must have what it shared recorded. Every risk is defined: what harm, to whom, from
//! whom, how likely and how severe. The decision has a rationale, and every action has an owner
//! and a due date.

use crate::calendar::WorkingDayCalendar;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StrategyError {
    #[error("Choose the agency: '{0}' is not one of the agencies listed.")]
    UnknownAgency(String),
    #[error("Choose a level: '{0}' is not low, medium or high.")]
    UnknownLevel(String),
    #[error("Choose the decision: '{0}' is not one of the strategy discussion outcomes.")]
    UnknownDecision(String),
    #[error("Unknown strategy discussion state '{0}'.")]
    UnknownState(String),
}

/// The agency a participant speaks for: the one list of agencies (`crate::agency`).
pub use crate::agency::Agency;

/// How likely, or how severe, a risk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 3] = [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];
    pub fn code(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::Low => "Low",
            RiskLevel::Medium => "Medium",
            RiskLevel::High => "High",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, StrategyError> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == code.trim())
            .ok_or_else(|| StrategyError::UnknownLevel(code.trim().to_string()))
    }
}

/// What the strategy discussion decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrategyOutcome {
    /// Reasonable cause to suspect significant harm: a section 47 enquiry.
    Section47Enquiry,
    /// A single-agency child and family assessment under section 17.
    Section17Assessment,
    NoFurtherAction,
    Other,
}

impl StrategyOutcome {
    pub const ALL: [StrategyOutcome; 4] = [
        StrategyOutcome::Section47Enquiry,
        StrategyOutcome::Section17Assessment,
        StrategyOutcome::NoFurtherAction,
        StrategyOutcome::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            StrategyOutcome::Section47Enquiry => "section_47_enquiry",
            StrategyOutcome::Section17Assessment => "section_17_assessment",
            StrategyOutcome::NoFurtherAction => "no_further_action",
            StrategyOutcome::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StrategyOutcome::Section47Enquiry => "Section 47 enquiry",
            StrategyOutcome::Section17Assessment => {
                "Single-agency child and family assessment (section 17)"
            }
            StrategyOutcome::NoFurtherAction => "No further action",
            StrategyOutcome::Other => "Other",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, StrategyError> {
        Self::ALL
            .into_iter()
            .find(|o| o.code() == code.trim())
            .ok_or_else(|| StrategyError::UnknownDecision(code.trim().to_string()))
    }
}

/// Where a strategy discussion is: decided and waiting to be held, held and recorded (being
/// written up), or signed off by a manager (no longer editable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrategyState {
    ToHold,
    Held,
    SignedOff,
    /// No longer needed (a manager's decision, with the reason).
    Withdrawn,
}

impl StrategyState {
    pub const EDITABLE: [StrategyState; 2] = [StrategyState::ToHold, StrategyState::Held];
    pub fn code(self) -> &'static str {
        match self {
            StrategyState::ToHold => "to_hold",
            StrategyState::Held => "held",
            StrategyState::SignedOff => "signed_off",
            StrategyState::Withdrawn => "withdrawn",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StrategyState::ToHold => "To hold",
            StrategyState::Held => "Held, awaiting sign-off",
            StrategyState::SignedOff => "Signed off",
            StrategyState::Withdrawn => "Withdrawn",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, StrategyError> {
        [
            StrategyState::ToHold,
            StrategyState::Held,
            StrategyState::SignedOff,
            StrategyState::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.code() == code)
        .ok_or_else(|| StrategyError::UnknownState(code.to_string()))
    }
}

/// Someone who took part, and what their agency shared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub name: String,
    pub agency: Option<Agency>,
    pub role: String,
    /// What this participant shared for their agency (its checks, its knowledge of the family).
    pub information_shared: String,
}

/// A risk, defined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    /// What harm.
    pub harm: String,
    pub to_whom: String,
    pub from_whom: String,
    pub likelihood: Option<RiskLevel>,
    pub severity: Option<RiskLevel>,
}

/// An action agreed, with its owner and due date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedAction {
    pub description: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

/// A strategy discussion's record, as written up (parts may still be missing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyRecord {
    pub held_at: Option<DateTime<Utc>>,
    pub attendees: Vec<Attendee>,
    /// Why the police did not take part, when they did not.
    pub police_absence_reason: String,
    /// Why health did not take part, when they did not.
    pub health_absence_reason: String,
    pub risks: Vec<Risk>,
    pub decision: Option<StrategyOutcome>,
    pub rationale: String,
    pub actions: Vec<AgreedAction>,
}

/// A part of the record that is missing. Each names the form field it belongs to, and says
/// what to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum MissingPart {
    WhenHeld,
    /// No police participant and no reason recorded.
    Police,
    /// No health participant and no reason recorded.
    Health,
    /// A participant (numbered from 1) without name, agency or role.
    AttendeeDetails {
        number: usize,
    },
    /// An agency that took part, with nothing recorded as shared.
    InformationShared {
        agency: Agency,
    },
    /// No risk defined at all.
    Risks,
    /// A risk (numbered from 1) missing one of its parts.
    RiskDetail {
        number: usize,
        detail: RiskDetail,
    },
    Decision,
    Rationale,
    /// No action agreed.
    Actions,
    /// An action (numbered from 1) without a description, an owner or a due date.
    ActionDetail {
        number: usize,
        detail: ActionDetail,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskDetail {
    Harm,
    ToWhom,
    FromWhom,
    Likelihood,
    Severity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionDetail {
    Description,
    Owner,
    DueDate,
}

impl ActionDetail {
    /// The action's field this detail is ("owner").
    pub fn field(self) -> &'static str {
        match self {
            ActionDetail::Description => "description",
            ActionDetail::Owner => "owner",
            ActionDetail::DueDate => "due_on",
        }
    }
    /// What to add, for action `number` (from 1).
    pub fn sentence(self, number: usize) -> String {
        match self {
            ActionDetail::Description => format!("Say what is to be done for action {number}."),
            ActionDetail::Owner => format!("Say who owns action {number}."),
            ActionDetail::DueDate => format!("Give the due date of action {number}."),
        }
    }
}

/// What an action lacks of its description, owner and due date, in that order. Strategy
/// discussions and safety plans ask the same of every action.
pub fn action_gaps(description: &str, owner: &str, due_on: Option<NaiveDate>) -> Vec<ActionDetail> {
    [
        (blank(description), ActionDetail::Description),
        (blank(owner), ActionDetail::Owner),
        (due_on.is_none(), ActionDetail::DueDate),
    ]
    .into_iter()
    .filter(|(absent, _)| *absent)
    .map(|(_, detail)| detail)
    .collect()
}

impl MissingPart {
    /// The form field the part belongs to (and the JSON pointer's last part).
    pub fn field(&self) -> String {
        match self {
            MissingPart::WhenHeld => "held_at".into(),
            MissingPart::Police => "police_absence_reason".into(),
            MissingPart::Health => "health_absence_reason".into(),
            MissingPart::AttendeeDetails { number } => format!("attendees[{}]", number - 1),
            MissingPart::InformationShared { agency } => {
                format!("information_shared.{}", agency.code())
            }
            MissingPart::Risks => "risks".into(),
            MissingPart::RiskDetail { number, detail } => {
                let part = match detail {
                    RiskDetail::Harm => "harm",
                    RiskDetail::ToWhom => "to_whom",
                    RiskDetail::FromWhom => "from_whom",
                    RiskDetail::Likelihood => "likelihood",
                    RiskDetail::Severity => "severity",
                };
                format!("risks[{}].{part}", number - 1)
            }
            MissingPart::Decision => "decision".into(),
            MissingPart::Rationale => "rationale".into(),
            MissingPart::Actions => "actions".into(),
            MissingPart::ActionDetail { number, detail } => {
                format!("actions[{}].{}", number - 1, detail.field())
            }
        }
    }
}

impl fmt::Display for MissingPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MissingPart::WhenHeld => f.write_str("Record when the strategy discussion was held."),
            MissingPart::Police => f.write_str(
                "Add the police participant, or record why the police did not take part.",
            ),
            MissingPart::Health => f.write_str(
                "Add the health participant, or record why health did not take part.",
            ),
            MissingPart::AttendeeDetails { number } => write!(
                f,
                "Give participant {number}'s name, agency and role."
            ),
            MissingPart::InformationShared { agency } => write!(
                f,
                "Record the information {} shared.",
                match agency {
                    Agency::Other => "the other agency".to_string(),
                    Agency::ChildrensSocialCare => "children's social care".to_string(),
                    a => a.label().to_string(),
                }
            ),
            MissingPart::Risks => f.write_str(
                "Define at least one risk: what harm, to whom, from whom, how likely and how severe.",
            ),
            MissingPart::RiskDetail { number, detail } => {
                let what = match detail {
                    RiskDetail::Harm => "what harm it is",
                    RiskDetail::ToWhom => "who is at risk",
                    RiskDetail::FromWhom => "who the risk is from",
                    RiskDetail::Likelihood => "how likely it is",
                    RiskDetail::Severity => "how severe it would be",
                };
                write!(f, "Say {what} for risk {number}.")
            }
            MissingPart::Decision => f.write_str(
                "Record the decision: section 47 enquiry, single-agency assessment, no further action or other.",
            ),
            MissingPart::Rationale => f.write_str("Give the rationale for the decision."),
            MissingPart::Actions => {
                f.write_str("Record at least one action, with its owner and due date.")
            }
            MissingPart::ActionDetail { number, detail } => f.write_str(&detail.sentence(*number)),
        }
    }
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The least a rationale must say to be a rationale.
pub const MIN_RATIONALE_CHARS: usize = 10;

/// Every part a manager needs before signing the record off, in the order of the form. Empty
/// when the record is complete.
pub fn missing_parts(record: &StrategyRecord) -> Vec<MissingPart> {
    let mut missing = Vec::new();
    if record.held_at.is_none() {
        missing.push(MissingPart::WhenHeld);
    }
    let attended = |agency: Agency| {
        record
            .attendees
            .iter()
            .any(|a| a.agency == Some(agency) && !blank(&a.name))
    };
    if !attended(Agency::Police) && blank(&record.police_absence_reason) {
        missing.push(MissingPart::Police);
    }
    if !attended(Agency::Health) && blank(&record.health_absence_reason) {
        missing.push(MissingPart::Health);
    }
    for (i, attendee) in record.attendees.iter().enumerate() {
        if blank(&attendee.name) || attendee.agency.is_none() || blank(&attendee.role) {
            missing.push(MissingPart::AttendeeDetails { number: i + 1 });
        }
    }
    for agency in Agency::ALL {
        let of_agency: Vec<&Attendee> = record
            .attendees
            .iter()
            .filter(|a| a.agency == Some(agency))
            .collect();
        if !of_agency.is_empty() && of_agency.iter().all(|a| blank(&a.information_shared)) {
            missing.push(MissingPart::InformationShared { agency });
        }
    }
    if record.risks.is_empty() {
        missing.push(MissingPart::Risks);
    }
    for (i, risk) in record.risks.iter().enumerate() {
        let number = i + 1;
        let checks = [
            (blank(&risk.harm), RiskDetail::Harm),
            (blank(&risk.to_whom), RiskDetail::ToWhom),
            (blank(&risk.from_whom), RiskDetail::FromWhom),
            (risk.likelihood.is_none(), RiskDetail::Likelihood),
            (risk.severity.is_none(), RiskDetail::Severity),
        ];
        for (absent, detail) in checks {
            if absent {
                missing.push(MissingPart::RiskDetail { number, detail });
            }
        }
    }
    if record.decision.is_none() {
        missing.push(MissingPart::Decision);
    }
    if record.rationale.trim().chars().count() < MIN_RATIONALE_CHARS {
        missing.push(MissingPart::Rationale);
    }
    if record.actions.is_empty() {
        missing.push(MissingPart::Actions);
    }
    for (i, action) in record.actions.iter().enumerate() {
        for detail in action_gaps(&action.description, &action.owner, action.due_on) {
            missing.push(MissingPart::ActionDetail {
                number: i + 1,
                detail,
            });
        }
    }
    missing
}

/// The authority's target for holding a strategy discussion once it has been decided: by the
/// end of the next working day (the decision's day is day 0). Kept in one place; the
/// record-quality indicator "held within target" and the work-due list both use it.
pub const TARGET_WORKING_DAYS: u32 = 1;

/// The day by the end of which a strategy discussion decided on `decided_on` (London date)
/// should be held.
pub fn hold_by(calendar: &WorkingDayCalendar, decided_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(decided_on, TARGET_WORKING_DAYS)
}

/// Whether a discussion held on `held_on` met the target.
pub fn held_within_target(
    calendar: &WorkingDayCalendar,
    decided_on: NaiveDate,
    held_on: NaiveDate,
) -> bool {
    held_on <= hold_by(calendar, decided_on)
}

/// Whole working-hours-blind minutes from the decision to hold a discussion to its holding,
/// for "held 3 hours 20 minutes after the decision" (negative never: held before decided is
/// shown as zero).
pub fn minutes_from_decision(decided_at: DateTime<Utc>, held_at: DateTime<Utc>) -> i64 {
    (held_at - decided_at).num_minutes().max(0)
}

/// "3 hours 20 minutes", "2 days 4 hours", "15 minutes".
pub fn duration_words(minutes: i64) -> String {
    let plural = |n: i64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let days = minutes / (24 * 60);
    let hours = (minutes / 60) % 24;
    let mins = minutes % 60;
    match (days, hours, mins) {
        (0, 0, m) => plural(m, "minute"),
        (0, h, 0) => plural(h, "hour"),
        (0, h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
        (d, 0, _) => plural(d, "day"),
        (d, h, _) => format!("{} {}", plural(d, "day"), plural(h, "hour")),
    }
}

#[cfg(test)]
mod tests;
