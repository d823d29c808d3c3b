//! Information requests to partner agencies: what is asked, on what consent basis, and by when.
//!
//! A request is sent to a partner organisation about one child on a contact. It is *sent*, then
//! either *answered* by the partner or *withdrawn* by the authority; "overdue" is not stored but
//! read from the clock: a request still sent after its due instant.
//!
//! Urgent requests are due a number of hours after they are sent (elapsed hours, at any time of
//! day); standard requests by the end of the Nth working day after the day they are sent (the
//! calendar's counting convention: the sending day is day 0). Both numbers are the authority's.

use crate::calendar::WorkingDayCalendar;
use crate::ids::WorkerId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The kind of agency a request goes to: one of [`Agency::ASKED`].
pub use crate::agency::Agency;

/// How urgently the answer is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestUrgency {
    /// Due a number of hours after it is sent.
    Urgent,
    /// Due by the end of a number of working days after the day it is sent.
    Standard,
}

impl RequestUrgency {
    pub const ALL: [RequestUrgency; 2] = [RequestUrgency::Urgent, RequestUrgency::Standard];
    pub fn code(self) -> &'static str {
        match self {
            RequestUrgency::Urgent => "urgent",
            RequestUrgency::Standard => "standard",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RequestUrgency::Urgent => "Urgent",
            RequestUrgency::Standard => "Standard",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, InformationRequestError> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(InformationRequestError::UrgencyMissing)
    }
}

/// The stored state of a request. "Overdue" is read from the clock ([`is_overdue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Sent,
    Answered,
    Withdrawn,
}

impl RequestStatus {
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Sent => "sent",
            RequestStatus::Answered => "answered",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Sent => "Sent",
            RequestStatus::Answered => "Answered",
            RequestStatus::Withdrawn => "Withdrawn",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, InformationRequestError> {
        match code {
            "sent" => Ok(RequestStatus::Sent),
            "answered" => Ok(RequestStatus::Answered),
            "withdrawn" => Ok(RequestStatus::Withdrawn),
            _ => Err(InformationRequestError::UnknownStatus),
        }
    }
}

/// A request is overdue while it is still sent after its due instant.
pub fn is_overdue<T: PartialOrd>(status: RequestStatus, due_at: T, now: T) -> bool {
    status == RequestStatus::Sent && due_at < now
}

/// Why information is shared: with the family's consent, or without it (which a manager agrees).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum ConsentBasis {
    ConsentGiven {
        given_by: String,
        given_on: NaiveDate,
    },
    WithoutConsent {
        reason: String,
        agreed_by: WorkerId,
    },
}

impl ConsentBasis {
    /// Consent given by `given_by` (a parent, the young person...) on `given_on`, which cannot be
    /// after `today`.
    pub fn consent_given(
        given_by: &str,
        given_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, InformationRequestError> {
        let given_by = given_by.trim();
        if given_by.is_empty() {
            return Err(InformationRequestError::ConsentGiverMissing);
        }
        if given_by.chars().count() > 200 {
            return Err(InformationRequestError::TooLong("who gave consent", 200));
        }
        if given_on > today {
            return Err(InformationRequestError::ConsentInFuture);
        }
        Ok(ConsentBasis::ConsentGiven {
            given_by: given_by.to_string(),
            given_on,
        })
    }
    /// Shared without consent, for `reason`, agreed by the manager `agreed_by`.
    pub fn without_consent(
        reason: &str,
        agreed_by: WorkerId,
    ) -> Result<Self, InformationRequestError> {
        let reason = reason.trim();
        if reason.chars().count() < 10 {
            return Err(InformationRequestError::ReasonMissing);
        }
        if reason.chars().count() > 5_000 {
            return Err(InformationRequestError::TooLong("the reason", 5_000));
        }
        Ok(ConsentBasis::WithoutConsent {
            reason: reason.to_string(),
            agreed_by,
        })
    }
    pub fn code(&self) -> &'static str {
        match self {
            ConsentBasis::ConsentGiven { .. } => "consent_given",
            ConsentBasis::WithoutConsent { .. } => "without_consent",
        }
    }
}

/// The questions asked, or an answer, or a reason for withdrawing: words that must say something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestText(String);

impl RequestText {
    pub const MAX_CHARS: usize = 20_000;
    /// `what` names the text in the error ("the questions", "your answer").
    pub fn parse(text: &str, what: &'static str) -> Result<Self, InformationRequestError> {
        let text = text.trim();
        if text.chars().count() < 5 {
            return Err(InformationRequestError::TextMissing(what));
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(InformationRequestError::TooLong(what, Self::MAX_CHARS));
        }
        Ok(RequestText(text.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// When requests are due, set by each authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRule {
    urgent_hours: u32,
    standard_working_days: u32,
}

impl Default for DueRule {
    fn default() -> Self {
        DueRule {
            urgent_hours: 4,
            standard_working_days: 3,
        }
    }
}

/// When a request falls due: after elapsed hours, or at the end of a (local) working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueAt {
    HoursAfterSending(u32),
    EndOfDay(NaiveDate),
}

impl DueRule {
    pub const MAX_URGENT_HOURS: u32 = 72;
    pub const MAX_STANDARD_WORKING_DAYS: u32 = 30;

    pub fn new(urgent_hours: u32, standard_working_days: u32) -> Result<Self, DueRuleError> {
        if !(1..=Self::MAX_URGENT_HOURS).contains(&urgent_hours) {
            return Err(DueRuleError::UrgentHours);
        }
        if !(1..=Self::MAX_STANDARD_WORKING_DAYS).contains(&standard_working_days) {
            return Err(DueRuleError::StandardDays);
        }
        Ok(DueRule {
            urgent_hours,
            standard_working_days,
        })
    }
    pub fn urgent_hours(self) -> u32 {
        self.urgent_hours
    }
    pub fn standard_working_days(self) -> u32 {
        self.standard_working_days
    }
    /// When a request sent on the local date `sent_on` is due.
    pub fn due(
        self,
        urgency: RequestUrgency,
        calendar: &WorkingDayCalendar,
        sent_on: NaiveDate,
    ) -> DueAt {
        match urgency {
            RequestUrgency::Urgent => DueAt::HoursAfterSending(self.urgent_hours),
            RequestUrgency::Standard => {
                DueAt::EndOfDay(calendar.add_working_days(sent_on, self.standard_working_days))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DueRuleError {
    #[error("Urgent requests must be due between 1 and 72 hours after they are sent.")]
    UrgentHours,
    #[error("Standard requests must be due between 1 and 30 working days after they are sent.")]
    StandardDays,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InformationRequestError {
    #[error("Choose the kind of agency the request goes to.")]
    AgencyMissing,
    #[error("Choose whether the request is urgent or standard.")]
    UrgencyMissing,
    #[error("Say who gave consent to share (for example, the child's mother).")]
    ConsentGiverMissing,
    #[error("The date consent was given cannot be in the future.")]
    ConsentInFuture,
    #[error("Say why information is shared without consent.")]
    ReasonMissing,
    #[error("Write {0}.")]
    TextMissing(&'static str),
    #[error("Shorten {0} to {1} characters or fewer.")]
    TooLong(&'static str, usize),
    #[error("unknown request status")]
    UnknownStatus,
}

impl Agency {
    /// An agency a request can go to, from its code.
    pub fn asked(code: &str) -> Result<Agency, InformationRequestError> {
        Agency::from_code(code)
            .filter(|agency| Agency::ASKED.contains(agency))
            .ok_or(InformationRequestError::AgencyMissing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn standard_requests_count_working_days_and_local_closures() {
        let rule = DueRule::default();
        let calendar = WorkingDayCalendar::new();
        // Sent on Thursday 23 December 2021: Friday 24 is day 1; the
        // substitute bank holidays on 27 and 28 December are skipped.
        assert_eq!(
            rule.due(RequestUrgency::Standard, &calendar, date(2021, 12, 23)),
            DueAt::EndOfDay(date(2021, 12, 30))
        );
        // A local closure day on Friday 6 March 2026 pushes a request sent on Tuesday on.
        let closed = WorkingDayCalendar::with_local_closures([date(2026, 3, 6)]);
        assert_eq!(
            rule.due(RequestUrgency::Standard, &closed, date(2026, 3, 3)),
            DueAt::EndOfDay(date(2026, 3, 9))
        );
        assert_eq!(
            rule.due(RequestUrgency::Urgent, &closed, date(2026, 3, 3)),
            DueAt::HoursAfterSending(4)
        );
    }

    #[test]
    fn due_rules_stay_within_sensible_bounds() {
        assert_eq!(DueRule::new(0, 3), Err(DueRuleError::UrgentHours));
        assert_eq!(DueRule::new(73, 3), Err(DueRuleError::UrgentHours));
        assert_eq!(DueRule::new(4, 0), Err(DueRuleError::StandardDays));
        assert!(DueRule::new(24, 10).is_ok());
    }

    #[test]
    fn a_consent_basis_says_who_and_when_or_why_and_which_manager() {
        let today = date(2026, 3, 3);
        assert_eq!(
            ConsentBasis::consent_given(" ", today, today),
            Err(InformationRequestError::ConsentGiverMissing)
        );
        assert_eq!(
            ConsentBasis::consent_given("Mother", date(2026, 3, 4), today),
            Err(InformationRequestError::ConsentInFuture)
        );
        assert!(ConsentBasis::consent_given("Mother", today, today).is_ok());
        assert_eq!(
            ConsentBasis::without_consent("risk", WorkerId::new()),
            Err(InformationRequestError::ReasonMissing)
        );
        assert!(ConsentBasis::without_consent(
            "Asking would put the child at risk of significant harm.",
            WorkerId::new()
        )
        .is_ok());
    }

    #[test]
    fn only_a_sent_request_past_its_due_instant_is_overdue() {
        assert!(is_overdue(RequestStatus::Sent, 1, 2));
        assert!(!is_overdue(RequestStatus::Sent, 2, 2));
        assert!(!is_overdue(RequestStatus::Answered, 1, 2));
        assert!(!is_overdue(RequestStatus::Withdrawn, 1, 2));
    }
}
