//! Child sexual exploitation screening, end to end on every backend: a contact raising CSE
//! prompts the screening until it is done; the level rule and professional judgement (raise,
//! never lower); a medium or high-risk screening requires a signed-off safety plan whose actions
//! answer every identified indicator (sign-off refused naming each unanswered one; a written
//! agreement never answers it); the risk management group's list with review dates, overdue
//! reviews and the level filter; and exactly one winner when two reviews are recorded at once.

#[path = "../support/mod.rs"]
mod support;

use frontdoor_app::chronology::EntryCategory;
use frontdoor_app::records::Store;
use frontdoor_app::{
    App, AppError, ContactInput, CseReviewInput, CseScreeningInput, PlanActionInput,
    RequirementKind, SafetyPlanInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::cse::{CseLevel, INDICATORS};
use frontdoor_domain::ids::{ContactId, PersonId};
use frontdoor_domain::safety_plan::PlanState;
use std::sync::Arc;
use support::utc;

struct World {
    app: App,
    clock: Arc<FixedClock>,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    manager2: Actor,
    qa: Actor,
}

async fn world(store: Store) -> World {
    // Wednesday 1 April 2026, 09:00 UTC.
    let t = support::testshire(store, utc(2026, 4, 1, 9, 0), &["MASH A"], &[]).await;
    let team = t.front_door_team().await;
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
        manager2: t
            .worker("manager.two", Role::TeamManager, Some(0), None)
            .await,
        qa: t
            .worker("qa", Role::QualityAssuranceOfficer, None, None)
            .await,
        clock: t.clock.clone(),
        app: t.app,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    support::on_every_backend(world, test).await;
}

/// A school contact raising CSE about Jade, recorded and Jade linked to a new record.
async fn cse_contact(w: &World) -> (ContactId, PersonId) {
    let input = ContactInput {
        received_date: "2026-04-01".into(),
        received_time: "08:00".into(),
        concern_categories: vec!["child_sexual_exploitation".into()],
        concern_summary: "Jade is collected from school by older men in cars and has a new phone."
            .into(),
        ..support::school_contact(vec![support::child("Jade", "Wells", "2011-06-01")])
    };
    let contact = w
        .app
        .record_contact(&w.officer, &input)
        .await
        .expect("record");
    let people = support::link_all_new(&w.app, &w.officer, contact.id).await;
    (contact.id, people[0])
}

/// Every indicator answered not present, except `present`.
fn screening(contact: Option<ContactId>, present: &[&str]) -> CseScreeningInput {
    CseScreeningInput {
        contact: contact.map(|c| c.to_string()).unwrap_or_default(),
        answers: INDICATORS
            .iter()
            .map(|i| {
                let answer = if present.contains(&i.code) {
                    "present"
                } else {
                    "not_present"
                };
                (i.code.to_string(), answer.to_string())
            })
            .collect(),
        notes: [(
            "older_people.older_partner".to_string(),
            "Says her boyfriend is 24.".to_string(),
        )]
        .into_iter()
        .collect(),
        ..Default::default()
    }
}

const HIGH: [&str; 2] = ["older_people.older_partner", "gifts.second_phone"];

fn action(description: &str, answers: &[&str]) -> PlanActionInput {
    PlanActionInput {
        description: description.into(),
        owner: "Social worker".into(),
        due_on: "2026-04-08".into(),
        answers: answers.iter().map(|a| a.to_string()).collect(),
    }
}

fn plan(actions: Vec<PlanActionInput>) -> SafetyPlanInput {
    SafetyPlanInput {
        kind: "safety_plan".into(),
        concerns: "Jade is being groomed by an adult man who gives her gifts.".into(),
        review_on: "2026-04-29".into(),
        actions,
    }
}

#[tokio::test]
async fn a_contact_raising_cse_prompts_the_screening_until_it_is_done() {
    each_backend(|w| async move {
        let (contact, jade) = cse_contact(&w).await;
        let prompts = w
            .app
            .cse_prompts(&w.manager, contact)
            .await
            .expect("prompts");
        assert_eq!(prompts.len(), 1);
        assert_eq!(prompts[0].person, jade);
        assert!(prompts[0].completed.is_none());
        let risk = w.app.child_risk(&w.worker, jade).await.expect("risk");
        let unmet: Vec<_> = risk.unmet().map(|r| r.kind).collect();
        assert_eq!(unmet, [RequirementKind::CseScreening]);

        // Gaps, an unknown answer and an unknown indicator are named; nothing is written.
        let mut gaps = screening(Some(contact), &[]);
        gaps.answers.remove("school.absence");
        gaps.answers
            .insert("online.sexual_images".into(), "maybe".into());
        gaps.answers.insert("made.up".into(), "present".into());
        let fields = support::fields(w.app.record_cse_screening(&w.worker, jade, &gaps).await);
        assert_eq!(
            fields,
            [
                "answers.made.up",
                "answers.online.sexual_images",
                "answers.school.absence"
            ]
        );
        // A high level may not be lowered by judgement.
        let lowered = CseScreeningInput {
            judgement_level: "medium".into(),
            judgement_reason: "She says he is only a friend.".into(),
            ..screening(Some(contact), &HIGH)
        };
        let refused = w.app.record_cse_screening(&w.worker, jade, &lowered).await;
        assert_eq!(support::fields(refused), ["judgement_level"]);
        // The officer (contact officer) may not screen.
        assert!(matches!(
            w.app
                .record_cse_screening(&w.officer, jade, &screening(None, &[]))
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert!(w
            .app
            .child_risk(&w.worker, jade)
            .await
            .expect("risk")
            .cse_screenings
            .is_empty());

        // Two low indicators: low risk, no plan, no group, the prompt answered.
        let low = w
            .app
            .record_cse_screening(
                &w.worker,
                jade,
                &screening(Some(contact), &["school.absence", "gifts.second_phone"]),
            )
            .await
            .expect("screening");
        assert_eq!((low.level, low.review_on), (CseLevel::Low, None));
        assert_eq!(low.answers.len(), INDICATORS.len());
        let prompts = w
            .app
            .cse_prompts(&w.manager, contact)
            .await
            .expect("prompts");
        assert_eq!(prompts[0].completed.as_ref().map(|s| s.id), Some(low.id));
        let risk = w.app.child_risk(&w.worker, jade).await.expect("risk");
        assert_eq!(risk.unmet().count(), 0, "{:?}", risk.requirements);
        // Judgement raises it to medium: now a plan is required and the group lists her.
        let raised = CseScreeningInput {
            judgement_level: "medium".into(),
            judgement_reason: "Seen getting into a stranger's car twice this week.".into(),
            ..screening(None, &["school.absence", "gifts.second_phone"])
        };
        let medium = w
            .app
            .record_cse_screening(&w.worker, jade, &raised)
            .await
            .expect("raised");
        assert_eq!(medium.level, CseLevel::Medium);
        assert_eq!(
            medium.review_on,
            chrono::NaiveDate::from_ymd_opt(2026, 7, 1)
        );
        let risk = w.app.child_risk(&w.worker, jade).await.expect("risk");
        let unmet: Vec<_> = risk.unmet().map(|r| r.kind).collect();
        assert_eq!(unmet, [RequirementKind::CseSafetyPlan]);
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn a_high_risk_plan_is_signed_off_only_when_each_identified_indicator_is_answered() {
    each_backend(|w| async move {
        let (contact, jade) = cse_contact(&w).await;
        let high = w
            .app
            .record_cse_screening(&w.worker, jade, &screening(Some(contact), &HIGH))
            .await
            .expect("screening");
        assert_eq!(high.level, CseLevel::High);
        assert_eq!(high.review_on, chrono::NaiveDate::from_ymd_opt(2026, 4, 29));

        // A written agreement does not answer a screening.
        let agreement = SafetyPlanInput {
            kind: "written_agreement".into(),
            ..plan(vec![])
        };
        assert_eq!(
            support::fields(
                w.app
                    .create_cse_safety_plan(&w.worker, high.id, &agreement)
                    .await
            ),
            ["kind"]
        );
        // An action may answer only an identified indicator.
        let wrong = plan(vec![action(
            "Talk to Jade about online safety",
            &["online.sexual_images"],
        )]);
        assert_eq!(
            support::fields(
                w.app
                    .create_cse_safety_plan(&w.worker, high.id, &wrong)
                    .await
            ),
            ["actions[0].answers"]
        );
        let draft = w
            .app
            .create_cse_safety_plan(
                &w.worker,
                high.id,
                &plan(vec![action(
                    "Disrupt contact: police abduction notice to the older man",
                    &["older_people.older_partner"],
                )]),
            )
            .await
            .expect("plan");
        assert_eq!(draft.concerns_to_answer.len(), 2);
        // Nor can the plan be turned into one.
        let turned = SafetyPlanInput {
            kind: "written_agreement".into(),
            ..plan(vec![])
        };
        assert_eq!(
            support::fields(
                w.app
                    .record_safety_plan(&w.worker, draft.plan.id, &turned)
                    .await
            ),
            ["kind"]
        );
        // Sign-off refused, naming the unanswered indicator.
        let refused = w.app.sign_off_safety_plan(&w.manager, draft.plan.id).await;
        let Err(AppError::Invalid(errors)) = refused else {
            panic!("refused: {refused:?}")
        };
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "answers.gifts.second_phone");
        assert!(
            errors[0].message.contains("More than one phone"),
            "{}",
            errors[0].message
        );
        let risk = w.app.child_risk(&w.worker, jade).await.expect("risk");
        let req = risk
            .requirements
            .iter()
            .find(|r| r.kind == RequirementKind::CseSafetyPlan)
            .expect("requirement");
        assert!(!req.met);

        w.app
            .record_safety_plan(
                &w.worker,
                draft.plan.id,
                &plan(vec![
                    action(
                        "Disrupt contact: police abduction notice to the older man",
                        &["older_people.older_partner"],
                    ),
                    action(
                        "Find out who gave Jade the phone; check its contacts",
                        &["gifts.second_phone"],
                    ),
                ]),
            )
            .await
            .expect("saved");
        let signed = w
            .app
            .sign_off_safety_plan(&w.manager, draft.plan.id)
            .await
            .expect("sign off");
        assert_eq!(signed.state, PlanState::SignedOff);
        let risk = w.app.child_risk(&w.worker, jade).await.expect("risk");
        assert_eq!(risk.unmet().count(), 0, "{:?}", risk.requirements);

        // The risk management group lists her with her level, screening date and review date.
        let group = w
            .app
            .risk_management_group(&w.qa, None)
            .await
            .expect("group");
        assert_eq!(group.children.len(), 1);
        let child = &group.children[0];
        assert_eq!((child.person, child.level), (jade, CseLevel::High));
        assert_eq!(child.child_name, "Jade Wells");
        assert_eq!(child.safety_plan, Some(draft.plan.id));
        assert!(!child.overdue);
        let medium_only = w
            .app
            .risk_management_group(&w.manager, Some("medium"))
            .await
            .expect("filtered");
        assert!(medium_only.children.is_empty());
        assert_eq!(
            support::fields(w.app.risk_management_group(&w.manager, Some("low")).await),
            ["level"]
        );
        assert!(matches!(
            w.app.risk_management_group(&w.worker, None).await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        // Five weeks on, the review is overdue; the group reviews her and sets the next date.
        w.clock.advance(chrono::Duration::days(35));
        let group = w
            .app
            .risk_management_group(&w.manager, None)
            .await
            .expect("group");
        assert!(group.children[0].overdue);
        let review = CseReviewInput {
            next_review_on: "2026-05-27".into(),
            notes: "Contact with the man disrupted; keep at high.".into(),
            ..Default::default()
        };
        assert!(matches!(
            w.app.record_cse_review(&w.worker, high.id, &review).await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        let past = CseReviewInput {
            next_review_on: "2026-05-01".into(),
            ..review.clone()
        };
        assert_eq!(
            support::fields(w.app.record_cse_review(&w.manager, high.id, &past).await),
            ["next_review_on"]
        );
        w.app
            .record_cse_review(&w.manager, high.id, &review)
            .await
            .expect("review");
        let group = w
            .app
            .risk_management_group(&w.manager, None)
            .await
            .expect("group");
        assert!(!group.children[0].overdue);
        assert_eq!(
            group.children[0].review_on,
            chrono::NaiveDate::from_ymd_opt(2026, 5, 27)
        );

        // A later screening with no identified risk takes her off the list.
        w.app
            .record_cse_screening(&w.worker, jade, &screening(None, &[]))
            .await
            .expect("rescreen");
        let group = w
            .app
            .risk_management_group(&w.manager, None)
            .await
            .expect("group");
        assert!(group.children.is_empty());

        let titles: Vec<String> = w
            .app
            .person_chronology(&w.worker, jade, Some(EntryCategory::RiskAndSafety))
            .await
            .expect("chronology")
            .into_iter()
            .map(|e| e.title)
            .collect();
        for expected in [
            "Child sexual exploitation screening: high",
            "Safety plan not signed off: incomplete",
            "Safety plan signed off",
            "Reviewed by the risk management group",
            "Child sexual exploitation screening: no identified risk",
        ] {
            assert!(
                titles.iter().any(|t| t == expected),
                "{expected}: {titles:?}"
            );
        }
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn two_reviews_at_once_have_exactly_one_winner() {
    each_backend(|w| async move {
        let (contact, jade) = cse_contact(&w).await;
        let high = w
            .app
            .record_cse_screening(&w.worker, jade, &screening(Some(contact), &HIGH))
            .await
            .expect("screening");
        let review = |date: &str| CseReviewInput {
            previous_review_on: "2026-04-29".into(),
            next_review_on: date.into(),
            notes: "Reviewed at the risk management group.".into(),
        };
        let (first, second) = (review("2026-05-20"), review("2026-05-27"));
        let (a, b) = tokio::join!(
            w.app.record_cse_review(&w.manager, high.id, &first),
            w.app.record_cse_review(&w.manager2, high.id, &second)
        );
        let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "{a:?} {b:?}");
        let loser = if a.is_ok() { b } else { a };
        support::conflict(loser, "reviewed this child at");
        assert_eq!(
            w.app
                .cse_reviews(&w.manager, high.id)
                .await
                .expect("reviews")
                .len(),
            1
        );
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
