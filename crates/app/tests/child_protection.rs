//! Episodes, strategy discussions, section 47 enquiries, conferences and plans, end to end on
//! every backend: the sign-off guard (refused for each missing part, named; accepted once
//! complete; never twice), the pre-strategy visit flag, the ICPC due date over a bank holiday,
//! review dates, and races that must have exactly one winner.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::{
    ActionInput, App, AppError, AttendeeInput, ConferenceInput, ContactInput, EnquiryOutcomeInput,
    EnquiryVisitInput, EpisodeClosureInput, EpisodeUpdateInput, LinkTarget, NewAuthority,
    NewWorker, PlanVisitInput, RecommendationInput, ReviewInput, RiskInput, Settings,
    StrategyRecordInput, SubjectInput, WorkDueKind, WorkDueScope,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{ContactId, EpisodeId, PersonId, StrategyDiscussionId};
use frontdoor_domain::strategy_discussion::StrategyState;
use frontdoor_store::testing::all_backends;
use std::sync::Arc;

const PASSWORD: &str = "a long enough password";

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
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("instant")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

async fn world(store: Store) -> World {
    // Wednesday 1 April 2026, 09:00 UTC (10:00 in London, BST): Easter is two days away.
    let clock = Arc::new(FixedClock::new(utc(2026, 4, 1, 9, 0)));
    let app = App::new(store, clock.clone(), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "testshire".into(),
            name: "Testshire Council".into(),
            front_door_teams: vec!["MASH A".into(), "MASH B".into()],
            other_teams: vec![],
            partners: vec![("Testshire Police".into(), OrganisationKind::Police)],
        })
        .await
        .expect("authority");
    let teams = app.store.teams(authority).await.expect("teams");
    let police = app
        .store
        .organisations(authority)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.kind == OrganisationKind::Police)
        .map(|o| o.id);
    let add = |username: &'static str, role: Role, team: Option<usize>, organisation| {
        let app = app.clone();
        let team = team.map(|i| teams[i].id);
        async move {
            app.add_worker_as_operator(&NewWorker {
                authority,
                username: username.into(),
                display_name: username.into(),
                role,
                team,
                organisation,
                asye: false,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor()
        }
    };
    World {
        officer: add("officer", Role::ContactOfficer, Some(0), None).await,
        worker: add("worker", Role::MashSocialWorker, Some(0), None).await,
        manager: add("manager", Role::TeamManager, Some(0), None).await,
        manager2: add("manager.two", Role::TeamManager, Some(0), None).await,
        manager_b: add("manager.b", Role::TeamManager, Some(1), None).await,
        out_of_hours: add("edt", Role::OutOfHoursWorker, None, None).await,
        partner: add("partner", Role::PartnerPractitioner, None, police).await,
        app,
        clock,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in all_backends().await.expect("databases") {
        eprintln!("-- on {}", database.backend());
        test(world(database.store.clone()).await).await;
        database.remove().await;
    }
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
    let view = w
        .app
        .view_contact(&w.officer, contact.id)
        .await
        .expect("view");
    for s in view.subjects {
        w.app
            .link_contact_subject(&w.officer, contact.id, s.subject.id, LinkTarget::NewRecord)
            .await
            .expect("link");
    }
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

#[tokio::test]
async fn a_referral_opens_the_childs_episode_and_a_strategy_outcome_leaves_a_discussion_to_hold() {
    each_backend(|w| async move {
        let (_, _, episode) = decided(&w, "referral_for_assessment").await;
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        assert_eq!(view.episode.referral_date, date(2026, 4, 1));
        assert_eq!(view.episode.source.code(), "5A");
        assert!(
            view.episode.team.is_some(),
            "allocated to the contact's team"
        );
        assert!(view.strategy_discussions.is_empty());

        let (_, child, episode) = decided(&w, "strategy_discussion").await;
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        let discussion = &view.strategy_discussions[0];
        assert_eq!(discussion.state, StrategyState::ToHold);
        assert_eq!(discussion.decided_at, utc(2026, 4, 1, 9, 0));
        assert!(!discussion.emergency);

        // The primary need, then closure with a census reason.
        w.app
            .update_episode(
                &w.worker,
                episode,
                &EpisodeUpdateInput {
                    primary_need: "N1".into(),
                    worker: String::new(),
                },
            )
            .await
            .expect("need");
        let refused = w
            .app
            .close_episode(
                &w.manager,
                episode,
                &EpisodeClosureInput {
                    closed_on: "2026-04-01".into(),
                    closure_reason: "RC8".into(),
                },
            )
            .await;
        assert!(
            matches!(&refused, Err(AppError::Conflict(m)) if m.contains("strategy discussion")),
            "{refused:?}"
        );
        let chronology = w
            .app
            .person_chronology(&w.worker, child, None)
            .await
            .expect("chronology");
        assert!(chronology
            .iter()
            .any(|e| e.title == "Episode of need opened by a referral"));
        assert!(chronology
            .iter()
            .any(|e| e.title == "Strategy discussion to be held"));
        assert!(chronology
            .iter()
            .any(|e| e.title == "Primary need: Abuse or neglect"));
    })
    .await;
}

#[tokio::test]
async fn strategy_sign_off_is_refused_for_each_missing_part_and_accepted_once_complete() {
    each_backend(|w| async move {
        let (child, _, id) = to_hold(&w).await;
        w.clock.set(utc(2026, 4, 1, 15, 0));

        // Not held yet: nothing to sign off.
        let early = w.app.sign_off_strategy_discussion(&w.manager, id).await;
        assert!(matches!(early, Err(AppError::Conflict(_))), "{early:?}");

        type Change = fn(&mut StrategyRecordInput);
        let cases: Vec<(&str, Change)> = vec![
            ("police_absence_reason", |r| {
                r.attendees.retain(|a| a.agency != "police");
            }),
            ("health_absence_reason", |r| {
                r.attendees.retain(|a| a.agency != "health");
            }),
            ("information_shared.police", |r| {
                r.attendees[0].information_shared.clear();
            }),
            ("risks", |r| r.risks.clear()),
            ("risks[0].to_whom", |r| r.risks[0].to_whom.clear()),
            ("risks[0].from_whom", |r| r.risks[0].from_whom.clear()),
            ("risks[0].likelihood", |r| r.risks[0].likelihood.clear()),
            ("risks[0].severity", |r| r.risks[0].severity.clear()),
            ("decision", |r| r.decision.clear()),
            ("rationale", |r| r.rationale.clear()),
            ("actions", |r| r.actions.clear()),
            ("actions[0].owner", |r| r.actions[0].owner.clear()),
            ("actions[0].due_on", |r| r.actions[0].due_on.clear()),
        ];
        for (missing, change) in &cases {
            let mut input = complete();
            change(&mut input);
            w.app
                .record_strategy_discussion(&w.worker, id, &input)
                .await
                .expect("an incomplete record can be saved");
            let refused = w
                .app
                .sign_off_strategy_discussion(&w.manager, id)
                .await
                .expect_err("refused");
            assert_eq!(fields(&refused), vec![missing.to_string()], "{missing}");
        }
        // A reason stands in for an absent agency.
        let mut input = complete();
        input.attendees.retain(|a| a.agency != "health");
        input.health_absence_reason = "Not known to health; GP checked by phone beforehand.".into();
        // Every part missing at once is named at once, in the order of the form.
        let empty = StrategyRecordInput {
            held_date: "2026-04-01".into(),
            held_time: "14:00".into(),
            ..Default::default()
        };
        w.app.record_strategy_discussion(&w.worker, id, &empty).await.expect("save");
        let refused = w.app.sign_off_strategy_discussion(&w.manager, id).await.expect_err("refused");
        assert_eq!(
            fields(&refused),
            vec!["police_absence_reason", "health_absence_reason", "risks", "decision", "rationale", "actions"]
        );
        assert!(refused.to_string().contains("Record the decision"), "{refused}");

        // Complete: the worker's record is signed off by a manager of the team.
        w.app.record_strategy_discussion(&w.worker, id, &input).await.expect("save");
        let other_team = w.app.sign_off_strategy_discussion(&w.manager_b, id).await;
        assert!(matches!(other_team, Err(AppError::Denied(DenialReason::OtherTeam))), "{other_team:?}");
        let worker = w.app.sign_off_strategy_discussion(&w.worker, id).await;
        assert!(matches!(worker, Err(AppError::Denied(DenialReason::RoleNotPermitted))), "{worker:?}");
        let signed = w.app.sign_off_strategy_discussion(&w.manager, id).await.expect("signed off");
        assert_eq!(signed.state, StrategyState::SignedOff);
        assert_eq!(signed.held_within_target, Some(true));
        assert_eq!(signed.sign_off_refusals, cases.len() as i32 + 1);

        // Never twice, and no changes after sign-off: the conflict says who and when.
        let again = w.app.sign_off_strategy_discussion(&w.manager2, id).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains("manager signed this strategy discussion off at 16:00 on 1 April 2026")),
            "{again:?}"
        );
        let edit = w.app.record_strategy_discussion(&w.worker, id, &complete()).await;
        assert!(matches!(edit, Err(AppError::Conflict(_))), "{edit:?}");

        let chronology = w.app.person_chronology(&w.worker, child, None).await.expect("chronology");
        assert!(chronology.iter().any(|e| e.title == "Strategy discussion signed off: Section 47 enquiry"));
        assert!(chronology
            .iter()
            .any(|e| e.title == "Strategy discussion sign-off refused: the record is incomplete"));
    })
    .await;
}

#[tokio::test]
async fn a_manager_does_not_sign_off_their_own_record_and_partners_take_no_part() {
    each_backend(|w| async move {
        let (_, episode, id) = to_hold(&w).await;
        w.clock.set(utc(2026, 4, 1, 15, 0));
        w.app
            .record_strategy_discussion(&w.manager, id, &complete())
            .await
            .expect("save");
        let own = w.app.sign_off_strategy_discussion(&w.manager, id).await;
        assert!(
            matches!(own, Err(AppError::Denied(DenialReason::OwnRecord))),
            "{own:?}"
        );
        w.app
            .sign_off_strategy_discussion(&w.manager2, id)
            .await
            .expect("another manager");
        let partner = w.app.view_episode(&w.partner, episode).await;
        assert!(matches!(partner, Err(AppError::Denied(_))), "{partner:?}");
        let partner = w
            .app
            .start_emergency_strategy_discussion(&w.partner, episode)
            .await;
        assert!(matches!(partner, Err(AppError::Denied(_))), "{partner:?}");

        // Out of hours, an emergency discussion on the open episode.
        w.clock.set(utc(2026, 4, 1, 22, 30));
        let emergency = w
            .app
            .start_emergency_strategy_discussion(&w.out_of_hours, episode)
            .await
            .expect("emergency");
        assert!(emergency.emergency);
        assert_eq!(emergency.state, StrategyState::ToHold);
    })
    .await;
}

async fn signed_off(w: &World) -> (PersonId, EpisodeId, StrategyDiscussionId) {
    let (child, episode, id) = to_hold(w).await;
    w.clock.set(utc(2026, 4, 1, 15, 0));
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

#[tokio::test]
async fn a_visit_before_the_strategy_discussion_agreed_the_plan_is_flagged_and_needs_a_reason() {
    each_backend(|w| async move {
        let (child, _, id) = signed_off(&w).await;
        let enquiry = w
            .app
            .start_section_47(&w.worker, id)
            .await
            .expect("enquiry");
        assert_eq!(enquiry.started_on, date(2026, 4, 1));
        let again = w.app.start_section_47(&w.worker, id).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains("already started")),
            "{again:?}"
        );

        // 11:00 London, before the discussion at 14:00.
        let mut visit = EnquiryVisitInput {
            visited_date: "2026-04-01".into(),
            visited_time: "11:00".into(),
            visited_by: "worker".into(),
            child_seen: Some(true),
            seen_alone: Some(false),
            early_visit_reason: String::new(),
        };
        let refused = w
            .app
            .record_section_47_visit(&w.worker, enquiry.id, &visit)
            .await
            .expect_err("refused");
        assert_eq!(fields(&refused), vec!["early_visit_reason"]);
        assert!(
            refused.to_string().contains("at 14:00 on 1 April 2026"),
            "{refused}"
        );
        visit.early_visit_reason =
            "Called out by police to the home when the injury was reported.".into();
        let flagged = w
            .app
            .record_section_47_visit(&w.worker, enquiry.id, &visit)
            .await
            .expect("visit");
        assert!(flagged.before_plan_agreed);

        // 14:30 London: after the plan was agreed, not flagged.
        let after = EnquiryVisitInput {
            visited_date: "2026-04-01".into(),
            visited_time: "14:30".into(),
            visited_by: "worker and DS Khan".into(),
            child_seen: Some(true),
            seen_alone: Some(true),
            early_visit_reason: String::new(),
        };
        let visit = w
            .app
            .record_section_47_visit(&w.worker, enquiry.id, &after)
            .await
            .expect("visit");
        assert!(!visit.before_plan_agreed);
        assert!(visit.seen_alone);

        let chronology = w
            .app
            .person_chronology(&w.worker, child, None)
            .await
            .expect("chronology");
        assert!(chronology.iter().any(|e| e
            .detail
            .contains("Visited before the strategy discussion agreed the plan")));
    })
    .await;
}

#[tokio::test]
async fn icpc_due_over_easter_then_plan_reviews_and_visits() {
    each_backend(|w| async move {
        let (_, episode, id) = signed_off(&w).await;
        let enquiry = w
            .app
            .start_section_47(&w.worker, id)
            .await
            .expect("enquiry");
        // Held Wednesday 1 April 2026; Good Friday (3rd) and Easter Monday (6th) do not count:
        // 15 working days later is Friday 24 April, not Wednesday 22 April.
        assert_eq!(enquiry.icpc_due_on, date(2026, 4, 24));

        w.clock.set(utc(2026, 4, 14, 9, 0));
        let completed = w
            .app
            .complete_section_47(
                &w.worker,
                enquiry.id,
                &EnquiryOutcomeInput {
                    concerns_substantiated: Some(true),
                    icpc_needed: Some(true),
                    reason: "Injury consistent with the disclosure; the risk remains at home."
                        .into(),
                    completed_on: String::new(),
                },
            )
            .await
            .expect("complete");
        assert_eq!(completed.icpc_needed, Some(true));
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        let icpc = view
            .conferences
            .iter()
            .find(|c| c.kind == "initial")
            .expect("icpc");
        assert_eq!(icpc.due_on, date(2026, 4, 24));

        w.clock.set(utc(2026, 4, 24, 15, 0));
        let missing = w
            .app
            .record_conference(
                &w.worker,
                icpc.id,
                &ConferenceInput {
                    held_on: "2026-04-24".into(),
                    chair: "I. Chair".into(),
                    plan: Some(true),
                    category: String::new(),
                },
            )
            .await
            .expect_err("a plan needs a category");
        assert_eq!(fields(&missing), vec!["category"]);
        w.app
            .record_conference(
                &w.worker,
                icpc.id,
                &ConferenceInput {
                    held_on: "2026-04-24".into(),
                    chair: "I. Chair".into(),
                    plan: Some(true),
                    category: "PHY".into(),
                },
            )
            .await
            .expect("icpc held");
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        let plan = &view.plans[0];
        assert_eq!(plan.plan.started_on, date(2026, 4, 24));
        assert_eq!(plan.plan.initial_category.code(), "PHY");
        // The first review within 3 months: Friday 24 July 2026.
        assert_eq!(plan.next_review_due, Some(date(2026, 7, 24)));
        // Statutory visits every 10 working days: Monday 11 May 2026 (the 4 May bank holiday
        // does not count).
        assert_eq!(plan.next_visit_due, Some(date(2026, 5, 11)));

        w.clock.set(utc(2026, 5, 6, 12, 0));
        let plan_view = w
            .app
            .record_plan_visit(
                &w.worker,
                plan.plan.id,
                &PlanVisitInput {
                    visited_on: "2026-05-06".into(),
                    seen_alone: Some(true),
                },
            )
            .await
            .expect("visit");
        assert_eq!(plan_view.next_visit_due, Some(date(2026, 5, 20)));

        w.clock.set(utc(2026, 7, 24, 15, 0));
        let review = plan_view
            .reviews
            .iter()
            .find(|r| r.held_on.is_none())
            .expect("review to hold");
        w.app
            .record_conference(
                &w.manager,
                review.id,
                &ConferenceInput {
                    held_on: "2026-07-24".into(),
                    chair: "I. Chair".into(),
                    plan: Some(true),
                    category: "MUL".into(),
                },
            )
            .await
            .expect("review held");
        let plan_view = w
            .app
            .view_plan(&w.worker, plan.plan.id)
            .await
            .expect("plan");
        assert_eq!(plan_view.plan.latest_category.code(), "MUL");
        // Then within 6 months of that review: 24 January 2027 is a Sunday, so Friday 22nd.
        assert_eq!(plan_view.next_review_due, Some(date(2027, 1, 22)));
        let twice = w
            .app
            .record_conference(
                &w.manager,
                review.id,
                &ConferenceInput {
                    held_on: "2026-07-24".into(),
                    chair: "I. Chair".into(),
                    plan: Some(false),
                    category: String::new(),
                },
            )
            .await;
        assert!(matches!(twice, Err(AppError::Conflict(_))), "{twice:?}");
    })
    .await;
}

#[tokio::test]
async fn two_managers_signing_off_or_two_enquiries_at_once_have_exactly_one_winner() {
    each_backend(|w| async move {
        let (_, episode, id) = to_hold(&w).await;
        w.clock.set(utc(2026, 4, 1, 15, 0));
        w.app
            .record_strategy_discussion(&w.worker, id, &complete())
            .await
            .expect("save");
        let (a, b) = tokio::join!(
            w.app.sign_off_strategy_discussion(&w.manager, id),
            w.app.sign_off_strategy_discussion(&w.manager2, id),
        );
        let results = [a, b];
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(AppError::Conflict(_)))),
            "{results:?}"
        );

        let (a, b) = tokio::join!(
            w.app.start_section_47(&w.worker, id),
            w.app.start_section_47(&w.manager, id),
        );
        let results = [a, b];
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(AppError::Conflict(_)))),
            "{results:?}"
        );
        let view = w
            .app
            .view_episode(&w.worker, episode)
            .await
            .expect("episode");
        assert_eq!(view.enquiries.len(), 1);
        let audit = w.app.verify_audit_trail().await.expect("audit");
        assert!(audit.is_intact());
    })
    .await;
}

#[tokio::test]
async fn work_due_lists_the_worker_and_team_due_dates_soonest_first_with_breaches() {
    each_backend(|w| async move {
        let (_, episode, _) = to_hold(&w).await;
        let team = w
            .app
            .work_due(&w.manager, WorkDueScope::Team)
            .await
            .expect("team");
        assert_eq!(team.len(), 1);
        assert_eq!(team[0].kind, WorkDueKind::StrategyDiscussion);
        // Decided on Wednesday 1 April: to be held by the end of Thursday 2 April.
        assert_eq!(team[0].due_on, date(2026, 4, 2));
        assert!(!team[0].breached);
        assert!(w
            .app
            .work_due(&w.manager_b, WorkDueScope::Team)
            .await
            .expect("b")
            .is_empty());
        assert!(w
            .app
            .work_due(&w.worker, WorkDueScope::Mine)
            .await
            .expect("mine")
            .is_empty());
        let partner = w.app.work_due(&w.partner, WorkDueScope::All).await;
        assert!(matches!(partner, Err(AppError::Denied(_))), "{partner:?}");

        // Allocated to the worker, it is theirs; after Easter it is a breach.
        w.app
            .update_episode(
                &w.manager,
                episode,
                &EpisodeUpdateInput {
                    primary_need: String::new(),
                    worker: w.worker.worker.to_string(),
                },
            )
            .await
            .expect("allocate");
        w.clock.set(utc(2026, 4, 7, 9, 0));
        let mine = w
            .app
            .work_due(&w.worker, WorkDueScope::Mine)
            .await
            .expect("mine");
        assert_eq!(mine.len(), 1);
        assert!(mine[0].breached);
        assert_eq!(mine[0].worker_name.as_deref(), Some("worker"));

        // Another child's discussion signed off and its enquiry completed: the ICPC is due.
        w.clock.set(utc(2026, 4, 1, 9, 0));
        let (_, _, id) = signed_off(&w).await;
        let enquiry = w
            .app
            .start_section_47(&w.worker, id)
            .await
            .expect("enquiry");
        w.app
            .complete_section_47(
                &w.worker,
                enquiry.id,
                &EnquiryOutcomeInput {
                    concerns_substantiated: Some(true),
                    icpc_needed: Some(true),
                    reason: "Significant harm likely without a plan.".into(),
                    completed_on: String::new(),
                },
            )
            .await
            .expect("complete");
        let team = w
            .app
            .work_due(&w.manager, WorkDueScope::Team)
            .await
            .expect("team");
        let kinds: Vec<WorkDueKind> = team.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            vec![
                WorkDueKind::StrategyDiscussion,
                WorkDueKind::InitialConference
            ]
        );
        assert!(
            team.windows(2).all(|p| p[0].due_on <= p[1].due_on),
            "soonest first"
        );
    })
    .await;
}
