//! Early help: an episode of early help for a child, consent to share information with partner
//! agencies, the early help assessment and its timescale.
//!
//! **Consent to share** is recorded as a sequence of decisions (given, refused, withdrawn), each
//! naming the agencies it is about and, when given, which parts of the record may be shared
//! ([`SharedPart`]). One rule, [`may_share`], says whether a part may go to an agency:
//! - the **latest** consent decision naming that agency wins (a refusal or withdrawal naming no
//!   agency names them all);
//! - given: allowed for the parts it lists, denied for the others;
//! - refused or withdrawn: denied, and a withdrawal ends every earlier consent it covers;
//! - no decision naming the agency: denied (nothing is shared on silence);
//! - a manager's **safeguarding override** for the agency allows every part regardless — it is
//!   recorded with its reason, who and when, and is the only way past a refusal.
//!
//! The **early help assessment** is due [`ASSESSMENT_WORKING_DAYS`] working days after it
//! starts (the start day does not count, as everywhere in [`crate::calendar`]); it is overdue
//! from the day after its due date while it is not completed.

use crate::agency::Agency;
use crate::calendar::WorkingDayCalendar;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Working days from the start of an early help assessment to its due date. There is no
/// national timescale for early help assessments (Working Together to Safeguard Children 2023
/// leaves it to local arrangements); 30 working days is this system's local default, set here
/// once. See docs/decisions/0016-early-help-and-consent-to-share.md.
pub const ASSESSMENT_WORKING_DAYS: u32 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EarlyHelpError {
    #[error("Choose given, refused or withdrawn: '{0}' is not a consent decision.")]
    UnknownConsentDecision(String),
    #[error("'{0}' is not a part of the record consent can cover: choose identity and contact details, the early help assessment or the family history.")]
    UnknownPart(String),
    #[error("'{0}' is not an agency: choose the agencies from the list.")]
    UnknownAgency(String),
    #[error("Consent that is given must name at least one agency it covers.")]
    GivenWithoutAgencies,
    #[error("Consent that is given must say which parts of the record may be shared.")]
    GivenWithoutParts,
    #[error("'{0}' is not an early help episode status.")]
    UnknownStatus(String),
    #[error("Choose why early help is ending: needs met, the family withdrew, the family moved away, another service now supports the family, or another reason.")]
    UnknownClosureReason(String),
}

/// Where an early help episode is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EarlyHelpStatus {
    Open,
    /// Stepped up to children's social care: a contact carries its history to the front door.
    SteppedUp,
    Closed,
}

impl EarlyHelpStatus {
    pub fn code(self) -> &'static str {
        match self {
            EarlyHelpStatus::Open => "open",
            EarlyHelpStatus::SteppedUp => "stepped_up",
            EarlyHelpStatus::Closed => "closed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EarlyHelpStatus::Open => "Open",
            EarlyHelpStatus::SteppedUp => "Stepped up to children's social care",
            EarlyHelpStatus::Closed => "Closed",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, EarlyHelpError> {
        match code.trim() {
            "open" => Ok(EarlyHelpStatus::Open),
            "stepped_up" => Ok(EarlyHelpStatus::SteppedUp),
            "closed" => Ok(EarlyHelpStatus::Closed),
            other => Err(EarlyHelpError::UnknownStatus(other.to_string())),
        }
    }
}

/// Why an early help episode ended (other than by stepping up to children's social care,
/// which has its own transition). Every closure also carries a summary in the worker's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EarlyHelpClosureReason {
    /// The team around the family's outcomes were achieved.
    NeedsMet,
    /// Early help is voluntary: the family ended it.
    FamilyWithdrew,
    /// The family moved out of the authority's area.
    MovedAway,
    /// A universal or other targeted service now supports the family.
    AnotherServiceSupports,
    /// Anything else: the summary says what.
    Other,
}

impl EarlyHelpClosureReason {
    pub const ALL: [EarlyHelpClosureReason; 5] = [
        EarlyHelpClosureReason::NeedsMet,
        EarlyHelpClosureReason::FamilyWithdrew,
        EarlyHelpClosureReason::MovedAway,
        EarlyHelpClosureReason::AnotherServiceSupports,
        EarlyHelpClosureReason::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            EarlyHelpClosureReason::NeedsMet => "needs_met",
            EarlyHelpClosureReason::FamilyWithdrew => "family_withdrew",
            EarlyHelpClosureReason::MovedAway => "moved_away",
            EarlyHelpClosureReason::AnotherServiceSupports => "another_service_supports",
            EarlyHelpClosureReason::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EarlyHelpClosureReason::NeedsMet => "Needs met: the family's outcomes were achieved",
            EarlyHelpClosureReason::FamilyWithdrew => "The family withdrew from early help",
            EarlyHelpClosureReason::MovedAway => "The family moved out of the area",
            EarlyHelpClosureReason::AnotherServiceSupports => {
                "Another service now supports the family"
            }
            EarlyHelpClosureReason::Other => "Another reason (say what in the summary)",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, EarlyHelpError> {
        Self::ALL
            .into_iter()
            .find(|reason| reason.code() == code.trim())
            .ok_or_else(|| EarlyHelpError::UnknownClosureReason(code.to_string()))
    }
}

/// The family's decision about sharing information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    Given,
    Refused,
    Withdrawn,
}

impl ConsentDecision {
    pub const ALL: [ConsentDecision; 3] = [
        ConsentDecision::Given,
        ConsentDecision::Refused,
        ConsentDecision::Withdrawn,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ConsentDecision::Given => "given",
            ConsentDecision::Refused => "refused",
            ConsentDecision::Withdrawn => "withdrawn",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ConsentDecision::Given => "Consent given",
            ConsentDecision::Refused => "Consent refused",
            ConsentDecision::Withdrawn => "Consent withdrawn",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, EarlyHelpError> {
        let wanted = code.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|d| d.code() == wanted)
            .ok_or_else(|| EarlyHelpError::UnknownConsentDecision(code.trim().to_string()))
    }
}

/// A part of the child's early help record that consent may allow to be shared. Kept small and
/// explicit: a partner sees a part only when the rule allows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedPart {
    /// The child's name, date of birth and address, and the family's contact details.
    Identity,
    /// The early help assessment and the team-around-the-family actions.
    Assessment,
    /// The family's history with the authority: the coordinator's contacts with the family and
    /// what brought the family to early help.
    FamilyHistory,
}

impl SharedPart {
    pub const ALL: [SharedPart; 3] = [
        SharedPart::Identity,
        SharedPart::Assessment,
        SharedPart::FamilyHistory,
    ];
    pub fn code(self) -> &'static str {
        match self {
            SharedPart::Identity => "identity",
            SharedPart::Assessment => "assessment",
            SharedPart::FamilyHistory => "family_history",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SharedPart::Identity => "Identity and contact details",
            SharedPart::Assessment => "Early help assessment and actions",
            SharedPart::FamilyHistory => "Family history",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, EarlyHelpError> {
        let wanted = code.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|p| p.code() == wanted)
            .ok_or_else(|| EarlyHelpError::UnknownPart(code.trim().to_string()))
    }
}

/// One recorded consent decision, as far as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentToShare {
    pub decision: ConsentDecision,
    /// The agencies it is about. For a refusal or withdrawal, empty means every agency.
    pub agencies: Vec<Agency>,
    /// The parts that may be shared (given consent only).
    pub parts: Vec<SharedPart>,
    pub recorded_at: DateTime<Utc>,
}

impl ConsentToShare {
    /// A consent decision that can be recorded: a given consent names at least one agency and
    /// one part; a refusal or withdrawal shares no part.
    pub fn new(
        decision: ConsentDecision,
        agencies: Vec<Agency>,
        parts: Vec<SharedPart>,
        recorded_at: DateTime<Utc>,
    ) -> Result<Self, EarlyHelpError> {
        let mut unique: Vec<Agency> = Vec::new();
        for agency in agencies {
            if !unique.contains(&agency) {
                unique.push(agency);
            }
        }
        let agencies = unique;
        let mut parts = parts;
        parts.sort();
        parts.dedup();
        if decision == ConsentDecision::Given {
            if agencies.is_empty() {
                return Err(EarlyHelpError::GivenWithoutAgencies);
            }
            if parts.is_empty() {
                return Err(EarlyHelpError::GivenWithoutParts);
            }
        } else {
            parts.clear();
        }
        Ok(Self {
            decision,
            agencies,
            parts,
            recorded_at,
        })
    }

    /// Whether this decision is about `agency`.
    pub fn names(&self, agency: Agency) -> bool {
        if self.decision == ConsentDecision::Given {
            self.agencies.contains(&agency)
        } else {
            self.agencies.is_empty() || self.agencies.contains(&agency)
        }
    }
}

/// A manager's recorded safeguarding reason to share with an agency without (or against)
/// consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeguardingOverride {
    pub agency: Agency,
    pub recorded_at: DateTime<Utc>,
}

/// Why sharing is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingBasis {
    Consent,
    SafeguardingOverride,
}

/// Why nothing may be shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingDenied {
    /// No consent decision names the agency.
    NoConsent,
    Refused,
    Withdrawn,
    /// Consent was given to the agency, but not for this part.
    OutsideScope,
}

impl SharingDenied {
    pub fn message(self) -> &'static str {
        match self {
            SharingDenied::NoConsent => "The family has not given consent to share with this agency: record their consent first, or a manager must record a safeguarding reason.",
            SharingDenied::Refused => "The family refused consent to share with this agency: nothing can be shared unless a manager records a safeguarding reason.",
            SharingDenied::Withdrawn => "The family withdrew consent to share with this agency: nothing more can be shared unless a manager records a safeguarding reason.",
            SharingDenied::OutsideScope => "The family's consent for this agency does not cover this part of the record: ask the family, or a manager must record a safeguarding reason.",
        }
    }
}

impl fmt::Display for SharingDenied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// The answer of [`may_share`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result", content = "because")]
pub enum Sharing {
    Allowed(SharingBasis),
    Denied(SharingDenied),
}

impl Sharing {
    pub fn is_allowed(self) -> bool {
        matches!(self, Sharing::Allowed(_))
    }
    /// `Ok` when allowed, so use cases can write `may_share(..).require()?`.
    pub fn require(self) -> Result<SharingBasis, SharingDenied> {
        match self {
            Sharing::Allowed(basis) => Ok(basis),
            Sharing::Denied(reason) => Err(reason),
        }
    }
}

/// May `part` of the child's early help record be shared with `agency`? The latest consent
/// decision naming the agency wins (by `recorded_at`; on a tie, the later in the slice); a
/// safeguarding override for the agency allows every part regardless of consent.
pub fn may_share(
    consents: &[ConsentToShare],
    overrides: &[SafeguardingOverride],
    agency: Agency,
    part: SharedPart,
) -> Sharing {
    if overrides.iter().any(|o| o.agency == agency) {
        return Sharing::Allowed(SharingBasis::SafeguardingOverride);
    }
    let latest = consents
        .iter()
        .enumerate()
        .filter(|(_, c)| c.names(agency))
        .max_by_key(|(i, c)| (c.recorded_at, *i))
        .map(|(_, c)| c);
    match latest {
        None => Sharing::Denied(SharingDenied::NoConsent),
        Some(c) => match c.decision {
            ConsentDecision::Refused => Sharing::Denied(SharingDenied::Refused),
            ConsentDecision::Withdrawn => Sharing::Denied(SharingDenied::Withdrawn),
            ConsentDecision::Given if c.parts.contains(&part) => {
                Sharing::Allowed(SharingBasis::Consent)
            }
            ConsentDecision::Given => Sharing::Denied(SharingDenied::OutsideScope),
        },
    }
}

/// The early help assessment's due date: [`ASSESSMENT_WORKING_DAYS`] working days after it
/// started.
pub fn assessment_due(calendar: &WorkingDayCalendar, started_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(started_on, ASSESSMENT_WORKING_DAYS)
}

/// An assessment is overdue from the day after its due date until it is completed.
pub fn assessment_overdue(
    due_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    completed_on.is_none() && due_on.is_some_and(|due| today > due)
}

#[cfg(test)]
mod tests;
