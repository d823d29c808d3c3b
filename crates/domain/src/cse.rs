//! Child sexual exploitation (CSE) screening.
//!
//! The screening tool is data: [`INDICATORS`], grouped by [`DOMAINS`], each indicator weighted
//! low, medium or high. Each is answered present, not present or not known, with a note. The
//! risk level follows one documented rule ([`level_from_indicators`]), on the indicators found
//! **present** only:
//! - **high**: any high indicator, or 3 or more medium indicators;
//! - **medium**: any medium indicator, or 3 or more low indicators;
//! - **low**: any low indicator;
//! - **no identified risk**: none present.
//!
//! Professional judgement may raise the level (with a reason), never lower it. Medium and high
//! risk need a signed-off safety plan (never a written agreement) whose actions answer every
//! identified (present) indicator, and go to the risk management group with a review date:
//! high risk in [`HIGH_REVIEW_DAYS`] days (4 weeks), medium in [`MEDIUM_REVIEW_MONTHS`] months.

use crate::safety_plan::Concern;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CseError {
    #[error("Answer present, not present or not known: '{0}' is not one of them.")]
    UnknownAnswer(String),
    #[error("Choose no identified risk, low, medium or high: '{0}' is not a CSE risk level.")]
    UnknownLevel(String),
    #[error("'{0}' is not an indicator of the screening tool.")]
    UnknownIndicator(String),
}

/// How strongly an indicator points to sexual exploitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    Low,
    Medium,
    High,
}

impl Weight {
    pub fn label(self) -> &'static str {
        match self {
            Weight::Low => "Low",
            Weight::Medium => "Medium",
            Weight::High => "High",
        }
    }
}

/// One indicator of the tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// "domain.indicator", stable: answers and plan actions refer to it.
    pub code: &'static str,
    pub domain: &'static str,
    pub label: &'static str,
    pub weight: Weight,
}

/// The domains, in the tool's order: (code, heading).
pub const DOMAINS: [(&str, &str); 9] = [
    ("going_missing", "Going missing"),
    ("older_people", "Relationships with older people"),
    ("gifts", "Gifts, money and phones"),
    ("substances", "Substance misuse"),
    ("sexual_health", "Sexual health and behaviour"),
    ("online", "Online activity"),
    ("school", "School"),
    ("peers", "Peers and associations"),
    ("wellbeing", "Physical and emotional signs"),
];

const fn ind(
    code: &'static str,
    domain: &'static str,
    label: &'static str,
    weight: Weight,
) -> Indicator {
    Indicator {
        code,
        domain,
        label,
        weight,
    }
}

/// The screening tool's indicators, domain by domain.
pub const INDICATORS: [Indicator; 27] = [
    ind(
        "going_missing.overnight",
        "going_missing",
        "Missing overnight, or returns home late without explanation",
        Weight::Medium,
    ),
    ind(
        "going_missing.found_out_of_area",
        "going_missing",
        "Found in an area with no known links, or in hotels or addresses of concern",
        Weight::High,
    ),
    ind(
        "going_missing.unexplained_absences",
        "going_missing",
        "Unexplained short absences from home or placement",
        Weight::Low,
    ),
    ind(
        "older_people.older_partner",
        "older_people",
        "In a relationship with a significantly older person",
        Weight::High,
    ),
    ind(
        "older_people.unknown_adults",
        "older_people",
        "Contact with adults not known to the family",
        Weight::Medium,
    ),
    ind(
        "older_people.collected_in_cars",
        "older_people",
        "Picked up or dropped off in cars by unknown adults",
        Weight::Medium,
    ),
    ind(
        "gifts.unexplained_gifts",
        "gifts",
        "Unexplained gifts, clothes or jewellery",
        Weight::Medium,
    ),
    ind("gifts.money", "gifts", "Unexplained money", Weight::Medium),
    ind(
        "gifts.second_phone",
        "gifts",
        "More than one phone, or a phone not given by the family",
        Weight::Low,
    ),
    ind(
        "substances.drug_alcohol_use",
        "substances",
        "Uses drugs or alcohol",
        Weight::Low,
    ),
    ind(
        "substances.supplied_by_adults",
        "substances",
        "Given drugs or alcohol by adults",
        Weight::High,
    ),
    ind(
        "substances.under_influence_missing",
        "substances",
        "Returns from missing episodes under the influence",
        Weight::Medium,
    ),
    ind(
        "sexual_health.sti_or_pregnancy",
        "sexual_health",
        "Sexually transmitted infection, pregnancy or termination",
        Weight::Medium,
    ),
    ind(
        "sexual_health.sexualised_behaviour",
        "sexual_health",
        "Sexualised behaviour or language beyond their age",
        Weight::Low,
    ),
    ind(
        "sexual_health.exchange_for_sex",
        "sexual_health",
        "Sex exchanged for money, goods, a place to stay or drugs",
        Weight::High,
    ),
    ind(
        "online.sexual_images",
        "online",
        "Sharing or asked to share sexual images",
        Weight::Medium,
    ),
    ind(
        "online.groomed_online",
        "online",
        "Contact online with unknown adults, or secretive about online contact",
        Weight::Medium,
    ),
    ind(
        "online.social_media_risk",
        "online",
        "Social media accounts or apps the family does not know of",
        Weight::Low,
    ),
    ind(
        "school.absence",
        "school",
        "Poor or declining school attendance",
        Weight::Low,
    ),
    ind(
        "school.excluded",
        "school",
        "Excluded or on a part-time timetable",
        Weight::Low,
    ),
    ind(
        "school.collected_by_adults",
        "school",
        "Collected from school by unknown adults",
        Weight::Medium,
    ),
    ind(
        "peers.exploited_peers",
        "peers",
        "Friends who are known to be sexually exploited",
        Weight::Medium,
    ),
    ind(
        "peers.gang_association",
        "peers",
        "Associates with gangs or adults involved in crime",
        Weight::Medium,
    ),
    ind(
        "peers.isolated_from_friends",
        "peers",
        "Withdrawn from usual friends",
        Weight::Low,
    ),
    ind(
        "wellbeing.unexplained_injuries",
        "wellbeing",
        "Unexplained injuries or marks",
        Weight::Medium,
    ),
    ind(
        "wellbeing.self_harm",
        "wellbeing",
        "Self-harm, thoughts of suicide or low mood",
        Weight::Low,
    ),
    ind(
        "wellbeing.changes_in_appearance",
        "wellbeing",
        "Sudden changes in appearance or behaviour",
        Weight::Low,
    ),
];

/// Days to the risk management group's review of a high-risk child: 4 weeks.
pub const HIGH_REVIEW_DAYS: u64 = 28;
/// Months to the review of a medium-risk child.
pub const MEDIUM_REVIEW_MONTHS: u32 = 3;
/// Present indicators of one weight that count as the next level up.
pub const ACCUMULATION: usize = 3;

/// The indicator with this code.
pub fn indicator(code: &str) -> Result<&'static Indicator, CseError> {
    INDICATORS
        .iter()
        .find(|i| i.code == code.trim())
        .ok_or_else(|| CseError::UnknownIndicator(code.trim().to_string()))
}

/// The heading of a domain.
pub fn domain_label(code: &str) -> &'static str {
    DOMAINS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Present,
    NotPresent,
    NotKnown,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Present, Answer::NotPresent, Answer::NotKnown];
    pub fn code(self) -> &'static str {
        match self {
            Answer::Present => "present",
            Answer::NotPresent => "not_present",
            Answer::NotKnown => "not_known",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Answer::Present => "Present",
            Answer::NotPresent => "Not present",
            Answer::NotKnown => "Not known",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, CseError> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == code.trim())
            .ok_or_else(|| CseError::UnknownAnswer(code.trim().to_string()))
    }
}

/// The CSE risk level, lowest first (so levels compare).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CseLevel {
    NoIdentifiedRisk,
    Low,
    Medium,
    High,
}

impl CseLevel {
    pub const ALL: [CseLevel; 4] = [
        CseLevel::NoIdentifiedRisk,
        CseLevel::Low,
        CseLevel::Medium,
        CseLevel::High,
    ];
    pub fn code(self) -> &'static str {
        match self {
            CseLevel::NoIdentifiedRisk => "no_identified_risk",
            CseLevel::Low => "low",
            CseLevel::Medium => "medium",
            CseLevel::High => "high",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CseLevel::NoIdentifiedRisk => "No identified risk",
            CseLevel::Low => "Low",
            CseLevel::Medium => "Medium",
            CseLevel::High => "High",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, CseError> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == code.trim())
            .ok_or_else(|| CseError::UnknownLevel(code.trim().to_string()))
    }
}

/// The level the present indicators give (see the module's rule).
pub fn level_from_indicators(present: &[Weight]) -> CseLevel {
    let count = |w: Weight| present.iter().filter(|p| **p == w).count();
    if count(Weight::High) > 0 || count(Weight::Medium) >= ACCUMULATION {
        CseLevel::High
    } else if count(Weight::Medium) > 0 || count(Weight::Low) >= ACCUMULATION {
        CseLevel::Medium
    } else if count(Weight::Low) > 0 {
        CseLevel::Low
    } else {
        CseLevel::NoIdentifiedRisk
    }
}

/// A professional judgement that would lower the level the indicators give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("Professional judgement can raise the level, never lower it: the indicators give {} risk.", .from_indicators.label().to_lowercase())]
pub struct JudgementLowers {
    pub from_indicators: CseLevel,
}

/// The level: the indicators' level, or the judgement when it is higher; a lower judgement is
/// refused.
pub fn level(
    from_indicators: CseLevel,
    judgement: Option<CseLevel>,
) -> Result<CseLevel, JudgementLowers> {
    match judgement {
        Some(judged) if judged < from_indicators => Err(JudgementLowers { from_indicators }),
        Some(judged) => Ok(judged),
        None => Ok(from_indicators),
    }
}

/// Whether the level puts the child on the risk management group's list and makes a signed-off
/// safety plan answering every identified indicator a requirement: medium and high.
pub fn requires_safety_plan(level: CseLevel) -> bool {
    level >= CseLevel::Medium
}

/// The risk management group's next review of a child screened on `on`: high risk in 4 weeks,
/// medium in 3 months; none below medium.
pub fn review_due(level: CseLevel, on: NaiveDate) -> Option<NaiveDate> {
    match level {
        CseLevel::High => on.checked_add_days(Days::new(HIGH_REVIEW_DAYS)),
        CseLevel::Medium => on.checked_add_months(Months::new(MEDIUM_REVIEW_MONTHS)),
        _ => None,
    }
}

/// The identified (present) indicators as concerns a safety plan must answer, in the tool's order.
pub fn identified_concerns<'a>(present: impl IntoIterator<Item = &'a str>) -> Vec<Concern> {
    let present: Vec<&str> = present.into_iter().collect();
    INDICATORS
        .iter()
        .filter(|i| present.contains(&i.code))
        .map(|i| Concern {
            code: i.code.to_string(),
            label: i.label.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weight::*;

    #[test]
    fn every_indicator_belongs_to_a_domain_and_codes_are_unique() {
        for i in INDICATORS {
            assert!(DOMAINS.iter().any(|(d, _)| *d == i.domain), "{}", i.code);
            assert!(i.code.starts_with(&format!("{}.", i.domain)), "{}", i.code);
            assert_eq!(INDICATORS.iter().filter(|j| j.code == i.code).count(), 1);
        }
        for (d, _) in DOMAINS {
            assert!(INDICATORS.iter().any(|i| i.domain == d), "{d}");
        }
    }

    #[test]
    fn the_level_rule() {
        assert_eq!(level_from_indicators(&[]), CseLevel::NoIdentifiedRisk);
        assert_eq!(level_from_indicators(&[Low, Low]), CseLevel::Low);
        assert_eq!(level_from_indicators(&[Low, Low, Low]), CseLevel::Medium);
        assert_eq!(level_from_indicators(&[Medium]), CseLevel::Medium);
        assert_eq!(
            level_from_indicators(&[Medium, Medium, Low]),
            CseLevel::Medium
        );
        assert_eq!(
            level_from_indicators(&[Medium, Medium, Medium]),
            CseLevel::High
        );
        assert_eq!(level_from_indicators(&[High]), CseLevel::High);
    }

    #[test]
    fn judgement_raises_and_never_lowers() {
        assert_eq!(
            level(CseLevel::Low, Some(CseLevel::High)),
            Ok(CseLevel::High)
        );
        assert_eq!(level(CseLevel::Medium, None), Ok(CseLevel::Medium));
        let refused = level(CseLevel::High, Some(CseLevel::Medium)).expect_err("lowers");
        assert_eq!(
            refused.to_string(),
            "Professional judgement can raise the level, never lower it: the indicators give high risk."
        );
    }

    #[test]
    fn review_dates_and_the_plan_requirement() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
        assert_eq!(
            review_due(CseLevel::High, d),
            NaiveDate::from_ymd_opt(2026, 4, 29)
        );
        assert_eq!(
            review_due(CseLevel::Medium, d),
            NaiveDate::from_ymd_opt(2026, 7, 1)
        );
        assert_eq!(review_due(CseLevel::Low, d), None);
        assert!(requires_safety_plan(CseLevel::Medium));
        assert!(!requires_safety_plan(CseLevel::Low));
    }

    #[test]
    fn identified_concerns_follow_the_tool_order() {
        let c = identified_concerns(["online.sexual_images", "going_missing.overnight"]);
        assert_eq!(c[0].code, "going_missing.overnight");
        assert_eq!(c[1].label, "Sharing or asked to share sexual images");
        assert!(indicator("nope").is_err());
    }
}
