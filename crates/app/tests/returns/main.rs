//! The DfE Children in Need census on every backend: a child taken through a referral, a
//! strategy discussion, a section 47 enquiry and an initial conference into a plan is in the
//! year's return with no error; a planted fault (the plan ending before it started) is caught
//! by the ported rules — and, when it is installed, by the DfE's own validator — naming the
//! child; the list of issues is an access to each child's record, logged; and only those who
//! prepare returns may produce one. Ofsted's Annex A, on the same fixture and more, is in
//! `annex_a.rs`.

#[path = "../support/mod.rs"]
mod support;

mod annex_a;

use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::returns::CinCensusReport;
use frontdoor_app::{
    ActionInput, App, AppError, AttendeeInput, ConferenceInput, ContactInput, EnquiryOutcomeInput,
    EpisodeUpdateInput, RecommendationInput, ReviewInput, RiskInput, StrategyRecordInput,
    SubjectInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::returns::cin_census::IssueKind;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use support::utc;

struct World {
    app: App,
    store: Store,
    clock: Arc<FixedClock>,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    qa: Actor,
    coordinator: Actor,
}

async fn world(store: Store) -> World {
    // Monday 2 June 2025, 09:00 UTC: in the 2025 to 2026 collection year.
    let t = support::testshire(
        store.clone(),
        utc(2025, 6, 2, 9, 0),
        &["MASH A"],
        &[("Testshire Police", OrganisationKind::Police)],
    )
    .await;
    let team = t.front_door_team().await;
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
        qa: t
            .worker("qa", Role::QualityAssuranceOfficer, None, None)
            .await,
        coordinator: t
            .worker("coordinator", Role::EarlyHelpCoordinator, None, None)
            .await,
        app: t.app,
        store,
        clock: t.clock,
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
            date_of_birth: "2021-04-01".into(),
            sex: "female".into(),
            postcode: "NE61 2EF".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn strategy_record() -> StrategyRecordInput {
    let attendee = |name: &str, agency: &str, role: &str, shared: &str| AttendeeInput {
        name: name.into(),
        agency: agency.into(),
        role: role.into(),
        information_shared: shared.into(),
    };
    StrategyRecordInput {
        held_date: "2025-06-02".into(),
        held_time: "14:00".into(),
        attendees: vec![
            attendee(
                "DS Khan",
                "police",
                "Detective sergeant",
                "Two call-outs to the address.",
            ),
            attendee("Jo Reed", "health", "Named nurse", "Missed immunisations."),
            attendee(
                "worker",
                "childrens_social_care",
                "MASH social worker",
                "One previous contact.",
            ),
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
            description: "Joint visit with police".into(),
            owner: "worker and DS Khan".into(),
            due_on: "2025-06-03".into(),
        }],
        ..Default::default()
    }
}

/// Amy, referred on 2 June 2025, on a child protection plan from her initial conference.
async fn child_on_a_plan(w: &World) -> PersonId {
    let contact = w
        .app
        .record_contact(&w.officer, &contact_input())
        .await
        .expect("record");
    let people = support::link_all_new(&w.app, &w.officer, contact.id).await;
    w.app
        .recommend_decision(
            &w.worker,
            contact.id,
            &RecommendationInput {
                outcome: "strategy_discussion".into(),
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
                ..Default::default()
            },
        )
        .await
        .expect("authorise");
    let child = people[0];
    let episode = w
        .app
        .episodes_of_child(&w.worker, child)
        .await
        .expect("episodes")[0]
        .id;
    w.app
        .update_episode(
            &w.worker,
            episode,
            &EpisodeUpdateInput {
                primary_need: "N1".into(),
                ..Default::default()
            },
        )
        .await
        .expect("primary need");
    let discussion = w
        .app
        .view_episode(&w.worker, episode)
        .await
        .expect("episode")
        .strategy_discussions[0]
        .id;
    w.clock.set(utc(2025, 6, 2, 15, 0));
    w.app
        .record_strategy_discussion(&w.worker, discussion, &strategy_record())
        .await
        .expect("recorded");
    w.app
        .sign_off_strategy_discussion(&w.manager, discussion)
        .await
        .expect("signed off");
    let enquiry = w
        .app
        .start_section_47(&w.worker, discussion)
        .await
        .expect("enquiry");
    w.clock.set(utc(2025, 6, 9, 9, 0));
    w.app
        .complete_section_47(
            &w.worker,
            enquiry.id,
            &EnquiryOutcomeInput {
                concerns_substantiated: Some(true),
                icpc_needed: Some(true),
                reason: "Injury consistent with the disclosure; the risk remains at home.".into(),
                completed_on: String::new(),
            },
        )
        .await
        .expect("completed");
    let icpc = w
        .app
        .view_episode(&w.worker, episode)
        .await
        .expect("episode")
        .conferences
        .into_iter()
        .find(|c| c.kind == "initial")
        .expect("initial conference");
    w.clock.set(utc(2025, 6, 19, 15, 0));
    w.app
        .record_conference(
            &w.manager,
            icpc.id,
            &ConferenceInput {
                held_on: "2025-06-19".into(),
                chair: "I. Chair".into(),
                plan: Some(true),
                category: "PHY".into(),
            },
        )
        .await
        .expect("conference held, plan started");
    w.clock.set(utc(2025, 7, 1, 9, 0));
    child
}

fn codes_for(report: &CinCensusReport, child: PersonId, kind: IssueKind) -> Vec<&'static str> {
    report
        .issues
        .iter()
        .filter(|i| i.kind == kind && i.child.as_ref().is_some_and(|c| c.person == child))
        .map(|i| i.code)
        .collect()
}

/// The DfE's validator (scripts/install-cin-validator.sh), when installed: `None` means
/// skipped, which CI refuses (FRONTDOOR_REQUIRE_CIN_VALIDATOR).
fn dfe_validator() -> Option<(PathBuf, PathBuf)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = std::env::var_os("FRONTDOOR_CIN_VALIDATOR_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".cin-validator/bin/python"));
    if python.exists() {
        return Some((python, root.join("scripts/cin-validate.py")));
    }
    if std::env::var_os("FRONTDOOR_REQUIRE_CIN_VALIDATOR").is_some() {
        panic!("the DfE's CIN validator is required but not installed at {}: run scripts/install-cin-validator.sh", python.display());
    }
    eprintln!("SKIPPED: the DfE's CIN validator is not installed ({}); run scripts/install-cin-validator.sh to check the census with it too", python.display());
    None
}

/// The validator's (code, type) for each issue it found in the census.
fn dfe_issues(report: &CinCensusReport) -> Option<Vec<(String, String)>> {
    let (python, script) = dfe_validator()?;
    let file = std::env::temp_dir().join(format!("frontdoor-census-{}.xml", uuid::Uuid::new_v4()));
    std::fs::write(&file, report.xml()).expect("census written");
    let output = Command::new(python)
        .arg(script)
        .arg(&file)
        .output()
        .expect("the validator runs");
    let _ = std::fs::remove_file(&file);
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "validator output: {e}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(found["rules_that_failed_to_run"], serde_json::json!([]));
    let pairs = |key: &str| {
        found[key]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                (
                    i["code"].as_str().unwrap_or_default().to_string(),
                    i["type"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    Some([pairs("issues"), pairs("whole_return")].concat())
}

#[tokio::test]
async fn a_plan_ending_before_it_started_is_caught_in_app_and_by_the_dfe_validator() {
    support::on_every_backend(world, |w| async move {
        let child = child_on_a_plan(&w).await;

        let report = w.app.cin_census(&w.qa, "2026").await.expect("census");
        assert_eq!(report.children(), 1);
        let amy = &report.census.children[0];
        assert_eq!(amy.person, child);
        let episode = &amy.episodes[0];
        assert_eq!(episode.primary_need.as_deref(), Some("N1"));
        assert_eq!(episode.referral_source, "5A");
        assert_eq!(episode.section_47s.len(), 1);
        let icpc = episode.section_47s[0].icpc_on.expect("conference date");
        assert_eq!(episode.plans.len(), 1);
        assert_eq!(episode.plans[0].started_on, icpc);
        assert_eq!(episode.plans[0].initial_category, "PHY");
        assert_eq!(report.errors(), 0, "{:?}", report.issues);
        if let Some(found) = dfe_issues(&report) {
            let errors: Vec<_> = found.iter().filter(|(_, t)| t == "ERROR").collect();
            assert!(
                errors.is_empty(),
                "the DfE validator found errors: {errors:?}"
            );
        }

        // Planted: the plan recorded as ending the day before it started.
        frontdoor_store::testing::execute_directly(
            &w.store,
            "UPDATE protection_plans SET ended_on = '2025-06-18'",
        )
        .await
        .expect("planted");
        let report = w.app.cin_census(&w.qa, "2026").await.expect("census");
        assert!(
            codes_for(&report, child, IssueKind::Error).contains(&"8925"),
            "{:?}",
            report.issues
        );
        let caught = report
            .issues
            .iter()
            .find(|i| i.code == "8925")
            .expect("8925");
        assert_eq!(
            caught.message,
            "Child Protection Plan End Date earlier than Start Date"
        );
        assert!(caught.detail.contains("18 June 2025"), "{}", caught.detail);
        if let Some(found) = dfe_issues(&report) {
            assert!(
                found.contains(&("8925".to_string(), "ERROR".to_string())),
                "the DfE validator missed the planted fault: {found:?}"
            );
        }

        // Listing the child's issues was an access to her record, by the QA officer.
        let accesses = w
            .app
            .store
            .accesses_of(w.qa.authority, child, 20)
            .await
            .expect("access log");
        assert!(accesses
            .iter()
            .any(|a| a.actor == w.qa.worker && a.purpose == "cin_census_checks"));
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn the_census_file_logs_every_child_and_only_returns_staff_may_produce_it() {
    support::on_every_backend(world, |w| async move {
        let child = child_on_a_plan(&w).await;
        let report = w.app.cin_census_file(&w.qa, "2026").await.expect("file");
        assert!(report
            .xml()
            .contains("<CPPstartDate>2025-06-19</CPPstartDate>"));
        let accesses = w
            .app
            .store
            .accesses_of(w.qa.authority, child, 20)
            .await
            .expect("access log");
        assert!(accesses.iter().any(|a| a.purpose == "cin_census_file"));
        for who in [&w.officer, &w.worker, &w.manager] {
            match w.app.cin_census(who, "2026").await {
                Err(AppError::Denied(DenialReason::RoleNotPermitted)) => {}
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        match w.app.cin_census(&w.qa, "twenty-six").await {
            Err(AppError::Invalid(errors)) => assert_eq!(errors[0].field, "year"),
            other => panic!("expected the year refused, got {other:?}"),
        }
        // The year before has nothing of Amy's.
        let earlier = w.app.cin_census(&w.qa, "2025").await.expect("census");
        assert_eq!(earlier.children(), 0);
    })
    .await;
}
