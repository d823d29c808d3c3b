//! MASH triage meetings: the agencies meet (often daily), go through the contacts waiting for a
//! decision, rate each red, amber or green and agree the next step. The meeting is a record of
//! what the agencies agreed; the threshold decision is still the manager's.

use crate::agency::Agency;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How worried the meeting is about a child: red (act today), amber (soon), green (no
/// immediate risk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RagRating {
    Red,
    Amber,
    Green,
}

impl RagRating {
    pub const ALL: [RagRating; 3] = [RagRating::Red, RagRating::Amber, RagRating::Green];

    pub fn code(self) -> &'static str {
        match self {
            RagRating::Red => "red",
            RagRating::Amber => "amber",
            RagRating::Green => "green",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RagRating::Red => "Red",
            RagRating::Amber => "Amber",
            RagRating::Green => "Green",
        }
    }

    /// What the rating means, shown beside the choice.
    pub fn hint(self) -> &'static str {
        match self {
            RagRating::Red => "Risk of significant harm: act today",
            RagRating::Amber => "Needs a response soon",
            RagRating::Green => "No immediate risk",
        }
    }

    pub fn from_code(code: &str) -> Option<RagRating> {
        let wanted = code.trim().to_ascii_lowercase();
        RagRating::ALL.into_iter().find(|r| r.code() == wanted)
    }
}

/// Someone at the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub name: String,
    pub agency: Agency,
    /// Their role, e.g. "Detective sergeant, MASH police".
    pub role: String,
}

/// A contact the meeting discussed, with what it agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussed<C> {
    pub contact: C,
    pub rating: RagRating,
    pub next_step: String,
}

/// What makes a triage meeting record unusable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TriageProblem {
    #[error("Add at least two people who attended, each with their agency: a triage meeting is multi-agency.")]
    TooFewAttendees,
    #[error("Only children's social care attended: add the other agencies who took part.")]
    SingleAgency,
    #[error("Choose at least one contact the meeting discussed.")]
    NothingDiscussed,
}

/// Checks a meeting as a whole (each field is checked where it is typed): at least two
/// attendees from more than one agency, and at least one contact discussed.
pub fn check_meeting<C>(attendees: &[Attendee], discussed: &[Discussed<C>]) -> Vec<TriageProblem> {
    let mut problems = Vec::new();
    if attendees.len() < 2 {
        problems.push(TriageProblem::TooFewAttendees);
    } else if attendees.iter().all(|a| a.agency == attendees[0].agency) {
        problems.push(TriageProblem::SingleAgency);
    }
    if discussed.is_empty() {
        problems.push(TriageProblem::NothingDiscussed);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendee(agency: Agency) -> Attendee {
        Attendee {
            name: "A. Person".into(),
            agency,
            role: "MASH".into(),
        }
    }

    fn discussed() -> Vec<Discussed<u32>> {
        vec![Discussed {
            contact: 1,
            rating: RagRating::Amber,
            next_step: "Information from school by noon".into(),
        }]
    }

    #[test]
    fn a_meeting_needs_more_than_one_agency_and_something_discussed() {
        assert_eq!(
            check_meeting(&[attendee(Agency::Police)], &discussed()),
            vec![TriageProblem::TooFewAttendees]
        );
        assert_eq!(
            check_meeting(
                &[
                    attendee(Agency::ChildrensSocialCare),
                    attendee(Agency::ChildrensSocialCare)
                ],
                &discussed()
            ),
            vec![TriageProblem::SingleAgency]
        );
        assert_eq!(
            check_meeting::<u32>(
                &[
                    attendee(Agency::ChildrensSocialCare),
                    attendee(Agency::Police)
                ],
                &[]
            ),
            vec![TriageProblem::NothingDiscussed]
        );
        assert!(check_meeting(
            &[
                attendee(Agency::ChildrensSocialCare),
                attendee(Agency::Health)
            ],
            &discussed()
        )
        .is_empty());
    }

    #[test]
    fn ratings_read_back_from_their_codes() {
        for rating in RagRating::ALL {
            assert_eq!(RagRating::from_code(rating.code()), Some(rating));
        }
        assert_eq!(RagRating::from_code("purple"), None);
    }
}
