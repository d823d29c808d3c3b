//! Everything a worker can ask the system to do.

use serde::{Deserialize, Serialize};

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
    /// A team manager records a case supervision of a worker of their team (never their own).
    RecordSupervision,
    /// Read a case supervision: one's own, a manager their team's, senior managers and quality
    /// assurance everyone's.
    ViewSupervision,
    /// Complete a supervision action: its owner, or the manager of the team it was agreed in.
    CompleteSupervisionAction,
    /// The drift report: supervision actions past due or carried forward, per worker and team.
    ViewDriftReport,
    /// Complete the child sexual exploitation screening tool for a child.
    RecordCseScreening,
    /// See the risk management group's list of children at medium or high risk of sexual
    /// exploitation.
    ViewRiskManagementGroup,
    /// Record the risk management group's review of a child (the next review date).
    RecordCseReview,
    /// Configure the authority's threshold prompts (which are on, their ages and counts, the
    /// outcome each prompts and its source).
    ManageThresholdPrompts,
    /// The report of authorised decisions that departed from a threshold prompt, with the
    /// manager's reasons.
    ViewThresholdPromptDepartures,
    /// Start a child and family assessment on an episode, record its visits, the child's views,
    /// history, family, verification, factors and outcome, and submit it for authorisation.
    RecordAssessment,
    /// A team manager authorises a submitted assessment, or returns it to the worker (never one
    /// they submitted).
    AuthoriseAssessment,
    /// The assessment reports: due and overdue, reasons for missing quality points, repeats.
    ViewAssessmentReports,
    /// Read early help episodes: the lists (unallocated, one's own, overdue assessments) and an
    /// episode with its consent, contacts, assessment and actions.
    ViewEarlyHelp,
    /// Work an early help episode: allocate it to a coordinator, record contact with the
    /// family, consent to share, the lead professional, the assessment and team-around-the-
    /// family actions.
    RecordEarlyHelp,
    /// A manager records a safeguarding reason to share with an agency without (or against)
    /// the family's consent.
    RecordSafeguardingOverride,
    /// Step an early help episode up to children's social care (a new contact at the front
    /// door, carrying the early help history).
    StepUpEarlyHelp,
    /// Step a child's episode of social care down to early help (closing it RC9).
    StepDownToEarlyHelp,
    /// A partner practitioner appointed lead professional sees the episode they lead (as far
    /// as consent allows) and records the early help assessment through the partner portal.
    LeadEarlyHelpAssessment,
    /// Produce the statutory returns (the DfE Children in Need census) and read the DfE's
    /// validation errors and queries, child by child, before they are submitted.
    ProduceStatutoryReturns,
    /// Plan quality-assurance audits (standard, thematic, multi-agency), sample their cases,
    /// grade and complete case audits, agree their actions, invite partner auditors and read
    /// the audit summary report.
    ConductCaseAudits,
    /// Add audit tools (named sets of graded questions).
    ManageAuditTools,
    /// A partner auditor invited to a multi-agency audit reads that audit's case summary and
    /// answers its questions (nothing else: other audits and children are not found).
    TakePartInMultiAgencyAudit,
}

impl Action {
    pub const ALL: [Action; 65] = [
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
        Action::RecordSupervision,
        Action::ViewSupervision,
        Action::CompleteSupervisionAction,
        Action::ViewDriftReport,
        Action::RecordCseScreening,
        Action::ViewRiskManagementGroup,
        Action::RecordCseReview,
        Action::ManageThresholdPrompts,
        Action::ViewThresholdPromptDepartures,
        Action::RecordAssessment,
        Action::AuthoriseAssessment,
        Action::ViewAssessmentReports,
        Action::ViewEarlyHelp,
        Action::RecordEarlyHelp,
        Action::RecordSafeguardingOverride,
        Action::StepUpEarlyHelp,
        Action::StepDownToEarlyHelp,
        Action::LeadEarlyHelpAssessment,
        Action::ProduceStatutoryReturns,
        Action::ConductCaseAudits,
        Action::ManageAuditTools,
        Action::TakePartInMultiAgencyAudit,
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
                | Action::RecordSupervision
                | Action::AuthoriseAssessment
        )
    }

    /// Actions on a record that is one worker's own (a supervision of them, an action they
    /// own): others may take them only as that worker's manager (or, for reading, as a senior
    /// manager or quality assurance officer).
    pub fn is_worker_scoped(self) -> bool {
        matches!(
            self,
            Action::ViewSupervision | Action::CompleteSupervisionAction
        )
    }
}
