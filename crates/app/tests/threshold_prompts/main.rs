//! Threshold prompts at the point of decision, end to end on every backend: each of the three
//! prompts fires just inside its boundary and not just outside it; authorising below a prompted
//! outcome is refused without the manager's reason (storing nothing) and recorded with it; two
//! managers authorising at once leave one winner; administrators configure the prompts.

#[path = "../support/mod.rs"]
mod support;
use support::{child, school_contact, utc};

use frontdoor_app::records::{Contact, Store};
use frontdoor_app::{
    ActingAs, App, LinkTarget, PromptRuleInput, RecommendationInput, ReviewInput, SubjectInput,
};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::ids::{ContactId, PersonId};
use frontdoor_domain::person::Relationship;
use frontdoor_domain::threshold_prompt::{FiredPrompt, PromptKind};
use std::collections::BTreeMap;
use std::sync::Arc;

struct World {
    app: App,
    clock: Arc<FixedClock>,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    manager_b: Actor,
    admin: Actor,
    qa: Actor,
}

async fn world(store: Store) -> World {
    // Tuesday 3 March 2026, 10:00 London (GMT).
    let t = support::testshire(store, utc(2026, 3, 3, 10, 0), &["MASH A"], &[]).await;
    let team = t.front_door_team().await;
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
        manager_b: t
            .worker("manager.b", Role::TeamManager, Some(0), None)
            .await,
        admin: t.worker("admin", Role::Administrator, None, None).await,
        qa: t
            .worker("qa", Role::QualityAssuranceOfficer, None, None)
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

/// A contact raising `concerns` about `children`, received on `date` (blank: now), each child
/// linked to a new record.
async fn contact(
    w: &World,
    concerns: &[&str],
    children: Vec<SubjectInput>,
    date: &str,
) -> (Contact, Vec<PersonId>) {
    let mut input = school_contact(children);
    input.concern_categories = concerns.iter().map(|c| c.to_string()).collect();
    let contact = at(w, date, w.app.record_contact(&w.officer, &input))
        .await
        .expect("record");
    let people = support::link_all_new(&w.app, &w.officer, contact.id).await;
    (contact, people)
}

/// A contact about an existing child's record, received on `date`.
async fn contact_about(w: &World, person: PersonId, date: &str) -> Contact {
    let input = school_contact(vec![child("Leo", "Hart", "2016-04-04")]);
    let contact = at(w, date, w.app.record_contact(&w.officer, &input))
        .await
        .expect("record");
    let view = w
        .app
        .view_contact(&w.officer, contact.id)
        .await
        .expect("view");
    w.app
        .link_contact_subject(
            &w.officer,
            contact.id,
            view.subjects[0].subject.id,
            LinkTarget::Existing(person),
        )
        .await
        .expect("link");
    contact
}

/// Runs `action` with the clock at 09:30 on `date` (YYYY-MM-DD; blank: today, 3 March 2026),
/// then puts the clock back.
async fn at<T>(w: &World, date: &str, action: impl std::future::Future<Output = T>) -> T {
    let today = utc(2026, 3, 3, 10, 0);
    if let Ok(day) = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        use chrono::Datelike;
        w.clock.set(utc(day.year(), day.month(), day.day(), 9, 30));
    }
    let result = action.await;
    w.clock.set(today);
    result
}

async fn prompts(w: &World, contact: ContactId) -> Vec<FiredPrompt> {
    w.app
        .threshold_prompts_on_contact(&w.worker, contact)
        .await
        .expect("prompts")
}

fn kinds(fired: &[FiredPrompt]) -> Vec<PromptKind> {
    fired.iter().map(|p| p.kind).collect()
}

async fn recommend(w: &World, contact: ContactId, outcome: &str) {
    w.app
        .recommend_decision(
            &w.worker,
            contact,
            &RecommendationInput {
                outcome: outcome.into(),
                level_of_need: "2".into(),
                signposted_to: String::new(),
                rationale: "The family accept support; the history was read in full.".into(),
            },
        )
        .await
        .expect("recommend");
}

fn authorise(reasons: &[(PromptKind, &str)]) -> ReviewInput {
    ReviewInput {
        authorise: Some(true),
        rationale: "Agreed after reading the history and the referrer's account.".into(),
        departure_reasons: reasons
            .iter()
            .map(|(k, r)| (k.code().to_string(), r.to_string()))
            .collect::<BTreeMap<_, _>>(),
    }
}

#[tokio::test]
async fn an_injury_to_a_baby_prompts_under_six_months_and_not_at_six() {
    each_backend(|w| async move {
        // Received 3 March 2026: born 4 September 2025 is 5 months old, born 3 September 6.
        let (young, _) = contact(
            &w,
            &["physical_abuse"],
            vec![child("Ava", "Brown", "2025-09-04")],
            "",
        )
        .await;
        let fired = prompts(&w, young.id).await;
        assert_eq!(kinds(&fired), vec![PromptKind::InjuryToNonMobileBaby]);
        assert!(
            fired[0].because.contains("Ava Brown is 5 months old"),
            "{}",
            fired[0].because
        );
        assert!(fired[0].source.contains("invisible men"));

        let (six, _) = contact(
            &w,
            &["physical_abuse"],
            vec![child("Ben", "Brown", "2025-09-03")],
            "",
        )
        .await;
        assert!(prompts(&w, six.id).await.is_empty());
        // The same baby with a neglect concern only: no injury, no prompt.
        let (neglect, _) = contact(
            &w,
            &["neglect"],
            vec![child("Cal", "Brown", "2026-03-03")],
            "",
        )
        .await;
        assert!(prompts(&w, neglect.id).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_third_contact_within_twelve_months_prompts_and_one_outside_does_not() {
    each_backend(|w| async move {
        // The first contact exactly 12 months before today's: inside the window.
        let (first, people) = contact(
            &w,
            &["neglect"],
            vec![child("Leo", "Hart", "2016-04-04")],
            "2025-03-03",
        )
        .await;
        assert!(prompts(&w, first.id).await.is_empty());
        let second = contact_about(&w, people[0], "2025-10-10").await;
        assert!(
            prompts(&w, second.id).await.is_empty(),
            "the second contact does not prompt"
        );
        let third = contact_about(&w, people[0], "").await;
        let fired = prompts(&w, third.id).await;
        assert_eq!(kinds(&fired), vec![PromptKind::RepeatContacts]);
        assert!(
            fired[0].because.contains("3rd contact about Leo Hart"),
            "{}",
            fired[0].because
        );

        // Another child whose first contact was a day outside the window.
        let (old, others) = contact(
            &w,
            &["neglect"],
            vec![child("Mo", "Hart", "2016-04-04")],
            "2025-03-02",
        )
        .await;
        assert!(prompts(&w, old.id).await.is_empty());
        contact_about(&w, others[0], "2025-10-10").await;
        let now = contact_about(&w, others[0], "").await;
        assert!(
            prompts(&w, now.id).await.is_empty(),
            "only two in 12 months"
        );
    })
    .await;
}

#[tokio::test]
async fn domestic_abuse_prompts_with_a_child_under_five_on_the_contact_or_in_the_household() {
    each_backend(|w| async move {
        // 4 years old (born 4 March 2021) prompts; 5 on the day (born 3 March 2021) does not.
        let (four, _) = contact(
            &w,
            &["domestic_abuse"],
            vec![child("Ivy", "Cole", "2021-03-04")],
            "",
        )
        .await;
        assert_eq!(
            kinds(&prompts(&w, four.id).await),
            vec![PromptKind::DomesticAbuseWithYoungChild]
        );
        let (five, older) = contact(
            &w,
            &["domestic_abuse"],
            vec![child("Jay", "Cole", "2021-03-03")],
            "",
        )
        .await;
        assert!(prompts(&w, five.id).await.is_empty());

        // A baby recorded as Jay's sibling lives in the household: now it prompts.
        let (_, baby) = contact(
            &w,
            &["neglect"],
            vec![child("Kai", "Cole", "2025-12-01")],
            "",
        )
        .await;
        w.app
            .record_relationship(
                &w.officer,
                older[0],
                &frontdoor_app::family_network::RelationshipInput {
                    related_person: baby[0].to_string(),
                    relationship: Relationship::SiblingOf.code().into(),
                    direction: "this_person_is".into(),
                },
            )
            .await
            .expect("relationship");
        let fired = prompts(&w, five.id).await;
        assert_eq!(kinds(&fired), vec![PromptKind::DomesticAbuseWithYoungChild]);
        assert!(
            fired[0]
                .because
                .contains("Kai Cole (3 months old, in the household)"),
            "{}",
            fired[0].because
        );
    })
    .await;
}

#[tokio::test]
async fn authorising_below_a_prompt_needs_the_managers_reason_and_records_it() {
    each_backend(|w| async move {
        let (c, people) = contact(
            &w,
            &["physical_abuse", "domestic_abuse"],
            vec![child("Ava", "Brown", "2025-12-01")],
            "",
        )
        .await;
        // Two prompts fire; early help is below both.
        recommend(&w, c.id, "early_help").await;
        let before = w
            .app
            .person_chronology(&w.manager, people[0], None)
            .await
            .expect("chronology")
            .len();

        let refused = w
            .app
            .review_decision(&w.manager, c.id, &authorise(&[]))
            .await;
        let fields = support::fields(refused);
        assert_eq!(
            fields,
            vec![
                "departure_reason_injury_to_non_mobile_baby".to_string(),
                "departure_reason_domestic_abuse_with_young_child".to_string()
            ]
        );
        // One reason is not enough: the other prompt is still named. A reason too short counts
        // as none.
        let one = w
            .app
            .review_decision(
                &w.manager,
                c.id,
                &authorise(&[
                    (
                        PromptKind::InjuryToNonMobileBaby,
                        "Seen by the GP: a birthmark, not a bruise.",
                    ),
                    (PromptKind::DomesticAbuseWithYoungChild, "Too short"),
                ]),
            )
            .await;
        assert_eq!(
            support::fields(one),
            vec!["departure_reason_domestic_abuse_with_young_child".to_string()]
        );
        // Nothing was stored: still awaiting authorisation, no new chronology entries.
        let view = w.app.view_contact(&w.manager, c.id).await.expect("view");
        assert_eq!(view.contact.status, ContactStatus::AwaitingAuthorisation);
        assert_eq!(view.decisions[0].state, DecisionState::Recommended);
        assert_eq!(
            w.app
                .person_chronology(&w.manager, people[0], None)
                .await
                .expect("chronology")
                .len(),
            before
        );
        let recorded = w
            .app
            .threshold_prompts_recorded(&w.manager, c.id)
            .await
            .expect("recorded");
        assert_eq!(
            recorded.len(),
            2,
            "both prompts were recorded at recommendation"
        );
        assert!(recorded
            .iter()
            .all(|p| p.departed && p.departure_reason.is_none()));

        let state = w
            .app
            .review_decision(
                &w.manager,
                c.id,
                &authorise(&[
                    (
                        PromptKind::InjuryToNonMobileBaby,
                        "Seen by the GP: a birthmark, not a bruise.",
                    ),
                    (
                        PromptKind::DomesticAbuseWithYoungChild,
                        "Father left the home; police confirm a non-molestation order.",
                    ),
                ]),
            )
            .await
            .expect("authorised with reasons");
        assert_eq!(state, DecisionState::Authorised);
        let recorded = w
            .app
            .threshold_prompts_recorded(&w.manager, c.id)
            .await
            .expect("recorded");
        assert!(recorded.iter().any(|p| p.departure_reason.as_deref()
            == Some("Seen by the GP: a birthmark, not a bruise.")
            && p.reason_by_name.as_deref() == Some("manager")));
        // On the child's chronology, and in the report for managers and quality assurance.
        let chronology = w
            .app
            .person_chronology(&w.manager, people[0], None)
            .await
            .expect("chronology");
        assert!(
            chronology.iter().any(|e| e
                .title
                .starts_with("Decision authorised below a threshold prompt")
                && e.detail.contains("non-molestation order")),
            "{chronology:?}"
        );
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 3).expect("date");
        let report = w
            .app
            .threshold_prompt_departures(&w.qa, today, today)
            .await
            .expect("report");
        assert_eq!(report.len(), 2);
        assert!(report
            .iter()
            .all(|d| d.contact_reference == c.reference && d.authorised_by_name == "manager"));
        // Social workers do not read the report; the day before holds nothing.
        assert!(w
            .app
            .threshold_prompt_departures(&w.worker, today, today)
            .await
            .is_err());
        let yesterday = today.pred_opt().expect("date");
        assert!(w
            .app
            .threshold_prompt_departures(&w.qa, yesterday, yesterday)
            .await
            .expect("report")
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_decision_at_or_above_the_prompt_needs_no_reason_and_returning_never_does() {
    each_backend(|w| async move {
        let (c, _) = contact(
            &w,
            &["domestic_abuse"],
            vec![child("Ivy", "Cole", "2024-01-01")],
            "",
        )
        .await;
        recommend(&w, c.id, "early_help").await;
        // Returning a recommendation below the prompt needs no reason.
        let returned = w
            .app
            .review_decision(
                &w.manager,
                c.id,
                &ReviewInput {
                    authorise: Some(false),
                    ..authorise(&[])
                },
            )
            .await
            .expect("returned");
        assert_eq!(returned, DecisionState::Returned);
        recommend(&w, c.id, "referral_for_assessment").await;
        let state = w
            .app
            .review_decision(&w.manager, c.id, &authorise(&[]))
            .await
            .expect("authorised");
        assert_eq!(state, DecisionState::Authorised);
        let recorded = w
            .app
            .threshold_prompts_recorded(&w.manager, c.id)
            .await
            .expect("recorded");
        assert_eq!(
            recorded.len(),
            2,
            "the prompt on each of the two recommendations"
        );
        assert!(recorded.iter().any(|p| !p.departed));
    })
    .await;
}

#[tokio::test]
async fn two_managers_authorising_below_a_prompt_at_once_leave_one_winner() {
    each_backend(|w| async move {
        let (c, _) = contact(
            &w,
            &["physical_abuse"],
            vec![child("Ava", "Brown", "2026-01-01")],
            "",
        )
        .await;
        recommend(&w, c.id, "early_help").await;
        let input = authorise(&[(
            PromptKind::InjuryToNonMobileBaby,
            "Seen by the paediatrician: accidental, explained and consistent.",
        )]);
        let (a, b) = tokio::join!(
            w.app.review_decision(&w.manager, c.id, &input),
            w.app.review_decision(&w.manager_b, c.id, &input)
        );
        support::one_winner(&[a, b]);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 3).expect("date");
        let report = w
            .app
            .threshold_prompt_departures(&w.manager, today, today)
            .await
            .expect("report");
        assert_eq!(report.len(), 1, "one departure recorded, not two");
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn administrators_configure_the_prompts() {
    each_backend(|w| async move {
        let admin = ActingAs::Worker(w.admin.clone());
        let rules = w.app.threshold_prompt_rules(&admin).await.expect("rules");
        assert_eq!(rules.len(), 3, "the defaults for a new authority");
        assert!(rules.iter().all(|r| r.enabled && !r.source.is_empty()));
        // Only administrators.
        assert!(w
            .app
            .threshold_prompt_rules(&ActingAs::Worker(w.manager.clone()))
            .await
            .is_err());

        // Bad input names each field and stores nothing.
        let mut bad = PromptRuleInput::from_rule(&rules[1]);
        bad.first_parameter = "1".into();
        bad.source = " ".into();
        let mut low = PromptRuleInput::from_rule(&rules[0]);
        low.minimum_outcome = "no_further_action".into();
        let refused = w.app.set_threshold_prompt_rules(&admin, &[bad, low]).await;
        assert_eq!(
            support::fields(refused),
            vec![
                "repeat_contacts_first_parameter".to_string(),
                "injury_to_non_mobile_baby_minimum_outcome".to_string()
            ]
        );
        assert_eq!(
            w.app.threshold_prompt_rules(&admin).await.expect("rules"),
            rules
        );

        // Turn the injury prompt off and ask for a referral under 12 months instead of 6:
        // then change the age and turn it back on.
        let (c, _) = contact(
            &w,
            &["physical_abuse"],
            vec![child("Ava", "Brown", "2025-06-01")],
            "",
        )
        .await;
        assert!(
            prompts(&w, c.id).await.is_empty(),
            "9 months old: not under 6"
        );
        let mut injury = PromptRuleInput::from_rule(&rules[0]);
        injury.first_parameter = "12".into();
        injury.enabled = false;
        injury.source =
            "Testshire safeguarding partnership: bruising protocol for babies (2025)".into();
        w.app
            .set_threshold_prompt_rules(&admin, std::slice::from_ref(&injury))
            .await
            .expect("saved");
        assert!(prompts(&w, c.id).await.is_empty(), "turned off");
        injury.enabled = true;
        injury.minimum_outcome = "referral_for_assessment".into();
        // Two administrators saving at once: both saves are whole, one rule of the kind.
        let (a, b) = tokio::join!(
            w.app
                .set_threshold_prompt_rules(&admin, std::slice::from_ref(&injury)),
            w.app
                .set_threshold_prompt_rules(&admin, std::slice::from_ref(&injury))
        );
        a.expect("first save");
        b.expect("second save");
        let fired = prompts(&w, c.id).await;
        assert_eq!(kinds(&fired), vec![PromptKind::InjuryToNonMobileBaby]);
        assert!(fired[0]
            .source
            .starts_with("Testshire safeguarding partnership"));
        let saved = w.app.threshold_prompt_rules(&admin).await.expect("rules");
        assert_eq!(saved.len(), 3);
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
