//! Contacts: the queue, recording a contact, and the contact page with what is done from it
//! (linking each person to a record, recommending a decision, authorising it, emergency action).

pub mod decisions;
pub mod link;
pub mod new;
pub mod queue;

use super::{emergency_action_rows, history_flags, parse_id, HistoryContext};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState};
use crate::views::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use frontdoor_app::{AppError, ContactView, SignedIn};
use frontdoor_domain::authorization::{authorize, Action, Authorization, Resource};
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::{DecisionState, EmergencyAction, ThresholdOutcome};
use frontdoor_domain::ids::ContactId;
use frontdoor_domain::timescale::TimescaleStatus;
use std::collections::HashMap;

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
    let triage = state.app.triage_of_contact(&actor, contact.id).await?;
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
    // Threshold prompts: those recorded on each decision, and those that fire now (shown
    // beside the recommendation while the contact is open).
    let sees_prompts = actor.role.allows(Action::ViewChildRecord);
    let recorded_prompts = if sees_prompts {
        state
            .app
            .threshold_prompts_recorded(&actor, contact.id)
            .await?
    } else {
        Vec::new()
    };
    let firing = if sees_prompts && contact.status != ContactStatus::Decided {
        state
            .app
            .threshold_prompts_on_contact(&actor, contact.id)
            .await?
    } else {
        Vec::new()
    };
    let pending_outcome = view.pending_decision().map(|d| d.outcome);
    let threshold_prompts = firing
        .iter()
        .map(|p| {
            let below = pending_outcome.is_some_and(|o| p.departed_from_by(o));
            PromptRow {
                name: p.name.clone(),
                minimum: p.minimum_outcome.label().to_lowercase(),
                because: p.because.clone(),
                source: p.source.clone(),
                reason_field: if below {
                    frontdoor_app::departure_field(p.kind)
                } else {
                    String::new()
                },
                reason_label: format!(
                    "Why you authorise below \"{}\" (it asks for at least {})",
                    p.name,
                    p.minimum_outcome.label().to_lowercase()
                ),
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
            prompts: recorded_prompts
                .iter()
                .filter(|p| p.decision == d.id)
                .map(|p| {
                    (
                        format!(
                            "{}: asks for at least {}",
                            p.prompt.name,
                            p.prompt.minimum_outcome.label().to_lowercase()
                        ),
                        p.prompt.because.clone(),
                        p.departure_reason.clone().unwrap_or_default(),
                    )
                })
                .collect(),
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
    let information_requests = if actor.role.allows(Action::ViewInformationRequests) {
        let requests = state
            .app
            .information_requests_on(&actor, contact.id)
            .await?;
        Some((
            requests.len(),
            requests.iter().filter(|r| r.overdue).count(),
        ))
    } else {
        None
    };
    let dash_prompts = state
        .app
        .dash_prompts(&actor, contact.id)
        .await?
        .into_iter()
        .map(|p| match p.completed {
            Some(d) => (
                format!("/dash/{}", d.id),
                p.child_name,
                true,
                format!(
                    "DASH completed: {} risk, {} of 24 answers yes",
                    d.level.label().to_lowercase(),
                    d.score
                ),
            ),
            None => (
                format!("/people/{}/dash/new?contact={}", p.person, contact.id),
                p.child_name,
                false,
                "Complete the DASH risk checklist".to_string(),
            ),
        })
        .collect::<Vec<_>>();
    let cse_prompts = state
        .app
        .cse_prompts(&actor, contact.id)
        .await?
        .into_iter()
        .map(|p| match p.completed {
            Some(s) => (
                format!("/cse-screenings/{}", s.id),
                p.child_name,
                true,
                format!(
                    "CSE screening completed: {} risk",
                    s.level.label().to_lowercase()
                ),
            ),
            None => (
                format!("/people/{}/cse/new?contact={}", p.person, contact.id),
                p.child_name,
                false,
                "Complete the CSE screening".to_string(),
            ),
        })
        .collect::<Vec<_>>();
    let page = ContactPage {
        cse_outstanding: cse_prompts.iter().any(|p| !p.2),
        cse_prompts,
        threshold_prompts,
        dash_outstanding: dash_prompts.iter().any(|p| !p.2),
        dash_prompts,
        information_requests,
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
        triage: triage
            .iter()
            .map(|t| {
                (
                    format!("/triage/{}", t.meeting),
                    instant(t.held_at),
                    t.rating.label(),
                    crate::pages::triage::rating_tag(t.rating),
                    t.next_step.clone(),
                )
            })
            .collect(),
        emergency_actions: emergency_action_rows(&view.emergency_actions),
        can_recommend,
        recommend_blocked,
        can_review,
        review_blocked,
        can_emergency: authorize(&actor, Action::RecordEmergencyAction, &resource).is_allowed(),
        outcomes: Choice::each(&ThresholdOutcome::ALL, |o| (o.code(), o.label())),
        levels: framework
            .levels
            .iter()
            .map(|l| {
                let label = format!("{}: {} ({})", l.level, l.name, l.description);
                Choice::new(l.level.to_string(), label)
            })
            .collect(),
        emergency_choices: Choice::each(&EmergencyAction::ALL, |a| (a.code(), a.label())),
        form,
        notice: notice.to_string(),
    };
    Ok(render_form(&page, &page.form))
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
    after_form(
        result,
        |done| format!("/contacts/{id}?done={done}"),
        |errors| async move {
            let view = state.app.view_contact(&worker.actor(), id).await?;
            let form = FormState::sent(form, errors);
            contact_page_response(state, worker, view, form, "").await
        },
    )
    .await
}
