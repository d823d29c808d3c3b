//! The child and family assessment: its quality points, census assessment factors, outcome,
//! due date, authorisation workflow and the repeat-assessment rule.
//!
//! The Ofsted letter found assessments that "do not paint a clear picture of the child's
//! world": histories not used, extended family not consulted, parents' own accounts not
//! verified, and children with up to four assessments in a year. The six [`QualityPoint`]s are
//! what a good assessment shows; an assessment may still be completed without one, but only
//! with a recorded reason for each point it lacks, and those reasons are reported.
//!
//! - **Due date**: 45 working days from the referral date ([`Timescale::Assessment`], day 0 is
//!   the referral date).
//! - **Workflow**: in progress → submitted (awaiting a manager's authorisation) → authorised,
//!   or returned to the worker (back to in progress, with the manager's reason).
//! - **Repeat assessment**: another assessment of the same child started in the 12 months up
//!   to and including this one's start date.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::WorkingDayCalendar;
use crate::history::twelve_months_before;
use crate::timescale::Timescale;

/// A reason (for a missing quality point, or for returning an assessment) must say this much.
pub const MIN_REASON_CHARS: usize = 10;

/// The DfE children in need census assessment factors (the "factors identified at the end of
/// assessment"), code and label, in the census order. `21` ("no factors identified") stands
/// alone.
pub const ASSESSMENT_FACTORS: [(&str, &str); 42] = [
    ("1A", "Alcohol misuse: concerns about alcohol misuse by the child"),
    ("1B", "Alcohol misuse: concerns about alcohol misuse by the parent or carer"),
    ("1C", "Alcohol misuse: concerns about alcohol misuse by another person living in the household"),
    ("2A", "Drug misuse: concerns about drug misuse by the child"),
    ("2B", "Drug misuse: concerns about drug misuse by the parent or carer"),
    ("2C", "Drug misuse: concerns about drug misuse by another person living in the household"),
    ("3A", "Domestic abuse: concerns about the child being the subject of domestic abuse"),
    ("3B", "Domestic abuse: concerns about the child's parent or carer being the subject of domestic abuse"),
    ("3C", "Domestic abuse: concerns about another person living in the household being the subject of domestic abuse"),
    ("4A", "Mental health: concerns about the mental health of the child"),
    ("4B", "Mental health: concerns about the mental health of the parent or carer"),
    ("4C", "Mental health: concerns about the mental health of another person in the family or household"),
    ("5A", "Learning disability: concerns about the child's learning disability"),
    ("5B", "Learning disability: concerns about the parent or carer's learning disability"),
    ("5C", "Learning disability: concerns about the learning disability of another person in the family or household"),
    ("6A", "Physical disability or illness: concerns about a physical disability or illness of the child"),
    ("6B", "Physical disability or illness: concerns about a physical disability or illness of the parent or carer"),
    ("6C", "Physical disability or illness: concerns about a physical disability or illness of another person in the family or household"),
    ("7A", "Young carer: concerns about services to the child as a young carer"),
    ("8B", "Private fostering: overseas child who intends to return to their parents"),
    ("8C", "Private fostering: overseas child who intends to stay in the UK"),
    ("8D", "Private fostering: UK child living with a private foster carer who intends to return to their parents"),
    ("8E", "Private fostering: UK child living with a private foster carer who intends to stay"),
    ("8F", "Private fostering: other private fostering arrangement"),
    ("9A", "Unaccompanied asylum-seeking child, or a dependant of an asylum-seeking family"),
    ("10A", "Missing: concerns about the child going missing"),
    ("11A", "Child sexual exploitation"),
    ("12A", "Trafficking"),
    ("13A", "Gangs"),
    ("14A", "Socially unacceptable behaviour"),
    ("15A", "Self-harm"),
    ("16A", "Abuse or neglect: neglect"),
    ("17A", "Abuse or neglect: emotional abuse"),
    ("18B", "Abuse or neglect: sexual abuse by an adult"),
    ("18C", "Abuse or neglect: sexual abuse by a child or young person"),
    ("19B", "Abuse or neglect: physical abuse by an adult"),
    ("19C", "Abuse or neglect: physical abuse by a child or young person"),
    ("20", "Female genital mutilation"),
    ("21", "No factors identified"),
    ("22A", "Abuse linked to faith or belief"),
    ("23A", "Child criminal exploitation"),
    ("24A", "Other"),
];

/// The census code for "no factors identified": it cannot be combined with another factor.
pub const NO_FACTORS_IDENTIFIED: &str = "21";

/// One census assessment factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssessmentFactor(&'static str);

impl AssessmentFactor {
    pub fn from_code(code: &str) -> Result<Self, AssessmentError> {
        let wanted = code.trim().to_ascii_uppercase();
        ASSESSMENT_FACTORS
            .iter()
            .find(|(c, _)| *c == wanted)
            .map(|(c, _)| AssessmentFactor(c))
            .ok_or_else(|| AssessmentError::UnknownFactor(code.trim().to_string()))
    }
    pub fn code(self) -> &'static str {
        self.0
    }
    pub fn label(self) -> &'static str {
        ASSESSMENT_FACTORS
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, l)| *l)
            .unwrap_or("")
    }
    /// Every factor in census order.
    pub fn all() -> impl Iterator<Item = AssessmentFactor> {
        ASSESSMENT_FACTORS.iter().map(|(c, _)| AssessmentFactor(c))
    }
}

impl Serialize for AssessmentFactor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl fmt::Display for AssessmentFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.label())
    }
}

/// Parses the factors chosen (codes, in any order, duplicates ignored) into census order.
/// "No factors identified" (21) cannot be chosen with another factor.
pub fn parse_factors<S: AsRef<str>>(codes: &[S]) -> Result<Vec<AssessmentFactor>, AssessmentError> {
    let mut factors = Vec::new();
    for code in codes
        .iter()
        .map(AsRef::as_ref)
        .filter(|c| !c.trim().is_empty())
    {
        let factor = AssessmentFactor::from_code(code)?;
        if !factors.contains(&factor) {
            factors.push(factor);
        }
    }
    factors.sort_by_key(|f| {
        ASSESSMENT_FACTORS
            .iter()
            .position(|(c, _)| *c == f.code())
            .unwrap_or(usize::MAX)
    });
    if factors.len() > 1 && factors.iter().any(|f| f.code() == NO_FACTORS_IDENTIFIED) {
        return Err(AssessmentError::NoFactorsWithOthers);
    }
    Ok(factors)
}

/// What the assessment concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentOutcome {
    NoFurtherAction,
    ChildInNeedPlan,
    EarlyHelp,
    StrategyDiscussion,
}

impl AssessmentOutcome {
    pub const ALL: [AssessmentOutcome; 4] = [
        AssessmentOutcome::NoFurtherAction,
        AssessmentOutcome::ChildInNeedPlan,
        AssessmentOutcome::EarlyHelp,
        AssessmentOutcome::StrategyDiscussion,
    ];
    pub fn code(self) -> &'static str {
        match self {
            AssessmentOutcome::NoFurtherAction => "no_further_action",
            AssessmentOutcome::ChildInNeedPlan => "child_in_need_plan",
            AssessmentOutcome::EarlyHelp => "early_help",
            AssessmentOutcome::StrategyDiscussion => "strategy_discussion",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AssessmentOutcome::NoFurtherAction => "No further action",
            AssessmentOutcome::ChildInNeedPlan => "Child in need plan",
            AssessmentOutcome::EarlyHelp => "Early help",
            AssessmentOutcome::StrategyDiscussion => "Strategy discussion",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, AssessmentError> {
        let wanted = code.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|o| o.code() == wanted)
            .ok_or_else(|| AssessmentError::UnknownOutcome(code.trim().to_string()))
    }
}

/// Where an assessment is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentState {
    /// Being worked on (also after a manager returned it).
    InProgress,
    /// Submitted by the worker, awaiting a manager's authorisation.
    Submitted,
    /// Authorised by a manager: the assessment is complete.
    Authorised,
}

impl AssessmentState {
    pub fn code(self) -> &'static str {
        match self {
            AssessmentState::InProgress => "in_progress",
            AssessmentState::Submitted => "submitted",
            AssessmentState::Authorised => "authorised",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AssessmentState::InProgress => "In progress",
            AssessmentState::Submitted => "Awaiting authorisation",
            AssessmentState::Authorised => "Authorised",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, AssessmentError> {
        match code {
            "in_progress" => Ok(AssessmentState::InProgress),
            "submitted" => Ok(AssessmentState::Submitted),
            "authorised" => Ok(AssessmentState::Authorised),
            other => Err(AssessmentError::UnknownState(other.to_string())),
        }
    }
    /// The states a transition may start from.
    pub fn may_become(self, next: AssessmentState) -> bool {
        matches!(
            (self, next),
            (AssessmentState::InProgress, AssessmentState::Submitted)
                | (AssessmentState::Submitted, AssessmentState::Authorised)
                | (AssessmentState::Submitted, AssessmentState::InProgress)
        )
    }
}

/// What a good assessment shows (the Ofsted letter's points on assessment quality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityPoint {
    /// At least one visit at which the child was seen.
    ChildSeen,
    /// At least one visit at which the child was seen alone.
    ChildSeenAlone,
    /// The child's views (direct work) recorded.
    ChildViews,
    /// The child's history and chronology considered.
    HistoryConsidered,
    /// Extended family, fathers and significant adults considered.
    ExtendedFamilyConsidered,
    /// Information verified with a source other than the parents' own account.
    InformationVerified,
}

impl QualityPoint {
    pub const ALL: [QualityPoint; 6] = [
        QualityPoint::ChildSeen,
        QualityPoint::ChildSeenAlone,
        QualityPoint::ChildViews,
        QualityPoint::HistoryConsidered,
        QualityPoint::ExtendedFamilyConsidered,
        QualityPoint::InformationVerified,
    ];
    pub fn code(self) -> &'static str {
        match self {
            QualityPoint::ChildSeen => "child_seen",
            QualityPoint::ChildSeenAlone => "child_seen_alone",
            QualityPoint::ChildViews => "child_views",
            QualityPoint::HistoryConsidered => "history_considered",
            QualityPoint::ExtendedFamilyConsidered => "extended_family_considered",
            QualityPoint::InformationVerified => "information_verified",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            QualityPoint::ChildSeen => "The child was seen",
            QualityPoint::ChildSeenAlone => "The child was seen alone",
            QualityPoint::ChildViews => "The child's views were recorded",
            QualityPoint::HistoryConsidered => "The child's history and chronology were considered",
            QualityPoint::ExtendedFamilyConsidered => {
                "Extended family, fathers and significant adults were considered"
            }
            QualityPoint::InformationVerified => {
                "Information was verified with sources other than the parents"
            }
        }
    }
    pub fn from_code(code: &str) -> Result<Self, AssessmentError> {
        Self::ALL
            .into_iter()
            .find(|p| p.code() == code.trim())
            .ok_or_else(|| AssessmentError::UnknownQualityPoint(code.trim().to_string()))
    }
}

/// A visit during the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentVisit {
    pub visited_on: NaiveDate,
    pub child_seen: bool,
    pub seen_alone: bool,
}

impl AssessmentVisit {
    /// A child seen alone was seen: `seen_alone` without `child_seen` is refused.
    pub fn new(
        visited_on: NaiveDate,
        child_seen: bool,
        seen_alone: bool,
    ) -> Result<Self, AssessmentError> {
        if seen_alone && !child_seen {
            return Err(AssessmentError::AloneButNotSeen);
        }
        Ok(Self {
            visited_on,
            child_seen,
            seen_alone,
        })
    }
}

/// What the quality points are judged on.
#[derive(Debug, Clone, Copy)]
pub struct QualityRecord<'a> {
    pub visits: &'a [AssessmentVisit],
    pub child_views: &'a str,
    pub history_considered: &'a str,
    pub family_considered: &'a str,
    /// The sources information was checked with (school, health visitor, GP, police...), one
    /// per entry; the parents themselves do not count.
    pub verification_sources: &'a [String],
}

/// The quality points the record does not show, in [`QualityPoint::ALL`] order.
pub fn missing_quality_points(record: &QualityRecord<'_>) -> Vec<QualityPoint> {
    let written = |text: &str| !text.trim().is_empty();
    QualityPoint::ALL
        .into_iter()
        .filter(|point| match point {
            QualityPoint::ChildSeen => !record.visits.iter().any(|v| v.child_seen),
            QualityPoint::ChildSeenAlone => !record.visits.iter().any(|v| v.seen_alone),
            QualityPoint::ChildViews => !written(record.child_views),
            QualityPoint::HistoryConsidered => !written(record.history_considered),
            QualityPoint::ExtendedFamilyConsidered => !written(record.family_considered),
            QualityPoint::InformationVerified => !record
                .verification_sources
                .iter()
                .any(|s| written(s) && !is_parents_own_account(s)),
        })
        .collect()
}

/// A "source" that is only the parents' own account does not verify anything.
fn is_parents_own_account(source: &str) -> bool {
    let s = source.trim().to_ascii_lowercase();
    matches!(
        s.as_str(),
        "parent"
            | "parents"
            | "mother"
            | "father"
            | "carer"
            | "carers"
            | "parent/carer"
            | "parents' account"
            | "parental account"
            | "self-report"
            | "self report"
    )
}

/// Why an assessment cannot be submitted, one per thing to put right.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "problem", content = "detail", rename_all = "snake_case")]
pub enum SubmissionProblem {
    #[error("{}: not shown. Record it, or give the reason it could not be done (at least {MIN_REASON_CHARS} characters).", .0.label())]
    MissingQualityPoint(QualityPoint),
    #[error("Choose the assessment factors identified (or 21, no factors identified).")]
    NoFactors,
    #[error("Choose the outcome of the assessment.")]
    NoOutcome,
}

/// What the worker submits: the factors, outcome and a reason for each quality point missing.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub record: QualityRecord<'a>,
    pub factors: &'a [AssessmentFactor],
    pub outcome: Option<AssessmentOutcome>,
    pub reasons: &'a BTreeMap<QualityPoint, String>,
}

/// The rule for submitting (completing) an assessment: factors and outcome chosen, and every
/// missing quality point has a reason. Returns the reasons to keep (only for points missing).
pub fn check_submission(
    submission: &Submission<'_>,
) -> Result<BTreeMap<QualityPoint, String>, Vec<SubmissionProblem>> {
    let mut problems = Vec::new();
    let mut kept = BTreeMap::new();
    for point in missing_quality_points(&submission.record) {
        match submission.reasons.get(&point).map(|r| r.trim()) {
            Some(reason) if reason.chars().count() >= MIN_REASON_CHARS => {
                kept.insert(point, reason.to_string());
            }
            _ => problems.push(SubmissionProblem::MissingQualityPoint(point)),
        }
    }
    if submission.factors.is_empty() {
        problems.push(SubmissionProblem::NoFactors);
    }
    if submission.outcome.is_none() {
        problems.push(SubmissionProblem::NoOutcome);
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(problems)
    }
}

/// The assessment is due 45 working days from the referral date.
pub fn due_date(calendar: &WorkingDayCalendar, referral_date: NaiveDate) -> NaiveDate {
    Timescale::Assessment.due_date(calendar, referral_date)
}

/// A repeat assessment: another assessment of the same child started in the 12 months up to
/// and including `started_on` (`earlier_starts` are the child's other assessments' start dates;
/// a start after `started_on` does not make this one a repeat).
pub fn is_repeat(started_on: NaiveDate, other_starts: &[NaiveDate]) -> bool {
    let from = twelve_months_before(started_on);
    other_starts.iter().any(|d| *d >= from && *d <= started_on)
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssessmentError {
    #[error("\"{0}\" is not a census assessment factor code: choose from the list (1A to 24A).")]
    UnknownFactor(String),
    #[error(
        "21 (no factors identified) cannot be chosen with another factor: untick one of them."
    )]
    NoFactorsWithOthers,
    #[error("\"{0}\" is not an assessment outcome: choose no further action, child in need plan, early help or strategy discussion.")]
    UnknownOutcome(String),
    #[error("\"{0}\" is not an assessment state.")]
    UnknownState(String),
    #[error("\"{0}\" is not a quality point of an assessment.")]
    UnknownQualityPoint(String),
    #[error("A child seen alone was seen: tick \"child seen\" as well.")]
    AloneButNotSeen,
}

#[cfg(test)]
mod tests;
