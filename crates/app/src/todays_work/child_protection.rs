//! A child taken through child protection on the demo's back-set clock: the strategy
//! discussion held and signed off, a section 47 enquiry with a visit and its outcome, and the
//! initial conference with the plan's statutory visits.

use crate::local_time::from_london;
use crate::strategy_discussions::{
    ActionInput as StrategyActionInput, AttendeeInput as StrategyAttendeeInput, RiskInput,
    StrategyRecordInput,
};
use crate::{
    App, AppError, ConferenceInput, EnquiryOutcomeInput, EnquiryVisitInput, PlanVisitInput,
};
use chrono::{NaiveDate, NaiveTime};
use frontdoor_domain::authorization::Actor;
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::ContactId;

/// Takes a child whose strategy discussion is to hold through the discussion (held and signed
/// off on `held_on`), a section 47 enquiry with a visit, its outcome, and — when `plan` gives
/// the conference date and two statutory visit dates — an initial conference that starts a
/// plan.
#[allow(clippy::too_many_arguments)]
pub(super) async fn child_protection_case(
    app: &App,
    clock: &FixedClock,
    social_worker: &Actor,
    manager: &Actor,
    contact: ContactId,
    held_on: NaiveDate,
    calendar: &frontdoor_domain::calendar::WorkingDayCalendar,
    plan: Option<(NaiveDate, [NaiveDate; 2])>,
) -> Result<(), AppError> {
    let at = |date: NaiveDate, hour: u32| {
        from_london(date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
    };
    let (_, episode) = super::child_of(app, social_worker, contact).await?;
    let discussion = app
        .view_episode(social_worker, episode)
        .await?
        .strategy_discussions
        .first()
        .map(|d| d.id)
        .ok_or(AppError::NotFound("The strategy discussion to hold"))?;
    let day = |date: NaiveDate| date.format("%Y-%m-%d").to_string();
    let attendee = |name: &str, agency: &str, role: &str, shared: &str| StrategyAttendeeInput {
        name: name.into(),
        agency: agency.into(),
        role: role.into(),
        information_shared: shared.into(),
    };
    clock.set(at(held_on, 11));
    app.record_strategy_discussion(
        social_worker,
        discussion,
        &StrategyRecordInput {
            held_date: day(held_on),
            held_time: "10:00".into(),
            attendees: vec![
                attendee(
                    "DS Helen Ward",
                    "police",
                    "MASH police",
                    "Two domestic incidents at the address in the last year; father on bail.",
                ),
                attendee(
                    "Nina Osei",
                    "health",
                    "Named nurse",
                    "Missed developmental checks; one previous A&E attendance.",
                ),
                attendee(
                    "Sam Patel",
                    "childrens_social_care",
                    "MASH social worker",
                    "One previous contact, no further action.",
                ),
            ],
            risks: vec![RiskInput {
                harm: "Further physical injury".into(),
                to_whom: "The child".into(),
                from_whom: "A parent".into(),
                likelihood: "high".into(),
                severity: "high".into(),
            }],
            decision: "section_47_enquiry".into(),
            rationale:
                "An injury without a consistent explanation and a history of violence at home."
                    .into(),
            actions: vec![StrategyActionInput {
                description: "Joint visit with police; see the child alone".into(),
                owner: "Sam Patel and DS Helen Ward".into(),
                due_on: day(calendar.next_working_day(held_on)),
            }],
            ..StrategyRecordInput::default()
        },
    )
    .await?;
    clock.set(at(held_on, 12));
    app.sign_off_strategy_discussion(manager, discussion)
        .await?;
    clock.set(at(held_on, 13));
    let enquiry = app.start_section_47(social_worker, discussion).await?;
    clock.set(at(held_on, 17));
    app.record_section_47_visit(
        social_worker,
        enquiry.id,
        &EnquiryVisitInput {
            visited_date: day(held_on),
            visited_time: "15:00".into(),
            visited_by: "Sam Patel with DS Helen Ward".into(),
            child_seen: Some(true),
            seen_alone: Some(true),
            early_visit_reason: String::new(),
        },
    )
    .await?;
    let completed_on = calendar.add_working_days(held_on, 3);
    clock.set(at(completed_on, 16));
    app.complete_section_47(
        social_worker,
        enquiry.id,
        &EnquiryOutcomeInput {
            concerns_substantiated: Some(true),
            icpc_needed: Some(true),
            reason: "Concerns substantiated: the child is at continuing risk of significant harm."
                .into(),
            completed_on: day(completed_on),
        },
    )
    .await?;
    let Some((conference_on, visits)) = plan else {
        return Ok(());
    };
    let conference = app
        .view_episode(social_worker, episode)
        .await?
        .conferences
        .first()
        .map(|c| c.id)
        .ok_or(AppError::NotFound("The initial conference"))?;
    clock.set(at(conference_on, 15));
    app.record_conference(
        manager,
        conference,
        &ConferenceInput {
            held_on: day(conference_on),
            chair: "Independent chair: Grace Mensah".into(),
            plan: Some(true),
            category: "PHY".into(),
        },
    )
    .await?;
    let plan = app
        .view_episode(social_worker, episode)
        .await?
        .plans
        .first()
        .map(|p| p.plan.id)
        .ok_or(AppError::NotFound("The child protection plan"))?;
    for visited_on in visits {
        clock.set(at(visited_on, 17));
        app.record_plan_visit(
            social_worker,
            plan,
            &PlanVisitInput {
                visited_on: day(visited_on),
                seen_alone: Some(true),
            },
        )
        .await?;
    }
    Ok(())
}
