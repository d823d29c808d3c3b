//! Contacts: concerns about one or more children received at the front door.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where a contact came from, coded to the DfE Children in Need census referral-source codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReferralSource {
    #[serde(rename = "1A")]
    Individual,
    #[serde(rename = "1B")]
    FamilyMember,
    #[serde(rename = "1C")]
    Acquaintance,
    #[serde(rename = "1D")]
    SelfReferral,
    #[serde(rename = "2A")]
    School,
    #[serde(rename = "2B")]
    EducationServices,
    #[serde(rename = "3A")]
    GeneralPractitioner,
    #[serde(rename = "3B")]
    HealthVisitor,
    #[serde(rename = "3C")]
    SchoolNurse,
    #[serde(rename = "3D")]
    OtherPrimaryHealth,
    #[serde(rename = "3E")]
    AccidentAndEmergency,
    #[serde(rename = "3F")]
    OtherHealth,
    #[serde(rename = "4")]
    Housing,
    #[serde(rename = "5A")]
    LaSocialCare,
    #[serde(rename = "5B")]
    LaOtherInternal,
    #[serde(rename = "5C")]
    LaExternal,
    #[serde(rename = "5D")]
    EarlyHelp,
    #[serde(rename = "6")]
    Police,
    #[serde(rename = "7")]
    OtherLegalAgency,
    #[serde(rename = "8")]
    Other,
    #[serde(rename = "9")]
    Anonymous,
    #[serde(rename = "10")]
    Unknown,
}

impl ReferralSource {
    pub const ALL: [ReferralSource; 22] = [
        ReferralSource::Individual,
        ReferralSource::FamilyMember,
        ReferralSource::Acquaintance,
        ReferralSource::SelfReferral,
        ReferralSource::School,
        ReferralSource::EducationServices,
        ReferralSource::GeneralPractitioner,
        ReferralSource::HealthVisitor,
        ReferralSource::SchoolNurse,
        ReferralSource::OtherPrimaryHealth,
        ReferralSource::AccidentAndEmergency,
        ReferralSource::OtherHealth,
        ReferralSource::Housing,
        ReferralSource::LaSocialCare,
        ReferralSource::LaOtherInternal,
        ReferralSource::LaExternal,
        ReferralSource::EarlyHelp,
        ReferralSource::Police,
        ReferralSource::OtherLegalAgency,
        ReferralSource::Other,
        ReferralSource::Anonymous,
        ReferralSource::Unknown,
    ];

    /// The CIN census code, e.g. "2A" for a school.
    pub fn code(self) -> &'static str {
        match self {
            ReferralSource::Individual => "1A",
            ReferralSource::FamilyMember => "1B",
            ReferralSource::Acquaintance => "1C",
            ReferralSource::SelfReferral => "1D",
            ReferralSource::School => "2A",
            ReferralSource::EducationServices => "2B",
            ReferralSource::GeneralPractitioner => "3A",
            ReferralSource::HealthVisitor => "3B",
            ReferralSource::SchoolNurse => "3C",
            ReferralSource::OtherPrimaryHealth => "3D",
            ReferralSource::AccidentAndEmergency => "3E",
            ReferralSource::OtherHealth => "3F",
            ReferralSource::Housing => "4",
            ReferralSource::LaSocialCare => "5A",
            ReferralSource::LaOtherInternal => "5B",
            ReferralSource::LaExternal => "5C",
            ReferralSource::EarlyHelp => "5D",
            ReferralSource::Police => "6",
            ReferralSource::OtherLegalAgency => "7",
            ReferralSource::Other => "8",
            ReferralSource::Anonymous => "9",
            ReferralSource::Unknown => "10",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReferralSource::Individual => "Individual",
            ReferralSource::FamilyMember => "Individual: family member, relative or carer",
            ReferralSource::Acquaintance => "Individual: acquaintance (including neighbours)",
            ReferralSource::SelfReferral => "Individual: self",
            ReferralSource::School => "School",
            ReferralSource::EducationServices => "Education services",
            ReferralSource::GeneralPractitioner => "Health services: GP",
            ReferralSource::HealthVisitor => "Health services: health visitor",
            ReferralSource::SchoolNurse => "Health services: school nurse",
            ReferralSource::OtherPrimaryHealth => "Health services: other primary health services",
            ReferralSource::AccidentAndEmergency => "Health services: A&E",
            ReferralSource::OtherHealth => "Health services: other",
            ReferralSource::Housing => "Housing",
            ReferralSource::LaSocialCare => "Local authority services: social care",
            ReferralSource::LaOtherInternal => "Local authority services: other internal",
            ReferralSource::LaExternal => "Local authority services: external",
            ReferralSource::EarlyHelp => "Local authority services: early help",
            ReferralSource::Police => "Police",
            ReferralSource::OtherLegalAgency => "Other legal agency",
            ReferralSource::Other => "Other",
            ReferralSource::Anonymous => "Anonymous",
            ReferralSource::Unknown => "Unknown",
        }
    }

    /// Who sent a contact from this source, as a practitioner would say it in a chronology
    /// ("Contact from the police").
    pub fn sender(self) -> &'static str {
        match self {
            ReferralSource::Individual => "a member of the public",
            ReferralSource::FamilyMember => "a family member, relative or carer",
            ReferralSource::Acquaintance => "a neighbour or acquaintance",
            ReferralSource::SelfReferral => "the young person themselves",
            ReferralSource::School => "a school",
            ReferralSource::EducationServices => "education services",
            ReferralSource::GeneralPractitioner => "a GP",
            ReferralSource::HealthVisitor => "a health visitor",
            ReferralSource::SchoolNurse => "a school nurse",
            ReferralSource::OtherPrimaryHealth => "primary health services",
            ReferralSource::AccidentAndEmergency => "A&E",
            ReferralSource::OtherHealth => "health services",
            ReferralSource::Housing => "housing",
            ReferralSource::LaSocialCare => "children's social care",
            ReferralSource::LaOtherInternal => "another council service",
            ReferralSource::LaExternal => "another local authority",
            ReferralSource::EarlyHelp => "early help",
            ReferralSource::Police => "the police",
            ReferralSource::OtherLegalAgency => "a legal agency",
            ReferralSource::Other => "another source",
            ReferralSource::Anonymous => "an anonymous caller",
            ReferralSource::Unknown => "an unknown source",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ContactValueError> {
        let wanted = code.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|s| s.code() == wanted)
            .ok_or(ContactValueError::ReferralSource(code.trim().to_string()))
    }
}

/// What the concern is about. A contact may name several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcernCategory {
    Neglect,
    PhysicalAbuse,
    SexualAbuse,
    EmotionalAbuse,
    DomesticAbuse,
    ChildSexualExploitation,
    ChildCriminalExploitation,
    GoingMissing,
    ParentalMentalHealth,
    ParentalSubstanceMisuse,
    ChildMentalHealth,
    SelfHarm,
    FemaleGenitalMutilation,
    Radicalisation,
    Disability,
    Homelessness,
    Other,
}

impl ConcernCategory {
    pub const ALL: [ConcernCategory; 17] = [
        ConcernCategory::Neglect,
        ConcernCategory::PhysicalAbuse,
        ConcernCategory::SexualAbuse,
        ConcernCategory::EmotionalAbuse,
        ConcernCategory::DomesticAbuse,
        ConcernCategory::ChildSexualExploitation,
        ConcernCategory::ChildCriminalExploitation,
        ConcernCategory::GoingMissing,
        ConcernCategory::ParentalMentalHealth,
        ConcernCategory::ParentalSubstanceMisuse,
        ConcernCategory::ChildMentalHealth,
        ConcernCategory::SelfHarm,
        ConcernCategory::FemaleGenitalMutilation,
        ConcernCategory::Radicalisation,
        ConcernCategory::Disability,
        ConcernCategory::Homelessness,
        ConcernCategory::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ConcernCategory::Neglect => "neglect",
            ConcernCategory::PhysicalAbuse => "physical_abuse",
            ConcernCategory::SexualAbuse => "sexual_abuse",
            ConcernCategory::EmotionalAbuse => "emotional_abuse",
            ConcernCategory::DomesticAbuse => "domestic_abuse",
            ConcernCategory::ChildSexualExploitation => "child_sexual_exploitation",
            ConcernCategory::ChildCriminalExploitation => "child_criminal_exploitation",
            ConcernCategory::GoingMissing => "going_missing",
            ConcernCategory::ParentalMentalHealth => "parental_mental_health",
            ConcernCategory::ParentalSubstanceMisuse => "parental_substance_misuse",
            ConcernCategory::ChildMentalHealth => "child_mental_health",
            ConcernCategory::SelfHarm => "self_harm",
            ConcernCategory::FemaleGenitalMutilation => "female_genital_mutilation",
            ConcernCategory::Radicalisation => "radicalisation",
            ConcernCategory::Disability => "disability",
            ConcernCategory::Homelessness => "homelessness",
            ConcernCategory::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ConcernCategory::Neglect => "Neglect",
            ConcernCategory::PhysicalAbuse => "Physical abuse",
            ConcernCategory::SexualAbuse => "Sexual abuse",
            ConcernCategory::EmotionalAbuse => "Emotional abuse",
            ConcernCategory::DomesticAbuse => "Domestic abuse",
            ConcernCategory::ChildSexualExploitation => "Child sexual exploitation",
            ConcernCategory::ChildCriminalExploitation => "Child criminal exploitation",
            ConcernCategory::GoingMissing => "Going missing",
            ConcernCategory::ParentalMentalHealth => "Parent's or carer's mental health",
            ConcernCategory::ParentalSubstanceMisuse => {
                "Parent's or carer's drug or alcohol misuse"
            }
            ConcernCategory::ChildMentalHealth => "Child's mental health",
            ConcernCategory::SelfHarm => "Self-harm",
            ConcernCategory::FemaleGenitalMutilation => "Female genital mutilation",
            ConcernCategory::Radicalisation => "Radicalisation",
            ConcernCategory::Disability => "Child's disability or illness",
            ConcernCategory::Homelessness => "Homelessness or housing",
            ConcernCategory::Other => "Other",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, ContactValueError> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == code.trim())
            .ok_or(ContactValueError::ConcernCategory(code.trim().to_string()))
    }
}

/// How quickly the referrer believes the front door must act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// The child may be at risk of significant harm now.
    Immediate,
    /// A response is needed today.
    Urgent,
    Standard,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Immediate, Urgency::Urgent, Urgency::Standard];
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Immediate => "immediate",
            Urgency::Urgent => "urgent",
            Urgency::Standard => "standard",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Immediate => "Immediate: the child may be at risk of significant harm now",
            Urgency::Urgent => "Urgent: a response is needed today",
            Urgency::Standard => "Standard",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, ContactValueError> {
        Self::ALL
            .into_iter()
            .find(|u| u.code() == code.trim())
            .ok_or(ContactValueError::Urgency(code.trim().to_string()))
    }
}

/// Whether the family knows about the contact and agreed to information being shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyConsent {
    /// The family knows and consented to the referral and to information being shared.
    Given,
    /// The family knows and refused consent.
    Refused,
    /// The family was not told, because telling them could put the child at greater risk.
    NotSoughtSafeguarding,
    /// The family was not told, for another reason (the referrer should say why).
    NotSought,
    /// The referrer does not know (e.g. an anonymous member of the public).
    Unknown,
}

impl FamilyConsent {
    pub const ALL: [FamilyConsent; 5] = [
        FamilyConsent::Given,
        FamilyConsent::Refused,
        FamilyConsent::NotSoughtSafeguarding,
        FamilyConsent::NotSought,
        FamilyConsent::Unknown,
    ];
    pub fn code(self) -> &'static str {
        match self {
            FamilyConsent::Given => "given",
            FamilyConsent::Refused => "refused",
            FamilyConsent::NotSoughtSafeguarding => "not_sought_safeguarding",
            FamilyConsent::NotSought => "not_sought",
            FamilyConsent::Unknown => "unknown",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            FamilyConsent::Given => "Yes, the family knows and consents",
            FamilyConsent::Refused => "The family knows but does not consent",
            FamilyConsent::NotSoughtSafeguarding => {
                "No, telling them could put the child at greater risk"
            }
            FamilyConsent::NotSought => "No, for another reason",
            FamilyConsent::Unknown => "I do not know",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, ContactValueError> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == code.trim())
            .ok_or(ContactValueError::Consent(code.trim().to_string()))
    }
}

/// How the contact reached the front door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Phone,
    Email,
    OnlineForm,
    InPerson,
    Api,
}

impl ContactChannel {
    pub const ALL: [ContactChannel; 5] = [
        ContactChannel::Phone,
        ContactChannel::Email,
        ContactChannel::OnlineForm,
        ContactChannel::InPerson,
        ContactChannel::Api,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Email => "email",
            ContactChannel::OnlineForm => "online_form",
            ContactChannel::InPerson => "in_person",
            ContactChannel::Api => "api",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ContactChannel::Phone => "Phone",
            ContactChannel::Email => "Email",
            ContactChannel::OnlineForm => "Online referral form",
            ContactChannel::InPerson => "In person",
            ContactChannel::Api => "Partner system",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, ContactValueError> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == code.trim())
            .ok_or(ContactValueError::Channel(code.trim().to_string()))
    }
}

/// Where a contact is in the front door's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    /// Received; children not yet all linked to records, or no recommendation yet.
    AwaitingTriage,
    /// A social worker has recommended a decision; a manager must authorise it.
    AwaitingAuthorisation,
    /// A manager returned the recommendation: a social worker must recommend again.
    Returned,
    /// A manager authorised the decision. The front door's work on this contact is done.
    Decided,
}

impl ContactStatus {
    pub const ALL: [ContactStatus; 4] = [
        ContactStatus::AwaitingTriage,
        ContactStatus::AwaitingAuthorisation,
        ContactStatus::Returned,
        ContactStatus::Decided,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ContactStatus::AwaitingTriage => "awaiting_triage",
            ContactStatus::AwaitingAuthorisation => "awaiting_authorisation",
            ContactStatus::Returned => "returned",
            ContactStatus::Decided => "decided",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ContactStatus::AwaitingTriage => "Awaiting triage",
            ContactStatus::AwaitingAuthorisation => "Awaiting authorisation",
            ContactStatus::Returned => "Returned for a new recommendation",
            ContactStatus::Decided => "Decided",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, ContactValueError> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == code.trim())
            .ok_or(ContactValueError::Status(code.trim().to_string()))
    }
    /// The statuses in which a social worker may recommend a decision, and in which the people
    /// on the contact may be linked or relinked: once a recommendation awaits a manager, who it
    /// is about is fixed until the manager returns it.
    pub const ACCEPTING_RECOMMENDATION: [ContactStatus; 2] =
        [ContactStatus::AwaitingTriage, ContactStatus::Returned];
    pub fn accepts_recommendation(self) -> bool {
        Self::ACCEPTING_RECOMMENDATION.contains(&self)
    }
    /// Still waiting for the front door: counts against the one-working-day timescale.
    pub fn is_open(self) -> bool {
        !matches!(self, ContactStatus::Decided)
    }
}

/// A coded value that is not one of the allowed codes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContactValueError {
    #[error("Unknown referral source '{0}': use a CIN census code such as 1A, 2A, 3A, 6 or 9.")]
    ReferralSource(String),
    #[error("Unknown concern category '{0}'.")]
    ConcernCategory(String),
    #[error("Unknown urgency '{0}': use immediate, urgent or standard.")]
    Urgency(String),
    #[error("Unknown consent answer '{0}'.")]
    Consent(String),
    #[error("Unknown contact channel '{0}'.")]
    Channel(String),
    #[error("Unknown contact status '{0}'.")]
    Status(String),
}

/// A front-door reference given to the referrer, e.g. `FD-2026-004217`: the year of receipt and
/// the contact's number within the authority that year.
pub fn contact_reference(year: i32, number_in_year: i64) -> String {
    format!("FD-{year}-{number_in_year:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for s in ReferralSource::ALL {
            assert_eq!(ReferralSource::from_code(s.code()), Ok(s));
        }
        for c in ConcernCategory::ALL {
            assert_eq!(ConcernCategory::from_code(c.code()), Ok(c));
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::from_code(u.code()), Ok(u));
        }
        for c in FamilyConsent::ALL {
            assert_eq!(FamilyConsent::from_code(c.code()), Ok(c));
        }
        for c in ContactStatus::ALL {
            assert_eq!(ContactStatus::from_code(c.code()), Ok(c));
        }
        assert!(ReferralSource::from_code("11").is_err());
    }

    #[test]
    fn references_are_zero_padded() {
        assert_eq!(contact_reference(2026, 4217), "FD-2026-004217");
    }
}
