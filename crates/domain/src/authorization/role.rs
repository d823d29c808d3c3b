//! The roles at the front door and what each one's job allows, before the resource's own rules.

use super::Action;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A worker's role at the front door. See the domain primer for what each one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Contact officer / enquiry response adviser.
    ContactOfficer,
    MashSocialWorker,
    TeamManager,
    EarlyHelpCoordinator,
    /// Partner agency practitioner (police, health, school...): scoped to their organisation.
    PartnerPractitioner,
    /// Out-of-hours (emergency duty) worker.
    OutOfHoursWorker,
    QualityAssuranceOfficer,
    SeniorManager,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::ContactOfficer,
        Role::MashSocialWorker,
        Role::TeamManager,
        Role::EarlyHelpCoordinator,
        Role::PartnerPractitioner,
        Role::OutOfHoursWorker,
        Role::QualityAssuranceOfficer,
        Role::SeniorManager,
        Role::Administrator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::ContactOfficer => "contact_officer",
            Role::MashSocialWorker => "mash_social_worker",
            Role::TeamManager => "team_manager",
            Role::EarlyHelpCoordinator => "early_help_coordinator",
            Role::PartnerPractitioner => "partner_practitioner",
            Role::OutOfHoursWorker => "out_of_hours_worker",
            Role::QualityAssuranceOfficer => "quality_assurance_officer",
            Role::SeniorManager => "senior_manager",
            Role::Administrator => "administrator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::ContactOfficer => "Contact officer",
            Role::MashSocialWorker => "MASH social worker",
            Role::TeamManager => "Team manager",
            Role::EarlyHelpCoordinator => "Early help coordinator",
            Role::PartnerPractitioner => "Partner agency practitioner",
            Role::OutOfHoursWorker => "Out-of-hours worker",
            Role::QualityAssuranceOfficer => "Quality assurance officer",
            Role::SeniorManager => "Senior manager",
            Role::Administrator => "Administrator",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        let wanted = code.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Role::ALL.into_iter().find(|r| r.code() == wanted)
    }

    /// Roles whose work belongs to a front-door team (the team owns their contacts and
    /// decisions): a worker in one of these roles must have a team.
    pub fn needs_team(self) -> bool {
        matches!(
            self,
            Role::ContactOfficer | Role::MashSocialWorker | Role::TeamManager
        )
    }

    /// A partner agency practitioner belongs to a partner organisation (police, health...), not
    /// to the authority; every other role belongs to the authority itself.
    pub fn belongs_to_partner(self) -> bool {
        self == Role::PartnerPractitioner
    }

    /// What the role allows before the resource's own rules are applied.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        // Reading and researching: everyone who works on children's records.
        let front_door_research = [
            RecordContact,
            ViewContact,
            ViewContactQueue,
            SearchPeople,
            CreatePerson,
            EditPerson,
            LinkPersonToContact,
            ViewChildRecord,
        ];
        // Asking partner agencies for information, and following up what was asked.
        let information_requests = [
            RequestInformation,
            ViewInformationRequests,
            WithdrawInformationRequest,
        ];
        // Everyone who signs in has a list of what is waiting for them.
        if action == ViewNotifications {
            return true;
        }
        // Case supervision: a worker reads their own supervision and completes the actions
        // they own; managers record it for their team (see `authorize` for the scoping).
        let supervised = [ViewSupervision, CompleteSupervisionAction];
        // A social worker's work on a child, in and out of hours.
        let casework = [
            RecommendDecision,
            RecordEmergencyAction,
            ViewDuplicates,
            RecordTriageMeeting,
            RecordStrategyDiscussion,
            RecordSection47Enquiry,
            UpdateEpisode,
            ViewWorkDue,
            RecordSafetyPlan,
            RecordDashAssessment,
            RecordCseScreening,
            ViewEarlyHelp,
        ];
        match self {
            Role::ContactOfficer => {
                front_door_research.contains(&action)
                    || information_requests.contains(&action)
                    || supervised.contains(&action)
            }
            Role::MashSocialWorker => {
                front_door_research.contains(&action)
                    || information_requests.contains(&action)
                    || supervised.contains(&action)
                    || casework.contains(&action)
                    || matches!(
                        action,
                        RecordConference | RecordProtectionPlan | RecordAssessment
                    )
            }
            // Out of hours: emergency strategy discussions and the enquiries they start, not
            // the planned work of conferences and plans.
            Role::OutOfHoursWorker => {
                front_door_research.contains(&action)
                    || information_requests.contains(&action)
                    || supervised.contains(&action)
                    || casework.contains(&action)
            }
            Role::TeamManager => {
                front_door_research.contains(&action)
                    || information_requests.contains(&action)
                    || supervised.contains(&action)
                    || matches!(
                        action,
                        RecommendDecision
                            | AuthoriseDecision
                            | ReturnDecision
                            | RecordEmergencyAction
                            | ViewDuplicates
                            | MergePeople
                            | ViewPerformance
                            | RecordTriageMeeting
                            | RecordStrategyDiscussion
                            | SignOffStrategyDiscussion
                            | RecordSection47Enquiry
                            | RecordConference
                            | RecordProtectionPlan
                            | UpdateEpisode
                            | CloseEpisode
                            | ViewWorkDue
                            | ViewWorkloads
                            | OverrideAsyeCaseload
                            | RecordSafetyPlan
                            | SignOffSafetyPlan
                            | RecordDashAssessment
                            | RecordCseScreening
                            | ViewRiskManagementGroup
                            | RecordCseReview
                            | RecordSupervision
                            | ViewDriftReport
                            | ViewThresholdPromptDepartures
                            | RecordAssessment
                            | AuthoriseAssessment
                            | ViewAssessmentReports
                            | ViewEarlyHelp
                            | RecordEarlyHelp
                            | RecordSafeguardingOverride
                            | StepUpEarlyHelp
                            | StepDownToEarlyHelp
                            | ConductCaseAudits
                    )
            }
            Role::EarlyHelpCoordinator => {
                information_requests.contains(&action)
                    || supervised.contains(&action)
                    || matches!(
                        action,
                        RecordContact
                            | ViewContact
                            | ViewContactQueue
                            | SearchPeople
                            | ViewChildRecord
                            | ViewEarlyHelp
                            | RecordEarlyHelp
                            | StepUpEarlyHelp
                    )
            }
            // Partners make referrals and follow their own, and answer the information requests
            // sent to their organisation; they never see the authority's working record of a
            // contact, a child's record or the authority's decisions.
            Role::PartnerPractitioner => matches!(
                action,
                RecordContact
                    | FollowOwnReferral
                    | ViewAddressedInformationRequests
                    | AnswerInformationRequest
                    | LeadEarlyHelpAssessment
                    | TakePartInMultiAgencyAudit
            ),
            Role::QualityAssuranceOfficer => matches!(
                action,
                ViewInformationRequests
                    | ViewContact
                    | ViewContactQueue
                    | SearchPeople
                    | ViewChildRecord
                    | ViewDuplicates
                    | ViewPerformance
                    | ViewAuditTrail
                    | ViewWorkDue
                    | ViewSupervision
                    | ViewDriftReport
                    | ViewRiskManagementGroup
                    | ViewThresholdPromptDepartures
                    | ViewAssessmentReports
                    | ViewEarlyHelp
                    | ProduceStatutoryReturns
                    | ConductCaseAudits
                    | ManageAuditTools
            ),
            Role::SeniorManager => {
                matches!(
                    action,
                    ViewContact
                        | ViewContactQueue
                        | ViewChildRecord
                        | ViewPerformance
                        | ViewInformationRequests
                        | ViewWorkDue
                        | ViewWorkloads
                        | ViewSupervision
                        | ViewDriftReport
                        | ViewRiskManagementGroup
                        | ViewThresholdPromptDepartures
                        | ViewAssessmentReports
                        | ViewEarlyHelp
                        | ProduceStatutoryReturns
                        | ConductCaseAudits
                )
            }
            // Administrators run the system; they do not read children's records.
            Role::Administrator => {
                matches!(
                    action,
                    ManageWorkers
                        | ManageOrganisations
                        | ManageThresholdFramework
                        | ImportPeople
                        | ViewAuditTrail
                        | ManageInformationRequestTimescales
                        | ManageWorkloadRules
                        | ManageThresholdPrompts
                        | ManageAuditTools
                )
            }
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
