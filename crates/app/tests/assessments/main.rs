//! Child and family assessments, end to end on every backend: the due date (45 working days
//! across Easter and the May bank holidays); submitting without a quality point refused
//! (naming each, storing nothing) until each has a reason, and the reasons reported per team;
//! a second assessment of the child within 12 months flagged at start and counted; one open
//! assessment per episode; who may start, submit, authorise and return; and races with one
//! winner (two starts, two authorisations, authorise against return).

#[path = "../support/mod.rs"]
mod support;

use chrono::NaiveDate;
use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::{
    App, AppError, Assessment, AssessmentInput, AssessmentListScope, AssessmentReturnInput,
    AssessmentSubmissionInput, AssessmentVisitInput, EpisodeUpdateInput, RecommendationInput,
    ReviewInput, WorkDueKind, WorkDueScope,
};
use frontdoor_domain::assessment::{AssessmentState, QualityPoint};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{EpisodeId, PersonId};
use std::collections::BTreeMap;
use std::sync::Arc;
use support::{conflict, fields, one_winner, utc};

struct World {
    app: App,
    clock: Arc<FixedClock>,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    manager2: Actor,
    manager_b: Actor,
    senior: Actor,
    partner: Actor,
}

async fn world(store: Store) -> World {
    // Wednesday 1 April 2026, 09:00 UTC (10:00 in London).
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

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// A child referred for assessment on Monday 23 March 2026 (MASH A), the episode allocated to
/// the worker.
async fn referred(w: &World, given: &str) -> (PersonId, EpisodeId) {
    let now = w.app.now();
    w.clock.set(utc(2026, 3, 23, 10, 0));
    let input = support::school_contact(vec![support::child(given, "Stone", "2016-04-01")]);
    let contact = w
        .app
        .record_contact(&w.officer, &input)
        .await
        .expect("record");
    let child = support::link_all_new(&w.app, &w.officer, contact.id).await[0];
    w.app
        .recommend_decision(
            &w.worker,
            contact.id,
            &RecommendationInput {
                outcome: "referral_for_assessment".into(),
                level_of_need: "3".into(),
                signposted_to: String::new(),
                rationale: "Neglect over weeks: a child and family assessment is needed.".into(),
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
                rationale: "Agreed: assessment by the MASH social worker.".into(),
                ..Default::default()
            },
        )
        .await
        .expect("authorise");
    let episode = w
        .app
        .episodes_of_child(&w.manager, child)
        .await
        .expect("episodes")[0]
        .id;
    w.app
        .update_episode(
            &w.manager,
            episode,
            &EpisodeUpdateInput {
                worker: w.worker.worker.to_string(),
                ..Default::default()
            },
        )
        .await
        .expect("allocate");
    w.clock.set(now);
    (child, episode)
}

fn visit(on: &str, seen: bool, alone: bool) -> AssessmentVisitInput {
    AssessmentVisitInput {
        visited_on: on.into(),
        child_seen: seen,
        seen_alone: alone,
        note: "Home visit: the kitchen had food; Mia showed me her room.".into(),
    }
}

fn full_record() -> AssessmentInput {
    AssessmentInput {
        child_views: "Mia drew her family: she put nan closest and said she likes tea there."
            .into(),
        history_considered: "Two earlier contacts about hunger (2025); no previous plans.".into(),
        family_considered:
            "Father (lives apart) seen; maternal grandmother offers after-school care.".into(),
        verification_sources: "Riverside Primary: attendance 82%\nHealth visitor".into(),
        factors: vec!["16A".into(), "1B".into()],
        outcome: "child_in_need_plan".into(),
    }
}

fn reasons(pairs: &[(&str, &str)]) -> AssessmentSubmissionInput {
    AssessmentSubmissionInput {
        reasons: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// A complete assessment, submitted and authorised.
async fn completed(w: &World, episode: EpisodeId) -> Assessment {
    let a = w
        .app
        .start_assessment(&w.worker, episode)
        .await
        .expect("start");
    w.app
        .record_assessment_visit(&w.worker, a.id, &visit("2026-03-30", true, true))
        .await
        .expect("visit");
    w.app
        .update_assessment(&w.worker, a.id, &full_record())
        .await
        .expect("update");
    w.app
        .submit_assessment(&w.worker, a.id, &reasons(&[]))
        .await
        .expect("submit");
    w.app
        .authorise_assessment(&w.manager, a.id)
        .await
        .expect("authorise")
}

#[tokio::test]
async fn an_assessment_is_due_45_working_days_from_the_referral_across_the_bank_holidays() {
    each_backend(|w| async move {
        let (_, episode) = referred(&w, "Mia").await;
        let a = w
            .app
            .start_assessment(&w.worker, episode)
            .await
            .expect("start");
        assert_eq!(a.state, AssessmentState::InProgress);
        assert_eq!(a.referral_date, Some(date(2026, 3, 23)));
        // Good Friday, Easter Monday, the early May and spring bank holidays are skipped.
        assert_eq!(a.due_on, Some(date(2026, 5, 29)));
        assert_eq!(a.started_on, date(2026, 4, 1));
        assert!(!a.is_repeat);
        let view = w.app.view_assessment(&w.worker, a.id).await.expect("view");
        assert_eq!(view.missing_points, QualityPoint::ALL.to_vec());
        assert!(view.working_days_left.is_some_and(|d| d > 30));
        assert_eq!(
            view.previous_contacts.len(),
            1,
            "the child's history is shown"
        );
        assert_eq!(view.referrals.len(), 1);
        // One open at a time on an episode.
        conflict(
            w.app.start_assessment(&w.worker, episode).await,
            "already open",
        );
    })
    .await;
}

#[tokio::test]
async fn submitting_without_quality_points_is_refused_naming_each_until_each_has_a_reason() {
    each_backend(|w| async move {
        let (_, episode) = referred(&w, "Mia").await;
        let a = w
            .app
            .start_assessment(&w.worker, episode)
            .await
            .expect("start");
        // Nothing recorded: every point, the factors and the outcome are named.
        let refused = fields(
            w.app
                .submit_assessment(&w.worker, a.id, &reasons(&[]))
                .await,
        );
        assert_eq!(
            refused,
            [
                "reasons[child_seen]",
                "reasons[child_seen_alone]",
                "reasons[child_views]",
                "reasons[history_considered]",
                "reasons[extended_family_considered]",
                "reasons[information_verified]",
                "factors",
                "outcome",
            ]
        );
        // Seen but not alone; the parents' own account only.
        w.app
            .record_assessment_visit(&w.worker, a.id, &visit("2026-03-30", true, false))
            .await
            .expect("visit");
        let record = AssessmentInput {
            verification_sources: "Mother".into(),
            ..full_record()
        };
        w.app
            .update_assessment(&w.worker, a.id, &record)
            .await
            .expect("update");
        let refused = fields(
            w.app
                .submit_assessment(
                    &w.worker,
                    a.id,
                    &reasons(&[("child_seen_alone", "too short")]),
                )
                .await,
        );
        assert_eq!(
            refused,
            ["reasons[child_seen_alone]", "reasons[information_verified]"]
        );
        let view = w.app.view_assessment(&w.worker, a.id).await.expect("view");
        assert_eq!(
            view.assessment.state,
            AssessmentState::InProgress,
            "nothing stored"
        );
        assert!(view.reasons.is_empty());

        let submitted = w
            .app
            .submit_assessment(
                &w.worker,
                a.id,
                &reasons(&[
                    (
                        "child_seen_alone",
                        "Mia would not leave her mother's side on either visit.",
                    ),
                    (
                        "information_verified",
                        "School closed for Easter; asked the GP, no answer yet.",
                    ),
                ]),
            )
            .await
            .expect("submitted with reasons");
        assert_eq!(submitted.state, AssessmentState::Submitted);
        // Nothing more is written while it awaits authorisation.
        conflict(
            w.app
                .update_assessment(&w.worker, a.id, &full_record())
                .await,
            "submitted for authorisation",
        );
        let authorised = w
            .app
            .authorise_assessment(&w.manager, a.id)
            .await
            .expect("authorised");
        assert_eq!(authorised.state, AssessmentState::Authorised);
        assert_eq!(authorised.completed_on, Some(date(2026, 4, 1)));

        // The reasons are reported, team by team.
        let report = w
            .app
            .assessment_quality_report(&w.senior, date(2026, 4, 1), date(2026, 4, 30))
            .await
            .expect("report");
        assert_eq!(report.missing_points, 2);
        let team = report
            .teams
            .iter()
            .find(|t| t.team_name == "MASH A")
            .expect("MASH A in the report");
        assert_eq!(team.started, 1);
        let points: Vec<QualityPoint> = team.reasons.iter().map(|r| r.point).collect();
        assert_eq!(
            points,
            [
                QualityPoint::ChildSeenAlone,
                QualityPoint::InformationVerified
            ]
        );
        assert!(team.reasons[0].reason.contains("mother's side"));
        let count = |p: QualityPoint| {
            team.point_counts
                .iter()
                .find(|c| c.point == p)
                .map(|c| c.count)
        };
        assert_eq!(count(QualityPoint::ChildSeenAlone), Some(1));
        assert_eq!(count(QualityPoint::ChildViews), Some(0));
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn a_second_assessment_within_twelve_months_is_flagged_at_start_and_counted() {
    each_backend(|w| async move {
        let (child, episode) = referred(&w, "Mia").await;
        let (_, other_episode) = referred(&w, "Ava").await;
        let first = completed(&w, episode).await;
        assert!(!first.is_repeat);
        w.clock.set(utc(2026, 4, 20, 9, 0));
        let second = w
            .app
            .start_assessment(&w.worker, episode)
            .await
            .expect("second");
        assert!(
            second.is_repeat,
            "a second assessment of Mia within 12 months"
        );
        let other = w
            .app
            .start_assessment(&w.worker, other_episode)
            .await
            .expect("Ava's first");
        assert!(!other.is_repeat, "another child's first is not a repeat");
        let view = w
            .app
            .view_assessment(&w.manager, second.id)
            .await
            .expect("view");
        assert_eq!(view.assessments_in_12_months, 1);
        assert_eq!(view.previous_assessments[0].id, first.id);
        assert_eq!(view.previous_assessments[0].person, child);
        let report = w
            .app
            .assessment_quality_report(&w.manager, date(2026, 4, 1), date(2026, 4, 30))
            .await
            .expect("report");
        assert_eq!((report.started, report.repeats), (3, 1));
        // The start is on the child's chronology with the flag.
        let record = w.app.view_person(&w.manager, child).await.expect("record");
        assert!(record
            .chronology
            .iter()
            .any(|e| e.kind == "assessment_started" && e.detail.contains("repeat")));
    })
    .await;
}

#[tokio::test]
async fn who_may_start_submit_authorise_and_return() {
    each_backend(|w| async move {
        let (_, episode) = referred(&w, "Mia").await;
        for who in [&w.officer, &w.partner, &w.senior] {
            assert!(
                matches!(
                    w.app.start_assessment(who, episode).await,
                    Err(AppError::Denied(DenialReason::RoleNotPermitted))
                ),
                "{:?}",
                who.role
            );
        }
        let a = w
            .app
            .start_assessment(&w.worker, episode)
            .await
            .expect("start");
        assert!(matches!(
            w.app.view_assessment(&w.partner, a.id).await,
            Err(AppError::Denied(_))
        ));
        w.app
            .record_assessment_visit(&w.worker, a.id, &visit("2026-03-30", true, true))
            .await
            .expect("visit");
        // A visit in the future, or alone but not seen, is refused.
        assert_eq!(
            fields(
                w.app
                    .record_assessment_visit(&w.worker, a.id, &visit("2026-05-01", true, true))
                    .await
            ),
            ["visited_on"]
        );
        assert_eq!(
            fields(
                w.app
                    .record_assessment_visit(&w.worker, a.id, &visit("2026-03-31", false, true))
                    .await
            ),
            ["seen_alone"]
        );
        w.app
            .update_assessment(&w.worker, a.id, &full_record())
            .await
            .expect("update");
        // 21 with another factor is refused.
        let bad = AssessmentInput {
            factors: vec!["21".into(), "16A".into()],
            ..full_record()
        };
        assert_eq!(
            fields(w.app.update_assessment(&w.worker, a.id, &bad).await),
            ["factors"]
        );
        // Not authorised before it is submitted.
        conflict(
            w.app.authorise_assessment(&w.manager, a.id).await,
            "still in progress",
        );
        w.app
            .submit_assessment(&w.worker, a.id, &reasons(&[]))
            .await
            .expect("submit");
        // The worker cannot authorise; another team's manager cannot either.
        assert!(matches!(
            w.app.authorise_assessment(&w.worker, a.id).await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert!(matches!(
            w.app.authorise_assessment(&w.manager_b, a.id).await,
            Err(AppError::Denied(DenialReason::OtherTeam))
        ));
        // Returned with a reason, it is in progress again and can be resubmitted.
        assert_eq!(
            fields(
                w.app
                    .return_assessment(&w.manager, a.id, &AssessmentReturnInput::default())
                    .await
            ),
            ["reason"]
        );
        let returned = w
            .app
            .return_assessment(
                &w.manager,
                a.id,
                &AssessmentReturnInput {
                    reason: "Say what the grandmother's care would look like day to day.".into(),
                },
            )
            .await
            .expect("returned");
        assert_eq!(returned.state, AssessmentState::InProgress);
        assert!(returned.return_reason.contains("grandmother"));
        w.app
            .submit_assessment(&w.worker, a.id, &reasons(&[]))
            .await
            .expect("resubmitted");
        // A manager who submitted it themselves cannot authorise it.
        let mine = w
            .app
            .assessments(&w.manager, AssessmentListScope::Team, false)
            .await
            .expect("team list");
        assert_eq!(mine.len(), 1);
        assert!(!mine[0].overdue);
        w.app
            .authorise_assessment(&w.manager2, a.id)
            .await
            .expect("another manager of the team authorises");
        assert!(w
            .app
            .assessments(&w.worker, AssessmentListScope::Mine, false)
            .await
            .expect("mine")
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_manager_cannot_authorise_an_assessment_they_submitted() {
    each_backend(|w| async move {
        let (_, episode) = referred(&w, "Mia").await;
        let a = w
            .app
            .start_assessment(&w.manager, episode)
            .await
            .expect("start");
        w.app
            .record_assessment_visit(&w.manager, a.id, &visit("2026-03-30", true, true))
            .await
            .expect("visit");
        w.app
            .update_assessment(&w.manager, a.id, &full_record())
            .await
            .expect("update");
        w.app
            .submit_assessment(&w.manager, a.id, &reasons(&[]))
            .await
            .expect("submit");
        assert!(matches!(
            w.app.authorise_assessment(&w.manager, a.id).await,
            Err(AppError::Denied(DenialReason::OwnRecord))
        ));
    })
    .await;
}

#[tokio::test]
async fn an_overdue_assessment_is_listed_as_overdue() {
    each_backend(|w| async move {
        let (_, episode) = referred(&w, "Mia").await;
        w.app
            .start_assessment(&w.worker, episode)
            .await
            .expect("start");
        // Monday 1 June 2026: the due day (Friday 29 May) has passed.
        w.clock.set(utc(2026, 6, 1, 9, 0));
        let overdue = w
            .app
            .assessments(&w.manager, AssessmentListScope::Team, true)
            .await
            .expect("overdue");
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].working_days_left, Some(-1));
        // And on the worker's work due, breached.
        let due = w
            .app
            .work_due(&w.worker, WorkDueScope::Mine)
            .await
            .expect("work due");
        let item = due
            .soonest
            .iter()
            .find(|i| i.kind == WorkDueKind::Assessment)
            .expect("the assessment is due");
        assert_eq!(item.due_on, date(2026, 5, 29));
        assert!(item.breached);
        let counted = due
            .by_kind
            .iter()
            .find(|k| k.kind == WorkDueKind::Assessment)
            .map(|k| (k.due, k.overdue));
        assert_eq!(counted, Some((1, 1)));
    })
    .await;
}

#[tokio::test]
async fn two_starts_at_once_make_one_assessment() {
    each_backend(|w| async move {
        let (child, episode) = referred(&w, "Mia").await;
        let (a, b) = tokio::join!(
            w.app.start_assessment(&w.worker, episode),
            w.app.start_assessment(&w.manager, episode),
        );
        one_winner(&[a, b]);
        let all = w
            .app
            .store
            .assessments_of_child(w.worker.authority, child)
            .await
            .expect("assessments");
        assert_eq!(all.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn two_managers_authorising_at_once_have_one_winner_and_return_loses_to_authorise() {
    each_backend(|w| async move {
        let (_, episode) = referred(&w, "Mia").await;
        let a = w
            .app
            .start_assessment(&w.worker, episode)
            .await
            .expect("start");
        w.app
            .record_assessment_visit(&w.worker, a.id, &visit("2026-03-30", true, true))
            .await
            .expect("visit");
        w.app
            .update_assessment(&w.worker, a.id, &full_record())
            .await
            .expect("update");
        w.app
            .submit_assessment(&w.worker, a.id, &reasons(&[]))
            .await
            .expect("submit");
        let (x, y) = tokio::join!(
            w.app.authorise_assessment(&w.manager, a.id),
            w.app.authorise_assessment(&w.manager2, a.id),
        );
        one_winner(&[x, y]);
        conflict(
            w.app
                .return_assessment(
                    &w.manager,
                    a.id,
                    &AssessmentReturnInput {
                        reason: "Too late: it was authorised already.".into(),
                    },
                )
                .await,
            "was authorised at",
        );

        let (_, episode2) = referred(&w, "Ava").await;
        let b = completed_up_to_submission(&w, episode2).await;
        let why = AssessmentReturnInput {
            reason: "Say more about the father's part in Ava's care.".into(),
        };
        let (x, y) = tokio::join!(
            w.app.authorise_assessment(&w.manager, b.id),
            w.app.return_assessment(&w.manager2, b.id, &why),
        );
        let results: Vec<Result<Assessment, AppError>> = vec![x, y];
        one_winner(&results);
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

async fn completed_up_to_submission(w: &World, episode: EpisodeId) -> Assessment {
    let a = w
        .app
        .start_assessment(&w.worker, episode)
        .await
        .expect("start");
    w.app
        .record_assessment_visit(&w.worker, a.id, &visit("2026-03-30", true, true))
        .await
        .expect("visit");
    w.app
        .update_assessment(&w.worker, a.id, &full_record())
        .await
        .expect("update");
    w.app
        .submit_assessment(&w.worker, a.id, &reasons(&[]))
        .await
        .expect("submit")
}
