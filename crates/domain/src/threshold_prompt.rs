//! Threshold prompts at the point of decision.
//!
//! Some facts about a contact should make a worker and a manager stop and think before a
//! decision below a certain level: an injury to a baby who is not yet mobile, a third contact
//! about the same child within twelve months, domestic abuse where a child under five lives.
//! Each authority configures its prompts (which are on, their ages and counts, the outcome each
//! prompts, and the source the authority relies on). A prompt is shown beside the
//! recommendation; a decision below the prompted outcome can be recommended, but a manager
//! authorising it must record why they depart from each prompt.
//!
//! Ages are worked out on the date the contact was received. A child is "under 6 months" until
//! the day they are 6 calendar months old (born 31 August: 6 months old on 28 February, or 29th
//! in a leap year, the last day of the month when the day does not exist). A child born on the
//! contact date is 0 months old. A child whose date of birth is not known, or who is not yet
//! born (an expected date after the contact), never makes an age condition true: the prompt
//! says nothing rather than guess.

use crate::contact::ConcernCategory;
use crate::decision::ThresholdOutcome;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The kinds of prompt an authority can configure: a small closed set, each with its typed
/// parameters. An authority has at most one rule of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    InjuryToNonMobileBaby,
    RepeatContacts,
    DomesticAbuseWithYoungChild,
}

impl PromptKind {
    pub const ALL: [PromptKind; 3] = [
        PromptKind::InjuryToNonMobileBaby,
        PromptKind::RepeatContacts,
        PromptKind::DomesticAbuseWithYoungChild,
    ];
    pub fn code(self) -> &'static str {
        match self {
            PromptKind::InjuryToNonMobileBaby => "injury_to_non_mobile_baby",
            PromptKind::RepeatContacts => "repeat_contacts",
            PromptKind::DomesticAbuseWithYoungChild => "domestic_abuse_with_young_child",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }
    /// The prompt's name as a worker reads it.
    pub fn name(self) -> &'static str {
        match self {
            PromptKind::InjuryToNonMobileBaby => "Injury to a baby who is not yet mobile",
            PromptKind::RepeatContacts => "Repeated contacts about the same child",
            PromptKind::DomesticAbuseWithYoungChild => "Domestic abuse with a young child",
        }
    }
    /// What the two parameters of the kind mean, for forms (the second is `None` when the kind
    /// has only one).
    pub fn parameter_labels(self) -> (&'static str, Option<&'static str>) {
        match self {
            PromptKind::InjuryToNonMobileBaby => ("Age under, in months (1 to 24)", None),
            PromptKind::RepeatContacts => (
                "Number of contacts, this one included (2 to 10)",
                Some("Within, in months (1 to 36)"),
            ),
            PromptKind::DomesticAbuseWithYoungChild => ("Age under, in years (1 to 18)", None),
        }
    }
}

/// The condition a prompt tests, with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PromptCondition {
    /// A physical abuse (injury) concern about a child on the contact under the age.
    InjuryToNonMobileBaby { under_months: u32 },
    /// A child on the contact about whom this is at least the `count`th contact in the
    /// `within_months` months up to and including the contact date.
    RepeatContacts { count: u32, within_months: u32 },
    /// A domestic abuse concern, and a child under the age on the contact or living in the
    /// household of someone on it.
    DomesticAbuseWithYoungChild { under_years: u32 },
}

impl PromptCondition {
    pub fn kind(self) -> PromptKind {
        match self {
            PromptCondition::InjuryToNonMobileBaby { .. } => PromptKind::InjuryToNonMobileBaby,
            PromptCondition::RepeatContacts { .. } => PromptKind::RepeatContacts,
            PromptCondition::DomesticAbuseWithYoungChild { .. } => {
                PromptKind::DomesticAbuseWithYoungChild
            }
        }
    }
    /// The parameters as stored: (first, second or 0).
    pub fn parameters(self) -> (u32, u32) {
        match self {
            PromptCondition::InjuryToNonMobileBaby { under_months } => (under_months, 0),
            PromptCondition::RepeatContacts {
                count,
                within_months,
            } => (count, within_months),
            PromptCondition::DomesticAbuseWithYoungChild { under_years } => (under_years, 0),
        }
    }
    /// Builds a condition of `kind` from its parameters, checking each is in range.
    pub fn new(kind: PromptKind, first: u32, second: u32) -> Result<Self, PromptRuleError> {
        let check = |value: u32, min: u32, max: u32, parameter: &'static str| {
            if (min..=max).contains(&value) {
                Ok(value)
            } else {
                Err(PromptRuleError::ParameterOutOfRange {
                    kind,
                    parameter,
                    min,
                    max,
                })
            }
        };
        Ok(match kind {
            PromptKind::InjuryToNonMobileBaby => PromptCondition::InjuryToNonMobileBaby {
                under_months: check(first, 1, 24, "the age in months")?,
            },
            PromptKind::RepeatContacts => PromptCondition::RepeatContacts {
                count: check(first, 2, 10, "the number of contacts")?,
                within_months: check(second, 1, 36, "the number of months")?,
            },
            PromptKind::DomesticAbuseWithYoungChild => {
                PromptCondition::DomesticAbuseWithYoungChild {
                    under_years: check(first, 1, 18, "the age in years")?,
                }
            }
        })
    }
    /// The condition in words, as configured ("a physical abuse concern about a child under 6
    /// months old").
    pub fn describe(self) -> String {
        match self {
            PromptCondition::InjuryToNonMobileBaby { under_months } => format!(
                "An injury or physical abuse concern about a baby under {under_months} month{} old",
                plural(under_months)
            ),
            PromptCondition::RepeatContacts {
                count,
                within_months,
            } => format!(
                "The {} contact or more about the same child within {within_months} month{}",
                ordinal(count),
                plural(within_months)
            ),
            PromptCondition::DomesticAbuseWithYoungChild { under_years } => format!(
                "A domestic abuse concern with a child under {under_years} year{} old on the contact or in the household",
                plural(under_years)
            ),
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// How far up the ladder of outcomes a decision goes: no further action is the lowest, a
/// strategy discussion the highest. Signposting and information and advice are level.
pub fn outcome_rank(outcome: ThresholdOutcome) -> u8 {
    match outcome {
        ThresholdOutcome::NoFurtherAction => 0,
        ThresholdOutcome::InformationAndAdvice | ThresholdOutcome::Signpost => 1,
        ThresholdOutcome::EarlyHelp => 2,
        ThresholdOutcome::ReferralForAssessment => 3,
        ThresholdOutcome::StrategyDiscussion => 4,
    }
}

/// The outcomes a prompt may ask for: from early help up.
pub const PROMPTABLE_OUTCOMES: [ThresholdOutcome; 3] = [
    ThresholdOutcome::EarlyHelp,
    ThresholdOutcome::ReferralForAssessment,
    ThresholdOutcome::StrategyDiscussion,
];

/// One configured prompt of an authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdPromptRule {
    pub condition: PromptCondition,
    pub enabled: bool,
    /// The lowest outcome the prompt expects; a decision below it departs from the prompt.
    pub minimum_outcome: ThresholdOutcome,
    /// The source the authority relies on: a review, guidance, or its own threshold document.
    pub source: String,
}

/// Why a prompt rule cannot be saved. Each names the field to change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PromptRuleError {
    #[error("For \"{}\", {parameter} must be a whole number from {min} to {max}.", kind.name())]
    ParameterOutOfRange {
        kind: PromptKind,
        parameter: &'static str,
        min: u32,
        max: u32,
    },
    #[error("For \"{}\", choose the outcome it prompts: early help, a referral for assessment or a strategy discussion.", kind.name())]
    OutcomeTooLow { kind: PromptKind },
    #[error("For \"{}\", give its source (the review, guidance or local threshold document it comes from), in at most {max} characters.", kind.name())]
    Source { kind: PromptKind, max: usize },
}

impl ThresholdPromptRule {
    pub const MAX_SOURCE_CHARS: usize = 500;

    /// A rule that can be saved: an outcome from early help up, and a source.
    pub fn new(
        condition: PromptCondition,
        enabled: bool,
        minimum_outcome: ThresholdOutcome,
        source: &str,
    ) -> Result<Self, PromptRuleError> {
        let kind = condition.kind();
        if !PROMPTABLE_OUTCOMES.contains(&minimum_outcome) {
            return Err(PromptRuleError::OutcomeTooLow { kind });
        }
        let source = source.trim();
        if source.is_empty()
            || source.chars().count() > Self::MAX_SOURCE_CHARS
            || source.chars().any(|c| c.is_control())
        {
            return Err(PromptRuleError::Source {
                kind,
                max: Self::MAX_SOURCE_CHARS,
            });
        }
        Ok(Self {
            condition,
            enabled,
            minimum_outcome,
            source: source.to_string(),
        })
    }
    pub fn kind(&self) -> PromptKind {
        self.condition.kind()
    }
    /// The default rule of `kind` for a new authority (enabled, with its published source).
    pub fn default_for(kind: PromptKind) -> Self {
        match kind {
            PromptKind::InjuryToNonMobileBaby => Self {
                condition: PromptCondition::InjuryToNonMobileBaby { under_months: 6 },
                enabled: true,
                minimum_outcome: ThresholdOutcome::StrategyDiscussion,
                source: "Child Safeguarding Practice Review Panel, 'The myth of invisible men: safeguarding children under 1 from non-accidental injury caused by male carers' (2021); local protocol for bruising and injuries in babies who are not independently mobile".into(),
            },
            PromptKind::RepeatContacts => Self {
                condition: PromptCondition::RepeatContacts {
                    count: 3,
                    within_months: 12,
                },
                enabled: true,
                minimum_outcome: ThresholdOutcome::ReferralForAssessment,
                source: "Local safeguarding partnership threshold document: repeated contacts show needs not yet met; Ofsted focused visit findings on re-referrals and repeat assessments".into(),
            },
            PromptKind::DomesticAbuseWithYoungChild => Self {
                condition: PromptCondition::DomesticAbuseWithYoungChild { under_years: 5 },
                enabled: true,
                minimum_outcome: ThresholdOutcome::ReferralForAssessment,
                source: "Domestic Abuse Act 2021, section 3 (children as victims in their own right); Child Safeguarding Practice Review Panel annual reports on domestic abuse and children under 5".into(),
            },
        }
    }
    /// The defaults for every kind.
    pub fn defaults() -> Vec<Self> {
        PromptKind::ALL.into_iter().map(Self::default_for).collect()
    }
}

/// A child on the contact, as the prompts see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildOnContact {
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    /// The dates of the child's other contacts (this one excluded), any date.
    pub other_contact_dates: Vec<NaiveDate>,
}

/// A child who lives in the household of someone on the contact but is not on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildInHousehold {
    pub name: String,
    pub birth_date: Option<NaiveDate>,
}

/// What the prompts are evaluated on: facts read from the contact and the records linked to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptFacts {
    /// The date the contact was received (in the authority's time zone).
    pub contact_date: NaiveDate,
    pub concerns: Vec<ConcernCategory>,
    pub children: Vec<ChildOnContact>,
    pub household: Vec<ChildInHousehold>,
}

/// A prompt that fired on a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredPrompt {
    pub kind: PromptKind,
    pub name: String,
    pub minimum_outcome: ThresholdOutcome,
    pub source: String,
    /// Why it fired, naming the children ("Ava Brown is 4 months old and the contact raises
    /// physical abuse").
    pub because: String,
}

impl FiredPrompt {
    /// Whether a decision with `outcome` is below what the prompt asks for.
    pub fn departed_from_by(&self, outcome: ThresholdOutcome) -> bool {
        outcome_rank(outcome) < outcome_rank(self.minimum_outcome)
    }
}

/// Whether a child born on `birth_date` is under `months` calendar months old on `on`. Not known
/// or not yet born: false.
pub fn under_months(birth_date: Option<NaiveDate>, on: NaiveDate, months: u32) -> bool {
    match birth_date {
        Some(born) if born <= on => born
            .checked_add_months(Months::new(months))
            .is_none_or(|reached| on < reached),
        _ => false,
    }
}

/// A child's age in whole months on `on` (None when not known or not yet born).
pub fn age_in_months(birth_date: Option<NaiveDate>, on: NaiveDate) -> Option<u32> {
    use chrono::Datelike;
    let born = birth_date.filter(|b| *b <= on)?;
    let whole = (on.year() - born.year()) * 12 + on.month() as i32 - born.month() as i32;
    let mut months = u32::try_from(whole).ok()?;
    // Not yet reached this month's birthday (28 February counts for a 31st).
    if born
        .checked_add_months(Months::new(months))
        .is_none_or(|d| d > on)
    {
        months = months.saturating_sub(1);
    }
    Some(months)
}

/// "4 months old", "2 years old", "born on the day of the contact".
fn age_words(birth_date: Option<NaiveDate>, on: NaiveDate) -> String {
    match age_in_months(birth_date, on) {
        None => "of unknown age".into(),
        Some(0) if birth_date == Some(on) => "born on the day of the contact".into(),
        Some(0) => "under a month old".into(),
        Some(m) if m < 24 => format!("{m} month{} old", plural(m)),
        Some(m) => format!("{} years old", m / 12),
    }
}

fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Evaluates one rule on the facts: `Some` when it fires. Disabled rules never fire.
pub fn evaluate(rule: &ThresholdPromptRule, facts: &PromptFacts) -> Option<FiredPrompt> {
    if !rule.enabled {
        return None;
    }
    let on = facts.contact_date;
    let raises = |c: ConcernCategory| facts.concerns.contains(&c);
    let because = match rule.condition {
        PromptCondition::InjuryToNonMobileBaby { under_months: m } => {
            if !raises(ConcernCategory::PhysicalAbuse) {
                return None;
            }
            let babies: Vec<String> = facts
                .children
                .iter()
                .filter(|c| under_months(c.birth_date, on, m))
                .map(|c| format!("{} is {}", c.name, age_words(c.birth_date, on)))
                .collect();
            if babies.is_empty() {
                return None;
            }
            format!(
                "{}, and the contact raises physical abuse (an injury).",
                names(&babies)
            )
        }
        PromptCondition::RepeatContacts {
            count,
            within_months,
        } => {
            let from = on
                .checked_sub_months(Months::new(within_months))
                .unwrap_or(NaiveDate::MIN);
            let repeated: Vec<String> = facts
                .children
                .iter()
                .filter_map(|c| {
                    let earlier = c
                        .other_contact_dates
                        .iter()
                        .filter(|d| **d >= from && **d <= on)
                        .count();
                    let total = u32::try_from(earlier).unwrap_or(u32::MAX).saturating_add(1);
                    (total >= count).then(|| {
                        format!(
                            "this is the {} contact about {} in {within_months} month{}",
                            ordinal(total),
                            c.name,
                            plural(within_months)
                        )
                    })
                })
                .collect();
            if repeated.is_empty() {
                return None;
            }
            let mut text = names(&repeated);
            if let Some(first) = text.get(..1) {
                text = format!("{}{}.", first.to_uppercase(), &text[1..]);
            }
            text
        }
        PromptCondition::DomesticAbuseWithYoungChild { under_years } => {
            if !raises(ConcernCategory::DomesticAbuse) {
                return None;
            }
            let months = under_years.saturating_mul(12);
            let mut young: Vec<String> = facts
                .children
                .iter()
                .filter(|c| under_months(c.birth_date, on, months))
                .map(|c| format!("{} ({})", c.name, age_words(c.birth_date, on)))
                .collect();
            let in_household: Vec<String> = facts
                .household
                .iter()
                .filter(|c| under_months(c.birth_date, on, months))
                .filter(|c| !facts.children.iter().any(|o| o.name == c.name))
                .map(|c| {
                    format!(
                        "{} ({}, in the household)",
                        c.name,
                        age_words(c.birth_date, on)
                    )
                })
                .collect();
            young.extend(in_household);
            if young.is_empty() {
                return None;
            }
            format!(
                "The contact raises domestic abuse, and {} under {under_years}: {}.",
                if young.len() == 1 {
                    "a child is"
                } else {
                    "children are"
                },
                names(&young)
            )
        }
    };
    Some(FiredPrompt {
        kind: rule.kind(),
        name: rule.kind().name().to_string(),
        minimum_outcome: rule.minimum_outcome,
        source: rule.source.clone(),
        because,
    })
}

/// Every rule that fires on the facts, in the order of the rules.
pub fn evaluate_all(rules: &[ThresholdPromptRule], facts: &PromptFacts) -> Vec<FiredPrompt> {
    rules.iter().filter_map(|r| evaluate(r, facts)).collect()
}

/// A manager's reason for authorising a decision below what a prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureReason(String);

impl DepartureReason {
    pub const MIN_CHARS: usize = 20;
    pub const MAX_CHARS: usize = 4_000;
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let n = text.chars().count();
        (Self::MIN_CHARS..=Self::MAX_CHARS)
            .contains(&n)
            .then(|| Self(text.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests;
