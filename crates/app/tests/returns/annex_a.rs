//! Ofsted's Annex A on every backend, from a small fixture built through the app: Amy (a
//! police contact, a strategy discussion, a section 47 enquiry, an initial conference and a
//! plan, then a child and family assessment), Ben (a school contact referred
//! for assessment and closed with nothing done: a referral NFA) and Cara (early help, her
//! assessment led and completed). Each list's rows are checked against those records; the
//! workbook is read back with an independent reader (calamine); the files are an access to
//! each child, logged, and an event; only returns staff may produce them; a bad date is one
//! field error.

use super::support::{self, utc};
use super::{child_on_a_plan, world, World};
use frontdoor_app::returns::AnnexAReport;
use frontdoor_app::{
    AllocationInput, AppError, AssessmentCompletionInput, AssessmentStartInput,
    EpisodeClosureInput, LeadProfessionalInput, RecommendationInput, ReviewInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::returns::annex_a::headings;

struct Children {
    amy: PersonId,
    ben: PersonId,
    cara: PersonId,
    coordinator: Actor,
}

async fn decide(w: &World, contact: frontdoor_domain::ids::ContactId, outcome: &str) {
    w.app
        .recommend_decision(
            &w.worker,
            contact,
            &RecommendationInput {
                outcome: outcome.into(),
                level_of_need: "3".into(),
                signposted_to: String::new(),
                rationale: "What the school describes needs this response.".into(),
            },
        )
        .await
        .expect("recommend");
    w.app
        .review_decision(
            &w.manager,
            contact,
            &ReviewInput {
                authorise: Some(true),
                rationale: "Agreed with the recommendation as made.".into(),
                ..Default::default()
            },
        )
        .await
        .expect("authorise");
}

/// The fixture; the clock ends at noon on 1 July 2025, the inspection date.
async fn children(w: &World) -> Children {
    let amy = child_on_a_plan(w).await;
    // On the plan, her child and family assessment starts on 1 July (clock 09:00).
    let episode = w
        .app
        .episodes_of_child(&w.worker, amy)
        .await
        .expect("episodes")[0]
        .id;
    w.app
        .start_assessment(&w.worker, episode)
        .await
        .expect("assessment");

    // Ben: referred for assessment on 16 June, closed on 20 June with nothing done.
    w.clock.set(utc(2025, 6, 16, 9, 0));
    let contact = w
        .app
        .record_contact(
            &w.officer,
            &support::school_contact(vec![support::child("Ben", "Cole", "2015-05-05")]),
        )
        .await
        .expect("Ben's contact");
    let ben = support::link_all_new(&w.app, &w.officer, contact.id).await[0];
    decide(w, contact.id, "referral_for_assessment").await;
    w.clock.set(utc(2025, 6, 20, 9, 0));
    let episode = w
        .app
        .episodes_of_child(&w.worker, ben)
        .await
        .expect("episodes")[0]
        .id;
    w.app
        .close_episode(
            &w.manager,
            episode,
            &EpisodeClosureInput {
                closed_on: "2025-06-20".into(),
                closure_reason: "RC7".into(),
            },
        )
        .await
        .expect("closed");

    // Cara: early help from 23 June; her coordinator leads the assessment, done on 30 June.
    let coordinator = w.coordinator.clone();
    w.clock.set(utc(2025, 6, 23, 9, 0));
    let contact = w
        .app
        .record_contact(
            &w.officer,
            &support::school_contact(vec![support::child("Cara", "Dunn", "2019-09-01")]),
        )
        .await
        .expect("Cara's contact");
    let cara = support::link_all_new(&w.app, &w.officer, contact.id).await[0];
    decide(w, contact.id, "early_help").await;
    let early_help = w
        .app
        .early_help_of_child(&coordinator, cara)
        .await
        .expect("early help")[0]
        .id;
    w.app
        .allocate_early_help(&coordinator, early_help, &AllocationInput::default())
        .await
        .expect("allocated");
    w.app
        .appoint_lead_professional(
            &coordinator,
            early_help,
            &LeadProfessionalInput {
                lead: coordinator.worker.to_string(),
            },
        )
        .await
        .expect("lead");
    w.app
        .start_early_help_assessment(&coordinator, early_help, &AssessmentStartInput::default())
        .await
        .expect("started");
    w.clock.set(utc(2025, 6, 30, 15, 0));
    w.app
        .complete_early_help_assessment(
            &coordinator,
            early_help,
            &AssessmentCompletionInput {
                completed_on: String::new(),
                summary: "Breakfast club and a parenting course agreed.".into(),
            },
        )
        .await
        .expect("completed");
    w.clock.set(utc(2025, 7, 1, 12, 0));
    Children {
        amy,
        ben,
        cara,
        coordinator,
    }
}

/// Each row of a list as text (dates as YYYY-MM-DD), with the child it is about.
fn rows(report: &AnnexAReport, list: usize) -> Vec<(PersonId, Vec<String>)> {
    use frontdoor_domain::returns::annex_a::AnnexAValue;
    report.annex.lists[list - 1]
        .rows
        .iter()
        .map(|r| {
            (
                r.person,
                r.values
                    .iter()
                    .map(|v| match v {
                        AnnexAValue::Text(t) => t.clone(),
                        AnnexAValue::Date(d) => d.to_string(),
                        AnnexAValue::Count(n) => n.to_string(),
                        AnnexAValue::Blank => String::new(),
                    })
                    .collect(),
            )
        })
        .collect()
}

fn row_of(report: &AnnexAReport, list: usize, child: PersonId) -> Vec<String> {
    let found: Vec<_> = rows(report, list)
        .into_iter()
        .filter(|(p, _)| *p == child)
        .map(|(_, r)| r)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one row for the child in list {list}: {found:?}"
    );
    found.into_iter().next().unwrap_or_default()
}

#[tokio::test]
async fn each_list_has_the_rows_the_records_give_in_annex_as_codes() {
    support::on_every_backend(world, |w| async move {
        let c = children(&w).await;
        let report = w.app.annex_a(&w.qa, "2025-07-01").await.expect("annex a");
        assert_eq!(report.annex.window_start.to_string(), "2025-01-01");
        let counts: Vec<usize> = report.counts().iter().map(|l| l.rows).collect();
        assert_eq!(counts, vec![3, 1, 2, 1, 1, 2, 1]);

        // List 1: each child's contact, its date and source.
        let amy = row_of(&report, 1, c.amy);
        assert_eq!(
            amy[1..],
            [
                "b) Female",
                "t) NOBT",
                "2021-04-01",
                "4",
                "2025-06-02",
                "n) 5A: LA services"
            ]
        );
        assert_eq!(
            row_of(&report, 1, c.ben)[5..],
            ["2025-06-16", "e) 2A: Schools"]
        );
        assert_eq!(
            row_of(&report, 1, c.cara)[5..],
            ["2025-06-23", "e) 2A: Schools"]
        );

        // List 2: Cara's early help assessment, led by the coordinator's organisation.
        let cara = row_of(&report, 2, c.cara);
        assert_eq!(cara[5..7], ["2025-06-23", "2025-06-30"]);
        assert!(!cara[7].is_empty(), "the organisation completing it");

        // List 3: two referrals; Ben's closed with nothing done is NFA.
        let amy = row_of(&report, 3, c.amy);
        assert_eq!(
            amy[5..9],
            ["2025-06-02", "n) 5A: LA services", "b) No", "1"]
        );
        let ben = row_of(&report, 3, c.ben);
        assert_eq!(ben[5..9], ["2025-06-16", "e) 2A: Schools", "a) Yes", "1"]);
        assert_eq!(ben[9], "MASH A", "the episode's team");

        // List 4: Amy's assessment, not yet authorised.
        let amy = row_of(&report, 4, c.amy);
        assert_eq!(
            amy[6..8],
            ["2025-07-01", "b) No"],
            "started, the child not yet seen"
        );
        assert_eq!(amy[8..10], ["", ""], "no authorisation, no outcome yet");

        // List 5: the enquiry, its conference and the plan it led to.
        let amy = row_of(&report, 5, c.amy);
        assert_eq!(
            amy[6..12],
            ["2025-06-02", "b) No", "2025-06-19", "a) Yes", "1", "1"]
        );

        // List 6: Amy on a plan, Ben's episode closed.
        assert_eq!(row_of(&report, 6, c.amy)[11], "b) Child Protection plan");
        let ben = row_of(&report, 6, c.ben);
        assert_eq!(
            ben[9..12],
            [
                "2025-06-20",
                "RC7 - Services ceased for any other reason, including child no longer in need",
                "e) Closed episode"
            ]
        );

        // List 7: the plan from the conference, no visit yet, no earlier plan.
        let amy = row_of(&report, 7, c.amy);
        assert_eq!(
            amy[6..15],
            [
                "2025-06-19",
                "b) Physical abuse",
                "b) Physical abuse",
                "",
                "",
                "",
                "",
                "N",
                "0"
            ]
        );

        // The window moves with the date: a year later only Amy's open plan and episode remain
        // (and her assessment, still open).
        let later = w.app.annex_a(&w.qa, "2026-07-01").await.expect("later");
        let counts: Vec<usize> = later.counts().iter().map(|l| l.rows).collect();
        assert_eq!(counts, vec![0, 0, 0, 1, 0, 1, 1]);
        let _ = c.coordinator;
    })
    .await;
}

#[tokio::test]
async fn the_workbook_reads_back_with_an_independent_reader() {
    use calamine::{Data, Reader, Xlsx};
    support::on_every_backend(world, |w| async move {
        let c = children(&w).await;
        let report = w.app.annex_a(&w.qa, "2025-07-01").await.expect("annex a");
        let bytes = report.workbook().expect("workbook");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
            .expect("calamine opens the workbook");
        let names: Vec<String> = (1..=7).map(|n| format!("List {n}")).collect();
        assert_eq!(book.sheet_names(), names);
        for (n, name) in names.iter().enumerate() {
            let range = book.worksheet_range(name).expect("sheet");
            let expected = &report.annex.lists[n];
            let headings_read: Vec<String> = range
                .rows()
                .next()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .unwrap_or_default();
            assert_eq!(headings_read, headings(n + 1), "{name}");
            assert_eq!(range.height() - 1, expected.rows.len(), "{name}'s rows");
        }
        // Codes and dates as Excel has them: list 3, Ben's row (after Amy's, by date).
        let list_3 = book.worksheet_range("List 3").expect("list 3");
        let ben_row = (1..list_3.height())
            .find(|&r| list_3.get_value((r as u32, 7)) == Some(&Data::String("a) Yes".into())))
            .expect("Ben's NFA row");
        let referral = list_3.get_value((ben_row as u32, 5));
        match referral {
            Some(Data::DateTime(day)) => {
                let serial = (chrono::NaiveDate::from_ymd_opt(2025, 6, 16).expect("a day")
                    - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a day"))
                .num_days() as f64;
                assert_eq!(day.as_f64(), serial);
            }
            other => panic!("expected the referral date as a date, found {other:?}"),
        }
        assert_eq!(
            list_3.get_value((ben_row as u32, 8)),
            Some(&Data::Float(1.0))
        );
        let list_7 = book.worksheet_range("List 7").expect("list 7");
        assert_eq!(
            list_7.get_value((1, 7)),
            Some(&Data::String("b) Physical abuse".into()))
        );
        // Each CSV says what its sheet says: the same number of lines.
        for n in 1..=7 {
            let csv = report.csv(n).expect("a list").expect("csv");
            assert_eq!(
                csv.lines().count(),
                report.annex.lists[n - 1].rows.len() + 1
            );
            assert!(csv.starts_with(
                "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),"
            ));
        }
        let _ = (c.amy, c.ben, c.cara);
    })
    .await;
}

#[tokio::test]
async fn the_files_log_each_child_and_an_event_and_only_returns_staff_may_produce_them() {
    support::on_every_backend(world, |w| async move {
        let c = children(&w).await;
        let events = w.app.store.event_count().await.expect("events");
        w.app.annex_a(&w.qa, "2025-07-01").await.expect("summary");
        assert_eq!(
            w.app.store.event_count().await.expect("events"),
            events,
            "a count is no event"
        );
        // One CSV: an access to each child in that list only, and an event.
        w.app
            .annex_a_file(&w.qa, "2025-07-01", Some(2))
            .await
            .expect("list 2");
        let purposes = |child| {
            let app = w.app.clone();
            let authority = w.qa.authority;
            async move {
                app.store
                    .accesses_of(authority, child, 50)
                    .await
                    .expect("access log")
                    .into_iter()
                    .filter(|a| a.purpose == "annex_a_file")
                    .count()
            }
        };
        assert_eq!(w.app.store.event_count().await.expect("events"), events + 1);
        assert_eq!(purposes(c.cara).await, 1);
        assert_eq!(purposes(c.amy).await, 0, "Amy is not in list 2");
        // The workbook: every child.
        w.app
            .annex_a_file(&w.qa, "2025-07-01", None)
            .await
            .expect("workbook");
        for child in [c.amy, c.ben, c.cara] {
            assert!(purposes(child).await >= 1);
        }
        support::assert_audit_intact(&w.app).await;

        for who in [&w.officer, &w.worker, &w.manager, &c.coordinator] {
            match w.app.annex_a(who, "2025-07-01").await {
                Err(AppError::Denied(DenialReason::RoleNotPermitted)) => {}
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        match w.app.annex_a(&w.qa, "01/07/2025").await {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors[0].field, "date");
                assert!(errors[0].message.contains("for example"));
            }
            other => panic!("expected the date refused, got {other:?}"),
        }
        match w.app.annex_a_file(&w.qa, "2025-07-01", Some(8)).await {
            Err(AppError::NotFound(_)) => {}
            other => panic!("expected no list 8, got {other:?}"),
        }
        let _ = Role::QualityAssuranceOfficer;
    })
    .await;
}
