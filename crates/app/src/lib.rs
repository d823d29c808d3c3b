//! frontdoor's use cases. Each public function of [`App`] is one thing a person can do:
//! authorize → load → apply the domain rule → store the change with its event, in one
//! transaction. The web server and the CLI call these functions and nothing below them.
#![forbid(unsafe_code)]

mod accounts;
mod administration;
mod assessments;
mod case_audits;
pub mod chronology;
mod conferences;
mod contacts;
mod cse;
mod dash;
pub mod dashboard;
mod decisions;
mod duplicates;
mod early_help;
mod email;
mod episodes;
mod error;
mod event_payloads;
pub mod family_network;
mod import;
mod information_requests;
mod linkage;
mod local_time;
mod notifications;
mod passwords;
mod people;
mod protection_plans;
mod referral_progress;
pub mod returns;
mod risk;
mod safety_plans;
mod search;
mod section_47;
mod setup;
pub mod spreadsheet;
mod stored_duplicates;
mod strategy_discussions;
pub mod supervision;
pub mod synthetic_load;
mod threshold_prompts;
mod todays_work;
pub mod triage;
mod work_due;
mod workloads;

pub use accounts::{SignIn, SignedIn, ThrottleSettings, SESSION_IDLE_MINUTES};
pub use administration::{
    ActingAs, FrameworkHistory, NewOrganisation, NewTeam, PlacementInput, WorkerSummary,
};
pub use assessments::{
    Assessment, AssessmentInput, AssessmentListScope, AssessmentQualityReport,
    AssessmentReturnInput, AssessmentSubmissionInput, AssessmentSummary, AssessmentView,
    AssessmentVisitInput, MissingPointReason, PointCount, TeamQuality, VisitRecord,
};
pub use case_audits::{
    Audit, AuditAction, AuditActionInput, AuditFinding, AuditInput, AuditInvitation,
    AuditListSampleInput, AuditSummaryReport, AuditToolInput, AuditView, CaseAudit,
    CaseAuditAnswer, CaseAuditAnswersInput, CaseAuditView, CaseSummary, GivenAnswerInput,
    GradeCount, InvitationInput, QuestionGrades, SummaryLine, TeamAudits,
};
pub use conferences::ConferenceInput;
pub use contacts::{
    ContactInput, ContactView, LinkTarget, QueueRow, QueueView, SubjectInput, SubjectView,
};
pub use cse::{CsePrompt, CseReviewInput, CseScreeningInput, RiskManagementGroup, RmgChild};
pub use dash::{DashInput, DashPrompt};
pub use decisions::{RecommendationInput, ReviewInput};
pub use duplicates::DuplicatePair;
pub use early_help::{
    AgencySharing, AllocationInput, AssessmentCompletionInput, AssessmentStartInput, ConsentInput,
    EarlyHelpClosureInput, EarlyHelpLists, EarlyHelpView, FamilyActionInput, FamilyContactInput,
    LeadProfessionalInput, PartnerEarlyHelp, PartnerEarlyHelpSummary, SafeguardingOverrideInput,
    StepDownInput, StepUpInput, CONTACT_METHODS,
};
pub use email::{email_text, EmailSettings};
pub use episodes::{EnquiryView, EpisodeClosureInput, EpisodeUpdateInput, EpisodeView, PlanView};
pub use error::{AppError, FieldError};
pub use frontdoor_store::information_requests::RequestsOn;
pub use import::{file_sha256, ImportError, ImportOptions, ImportReport};
pub use information_requests::{
    AddressedRequestView, InformationRequestInput, RequestChoices, RequestOnContact,
};
pub use linkage::{
    calibrate_link, calibrate_within, dedupe_grouped, dedupe_records, duplicate_groups,
    link_records, one_to_one, read_link_file, read_link_records, search_keys_of, weigh_addresses,
    write_pairs_csv, write_reading_report_csv, CsvError, CsvProblem, CsvReadError, LinkFile,
    LinkRecord, LinkedPair, ReadingAction, ReadingNote, ReadingSummary, CALIBRATION_RANDOM_PAIRS,
    DEFAULT_LINK_THRESHOLD, DEFAULT_ONE_TO_ONE_THRESHOLD, MAX_LINK_BLOCK, MAX_REPORTED_PROBLEMS,
    PERSON_CSV_COLUMNS, READING_REPORT_HEADER,
};
pub use local_time::{london, london_date, LONDON};
pub use notifications::{notification_title, NotificationsView, OverdueReminder};
pub use passwords::{PasswordHasherPool, BUSY_RETRY_AFTER_SECONDS};
pub use people::{PersonInput, PersonView};
pub use protection_plans::{PlanEndInput, PlanVisitInput};
pub use referral_progress::ReferralProgress;
pub use risk::{ChildRisk, Requirement, RequirementKind};
pub use safety_plans::{PlanActionInput, SafetyPlanInput, SafetyPlanView};
pub use search::{MatchStrength, PersonQuery, SearchReason, SearchResult, SearchResults};
pub use section_47::{EnquiryOutcomeInput, EnquiryVisitInput};
pub use setup::{AuthorityDirectory, NewAuthority, NewWorker};
pub use stored_duplicates::{DuplicatesRefresh, StoredDuplicates};
pub use strategy_discussions::{
    ActionInput, AttendeeInput, RiskInput, StrategyDiscussionView, StrategyRecordInput,
};
pub use threshold_prompts::{departure_field, reasons_from_fields, rule_field, PromptRuleInput};
pub use todays_work::TodaysWork;
pub use work_due::{WorkDue, WorkDueCount, WorkDueItem, WorkDueKind, WorkDueScope, WORK_DUE_SHOWN};
pub use workloads::{TeamWorkload, WorkerWorkload, WorkloadRulesInput, Workloads, OVERRIDES_SHOWN};

use frontdoor_domain::clock::Clock;
use frontdoor_domain::matching::MatchModel;
use frontdoor_domain::timescale::OfficeHours;
use frontdoor_store::Store;
use std::sync::Arc;

/// Settings that change how the use cases behave (not where things are: that is the CLI's).
#[derive(Debug, Clone)]
pub struct Settings {
    pub office_hours: OfficeHours,
    pub throttle: ThrottleSettings,
    /// A session ends after this long without a request (held within
    /// [`SESSION_IDLE_MINUTES`]).
    pub session_idle_minutes: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            office_hours: OfficeHours::default(),
            throttle: ThrottleSettings::default(),
            session_idle_minutes: 30,
        }
    }
}

/// The application: the store, the clock and the settings.
#[derive(Clone)]
pub struct App {
    /// The store, public for tests, benchmarks and data loaders that check what was written.
    /// The web layer and the CLI go through the use cases, never through this.
    pub store: Store,
    clock: Arc<dyn Clock>,
    settings: Settings,
    match_model: Arc<MatchModel>,
    /// Password hashing, bounded to one hash per core off the async runtime.
    passwords: PasswordHasherPool,
    /// Sign-in attempts being counted and recorded at once. They queue on one database lock;
    /// waiting here instead keeps a burst of sign-ins from holding every pooled connection.
    sign_in_recording: Arc<tokio::sync::Semaphore>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        Self {
            store,
            clock,
            settings,
            match_model: Arc::new(MatchModel::default()),
            passwords: PasswordHasherPool::per_core(),
            sign_in_recording: Arc::new(tokio::sync::Semaphore::new(4)),
        }
    }
    /// The same app with another bound on password hashing (for tests and benchmarks).
    pub fn with_password_pool(mut self, passwords: PasswordHasherPool) -> Self {
        self.passwords = passwords;
        self
    }
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

/// What `frontdoor audit verify` reports.
#[derive(Debug, Clone)]
pub struct AuditReport {
    pub events: frontdoor_store::events::ChainReport,
    pub access_log: frontdoor_store::events::ChainReport,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.events.first_break.is_none() && self.access_log.first_break.is_none()
    }
}

impl App {
    /// Verifies both hash chains from end to end (an operator's task, run from the CLI).
    pub async fn verify_audit_trail(&self) -> Result<AuditReport, AppError> {
        Ok(AuditReport {
            events: self.store.verify_events().await?,
            access_log: self.store.verify_access_log().await?,
        })
    }
}

/// The record types use cases return, for the web layer and the CLI (which do not reach the
/// store themselves).
pub mod records {
    pub use frontdoor_store::access_log::Access;
    pub use frontdoor_store::administration::FrameworkVersion;
    pub use frontdoor_store::child_protection::{
        Conference, Enquiry, EnquiryVisit, PlanVisit, ProtectionPlan,
    };
    pub use frontdoor_store::contacts::{
        Contact, ContactSubject, QueueEntry, QueueFilter, Referrer,
    };
    pub use frontdoor_store::cse::{CseAnswer, CseReview, CseScreening};
    pub use frontdoor_store::dash::{DashAnswer, DashAssessment, MaracReferral};
    pub use frontdoor_store::decisions::{EmergencyActionRecord, ThresholdDecision};
    pub use frontdoor_store::early_help::{
        ConsentRecord, EarlyHelpAssessment, EarlyHelpClosure, EarlyHelpEpisode, FamilyAction,
        FamilyContact, OverrideRecord,
    };
    pub use frontdoor_store::episodes::Episode;
    pub use frontdoor_store::events::{ChainReport, Event};
    pub use frontdoor_store::information_requests::{AddressedRequest, InformationRequest};
    pub use frontdoor_store::merges::PersonMerge;
    pub use frontdoor_store::notifications::Notification;
    pub use frontdoor_store::organisation::{
        Authority, Organisation, OrganisationKind, Team, Worker,
    };
    pub use frontdoor_store::people::{Address, Person, PreviousName, RelatedPerson};
    pub use frontdoor_store::safety_plans::SafetyPlan;
    pub use frontdoor_store::strategy_discussions::StrategyDiscussion;
    pub use frontdoor_store::threshold_prompts::{DecisionPrompt, PromptDeparture};
    pub use frontdoor_store::{DatabaseUrl, Store, StoreError};
}

impl App {
    /// Whether the database answers (for `/healthz`).
    pub async fn health_check(&self) -> Result<(), AppError> {
        self.store.applied_schema_version().await?;
        Ok(())
    }

    /// The worker's own authority (its name, threshold framework and closure days).
    pub async fn authority_of(
        &self,
        actor: &frontdoor_domain::authorization::Actor,
    ) -> Result<records::Authority, AppError> {
        Ok(self.store.authority(actor.authority).await?)
    }

    /// The authority's teams (names are not sensitive: every worker may list them).
    pub async fn teams(
        &self,
        actor: &frontdoor_domain::authorization::Actor,
    ) -> Result<Vec<records::Team>, AppError> {
        Ok(self.store.teams(actor.authority).await?)
    }

    /// The authority's workers, for administrators.
    pub async fn workers(
        &self,
        actor: &frontdoor_domain::authorization::Actor,
    ) -> Result<Vec<records::Worker>, AppError> {
        use frontdoor_domain::authorization::Action;
        actor.may(Action::ManageWorkers)?;
        Ok(self.store.workers(actor.authority).await?)
    }
}

impl App {
    /// The authority whose online referral form a server offers (public information).
    pub async fn public_authority(
        &self,
        id: frontdoor_domain::ids::AuthorityId,
    ) -> Result<records::Authority, AppError> {
        Ok(self.store.authority(id).await?)
    }
}
