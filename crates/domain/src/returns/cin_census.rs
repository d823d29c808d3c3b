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

// ---------------------------------------------------------------------------------------------
// The DfE's validation rules.

/// An error stops the return being accepted; a query must be answered (amended, or explained
/// to the DfE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    Error,
    Query,
}

impl IssueKind {
    pub fn label(self) -> &'static str {
        match self {
            IssueKind::Error => "Error",
            IssueKind::Query => "Query",
        }
    }
}

/// A DfE validation rule: its code and message exactly as the DfE publishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CensusRule {
    pub code: &'static str,
    pub kind: IssueKind,
    pub message: &'static str,
}

const fn error(code: &'static str, message: &'static str) -> CensusRule {
    CensusRule {
        code,
        kind: IssueKind::Error,
        message,
    }
}
const fn query(code: &'static str, message: &'static str) -> CensusRule {
    CensusRule {
        code,
        kind: IssueKind::Query,
        message,
    }
}

/// Every rule ported here (the DfE's 2025–26 rule set has about 110; those left out need data
/// this system does not hold, such as a former UPN, or concern the file's header).
pub const RULES: &[CensusRule] = &[
    error("8500", "LA Child ID missing"),
    error("1570", "LA Child ID must not be longer than 20 characters"),
    error("1580", "LA Child ID must not contain any non-alphanumeric characters"),
    error("8510", "More than one child record with the same LA Child ID"),
    error("1510", "UPN invalid (wrong check letter at character 1)"),
    error("1530", "UPN invalid (characters 2-4 not a recognised LA code)"),
    error("1540", "UPN invalid (characters 5-12 not all numeric)"),
    error("1550", "UPN invalid (character 13 not a recognised value)"),
    error("1520", "More than one record with the same UPN."),
    query("8770Q", "Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is UN1 for a child who is of school age."),
    error("4180", "Sex must be provided and equal M, F, or U"),
    error("8750", "Sex must equal U for an unborn child"),
    query("8525Q", "Either Date of Birth or Expected Date of Birth must be provided (but not both)"),
    error("8520", "Date of Birth is after data collection period (must be on or before the end of the census period)"),
    query("8530Q", "Please check and either amend data or provide a reason: Expected Date of Birth is outside the expected range for this census (March to December of the Census Year end)"),
    query("8775Q", "Please check and either amend data or provide a reason: Child is over 25 years old"),
    error("4220", "Ethnicity is missing or invalid (see Ethnicity table)"),
    error("8540", "Child’s disability is missing or invalid (see Disability table)"),
    error("8790", "Disability information includes both None and other values"),
    error("8794", "Child has two or more disabilities with the same code"),
    error("8590", "Child does not have a recorded CIN episode."),
    error("8600", "Child referral date missing or after data collection period"),
    error("8866", "Source of Referral is missing or an invalid code"),
    error("8650", "Primary Need Code invalid (see Primary Need table in CIN census code set)"),
    error("8610", "Primary Need code is missing for a referral which led to further action."),
    error("8640", "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)"),
    error("8805", "A CIN case cannot have a CIN closure date without a Reason for Closure"),
    error("8810", "A CIN case cannot have a Reason for Closure without a CIN Closure Date"),
    error("8620", "CIN Closure Date present and does not fall within the Census year"),
    error("8630", "CIN Closure Date is before CIN Referral Date for the same CIN episode"),
    query("8569Q", "A case with referral date before one working day prior to the collection start date must not be flagged as a no further action case"),
    error("8831", "Activity is recorded against a case marked as a referral with no further action"),
    error("8832", "Child Protection details provided for a referral with no further action."),
    error("4000", "CIN Plan details provided for a referral with no further action"),
    query("8825Q", "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is no assessment present for the episode."),
    error("2990", "Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or 'case closed after assessment, referred to early help'."),
    error("8565", "Activity shown after a case has been closed"),
    error("8867", "CIN episode is shown as closed, however Assessment is not shown as completed"),
    error("8868", "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC not required flag"),
    error("8815", "More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this child and case is not a referral with no further action."),
    error("8816", "An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode."),
    error("8820", "The dates on the CIN episodes for this child overlap"),
    error("1103", "The assessment start date cannot be before the referral date"),
    error("8608", "Assessment Start Date cannot be later than its End Date"),
    error("8696", "Assessment end date must fall within the census year"),
    error("8736", "For an Assessment that has not been completed, the start date must fall within the census year"),
    error("8896", "Within one CINDetails group there are 2 or more open Assessments groups"),
    query("8863Q", "An Assessment is shown as starting when there is another Assessment ongoing."),
    query("8670Q", "Please check and either amend data or provide a reason: Assessment started more than 45 working days before the end of the census year. However, there is no Assessment end date."),
    query("8897Q", "Parental or child factors at assessment information is missing from a completed assessment"),
    error("8614", "Parental or child factors at assessment should only be present for a completed assessment."),
    error("8869", "The assessment factors code “21” cannot be used in conjunction with any other assessment factors."),
    error("8898", " The assessment has more than one parental or child factors with the same code"),
    error("4010", "CIN Plan start date is missing or out of data collection period"),
    error("4011", "CIN Plan End Date earlier than Start Date"),
    error("4013", "CIN Plan end date must fall within the census year"),
    error("4015", "The CIN Plan start date cannot be before the referral date"),
    error("2889", "The S47 start date cannot be before the referral date."),
    error("8615", "Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference"),
    error("8715", "Date of Initial Child Protection Conference must fall within the census year"),
    error("1104", "The date of the initial child protection conference cannot be before the referral date"),
    error("8740", "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the census year, the start date must fall within the census year"),
    query("8675Q", "Please check and either amend data or provide a reason: S47 Enquiry started more than 15 working days before the end of the census year. However, there is no date of Initial Child Protection Conference."),
    error("8839", "Within one CINDetails group there are 2 or more open S47 Assessments"),
    error("8890", "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing"),
    error("8875", "The Date of Initial Child Protection Conference cannot be a weekend"),
    query("8870Q", "Please check and either amend or provide a reason: The Target Date for Initial Child Protection Conference should not be a weekend"),
    error("1105", "The child protection plan start date cannot be before the referral date"),
    error("8720", "Child Protection Plan Start Date missing or out of data collection period"),
    error("8925", "Child Protection Plan End Date earlier than Start Date"),
    error("8840", "Child Protection Plan cannot start and end on the same day"),
    error("8930", "Child Protection Plan End Date must fall within the census year"),
    error("8935", "This child is showing more than one open Child Protection plan, i.e. with no End Date"),
    error("8940", "Child Protection Plan data contains overlapping dates"),
    error("8905", "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)"),
    error("8910", "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)"),
    error("8841", "The review date cannot be on the same day or before the Child protection Plan start date."),
    error("2885", "Child protection plan shown as starting a different day to the initial child protection conference."),
    error("2883", "There are more child protection plans starting than initial conferences taking place"),
    query("2886Q", "Please check and either amend or provide a reason: Percentage of children with no sex recorded is more than 2% (excluding unborns)"),
    query("2887Q", "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return"),
    query("2888Q", "Please check and either amend or provide a reason: Only one disability code is recorded per child and multiple disabilities should be recorded where possible."),
];

/// The rule with this code (one of [`RULES`]).
pub fn rule(code: &str) -> Option<&'static CensusRule> {
    RULES.iter().find(|r| r.code == code)
}

/// The child an issue is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueChild {
    pub person: PersonId,
    pub la_child_id: String,
}

/// A rule broken: by one child (with what, in our words), or by the return as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusIssue {
    pub code: &'static str,
    pub kind: IssueKind,
    pub message: &'static str,
    pub child: Option<IssueChild>,
    pub detail: String,
}

struct Checker<'a> {
    year: CensusYear,
    calendar: &'a WorkingDayCalendar,
    issues: Vec<CensusIssue>,
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Checker<'_> {
    fn push(&mut self, code: &'static str, child: Option<&CensusChild>, detail: String) {
        let Some(rule) = rule(code) else { return };
        self.issues.push(CensusIssue {
            code: rule.code,
            kind: rule.kind,
            message: rule.message,
            child: child.map(|c| IssueChild {
                person: c.person,
                la_child_id: c.la_child_id.clone(),
            }),
            detail,
        });
    }

    /// `n` working days before `date` (the DfE counts the reference date as the first).
    fn working_days_before(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        for _ in 1..n {
            d = self.calendar.previous_working_day(d);
        }
        d
    }

    fn child(&mut self, c: &CensusChild) {
        let end = self.year.reference_date();
        let id = c.la_child_id.as_str();
        if id.trim().is_empty() {
            self.push("8500", Some(c), "The child has no LA child ID.".into());
        }
        if id.chars().count() > 20 {
            self.push(
                "1570",
                Some(c),
                format!("LA child ID '{id}' is longer than 20 characters."),
            );
        }
        if !id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            self.push(
                "1580",
                Some(c),
                format!("LA child ID '{id}' has characters other than letters and digits."),
            );
        }
        if let Some(upn) = &c.upn {
            self.upn(c, upn);
        }
        if !codes::SEX.contains(&c.sex.as_str()) {
            self.push(
                "4180",
                Some(c),
                format!("Sex '{}' is not M, F or U.", c.sex),
            );
        }
        match c.birth {
            None => self.push(
                "8525Q",
                Some(c),
                "Neither a date of birth nor an expected date of birth is recorded.".into(),
            ),
            Some(BirthDate::Expected(expected)) => {
                if c.sex != "U" {
                    self.push(
                        "8750",
                        Some(c),
                        format!(
                            "The child is unborn (expected {}) but sex is '{}'.",
                            day(expected),
                            c.sex
                        ),
                    );
                }
                let earliest = end - chrono::Duration::days(30);
                let latest = end.checked_add_months(Months::new(9)).unwrap_or(end);
                if expected < earliest || expected > latest {
                    self.push(
                        "8530Q",
                        Some(c),
                        format!(
                            "Expected date of birth {} is outside {} to {}.",
                            day(expected),
                            day(earliest),
                            day(latest)
                        ),
                    );
                }
            }
            Some(BirthDate::Born(born)) => {
                if born > end {
                    self.push(
                        "8520",
                        Some(c),
                        format!(
                            "Date of birth {} is after the reference date {}.",
                            day(born),
                            day(end)
                        ),
                    );
                }
            }
        }
        if !codes::ETHNICITY.contains(&c.ethnicity.as_str()) {
            self.push(
                "4220",
                Some(c),
                format!("Ethnicity '{}' is missing or not a DfE code.", c.ethnicity),
            );
        }
        let further_action = c.episodes.iter().any(|e| !e.referral_nfa);
        if c.birth_date().is_some() && further_action {
            let invalid: Vec<&str> = c
                .disabilities
                .iter()
                .map(String::as_str)
                .filter(|d| !codes::DISABILITY.contains(d))
                .collect();
            if c.disabilities.is_empty() {
                self.push(
                    "8540",
                    Some(c),
                    "No disability is recorded (record NONE when the child has none).".into(),
                );
            } else if !invalid.is_empty() {
                self.push(
                    "8540",
                    Some(c),
                    format!("Disability '{}' is not a DfE code.", invalid.join(", ")),
                );
            }
        }
        if c.disabilities.iter().any(|d| d == "NONE") && c.disabilities.iter().any(|d| d != "NONE")
        {
            self.push(
                "8790",
                Some(c),
                format!("Disabilities recorded as {}.", c.disabilities.join(", ")),
            );
        }
        let distinct: BTreeSet<&String> = c.disabilities.iter().collect();
        if distinct.len() < c.disabilities.len() {
            self.push(
                "8794",
                Some(c),
                format!("Disabilities recorded as {}.", c.disabilities.join(", ")),
            );
        }
        // School age: born on or before 31 August six years before the year's 31 August.
        let school_cut_off = end
            .checked_add_months(Months::new(4))
            .map(|d| d + chrono::Duration::days(31))
            .and_then(|d| d.checked_sub_months(Months::new(72)));
        if let (Some(born), Some(cut_off)) = (c.birth_date(), school_cut_off) {
            let reason_given = c.upn_unknown.as_deref().is_some_and(|r| {
                codes::UPN_UNKNOWN_FOR_SCHOOL_AGE.contains(&r.to_ascii_uppercase().as_str())
            });
            if further_action && born <= cut_off && c.upn.is_none() && !reason_given {
                self.push(
                    "8770Q",
                    Some(c),
                    "The child is of school age and has no UPN, nor a reason it is unknown.".into(),
                );
            }
            if let Some(twenty_five) = born.checked_add_months(Months::new(300)) {
                if twenty_five < end
                    && c.episodes
                        .iter()
                        .any(|e| e.closed_on.is_none_or(|d| d > twenty_five))
                {
                    self.push(
                        "8775Q",
                        Some(c),
                        format!("Born {}: over 25 years old.", day(born)),
                    );
                }
            }
        }
        if c.episodes.is_empty() {
            self.push(
                "8590",
                Some(c),
                "The child has no episode in the year.".into(),
            );
        }
        for e in &c.episodes {
            self.episode(c, e);
        }
        self.episodes_together(c);
        self.plans_together(c);
    }

    fn upn(&mut self, c: &CensusChild, upn: &str) {
        let b = upn.as_bytes();
        if b.len() != 13 {
            self.push(
                "1510",
                Some(c),
                format!("UPN '{upn}' is not 13 characters."),
            );
            return;
        }
        const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
        let mut sum = 0usize;
        for (i, ch) in b[1..].iter().enumerate() {
            let value = if ch.is_ascii_digit() {
                usize::from(ch - b'0')
            } else {
                LETTERS.iter().position(|l| l == ch).unwrap_or(0)
            };
            sum += value * (i + 2);
        }
        if LETTERS[sum % 23] != b[0] {
            self.push(
                "1510",
                Some(c),
                format!("UPN '{upn}' has the wrong check letter."),
            );
        }
        let la = std::str::from_utf8(&b[1..4])
            .ok()
            .and_then(|s| s.parse::<u32>().ok());
        if !la.is_some_and(codes::is_upn_la_number) {
            self.push(
                "1530",
                Some(c),
                format!("UPN '{upn}': characters 2–4 are not a DfE LA number."),
            );
        }
        if !b[4..12].iter().all(u8::is_ascii_digit) {
            self.push(
                "1540",
                Some(c),
                format!("UPN '{upn}': characters 5–12 are not all digits."),
            );
        }
        if !(b[12].is_ascii_digit() || LETTERS.contains(&b[12])) {
            self.push(
                "1550",
                Some(c),
                format!("UPN '{upn}': character 13 is not a digit or an allowed letter."),
            );
        }
    }

    fn episode(&mut self, c: &CensusChild, e: &CensusEpisode) {
        let (start, end) = (self.year.start(), self.year.reference_date());
        let referred = e.referral_date;
        let on = format!("Episode referred {}", day(referred));
        if referred > end {
            self.push("8600", Some(c), format!("{on}: after the reference date."));
        }
        let since_2013 = NaiveDate::from_ymd_opt(2013, 4, 1).unwrap_or(NaiveDate::MIN);
        if referred >= since_2013 && !codes::REFERRAL_SOURCE.contains(&e.referral_source.as_str()) {
            self.push(
                "8866",
                Some(c),
                format!(
                    "{on}: referral source '{}' is not a DfE code.",
                    e.referral_source
                ),
            );
        }
        match &e.primary_need {
            Some(need) if !codes::PRIMARY_NEED.contains(&need.as_str()) => {
                self.push(
                    "8650",
                    Some(c),
                    format!("{on}: primary need '{need}' is not N0 to N9."),
                );
            }
            None if !e.referral_nfa => {
                self.push(
                    "8610",
                    Some(c),
                    format!("{on}: no primary need is recorded."),
                );
            }
            _ => {}
        }
        if let Some(reason) = &e.closure_reason {
            if !codes::CLOSURE_REASON.contains(&reason.as_str()) {
                self.push(
                    "8640",
                    Some(c),
                    format!("{on}: closure reason '{reason}' is not RC1 to RC9."),
                );
            }
        }
        match (e.closed_on, &e.closure_reason) {
            (Some(closed), None) => self.push(
                "8805",
                Some(c),
                format!("{on}: closed {} with no reason.", day(closed)),
            ),
            (None, Some(reason)) => self.push(
                "8810",
                Some(c),
                format!("{on}: reason {reason} but no closure date."),
            ),
            _ => {}
        }
        if let Some(closed) = e.closed_on {
            if !self.year.contains(closed) {
                self.push(
                    "8620",
                    Some(c),
                    format!("{on}: closed {}, outside the census year.", day(closed)),
                );
            }
            if closed < referred {
                self.push(
                    "8630",
                    Some(c),
                    format!("{on}: closed {}, before the referral.", day(closed)),
                );
            }
            let activity = e
                .assessments
                .iter()
                .flat_map(|a| [Some(a.started_on), a.authorised_on])
                .chain(
                    e.section_47s
                        .iter()
                        .flat_map(|s| [Some(s.started_on), s.icpc_on]),
                )
                .chain(e.plans.iter().map(|p| p.ended_on))
                .chain(
                    e.cin_plans
                        .iter()
                        .flat_map(|p| [Some(p.started_on), p.ended_on]),
                )
                .flatten()
                .filter(|d| *d > closed)
                .max();
            if let Some(after) = activity {
                self.push(
                    "8565",
                    Some(c),
                    format!(
                        "{on}: closed {} but has activity dated {}.",
                        day(closed),
                        day(after)
                    ),
                );
            }
            if e.assessments.iter().any(|a| a.authorised_on.is_none()) {
                self.push(
                    "8867",
                    Some(c),
                    format!(
                        "{on}: closed {} with an assessment not completed.",
                        day(closed)
                    ),
                );
            }
            if e.section_47s
                .iter()
                .any(|s| s.icpc_on.is_none() && !s.icpc_not_required)
            {
                self.push("8868", Some(c), format!("{on}: closed {} with a section 47 enquiry neither at conference nor concluded without one.", day(closed)));
            }
        }
        let previous_working_day = self.calendar.previous_working_day(start);
        if e.referral_nfa && referred < previous_working_day {
            self.push(
                "8569Q",
                Some(c),
                format!("{on}: no further action, referred before the year."),
            );
        }
        if e.referral_nfa {
            if !e.assessments.is_empty() || !e.section_47s.is_empty() {
                self.push(
                    "8831",
                    Some(c),
                    format!("{on}: no further action, but has an assessment or enquiry."),
                );
            }
            if !e.plans.is_empty() {
                self.push(
                    "8832",
                    Some(c),
                    format!("{on}: no further action, but has a child protection plan."),
                );
            }
            if !e.cin_plans.is_empty() {
                self.push(
                    "4000",
                    Some(c),
                    format!("{on}: no further action, but has a CIN plan."),
                );
            }
        }
        if matches!(e.closure_reason.as_deref(), Some("RC8" | "RC9")) {
            if e.assessments.is_empty() {
                self.push(
                    "8825Q",
                    Some(c),
                    format!("{on}: closed after assessment, but no assessment is in the return."),
                );
            }
            if !e.section_47s.is_empty() || !e.plans.is_empty() || !e.cin_plans.is_empty() {
                self.push(
                    "2990",
                    Some(c),
                    format!("{on}: closed after assessment, but has an enquiry or plan."),
                );
            }
        }
        self.assessments(c, e, &on);
        self.cin_plans(c, e, &on);
        self.section_47s(c, e, &on);
        for p in &e.plans {
            let at = format!("{on}: child protection plan started {}", day(p.started_on));
            if p.started_on < referred {
                self.push("1105", Some(c), format!("{at}, before the referral."));
            }
            if p.started_on > end {
                self.push("8720", Some(c), format!("{at}, after the reference date."));
            }
            if let Some(ended) = p.ended_on {
                if ended < p.started_on {
                    self.push(
                        "8925",
                        Some(c),
                        format!("{at} ended {}, before it started.", day(ended)),
                    );
                }
                if ended == p.started_on {
                    self.push("8840", Some(c), format!("{at} ended the same day."));
                }
                if !self.year.contains(ended) {
                    self.push(
                        "8930",
                        Some(c),
                        format!("{at} ended {}, outside the census year.", day(ended)),
                    );
                }
            }
            if !codes::CATEGORY_OF_ABUSE.contains(&p.initial_category.as_str()) {
                self.push(
                    "8905",
                    Some(c),
                    format!(
                        "{at}: initial category '{}' is not a DfE code.",
                        p.initial_category
                    ),
                );
            }
            if !codes::CATEGORY_OF_ABUSE.contains(&p.latest_category.as_str()) {
                self.push(
                    "8910",
                    Some(c),
                    format!(
                        "{at}: latest category '{}' is not a DfE code.",
                        p.latest_category
                    ),
                );
            }
            if let Some(review) = p.reviews.iter().find(|r| **r <= p.started_on) {
                self.push(
                    "8841",
                    Some(c),
                    format!("{at}: reviewed {}, not after it started.", day(*review)),
                );
            }
            if self.year.contains(p.started_on) {
                let matched = if e.section_47s.is_empty() {
                    false
                } else {
                    e.section_47s
                        .iter()
                        .any(|s| s.icpc_on == Some(p.started_on))
                };
                if !matched {
                    self.push(
                        "2885",
                        Some(c),
                        format!("{at}: no initial conference of the episode was held that day."),
                    );
                }
            }
        }
    }

    fn assessments(&mut self, c: &CensusChild, e: &CensusEpisode, on: &str) {
        let end = self.year.reference_date();
        let oldest_open = self.working_days_before(end, 45);
        for (i, a) in e.assessments.iter().enumerate() {
            let at = format!("{on}: assessment started {}", day(a.started_on));
            if a.started_on < e.referral_date {
                self.push("1103", Some(c), format!("{at}, before the referral."));
            }
            match a.authorised_on {
                Some(done) => {
                    if done < a.started_on {
                        self.push(
                            "8608",
                            Some(c),
                            format!("{at}, authorised {}, before it started.", day(done)),
                        );
                    }
                    if !self.year.contains(done) {
                        self.push(
                            "8696",
                            Some(c),
                            format!("{at}, authorised {}, outside the census year.", day(done)),
                        );
                    }
                    let valid = a
                        .factors
                        .iter()
                        .any(|f| codes::ASSESSMENT_FACTORS.contains(&f.as_str()));
                    if done >= self.year.start() && !valid {
                        self.push(
                            "8897Q",
                            Some(c),
                            format!(
                                "{at}, completed {}, with no factors identified at assessment.",
                                day(done)
                            ),
                        );
                    }
                }
                None => {
                    if !self.year.contains(a.started_on) {
                        self.push(
                            "8736",
                            Some(c),
                            format!("{at}, not completed, and started outside the census year."),
                        );
                    }
                    if a.started_on < oldest_open {
                        self.push("8670Q", Some(c), format!("{at}, more than 45 working days before the reference date, and not completed."));
                    }
                    if !a.factors.is_empty() {
                        self.push(
                            "8614",
                            Some(c),
                            format!("{at}: factors recorded before it was completed."),
                        );
                    }
                }
            }
            if a.factors.iter().any(|f| f == "21") && a.factors.len() > 1 {
                self.push(
                    "8869",
                    Some(c),
                    format!("{at}: factor 21 (no factors) with others."),
                );
            }
            let distinct: BTreeSet<&String> = a.factors.iter().collect();
            if distinct.len() < a.factors.len() {
                self.push(
                    "8898",
                    Some(c),
                    format!("{at}: a factor is recorded twice."),
                );
            }
            let overlapped = e.assessments.iter().enumerate().any(|(j, other)| {
                j != i
                    && other.started_on <= a.started_on
                    && a.started_on <= other.authorised_on.unwrap_or(end)
                    && (other.started_on, j) < (a.started_on, i)
            });
            if overlapped {
                self.push(
                    "8863Q",
                    Some(c),
                    format!("{at}, while another assessment was ongoing."),
                );
            }
        }
        if e.assessments
            .iter()
            .filter(|a| a.authorised_on.is_none())
            .count()
            > 1
        {
            self.push(
                "8896",
                Some(c),
                format!("{on}: more than one assessment not completed."),
            );
        }
    }

    fn cin_plans(&mut self, c: &CensusChild, e: &CensusEpisode, on: &str) {
        let end = self.year.reference_date();
        for p in &e.cin_plans {
            let at = format!("{on}: CIN plan started {}", day(p.started_on));
            if p.started_on > end {
                self.push("4010", Some(c), format!("{at}, after the reference date."));
            }
            if p.started_on < e.referral_date {
                self.push("4015", Some(c), format!("{at}, before the referral."));
            }
            if let Some(ended) = p.ended_on {
                if ended < p.started_on {
                    self.push(
                        "4011",
                        Some(c),
                        format!("{at} ended {}, before it started.", day(ended)),
                    );
                }
                if !self.year.contains(ended) {
                    self.push(
                        "4013",
                        Some(c),
                        format!("{at} ended {}, outside the census year.", day(ended)),
                    );
                }
            }
        }
    }

    fn section_47s(&mut self, c: &CensusChild, e: &CensusEpisode, on: &str) {
        let end = self.year.reference_date();
        let oldest_open = self.working_days_before(end, 15);
        let open = |s: &CensusSection47| s.icpc_on.is_none() && !s.icpc_not_required;
        for (i, s) in e.section_47s.iter().enumerate() {
            let at = format!("{on}: section 47 enquiry started {}", day(s.started_on));
            if s.started_on < e.referral_date {
                self.push("2889", Some(c), format!("{at}, before the referral."));
            }
            if let Some(icpc) = s.icpc_on {
                if s.started_on > icpc {
                    self.push(
                        "8615",
                        Some(c),
                        format!("{at}, after its initial conference on {}.", day(icpc)),
                    );
                }
                if !self.year.contains(icpc) {
                    self.push(
                        "8715",
                        Some(c),
                        format!(
                            "{at}: initial conference {} outside the census year.",
                            day(icpc)
                        ),
                    );
                }
                if icpc < e.referral_date {
                    self.push(
                        "1104",
                        Some(c),
                        format!(
                            "{at}: initial conference {} before the referral.",
                            day(icpc)
                        ),
                    );
                }
                if is_weekend(icpc) {
                    self.push(
                        "8875",
                        Some(c),
                        format!("{at}: initial conference on a {}.", icpc.format("%A")),
                    );
                }
            }
            if let Some(target) = s.icpc_target {
                if is_weekend(target) {
                    self.push(
                        "8870Q",
                        Some(c),
                        format!("{at}: conference due on a {}.", target.format("%A")),
                    );
                }
            }
            if open(s) {
                if !self.year.contains(s.started_on) {
                    self.push(
                        "8740",
                        Some(c),
                        format!(
                            "{at}, no initial conference yet, and started outside the census year."
                        ),
                    );
                }
                if s.started_on < oldest_open {
                    self.push("8675Q", Some(c), format!("{at}, more than 15 working days before the reference date, with no initial conference."));
                }
            }
            let overlapped = e.section_47s.iter().enumerate().any(|(j, other)| {
                let other_end = match (other.icpc_on, open(other)) {
                    (Some(d), _) => Some(d),
                    (None, true) => Some(end),
                    (None, false) => None,
                };
                j != i
                    && other_end.is_some_and(|until| {
                        other.started_on <= s.started_on && s.started_on <= until
                    })
                    && (other.started_on, j) < (s.started_on, i)
            });
            if overlapped {
                self.push(
                    "8890",
                    Some(c),
                    format!("{at}, while another enquiry was ongoing."),
                );
            }
        }
        if e.section_47s.iter().filter(|s| open(s)).count() > 1 {
            self.push(
                "8839",
                Some(c),
                format!("{on}: more than one section 47 enquiry without an initial conference."),
            );
        }
    }

    fn episodes_together(&mut self, c: &CensusChild) {
        let end = self.year.reference_date();
        let open: Vec<&CensusEpisode> = c
            .episodes
            .iter()
            .filter(|e| e.closed_on.is_none() && !e.referral_nfa)
            .collect();
        if open.len() > 1 {
            self.push(
                "8815",
                Some(c),
                format!("{} episodes are open.", open.len()),
            );
        }
        let latest = c.episodes.iter().map(|e| e.referral_date).max();
        for e in &open {
            if Some(e.referral_date) != latest {
                self.push(
                    "8816",
                    Some(c),
                    format!(
                        "Episode referred {} is open but a later referral follows.",
                        day(e.referral_date)
                    ),
                );
            }
        }
        for (i, e) in c.episodes.iter().enumerate() {
            let overlaps = c.episodes.iter().enumerate().any(|(j, other)| {
                j != i
                    && e.referral_date >= other.referral_date
                    && match other.closed_on {
                        Some(closed) => e.referral_date < closed,
                        None => !other.referral_nfa && e.referral_date < end,
                    }
            });
            if overlaps {
                self.push(
                    "8820",
                    Some(c),
                    format!(
                        "Episode referred {} starts while another episode is open.",
                        day(e.referral_date)
                    ),
                );
            }
        }
    }

    fn plans_together(&mut self, c: &CensusChild) {
        let end = self.year.reference_date();
        let plans: Vec<&CensusPlan> = c.episodes.iter().flat_map(|e| e.plans.iter()).collect();
        if plans.iter().filter(|p| p.ended_on.is_none()).count() > 1 {
            self.push(
                "8935",
                Some(c),
                "More than one child protection plan is open.".into(),
            );
        }
        for (i, p) in plans.iter().enumerate() {
            let overlaps = plans.iter().enumerate().any(|(j, other)| {
                j != i
                    && other.started_on <= p.started_on
                    && p.started_on <= other.ended_on.unwrap_or(end)
                    && (other.started_on, j) < (p.started_on, i)
            });
            if overlaps {
                self.push(
                    "8940",
                    Some(c),
                    format!("Plan started {} overlaps another plan.", day(p.started_on)),
                );
            }
        }
    }

    fn whole_return(&mut self, children: &[CensusChild]) {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut upns: HashMap<&str, u32> = HashMap::new();
        for c in children {
            *ids.entry(c.la_child_id.as_str()).or_default() += 1;
            if let Some(upn) = &c.upn {
                *upns.entry(upn.as_str()).or_default() += 1;
            }
        }
        for c in children {
            if ids.get(c.la_child_id.as_str()).is_some_and(|n| *n > 1) {
                self.push(
                    "8510",
                    Some(c),
                    format!("LA child ID '{}' is used by another child.", c.la_child_id),
                );
            }
            if let Some(upn) = &c.upn {
                if upns.get(upn.as_str()).is_some_and(|n| *n > 1) {
                    self.push(
                        "1520",
                        Some(c),
                        format!("UPN '{upn}' is recorded for another child."),
                    );
                }
            }
        }
        let in_year = |d: &NaiveDate| self.year.contains(*d);
        let plans_started = children
            .iter()
            .flat_map(|c| c.episodes.iter().flat_map(|e| e.plans.iter()))
            .filter(|p| in_year(&p.started_on))
            .count();
        let conferences = children
            .iter()
            .flat_map(|c| c.episodes.iter().flat_map(|e| e.section_47s.iter()))
            .filter_map(|s| s.icpc_on)
            .filter(in_year)
            .count();
        if plans_started > conferences {
            self.push("2883", None, format!("{plans_started} plans started in the year, after {conferences} initial conferences."));
        }
        let born: Vec<&CensusChild> = children
            .iter()
            .filter(|c| c.expected_birth_date().is_none())
            .collect();
        let unknown = born.iter().filter(|c| c.sex == "U").count();
        if !children.is_empty() && unknown * 50 > children.len() {
            self.push(
                "2886Q",
                None,
                format!("{unknown} of {} children have sex U.", children.len()),
            );
        }
        let disabled: Vec<&CensusChild> = children
            .iter()
            .filter(|c| c.disabilities.iter().any(|d| d != "NONE"))
            .collect();
        let codes_used: BTreeSet<&String> = disabled
            .iter()
            .flat_map(|c| c.disabilities.iter())
            .filter(|d| *d != "NONE")
            .collect();
        if codes_used.len() <= 7 {
            self.push(
                "2887Q",
                None,
                format!("Disability codes in use: {}.", codes_used.len()),
            );
        }
        if !disabled.iter().any(|c| c.disabilities.len() > 1) {
            self.push(
                "2888Q",
                None,
                format!(
                    "None of the {} disabled children has more than one disability recorded.",
                    disabled.len()
                ),
            );
        }
    }
}

/// Runs every ported rule over the return: errors and queries, children's in order.
pub fn check(census: &CinCensus, calendar: &WorkingDayCalendar) -> Vec<CensusIssue> {
    let mut checker = Checker {
        year: census.year,
        calendar,
        issues: Vec::new(),
    };
    for child in &census.children {
        checker.child(child);
    }
    checker.whole_return(&census.children);
    checker.issues
}

#[cfg(test)]
mod tests;
