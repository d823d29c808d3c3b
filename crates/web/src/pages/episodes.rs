//! A child's episode of need: its summary, primary need and allocation, emergency action,
//! strategy discussions, section 47 enquiries (visits, outcome), conferences and plans, with
//! the forms to record each (no JavaScript needed).

use super::episode_forms::{yes_no, EpisodeForm};
use super::strategy_discussions::state_tag;
use super::{can, emergency_action_rows, parse_id};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{Choice, FormState, SignedInForm};
use crate::views::{date, done_notice, instant, render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::{EpisodeClosureInput, EpisodeUpdateInput, SignedIn};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::child_protection::CategoryOfAbuse;
use frontdoor_domain::episode::{ClosureReason, PrimaryNeed};
use frontdoor_domain::ids::EpisodeId;
use frontdoor_domain::strategy_discussion::{duration_words, minutes_from_decision};
use std::collections::HashMap;

pub struct DiscussionRow {
    pub href: String,
    pub decided: String,
    pub held: String,
    pub after: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub emergency: bool,
}

pub struct VisitRow {
    pub when: String,
    pub by: String,
    pub seen: String,
    pub early: bool,
    pub reason: String,
}

pub struct EnquiryRow {
    pub id: String,
    pub started: String,
    pub icpc_due: String,
    pub open: bool,
    pub outcome: String,
    pub visits: Vec<VisitRow>,
    /// The visit and outcome forms (while it is open).
    pub form: FormState,
}

pub struct ConferenceRow {
    pub id: String,
    pub name: &'static str,
    pub due: String,
    pub held: String,
    pub chair: String,
    pub outcome: String,
    pub to_hold: bool,
    pub initial: bool,
    /// The form to record it as held (while it is to hold).
    pub form: FormState,
}

pub struct PlanRow {
    pub id: String,
    pub details: Vec<(String, String)>,
    pub visits: Vec<(String, String)>,
    pub open: bool,
    /// The visit and end forms (while it is open).
    pub form: FormState,
}

#[derive(Template)]
#[template(path = "child_protection/episode.html")]
pub struct EpisodePage {
    pub chrome: Chrome,
    pub form: FormState,
    pub notice: String,
    pub id: String,
    pub child_name: String,
    pub child_href: String,
    pub details: Vec<(String, String)>,
    pub open: bool,
    pub emergency_actions: Vec<(String, String, String)>,
    pub discussions: Vec<DiscussionRow>,
    pub enquiries: Vec<EnquiryRow>,
    pub conferences: Vec<ConferenceRow>,
    pub plans: Vec<PlanRow>,
    pub needs: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub yes_no: Vec<Choice>,
    pub my_id: String,
    /// The workers a team manager can allocate to, with their caseloads; empty for others.
    pub allocation: Vec<Choice>,
    pub can_update: bool,
    pub can_close: bool,
    pub can_step_down: bool,
    pub can_strategy: bool,
    /// The episode's child and family assessments.
    pub assessments: Vec<crate::pages::assessments::AssessmentRow>,
    /// May start an assessment (none open on the episode, and the role allows it).
    pub can_assess: bool,
    pub can_enquiry: bool,
    pub can_conference: bool,
    pub can_plan: bool,
}

impl EpisodePage {
    /// A form per open enquiry, conference to hold and open plan, with ids kept apart on the
    /// page (see [`FormState::share_among`]).
    fn share_record_forms(&mut self) {
        self.form.share_among(
            "enquiry",
            self.enquiries
                .iter_mut()
                .filter(|q| q.open)
                .map(|q| (q.id.as_str(), &mut q.form)),
        );
        self.form.share_among(
            "conference",
            self.conferences
                .iter_mut()
                .filter(|c| c.to_hold)
                .map(|c| (c.id.as_str(), &mut c.form)),
        );
        self.form.share_among(
            "plan",
            self.plans
                .iter_mut()
                .filter(|p| p.open)
                .map(|p| (p.id.as_str(), &mut p.form)),
        );
    }
}

fn seen_words(seen: bool, alone: bool) -> String {
    match (seen, alone) {
        (true, true) => "Seen alone".into(),
        (true, false) => "Seen, not alone".into(),
        _ => "Not seen".into(),
    }
}

/// The episode page, with a form's values and errors when one was refused.
pub async fn episode_page_response(
    state: &AppState,
    worker: &SignedIn,
    id: EpisodeId,
    form: FormState,
    notice: &str,
) -> Result<Response, PageError> {
    let actor = worker.actor();
    let view = state.app.view_episode(&actor, id).await?;
    let e = &view.episode;
    let open = e.is_open();
    let mut details = vec![
        ("Referral date".to_string(), date(e.referral_date)),
        (
            "Referral source".to_string(),
            format!("{} ({})", e.source.label(), e.source.code()),
        ),
        (
            "Primary need".to_string(),
            e.primary_need
                .map(|n| format!("{} ({})", n.label(), n.code()))
                .unwrap_or_else(|| "Not yet recorded".into()),
        ),
        (
            "Team".to_string(),
            e.team_name
                .clone()
                .unwrap_or_else(|| "Not allocated".into()),
        ),
        (
            "Allocated worker".to_string(),
            e.worker_name
                .clone()
                .unwrap_or_else(|| "Not allocated".into()),
        ),
    ];
    details.push((
        "Status".to_string(),
        match (e.closed_on, e.closure_reason) {
            (Some(on), Some(reason)) => format!(
                "Closed on {}: {} ({})",
                date(on),
                reason.label(),
                reason.code()
            ),
            _ => "Open".into(),
        },
    ));
    let discussions = view
        .strategy_discussions
        .iter()
        .map(|d| DiscussionRow {
            href: format!("/strategy-discussions/{}", d.id),
            decided: instant(d.decided_at),
            held: d
                .record
                .held_at
                .map(instant)
                .unwrap_or_else(|| "Not yet held".into()),
            after: d
                .record
                .held_at
                .map(|h| duration_words(minutes_from_decision(d.decided_at, h)))
                .unwrap_or_default(),
            state: d.state.label(),
            tag: state_tag(d.state),
            emergency: d.emergency,
        })
        .collect();
    let enquiries = view
        .enquiries
        .iter()
        .map(|v| {
            let q = &v.enquiry;
            let outcome = match (q.concerns_substantiated, q.icpc_needed) {
                (Some(s), Some(i)) => format!(
                    "Concerns {}; {}. {}",
                    if s {
                        "substantiated"
                    } else {
                        "not substantiated"
                    },
                    if i {
                        "initial conference needed"
                    } else {
                        "no conference needed"
                    },
                    q.outcome_reason
                ),
                _ => "Enquiry open".into(),
            };
            EnquiryRow {
                id: q.id.to_string(),
                started: date(q.started_on),
                icpc_due: date(q.icpc_due_on),
                open: q.state == "open",
                outcome,
                visits: v
                    .visits
                    .iter()
                    .map(|x| VisitRow {
                        when: instant(x.visited_at),
                        by: x.visited_by.clone(),
                        seen: seen_words(x.child_seen, x.seen_alone),
                        early: x.before_plan_agreed,
                        reason: x.early_visit_reason.clone(),
                    })
                    .collect(),
                form: FormState::default(),
            }
        })
        .collect::<Vec<_>>();
    let conferences = view
        .conferences
        .iter()
        .map(|c| {
            let initial = c.kind == "initial";
            let category = c
                .category
                .map(|k| format!(" ({})", k.label()))
                .unwrap_or_default();
            ConferenceRow {
                id: c.id.to_string(),
                name: if initial {
                    "Initial conference"
                } else {
                    "Review conference"
                },
                due: date(c.due_on),
                held: c.held_on.map(date).unwrap_or_else(|| "Not yet held".into()),
                chair: c.chair.clone(),
                outcome: match (initial, c.plan_outcome) {
                    (_, None) => String::new(),
                    (true, Some(true)) => format!("Child protection plan{category}"),
                    (true, Some(false)) => "No plan".into(),
                    (false, Some(true)) => format!("Plan continues{category}"),
                    (false, Some(false)) => "Plan ended".into(),
                },
                to_hold: c.held_on.is_none(),
                initial,
                form: FormState::default(),
            }
        })
        .collect::<Vec<_>>();
    let plans = view
        .plans
        .iter()
        .map(|p| {
            let mut details = vec![
                ("Started".to_string(), date(p.plan.started_on)),
                (
                    "Initial category".to_string(),
                    format!(
                        "{} ({})",
                        p.plan.initial_category.label(),
                        p.plan.initial_category.code()
                    ),
                ),
                (
                    "Latest category".to_string(),
                    format!(
                        "{} ({})",
                        p.plan.latest_category.label(),
                        p.plan.latest_category.code()
                    ),
                ),
            ];
            if let Some(due) = p.next_review_due {
                details.push(("Next review conference due by".to_string(), date(due)));
            }
            if let Some(due) = p.next_visit_due {
                details.push(("Next statutory visit due by".to_string(), date(due)));
            }
            if let Some(ended) = p.plan.ended_on {
                details.push((
                    "Ended".to_string(),
                    format!(
                        "{}: {}",
                        date(ended),
                        p.plan.end_reason.clone().unwrap_or_default()
                    ),
                ));
            }
            PlanRow {
                id: p.plan.id.to_string(),
                details,
                visits: p
                    .visits
                    .iter()
                    .map(|v| {
                        (
                            date(v.visited_on),
                            if v.seen_alone {
                                "Seen alone"
                            } else {
                                "Not seen alone"
                            }
                            .to_string(),
                        )
                    })
                    .collect(),
                open: p.plan.ended_on.is_none(),
                form: FormState::default(),
            }
        })
        .collect::<Vec<_>>();
    let assessments: Vec<_> = state
        .app
        .assessments_of_episode(&actor, id)
        .await?
        .iter()
        .map(crate::pages::assessments::AssessmentRow::of)
        .collect();
    let mut page = EpisodePage {
        chrome: Chrome::for_worker(state, worker, ""),
        form,
        notice: notice.to_string(),
        id: id.to_string(),
        child_name: view.child.full_name(),
        child_href: format!("/people/{}", view.child.id),
        details,
        open,
        emergency_actions: emergency_action_rows(&view.emergency_actions),
        discussions,
        enquiries,
        conferences,
        plans,
        needs: Choice::each_with_code(&PrimaryNeed::ALL, |n| (n.code(), n.label())),
        reasons: Choice::each_with_code(&ClosureReason::ALL, |r| (r.code(), r.label())),
        categories: Choice::each_with_code(&CategoryOfAbuse::ALL, |c| (c.code(), c.label())),
        yes_no: yes_no(),
        my_id: actor.worker.to_string(),
        allocation: super::workloads::allocation_choices(state, &actor).await?,
        can_update: can(worker, Action::UpdateEpisode),
        can_close: can(worker, Action::CloseEpisode),
        can_step_down: can(worker, Action::StepDownToEarlyHelp),
        can_strategy: can(worker, Action::RecordStrategyDiscussion),
        can_assess: can(worker, Action::RecordAssessment)
            && assessments.iter().all(|a| a.authorised),
        assessments,
        can_enquiry: can(worker, Action::RecordSection47Enquiry),
        can_conference: can(worker, Action::RecordConference),
        can_plan: can(worker, Action::RecordProtectionPlan),
    };
    page.share_record_forms();
    Ok(render(&page))
}

pub async fn episode_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id: EpisodeId = parse_id(&id)?;
    let notice = done_notice(
        query.get("done").map(String::as_str),
        &[
            ("updated", "Episode updated."),
            ("closed", "Episode closed."),
            ("visit", "Visit recorded."),
            ("outcome", "Enquiry outcome recorded."),
            ("conference", "Conference recorded."),
            ("plan_visit", "Statutory visit recorded."),
            ("plan_ended", "Plan ended."),
        ],
    )
    .unwrap_or_default();
    episode_page_response(&state, &worker, id, FormState::default(), notice).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EpisodeId = parse_id(&id)?;
    let input = EpisodeUpdateInput {
        primary_need: form.get("primary_need").into(),
        worker: form.get("worker").into(),
        asye_override_reason: form.get("asye_override_reason").into(),
    };
    let result = state.app.update_episode(&worker.actor(), id, &input).await;
    EpisodeForm::about(id)
        .answer(&state, &worker, form, result, "updated")
        .await
}

pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: EpisodeId = parse_id(&id)?;
    let input = EpisodeClosureInput {
        closed_on: form.get("closed_on").into(),
        closure_reason: form.get("closure_reason").into(),
    };
    let result = state.app.close_episode(&worker.actor(), id, &input).await;
    EpisodeForm::about(id)
        .answer(&state, &worker, form, result, "closed")
        .await
}

pub async fn start_emergency(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let id: EpisodeId = parse_id(&id)?;
    let discussion = state
        .app
        .start_emergency_strategy_discussion(&worker.actor(), id)
        .await?;
    Ok(Redirect::to(&format!("/strategy-discussions/{}", discussion.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdoor_app::FieldError;

    fn enquiry(id: &str) -> EnquiryRow {
        EnquiryRow {
            id: id.into(),
            started: String::new(),
            icpc_due: String::new(),
            open: true,
            outcome: String::new(),
            visits: vec![],
            form: FormState::default(),
        }
    }

    fn conference(id: &str) -> ConferenceRow {
        ConferenceRow {
            id: id.into(),
            name: "Review conference",
            due: String::new(),
            held: String::new(),
            chair: String::new(),
            outcome: String::new(),
            to_hold: true,
            initial: false,
            form: FormState::default(),
        }
    }

    fn plan(id: &str) -> PlanRow {
        PlanRow {
            id: id.into(),
            details: vec![],
            visits: vec![],
            open: true,
            form: FormState::default(),
        }
    }

    /// Every `name="…"` value of an attribute in the page.
    fn attributes(html: &str, name: &str) -> Vec<String> {
        html.split(&format!(" {name}=\""))
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(String::from)
            .collect()
    }

    #[test]
    fn two_of_each_repeated_form_never_repeat_an_id_and_labels_find_their_fields() {
        let sent = FormState {
            values: vec![("visited_by".into(), "Alex".into())],
            errors: vec![FieldError {
                field: "visited_by".into(),
                message: "Say who visited.".into(),
            }],
            ..FormState::default()
        }
        .for_record(Some("q2".into()));
        let mut page = EpisodePage {
            chrome: Chrome::anonymous(),
            form: sent,
            notice: String::new(),
            id: "e1".into(),
            child_name: "Zak".into(),
            child_href: "/people/p1".into(),
            details: vec![],
            open: true,
            emergency_actions: vec![],
            discussions: vec![],
            enquiries: vec![enquiry("q1"), enquiry("q2")],
            conferences: vec![conference("c1"), conference("c2")],
            plans: vec![plan("p1"), plan("p2")],
            needs: vec![],
            reasons: vec![],
            categories: vec![],
            yes_no: yes_no(),
            my_id: "w1".into(),
            allocation: vec![],
            can_update: true,
            can_close: true,
            can_step_down: true,
            can_strategy: true,
            assessments: vec![],
            can_assess: true,
            can_enquiry: true,
            can_conference: true,
            can_plan: true,
        };
        page.share_record_forms();
        let html = page.render().expect("render");

        let ids = attributes(&html, "id");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "repeated ids in {ids:?}");
        for target in attributes(&html, "for") {
            assert!(ids.contains(&target), "label for {target} has no field");
        }
        // The refused form (the second enquiry's) keeps the plain ids the error summary links
        // to, and alone shows what was sent; the first/only conference and plan forms keep
        // theirs.
        assert!(html.contains("href=\"#visited_by\""), "{html}");
        assert!(ids.contains(&"enquiry-q1-visited_by".to_string()));
        assert_eq!(html.matches("value=\"Alex\"").count(), 1);
        assert!(
            ids.contains(&"held_on".to_string())
                && ids.contains(&"conference-c2-held_on".to_string())
        );
        assert!(
            ids.contains(&"visited_on".to_string())
                && ids.contains(&"plan-p2-visited_on".to_string())
        );
    }
}
