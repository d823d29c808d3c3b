//! Episodes, strategy discussions, section 47 enquiries, conferences and plans, end to end on
//! every backend: the sign-off guard (refused for each missing part, named; accepted once
//! complete; never twice), the pre-strategy visit flag, the ICPC due date over a bank holiday,
//! review dates, and races that must have exactly one winner.

#[path = "../support/mod.rs"]
mod support;

use chrono::NaiveDate;
use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::{
    ActionInput, App, AppError, AttendeeInput, ConferenceInput, ContactInput, EnquiryOutcomeInput,
    EnquiryVisitInput, EpisodeClosureInput, EpisodeUpdateInput, PlanVisitInput,
    RecommendationInput, ReviewInput, RiskInput, StrategyRecordInput, SubjectInput, WorkDueKind,
    WorkDueScope,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{ContactId, EpisodeId, PersonId, StrategyDiscussionId};
use frontdoor_domain::strategy_discussion::StrategyState;
use std::sync::Arc;
use support::utc;

struct World {
    app: App,
    clock: Arc<FixedClock>,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    manager2: Actor,
    manager_b: Actor,
    out_of_hours: Actor,
    partner: Actor,
    /// A newly qualified social worker in the first team, with a protected caseload.
    asye: Actor,
    senior: Actor,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

async fn world(store: Store) -> World {
    // Wednesday 1 April 2026, 09:00 UTC (10:00 in London, BST): Easter is two days away.
    let t = support::testshire(
        store,
        utc(2026, 4, 1, 9, 0),
        &["MASH A", "MASH B"],
        &[("Testshire Police", OrganisationKind::Police)],
    )
    .await;
    let police = Some(t.organisation(OrganisationKind::Police));
    let team = t.front_door_team().await;
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
        manager2: t
            .worker("manager.two", Role::TeamManager, Some(0), None)
            .await,
        manager_b: t
            .worker("manager.b", Role::TeamManager, Some(1), None)
            .await,
        out_of_hours: t.worker("edt", Role::OutOfHoursWorker, None, None).await,
        asye: t.asye_worker("newly.qualified", 0).await,
        senior: t.worker("senior", Role::SeniorManager, None, None).await,
        partner: t
            .worker("partner", Role::PartnerPractitioner, None, police)
            .await,
        app: t.app,
        clock: t.clock,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    support::on_every_backend(world, test).await;
}

fn contact_input() -> ContactInput {
    ContactInput {
        channel: "phone".into(),
        source: "5A".into(),
        referrer: frontdoor_app::records::Referrer {
            name: "DC Hale".into(),
            organisation: "Testshire Police".into(),
            ..Default::default()
        },
        concern_categories: vec!["physical_abuse".into()],
        concern_summary: "Bruising to the face; the child says her stepfather hit her.".into(),
        urgency: "immediate".into(),
        family_consent: "not_sought".into(),
        consent_notes: "Seeking consent could place the child at risk.".into(),
        children: vec![SubjectInput {
            given_name: "Amy".into(),
            family_name: "Stone".into(),
            date_of_birth: "2016-04-01".into(),
            sex: "female".into(),
            postcode: "NE61 2EF".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// A contact authorised as "strategy discussion": the child, their episode and the discussion.
async fn decided(w: &World, outcome: &str) -> (ContactId, PersonId, EpisodeId) {
    let contact = w
        .app
        .record_contact(&w.officer, &contact_input())
        .await
        .expect("record");
    support::link_all_new(&w.app, &w.officer, contact.id).await;
    w.app
        .recommend_decision(
            &w.worker,
            contact.id,
            &RecommendationInput {
                outcome: outcome.into(),
                level_of_need: "4".into(),
                signposted_to: String::new(),
                rationale: "Injury with a disclosure: reasonable cause to suspect significant harm."
                    .into(),
            },
        )
        .await
        .expect("recommend");
    w.app
        .review_decision(
            &w.manager,
            contact.id,
            &ReviewInput {
                authorise: Some(true),
                rationale: "Agreed: convene a strategy discussion today.".into(),
                departure_reasons: Default::default(),
            },
        )
        .await
        .expect("authorise");
    let view = w
        .app
        .view_contact(&w.worker, contact.id)
        .await
        .expect("view");
    let child = view.subjects[0].subject.person.expect("linked");
    let episodes = w
        .app
        .episodes_of_child(&w.worker, child)
        .await
        .expect("episodes");
    assert_eq!(episodes.len(), 1, "one episode per child per referral");
    (contact.id, child, episodes[0].id)
}

async fn to_hold(w: &World) -> (PersonId, EpisodeId, StrategyDiscussionId) {
    let (_, child, episode) = decided(w, "strategy_discussion").await;
    let view = w
        .app
        .view_episode(&w.worker, episode)
        .await
        .expect("episode");
    assert_eq!(view.strategy_discussions.len(), 1);
    (child, episode, view.strategy_discussions[0].id)
}

/// A complete record of a discussion held at 14:00 London on 1 April 2026.
fn complete() -> StrategyRecordInput {
    StrategyRecordInput {
        held_date: "2026-04-01".into(),
        held_time: "14:00".into(),
        attendees: vec![
            AttendeeInput {
                name: "DS Khan".into(),
                agency: "police".into(),
                role: "Detective sergeant, child abuse investigation".into(),
                information_shared: "Two domestic abuse call-outs to the address in 2025.".into(),
            },
            AttendeeInput {
                name: "Jo Reed".into(),
                agency: "health".into(),
                role: "Named nurse".into(),
                information_shared: "Missed immunisations; one A&E visit for a fall.".into(),
            },
            AttendeeInput {
                name: "worker".into(),
                agency: "childrens_social_care".into(),
                role: "MASH social worker".into(),
                information_shared: "One previous contact in 2024, no further action.".into(),
            },
        ],
        risks: vec![RiskInput {
            harm: "Physical injury".into(),
            to_whom: "Amy".into(),
            from_whom: "Stepfather".into(),
            likelihood: "high".into(),
            severity: "high".into(),
        }],
        decision: "section_47_enquiry".into(),
        rationale: "Injury with a disclosure and a history of violence at the address.".into(),
        actions: vec![ActionInput {
            description: "Joint visit with police to see Amy at school".into(),
            owner: "worker and DS Khan".into(),
            due_on: "2026-04-02".into(),
        }],
        ..Default::default()
    }
}

fn fields(error: &AppError) -> Vec<String> {
    match error {
        AppError::Invalid(errors) => errors.iter().map(|e| e.field.clone()).collect(),
        other => panic!("expected a refusal naming the missing parts, got {other:?}"),
    }
}

/// A discussion to hold, and the clock at 15:00 on 1 April 2026, after it was held at 14:00.
async fn to_write_up(w: &World) -> (PersonId, EpisodeId, StrategyDiscussionId) {
    let held = to_hold(w).await;
    w.clock.set(utc(2026, 4, 1, 15, 0));
    held
}

async fn signed_off(w: &World) -> (PersonId, EpisodeId, StrategyDiscussionId) {
    let (child, episode, id) = to_write_up(w).await;
    w.app
        .record_strategy_discussion(&w.worker, id, &complete())
        .await
        .expect("save");
    w.app
        .sign_off_strategy_discussion(&w.manager, id)
        .await
        .expect("sign off");
    (child, episode, id)
}

/// Asserts that each of `titles` is on the child's chronology.
async fn assert_on_chronology(w: &World, child: PersonId, titles: &[&str]) {
    let chronology = w
        .app
        .person_chronology(&w.worker, child, None)
        .await
        .expect("chronology");
    for title in titles {
        assert!(
            chronology.iter().any(|e| e.title == *title),
            "'{title}' is not on the chronology"
        );
    }
}

/// Closing an episode on 1 April 2026 with census reason RC8.
fn closure() -> EpisodeClosureInput {
    EpisodeClosureInput {
        closed_on: "2026-04-01".into(),
        closure_reason: "RC8".into(),
    }
}

/// Of two attempts made at once, exactly one succeeded and the other met a conflict.
fn one_winner<T: std::fmt::Debug>(results: [Result<T, AppError>; 2]) {
    support::one_winner(&results);
}

mod enquiries;
mod strategy;
mod work_due;
mod workloads;
