//! Page templates (askama) and the view models they render. Templates receive display-ready
//! strings: formatting happens here, once.

use crate::forms::{Choice, FormState};
use crate::AppState;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_app::{london, SignedIn};
use frontdoor_domain::authorization::{authorize, Action, Resource};

pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service.",
            )
                .into_response()
        }
    }
}

/// A page with a form on it: 422 when the form was refused (it carries errors), so that the
/// answer says so as well as the page.
pub fn render_form<T: Template>(page: &T, form: &FormState) -> Response {
    let mut response = render(page);
    if form.has_errors() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// The notice a page shows after one of its forms, from the `?done=` value the form sent it
/// back with: looked up in the page's own list, so nothing from the address is echoed into the
/// page.
pub fn done_notice(done: Option<&str>, notices: &[(&str, &'static str)]) -> Option<&'static str> {
    notices
        .iter()
        .find(|(value, _)| Some(*value) == done)
        .map(|(_, notice)| *notice)
}

pub fn instant(at: DateTime<Utc>) -> String {
    london(at).format("%-d %b %Y, %H:%M").to_string()
}

pub fn date(on: NaiveDate) -> String {
    on.format("%-d %b %Y").to_string()
}

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// What every page around its content needs: who is signed in, the navigation, the CSRF token.
pub struct Chrome {
    pub authority_name: String,
    pub worker_name: String,
    pub role_label: String,
    pub csrf_token: String,
    pub signed_in: bool,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    /// For pages shown without knowing who is asking (errors).
    pub fn anonymous() -> Self {
        Chrome {
            authority_name: "frontdoor".into(),
            worker_name: String::new(),
            role_label: String::new(),
            csrf_token: String::new(),
            signed_in: false,
            nav: vec![],
        }
    }
    pub fn public(state: &AppState) -> Self {
        Chrome {
            authority_name: state.authority_name.to_string(),
            worker_name: String::new(),
            role_label: String::new(),
            csrf_token: String::new(),
            signed_in: false,
            nav: vec![],
        }
    }
    pub fn for_worker(state: &AppState, worker: &SignedIn, current: &str) -> Self {
        let actor = worker.actor();
        let can =
            |action| authorize(&actor, action, &Resource::authority(actor.authority)).is_allowed();
        let mut nav = vec![NavItem {
            href: "/",
            label: "Home".into(),
            current: current == "/",
        }];
        if can(Action::ViewContactQueue) {
            nav.push(NavItem {
                href: "/contacts",
                label: "Contact queue".into(),
                current: current == "/contacts",
            });
        }
        if can(Action::RecordContact) {
            nav.push(NavItem {
                href: "/contacts/new",
                label: "Record a contact".into(),
                current: current == "/contacts/new",
            });
        }
        if can(Action::RecordTriageMeeting) {
            nav.push(NavItem {
                href: "/triage",
                label: "MASH triage".into(),
                current: current == "/triage",
            });
        }
        if can(Action::SearchPeople) {
            nav.push(NavItem {
                href: "/people/search",
                label: "Find a person".into(),
                current: current == "/people/search",
            });
        }
        if can(Action::ViewWorkDue) {
            nav.push(NavItem {
                href: "/work-due",
                label: "Work due".into(),
                current: current == "/work-due",
            });
        }
        if can(Action::ViewPerformance) {
            nav.push(NavItem {
                href: "/dashboard",
                label: "Dashboard".into(),
                current: current == "/dashboard",
            });
        }
        if can(Action::ViewWorkloads) {
            nav.push(NavItem {
                href: "/workloads",
                label: "Workloads".into(),
                current: current == "/workloads",
            });
        }
        if can(Action::RecordAssessment) || can(Action::ViewAssessmentReports) {
            nav.push(NavItem {
                href: "/assessments",
                label: "Assessments".into(),
                current: current == "/assessments",
            });
        }
        if can(Action::ViewSupervision) {
            nav.push(NavItem {
                href: "/supervision",
                label: "Supervision".into(),
                current: current == "/supervision",
            });
        }
        if can(Action::ViewRiskManagementGroup) {
            nav.push(NavItem {
                href: "/risk-management-group",
                label: "Risk management group".into(),
                current: current == "/risk-management-group",
            });
        }
        if can(Action::ViewThresholdPromptDepartures) {
            nav.push(NavItem {
                href: "/threshold-prompts",
                label: "Threshold prompts".into(),
                current: current == "/threshold-prompts",
            });
        }
        if can(Action::ViewEarlyHelp) {
            nav.push(NavItem {
                href: "/early-help",
                label: "Early help".into(),
                current: current == "/early-help",
            });
        }
        if can(Action::ProduceStatutoryReturns) {
            nav.push(NavItem {
                href: "/returns",
                label: "Returns".into(),
                current: current == "/returns",
            });
        }
        // A partner auditor's list holds only the audits they are invited to.
        if can(Action::ConductCaseAudits) || can(Action::TakePartInMultiAgencyAudit) {
            nav.push(NavItem {
                href: "/audits",
                label: "Audits".into(),
                current: current == "/audits",
            });
        } else if can(Action::ManageAuditTools) {
            nav.push(NavItem {
                href: "/audits/tools",
                label: "Audit tools".into(),
                current: current == "/audits",
            });
        }
        if can(Action::ViewDuplicates) {
            nav.push(NavItem {
                href: "/people/duplicates",
                label: "Duplicates".into(),
                current: current == "/people/duplicates",
            });
        }
        // Scoped to the partner's own organisation, which the portal's queries apply.
        if actor.role.allows(Action::ViewAddressedInformationRequests) {
            nav.push(NavItem {
                href: "/partner/requests",
                label: "Information requests".into(),
                current: current.starts_with("/partner/requests"),
            });
        }
        // Scoped to the episodes the partner leads, as far as consent allows.
        if actor.role.allows(Action::LeadEarlyHelpAssessment) {
            nav.push(NavItem {
                href: "/partner/early-help",
                label: "Early help you lead".into(),
                current: current.starts_with("/partner/early-help"),
            });
        }
        if can(Action::ViewNotifications) {
            nav.push(NavItem {
                href: "/notifications",
                label: match worker.unread_notifications {
                    0 => "Notifications".into(),
                    n => format!("Notifications ({n})"),
                },
                current: current == "/notifications",
            });
        }
        if can(Action::ManageWorkers) {
            nav.push(NavItem {
                href: "/admin/workers",
                label: "Administration".into(),
                current: current.starts_with("/admin/"),
            });
        }
        Chrome {
            authority_name: state.authority_name.to_string(),
            worker_name: worker.worker.display_name.clone(),
            role_label: worker.worker.role.label().to_string(),
            csrf_token: worker.csrf_token.clone(),
            signed_in: true,
            nav,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub title: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    pub chrome: Chrome,
    pub username: String,
    pub next: String,
    pub error: Option<String>,
    /// The double-submit token, also in the `fd_sign_in` cookie.
    pub csrf_token: String,
}

impl SignInPage {
    pub fn new(
        state: &AppState,
        username: &str,
        next: &str,
        error: Option<String>,
        csrf_token: &str,
    ) -> Self {
        Self {
            chrome: Chrome::public(state),
            username: username.to_string(),
            next: next.to_string(),
            error,
            csrf_token: csrf_token.to_string(),
        }
    }
}

pub struct HomeLink {
    pub href: String,
    pub title: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub greeting: String,
    pub summary: Vec<(String, String)>,
    pub links: Vec<HomeLink>,
}

/// The choices a contact form offers, from the domain's code lists.
pub struct ContactChoices {
    pub sources: Vec<Choice>,
    pub concerns: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub consents: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub sexes: Vec<Choice>,
    pub child_rows: Vec<usize>,
    pub adult_rows: Vec<usize>,
}

impl ContactChoices {
    pub fn new(public: bool) -> Self {
        use frontdoor_domain::contact::*;
        use frontdoor_domain::person::Sex;
        let channels: Vec<ContactChannel> = ContactChannel::ALL
            .into_iter()
            .filter(|c| !matches!(c, ContactChannel::OnlineForm | ContactChannel::Api))
            .collect();
        Self {
            sources: Choice::each(&ReferralSource::ALL, |s| (s.code(), s.label())),
            concerns: Choice::each(&ConcernCategory::ALL, |c| (c.code(), c.label())),
            urgencies: Choice::each(&Urgency::ALL, |u| (u.code(), u.label())),
            consents: Choice::each(&FamilyConsent::ALL, |c| (c.code(), c.label())),
            channels: Choice::each(&channels, |c| (c.code(), c.label())),
            sexes: Choice::each(&Sex::ALL, |s| (s.code(), s.label())),
            child_rows: (0..if public { 3 } else { 4 }).collect(),
            adult_rows: (0..2).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "contact_new.html")]
pub struct NewContactPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub choices: ContactChoices,
}

#[derive(Template)]
#[template(path = "refer.html")]
pub struct PublicFormPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub choices: ContactChoices,
    pub form_token: String,
}

#[derive(Template)]
#[template(path = "refer_done.html")]
pub struct PublicDonePage {
    pub chrome: Chrome,
    pub reference: String,
}

pub struct QueueRowView {
    pub href: String,
    pub reference: String,
    pub child: String,
    pub received: String,
    pub source: String,
    pub urgency: String,
    pub urgent: bool,
    pub out_of_hours: bool,
    pub status: String,
    pub team: String,
    pub due: String,
    pub timescale: String,
    pub timescale_tag: &'static str,
    pub breach: bool,
    /// Information requests on the contact past their due time.
    pub overdue_requests: i64,
}

#[derive(Template)]
#[template(path = "queue.html")]
pub struct QueuePage {
    pub chrome: Chrome,
    pub heading: String,
    pub rows: Vec<QueueRowView>,
    pub total: i64,
    pub overdue: i64,
    pub due_today: i64,
    /// Information requests past their due time, over the whole authority.
    pub overdue_requests: i64,
    pub teams: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub filter_team: String,
    pub filter_status: String,
    pub filter_urgency: String,
    pub filter_hours: String,
}

pub struct SubjectRow {
    pub name: String,
    pub is_child: bool,
    pub as_described: String,
    pub linked: bool,
    pub person_href: String,
    pub person_name: String,
    pub la_person_id: String,
    pub link_href: String,
    pub flags: Vec<(String, &'static str)>,
    pub previous_contacts: Vec<(String, String, String)>,
}

pub struct DecisionRow {
    pub state: String,
    pub state_tag: &'static str,
    pub outcome: String,
    pub level: String,
    pub signposted_to: String,
    pub rationale: String,
    pub recommended: String,
    pub reviewed: String,
    pub review_rationale: String,
    /// The threshold prompts recorded on the decision: (name and the outcome it asks for, why
    /// it fired, the manager's reason for departing from it or empty).
    pub prompts: Vec<(String, String, String)>,
}

/// A threshold prompt that fires on a contact, shown beside the recommendation.
pub struct PromptRow {
    pub name: String,
    /// The outcome it asks for at least, in words.
    pub minimum: String,
    pub because: String,
    pub source: String,
    /// The review form's field for the manager's reason, when the decision awaiting them is
    /// below this prompt (empty otherwise).
    pub reason_field: String,
    pub reason_label: String,
}

#[derive(Template)]
#[template(path = "contact.html")]
pub struct ContactPage {
    pub chrome: Chrome,
    pub id: String,
    pub reference: String,
    pub status: String,
    pub status_tag: &'static str,
    pub details: Vec<(String, String)>,
    pub concern_summary: String,
    pub timescale: String,
    pub timescale_tag: &'static str,
    pub due: String,
    pub subjects: Vec<SubjectRow>,
    pub decisions: Vec<DecisionRow>,
    /// What MASH triage meetings said: (meeting link, held, rating, tag class, next step).
    pub triage: Vec<(String, String, &'static str, &'static str, String)>,
    pub emergency_actions: Vec<(String, String, String)>,
    pub can_recommend: bool,
    pub recommend_blocked: String,
    pub can_review: bool,
    pub review_blocked: String,
    pub can_emergency: bool,
    /// Information requests on the contact (None when the worker may not read them), and how
    /// many are overdue.
    pub information_requests: Option<(usize, usize)>,
    /// A contact about domestic abuse: per linked child, (link, child's name, whether the DASH
    /// checklist is done, what it found or that it is required).
    pub dash_prompts: Vec<(String, String, bool, String)>,
    /// Whether any child on it still needs the DASH checklist.
    pub dash_outstanding: bool,
    /// A contact raising child sexual exploitation: per linked child, (link, child's name,
    /// whether the CSE screening is done, what it found or that it is required).
    pub cse_prompts: Vec<(String, String, bool, String)>,
    /// Whether any child on it still needs the CSE screening.
    pub cse_outstanding: bool,
    /// Threshold prompts that fire on the contact now (shown while it is open).
    pub threshold_prompts: Vec<PromptRow>,
    pub outcomes: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub emergency_choices: Vec<Choice>,
    pub form: FormState,
    pub notice: String,
}

pub struct CandidateRow {
    pub person_id: String,
    pub name: String,
    pub la_person_id: String,
    pub birth_date: String,
    pub postcode: String,
    pub nhs_number: String,
    pub score: String,
    pub strength: String,
    pub strength_tag: &'static str,
    pub reasons: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "link.html")]
pub struct LinkPage {
    pub chrome: Chrome,
    pub contact_href: String,
    pub action: String,
    pub reference: String,
    pub described: Vec<(String, String)>,
    pub name: String,
    pub candidates: Vec<CandidateRow>,
    pub searched: usize,
}

#[derive(Template)]
#[template(path = "person_search.html")]
pub struct PersonSearchPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub searched: bool,
    pub candidates: Vec<CandidateRow>,
}

/// One choice of a filter's select.
pub struct FilterChoice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct ChronologyRow {
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
    pub when: String,
    pub category: &'static str,
    pub what: String,
    pub detail: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "person.html")]
pub struct PersonPage {
    pub chrome: Chrome,
    pub name: String,
    pub details: Vec<(String, String)>,
    pub flags: Vec<(String, &'static str)>,
    /// The family network: the genogram and its text alternative.
    pub network: crate::pages::family_network::FamilyNetworkSection,
    pub can_record_relationship: bool,
    pub contacts: Vec<(String, String, String, String)>,
    /// The child's episodes of need: link, referral date, status.
    pub episodes: Vec<(String, String, String)>,
    /// The child's early help episodes: link, opened date, status (None: not shown).
    pub early_help: Option<Vec<(String, String, String)>>,
    /// The child's case supervision (for those who may read supervision).
    pub supervision: Option<crate::pages::supervision::ChildSupervisionSection>,
    pub person_id: String,
    pub chronology_filter: Vec<FilterChoice>,
    pub chronology: Vec<ChronologyRow>,
    pub access: Vec<(String, String, String)>,
    pub merges: Vec<MergeRow>,
    pub can_merge: bool,
}

pub struct DuplicateRow {
    pub first_id: String,
    pub first: String,
    pub second_id: String,
    pub second: String,
    pub score: String,
    pub strength: String,
    pub tag: &'static str,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
pub struct DuplicatesPage {
    pub chrome: Chrome,
    pub pairs: Vec<DuplicateRow>,
    /// When the stored report was worked out (London time); `None`: not yet.
    pub computed: Option<String>,
    pub people_compared: i64,
    pub can_merge: bool,
}

#[derive(Template)]
#[template(path = "merge.html")]
pub struct MergePage {
    pub chrome: Chrome,
    pub form: FormState,
    pub keep_id: String,
    pub keep_name: String,
    pub keep_details: Vec<(String, String)>,
    pub merge_id: String,
    pub merge_name: String,
    pub merge_details: Vec<(String, String)>,
}

pub struct MergeRow {
    pub id: String,
    pub description: String,
    pub reversible: bool,
}

#[derive(Template)]
#[template(path = "triage/meetings.html")]
pub struct TriageMeetingsPage {
    pub chrome: Chrome,
    pub can_record: bool,
    /// (link, held, recorded by, attendees, contacts discussed)
    pub meetings: Vec<(String, String, String, String, String)>,
}

/// An open contact offered on the triage meeting form.
pub struct TriageContactRow {
    pub index: usize,
    pub contact_id: String,
    pub legend: String,
    pub hint: String,
    pub rating_field: String,
    pub next_step_field: String,
}

#[derive(Template)]
#[template(path = "triage/new.html")]
pub struct NewTriageMeetingPage {
    pub chrome: Chrome,
    pub form: FormState,
    /// (number, name field, agency field, role field)
    pub attendee_rows: Vec<(usize, String, String, String)>,
    pub agencies: Vec<Choice>,
    /// (code, label, hint)
    pub ratings: Vec<(&'static str, &'static str, &'static str)>,
    pub contacts: Vec<TriageContactRow>,
}

#[derive(Template)]
#[template(path = "triage/meeting.html")]
pub struct TriageMeetingPage {
    pub chrome: Chrome,
    pub recorded: bool,
    pub held: String,
    pub recorded_by: String,
    pub notes: String,
    /// (name, agency, role)
    pub attendees: Vec<(String, &'static str, String)>,
    /// (contact link, reference, rating, tag class, next step)
    pub discussed: Vec<(String, String, &'static str, &'static str, String)>,
}
