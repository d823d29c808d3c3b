//! Risk tools and safety plans, end to end on every backend: a contact about domestic abuse
//! prompts the DASH checklist; the score, professional judgement (raise, never lower),
//! escalation and the MARAC prompt; a high-risk DASH requires a safety plan that a written
//! agreement never satisfies; sign-off refused while incomplete, never by its author, and
//! exactly one winner when two managers sign off at once.

#[path = "../support/mod.rs"]
mod support;

use frontdoor_app::chronology::EntryCategory;
use frontdoor_app::records::{MaracReferral, Store};
use frontdoor_app::{
    App, AppError, ContactInput, DashInput, PlanActionInput, RequirementKind, SafetyPlanInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::dash::DashLevel;
use frontdoor_domain::ids::{ContactId, PersonId};
use frontdoor_domain::safety_plan::PlanState;
use support::utc;

struct World {
    app: App,
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

/// A police contact about domestic abuse witnessed by Amy, received on `received`.
fn domestic_abuse_contact(received: &str) -> ContactInput {
    ContactInput {
        received_date: received.into(),
        received_time: "08:00".into(),
        concern_categories: vec!["domestic_abuse".into()],
        concern_summary:
            "Police called to the home: mother assaulted by her partner while Amy was present."
                .into(),
        source: "5A".into(),
        ..support::school_contact(vec![support::child("Amy", "Stone", "2016-04-01")])
    }
}

/// The contact recorded and Amy linked to a new record (or `to`, when given).
async fn contact_about_amy(
    w: &World,
    received: &str,
    to: Option<PersonId>,
) -> (ContactId, PersonId) {
    let contact = w
        .app
        .record_contact(&w.officer, &domestic_abuse_contact(received))
        .await
        .expect("record");
    let view = w
        .app
        .view_contact(&w.officer, contact.id)
        .await
        .expect("view");
    let target = match to {
        Some(p) => frontdoor_app::LinkTarget::Existing(p),
        None => frontdoor_app::LinkTarget::NewRecord,
    };
    let person = w
        .app
        .link_contact_subject(&w.officer, contact.id, view.subjects[0].subject.id, target)
        .await
        .expect("link");
    (contact.id, person)
}

/// A checklist with `yes` yes answers (the rest no).
fn checklist(contact: Option<ContactId>, yes: usize) -> DashInput {
    DashInput {
        contact: contact.map(|c| c.to_string()).unwrap_or_default(),
        victim_name: "Kim Stone".into(),
        victim_relationship: "mother".into(),
        incident_on: "2026-03-31".into(),
        answers: (0..24)
            .map(|i| if i < yes { "yes" } else { "no" }.to_string())
            .collect(),
        comments: vec![String::new(); 24],
        ..Default::default()
    }
}

fn referred() -> DashInput {
    DashInput {
        marac_referred: "yes".into(),
        marac_referred_on: "2026-04-01".into(),
        ..Default::default()
    }
}

fn with_marac(input: DashInput) -> DashInput {
    let r = referred();
    DashInput {
        marac_referred: r.marac_referred,
        marac_referred_on: r.marac_referred_on,
        ..input
    }
}

fn complete_plan(kind: &str) -> SafetyPlanInput {
    SafetyPlanInput {
        kind: kind.into(),
        concerns: "Mother's partner assaults her in front of Amy; threats to kill.".into(),
        review_on: "2026-04-29".into(),
        actions: vec![PlanActionInput {
            description: "Mother and Amy to stay with the maternal grandmother".into(),
            owner: "Mother, supported by the social worker".into(),
            due_on: "2026-04-01".into(),
            answers: vec![],
        }],
    }
}

fn safety_plan_requirement(risk: &frontdoor_app::ChildRisk) -> &frontdoor_app::Requirement {
    risk.requirements
        .iter()
        .find(|r| r.kind == RequirementKind::SafetyPlan)
        .expect("a safety plan requirement")
}

#[tokio::test]
async fn a_contact_about_domestic_abuse_prompts_the_checklist_until_it_is_done() {
    each_backend(|w| async move {
        let (contact, amy) = contact_about_amy(&w, "2026-04-01", None).await;
        let prompts = w
            .app
            .dash_prompts(&w.manager, contact)
            .await
            .expect("prompts");
        assert_eq!(prompts.len(), 1);
        assert_eq!(prompts[0].person, amy);
        assert!(prompts[0].completed.is_none());
        let risk = w.app.child_risk(&w.worker, amy).await.expect("risk");
        let unmet: Vec<_> = risk.unmet().map(|r| r.kind).collect();
        assert_eq!(unmet, [RequirementKind::DashChecklist]);

        let dash = w
            .app
            .record_dash_assessment(&w.worker, amy, &checklist(Some(contact), 4))
            .await
            .expect("dash");
        assert_eq!((dash.score, dash.level), (4, DashLevel::Standard));
        assert_eq!(dash.answers.len(), 24);
        let prompts = w
            .app
            .dash_prompts(&w.manager, contact)
            .await
            .expect("prompts");
        assert_eq!(prompts[0].completed.as_ref().map(|d| d.id), Some(dash.id));
        let risk = w.app.child_risk(&w.worker, amy).await.expect("risk");
        assert_eq!(risk.unmet().count(), 0, "{:?}", risk.requirements);
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn the_checklist_refuses_gaps_and_judgement_that_lowers_the_level() {
    each_backend(|w| async move {
        let (contact, amy) = contact_about_amy(&w, "2026-04-01", None).await;
        let mut gaps = checklist(Some(contact), 2);
        gaps.answers[3] = String::new();
        gaps.answers[7] = "maybe".into();
        gaps.victim_name = " ".into();
        let fields = support::fields(w.app.record_dash_assessment(&w.worker, amy, &gaps).await);
        assert_eq!(fields, ["victim_name", "answers[3]", "answers[7]"]);

        // 15 yes answers is high risk: judgement may not lower it to medium.
        let lowered = DashInput {
            judgement_level: "medium".into(),
            judgement_reason: "She says things have calmed down.".into(),
            ..with_marac(checklist(Some(contact), 15))
        };
        let refused = w.app.record_dash_assessment(&w.worker, amy, &lowered).await;
        match refused {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors[0].field, "judgement_level");
                assert!(
                    errors[0].message.contains("never lower"),
                    "{}",
                    errors[0].message
                );
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        // High risk without the MARAC referral recorded is refused, naming it.
        let fields = support::fields(
            w.app
                .record_dash_assessment(&w.worker, amy, &checklist(Some(contact), 14))
                .await,
        );
        assert_eq!(fields, ["marac_referred"]);

        // Judgement raises 5 yes answers to medium, with the reason.
        let raised = DashInput {
            judgement_level: "medium".into(),
            judgement_reason: "Recent separation and conflict over contact with Amy.".into(),
            ..checklist(Some(contact), 5)
        };
        let dash = w
            .app
            .record_dash_assessment(&w.worker, amy, &raised)
            .await
            .expect("dash");
        assert_eq!((dash.score, dash.level), (5, DashLevel::Medium));
        // A contact officer and a quality assurance officer may not complete it.
        for who in [&w.officer, &w.qa] {
            assert!(matches!(
                w.app.record_dash_assessment(who, amy, &raised).await,
                Err(AppError::Denied(DenialReason::RoleNotPermitted))
            ));
        }
    })
    .await;
}

#[tokio::test]
async fn three_incidents_in_twelve_months_is_escalation_and_prompts_marac() {
    each_backend(|w| async move {
        // Contacts are recorded within a month of being received, so earlier incidents come
        // from earlier checklists: one more than 12 months before (not counted), two within.
        let (today, amy) = contact_about_amy(&w, "2026-03-31", None).await;
        let earlier = |on: &str| DashInput {
            incident_on: on.into(),
            ..with_marac(checklist(None, 3))
        };
        w.app
            .record_dash_assessment(&w.worker, amy, &earlier("2025-03-20"))
            .await
            .expect("dash");
        let first = w
            .app
            .record_dash_assessment(&w.worker, amy, &earlier("2025-06-01"))
            .await
            .expect("dash");
        assert_eq!((first.incidents_in_12_months, first.escalation), (2, false));
        // 20 March, 1 June and 1 October 2025: escalation then, though not counted below.
        let second = w
            .app
            .record_dash_assessment(&w.worker, amy, &earlier("2025-10-01"))
            .await
            .expect("dash");
        assert_eq!(
            (second.incidents_in_12_months, second.escalation),
            (3, true)
        );
        // The third incident in 12 months: escalation, so the MARAC referral must be answered.
        let fields = support::fields(
            w.app
                .record_dash_assessment(&w.worker, amy, &checklist(Some(today), 3))
                .await,
        );
        assert_eq!(fields, ["marac_referred"]);
        let dash = w
            .app
            .record_dash_assessment(
                &w.worker,
                amy,
                &DashInput {
                    marac_referred: "no".into(),
                    marac_reason_not:
                        "Referred by the police yesterday; confirmed with the MARAC coordinator."
                            .into(),
                    ..checklist(Some(today), 3)
                },
            )
            .await
            .expect("dash");
        assert_eq!((dash.incidents_in_12_months, dash.escalation), (3, true));
        assert_eq!(dash.level, DashLevel::Standard);
        assert!(matches!(
            dash.marac,
            Some(MaracReferral::NotReferred { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn a_high_risk_dash_requires_a_safety_plan_that_a_written_agreement_never_satisfies() {
    each_backend(|w| async move {
        let (contact, amy) = contact_about_amy(&w, "2026-04-01", None).await;
        let dash = w
            .app
            .record_dash_assessment(&w.worker, amy, &with_marac(checklist(Some(contact), 15)))
            .await
            .expect("dash");
        assert_eq!(dash.level, DashLevel::High);
        let risk = w.app.child_risk(&w.worker, amy).await.expect("risk");
        assert!(!safety_plan_requirement(&risk).met);

        // A written agreement, complete and signed off, is recorded as exactly that.
        let agreement = w
            .app
            .create_safety_plan(
                &w.worker,
                amy,
                Some(dash.id),
                &complete_plan("written_agreement"),
            )
            .await
            .expect("agreement");
        assert!(!agreement.meets_requirement);
        let signed = w
            .app
            .sign_off_safety_plan(&w.manager, agreement.plan.id)
            .await
            .expect("sign off");
        assert_eq!(signed.state, PlanState::SignedOff);
        let risk = w.app.child_risk(&w.worker, amy).await.expect("risk");
        let requirement = safety_plan_requirement(&risk);
        assert!(!requirement.met);
        assert!(
            requirement
                .status
                .contains("a written agreement is not a safety plan"),
            "{}",
            requirement.status
        );

        // A safety plan: refused while incomplete, naming each part.
        let draft = w
            .app
            .create_safety_plan(
                &w.worker,
                amy,
                Some(dash.id),
                &SafetyPlanInput {
                    kind: "safety_plan".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("draft");
        let fields = support::fields(w.app.sign_off_safety_plan(&w.manager, draft.plan.id).await);
        assert_eq!(fields, ["concerns", "actions", "review_on"]);
        let mut partial = complete_plan("safety_plan");
        partial.actions[0].owner = String::new();
        w.app
            .record_safety_plan(&w.worker, draft.plan.id, &partial)
            .await
            .expect("save");
        let fields = support::fields(w.app.sign_off_safety_plan(&w.manager, draft.plan.id).await);
        assert_eq!(fields, ["actions[0].owner"]);
        w.app
            .record_safety_plan(&w.worker, draft.plan.id, &complete_plan("safety_plan"))
            .await
            .expect("save");
        // Only a manager; never the manager who wrote it.
        assert!(matches!(
            w.app.sign_off_safety_plan(&w.worker, draft.plan.id).await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        let own = w
            .app
            .create_safety_plan(&w.manager, amy, None, &complete_plan("safety_plan"))
            .await
            .expect("own");
        assert!(matches!(
            w.app.sign_off_safety_plan(&w.manager, own.plan.id).await,
            Err(AppError::Denied(DenialReason::OwnRecord))
        ));
        let signed = w
            .app
            .sign_off_safety_plan(&w.manager, draft.plan.id)
            .await
            .expect("sign off");
        assert_eq!(signed.signed_off_by_name.as_deref(), Some("manager"));
        let risk = w.app.child_risk(&w.worker, amy).await.expect("risk");
        assert!(safety_plan_requirement(&risk).met);
        // Signed off: no longer editable, and not signed off twice.
        support::conflict(
            w.app
                .record_safety_plan(&w.worker, draft.plan.id, &complete_plan("safety_plan"))
                .await,
            "manager signed this safety plan off",
        );
        support::conflict(
            w.app.sign_off_safety_plan(&w.manager2, draft.plan.id).await,
            "signed this safety plan off",
        );

        // The chronology says it in words.
        let entries = w
            .app
            .person_chronology(&w.worker, amy, Some(EntryCategory::RiskAndSafety))
            .await
            .expect("chronology");
        let titles: Vec<&str> = entries.iter().map(|e| e.title.as_str()).collect();
        assert!(
            titles.contains(&"DASH domestic abuse risk checklist: high risk"),
            "{titles:?}"
        );
        assert!(
            titles.contains(&"Written agreement signed off"),
            "{titles:?}"
        );
        assert!(
            titles.contains(&"Safety plan not signed off: incomplete"),
            "{titles:?}"
        );
        assert!(titles.contains(&"Safety plan signed off"), "{titles:?}");
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn two_managers_signing_off_at_once_have_exactly_one_winner() {
    each_backend(|w| async move {
        let (_, amy) = contact_about_amy(&w, "2026-04-01", None).await;
        let plan = w
            .app
            .create_safety_plan(&w.worker, amy, None, &complete_plan("safety_plan"))
            .await
            .expect("plan");
        let (a, b) = tokio::join!(
            w.app.sign_off_safety_plan(&w.manager, plan.plan.id),
            w.app.sign_off_safety_plan(&w.manager2, plan.plan.id)
        );
        let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "{a:?} {b:?}");
        let loser = if a.is_ok() { b } else { a };
        support::conflict(loser, "signed this safety plan off");
        let events = w
            .app
            .person_chronology(&w.worker, amy, Some(EntryCategory::RiskAndSafety))
            .await
            .expect("chronology");
        assert_eq!(
            events
                .iter()
                .filter(|e| e.kind == "safety_plan_signed_off")
                .count(),
            1
        );
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
