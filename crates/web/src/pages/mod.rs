//! The staff pages: home, contact queue, recording a contact, the contact page (link, recommend,
//! authorise), person search and the person record.
//!
//! One module per area, in the style of crates.io's `controllers/<area>/`: [`contacts`] and
//! [`people`]. This module holds home, the health check and the helpers the areas share.

pub mod assessments;
pub mod audits;
pub mod conferences;
pub mod contacts;
pub mod cse;
pub mod dashboard;
pub mod early_help;
pub mod early_help_partner;
pub mod episode_forms;
pub mod episodes;
pub mod family_network;
pub mod information_requests;
pub mod notifications;
pub mod partner_portal;
pub mod people;
pub mod protection_plans;
pub mod returns;
pub mod risk;
pub mod safety_plans;
pub mod section_47;
pub mod strategy_discussions;
pub mod supervision;
pub mod threshold_prompts;
pub mod triage;
pub mod work_due;
pub mod workloads;

use crate::auth::Worker;
use crate::errors::PageError;
use crate::views::*;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontdoor_app::records::QueueFilter;
use frontdoor_app::SignedIn;
use frontdoor_domain::authorization::{authorize, Action, Resource, Role};
use frontdoor_domain::contact::ContactStatus;

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.app.health_check().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

pub async fn not_found() -> Response {
    PageError::NotFound("There is no page here. Check the address, or go to the home page.".into())
        .into_response()
}

fn can(worker: &SignedIn, action: Action) -> bool {
    let actor = worker.actor();
    authorize(&actor, action, &Resource::authority(actor.authority)).is_allowed()
}

pub async fn home(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let mut summary = Vec::new();
    let mut links = Vec::new();
    let link = |href: &str, title: &str, description: &str| HomeLink {
        href: href.into(),
        title: title.into(),
        description: description.into(),
    };
    if can(&worker, Action::ViewContactQueue) {
        let queue = state
            .app
            .contact_queue(
                &actor,
                &QueueFilter {
                    limit: 1000,
                    ..Default::default()
                },
            )
            .await?;
        summary.push(("Open contacts".to_string(), queue.total.to_string()));
        summary.push((
            "Overdue (past one working day)".to_string(),
            queue.overdue.to_string(),
        ));
        summary.push(("Due today".to_string(), queue.due_today.to_string()));
        summary.push((
            "Information requests overdue".to_string(),
            queue.overdue_requests.to_string(),
        ));
        if worker.worker.role == Role::TeamManager {
            let awaiting = queue
                .rows
                .iter()
                .filter(|r| {
                    r.entry.status == ContactStatus::AwaitingAuthorisation
                        && r.entry.team == actor.team
                })
                .count();
            summary.push((
                "Awaiting your authorisation".to_string(),
                awaiting.to_string(),
            ));
            links.push(link(
                "/contacts?status=awaiting_authorisation&mine=1",
                "Decisions awaiting your authorisation",
                "Recommendations from your team's social workers, soonest due first.",
            ));
        }
        links.push(link(
            "/contacts",
            "Contact queue",
            "Contacts awaiting triage, a decision or authorisation, soonest due first.",
        ));
    }
    if can(&worker, Action::ViewWorkDue) {
        links.push(link(
            "/work-due",
            "Work due",
            "Strategy discussions to hold, conferences, reviews and statutory visits, soonest first.",
        ));
    }
    if can(&worker, Action::ViewWorkloads) {
        links.push(link(
            "/workloads",
            "Workloads",
            "Caseloads by team and worker, weighted by stage, with ASYE workers' protected caseloads.",
        ));
    }
    if can(&worker, Action::RecordAssessment) || can(&worker, Action::ViewAssessmentReports) {
        links.push(link(
            "/assessments",
            "Child and family assessments",
            "Open assessments with their due dates; overdue ones; the quality report.",
        ));
    }
    if can(&worker, Action::ViewSupervision) {
        links.push(link(
            "/supervision",
            "Case supervision",
            if can(&worker, Action::RecordSupervision) {
                "Record your workers' supervision; the drift report of actions past due or carried forward."
            } else {
                "Your supervisions and the supervision actions you own."
            },
        ));
    }
    if can(&worker, Action::RecordContact) {
        links.push(link(
            "/contacts/new",
            "Record a contact",
            if worker.worker.role == Role::PartnerPractitioner {
                "Make a referral about a child you are worried about."
            } else {
                "A concern received by phone, email or in person."
            },
        ));
    }
    if can(&worker, Action::SearchPeople) {
        links.push(link(
            "/people/search",
            "Find a person",
            "Search children and adults by name, date of birth, postcode or NHS number.",
        ));
    }
    if worker
        .worker
        .role
        .allows(Action::ViewAddressedInformationRequests)
    {
        links.push(link(
            "/partner/requests",
            "Information requests",
            "Questions from the front door for your organisation to answer.",
        ));
    }
    links.push(link(
        "/notifications",
        "Notifications",
        "What is waiting for you: new requests, answers, decisions returned or awaiting authorisation.",
    ));
    if worker.worker.role == Role::Administrator {
        links.push(link(
            "/admin/workers",
            "Workers",
            "Deactivate leavers, reset passwords, end sessions, change roles and teams.",
        ));
        links.push(link(
            "/admin/organisations",
            "Partner organisations",
            "Add, rename and retire the partner agencies whose practitioners make referrals.",
        ));
        links.push(link(
            "/admin/teams",
            "Teams",
            "Add, rename and retire teams, and choose which receive contacts.",
        ));
        links.push(link(
            "/admin/threshold-framework",
            "Threshold framework",
            "The levels of need in force, their history, and publishing a new version.",
        ));
        links.push(link(
            "/api/openapi.json",
            "API description",
            "The OpenAPI document for partner systems.",
        ));
        summary.push((
            "Workers".to_string(),
            state.app.workers(&actor).await?.len().to_string(),
        ));
    }
    let page = HomePage {
        chrome: Chrome::for_worker(&state, &worker, "/"),
        greeting: format!("{} home", worker.worker.role.label()),

        summary,
        links,
    };
    Ok(render(&page))
}

/// Emergency action as a table shows it: (when, action, notes).
fn emergency_action_rows(
    actions: &[frontdoor_app::records::EmergencyActionRecord],
) -> Vec<(String, String, String)> {
    actions
        .iter()
        .map(|a| {
            (
                instant(a.taken_at),
                a.action.label().to_string(),
                a.notes.clone(),
            )
        })
        .collect()
}

fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, PageError> {
    text.parse()
        .map_err(|_| PageError::NotFound("There is no record at this address.".into()))
}

/// An id naming a `what` (from the path or a form); anything that is not one is a page not
/// found that says what was sought.
pub(crate) fn path_id<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, PageError> {
    text.parse().map_err(|_| PageError::no_such(what))
}

/// Where history flags are shown: beside a child on a contact (the point of decision), or on
/// the child's own record.
#[derive(Clone, Copy, PartialEq)]
enum HistoryContext {
    OnContact,
    OnRecord,
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn history_flags(
    history: &frontdoor_domain::history::HistoryFlags,
    context: HistoryContext,
) -> Vec<(String, &'static str)> {
    let mut flags = Vec::new();
    let referrals = plural(history.referrals_in_last_12_months, "referral");
    if history.would_be_re_referral {
        flags.push(match context {
            HistoryContext::OnContact => (
                format!("Re-referral: {referrals} in the last 12 months"),
                "govuk-tag--red",
            ),
            HistoryContext::OnRecord => (
                format!("{referrals} in the last 12 months: another would be a re-referral"),
                "govuk-tag--red",
            ),
        });
    }
    if history.repeated_assessments() {
        flags.push((
            format!(
                "Repeated assessments: {} in 12 months",
                history.assessments_in_last_12_months
            ),
            "govuk-tag--red",
        ));
    } else if history.assessments_in_last_12_months == 1 {
        flags.push((
            "1 assessment in the last 12 months".into(),
            "govuk-tag--yellow",
        ));
    }
    let contacts = match context {
        HistoryContext::OnContact if history.previous_contacts == 0 => {
            "No previous contacts".to_string()
        }
        HistoryContext::OnContact => format!(
            "{} before this one",
            plural(history.previous_contacts, "contact")
        ),
        HistoryContext::OnRecord => plural(history.previous_contacts, "contact"),
    };
    flags.push((contacts, "govuk-tag--grey"));
    flags
}

pub fn candidate_rows(results: &[frontdoor_app::SearchResult]) -> Vec<CandidateRow> {
    results
        .iter()
        .map(|r| {
            let (strength, strength_tag) = match r.strength {
                frontdoor_app::MatchStrength::Strong => ("Strong match", "govuk-tag--green"),
                frontdoor_app::MatchStrength::Possible => ("Possible match", "govuk-tag--yellow"),
                frontdoor_app::MatchStrength::Weak => ("Weak match", "govuk-tag--grey"),
            };
            CandidateRow {
                person_id: r.person.id.to_string(),
                name: r.person.full_name(),
                la_person_id: r.person.la_person_id.clone(),
                birth_date: r
                    .person
                    .birth_date
                    .map(date)
                    .unwrap_or_else(|| "Not known".into()),
                postcode: r
                    .person
                    .postcode
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                nhs_number: r
                    .person
                    .nhs_number
                    .as_ref()
                    .map(|n| n.formatted())
                    .unwrap_or_default(),
                score: format!("{:.1}", r.score),
                strength: strength.into(),
                strength_tag,
                reasons: r
                    .reasons
                    .iter()
                    .map(|x| {
                        (
                            x.field.clone(),
                            x.level.clone(),
                            format!("{:+.1}", x.weight),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}
