//! The staff pages: home, contact queue, recording a contact, the contact page (link, recommend,
//! authorise), person search and the person record.

use crate::auth::{check_csrf, Worker};
use crate::errors::PageError;
use crate::forms::FormData;
use crate::views::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::records::{QueueFilter, Referrer};
use frontdoor_app::{
    AppError, ContactInput, ContactView, LinkTarget, PersonView, RecommendationInput, ReviewInput,
    SignedIn, SubjectInput,
};
use frontdoor_domain::authorization::{authorize, Action, Authorization, Resource, Role};
use frontdoor_domain::contact::{ContactStatus, Urgency};
use frontdoor_domain::decision::{DecisionState, EmergencyAction, ThresholdOutcome};
use frontdoor_domain::ids::{ContactId, PersonId, TeamId};
use frontdoor_domain::timescale::TimescaleStatus;
use std::collections::HashMap;
use uuid::Uuid;

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

fn timescale_tag(status: TimescaleStatus) -> (String, &'static str) {
    match status {
        TimescaleStatus::OnTime { working_days_left } => (
            format!(
                "{working_days_left} working day{} left",
                if working_days_left == 1 { "" } else { "s" }
            ),
            "govuk-tag--green",
        ),
        TimescaleStatus::DueToday => ("Due today".into(), "govuk-tag--orange"),
        TimescaleStatus::Overdue { working_days_over } => (
            format!(
                "Overdue by {working_days_over} working day{}",
                if working_days_over == 1 { "" } else { "s" }
            ),
            "govuk-tag--red",
        ),
    }
}

fn status_tag(status: ContactStatus) -> &'static str {
    match status {
        ContactStatus::AwaitingTriage => "govuk-tag--blue",
        ContactStatus::AwaitingAuthorisation => "govuk-tag--yellow",
        ContactStatus::Returned => "govuk-tag--orange",
        ContactStatus::Decided => "govuk-tag--green",
    }
}

pub async fn queue(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let get = |k: &str| {
        query
            .get(k)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut filter_team = get("team");
    if get("mine") == "1" {
        filter_team = actor.team.map(|t| t.to_string()).unwrap_or_default();
    }
    let filter = QueueFilter {
        team: filter_team.parse::<TeamId>().ok(),
        status: ContactStatus::from_code(&get("status")).ok(),
        urgency: Urgency::from_code(&get("urgency")).ok(),
        out_of_hours: match get("hours").as_str() {
            "in" => Some(false),
            "out" => Some(true),
            _ => None,
        },
        limit: 200,
        offset: 0,
    };
    let view = state.app.contact_queue(&actor, &filter).await?;
    let teams = state.app.teams(&actor).await?;
    let rows = view
        .rows
        .iter()
        .map(|row| {
            let (timescale, timescale_tag) = timescale_tag(row.timescale);
            QueueRowView {
                href: format!("/contacts/{}", row.entry.id),
                reference: row.entry.reference.clone(),
                child: if row.entry.children > 1 {
                    format!(
                        "{} and {} more",
                        row.entry.first_child,
                        row.entry.children - 1
                    )
                } else {
                    row.entry.first_child.clone()
                },
                received: instant(row.entry.received_at),
                source: row.entry.source.label().to_string(),
                urgency: match row.entry.urgency {
                    Urgency::Immediate => "Immediate",
                    Urgency::Urgent => "Urgent",
                    Urgency::Standard => "Standard",
                }
                .to_string(),
                urgent: row.entry.urgency != Urgency::Standard,
                out_of_hours: row.entry.out_of_hours,
                status: row.entry.status.label().to_string(),
                team: row.team_name.clone().unwrap_or_default(),
                due: date(row.due_date),
                timescale,
                timescale_tag,
                breach: row.timescale.is_overdue(),
            }
        })
        .collect();
    let page = QueuePage {
        chrome: Chrome::for_worker(&state, &worker, "/contacts"),
        heading: if filter.status == Some(ContactStatus::AwaitingAuthorisation) {
            "Awaiting authorisation".into()
        } else {
            "Contact queue".into()
        },
        rows,
        total: view.total,
        overdue: view.overdue,
        due_today: view.due_today,
        teams: teams
            .iter()
            .filter(|t| t.receives_contacts)
            .map(|t| Choice {
                value: t.id.to_string(),
                label: t.name.clone(),
            })
            .collect(),
        statuses: ContactStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: s.label().into(),
            })
            .collect(),
        urgencies: Urgency::ALL
            .iter()
            .map(|u| Choice {
                value: u.code().into(),
                label: u.code().into(),
            })
            .collect(),
        filter_team,
        filter_status: get("status"),
        filter_urgency: get("urgency"),
        filter_hours: get("hours"),
    };
    Ok(render(&page))
}

/// Reads a contact form (staff or public) into the app's input.
pub fn contact_input(form: &FormData) -> ContactInput {
    let subject = |prefix: &str, i: usize| SubjectInput {
        given_name: form.get(&format!("{prefix}[{i}].given_name")).to_string(),
        family_name: form.get(&format!("{prefix}[{i}].family_name")).to_string(),
        date_of_birth: form
            .get(&format!("{prefix}[{i}].date_of_birth"))
            .to_string(),
        sex: form.get(&format!("{prefix}[{i}].sex")).to_string(),
        address: form.get(&format!("{prefix}[{i}].address")).to_string(),
        postcode: form.get(&format!("{prefix}[{i}].postcode")).to_string(),
        nhs_number: form.get(&format!("{prefix}[{i}].nhs_number")).to_string(),
    };
    ContactInput {
        received_date: form.get("received_date").to_string(),
        received_time: form.get("received_time").to_string(),
        channel: form.get("channel").to_string(),
        source: form.get("source").to_string(),
        referrer: Referrer {
            name: form.get("referrer.name").to_string(),
            organisation: form.get("referrer.organisation").to_string(),
            role: form.get("referrer.role").to_string(),
            phone: form.get("referrer.phone").to_string(),
            email: form.get("referrer.email").to_string(),
        },
        concern_categories: form.all("concern_categories"),
        concern_summary: form.get("concern_summary").to_string(),
        urgency: form.get("urgency").to_string(),
        family_consent: form.get("family_consent").to_string(),
        consent_notes: form.get("consent_notes").to_string(),
        children: (0..4).map(|i| subject("children", i)).collect(),
        adults: (0..2).map(|i| subject("adults", i)).collect(),
    }
}

pub async fn new_contact_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    if !can(&worker, Action::RecordContact) {
        return Err(AppError::Denied(
            frontdoor_domain::authorization::DenialReason::RoleNotPermitted,
        )
        .into());
    }
    let form = FormState {
        values: vec![
            ("channel".into(), "phone".into()),
            ("urgency".into(), "standard".into()),
        ],
        errors: vec![],
    };
    Ok(render(&NewContactPage {
        chrome: Chrome::for_worker(&state, &worker, "/contacts/new"),
        form,
        choices: ContactChoices::new(false),
    }))
}

pub async fn record_contact(
    State(state): State<AppState>,
    Worker(worker): Worker,
    form: FormData,
) -> Result<Response, PageError> {
    check_csrf(&worker, &form)?;
    match state
        .app
        .record_contact(&worker.actor(), &contact_input(&form))
        .await
    {
        Ok(contact) => {
            Ok(Redirect::to(&format!("/contacts/{}?recorded=1", contact.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let mut response = render(&NewContactPage {
                chrome: Chrome::for_worker(&state, &worker, "/contacts/new"),
                form: FormState {
                    values: form.0,
                    errors,
                },
                choices: ContactChoices::new(false),
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, PageError> {
    text.parse()
        .map_err(|_| PageError::NotFound("There is no record at this address.".into()))
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

async fn contact_page_response(
    state: &AppState,
    worker: &SignedIn,
    view: ContactView,
    form: FormState,
    notice: &str,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let contact = &view.contact;
    let framework = state.app.authority_of(&actor).await?.threshold_framework;
    let (timescale, timescale_tag) = if contact.status == ContactStatus::Decided {
        ("Decided".to_string(), "govuk-tag--green")
    } else {
        timescale_tag(view.timescale)
    };
    let mut details = vec![
        (
            "Received".to_string(),
            format!(
                "{}{}",
                instant(contact.received_at),
                if contact.out_of_hours {
                    " (out of hours)"
                } else {
                    ""
                }
            ),
        ),
        ("How".to_string(), contact.channel.label().to_string()),
        (
            "Source".to_string(),
            format!("{} ({})", contact.source.label(), contact.source.code()),
        ),
        (
            "Referrer".to_string(),
            [
                contact.referrer.name.as_str(),
                contact.referrer.role.as_str(),
                contact.referrer.organisation.as_str(),
                contact.referrer.phone.as_str(),
                contact.referrer.email.as_str(),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        ),
        (
            "Concerns".to_string(),
            contact
                .concern_categories
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Urgency".to_string(), contact.urgency.label().to_string()),
        (
            "Family knows and consents".to_string(),
            format!(
                "{}{}",
                contact.family_consent.label(),
                if contact.consent_notes.is_empty() {
                    String::new()
                } else {
                    format!(": {}", contact.consent_notes)
                }
            ),
        ),
    ];
    if let Some(team) = &view.team_name {
        details.push(("Team".to_string(), team.clone()));
    }
    let subjects = view
        .subjects
        .iter()
        .map(|s| {
            let described = [
                s.subject
                    .birth_date
                    .map(|d| format!("born {}", date(d)))
                    .unwrap_or_else(|| "date of birth not known".into()),
                s.subject.sex.label().to_lowercase(),
                s.subject.address.clone(),
                s.subject.postcode.clone().unwrap_or_default(),
                s.subject
                    .nhs_number
                    .clone()
                    .map(|n| format!("NHS {n}"))
                    .unwrap_or_default(),
            ]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
            SubjectRow {
                name: s.subject.full_name(),
                is_child: s.subject.is_child,
                as_described: described,
                linked: s.subject.person.is_some(),
                person_href: s
                    .subject
                    .person
                    .map(|p| format!("/people/{p}"))
                    .unwrap_or_default(),
                person_name: s
                    .person
                    .as_ref()
                    .map(|p| p.full_name())
                    .unwrap_or_else(|| "Linked record".into()),
                la_person_id: s
                    .person
                    .as_ref()
                    .map(|p| p.la_person_id.clone())
                    .unwrap_or_default(),
                link_href: format!("/contacts/{}/subjects/{}/link", contact.id, s.subject.id),
                flags: {
                    let mut flags = s
                        .history
                        .as_ref()
                        .map(|h| history_flags(h, HistoryContext::OnContact))
                        .unwrap_or_default();
                    if !s.known_concerns.is_empty() {
                        let known = s
                            .known_concerns
                            .iter()
                            .map(|c| c.label())
                            .collect::<Vec<_>>()
                            .join(", ");
                        flags.push((
                            format!("Known concerns in the last 12 months: {known}"),
                            "govuk-tag--orange",
                        ));
                    }
                    flags
                },
                previous_contacts: s
                    .previous_contacts
                    .iter()
                    .map(|(id, reference, on, _)| {
                        (format!("/contacts/{id}"), reference.clone(), date(*on))
                    })
                    .collect(),
            }
        })
        .collect();
    let decisions = view
        .decisions
        .iter()
        .map(|d| DecisionRow {
            state: match d.state {
                DecisionState::Recommended => "Awaiting authorisation",
                DecisionState::Authorised => "Authorised",
                DecisionState::Returned => "Returned",
            }
            .into(),
            state_tag: match d.state {
                DecisionState::Recommended => "govuk-tag--yellow",
                DecisionState::Authorised => "govuk-tag--green",
                DecisionState::Returned => "govuk-tag--orange",
            },
            outcome: d.outcome.label().into(),
            level: framework
                .level(d.level_of_need as u8)
                .map(|l| format!("{}: {}", l.level, l.name))
                .unwrap_or_else(|_| d.level_of_need.to_string()),
            signposted_to: d.signposted_to.clone().unwrap_or_default(),
            rationale: d.rationale.clone(),
            recommended: format!(
                "{} by {}",
                instant(d.recommended_at),
                d.recommended_by_name.clone().unwrap_or_default()
            ),
            reviewed: d
                .reviewed_at
                .map(|at| {
                    format!(
                        "{} by {}",
                        instant(at),
                        d.reviewed_by_name.clone().unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
            review_rationale: d.review_rationale.clone().unwrap_or_default(),
        })
        .collect();
    let resource = Resource::contact(
        contact.authority,
        contact.team,
        contact.made_by_organisation,
    );
    let open_for_recommendation = matches!(
        contact.status,
        ContactStatus::AwaitingTriage | ContactStatus::Returned
    );
    let can_recommend = open_for_recommendation && actor.role.allows(Action::RecommendDecision);
    let recommend_blocked = match authorize(&actor, Action::RecommendDecision, &resource) {
        Authorization::Denied(reason) => reason.message().to_string(),
        Authorization::Allowed if !view.all_linked() => {
            "Link every child and adult to a record (or create one) before recommending a decision."
                .into()
        }
        Authorization::Allowed => String::new(),
    };
    let pending = view.pending_decision();
    let can_review = pending.is_some() && actor.role.allows(Action::AuthoriseDecision);
    let review_blocked = match pending {
        Some(d) => match authorize(
            &actor,
            Action::AuthoriseDecision,
            &Resource::decision(contact.authority, contact.team, d.recommended_by),
        ) {
            Authorization::Allowed => String::new(),
            Authorization::Denied(reason) => reason.message().to_string(),
        },
        None => String::new(),
    };
    let page = ContactPage {
        chrome: Chrome::for_worker(state, worker, ""),
        id: contact.id.to_string(),
        reference: contact.reference.clone(),
        status: contact.status.label().into(),
        status_tag: status_tag(contact.status),
        details,
        concern_summary: contact.concern_summary.clone(),
        timescale,
        timescale_tag,
        due: date(view.due_date),
        subjects,
        decisions,
        emergency_actions: view
            .emergency_actions
            .iter()
            .map(|a| {
                (
                    instant(a.taken_at),
                    a.action.label().to_string(),
                    a.notes.clone(),
                )
            })
            .collect(),
        can_recommend,
        recommend_blocked,
        can_review,
        review_blocked,
        can_emergency: authorize(&actor, Action::RecordEmergencyAction, &resource).is_allowed(),
        outcomes: ThresholdOutcome::ALL
            .iter()
            .map(|o| Choice {
                value: o.code().into(),
                label: o.label().into(),
            })
            .collect(),
        levels: framework
            .levels
            .iter()
            .map(|l| Choice {
                value: l.level.to_string(),
                label: format!("{}: {} ({})", l.level, l.name, l.description),
            })
            .collect(),
        emergency_choices: EmergencyAction::ALL
            .iter()
            .map(|a| Choice {
                value: a.code().into(),
                label: a.label().into(),
            })
            .collect(),
        form,
        notice: notice.to_string(),
    };
    let status = if page.form.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

pub async fn contact_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: ContactId = parse_id(&id)?;
    if crate::referral_progress::follows_referrals_only(worker.worker.role) {
        let notice = if query.contains_key("recorded") {
            "Referral sent. Keep the reference number.".to_string()
        } else {
            String::new()
        };
        return crate::referral_progress::page(&state, &Worker(worker), id, notice).await;
    }
    let view = state.app.view_contact(&worker.actor(), id).await?;
    let notice = match query
        .get("done")
        .map(String::as_str)
        .or(query.get("recorded").map(|_| "recorded"))
    {
        Some("recorded") => format!(
            "Contact {} recorded. Now find each child in our records.",
            view.contact.reference
        ),
        Some("linked") => "Record linked.".to_string(),
        Some("recommended") => "Recommendation sent to a manager to authorise.".to_string(),
        Some("authorised") => "Decision authorised. It is on each child's record.".to_string(),
        Some("returned") => "Recommendation returned to the social worker.".to_string(),
        Some("emergency") => "Emergency action recorded.".to_string(),
        _ => String::new(),
    };
    contact_page_response(&state, &worker, view, FormState::default(), &notice).await
}

/// Re-shows the contact page with the form's errors, or goes back to it with a notice.
async fn after_contact_form(
    state: &AppState,
    worker: &SignedIn,
    id: ContactId,
    form: FormData,
    result: Result<&str, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/contacts/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = state.app.view_contact(&worker.actor(), id).await?;
            contact_page_response(
                state,
                worker,
                view,
                FormState {
                    values: form.0,
                    errors,
                },
                "",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn recommend(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    check_csrf(&worker, &form)?;
    let id: ContactId = parse_id(&id)?;
    let input = RecommendationInput {
        outcome: form.get("outcome").into(),
        level_of_need: form.get("level_of_need").into(),
        signposted_to: form.get("signposted_to").into(),
        rationale: form.get("rationale").into(),
    };
    let result = state
        .app
        .recommend_decision(&worker.actor(), id, &input)
        .await
        .map(|_| "recommended");
    after_contact_form(&state, &worker, id, form, result).await
}

pub async fn review(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    check_csrf(&worker, &form)?;
    let id: ContactId = parse_id(&id)?;
    let input = ReviewInput {
        authorise: match form.get("decision") {
            "authorise" => Some(true),
            "return" => Some(false),
            _ => None,
        },
        rationale: form.get("review_rationale").into(),
    };
    let result = state
        .app
        .review_decision(&worker.actor(), id, &input)
        .await
        .map(|state| {
            if state == DecisionState::Authorised {
                "authorised"
            } else {
                "returned"
            }
        });
    // The review form's field is named review_rationale on the page.
    let result = result.map_err(|e| match e {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    if e.field == "rationale" {
                        e.field = "review_rationale".into();
                    }
                    e
                })
                .collect(),
        ),
        other => other,
    });
    after_contact_form(&state, &worker, id, form, result).await
}

pub async fn emergency_action(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    check_csrf(&worker, &form)?;
    let id: ContactId = parse_id(&id)?;
    let result = state
        .app
        .record_emergency_action(
            &worker.actor(),
            id,
            None,
            form.get("action"),
            form.get("notes"),
        )
        .await
        .map(|_| "emergency");
    after_contact_form(&state, &worker, id, form, result).await
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

pub async fn link_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path((id, subject)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id: ContactId = parse_id(&id)?;
    let subject_id: Uuid = parse_id(&subject)?;
    let view = state.app.view_contact(&worker.actor(), id).await?;
    let subject = view
        .subjects
        .iter()
        .find(|s| s.subject.id == subject_id)
        .ok_or_else(|| PageError::NotFound("That person is not on this contact.".into()))?;
    let s = &subject.subject;
    let query = frontdoor_app::PersonQuery {
        given_name: s.given_name.clone(),
        family_name: s.family_name.clone(),
        date_of_birth: s.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        postcode: s.postcode.clone().unwrap_or_default(),
        nhs_number: s.nhs_number.clone().unwrap_or_default(),
        sex: s.sex.code().to_string(),
        ..Default::default()
    };
    let results = state.app.search_people(&worker.actor(), &query).await?;
    let page = LinkPage {
        chrome: Chrome::for_worker(&state, &worker, ""),
        contact_href: format!("/contacts/{id}"),
        action: format!("/contacts/{id}/subjects/{subject_id}/link"),
        reference: view.contact.reference.clone(),
        described: vec![
            ("Name".into(), s.full_name()),
            (
                "Date of birth".into(),
                s.birth_date.map(date).unwrap_or_else(|| "Not known".into()),
            ),
            ("Sex".into(), s.sex.label().into()),
            (
                "Address".into(),
                format!("{} {}", s.address, s.postcode.clone().unwrap_or_default())
                    .trim()
                    .to_string(),
            ),
            (
                "NHS number".into(),
                s.nhs_number.clone().unwrap_or_else(|| "Not known".into()),
            ),
        ],
        name: s.full_name(),
        searched: results.candidates_considered,
        candidates: candidate_rows(&results.results),
    };
    Ok(render(&page))
}

pub async fn link_subject(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path((id, subject)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, PageError> {
    check_csrf(&worker, &form)?;
    let id: ContactId = parse_id(&id)?;
    let subject_id: Uuid = parse_id(&subject)?;
    let target = if form.get("create") == "1" {
        LinkTarget::NewRecord
    } else {
        LinkTarget::Existing(parse_id::<PersonId>(form.get("person_id"))?)
    };
    state
        .app
        .link_contact_subject(&worker.actor(), id, subject_id, target)
        .await?;
    Ok(Redirect::to(&format!("/contacts/{id}?done=linked")).into_response())
}

pub async fn person_search(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    let searched = [
        "given_name",
        "family_name",
        "date_of_birth",
        "postcode",
        "nhs_number",
        "la_person_id",
    ]
    .iter()
    .any(|k| !get(k).trim().is_empty());
    let values: Vec<(String, String)> = query.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut form = FormState {
        values,
        errors: vec![],
    };
    let mut candidates = Vec::new();
    if searched {
        let q = frontdoor_app::PersonQuery {
            given_name: get("given_name"),
            family_name: get("family_name"),
            date_of_birth: get("date_of_birth"),
            postcode: get("postcode"),
            nhs_number: get("nhs_number"),
            la_person_id: get("la_person_id"),
            ..Default::default()
        };
        match state.app.search_people(&worker.actor(), &q).await {
            Ok(results) => candidates = candidate_rows(&results.results),
            Err(AppError::Invalid(errors)) => form.errors = errors,
            Err(e) => return Err(e.into()),
        }
    } else if !can(&worker, Action::SearchPeople) {
        return Err(AppError::Denied(
            frontdoor_domain::authorization::DenialReason::RoleNotPermitted,
        )
        .into());
    }
    Ok(render(&PersonSearchPage {
        chrome: Chrome::for_worker(&state, &worker, "/people/search"),
        searched: searched && !form.has_errors(),
        form,
        candidates,
    }))
}

fn chronology_row(event: &frontdoor_app::records::Event) -> ChronologyRow {
    let p = &event.payload;
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let outcome = |k: &str| {
        ThresholdOutcome::from_code(&text(k))
            .map(|o| o.label().to_string())
            .unwrap_or_default()
    };
    let (what, detail) = match event.kind.as_str() {
        "person_created" => ("Record created".to_string(), text("la_person_id")),
        "contact_linked" => (
            format!("Contact {}", text("reference")),
            format!(
                "Source {}; concerns: {}",
                text("source"),
                p.get("concern_categories")
                    .and_then(|v| v.as_array())
                    .map(|a| a
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            ),
        ),
        "decision_recommended" => (
            format!("Decision recommended on {}", text("contact")),
            format!(
                "{} (level {}): {}",
                outcome("outcome"),
                p.get("level_of_need")
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                text("rationale")
            ),
        ),
        "decision_authorised" => (
            format!("Decision authorised on {}", text("contact")),
            format!("{}: {}", outcome("outcome"), text("rationale")),
        ),
        "decision_returned" => (
            format!("Recommendation returned on {}", text("contact")),
            text("rationale"),
        ),
        "emergency_action_recorded" => (
            format!("Emergency action on {}", text("contact")),
            format!(
                "{}: {}",
                EmergencyAction::from_code(&text("action"))
                    .map(|a| a.label())
                    .unwrap_or(""),
                text("notes")
            ),
        ),
        other => (other.replace('_', " "), String::new()),
    };
    ChronologyRow {
        when: instant(event.recorded_at),
        what,
        detail,
        by: event
            .actor_name
            .clone()
            .unwrap_or_else(|| "System or online form".into()),
    }
}

pub async fn person_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    let PersonView {
        person,
        previous_names,
        addresses,
        related,
        contacts,
        history,
        chronology,
        recent_access,
    } = state.app.view_person(&worker.actor(), id).await?;
    let mut details = vec![
        ("Person ID".to_string(), person.la_person_id.clone()),
        (
            "Date of birth".to_string(),
            match (person.birth_date, person.birth_date_expected) {
                (Some(d), true) => format!("Expected {}", date(d)),
                (Some(d), false) => format!(
                    "{} (age {})",
                    date(d),
                    person
                        .age_on(frontdoor_app::london_date(state.app.now()))
                        .unwrap_or(0)
                ),
                (None, _) => "Not known".into(),
            },
        ),
        ("Sex".to_string(), person.sex.label().into()),
        (
            "Ethnicity".to_string(),
            format!("{} ({})", person.ethnicity.label(), person.ethnicity.code()),
        ),
        (
            "NHS number".to_string(),
            person
                .nhs_number
                .as_ref()
                .map(|n| n.formatted())
                .unwrap_or_else(|| "Not known".into()),
        ),
        (
            "Unique pupil number".to_string(),
            person
                .upn
                .as_ref()
                .map(|u| u.as_str().to_string())
                .unwrap_or_else(|| "Not known".into()),
        ),
        ("Disability".to_string(), person.disabilities.clone()),
    ];
    if !previous_names.is_empty() {
        details.push((
            "Previous names".to_string(),
            previous_names
                .iter()
                .map(|n| format!("{} {}", n.given_name, n.family_name))
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    if let Some(address) = addresses.first() {
        details.push((
            "Address".to_string(),
            [
                address.line1.as_str(),
                address.line2.as_str(),
                address.town.as_str(),
                address.postcode.as_deref().unwrap_or(""),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        ));
    }
    if let Some(survivor) = person.merged_into {
        details.push((
            "Merged".to_string(),
            format!("This record was merged into {survivor}"),
        ));
    }
    let page = PersonPage {
        chrome: Chrome::for_worker(&state, &worker, ""),
        name: person.full_name(),
        details,
        flags: history_flags(&history, HistoryContext::OnRecord),
        related: related
            .iter()
            .map(|r| {
                let relation = if r.inverse {
                    format!("{} this person", r.relationship.label())
                } else {
                    format!("this person is {} them", r.relationship.label())
                };
                (
                    format!("/people/{}", r.person.id),
                    r.person.full_name(),
                    relation,
                )
            })
            .collect(),
        contacts: contacts
            .iter()
            .map(|c| {
                (
                    format!("/contacts/{}", c.id),
                    c.reference.clone(),
                    instant(c.received_at),
                    c.status.label().to_string(),
                )
            })
            .collect(),
        chronology: chronology.iter().map(chronology_row).collect(),
        merges: crate::merging::merge_rows(&state, &worker, id).await?,
        can_merge: worker.worker.role.allows(Action::MergePeople),
        access: recent_access
            .iter()
            .map(|a| {
                (
                    instant(a.accessed_at),
                    a.actor_name.clone().unwrap_or_default(),
                    a.purpose.clone(),
                )
            })
            .collect(),
    };
    Ok(render(&page))
}
