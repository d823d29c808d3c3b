//! Workloads: each open episode weighs on its allocated worker by the stage the child's case
//! has reached, and a worker in their assessed and supported year in employment (ASYE) has a
//! protected caseload the authority sets.

use std::fmt;

/// What an open episode asks of its worker now, heaviest first: the stage decides its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStage {
    /// A child protection plan is open.
    ChildProtection,
    /// A section 47 enquiry is under way.
    Section47,
    /// A child and family assessment is under way.
    Assessment,
    /// Anything else open: child in need work.
    ChildInNeed,
}

impl CaseStage {
    pub const ALL: [CaseStage; 4] = [
        CaseStage::ChildProtection,
        CaseStage::Section47,
        CaseStage::Assessment,
        CaseStage::ChildInNeed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStage::ChildProtection => "child_protection",
            CaseStage::Section47 => "section_47",
            CaseStage::Assessment => "assessment",
            CaseStage::ChildInNeed => "child_in_need",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseStage> {
        CaseStage::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStage::ChildProtection => "Child protection plan",
            CaseStage::Section47 => "Section 47 enquiry",
            CaseStage::Assessment => "Assessment",
            CaseStage::ChildInNeed => "Child in need",
        }
    }

    fn index(self) -> usize {
        match self {
            CaseStage::ChildProtection => 0,
            CaseStage::Section47 => 1,
            CaseStage::Assessment => 2,
            CaseStage::ChildInNeed => 3,
        }
    }
}

/// A caseload weight in tenths, so that sums are exact ("1.5" is 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(into = "f64")]
pub struct Weight(u32);

impl Weight {
    pub const fn from_tenths(tenths: u32) -> Weight {
        Weight(tenths)
    }

    pub fn tenths(self) -> u32 {
        self.0
    }

    /// Reads a weight as typed: a number with at most one decimal place ("1", "1.5").
    pub fn parse(text: &str) -> Result<Weight, WorkloadRuleError> {
        let text = text.trim();
        let invalid = || WorkloadRuleError::NotAWeight(text.to_string());
        let (whole, tenth) = match text.split_once('.') {
            Some((whole, tenth)) if tenth.len() == 1 => (whole, tenth),
            Some(_) => return Err(invalid()),
            None => (text, "0"),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let whole: u32 = whole.parse().map_err(|_| invalid())?;
        let tenth: u32 = tenth.parse().map_err(|_| invalid())?;
        whole
            .checked_mul(10)
            .and_then(|w| w.checked_add(tenth))
            .map(Weight)
            .ok_or_else(invalid)
    }
}

impl std::ops::Add for Weight {
    type Output = Weight;
    fn add(self, other: Weight) -> Weight {
        Weight(self.0.saturating_add(other.0))
    }
}

impl From<Weight> for f64 {
    fn from(weight: Weight) -> f64 {
        f64::from(weight.0) / 10.0
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// A worker's open episodes counted by stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct StageCounts([u32; 4]);

impl StageCounts {
    pub fn add(&mut self, stage: CaseStage, count: u32) {
        self.0[stage.index()] += count;
    }

    pub fn of(&self, stage: CaseStage) -> u32 {
        self.0[stage.index()]
    }

    /// How many open episodes, whatever their stage.
    pub fn episodes(&self) -> u32 {
        self.0.iter().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkloadRuleError {
    #[error(
        "\"{0}\" is not a weight: enter a number with at most one decimal place, such as 1 or 1.5."
    )]
    NotAWeight(String),
    #[error("A weight must be between 0.1 and 10.")]
    WeightOutOfRange,
    #[error("The protected caseload must be between 1 and 100.")]
    CapOutOfRange,
}

/// The authority's weights per stage and the ASYE protected caseload, both in weighted units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WorkloadRules {
    weights: [Weight; 4],
    asye_cap: Weight,
}

impl Default for WorkloadRules {
    /// A child protection plan counts double and an enquiry one and a half; an ASYE worker
    /// carries at most 12 weighted cases (most authorities protect 10 to 15).
    fn default() -> Self {
        WorkloadRules {
            weights: [
                Weight::from_tenths(20),
                Weight::from_tenths(15),
                Weight::from_tenths(10),
                Weight::from_tenths(10),
            ],
            asye_cap: Weight::from_tenths(120),
        }
    }
}

impl WorkloadRules {
    /// Weights in [`CaseStage::ALL`] order.
    pub fn new(weights: [Weight; 4], asye_cap: Weight) -> Result<Self, WorkloadRuleError> {
        if weights.iter().any(|w| w.0 < 1 || w.0 > 100) {
            return Err(WorkloadRuleError::WeightOutOfRange);
        }
        if asye_cap.0 < 10 || asye_cap.0 > 1_000 {
            return Err(WorkloadRuleError::CapOutOfRange);
        }
        Ok(WorkloadRules { weights, asye_cap })
    }

    pub fn weight(&self, stage: CaseStage) -> Weight {
        self.weights[stage.index()]
    }

    pub fn asye_cap(&self) -> Weight {
        self.asye_cap
    }

    /// The weighted caseload of these open episodes.
    pub fn weighted(&self, counts: &StageCounts) -> Weight {
        CaseStage::ALL
            .into_iter()
            .fold(Weight::default(), |sum, stage| {
                sum + Weight(self.weight(stage).0.saturating_mul(counts.of(stage)))
            })
    }

    /// Whether allocating one more episode at `stage` takes an ASYE worker over the cap.
    pub fn allocation_exceeds_asye_cap(&self, current: &StageCounts, stage: CaseStage) -> bool {
        self.weighted(current) + self.weight(stage) > self.asye_cap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(CaseStage, u32)]) -> StageCounts {
        let mut counts = StageCounts::default();
        for (stage, n) in pairs {
            counts.add(*stage, *n);
        }
        counts
    }

    #[test]
    fn a_caseload_is_weighted_by_stage() {
        let rules = WorkloadRules::default();
        let c = counts(&[
            (CaseStage::ChildProtection, 3),
            (CaseStage::Section47, 1),
            (CaseStage::ChildInNeed, 4),
        ]);
        assert_eq!(c.episodes(), 8);
        // 3 × 2.0 + 1 × 1.5 + 4 × 1.0
        assert_eq!(rules.weighted(&c).to_string(), "11.5");
    }

    #[test]
    fn the_asye_cap_allows_reaching_it_but_not_passing_it() {
        let rules = WorkloadRules::default();
        let at_ten = counts(&[(CaseStage::ChildProtection, 5)]);
        assert!(!rules.allocation_exceeds_asye_cap(&at_ten, CaseStage::ChildProtection));
        let at_eleven = counts(&[(CaseStage::ChildProtection, 5), (CaseStage::ChildInNeed, 1)]);
        assert!(!rules.allocation_exceeds_asye_cap(&at_eleven, CaseStage::Assessment));
        assert!(rules.allocation_exceeds_asye_cap(&at_eleven, CaseStage::Section47));
    }

    #[test]
    fn weights_parse_as_typed_and_out_of_range_rules_are_refused() {
        assert_eq!(Weight::parse("1.5"), Ok(Weight::from_tenths(15)));
        assert_eq!(Weight::parse(" 2 "), Ok(Weight::from_tenths(20)));
        for bad in ["", "1.25", "-1", "one", ".5", "1.", "99999999999"] {
            assert!(Weight::parse(bad).is_err(), "{bad:?} parsed");
        }
        let w = Weight::from_tenths;
        assert_eq!(
            WorkloadRules::new([w(0), w(10), w(10), w(10)], w(120)),
            Err(WorkloadRuleError::WeightOutOfRange)
        );
        assert_eq!(
            WorkloadRules::new([w(10); 4], w(5)),
            Err(WorkloadRuleError::CapOutOfRange)
        );
        assert!(WorkloadRules::new([w(10); 4], w(150)).is_ok());
    }

    #[test]
    fn stages_round_trip_through_their_codes() {
        for stage in CaseStage::ALL {
            assert_eq!(CaseStage::from_code(stage.code()), Some(stage));
        }
        assert_eq!(CaseStage::from_code("looked_after"), None);
    }
}
