//! The DfE Children in Need census (2025–26 specification): which records a collection year
//! covers, the return itself (the shape of the XML's `Child` / `CINdetails` blocks), and the
//! DfE's validation rules ported so that errors and queries are listed, with the child, before
//! anything is submitted.
//!
//! Each rule keeps the DfE's code and message exactly as the DfE publishes them (the
//! `csc-validator-be-cin` package carries the same texts), so a worker can look a code up.
//! The file this module describes is also checked by that package in CI (see
//! `docs/decisions/0019-cin-census.md`).
//!
//! The census is a picture as at the reference date (31 March): anything recorded for a later
//! date (an episode closed in April, a plan that ended after the year) is reported as it stood
//! on 31 March, and modules finished before the year began (1 April) are left out.

use crate::calendar::WorkingDayCalendar;
use crate::ids::{EpisodeId, PersonId};
use crate::person::{BirthDate, Sex};
use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CensusError {
    #[error("Enter the collection year as the year it ends, for example 2026 for April 2025 to March 2026: '{0}' is not a year between 2013 and 2100.")]
    Year(String),
}

/// A census collection year, named by the year in which it ends: 2026 is 1 April 2025 to the
/// reference date, 31 March 2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct CensusYear(i32);

impl CensusYear {
    pub fn new(year: i32) -> Result<Self, CensusError> {
        if (2013..=2100).contains(&year) {
            Ok(Self(year))
        } else {
            Err(CensusError::Year(year.to_string()))
        }
    }
    pub fn parse(text: &str) -> Result<Self, CensusError> {
        text.trim()
            .parse::<i32>()
            .map_err(|_| CensusError::Year(text.trim().to_string()))
            .and_then(Self::new)
    }
    /// The latest year whose reference date has passed on `today`.
    pub fn latest_complete(today: NaiveDate) -> Self {
        let year = if (today.month(), today.day()) > (3, 31) {
            today.year()
        } else {
            today.year() - 1
        };
        Self(year.clamp(2013, 2100))
    }
    pub fn year(self) -> i32 {
        self.0
    }
    /// The reference date, 31 March of the year: the end of the collection period.
    pub fn reference_date(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 3, 31).unwrap_or(NaiveDate::MIN)
    }
    /// The first day of the collection period, 1 April of the year before.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 - 1, 4, 1).unwrap_or(NaiveDate::MIN)
    }
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.reference_date()
    }
    /// "2025 to 2026".
    pub fn label(self) -> String {
        format!("{} to {}", self.0 - 1, self.0)
    }
    /// The validator's name for this year's rule set, e.g. `cin2025_26`.
    pub fn ruleset(self) -> String {
        format!("cin{}_{:02}", self.0 - 1, self.0.rem_euclid(100))
    }
}

/// The DfE codes the census accepts (2025–26 code sets).
pub mod codes {
    pub const SEX: &[&str] = &["M", "F", "U"];
    pub const ETHNICITY: &[&str] = &[
        "ABAN", "AIND", "AOTH", "APKN", "BAFR", "BCRB", "BOTH", "CHNE", "MOTH", "MWAS", "MWBA",
        "MWBC", "NOBT", "OOTH", "REFU", "WBRI", "WIRI", "WIRT", "WOTH", "WROM",
    ];
    pub const DISABILITY: &[&str] = &[
        "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA",
    ];
    pub const REFERRAL_SOURCE: &[&str] = &[
        "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B",
        "5C", "5D", "6", "7", "8", "9", "10",
    ];
    pub const PRIMARY_NEED: &[&str] = &["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"];
    pub const CLOSURE_REASON: &[&str] = &[
        "RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9",
    ];
    pub const CATEGORY_OF_ABUSE: &[&str] = &["NEG", "PHY", "SAB", "EMO", "MUL"];
    pub const ASSESSMENT_FACTORS: &[&str] = &[
        "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C",
        "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A",
        "14A", "15A", "16A", "17A", "18A", "18B", "18C", "19A", "19B", "19C", "20", "21", "22A",
        "23A", "24A",
    ];
    /// Reasons a UPN is unknown that answer rule 8770Q (UN1, not of school age, does not).
    pub const UPN_UNKNOWN_FOR_SCHOOL_AGE: &[&str] = &["UN2", "UN3", "UN4", "UN5", "UN6", "UN7"];
    /// UPN characters 2–4: local authority numbers (post April 1998) and the DfE's pseudo LA
    /// numbers, as rule 1530 lists them.
    pub fn is_upn_la_number(n: u32) -> bool {
        matches!(n,
            1..=5 | 201..=213 | 301..=320 | 330..=336 | 340..=344 | 350..=359 | 370..=373
            | 380..=384 | 390..=394 | 420 | 660..=681 | 701..=708 | 800..=803 | 805..=808
            | 810..=813 | 815 | 816 | 820..=823 | 825 | 826 | 830 | 831 | 835..=841 | 845 | 846
            | 850..=852 | 855..=857 | 860 | 861 | 865..=896 | 908 | 909 | 916 | 919 | 921 | 925
            | 926 | 928 | 929 | 931 | 933 | 935..=938 | 940..=943)
    }
}

// ---------------------------------------------------------------------------------------------
// The return.

/// One assessment (`Assessments`). Factors are the codes identified at assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusAssessment {
    pub started_on: NaiveDate,
    pub authorised_on: Option<NaiveDate>,
    pub factors: Vec<String>,
}

/// One CIN plan (`CINPlanDates`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusCinPlan {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// One section 47 enquiry (`Section47`) with its initial conference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusSection47 {
    pub started_on: NaiveDate,
    pub icpc_target: Option<NaiveDate>,
    pub icpc_on: Option<NaiveDate>,
    /// The enquiry concluded that no initial conference was needed.
    pub icpc_not_required: bool,
    /// When the enquiry was completed (not in the return; used to decide what the year covers).
    #[serde(skip)]
    pub completed_on: Option<NaiveDate>,
}

/// One child protection plan (`ChildProtectionPlans`) with its review dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusPlan {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub initial_category: String,
    pub latest_category: String,
    /// Plans the child had before this one (worked out by [`CensusYear::cut`]).
    pub previous_plans: u32,
    pub reviews: Vec<NaiveDate>,
}

/// One episode of need (`CINdetails`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusEpisode {
    pub episode: EpisodeId,
    pub referral_date: NaiveDate,
    pub referral_source: String,
    pub primary_need: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    /// The referral led to no further action (worked out by [`CensusYear::cut`]: closed with no
    /// assessment, enquiry or plan).
    pub referral_nfa: bool,
    pub assessments: Vec<CensusAssessment>,
    pub cin_plans: Vec<CensusCinPlan>,
    pub section_47s: Vec<CensusSection47>,
    pub plans: Vec<CensusPlan>,
}

/// One child (`Child`): identifiers, characteristics and episodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusChild {
    pub person: PersonId,
    pub la_child_id: String,
    pub upn: Option<String>,
    pub upn_unknown: Option<String>,
    pub birth: Option<BirthDate>,
    /// M, F or U.
    pub sex: String,
    pub died_on: Option<NaiveDate>,
    pub ethnicity: String,
    pub disabilities: Vec<String>,
    pub episodes: Vec<CensusEpisode>,
}

impl CensusChild {
    pub fn birth_date(&self) -> Option<NaiveDate> {
        match self.birth {
            Some(BirthDate::Born(d)) => Some(d),
            _ => None,
        }
    }
    pub fn expected_birth_date(&self) -> Option<NaiveDate> {
        match self.birth {
            Some(BirthDate::Expected(d)) => Some(d),
            _ => None,
        }
    }
}

/// The census sex code: M, F, or U (not known, indeterminate, or unborn).
pub fn census_sex(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "M",
        Sex::Female => "F",
        Sex::Indeterminate | Sex::NotKnown => "U",
    }
}

/// Disability codes as recorded on a person ("NONE", or codes separated by commas or spaces).
pub fn disability_codes(recorded: &str) -> Vec<String> {
    recorded
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| s.to_ascii_uppercase())
        .collect()
}

/// The whole return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CinCensus {
    pub year: CensusYear,
    /// The authority's three-digit DfE LA number (`LEA`).
    pub la_number: String,
    pub children: Vec<CensusChild>,
}

impl CensusYear {
    /// What the year's return says of children as recorded: episodes open at any point of the
    /// year, each as it stood on the reference date, with the modules active in the year.
    /// Children with no such episode are left out.
    pub fn cut(self, children: Vec<CensusChild>) -> Vec<CensusChild> {
        let (start, end) = (self.start(), self.reference_date());
        let by_end = |d: Option<NaiveDate>| d.filter(|d| *d <= end);
        let active = |finished: Option<NaiveDate>| finished.is_none_or(|d| d >= start);
        children
            .into_iter()
            .filter_map(|mut child| {
                // Previous plans count every plan the child had started before, in any year.
                let mut plan_starts: Vec<NaiveDate> = child
                    .episodes
                    .iter()
                    .flat_map(|e| e.plans.iter().map(|p| p.started_on))
                    .collect();
                plan_starts.sort();
                child.died_on = by_end(child.died_on);
                child.episodes = child
                    .episodes
                    .into_iter()
                    .filter(|e| e.referral_date <= end)
                    .filter_map(|mut e| {
                        e.closed_on = by_end(e.closed_on);
                        if e.closed_on.is_none() {
                            e.closure_reason = None;
                        }
                        if !active(e.closed_on) {
                            return None;
                        }
                        let any_activity = e.assessments.iter().any(|a| a.started_on <= end)
                            || e.section_47s.iter().any(|s| s.started_on <= end)
                            || e.plans.iter().any(|p| p.started_on <= end)
                            || e.cin_plans.iter().any(|p| p.started_on <= end);
                        e.assessments = std::mem::take(&mut e.assessments)
                            .into_iter()
                            .filter(|a| a.started_on <= end)
                            .filter_map(|mut a| {
                                a.authorised_on = by_end(a.authorised_on);
                                if a.authorised_on.is_none() {
                                    a.factors.clear();
                                }
                                active(a.authorised_on).then_some(a)
                            })
                            .collect();
                        e.cin_plans = std::mem::take(&mut e.cin_plans)
                            .into_iter()
                            .filter(|p| p.started_on <= end)
                            .filter_map(|mut p| {
                                p.ended_on = by_end(p.ended_on);
                                active(p.ended_on).then_some(p)
                            })
                            .collect();
                        e.section_47s = std::mem::take(&mut e.section_47s)
                            .into_iter()
                            .filter(|s| s.started_on <= end)
                            .filter_map(|mut s| {
                                s.icpc_on = by_end(s.icpc_on);
                                s.completed_on = by_end(s.completed_on);
                                s.icpc_not_required &= s.completed_on.is_some();
                                let finished = s.icpc_on.or(if s.icpc_not_required {
                                    s.completed_on
                                } else {
                                    None
                                });
                                active(finished).then_some(s)
                            })
                            .collect();
                        e.plans = std::mem::take(&mut e.plans)
                            .into_iter()
                            .filter(|p| p.started_on <= end)
                            .filter_map(|mut p| {
                                p.ended_on = by_end(p.ended_on);
                                p.previous_plans =
                                    plan_starts.iter().filter(|d| **d < p.started_on).count()
                                        as u32;
                                p.reviews.retain(|r| self.contains(*r));
                                active(p.ended_on).then_some(p)
                            })
                            .collect();
                        e.referral_nfa = e.closed_on.is_some() && !any_activity;
                        Some(e)
                    })
                    .collect();
                child.episodes.sort_by_key(|e| e.referral_date);
                (!child.episodes.is_empty()).then_some(child)
            })
            .collect()
    }
}

mod rules;
pub use rules::*;

#[cfg(test)]
mod tests;
