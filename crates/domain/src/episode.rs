//! A child's episode of need: what the DfE Children in Need census calls `CINdetails`.
//!
//! An episode starts with a referral (its date and source), gains a primary need code once the
//! need is understood, and ends with a closure date and reason. Assessments, section 47
//! enquiries, conferences and child protection plans hang from it, so the census and Ofsted's
//! Annex A lists 3, 5 and 7 can be read from it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EpisodeError {
    #[error("Choose the child's primary need: '{0}' is not one of the codes N0 to N9.")]
    UnknownPrimaryNeed(String),
    #[error("Choose why the episode closed: '{0}' is not one of the codes RC1 to RC9.")]
    UnknownClosureReason(String),
}

/// The child's primary need, coded as the DfE census codes it (N0–N9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrimaryNeed {
    #[serde(rename = "N0")]
    NotStated,
    #[serde(rename = "N1")]
    AbuseOrNeglect,
    #[serde(rename = "N2")]
    ChildDisabilityOrIllness,
    #[serde(rename = "N3")]
    ParentalDisabilityOrIllness,
    #[serde(rename = "N4")]
    FamilyInAcuteStress,
    #[serde(rename = "N5")]
    FamilyDysfunction,
    #[serde(rename = "N6")]
    SociallyUnacceptableBehaviour,
    #[serde(rename = "N7")]
    LowIncome,
    #[serde(rename = "N8")]
    AbsentParenting,
    #[serde(rename = "N9")]
    NotInNeed,
}

impl PrimaryNeed {
    pub const ALL: [PrimaryNeed; 10] = [
        PrimaryNeed::NotStated,
        PrimaryNeed::AbuseOrNeglect,
        PrimaryNeed::ChildDisabilityOrIllness,
        PrimaryNeed::ParentalDisabilityOrIllness,
        PrimaryNeed::FamilyInAcuteStress,
        PrimaryNeed::FamilyDysfunction,
        PrimaryNeed::SociallyUnacceptableBehaviour,
        PrimaryNeed::LowIncome,
        PrimaryNeed::AbsentParenting,
        PrimaryNeed::NotInNeed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            PrimaryNeed::NotStated => "N0",
            PrimaryNeed::AbuseOrNeglect => "N1",
            PrimaryNeed::ChildDisabilityOrIllness => "N2",
            PrimaryNeed::ParentalDisabilityOrIllness => "N3",
            PrimaryNeed::FamilyInAcuteStress => "N4",
            PrimaryNeed::FamilyDysfunction => "N5",
            PrimaryNeed::SociallyUnacceptableBehaviour => "N6",
            PrimaryNeed::LowIncome => "N7",
            PrimaryNeed::AbsentParenting => "N8",
            PrimaryNeed::NotInNeed => "N9",
        }
    }
    /// The DfE's label for the code.
    pub fn label(self) -> &'static str {
        match self {
            PrimaryNeed::NotStated => "Not stated",
            PrimaryNeed::AbuseOrNeglect => "Abuse or neglect",
            PrimaryNeed::ChildDisabilityOrIllness => "Child's disability or illness",
            PrimaryNeed::ParentalDisabilityOrIllness => "Parental disability or illness",
            PrimaryNeed::FamilyInAcuteStress => "Family in acute stress",
            PrimaryNeed::FamilyDysfunction => "Family dysfunction",
            PrimaryNeed::SociallyUnacceptableBehaviour => "Socially unacceptable behaviour",
            PrimaryNeed::LowIncome => "Low income",
            PrimaryNeed::AbsentParenting => "Absent parenting",
            PrimaryNeed::NotInNeed => "Cases other than children in need",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, EpisodeError> {
        let wanted = code.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|n| n.code() == wanted)
            .ok_or(EpisodeError::UnknownPrimaryNeed(code.trim().to_string()))
    }
}

/// Why an episode closed, coded as the DfE census codes it (RC1–RC9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClosureReason {
    #[serde(rename = "RC1")]
    Adopted,
    #[serde(rename = "RC2")]
    Died,
    #[serde(rename = "RC3")]
    ChildArrangementsOrder,
    #[serde(rename = "RC4")]
    SpecialGuardianshipOrder,
    #[serde(rename = "RC5")]
    TransferredToAnotherAuthority,
    #[serde(rename = "RC6")]
    TransferredToAdultServices,
    #[serde(rename = "RC7")]
    ServicesCeased,
    #[serde(rename = "RC8")]
    ClosedAfterAssessmentNoFurtherAction,
    #[serde(rename = "RC9")]
    ClosedAfterAssessmentEarlyHelp,
}

impl ClosureReason {
    pub const ALL: [ClosureReason; 9] = [
        ClosureReason::Adopted,
        ClosureReason::Died,
        ClosureReason::ChildArrangementsOrder,
        ClosureReason::SpecialGuardianshipOrder,
        ClosureReason::TransferredToAnotherAuthority,
        ClosureReason::TransferredToAdultServices,
        ClosureReason::ServicesCeased,
        ClosureReason::ClosedAfterAssessmentNoFurtherAction,
        ClosureReason::ClosedAfterAssessmentEarlyHelp,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ClosureReason::Adopted => "RC1",
            ClosureReason::Died => "RC2",
            ClosureReason::ChildArrangementsOrder => "RC3",
            ClosureReason::SpecialGuardianshipOrder => "RC4",
            ClosureReason::TransferredToAnotherAuthority => "RC5",
            ClosureReason::TransferredToAdultServices => "RC6",
            ClosureReason::ServicesCeased => "RC7",
            ClosureReason::ClosedAfterAssessmentNoFurtherAction => "RC8",
            ClosureReason::ClosedAfterAssessmentEarlyHelp => "RC9",
        }
    }
    /// The DfE's label for the code.
    pub fn label(self) -> &'static str {
        match self {
            ClosureReason::Adopted => "Adopted",
            ClosureReason::Died => "Died",
            ClosureReason::ChildArrangementsOrder => "Child arrangements order",
            ClosureReason::SpecialGuardianshipOrder => "Special guardianship order",
            ClosureReason::TransferredToAnotherAuthority => {
                "Transferred to services of another local authority"
            }
            ClosureReason::TransferredToAdultServices => {
                "Transferred to adult social care services"
            }
            ClosureReason::ServicesCeased => {
                "Services ceased for any other reason, including child no longer in need"
            }
            ClosureReason::ClosedAfterAssessmentNoFurtherAction => {
                "Case closed after assessment, no further action"
            }
            ClosureReason::ClosedAfterAssessmentEarlyHelp => {
                "Case closed after assessment, referred to early help"
            }
        }
    }
    pub fn from_code(code: &str) -> Result<Self, EpisodeError> {
        let wanted = code.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|r| r.code() == wanted)
            .ok_or(EpisodeError::UnknownClosureReason(code.trim().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_carry_the_dfe_labels() {
        for need in PrimaryNeed::ALL {
            assert_eq!(PrimaryNeed::from_code(need.code()), Ok(need));
        }
        for reason in ClosureReason::ALL {
            assert_eq!(ClosureReason::from_code(reason.code()), Ok(reason));
        }
        assert_eq!(
            PrimaryNeed::from_code(" n1 "),
            Ok(PrimaryNeed::AbuseOrNeglect)
        );
        assert_eq!(PrimaryNeed::AbuseOrNeglect.label(), "Abuse or neglect");
        assert_eq!(
            ClosureReason::from_code("RC8").map(|r| r.label()),
            Ok("Case closed after assessment, no further action")
        );
        assert!(PrimaryNeed::from_code("N10").is_err());
        assert!(ClosureReason::from_code("RC0").is_err());
    }
}
