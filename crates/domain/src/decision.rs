//! Threshold decisions: a social worker recommends, a manager authorises or returns.
//!
//! The inspection letter's first test of a front door: every contact and referral decision has a
//! manager's authorisation and a rationale on the child's record. The types here make a decision
//! without rationale, or one authorised by the person who recommended it, impossible to build.

use crate::ids::WorkerId;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The outcome of a threshold decision on a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdOutcome {
    NoFurtherAction,
    InformationAndAdvice,
    /// Signposted to another named service (the service is recorded with the decision).
    Signpost,
    EarlyHelp,
    /// Referral to children's social care for a child and family assessment.
    ReferralForAssessment,
    /// Reasonable cause to suspect significant harm: a strategy discussion is needed.
    StrategyDiscussion,
}

impl ThresholdOutcome {
    pub const ALL: [ThresholdOutcome; 6] = [
        ThresholdOutcome::NoFurtherAction,
        ThresholdOutcome::InformationAndAdvice,
        ThresholdOutcome::Signpost,
        ThresholdOutcome::EarlyHelp,
        ThresholdOutcome::ReferralForAssessment,
        ThresholdOutcome::StrategyDiscussion,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ThresholdOutcome::NoFurtherAction => "no_further_action",
            ThresholdOutcome::InformationAndAdvice => "information_and_advice",
            ThresholdOutcome::Signpost => "signpost",
            ThresholdOutcome::EarlyHelp => "early_help",
            ThresholdOutcome::ReferralForAssessment => "referral_for_assessment",
            ThresholdOutcome::StrategyDiscussion => "strategy_discussion",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ThresholdOutcome::NoFurtherAction => "No further action",
            ThresholdOutcome::InformationAndAdvice => "Information and advice",
            ThresholdOutcome::Signpost => "Signpost to another service",
            ThresholdOutcome::EarlyHelp => "Early help",
            ThresholdOutcome::ReferralForAssessment => {
                "Referral to children's social care for assessment"
            }
            ThresholdOutcome::StrategyDiscussion => "Strategy discussion (significant harm)",
        }
    }
    /// The authorised outcome as told to the professional who made the referral: what happens
    /// next for the child, in plain words, without the reasoning behind it (that stays on the
    /// child's record).
    pub fn for_referrer(self) -> &'static str {
        match self {
            ThresholdOutcome::NoFurtherAction => {
                "No further action by children's social care. Keep supporting the child as you do now, and contact us again if anything changes or you are worried."
            }
            ThresholdOutcome::InformationAndAdvice => {
                "Information and advice were given. There is no further action by children's social care; contact us again if anything changes."
            }
            ThresholdOutcome::Signpost => {
                "The family has been directed to another service that is better placed to help."
            }
            ThresholdOutcome::EarlyHelp => "The family is being offered early help.",
            ThresholdOutcome::ReferralForAssessment => {
                "Accepted as a referral: a social worker will assess the child's needs, and may contact you for information."
            }
            ThresholdOutcome::StrategyDiscussion => {
                "Accepted as a referral: children's social care will hold a strategy discussion with partner agencies about the child's safety, and may contact you to take part."
            }
        }
    }
    pub fn from_code(code: &str) -> Result<Self, DecisionError> {
        Self::ALL
            .into_iter()
            .find(|o| o.code() == code.trim())
            .ok_or(DecisionError::UnknownOutcome(code.trim().to_string()))
    }
    /// Whether an authorised decision with this outcome makes a referral to children's social
    /// care (it counts in the CIN census and in Annex A list 3).
    pub fn is_referral(self) -> bool {
        matches!(
            self,
            ThresholdOutcome::ReferralForAssessment | ThresholdOutcome::StrategyDiscussion
        )
    }
}

/// One level of a threshold framework ("levels of need").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelOfNeed {
    pub level: u8,
    pub name: String,
    pub description: String,
}

/// The authority's threshold framework: its levels of need, configured per authority so that
/// thresholds are applied consistently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdFramework {
    pub levels: Vec<LevelOfNeed>,
}

impl Default for ThresholdFramework {
    /// The common four-level continuum of need used by many English authorities.
    fn default() -> Self {
        let level = |level, name: &str, description: &str| LevelOfNeed {
            level,
            name: name.into(),
            description: description.into(),
        };
        Self {
            levels: vec![
                level(
                    1,
                    "Universal",
                    "Needs met by universal services such as schools and GPs.",
                ),
                level(
                    2,
                    "Early help",
                    "Additional needs met by targeted early help, with consent.",
                ),
                level(
                    3,
                    "Complex needs",
                    "A child in need: a statutory assessment is needed.",
                ),
                level(
                    4,
                    "Acute or specialist",
                    "Significant harm or risk of it: child protection.",
                ),
            ],
        }
    }
}

impl ThresholdFramework {
    pub fn level(&self, level: u8) -> Result<&LevelOfNeed, DecisionError> {
        self.levels
            .iter()
            .find(|l| l.level == level)
            .ok_or(DecisionError::UnknownLevel {
                level,
                max: self.levels.len(),
            })
    }
}

/// Why a proposed threshold framework cannot be published. Each names the level and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameworkError {
    #[error("A threshold framework has from {min} to {max} levels of need: this one has {found}.")]
    LevelCount {
        min: usize,
        max: usize,
        found: usize,
    },
    #[error("Number the levels 1, 2, 3... in order: level {position} is numbered {found}.")]
    Numbering { position: usize, found: u8 },
    #[error("Give level {level} a name (at most {max} characters).")]
    Name { level: u8, max: usize },
    #[error("Level {level} has the same name as level {other}: give each level its own name.")]
    DuplicateName { level: u8, other: u8 },
    #[error("Describe level {level}: what needs it covers (at most {max} characters).")]
    Description { level: u8, max: usize },
    #[error("Level {level} contains control characters: type the text again without them.")]
    ControlCharacters { level: u8 },
}

impl ThresholdFramework {
    pub const MIN_LEVELS: usize = 2;
    pub const MAX_LEVELS: usize = 10;
    pub const MAX_NAME_CHARS: usize = 80;
    pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

    /// A framework an authority can publish: 2 to 10 levels numbered 1, 2, 3... in order, each
    /// with its own name and a description. Names and descriptions are trimmed.
    pub fn new(levels: Vec<LevelOfNeed>) -> Result<Self, FrameworkError> {
        if !(Self::MIN_LEVELS..=Self::MAX_LEVELS).contains(&levels.len()) {
            return Err(FrameworkError::LevelCount {
                min: Self::MIN_LEVELS,
                max: Self::MAX_LEVELS,
                found: levels.len(),
            });
        }
        let mut checked: Vec<LevelOfNeed> = Vec::with_capacity(levels.len());
        for (index, level) in levels.into_iter().enumerate() {
            let position = index + 1;
            if usize::from(level.level) != position {
                return Err(FrameworkError::Numbering {
                    position,
                    found: level.level,
                });
            }
            let name = level.name.trim().to_string();
            let description = level.description.trim().to_string();
            let has_control = |text: &str| {
                text.chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\r')
            };
            if has_control(&name) || has_control(&description) {
                return Err(FrameworkError::ControlCharacters { level: level.level });
            }
            if name.is_empty() || name.chars().count() > Self::MAX_NAME_CHARS || name.contains('\n')
            {
                return Err(FrameworkError::Name {
                    level: level.level,
                    max: Self::MAX_NAME_CHARS,
                });
            }
            if description.is_empty() || description.chars().count() > Self::MAX_DESCRIPTION_CHARS {
                return Err(FrameworkError::Description {
                    level: level.level,
                    max: Self::MAX_DESCRIPTION_CHARS,
                });
            }
            if let Some(other) = checked
                .iter()
                .find(|l| l.name.to_lowercase() == name.to_lowercase())
            {
                return Err(FrameworkError::DuplicateName {
                    level: level.level,
                    other: other.level,
                });
            }
            checked.push(LevelOfNeed {
                level: level.level,
                name,
                description,
            });
        }
        Ok(Self { levels: checked })
    }
}

/// The reasons for a decision, in the worker's words. Long enough to say something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rationale(String);

impl Rationale {
    pub const MIN_CHARS: usize = 20;
    pub const MAX_CHARS: usize = 20_000;
    pub fn parse(text: &str) -> Result<Self, DecisionError> {
        let text = text.trim();
        let chars = text.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(DecisionError::RationaleTooShort {
                min: Self::MIN_CHARS,
            });
        }
        if chars > Self::MAX_CHARS {
            return Err(DecisionError::RationaleTooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(text.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for Rationale {
    type Error = DecisionError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}
impl From<Rationale> for String {
    fn from(value: Rationale) -> Self {
        value.0
    }
}

/// A social worker's recommended threshold decision, complete and ready for a manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub outcome: ThresholdOutcome,
    pub level_of_need: u8,
    /// The named service for [`ThresholdOutcome::Signpost`]; `None` for other outcomes.
    pub signposted_to: Option<String>,
    pub rationale: Rationale,
}

impl Recommendation {
    /// Builds a recommendation, checking it against the authority's threshold framework.
    pub fn new(
        framework: &ThresholdFramework,
        outcome: ThresholdOutcome,
        level_of_need: u8,
        signposted_to: Option<&str>,
        rationale: Rationale,
    ) -> Result<Self, DecisionError> {
        framework.level(level_of_need)?;
        let signposted_to = signposted_to.map(str::trim).filter(|s| !s.is_empty());
        let signposted_to = match (outcome, signposted_to) {
            (ThresholdOutcome::Signpost, None) => {
                return Err(DecisionError::SignpostServiceMissing)
            }
            (ThresholdOutcome::Signpost, Some(service)) => Some(service.to_string()),
            (_, _) => None,
        };
        Ok(Self {
            outcome,
            level_of_need,
            signposted_to,
            rationale,
        })
    }
}

/// Where a decision is in its workflow: recommended → authorised, or recommended → returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionState {
    Recommended,
    Authorised,
    Returned,
}

impl DecisionState {
    pub fn code(self) -> &'static str {
        match self {
            DecisionState::Recommended => "recommended",
            DecisionState::Authorised => "authorised",
            DecisionState::Returned => "returned",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, DecisionError> {
        match code {
            "recommended" => Ok(DecisionState::Recommended),
            "authorised" => Ok(DecisionState::Authorised),
            "returned" => Ok(DecisionState::Returned),
            other => Err(DecisionError::UnknownState(other.to_string())),
        }
    }
}

/// A manager's review of a recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagerReview {
    /// Authorised, with the manager's own rationale (which may agree with the recommendation).
    Authorise { rationale: Rationale },
    /// Returned to the social worker with the reason.
    Return { reason: Rationale },
}

/// Checks that `reviewer` may review a recommendation in `state` made by `recommended_by`, and
/// gives the state the decision moves to.
pub fn review_transition(
    state: DecisionState,
    recommended_by: WorkerId,
    reviewer: WorkerId,
    review: &ManagerReview,
) -> Result<DecisionState, DecisionError> {
    if state != DecisionState::Recommended {
        return Err(DecisionError::NotAwaitingAuthorisation(state));
    }
    if recommended_by == reviewer {
        return Err(match review {
            ManagerReview::Authorise { .. } => DecisionError::SelfAuthorisation,
            ManagerReview::Return { .. } => DecisionError::SelfReturn,
        });
    }
    Ok(match review {
        ManagerReview::Authorise { .. } => DecisionState::Authorised,
        ManagerReview::Return { .. } => DecisionState::Returned,
    })
}

/// Emergency action, which can be taken at any hour and is recorded on the contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmergencyAction {
    PoliceProtection,
    EmergencyProtectionOrder,
    /// Accommodation under section 20 of the Children Act 1989.
    Accommodation,
}

impl EmergencyAction {
    pub const ALL: [EmergencyAction; 3] = [
        EmergencyAction::PoliceProtection,
        EmergencyAction::EmergencyProtectionOrder,
        EmergencyAction::Accommodation,
    ];
    pub fn code(self) -> &'static str {
        match self {
            EmergencyAction::PoliceProtection => "police_protection",
            EmergencyAction::EmergencyProtectionOrder => "emergency_protection_order",
            EmergencyAction::Accommodation => "accommodation",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EmergencyAction::PoliceProtection => "Police protection (section 46)",
            EmergencyAction::EmergencyProtectionOrder => "Emergency protection order (section 44)",
            EmergencyAction::Accommodation => "Accommodated (section 20)",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, DecisionError> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == code.trim())
            .ok_or(DecisionError::UnknownEmergencyAction(
                code.trim().to_string(),
            ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecisionError {
    #[error("Choose an outcome: '{0}' is not one of the threshold outcomes.")]
    UnknownOutcome(String),
    #[error(
        "Choose a level of need from 1 to {max}: level {level} is not in the threshold framework."
    )]
    UnknownLevel { level: u8, max: usize },
    #[error("Explain the decision: the rationale must be at least {min} characters.")]
    RationaleTooShort { min: usize },
    #[error("The rationale must be at most {max} characters.")]
    RationaleTooLong { max: usize },
    #[error("Name the service the family is signposted to.")]
    SignpostServiceMissing,
    #[error("This decision is {0:?}, not awaiting authorisation: reload the contact to see its current state.")]
    NotAwaitingAuthorisation(DecisionState),
    #[error("You recommended this decision, so another manager must authorise it.")]
    SelfAuthorisation,
    #[error("You recommended this decision, so you cannot return it yourself: another manager reviews it, and can return it to you if it needs to change.")]
    SelfReturn,
    #[error("Unknown decision state '{0}'.")]
    UnknownState(String),
    #[error("Unknown emergency action '{0}'.")]
    UnknownEmergencyAction(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rationale() -> Rationale {
        Rationale::parse("School reports bruising; police aware; needs strategy discussion.")
            .expect("valid rationale")
    }

    #[test]
    fn a_decision_needs_a_rationale() {
        assert_eq!(
            Rationale::parse("  ok  "),
            Err(DecisionError::RationaleTooShort { min: 20 })
        );
    }

    #[test]
    fn levels_come_from_the_framework() {
        let framework = ThresholdFramework::default();
        let bad = Recommendation::new(
            &framework,
            ThresholdOutcome::EarlyHelp,
            7,
            None,
            rationale(),
        );
        assert_eq!(bad, Err(DecisionError::UnknownLevel { level: 7, max: 4 }));
        assert!(Recommendation::new(
            &framework,
            ThresholdOutcome::EarlyHelp,
            2,
            None,
            rationale()
        )
        .is_ok());
    }

    #[test]
    fn frameworks_are_numbered_named_and_described() {
        let level = |level: u8, name: &str, description: &str| LevelOfNeed {
            level,
            name: name.into(),
            description: description.into(),
        };
        let three = ThresholdFramework::new(vec![
            level(1, " Universal ", "Universal services."),
            level(2, "Targeted", "Early help."),
            level(3, "Specialist", "Statutory services."),
        ])
        .expect("valid");
        assert_eq!(three.levels[0].name, "Universal");
        assert_eq!(
            ThresholdFramework::new(vec![level(1, "Only", "One level.")]),
            Err(FrameworkError::LevelCount {
                min: 2,
                max: 10,
                found: 1
            })
        );
        assert_eq!(
            ThresholdFramework::new(vec![level(1, "A", "a"), level(3, "C", "c")]),
            Err(FrameworkError::Numbering {
                position: 2,
                found: 3
            })
        );
        assert_eq!(
            ThresholdFramework::new(vec![level(1, "A", "a"), level(2, " ", "b")]),
            Err(FrameworkError::Name { level: 2, max: 80 })
        );
        assert_eq!(
            ThresholdFramework::new(vec![level(1, "Same", "a"), level(2, "same", "b")]),
            Err(FrameworkError::DuplicateName { level: 2, other: 1 })
        );
        assert_eq!(
            ThresholdFramework::new(vec![level(1, "A", "a"), level(2, "B", "")]),
            Err(FrameworkError::Description {
                level: 2,
                max: 2000
            })
        );
        assert_eq!(
            ThresholdFramework::new(vec![level(1, "A\u{7}", "a"), level(2, "B", "b")]),
            Err(FrameworkError::ControlCharacters { level: 1 })
        );
        assert!(ThresholdFramework::new(ThresholdFramework::default().levels).is_ok());
    }

    #[test]
    fn signposting_names_the_service() {
        let framework = ThresholdFramework::default();
        let missing = Recommendation::new(
            &framework,
            ThresholdOutcome::Signpost,
            1,
            Some(" "),
            rationale(),
        );
        assert_eq!(missing, Err(DecisionError::SignpostServiceMissing));
        let named = Recommendation::new(
            &framework,
            ThresholdOutcome::Signpost,
            1,
            Some("Young carers"),
            rationale(),
        );
        assert_eq!(
            named.map(|r| r.signposted_to),
            Ok(Some("Young carers".into()))
        );
        let other = Recommendation::new(
            &framework,
            ThresholdOutcome::EarlyHelp,
            2,
            Some("x"),
            rationale(),
        );
        assert_eq!(other.map(|r| r.signposted_to), Ok(None));
    }

    #[test]
    fn nobody_authorises_their_own_recommendation() {
        let worker = WorkerId::new();
        let manager = WorkerId::new();
        let authorise = ManagerReview::Authorise {
            rationale: rationale(),
        };
        assert_eq!(
            review_transition(DecisionState::Recommended, worker, worker, &authorise),
            Err(DecisionError::SelfAuthorisation)
        );
        assert_eq!(
            review_transition(DecisionState::Recommended, worker, manager, &authorise),
            Ok(DecisionState::Authorised)
        );
        assert_eq!(
            review_transition(DecisionState::Authorised, worker, manager, &authorise),
            Err(DecisionError::NotAwaitingAuthorisation(
                DecisionState::Authorised
            ))
        );
        let ret = ManagerReview::Return {
            reason: rationale(),
        };
        assert_eq!(
            review_transition(DecisionState::Recommended, worker, manager, &ret),
            Ok(DecisionState::Returned)
        );
        // Returning one's own recommendation is refused with its own reason, not the
        // authorisation one.
        assert_eq!(
            review_transition(DecisionState::Recommended, worker, worker, &ret),
            Err(DecisionError::SelfReturn)
        );
    }
}
