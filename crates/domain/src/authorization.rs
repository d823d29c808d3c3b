//! Who may do what: one policy, `authorize(actor, action, resource)`, called by every use case.
//!
//! Three scopes are checked, in order:
//! 1. authority — nobody acts on another authority's records (a regional database holds many);
//! 2. role — what the worker's job allows ([`Role::allows`]);
//! 3. the resource's own rules — the team that owns a contact, the partner organisation that
//!    made a referral, and that nobody authorises their own recommendation.

use crate::ids::{AuthorityId, OrganisationId, TeamId, WorkerId};
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
        match self {
            Role::ContactOfficer => {
                front_door_research.contains(&action) || information_requests.contains(&action)
            }
            Role::MashSocialWorker => {
                front_door_research.contains(&action)
                    || information_requests.contains(&action)
                    || matches!(
                        action,
                        RecommendDecision
                            | RecordEmergencyAction
                            | ViewDuplicates
                            | RecordTriageMeeting
                            | RecordStrategyDiscussion
                            | RecordSection47Enquiry
                            | RecordConference
                            | RecordProtectionPlan
                            | UpdateEpisode
                            | ViewWorkDue
                            | RecordSafetyPlan
                            | RecordDashAssessment
                            | RecordCseScreening
                    )
            }
            // Out of hours: emergency strategy discussions and the enquiries they start, not
            // the planned work of conferences and plans.
            Role::OutOfHoursWorker => {
                front_door_research.contains(&action)
                    || information_requests.contains(&action)
                    || matches!(
                        action,
                        RecommendDecision
                            | RecordEmergencyAction
                            | ViewDuplicates
                            | RecordTriageMeeting
                            | RecordStrategyDiscussion
                            | RecordSection47Enquiry
                            | UpdateEpisode
                            | ViewWorkDue
                            | RecordSafetyPlan
                            | RecordDashAssessment
                            | RecordCseScreening
                    )
            }
            Role::TeamManager => {
                front_door_research.contains(&action)
                    || information_requests.contains(&action)
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
                    )
            }
            Role::EarlyHelpCoordinator => {
                information_requests.contains(&action)
                    || matches!(
                        action,
                        RecordContact
                            | ViewContact
                            | ViewContactQueue
                            | SearchPeople
                            | ViewChildRecord
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
                    | ViewRiskManagementGroup
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
                        | ViewRiskManagementGroup
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

/// Everything a worker can ask the system to do. Each app use case names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    RecordContact,
    ViewContact,
    ViewContactQueue,
    SearchPeople,
    CreatePerson,
    EditPerson,
    LinkPersonToContact,
    ViewChildRecord,
    RecommendDecision,
    AuthoriseDecision,
    ReturnDecision,
    RecordEmergencyAction,
    ViewDuplicates,
    MergePeople,
    ImportPeople,
    ViewPerformance,
    ViewAuditTrail,
    ManageWorkers,
    /// Partner organisations and the authority's teams.
    ManageOrganisations,
    /// Publish a new version of the authority's threshold framework (levels of need).
    ManageThresholdFramework,
    /// A partner follows a referral their organisation made: that it was received, and the
    /// authorised outcome in plain words — never the rationale, notes or who worked on it.
    FollowOwnReferral,
    /// Send an information request to a partner agency about a child on a contact.
    RequestInformation,
    /// Read the information requests on a contact, with their answers.
    ViewInformationRequests,
    /// Withdraw a request that is no longer needed (with a reason).
    WithdrawInformationRequest,
    /// A partner reads the requests sent to their own organisation (partner portal).
    ViewAddressedInformationRequests,
    /// A partner answers a request sent to their own organisation.
    AnswerInformationRequest,
    /// Set how long partners have to answer (urgent hours, standard working days).
    ManageInformationRequestTimescales,
    /// Read one's own notifications (what is waiting for you).
    ViewNotifications,
    /// Record a MASH triage meeting: who attended, the contacts discussed, a RAG rating and the
    /// agreed next step for each.
    RecordTriageMeeting,
    /// Start an emergency strategy discussion on an open episode, and write up a strategy
    /// discussion (when held, who took part, what each agency shared, risks, decision, actions).
    RecordStrategyDiscussion,
    /// A manager signs a complete strategy discussion record off (never their own record).
    SignOffStrategyDiscussion,
    /// Start a section 47 enquiry from a signed-off strategy discussion; record its visits and
    /// outcome.
    RecordSection47Enquiry,
    /// Record initial and review child protection conferences.
    RecordConference,
    /// Record a child protection plan's statutory visits, category changes and end.
    RecordProtectionPlan,
    /// Set an episode's primary need and allocation.
    UpdateEpisode,
    /// Close a child's episode with its reason.
    CloseEpisode,
    /// See the due dates of strategy discussions, conferences, reviews and visits.
    ViewWorkDue,
    /// Caseloads by worker and team, weighted by stage, with ASYE protection and overrides.
    ViewWorkloads,
    /// Agree an allocation that takes an ASYE worker over their protected caseload.
    OverrideAsyeCaseload,
    /// Set the weights of each stage and the ASYE protected caseload.
    ManageWorkloadRules,
    /// Write a child's safety plan (or record a written agreement, as exactly that).
    RecordSafetyPlan,
    /// A manager signs a complete safety plan off (never one they wrote).
    SignOffSafetyPlan,
    /// Complete the DASH domestic abuse risk checklist with a victim in the child's household.
    RecordDashAssessment,
    /// Complete the child sexual exploitation screening tool for a child.
    RecordCseScreening,
    /// See the risk management group's list of children at medium or high risk of sexual
    /// exploitation.
    ViewRiskManagementGroup,
    /// Record the risk management group's review of a child (the next review date).
    RecordCseReview,
}

impl Action {
    pub const ALL: [Action; 46] = [
        Action::RecordContact,
        Action::ViewContact,
        Action::ViewContactQueue,
        Action::SearchPeople,
        Action::CreatePerson,
        Action::EditPerson,
        Action::LinkPersonToContact,
        Action::ViewChildRecord,
        Action::RecommendDecision,
        Action::AuthoriseDecision,
        Action::ReturnDecision,
        Action::RecordEmergencyAction,
        Action::ViewDuplicates,
        Action::MergePeople,
        Action::ImportPeople,
        Action::ViewPerformance,
        Action::ViewAuditTrail,
        Action::ManageWorkers,
        Action::ManageOrganisations,
        Action::ManageThresholdFramework,
        Action::FollowOwnReferral,
        Action::RequestInformation,
        Action::ViewInformationRequests,
        Action::WithdrawInformationRequest,
        Action::ViewAddressedInformationRequests,
        Action::AnswerInformationRequest,
        Action::ManageInformationRequestTimescales,
        Action::ViewNotifications,
        Action::RecordTriageMeeting,
        Action::RecordStrategyDiscussion,
        Action::SignOffStrategyDiscussion,
        Action::RecordSection47Enquiry,
        Action::RecordConference,
        Action::RecordProtectionPlan,
        Action::UpdateEpisode,
        Action::CloseEpisode,
        Action::ViewWorkDue,
        Action::ViewWorkloads,
        Action::OverrideAsyeCaseload,
        Action::ManageWorkloadRules,
        Action::RecordSafetyPlan,
        Action::SignOffSafetyPlan,
        Action::RecordDashAssessment,
        Action::RecordCseScreening,
        Action::ViewRiskManagementGroup,
        Action::RecordCseReview,
    ];

    /// Actions that a team owns: a worker may take them only on their own team's contacts.
    /// Actions on an information request that only its addressed organisation may take.
    pub fn is_addressee_scoped(self) -> bool {
        matches!(
            self,
            Action::ViewAddressedInformationRequests | Action::AnswerInformationRequest
        )
    }

    pub fn is_team_scoped(self) -> bool {
        matches!(
            self,
            Action::RecommendDecision
                | Action::AuthoriseDecision
                | Action::ReturnDecision
                | Action::SignOffStrategyDiscussion
        )
    }
}

/// The worker asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub worker: WorkerId,
    pub authority: AuthorityId,
    pub organisation: OrganisationId,
    pub team: Option<TeamId>,
    pub role: Role,
}

/// What the action is taken on, as far as the policy needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resource {
    pub authority: Option<AuthorityId>,
    /// The team that owns the record (a contact's allocated front-door team).
    pub team: Option<TeamId>,
    /// The partner organisation that made the contact, when a partner recorded it.
    pub made_by_organisation: Option<OrganisationId>,
    /// Who recommended the decision under review (or recorded the record being signed off).
    pub recommended_by: Option<WorkerId>,
    /// The partner organisation an information request is addressed to.
    pub addressed_to: Option<OrganisationId>,
}

impl Resource {
    /// The authority as a whole (e.g. its queue, its people, its workers).
    pub fn authority(authority: AuthorityId) -> Self {
        Self {
            authority: Some(authority),
            ..Self::default()
        }
    }
    /// A contact, owned by a team, perhaps made by a partner organisation.
    pub fn contact(
        authority: AuthorityId,
        team: Option<TeamId>,
        made_by_organisation: Option<OrganisationId>,
    ) -> Self {
        Self {
            authority: Some(authority),
            team,
            made_by_organisation,
            ..Self::default()
        }
    }
    /// An information request addressed to a partner organisation.
    pub fn information_request(authority: AuthorityId, addressed_to: OrganisationId) -> Self {
        Self {
            authority: Some(authority),
            addressed_to: Some(addressed_to),
            ..Self::default()
        }
    }
    /// A recommended decision on a contact.
    pub fn decision(
        authority: AuthorityId,
        team: Option<TeamId>,
        recommended_by: WorkerId,
    ) -> Self {
        Self {
            authority: Some(authority),
            team,
            recommended_by: Some(recommended_by),
            ..Self::default()
        }
    }
}

impl Resource {
    /// A record a manager signs off (a strategy discussion), owned by a team, written up by
    /// `recorded_by`.
    pub fn record_for_sign_off(
        authority: AuthorityId,
        team: Option<TeamId>,
        recorded_by: Option<WorkerId>,
    ) -> Self {
        Self {
            authority: Some(authority),
            team,
            recommended_by: recorded_by,
            ..Self::default()
        }
    }
}

/// Why the policy said no. Each reason is a sentence the worker can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DenialReason {
    OtherAuthority,
    RoleNotPermitted,
    OtherTeam,
    OtherOrganisation,
    OwnRecommendation,
    OwnRecord,
}

impl DenialReason {
    pub fn message(self) -> &'static str {
        match self {
            DenialReason::OtherAuthority => "This record belongs to another local authority.",
            DenialReason::RoleNotPermitted => {
                "Your role does not allow this. Ask your manager if you need it."
            }
            DenialReason::OtherTeam => {
                "This contact belongs to another team. Ask that team's manager, or have it reallocated."
            }
            DenialReason::OtherOrganisation => {
                "This referral was made by another organisation, so you cannot see it."
            }
            DenialReason::OwnRecommendation => {
                "You recommended this decision, so another manager must authorise it."
            }
            DenialReason::OwnRecord => {
                "You wrote this record up, so another manager must sign it off."
            }
        }
    }
}

impl fmt::Display for DenialReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorization {
    Allowed,
    Denied(DenialReason),
}

impl Authorization {
    pub fn is_allowed(self) -> bool {
        self == Authorization::Allowed
    }
    /// `Ok(())` when allowed, so use cases can write `authorize(..).require()?`.
    pub fn require(self) -> Result<(), DenialReason> {
        match self {
            Authorization::Allowed => Ok(()),
            Authorization::Denied(reason) => Err(reason),
        }
    }
}

impl Actor {
    /// May the actor do `action` on their own authority's records in general (no particular
    /// team or organisation)? The check use cases make before reading or writing such records.
    pub fn may(&self, action: Action) -> Result<(), DenialReason> {
        authorize(self, action, &Resource::authority(self.authority)).require()
    }
}

/// The one authorization policy.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource) -> Authorization {
    use Authorization::*;
    if resource.authority.is_some_and(|a| a != actor.authority) {
        return Denied(DenialReason::OtherAuthority);
    }
    if !actor.role.allows(action) {
        return Denied(DenialReason::RoleNotPermitted);
    }
    if action == Action::FollowOwnReferral
        && resource.made_by_organisation != Some(actor.organisation)
    {
        return Denied(DenialReason::OtherOrganisation);
    }
    if action.is_addressee_scoped() && resource.addressed_to != Some(actor.organisation) {
        return Denied(DenialReason::OtherOrganisation);
    }
    if action.is_team_scoped() {
        if let (Some(owner), Some(mine)) = (resource.team, actor.team) {
            // Out-of-hours workers act for every team while the offices are closed.
            if owner != mine && actor.role != Role::OutOfHoursWorker {
                return Denied(DenialReason::OtherTeam);
            }
        } else if resource.team.is_some()
            && actor.team.is_none()
            && actor.role != Role::OutOfHoursWorker
        {
            return Denied(DenialReason::OtherTeam);
        }
    }
    if action == Action::AuthoriseDecision && resource.recommended_by == Some(actor.worker) {
        return Denied(DenialReason::OwnRecommendation);
    }
    if matches!(
        action,
        Action::SignOffStrategyDiscussion | Action::SignOffSafetyPlan
    ) && resource.recommended_by == Some(actor.worker)
    {
        return Denied(DenialReason::OwnRecord);
    }
    Allowed
}
