//! The generated records: a contact with its subjects, referrer, decision and what followed.

use crate::household::{HouseholdKey, PersonKey, SyntheticHousehold};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::contact::{
    ConcernCategory, ContactChannel, FamilyConsent, ReferralSource, Urgency,
};
use frontdoor_domain::decision::{EmergencyAction, ThresholdOutcome};
use frontdoor_domain::episode::{ClosureReason, PrimaryNeed};
use frontdoor_domain::person::{NhsNumber, Postcode, Sex};

pub use super::protection::{
    SyntheticCinPlan, SyntheticEnquiry, SyntheticProtectionPlan, SyntheticStrategyDiscussion,
    SyntheticVisit,
};
use frontdoor_domain::assessment::AssessmentFactor;

/// A child or adult on a contact, with how the referrer described them (which is not always
/// how the record has them: a nickname, a typo, a date of birth they did not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticSubject {
    pub person: PersonKey,
    pub is_child: bool,
    pub described: SubjectDescription,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectDescription {
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
    pub address: String,
    pub postcode: Option<Postcode>,
    pub nhs_number: Option<NhsNumber>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyntheticReferrer {
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

/// A social worker's recommendation and (if made before `as_of`) a manager's authorisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticDecision {
    pub outcome: ThresholdOutcome,
    pub level_of_need: u8,
    pub signposted_to: Option<String>,
    pub rationale: String,
    pub recommended_at: DateTime<Utc>,
    pub authorisation: Option<SyntheticAuthorisation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticAuthorisation {
    pub at: DateTime<Utc>,
    pub rationale: String,
}

/// A referral of one child, made when a referral decision is authorised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticReferral {
    pub child: PersonKey,
    /// The day the contact was received (London), as the DfE counts referrals.
    pub date: NaiveDate,
    /// Within 12 months of an earlier referral of the same child.
    pub is_re_referral: bool,
    /// The child's primary need (the census's N0–N9), recorded on the episode the referral opens.
    pub primary_need: PrimaryNeed,
    /// When and why the episode closed, when that was before `as_of`.
    pub closure: Option<SyntheticClosure>,
    /// The strategy discussion the referral led to (at the front door or during the
    /// assessment), when decided before `as_of`.
    pub strategy_discussion: Option<SyntheticStrategyDiscussion>,
    /// The section 47 enquiry the discussion decided on, as far as it had got by `as_of`.
    pub section_47: Option<SyntheticEnquiry>,
    /// The child in need plan of the episode, when started before `as_of`.
    pub cin_plan: Option<SyntheticCinPlan>,
}

/// An episode's closure: its date and census reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticClosure {
    pub on: NaiveDate,
    pub reason: ClosureReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticAssessment {
    pub child: PersonKey,
    pub started_on: NaiveDate,
    /// `None` while the assessment is still open at `as_of`.
    pub completed_on: Option<NaiveDate>,
    /// The census factors identified (with the completion: none while it is open).
    pub factors: Vec<AssessmentFactor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticEmergencyAction {
    pub action: EmergencyAction,
    pub at: DateTime<Utc>,
    pub child: PersonKey,
}

/// One contact and everything that followed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticContact {
    /// 1, 2, 3... in order of receipt.
    pub number: u64,
    pub received_at: DateTime<Utc>,
    /// When a contact officer recorded it (a few minutes after receipt).
    pub recorded_at: DateTime<Utc>,
    /// Outside 09:00–17:00 on a working day (London time, England and Wales bank holidays).
    pub out_of_hours: bool,
    pub channel: ContactChannel,
    pub source: ReferralSource,
    pub referrer: SyntheticReferrer,
    pub concern_categories: Vec<ConcernCategory>,
    pub concern_summary: String,
    pub urgency: Urgency,
    pub family_consent: FamilyConsent,
    pub consent_notes: String,
    pub household: HouseholdKey,
    /// The household, when this is the first contact about it: its people are new records.
    pub new_household: Option<SyntheticHousehold>,
    pub subjects: Vec<SyntheticSubject>,
    /// `None` when no recommendation had been made by `as_of`.
    pub decision: Option<SyntheticDecision>,
    pub referrals: Vec<SyntheticReferral>,
    pub assessments: Vec<SyntheticAssessment>,
    pub emergency_action: Option<SyntheticEmergencyAction>,
}
