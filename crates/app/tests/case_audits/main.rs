//! Quality-assurance case audits, end to end on every backend: the tools (the built-in standard
//! tool, one added, who may add); a standard audit planned → in progress → completed, refused
//! until every question is graded (naming each); actions refused without a due date, then
//! outstanding and overdue in the summary; thematic sampling by criteria reproducible from its
//! seed; the exception "decisions not authorised within one working day" and a sample from a
//! list of children; partner auditors seeing only the audited case (404 otherwise); the audit
//! on the child's chronology and the reads in the access log; and races with one winner.

#[path = "../support/mod.rs"]
mod support;

use chrono::NaiveDate;
use frontdoor_app::records::{OrganisationKind, Store};
use frontdoor_app::{
    App, AppError, AuditActionInput, AuditInput, AuditListSampleInput, AuditToolInput,
    CaseAuditAnswersInput, GivenAnswerInput, InvitationInput, RecommendationInput, ReviewInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::case_audit::{CaseAuditState, Grade, STANDARD_TOOL_ID};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{CaseAuditId, PersonId};
use std::sync::Arc;
use support::{conflict, fields, one_winner, utc};

struct World {
    app: App,
    clock: Arc<FixedClock>,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    officer_b: Actor,
    qa: Actor,
    qa2: Actor,
    senior: Actor,
    admin: Actor,
    police: Actor,
    nurse: Actor,
}

async fn world(store: Store) -> World {
    // Wednesday 1 April 2026, 09:00 UTC (10:00 in London).
    let t = support::testshire(
        store,
        utc(2026, 4, 1, 9, 0),
        &["MASH A", "MASH B"],
        &[
            ("Testshire Police", OrganisationKind::Police),
            ("Testshire Health", OrganisationKind::Health),
        ],
    )
    .await;
    let police = Some(t.organisation(OrganisationKind::Police));
    let health = Some(t.organisation(OrganisationKind::Health));
    let team = t.front_door_team().await;
    World {
        officer: team.officer,
        worker: team.worker,
        manager: team.manager,
        officer_b: t
            .worker("officer.b", Role::ContactOfficer, Some(1), None)
            .await,
        qa: t
            .worker("qa", Role::QualityAssuranceOfficer, None, None)
            .await,
        qa2: t
            .worker("qa.two", Role::QualityAssuranceOfficer, None, None)
            .await,
        senior: t.worker("senior", Role::SeniorManager, None, None).await,
        admin: t.worker("admin", Role::Administrator, None, None).await,
        police: t
            .worker("police", Role::PartnerPractitioner, None, police)
            .await,
        nurse: t
            .worker("nurse", Role::PartnerPractitioner, None, health)
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

/// A contact about one child received now by `officer`, with its concern categories; the
/// child linked to a new record.
async fn contact_about(w: &World, officer: &Actor, given: &str, concerns: &[&str]) -> PersonId {
    let mut input = support::school_contact(vec![support::child(given, "Audit", "2014-06-01")]);
    input.concern_categories = concerns.iter().map(|c| c.to_string()).collect();
    let contact = w.app.record_contact(officer, &input).await.expect("record");
    support::link_all_new(&w.app, officer, contact.id).await[0]
}

/// A child on a contact received at `received`, its decision authorised at `authorised` (or
/// never); the clock is put back afterwards.
async fn decided_at(
    w: &World,
    given: &str,
    received: chrono::DateTime<chrono::Utc>,
    authorised: Option<chrono::DateTime<chrono::Utc>>,
) -> PersonId {
    let now = w.app.now();
    w.clock.set(received);
    let input = support::school_contact(vec![support::child(given, "Audit", "2015-02-02")]);
    let contact = w
        .app
        .record_contact(&w.officer, &input)
        .await
        .expect("record");
    let child = support::link_all_new(&w.app, &w.officer, contact.id).await[0];
    if let Some(at) = authorised {
        w.app
            .recommend_decision(
                &w.worker,
                contact.id,
                &RecommendationInput {
                    outcome: "information_and_advice".into(),
                    level_of_need: "1".into(),
                    signposted_to: String::new(),
                    rationale: "Advice to the school; no role for social care.".into(),
                },
            )
            .await
            .expect("recommend");
        w.clock.set(at);
        w.app
            .review_decision(
                &w.manager,
                contact.id,
                &ReviewInput {
                    authorise: Some(true),
                    rationale: "Agreed: information and advice.".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("authorise");
    }
    w.clock.set(now);
    child
}

fn standard(child: PersonId) -> AuditInput {
    AuditInput {
        title: "March front door audit".into(),
        kind: "standard".into(),
        child: child.to_string(),
        ..Default::default()
    }
}

fn thematic(theme: &str, seed: &str, n: &str) -> AuditInput {
    AuditInput {
        title: "Domestic abuse thematic audit".into(),
        kind: "thematic".into(),
        theme: theme.into(),
        from: "2026-03-01".into(),
        to: "2026-04-30".into(),
        sample_size: n.into(),
        seed: seed.into(),
        ..Default::default()
    }
}

fn grades(numbers: impl IntoIterator<Item = i32>, grade: &str) -> CaseAuditAnswersInput {
    CaseAuditAnswersInput {
        answers: numbers
            .into_iter()
            .map(|number| GivenAnswerInput {
                number,
                grade: grade.into(),
                comment: format!("Question {number}: the record shows it."),
            })
            .collect(),
        ..Default::default()
    }
}

/// The one case of a just-planned audit.
async fn only_case(w: &World, audit: frontdoor_domain::ids::AuditId) -> CaseAuditId {
    let view = w.app.view_audit(&w.qa, audit).await.expect("audit");
    assert_eq!(view.cases.len(), 1);
    view.cases[0].id
}

#[tokio::test]
async fn the_standard_tool_comes_first_and_an_authority_adds_its_own() {
    each_backend(|w| async move {
        let tools = w.app.audit_tools(&w.qa).await.expect("tools");
        assert_eq!(tools[0].id, STANDARD_TOOL_ID);
        assert_eq!(tools[0].questions.len(), 7);
        let neglect = AuditToolInput {
            name: "Neglect".into(),
            description: "Thematic audit of neglect".into(),
            questions: vec!["Was the home visited?\nWas the Graded Care Profile used?".into()],
        };
        assert!(matches!(
            w.app.create_audit_tool(&w.worker, &neglect).await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        let added = w
            .app
            .create_audit_tool(&w.admin, &neglect)
            .await
            .expect("admin adds");
        assert_eq!(added.questions.len(), 2);
        assert_eq!(
            fields(w.app.create_audit_tool(&w.qa, &neglect).await),
            ["name"],
            "the name is the authority's once"
        );
        assert_eq!(
            fields(
                w.app
                    .create_audit_tool(&w.qa, &AuditToolInput::default())
                    .await
            ),
            ["name", "questions"]
        );
        let names: Vec<String> = w
            .app
            .audit_tools(&w.qa)
            .await
            .expect("tools")
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names.len(), 2);
        assert_eq!(names[1], "Neglect");
    })
    .await;
}

#[tokio::test]
async fn a_standard_audit_is_planned_started_graded_and_completed_only_when_all_is_graded() {
    each_backend(|w| async move {
        let child = contact_about(&w, &w.officer, "Ava", &["neglect"]).await;
        assert!(matches!(
            w.app.plan_audit(&w.worker, &standard(child)).await,
            Err(AppError::Denied(_))
        ));
        let audit = w
            .app
            .plan_audit(&w.qa, &standard(child))
            .await
            .expect("plan");
        assert_eq!(
            (audit.cases, audit.population, audit.seed.clone()),
            (1, 1, None)
        );
        let case = only_case(&w, audit.id).await;
        let view = w.app.view_case_audit(&w.qa, case).await.expect("view");
        assert_eq!(view.case.state, CaseAuditState::Planned);
        assert_eq!(view.case.team_name.as_deref(), Some("MASH A"));
        assert_eq!(view.answers.len(), 7);
        assert!(view.summary.contacts[0].what.contains("Hungry at school"));

        // Answers wait for the start; a second start loses.
        conflict(
            w.app
                .record_case_audit_answers(&w.qa, case, &grades([1], "good"))
                .await,
            "not yet started",
        );
        w.app.start_case_audit(&w.qa, case).await.expect("start");
        conflict(w.app.start_case_audit(&w.qa2, case).await, "was started at");

        // Partly graded: completion names each question not graded, the grade and findings.
        w.app
            .record_case_audit_answers(&w.qa, case, &grades([1, 3], "requires_improvement"))
            .await
            .expect("answers");
        assert_eq!(
            fields(w.app.complete_case_audit(&w.qa, case).await),
            [
                "grade[2]",
                "grade[4]",
                "grade[5]",
                "grade[6]",
                "grade[7]",
                "overall_grade",
                "findings"
            ]
        );
        let mut rest = grades([2, 4, 5, 6, 7], "good");
        rest.overall_grade = Some("requires_improvement".into());
        rest.findings = Some("Decision timely; the child's views were not recorded.".into());
        assert_eq!(
            fields(
                w.app
                    .record_case_audit_answers(&w.qa, case, &grades([2], "satisfactory"))
                    .await
            ),
            ["grade[2]"]
        );
        w.app
            .record_case_audit_answers(&w.qa, case, &rest)
            .await
            .expect("the rest");
        let done = w
            .app
            .complete_case_audit(&w.qa, case)
            .await
            .expect("complete");
        assert_eq!(done.state, CaseAuditState::Completed);
        assert_eq!(done.overall_grade, Some(Grade::RequiresImprovement));
        conflict(
            w.app.complete_case_audit(&w.qa2, case).await,
            "was completed at",
        );
        conflict(
            w.app
                .record_case_audit_answers(&w.qa, case, &grades([1], "good"))
                .await,
            "can no longer change",
        );

        // On the child's chronology in plain words; every read access-logged.
        let chronology = w
            .app
            .person_chronology(&w.manager, child, None)
            .await
            .expect("chronology");
        for title in [
            "Case chosen for the standard audit \"March front door audit\"",
            "Case audit \"March front door audit\" started",
            "Case audit \"March front door audit\" completed: Requires improvement",
        ] {
            assert!(chronology.iter().any(|e| e.title == title), "{title}");
        }
        let accesses = w
            .app
            .store
            .accesses_of(w.qa.authority, child, 50)
            .await
            .expect("log");
        assert!(accesses.iter().any(|a| a.purpose == "case audit"));
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn actions_need_an_owner_and_a_due_date_and_the_summary_counts_them_per_team() {
    each_backend(|w| async move {
        let ava = contact_about(&w, &w.officer, "Ava", &["neglect"]).await;
        let ben = contact_about(&w, &w.officer_b, "Ben", &["neglect"]).await;
        let mut cases = Vec::new();
        for child in [ava, ben] {
            let audit = w
                .app
                .plan_audit(&w.qa, &standard(child))
                .await
                .expect("plan");
            cases.push(only_case(&w, audit.id).await);
        }
        let case = cases[0];
        let action = AuditActionInput {
            description: "Record Ava's views at the next visit.".into(),
            owner: w.worker.worker.to_string(),
            due_on: String::new(),
        };
        conflict(
            w.app
                .add_case_audit_action(
                    &w.qa,
                    case,
                    &AuditActionInput {
                        due_on: "2026-04-10".into(),
                        ..action.clone()
                    },
                )
                .await,
            "not yet started",
        );
        w.app.start_case_audit(&w.qa, case).await.expect("start");
        assert_eq!(
            fields(w.app.add_case_audit_action(&w.qa, case, &action).await),
            ["due_on"]
        );
        assert_eq!(
            fields(
                w.app
                    .add_case_audit_action(
                        &w.qa,
                        case,
                        &AuditActionInput {
                            owner: w.police.worker.to_string(),
                            due_on: "2026-04-10".into(),
                            ..action.clone()
                        }
                    )
                    .await
            ),
            ["owner"],
            "a partner owns no action of the authority's"
        );
        let due = AuditActionInput {
            due_on: "2026-04-10".into(),
            ..action.clone()
        };
        let added = w
            .app
            .add_case_audit_action(&w.qa, case, &due)
            .await
            .expect("action");
        w.app
            .add_case_audit_action(
                &w.qa,
                case,
                &AuditActionInput {
                    description: "Manager to check the DASH was used.".into(),
                    owner: w.manager.worker.to_string(),
                    due_on: "2026-05-01".into(),
                },
            )
            .await
            .expect("second action");
        let mut all = grades(1..=7, "good");
        all.overall_grade = Some("good".into());
        all.findings = Some("Good work; views missing.".into());
        w.app
            .record_case_audit_answers(&w.qa, case, &all)
            .await
            .expect("answers");
        w.app
            .complete_case_audit(&w.qa, case)
            .await
            .expect("complete");

        // Twelve days on: the first action is overdue.
        w.clock.set(utc(2026, 4, 13, 9, 0));
        let report = w
            .app
            .audit_summary_report(&w.senior, None, date(2026, 4, 1), date(2026, 4, 30))
            .await
            .expect("report");
        assert_eq!((report.cases, report.completed), (2, 1));
        assert_eq!((report.actions_outstanding, report.actions_overdue), (2, 1));
        let good = |counts: &[frontdoor_app::GradeCount]| {
            counts
                .iter()
                .find(|c| c.grade == Grade::Good)
                .map(|c| c.count)
        };
        assert_eq!(good(&report.overall), Some(1));
        assert_eq!(report.questions.len(), 7);
        assert!(report.questions.iter().all(|q| good(&q.grades) == Some(1)));
        assert_eq!(report.findings[0].findings, "Good work; views missing.");
        let teams: Vec<(&str, usize, usize, usize)> = report
            .teams
            .iter()
            .map(|t| {
                (
                    t.team_name.as_str(),
                    t.cases,
                    t.completed,
                    t.actions_overdue,
                )
            })
            .collect();
        assert_eq!(teams, [("MASH A", 1, 1, 1), ("MASH B", 1, 0, 0)]);

        // The owner marks it done; done twice is a conflict; the worker cannot plan audits.
        w.app
            .complete_case_audit_action(&w.worker, added.id)
            .await
            .expect("owner marks done");
        conflict(
            w.app.complete_case_audit_action(&w.qa, added.id).await,
            "marked done",
        );
        let report = w
            .app
            .audit_summary_report(&w.qa, None, date(2026, 4, 1), date(2026, 4, 30))
            .await
            .expect("report");
        assert_eq!((report.actions_outstanding, report.actions_overdue), (1, 0));
        assert!(matches!(
            w.app
                .audit_summary_report(&w.worker, None, date(2026, 4, 1), date(2026, 4, 30))
                .await,
            Err(AppError::Denied(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn a_thematic_sample_is_drawn_from_the_children_meeting_the_criteria_and_again_from_its_seed()
{
    each_backend(|w| async move {
        w.clock.set(utc(2026, 3, 16, 10, 0));
        let mut abused = Vec::new();
        for given in ["Ada", "Bea", "Cal", "Dev", "Eli"] {
            abused.push(contact_about(&w, &w.officer, given, &["domestic_abuse", "neglect"]).await);
        }
        let team_b = contact_about(&w, &w.officer_b, "Fay", &["domestic_abuse"]).await;
        abused.push(team_b);
        let other = contact_about(&w, &w.officer, "Gus", &["neglect"]).await;
        w.clock.set(utc(2026, 4, 1, 9, 0));

        let audit = w
            .app
            .plan_audit(&w.qa, &thematic("domestic_abuse", "7", "3"))
            .await
            .expect("plan");
        assert_eq!((audit.population, audit.sample_size), (6, 3));
        assert_eq!(audit.seed.as_deref(), Some("7"));
        assert!(
            audit
                .selection
                .starts_with("Domestic abuse, 01/03/2026–30/04/2026"),
            "{}",
            audit.selection
        );
        let sampled = |audit| {
            let app = w.app.clone();
            let qa = w.qa.clone();
            async move {
                let mut children: Vec<PersonId> = app
                    .view_audit(&qa, audit)
                    .await
                    .expect("audit")
                    .cases
                    .iter()
                    .map(|c| c.person)
                    .collect();
                children.sort();
                children
            }
        };
        let first = sampled(audit.id).await;
        assert!(first.iter().all(|c| abused.contains(c) && *c != other));
        let again = w
            .app
            .plan_audit(&w.qa, &thematic("domestic_abuse", "7", "3"))
            .await
            .expect("again");
        assert_eq!(
            sampled(again.id).await,
            first,
            "the same seed draws the same sample"
        );

        // One team's: only MASH B's child; every child in the period without a theme.
        let mut of_b = thematic("domestic_abuse", "", "5");
        of_b.team = w.app.teams(&w.qa).await.expect("teams")[1].id.to_string();
        let audit_b = w.app.plan_audit(&w.qa, &of_b).await.expect("team");
        assert_eq!(audit_b.population, 1);
        assert!(audit_b.seed.is_some(), "a drawn seed is recorded");
        assert_eq!(sampled(audit_b.id).await, [team_b]);
        let everyone = w
            .app
            .plan_audit(&w.qa, &thematic("", "1", "200"))
            .await
            .expect("all");
        assert_eq!(everyone.population, 7);
        assert_eq!(everyone.sample_size, 7);

        // Criteria nobody meets, a sample too big, a period backwards: each named.
        assert_eq!(
            fields(
                w.app
                    .plan_audit(&w.qa, &thematic("child_sexual_exploitation", "1", "2"))
                    .await
            ),
            ["from"]
        );
        let mut wrong = thematic("domestic_abuse", "x", "0");
        wrong.from = "2026-05-01".into();
        assert_eq!(
            fields(w.app.plan_audit(&w.qa, &wrong).await),
            ["to", "sample_size", "seed"]
        );
    })
    .await;
}

#[tokio::test]
async fn the_decisions_not_authorised_in_one_working_day_are_the_exception_and_a_list_is_sampled() {
    each_backend(|w| async move {
        // Monday 23 March 2026, 10:00 London: decided the same afternoon, on Thursday, never.
        let received = utc(2026, 3, 23, 10, 0);
        let timely = decided_at(&w, "Ivy", received, Some(utc(2026, 3, 23, 15, 0))).await;
        let late = decided_at(&w, "Jay", received, Some(utc(2026, 3, 26, 11, 0))).await;
        let never = decided_at(&w, "Kit", received, None).await;
        let mut breached = w
            .app
            .decisions_not_authorised_in_one_working_day(&w.qa, date(2026, 3, 1), date(2026, 3, 31))
            .await
            .expect("exception");
        breached.sort();
        let mut expected = vec![late, never];
        expected.sort();
        assert_eq!(breached, expected);
        assert!(!breached.contains(&timely));
        assert!(
            w.app
                .decisions_not_authorised_in_one_working_day(
                    &w.qa,
                    date(2026, 4, 1),
                    date(2026, 4, 30)
                )
                .await
                .expect("april")
                .is_empty(),
            "only contacts received in the period"
        );
        assert!(matches!(
            w.app
                .decisions_not_authorised_in_one_working_day(
                    &w.worker,
                    date(2026, 3, 1),
                    date(2026, 3, 31)
                )
                .await,
            Err(AppError::Denied(_))
        ));

        // The dashboard hands over the list with where it came from.
        let source = "Decisions that breached one working day, 01/03/2026–31/03/2026";
        let list = AuditListSampleInput {
            title: "Late decisions".into(),
            tool: String::new(),
            source: source.into(),
            children: breached.clone(),
            sample_size: "1".into(),
            seed: "42".into(),
        };
        let audit = w
            .app
            .sample_audit_from_list(&w.qa, &list)
            .await
            .expect("sample");
        assert_eq!((audit.population, audit.sample_size), (2, 1));
        assert_eq!(audit.selection, source);
        let again = w
            .app
            .sample_audit_from_list(&w.qa, &list)
            .await
            .expect("again");
        let child_of = |id| {
            let app = w.app.clone();
            let qa = w.qa.clone();
            async move { app.view_audit(&qa, id).await.expect("audit").cases[0].person }
        };
        assert_eq!(child_of(audit.id).await, child_of(again.id).await);
        // A child that is not the authority's record is refused, naming how many.
        let mut stranger = list.clone();
        stranger.children.push(PersonId::new());
        match w.app.sample_audit_from_list(&w.qa, &stranger).await {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors[0].field, "children");
                assert!(
                    errors[0].message.starts_with("1 of the 3 children"),
                    "{}",
                    errors[0].message
                );
            }
            other => panic!("expected the list refused, got {other:?}"),
        }
        assert_eq!(
            fields(
                w.app
                    .sample_audit_from_list(
                        &w.qa,
                        &AuditListSampleInput {
                            source: " ".into(),
                            ..list.clone()
                        }
                    )
                    .await
            ),
            ["source"]
        );
    })
    .await;
}

#[tokio::test]
async fn partner_auditors_see_only_the_audited_case_of_an_audit_they_are_invited_to() {
    each_backend(|w| async move {
        let child = contact_about(&w, &w.officer, "Lia", &["domestic_abuse"]).await;
        let other = contact_about(&w, &w.officer, "Max", &["neglect"]).await;
        let multi = w
            .app
            .plan_audit(
                &w.qa,
                &AuditInput {
                    kind: "multi_agency".into(),
                    title: "Multi-agency audit: Lia".into(),
                    ..standard(child)
                },
            )
            .await
            .expect("plan");
        let case = only_case(&w, multi.id).await;
        let elsewhere = w
            .app
            .plan_audit(&w.qa, &standard(other))
            .await
            .expect("other");
        let other_case = only_case(&w, elsewhere.id).await;

        // Not yet invited: nothing is found.
        assert!(matches!(
            w.app.view_case_audit(&w.police, case).await,
            Err(AppError::NotFound(_))
        ));
        assert!(w.app.audits(&w.police).await.expect("audits").is_empty());
        let invite = |who: &Actor| InvitationInput {
            worker: who.worker.to_string(),
        };
        assert_eq!(
            fields(
                w.app
                    .invite_audit_partner(&w.qa, elsewhere.id, &invite(&w.police))
                    .await
            ),
            ["worker"],
            "only a multi-agency audit has partner auditors"
        );
        assert_eq!(
            fields(
                w.app
                    .invite_audit_partner(&w.qa, multi.id, &invite(&w.worker))
                    .await
            ),
            ["worker"],
            "only a partner practitioner is invited"
        );
        let invited = w
            .app
            .invite_audit_partner(&w.qa, multi.id, &invite(&w.police))
            .await
            .expect("invite");
        assert_eq!(invited[0].organisation_name, "Testshire Police");
        conflict(
            w.app
                .invite_audit_partner(&w.qa, multi.id, &invite(&w.police))
                .await,
            "already invited",
        );

        // Invited: the audit, its case's summary and its questions; nothing else.
        let listed = w.app.audits(&w.police).await.expect("audits");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, multi.id);
        let view = w
            .app
            .view_case_audit(&w.police, case)
            .await
            .expect("partner view");
        assert!(view.as_partner && view.actions.is_empty() && view.owners.is_empty());
        assert!(!view.may_complete && !view.may_start);
        for not_found in [
            w.app
                .view_case_audit(&w.police, other_case)
                .await
                .map(|_| ()),
            w.app.view_audit(&w.police, elsewhere.id).await.map(|_| ()),
            w.app.view_case_audit(&w.nurse, case).await.map(|_| ()),
        ] {
            assert!(
                matches!(not_found, Err(AppError::NotFound(_))),
                "{not_found:?}"
            );
        }
        assert!(matches!(
            w.app.start_case_audit(&w.police, case).await,
            Err(AppError::Denied(_))
        ));
        w.app.start_case_audit(&w.qa, case).await.expect("start");
        let partner_answers = grades([7], "good");
        w.app
            .record_case_audit_answers(&w.police, case, &partner_answers)
            .await
            .expect("the police answer");
        let mut overreach = grades([1], "good");
        overreach.overall_grade = Some("outstanding".into());
        assert_eq!(
            fields(
                w.app
                    .record_case_audit_answers(&w.police, case, &overreach)
                    .await
            ),
            ["overall_grade"]
        );
        assert!(matches!(
            w.app.complete_case_audit(&w.police, case).await,
            Err(AppError::Denied(_))
        ));
        assert!(matches!(
            w.app
                .audit_summary_report(&w.police, None, date(2026, 4, 1), date(2026, 4, 30))
                .await,
            Err(AppError::Denied(_))
        ));
        let answers = w
            .app
            .view_case_audit(&w.qa, case)
            .await
            .expect("view")
            .answers;
        assert_eq!(answers[6].answered_by_name.as_deref(), Some("police"));
        let accesses = w
            .app
            .store
            .accesses_of(w.qa.authority, child, 50)
            .await
            .expect("log");
        assert!(accesses.iter().any(|a| a.purpose == "multi-agency audit"));
        let chronology = w
            .app
            .person_chronology(&w.manager, child, None)
            .await
            .expect("chronology");
        assert!(chronology.iter().any(|e| e.title
            == "Partner auditor invited to the multi-agency audit \"Multi-agency audit: Lia\""
            && e.detail == "police (Testshire Police)."));
    })
    .await;
}

#[tokio::test]
async fn of_simultaneous_starts_and_completions_exactly_one_wins() {
    each_backend(|w| async move {
        let child = contact_about(&w, &w.officer, "Noa", &["neglect"]).await;
        let audit = w
            .app
            .plan_audit(&w.qa, &standard(child))
            .await
            .expect("plan");
        let case = only_case(&w, audit.id).await;
        let starts = tokio::join!(
            w.app.start_case_audit(&w.qa, case),
            w.app.start_case_audit(&w.qa2, case),
        );
        one_winner(&[starts.0, starts.1]);
        let mut all = grades(1..=7, "good");
        all.overall_grade = Some("good".into());
        all.findings = Some("Good.".into());
        w.app
            .record_case_audit_answers(&w.qa, case, &all)
            .await
            .expect("answers");
        let completions = tokio::join!(
            w.app.complete_case_audit(&w.qa, case),
            w.app.complete_case_audit(&w.qa2, case),
            w.app.complete_case_audit(&w.senior, case),
        );
        let results = [completions.0, completions.1, completions.2];
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(results
            .iter()
            .all(|r| r.is_ok() || matches!(r, Err(AppError::Conflict(_)))));
        let chronology = w
            .app
            .person_chronology(&w.manager, child, None)
            .await
            .expect("chronology");
        assert_eq!(
            chronology
                .iter()
                .filter(|e| e.kind == "case_audit_completed")
                .count(),
            1
        );
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
