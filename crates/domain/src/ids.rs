//! Identifiers. Each record kind has its own id type so one cannot be passed for another.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUID v7), so ids sort roughly by creation.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }
    };
}

record_id!(
    /// A local authority. Every record belongs to exactly one.
    AuthorityId
);
record_id!(
    /// An organisation: the authority itself, a police force, a health trust, a school...
    OrganisationId
);
record_id!(
    /// A team within an organisation (e.g. "MASH team A").
    TeamId
);
record_id!(
    /// A worker: someone who signs in.
    WorkerId
);
record_id!(
    /// A person known to the authority: a child or an adult.
    PersonId
);
record_id!(
    /// A contact: one concern received at the front door.
    ContactId
);
record_id!(
    /// A MASH triage meeting.
    TriageMeetingId
);
record_id!(
    /// A threshold decision on a contact (recommended, then authorised or returned).
    DecisionId
);
record_id!(
    /// A referral to children's social care, made by an authorised decision.
    ReferralId
);
record_id!(
    /// An event in the append-only event log.
    EventId
);
record_id!(
    /// A child's episode of need (the census's CIN details), started by a referral.
    EpisodeId
);
record_id!(
    /// A strategy discussion (or meeting) on a child's episode.
    StrategyDiscussionId
);
record_id!(
    /// A section 47 enquiry, started by a signed-off strategy discussion.
    EnquiryId
);
record_id!(
    /// A child protection conference (initial or review).
    ConferenceId
);
record_id!(
    /// A child protection plan.
    PlanId
);
record_id!(
    /// A safety plan (or a written agreement, recorded as exactly that) for a child.
    SafetyPlanId
);
record_id!(
    /// A domestic abuse risk assessment (the DASH risk identification checklist).
    DashAssessmentId
);
record_id!(
    /// A case supervision of a worker by their manager.
    SupervisionId
);
record_id!(
    /// An action agreed in a case supervision, with its owner and due date.
    SupervisionActionId
);
record_id!(
    /// A child sexual exploitation (CSE) screening.
    CseScreeningId
);
record_id!(
    /// A child and family assessment.
    AssessmentId
);
record_id!(
    /// An episode of early help for a child.
    EarlyHelpEpisodeId
);
record_id!(
    /// A quality-assurance audit tool: a named set of questions.
    AuditToolId
);
record_id!(
    /// A quality-assurance audit (standard, thematic or multi-agency).
    AuditId
);
record_id!(
    /// One child's case audit within an audit.
    CaseAuditId
);
record_id!(
    /// An action agreed in a case audit, with its owner and due date.
    AuditActionId
);
