//! Case supervision and drift.
//!
//! The inspection letter found that in supervision "risks are not routinely reviewed", that
//! "some appropriate actions ... lack timescales" and that "this results in some actions
//! drifting from one supervision to the next". So a supervision record is refused, naming each
//! missing part ([`missing_parts`]), unless every child discussed has their risks reviewed and
//! every action has what is to be done, an owner and a due date (on or after the supervision);
//! and every action still open from the worker's earlier supervisions is either carried
//! forward or closed with a reason — nothing silently disappears.
//!
//! An action is *drifting* ([`drift`]) while it is open and either past its due date (the due
//! date is before today, in London) or was carried unfinished into a later supervision.

use crate::calendar::WorkingDayCalendar;
use crate::ids::{PersonId, SupervisionActionId, WorkerId};
use crate::timescale::working_days_left;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The least "risks reviewed" or a closing reason must say to say anything.
pub const MIN_TEXT_CHARS: usize = 10;

/// How far ahead an action may be due: a year after the supervision.
pub const LONGEST_TIMESCALE_DAYS: i64 = 366;

/// Where a supervision action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    /// Done, by its owner or a manager, with the date and a note.
    Completed,
    /// Closed unfinished at a later supervision, with the reason.
    Closed,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 3] = [
        ActionStatus::Open,
        ActionStatus::Completed,
        ActionStatus::Closed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Completed => "completed",
            ActionStatus::Closed => "closed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "Open",
            ActionStatus::Completed => "Completed",
            ActionStatus::Closed => "Closed unfinished",
        }
    }
    pub fn from_code(code: &str) -> Option<ActionStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// What a later supervision did with an action still open from an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// Still to do: carried into this supervision (drift), perhaps with a new due date.
    CarryForward,
    /// No longer to do, with the reason.
    Close,
}

impl ReviewOutcome {
    pub const ALL: [ReviewOutcome; 2] = [ReviewOutcome::CarryForward, ReviewOutcome::Close];
    pub fn code(self) -> &'static str {
        match self {
            ReviewOutcome::CarryForward => "carry_forward",
            ReviewOutcome::Close => "close",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReviewOutcome::CarryForward => "Carry forward (still to do)",
            ReviewOutcome::Close => "Close (no longer needed)",
        }
    }
    pub fn from_code(code: &str) -> Option<ReviewOutcome> {
        Self::ALL.into_iter().find(|o| o.code() == code.trim())
    }
}

/// A child discussed, and what was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscussedChild {
    /// The form row it was typed in (from 0): a refusal names "child {row + 1}".
    pub row: usize,
    pub child: PersonId,
    pub risks_reviewed: String,
    pub decisions: String,
}

/// An action agreed for a child discussed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedAction {
    /// The form row it was typed in (from 0): a refusal names "action {row + 1}".
    pub row: usize,
    pub child: Option<PersonId>,
    pub description: String,
    pub owner: Option<WorkerId>,
    pub due_on: Option<NaiveDate>,
}

/// What this supervision did with an open action of an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionReview {
    pub action: SupervisionActionId,
    pub outcome: Option<ReviewOutcome>,
    pub reason: String,
    /// A new due date when carried forward (blank keeps the one it had).
    pub new_due_on: Option<NaiveDate>,
}

/// A supervision record as typed (parts may be missing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionRecord {
    pub held_on: Option<NaiveDate>,
    pub children: Vec<DiscussedChild>,
    pub actions: Vec<AgreedAction>,
    pub reviews: Vec<ActionReview>,
}

/// A part of the record that is missing or wrong; each names its form field. Children and
/// actions are numbered by their form row (from 1), earlier actions by their place in the list
/// of open actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum MissingPart {
    HeldOn,
    /// No child discussed at all.
    Children,
    /// A child (numbered from 1) discussed twice.
    ChildTwice {
        number: usize,
    },
    /// A child discussed without their risks reviewed.
    RisksReviewed {
        number: usize,
    },
    /// An action (numbered from 1) without a child discussed.
    ActionChild {
        number: usize,
    },
    ActionDescription {
        number: usize,
    },
    ActionOwner {
        number: usize,
    },
    /// No timescale: the letter's "actions ... lack timescales".
    ActionDueDate {
        number: usize,
    },
    ActionDueBeforeSupervision {
        number: usize,
    },
    ActionDueTooLate {
        number: usize,
    },
    /// An earlier action (numbered by its place in the list of open actions) not decided on.
    ReviewOutcome {
        number: usize,
    },
    /// An earlier action closed without a reason.
    ReviewReason {
        number: usize,
    },
    /// An earlier action carried forward to a date before this supervision.
    ReviewDueDate {
        number: usize,
    },
}

impl MissingPart {
    /// The form field (and the JSON pointer's last part).
    pub fn field(&self) -> String {
        match self {
            MissingPart::HeldOn => "held_on".into(),
            MissingPart::Children => "children".into(),
            MissingPart::ChildTwice { number } => format!("children[{}].person_id", number - 1),
            MissingPart::RisksReviewed { number } => {
                format!("children[{}].risks_reviewed", number - 1)
            }
            MissingPart::ActionChild { number } => format!("actions[{}].person_id", number - 1),
            MissingPart::ActionDescription { number } => {
                format!("actions[{}].description", number - 1)
            }
            MissingPart::ActionOwner { number } => format!("actions[{}].owner", number - 1),
            MissingPart::ActionDueDate { number }
            | MissingPart::ActionDueBeforeSupervision { number }
            | MissingPart::ActionDueTooLate { number } => format!("actions[{}].due_on", number - 1),
            MissingPart::ReviewOutcome { number } => format!("reviews[{}].outcome", number - 1),
            MissingPart::ReviewReason { number } => format!("reviews[{}].reason", number - 1),
            MissingPart::ReviewDueDate { number } => format!("reviews[{}].due_on", number - 1),
        }
    }
}

impl fmt::Display for MissingPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MissingPart::HeldOn => f.write_str("Enter the date the supervision was held."),
            MissingPart::Children => f.write_str("Choose at least one child discussed, and record the risks reviewed."),
            MissingPart::ChildTwice { number } => write!(f, "Child {number} is listed twice: discuss each child once."),
            MissingPart::RisksReviewed { number } => write!(
                f,
                "Record the risks reviewed for child {number}: what the risks are now and whether the plan still manages them."
            ),
            MissingPart::ActionChild { number } => write!(f, "Choose which child discussed action {number} is for."),
            MissingPart::ActionDescription { number } => write!(f, "Say what is to be done for action {number}."),
            MissingPart::ActionOwner { number } => write!(f, "Choose who owns action {number}."),
            MissingPart::ActionDueDate { number } => write!(
                f,
                "Give the due date of action {number}: an action without a timescale drifts."
            ),
            MissingPart::ActionDueBeforeSupervision { number } => write!(
                f,
                "Action {number} cannot be due before the supervision that agreed it."
            ),
            MissingPart::ActionDueTooLate { number } => write!(
                f,
                "Action {number} is due more than a year after the supervision: check the year."
            ),
            MissingPart::ReviewOutcome { number } => write!(
                f,
                "Say whether earlier action {number} is carried forward or closed."
            ),
            MissingPart::ReviewReason { number } => write!(
                f,
                "Say why earlier action {number} is closed unfinished."
            ),
            MissingPart::ReviewDueDate { number } => write!(
                f,
                "Earlier action {number} cannot be carried forward to a date before this supervision."
            ),
        }
    }
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn too_short(text: &str) -> bool {
    text.trim().chars().count() < MIN_TEXT_CHARS
}

/// Every part missing before the record can be stored, in the order of the form. `open` are
/// the actions still open from the worker's earlier supervisions, in the order the form shows
/// them: each must be reviewed (`reviews` is matched to them by action id, and numbered by its
/// place in `open`). Empty when the record is complete.
pub fn missing_parts(record: &SupervisionRecord, open: &[SupervisionActionId]) -> Vec<MissingPart> {
    let mut missing = Vec::new();
    if record.held_on.is_none() {
        missing.push(MissingPart::HeldOn);
    }
    if record.children.is_empty() {
        missing.push(MissingPart::Children);
    }
    for (i, child) in record.children.iter().enumerate() {
        let number = child.row + 1;
        if record.children[..i].iter().any(|c| c.child == child.child) {
            missing.push(MissingPart::ChildTwice { number });
        }
        if too_short(&child.risks_reviewed) {
            missing.push(MissingPart::RisksReviewed { number });
        }
    }
    for action in &record.actions {
        let number = action.row + 1;
        if !action
            .child
            .is_some_and(|c| record.children.iter().any(|d| d.child == c))
        {
            missing.push(MissingPart::ActionChild { number });
        }
        if blank(&action.description) {
            missing.push(MissingPart::ActionDescription { number });
        }
        if action.owner.is_none() {
            missing.push(MissingPart::ActionOwner { number });
        }
        match (action.due_on, record.held_on) {
            (None, _) => missing.push(MissingPart::ActionDueDate { number }),
            (Some(due), Some(held)) if due < held => {
                missing.push(MissingPart::ActionDueBeforeSupervision { number })
            }
            (Some(due), Some(held)) if (due - held).num_days() > LONGEST_TIMESCALE_DAYS => {
                missing.push(MissingPart::ActionDueTooLate { number })
            }
            _ => {}
        }
    }
    for (i, id) in open.iter().enumerate() {
        let number = i + 1;
        let Some(review) = record.reviews.iter().find(|r| r.action == *id) else {
            missing.push(MissingPart::ReviewOutcome { number });
            continue;
        };
        match review.outcome {
            None => missing.push(MissingPart::ReviewOutcome { number }),
            Some(ReviewOutcome::Close) if too_short(&review.reason) => {
                missing.push(MissingPart::ReviewReason { number })
            }
            Some(ReviewOutcome::CarryForward) => {
                if let (Some(due), Some(held)) = (review.new_due_on, record.held_on) {
                    if due < held {
                        missing.push(MissingPart::ReviewDueDate { number });
                    }
                }
            }
            Some(ReviewOutcome::Close) => {}
        }
    }
    missing
}

/// Why an action is drifting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// Working days after the due date up to and including today (at least 1 once past due;
    /// 0 when not past due). See [`crate::timescale::working_days_left`].
    pub working_days_overdue: i64,
    pub past_due: bool,
    /// Supervisions it was carried into unfinished.
    pub times_carried: i32,
}

impl Drift {
    /// "Past due and carried forward twice", "Carried forward once", "Past due".
    pub fn reason(&self) -> String {
        let carried = match self.times_carried {
            0 => None,
            1 => Some("carried forward once".to_string()),
            2 => Some("carried forward twice".to_string()),
            n => Some(format!("carried forward {n} times")),
        };
        match (self.past_due, carried) {
            (true, Some(c)) => format!("Past due and {c}"),
            (true, None) => "Past due".into(),
            (false, Some(c)) => {
                let mut words = c;
                words[..1].make_ascii_uppercase();
                words
            }
            (false, None) => String::new(),
        }
    }
}

/// Whether (and why) an action is drifting on `today` (a London date): open, and past its due
/// date or carried unfinished into a later supervision. `None` when it is not drifting.
pub fn drift(
    calendar: &WorkingDayCalendar,
    status: ActionStatus,
    due_on: NaiveDate,
    times_carried: i32,
    today: NaiveDate,
) -> Option<Drift> {
    if status != ActionStatus::Open {
        return None;
    }
    let past_due = due_on < today;
    if !past_due && times_carried == 0 {
        return None;
    }
    Some(Drift {
        working_days_overdue: if past_due {
            -working_days_left(calendar, today, due_on)
        } else {
            0
        },
        past_due,
        times_carried,
    })
}

/// What a completion must say: the date it was done (not before the supervision that agreed
/// the action, not after today) and a note of what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CompletionProblem {
    NoDate,
    BeforeSupervision,
    InTheFuture,
    NoNote,
}

impl CompletionProblem {
    pub fn field(&self) -> &'static str {
        match self {
            CompletionProblem::NoNote => "note",
            _ => "completed_on",
        }
    }
}

impl fmt::Display for CompletionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CompletionProblem::NoDate => "Enter the date the action was done.",
            CompletionProblem::BeforeSupervision => {
                "The action cannot have been done before the supervision that agreed it."
            }
            CompletionProblem::InTheFuture => {
                "The date it was done cannot be in the future: complete it once it is done."
            }
            CompletionProblem::NoNote => "Say what was done.",
        })
    }
}

/// Checks a completion: done on `completed_on`, agreed at a supervision on `agreed_on`.
pub fn check_completion(
    completed_on: Option<NaiveDate>,
    note: &str,
    agreed_on: NaiveDate,
    today: NaiveDate,
) -> Vec<CompletionProblem> {
    let mut problems = Vec::new();
    match completed_on {
        None => problems.push(CompletionProblem::NoDate),
        Some(on) if on < agreed_on => problems.push(CompletionProblem::BeforeSupervision),
        Some(on) if on > today => problems.push(CompletionProblem::InTheFuture),
        Some(_) => {}
    }
    if note.trim().chars().count() < 5 {
        problems.push(CompletionProblem::NoNote);
    }
    problems
}

#[cfg(test)]
mod tests;
