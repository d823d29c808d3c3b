//! Quality-assurance case audits: audit tools (named sets of questions), grades, the case
//! audit's workflow, thematic selection criteria and reproducible sampling.
//!
//! The Ofsted letter asks that managers "understand frontline practice" through audits, and that
//! audits sample from what the performance figures show. A case audit grades each question of
//! its tool (Outstanding, Good, Requires improvement, Inadequate) with a comment, gives an overall
//! grade and findings, and agrees actions with an owner and a due date.
//!
//! - **Workflow**: planned → in progress → completed. Completing is refused until every
//!   question and the overall grade are graded, naming each one missing.
//! - **Sampling**: N children drawn from a population (children meeting criteria, or a list
//!   such as a dashboard figure's children) by a seeded shuffle of the population in id order:
//!   the same population and seed always give the same sample, so an audit's selection can be
//!   checked afterwards.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::ids::AuditToolId;

/// The most questions a tool may hold.
pub const MAX_QUESTIONS: usize = 40;
/// The most children one audit may sample.
pub const MAX_SAMPLE: usize = 200;

/// A grade, as Ofsted grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Outstanding,
    Good,
    RequiresImprovement,
    Inadequate,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Outstanding,
        Grade::Good,
        Grade::RequiresImprovement,
        Grade::Inadequate,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Grade::Outstanding => "outstanding",
            Grade::Good => "good",
            Grade::RequiresImprovement => "requires_improvement",
            Grade::Inadequate => "inadequate",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Grade::Outstanding => "Outstanding",
            Grade::Good => "Good",
            Grade::RequiresImprovement => "Requires improvement",
            Grade::Inadequate => "Inadequate",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, CaseAuditError> {
        let wanted = code.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|g| g.code() == wanted)
            .ok_or_else(|| CaseAuditError::UnknownGrade(code.trim().to_string()))
    }
}

/// What kind of audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// One child's case.
    Standard,
    /// Cases selected by criteria (a theme, a team, a period) or from a list of children.
    Thematic,
    /// One child's case, audited with auditors from partner agencies who are invited to it.
    MultiAgency,
}

impl AuditKind {
    pub const ALL: [AuditKind; 3] = [
        AuditKind::Standard,
        AuditKind::Thematic,
        AuditKind::MultiAgency,
    ];
    pub fn code(self) -> &'static str {
        match self {
            AuditKind::Standard => "standard",
            AuditKind::Thematic => "thematic",
            AuditKind::MultiAgency => "multi_agency",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AuditKind::Standard => "Standard",
            AuditKind::Thematic => "Thematic",
            AuditKind::MultiAgency => "Multi-agency",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, CaseAuditError> {
        let wanted = code.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|k| k.code() == wanted)
            .ok_or_else(|| CaseAuditError::UnknownKind(code.trim().to_string()))
    }
    /// A standard or multi-agency audit is of one named child; a thematic one samples.
    pub fn is_of_one_child(self) -> bool {
        self != AuditKind::Thematic
    }
}

/// Where one child's case audit is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAuditState {
    Planned,
    InProgress,
    Completed,
}

impl CaseAuditState {
    pub fn code(self) -> &'static str {
        match self {
            CaseAuditState::Planned => "planned",
            CaseAuditState::InProgress => "in_progress",
            CaseAuditState::Completed => "completed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseAuditState::Planned => "Planned",
            CaseAuditState::InProgress => "In progress",
            CaseAuditState::Completed => "Completed",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, CaseAuditError> {
        match code {
            "planned" => Ok(CaseAuditState::Planned),
            "in_progress" => Ok(CaseAuditState::InProgress),
            "completed" => Ok(CaseAuditState::Completed),
            other => Err(CaseAuditError::UnknownState(other.to_string())),
        }
    }
    /// The transitions the workflow allows.
    pub fn may_become(self, next: CaseAuditState) -> bool {
        matches!(
            (self, next),
            (CaseAuditState::Planned, CaseAuditState::InProgress)
                | (CaseAuditState::InProgress, CaseAuditState::Completed)
        )
    }
}

/// A theme a thematic audit selects cases by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditTheme {
    /// Children on a contact in the period whose concerns include domestic abuse.
    DomesticAbuse,
    /// Children re-referred (a referral within 12 months of another) in the period.
    ReReferrals,
    /// Children on a contact in the period whose concerns include sexual exploitation, or
    /// screened for it in the period.
    ChildSexualExploitation,
    /// The exception: children on a contact received in the period whose threshold decision
    /// was not authorised within one working day (authorised late, or still not authorised
    /// past its due time).
    DecisionsNotAuthorisedInOneWorkingDay,
}

impl AuditTheme {
    pub const ALL: [AuditTheme; 4] = [
        AuditTheme::DomesticAbuse,
        AuditTheme::ReReferrals,
        AuditTheme::ChildSexualExploitation,
        AuditTheme::DecisionsNotAuthorisedInOneWorkingDay,
    ];
    pub fn code(self) -> &'static str {
        match self {
            AuditTheme::DomesticAbuse => "domestic_abuse",
            AuditTheme::ReReferrals => "re_referrals",
            AuditTheme::ChildSexualExploitation => "child_sexual_exploitation",
            AuditTheme::DecisionsNotAuthorisedInOneWorkingDay => {
                "decisions_not_authorised_in_one_working_day"
            }
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AuditTheme::DomesticAbuse => "Domestic abuse",
            AuditTheme::ReReferrals => "Re-referrals",
            AuditTheme::ChildSexualExploitation => "Child sexual exploitation",
            AuditTheme::DecisionsNotAuthorisedInOneWorkingDay => {
                "Decisions not authorised within one working day"
            }
        }
    }
    pub fn from_code(code: &str) -> Result<Self, CaseAuditError> {
        let wanted = code.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|t| t.code() == wanted)
            .ok_or_else(|| CaseAuditError::UnknownTheme(code.trim().to_string()))
    }
}

/// The period criteria select from (London calendar dates, both days included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl AuditPeriod {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, CaseAuditError> {
        if to < from {
            return Err(CaseAuditError::PeriodBackwards);
        }
        Ok(Self { from, to })
    }
    /// "01/09/2026–30/11/2026"
    pub fn words(self) -> String {
        format!(
            "{}–{}",
            self.from.format("%d/%m/%Y"),
            self.to.format("%d/%m/%Y")
        )
    }
}

/// How a tool asks: its questions, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditTool {
    pub id: AuditToolId,
    pub name: String,
    pub description: String,
    pub questions: Vec<String>,
    /// The built-in standard tool (not stored; every authority has it).
    pub built_in: bool,
}

/// The built-in standard tool's id: the same in every authority.
pub const STANDARD_TOOL_ID: AuditToolId =
    AuditToolId(Uuid::from_u128(0x0046_4452_a0d1_7000_8000_0000_0000_0001));

/// The built-in standard tool, its questions drawn from the Ofsted letter.
pub fn standard_tool() -> AuditTool {
    AuditTool {
        id: STANDARD_TOOL_ID,
        name: "Standard case audit (front door)".into(),
        description: "The points of the Ofsted focused visit letter: decisions, history, the child's voice, risk, plans, oversight and partners.".into(),
        questions: [
            "Was the threshold decision timely (within one working day) and authorised by a manager with a recorded rationale?",
            "Was the child's history (previous contacts, referrals and assessments) considered?",
            "Was the child seen, and are their views, wishes and feelings recorded?",
            "Were the risks identified, using a structured tool (DASH, CSE screening) where relevant?",
            "Is there a plan with actions, owners and timescales that answer the concerns identified?",
            "Is management oversight and supervision evident, with actions followed up?",
            "Was partner agencies' information sought and used in the decision and the plan?",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        built_in: true,
    }
}

/// A new tool as typed: checked into a name and its questions.
pub fn check_tool(
    name: &str,
    questions: &[String],
) -> Result<(String, Vec<String>), Vec<CaseAuditError>> {
    let mut problems = Vec::new();
    let name = name.trim().to_string();
    if name.is_empty() {
        problems.push(CaseAuditError::ToolNameMissing);
    }
    let mut kept: Vec<String> = Vec::new();
    for question in questions.iter().map(|q| q.trim()).filter(|q| !q.is_empty()) {
        if kept.iter().any(|k| k.eq_ignore_ascii_case(question)) {
            problems.push(CaseAuditError::QuestionRepeated(question.to_string()));
        } else {
            kept.push(question.to_string());
        }
    }
    if kept.is_empty() {
        problems.push(CaseAuditError::NoQuestions);
    }
    if kept.len() > MAX_QUESTIONS {
        problems.push(CaseAuditError::TooManyQuestions);
    }
    if problems.is_empty() {
        Ok((name, kept))
    } else {
        Err(problems)
    }
}

/// One question of a case audit as answered so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerState<'a> {
    /// 1-based.
    pub number: usize,
    pub question: &'a str,
    pub grade: Option<Grade>,
}

/// Why a case audit cannot be completed yet.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CompletionProblem {
    #[error("Grade question {number} (\"{question}\") before completing the audit.")]
    QuestionNotGraded { number: usize, question: String },
    #[error("Give the case an overall grade before completing the audit.")]
    NoOverallGrade,
    #[error("Write the audit's findings before completing it.")]
    NoFindings,
}

/// Completion needs every question graded, an overall grade and findings; each problem is
/// named.
pub fn check_completion(
    answers: &[AnswerState<'_>],
    overall: Option<Grade>,
    findings: &str,
) -> Result<(), Vec<CompletionProblem>> {
    let mut problems: Vec<CompletionProblem> = answers
        .iter()
        .filter(|a| a.grade.is_none())
        .map(|a| CompletionProblem::QuestionNotGraded {
            number: a.number,
            question: a.question.to_string(),
        })
        .collect();
    if overall.is_none() {
        problems.push(CompletionProblem::NoOverallGrade);
    }
    if findings.trim().is_empty() {
        problems.push(CompletionProblem::NoFindings);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Draws `n` of `population` with the seed: the population is put in order (and duplicates
/// dropped) first, so the sample depends only on who is in it and the seed, not on the order
/// the population was read in. All of them when there are no more than `n`.
pub fn sample<T: Ord + Clone>(population: &[T], n: usize, seed: u64) -> Vec<T> {
    let mut pool: Vec<T> = population.to_vec();
    pool.sort();
    pool.dedup();
    let mut random = SplitMix64(seed);
    // A partial Fisher–Yates shuffle: the first n places are the sample.
    let take = n.min(pool.len());
    for i in 0..take {
        let remaining = (pool.len() - i) as u64;
        let j = i + random.below(remaining) as usize;
        pool.swap(i, j);
    }
    pool.truncate(take);
    pool
}

/// SplitMix64 (Steele, Lea and Flood): small, fast and fully determined by its seed, which is
/// all sampling needs (it is not for secrets).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..bound (bound > 0), without modulo bias (Lemire's method with rejection).
    fn below(&mut self, bound: u64) -> u64 {
        loop {
            let product = u128::from(self.next()) * u128::from(bound);
            let low = product as u64;
            if low >= bound.wrapping_neg() % bound {
                return (product >> 64) as u64;
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaseAuditError {
    #[error("'{0}' is not a grade: use outstanding, good, requires_improvement or inadequate.")]
    UnknownGrade(String),
    #[error("'{0}' is not a kind of audit: use standard, thematic or multi_agency.")]
    UnknownKind(String),
    #[error("'{0}' is not a theme: use domestic_abuse, re_referrals, child_sexual_exploitation or decisions_not_authorised_in_one_working_day.")]
    UnknownTheme(String),
    #[error("'{0}' is not a case audit state.")]
    UnknownState(String),
    #[error("The end of the period is before its start: swap the dates.")]
    PeriodBackwards,
    #[error("Give the tool a name.")]
    ToolNameMissing,
    #[error("Give the tool at least one question.")]
    NoQuestions,
    #[error("A tool may hold at most 40 questions: split it into two tools.")]
    TooManyQuestions,
    #[error("The question \"{0}\" is in the tool twice: remove one.")]
    QuestionRepeated(String),
}

#[cfg(test)]
mod tests;
