use super::lists::{
    AssessmentRecord, ChildRecord, ContactRecord, EarlyHelpAssessmentRecord, EmergencyActionRecord,
    EnquiryRecord, EpisodeRecord, PlanRecord,
};
use super::*;
use crate::ids::{EpisodeId, PersonId};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a day")
}

/// Monday 9 March 2026: the window is 9 September 2025 to 9 March 2026.
fn inspection() -> InspectionDate {
    InspectionDate::parse("2026-03-09").expect("a date")
}

#[test]
fn an_inspection_date_is_a_real_day_in_range_and_each_refusal_says_what_to_enter() {
    assert_eq!(inspection().date(), d(2026, 3, 9));
    assert_eq!(inspection().label(), "9 March 2026");
    let bad = InspectionDate::parse("09/03/2026")
        .expect_err("refused")
        .to_string();
    assert!(bad.contains("for example 2026-03-09") && bad.contains("'09/03/2026'"));
    assert!(InspectionDate::parse("2026-02-30").is_err());
    assert!(InspectionDate::parse("1999-12-31")
        .expect_err("refused")
        .to_string()
        .contains("between 2000 and 2100"));
}

#[test]
fn the_window_is_the_six_months_before_the_date_both_ends_included() {
    let on = inspection();
    assert_eq!(on.window_start(), d(2025, 9, 9));
    assert!(on.in_window(d(2025, 9, 9)));
    assert!(!on.in_window(d(2025, 9, 8)));
    assert!(on.in_window(d(2026, 3, 9)));
    assert!(!on.in_window(d(2026, 3, 10)));
    // A shorter month: the last day of it.
    let end_of_august = InspectionDate::parse("2026-08-31").expect("a date");
    assert_eq!(end_of_august.window_start(), d(2026, 2, 28));
}

#[test]
fn live_in_the_window_means_started_by_the_date_and_not_ended_before_the_window() {
    let on = inspection();
    assert!(on.live_in_window(d(2024, 1, 1), None), "open for years");
    assert!(on.live_in_window(d(2024, 1, 1), Some(d(2025, 9, 9))));
    assert!(!on.live_in_window(d(2024, 1, 1), Some(d(2025, 9, 8))));
    assert!(!on.live_in_window(d(2026, 3, 10), None), "after the date");
    assert_eq!(on.as_at(Some(d(2026, 3, 10))), None, "not yet known");
    assert_eq!(on.as_at(Some(d(2026, 3, 9))), Some(d(2026, 3, 9)));
}

#[test]
fn age_in_whole_years_turns_on_the_birthday_and_is_none_before_birth() {
    assert_eq!(age_in_years(d(2016, 3, 9), d(2026, 3, 8)), Some(9));
    assert_eq!(age_in_years(d(2016, 3, 9), d(2026, 3, 9)), Some(10));
    assert_eq!(age_in_years(d(2026, 3, 9), d(2026, 3, 9)), Some(0));
    assert_eq!(age_in_years(d(2026, 4, 1), d(2026, 3, 9)), None, "unborn");
    // A leap-day birthday counts from 1 March in other years.
    assert_eq!(age_in_years(d(2016, 2, 29), d(2026, 2, 28)), Some(9));
    assert_eq!(age_in_years(d(2016, 2, 29), d(2026, 3, 1)), Some(10));
}

#[test]
fn in_the_last_12_months_counts_the_day_itself_but_not_the_day_a_year_before() {
    let on = d(2026, 3, 9);
    let days = [
        d(2025, 3, 9),
        d(2025, 3, 10),
        d(2026, 1, 1),
        on,
        d(2026, 3, 10),
    ];
    assert_eq!(in_last_12_months(days, on), 3);
    assert_eq!(in_last_12_months([], on), 0);
}

#[test]
fn codes_are_annex_as_drop_down_values() {
    assert_eq!(gender("male"), "a) Male");
    assert_eq!(gender("female"), "b) Female");
    assert_eq!(gender("not_known"), "c) Not stated/recorded");
    assert_eq!(gender("indeterminate"), "d) Neither");
    assert_eq!(ethnicity("WBRI"), "a) WBRI");
    assert_eq!(ethnicity("mwbc"), "f) MWBC");
    assert_eq!(ethnicity("REFU"), "s) REFU");
    assert_eq!(ethnicity("NOBT"), "t) NOBT");
    assert_eq!(
        ethnicity(""),
        "t) NOBT",
        "nothing recorded: not yet obtained"
    );
    assert_eq!(source("1A"), "a) 1A: Individual");
    assert_eq!(source("3C"), "i) 3C: Health services");
    assert_eq!(source("5D"), "p1) 5D: LA services");
    assert_eq!(source("6"), "q) 6: Police");
    assert_eq!(source("10"), "u) 10: Unknown");
    assert_eq!(disability("NONE"), NO);
    assert_eq!(disability("AUT, LD"), YES);
    assert_eq!(disability(""), UNKNOWN);
    assert_eq!(primary_need("N1"), Some("N1 - Abuse or neglect"));
    assert_eq!(primary_need("X"), None);
    assert_eq!(
        closure_reason("RC8"),
        Some("RC8 - Case closed after assessment, no further action")
    );
    assert_eq!(category_of_abuse("PHY"), Some("b) Physical abuse"));
    assert_eq!(
        category_of_abuse("MUL"),
        Some("e) Multiple/not recommended")
    );
}

#[test]
fn each_list_has_the_child_columns_then_its_own() {
    assert_eq!(headings(1).len(), 7);
    assert_eq!(headings(1)[0], "Child Unique ID");
    assert_eq!(headings(3)[7], "Referral NFA?");
    assert_eq!(headings(4)[5], "Does the Child have a Disability");
    assert_eq!(headings(5).len(), 14);
    assert_eq!(headings(6).len(), 14);
    assert_eq!(headings(7).len(), 17);
}

struct Fixture {
    records: AnnexARecords,
    amy: PersonId,
    ben: PersonId,
    episode: EpisodeId,
}

/// Amy (born 1 April 2019): a contact, a referral that became a section 47 enquiry, an
/// initial conference and a plan, with an earlier plan ended two years ago and police
/// protection. Ben: a contact before the window and a referral closed with no further action.
fn fixture() -> Fixture {
    let amy = PersonId::new();
    let ben = PersonId::new();
    let episode = EpisodeId::new();
    let ben_episode = EpisodeId::new();
    let old_episode = EpisodeId::new();
    let child = |person, id: &str, sex: &str, birth| ChildRecord {
        person,
        la_person_id: id.into(),
        sex: sex.into(),
        ethnicity: "WBRI".into(),
        birth_date: Some(birth),
        disabilities: "NONE".into(),
    };
    let records = AnnexARecords {
        children: vec![
            child(amy, "P1", "female", d(2019, 4, 1)),
            child(ben, "P2", "male", d(2015, 10, 1)),
        ],
        contacts: vec![
            ContactRecord {
                person: amy,
                received_on: d(2025, 11, 3),
                source: "6".into(),
            },
            ContactRecord {
                person: ben,
                received_on: d(2025, 9, 8),
                source: "2A".into(),
            },
        ],
        early_help_assessments: vec![EarlyHelpAssessmentRecord {
            person: ben,
            started_on: d(2025, 6, 1),
            completed_on: Some(d(2025, 10, 1)),
            organisation: "Riverside Primary".into(),
        }],
        episodes: vec![
            EpisodeRecord {
                id: old_episode,
                person: amy,
                referral_date: d(2023, 1, 5),
                source: "6".into(),
                primary_need: Some("N1".into()),
                closed_on: Some(d(2024, 1, 5)),
                closure_reason: Some("RC7".into()),
                team: "Old team".into(),
                worker: String::new(),
            },
            EpisodeRecord {
                id: episode,
                person: amy,
                referral_date: d(2025, 11, 3),
                source: "6".into(),
                primary_need: Some("N1".into()),
                closed_on: None,
                closure_reason: None,
                team: "Safeguarding 1".into(),
                worker: "Sam Worker".into(),
            },
            EpisodeRecord {
                id: ben_episode,
                person: ben,
                referral_date: d(2025, 12, 1),
                source: "2A".into(),
                primary_need: None,
                closed_on: Some(d(2025, 12, 5)),
                closure_reason: Some("RC7".into()),
                team: "MASH A".into(),
                worker: String::new(),
            },
        ],
        assessments: vec![AssessmentRecord {
            person: amy,
            episode: Some(episode),
            started_on: d(2025, 11, 4),
            // Authorised the day after the inspection date: still open on the list.
            authorised_on: Some(d(2026, 3, 10)),
            outcome: "child_in_need_plan".into(),
            child_seen_on: vec![d(2025, 11, 5)],
            team: "Safeguarding 1".into(),
            worker: "Sam Worker".into(),
        }],
        enquiries: vec![EnquiryRecord {
            person: amy,
            episode,
            started_on: d(2025, 11, 3),
            completed_on: Some(d(2025, 11, 10)),
            icpc_needed: Some(true),
            icpc_held_on: Some(d(2025, 11, 24)),
            icpc_plan: Some(true),
            child_seen_on: vec![d(2025, 11, 4)],
        }],
        plans: vec![
            PlanRecord {
                person: amy,
                episode: old_episode,
                started_on: d(2023, 2, 1),
                ended_on: Some(d(2023, 12, 1)),
                initial_category: "NEG".into(),
                latest_category: "NEG".into(),
                visits: vec![],
                reviews: vec![],
            },
            PlanRecord {
                person: amy,
                episode,
                started_on: d(2025, 11, 24),
                ended_on: None,
                initial_category: "PHY".into(),
                latest_category: "MUL".into(),
                visits: vec![
                    (d(2026, 2, 20), true),
                    (d(2026, 3, 2), false),
                    (d(2026, 3, 12), true),
                ],
                reviews: vec![d(2026, 2, 23)],
            },
        ],
        emergency_actions: vec![EmergencyActionRecord {
            person: amy,
            taken_on: d(2025, 11, 2),
            action: "police_protection".into(),
        }],
    };
    Fixture {
        records,
        amy,
        ben,
        episode,
    }
}

fn text(value: &AnnexAValue) -> String {
    match value {
        AnnexAValue::Text(t) => t.clone(),
        AnnexAValue::Date(d) => d.to_string(),
        AnnexAValue::Count(n) => n.to_string(),
        AnnexAValue::Blank => String::new(),
    }
}

fn rows(annex: &AnnexA, list: usize) -> Vec<Vec<String>> {
    annex.lists[list - 1]
        .rows
        .iter()
        .map(|r| r.values.iter().map(text).collect())
        .collect()
}

#[test]
fn the_lists_take_what_each_window_covers_and_say_it_in_annex_as_codes() {
    let f = fixture();
    let annex = build(inspection(), &f.records);
    assert_eq!(annex.lists.len(), 7);
    for list in &annex.lists {
        for row in &list.rows {
            assert_eq!(row.values.len(), list.headings.len(), "{}", list.name);
        }
    }

    // List 1: Amy's contact only (Ben's was the day before the window).
    assert_eq!(
        rows(&annex, 1),
        vec![vec![
            "P1",
            "b) Female",
            "a) WBRI",
            "2019-04-01",
            "6",
            "2025-11-03",
            "q) 6: Police"
        ]]
    );

    // List 2: Ben's early help assessment, completed in the window.
    assert_eq!(
        rows(&annex, 2),
        vec![vec![
            "P2",
            "a) Male",
            "a) WBRI",
            "2015-10-01",
            "9",
            "2025-06-01",
            "2025-10-01",
            "Riverside Primary"
        ]]
    );

    // List 3: both referrals in the window; Ben's closed with nothing done is NFA; Amy's is
    // her second in 12 months? No: the earlier one was in 2023.
    let l3 = rows(&annex, 3);
    assert_eq!(l3.len(), 2);
    assert_eq!(
        l3[0][5..],
        [
            "2025-11-03",
            "q) 6: Police",
            "b) No",
            "1",
            "Safeguarding 1",
            "Sam Worker"
        ]
    );
    assert_eq!(
        l3[1][5..],
        ["2025-12-01", "e) 2A: Schools", "a) Yes", "1", "MASH A", ""]
    );

    // List 4: authorised after the date, so still open: no authorisation, no outcome.
    assert_eq!(
        rows(&annex, 4),
        vec![vec![
            "P1",
            "b) Female",
            "a) WBRI",
            "2019-04-01",
            "6",
            "b) No",
            "2025-11-04",
            "a) Yes",
            "",
            "",
            "Safeguarding 1",
            "Sam Worker"
        ]]
    );

    // List 5: the enquiry, its conference and plan; one enquiry and one ICPC in 12 months.
    assert_eq!(
        rows(&annex, 5)[0][5..],
        [
            "b) No",
            "2025-11-03",
            "b) No",
            "2025-11-24",
            "a) Yes",
            "1",
            "1",
            "Safeguarding 1",
            "Sam Worker"
        ]
    );

    // List 6: Amy's open episode (on a plan) and Ben's closed one; the 2023 episode is out.
    let l6 = rows(&annex, 6);
    assert_eq!(l6.len(), 2);
    assert_eq!(
        l6[0][6..],
        [
            "2025-11-03",
            "N1 - Abuse or neglect",
            "2026-03-02",
            "",
            "",
            "b) Child Protection plan",
            "Safeguarding 1",
            "Sam Worker"
        ]
    );
    assert_eq!(
        l6[1][6..],
        [
            "2025-12-01",
            "",
            "",
            "2025-12-05",
            "RC7 - Services ceased for any other reason, including child no longer in need",
            "e) Closed episode",
            "MASH A",
            ""
        ]
    );

    // List 7: the plan open at the date (the 2023 plan is out but counted as previous); the
    // visit after the date is not yet known; police protection 4 months before.
    assert_eq!(
        rows(&annex, 7),
        vec![vec![
            "P1",
            "b) Female",
            "a) WBRI",
            "2019-04-01",
            "6",
            "b) No",
            "2025-11-24",
            "b) Physical abuse",
            "e) Multiple/not recommended",
            "2026-03-02",
            "b) No",
            "2026-02-23",
            "",
            "Y",
            "1",
            "Safeguarding 1",
            "Sam Worker"
        ]]
    );
    assert_eq!(annex.people(), {
        let mut p = vec![f.amy, f.ben];
        p.sort();
        p
    });
    let _ = f.episode;
}

#[test]
fn an_enquiry_waiting_for_its_conference_stays_on_list_5_and_an_assessment_authorised_shows_its_outcome(
) {
    let mut f = fixture();
    // The enquiry ended long ago but its conference, found needed, was never held.
    f.records.enquiries[0].started_on = d(2025, 1, 6);
    f.records.enquiries[0].completed_on = Some(d(2025, 1, 20));
    f.records.enquiries[0].icpc_held_on = None;
    f.records.assessments[0].authorised_on = Some(d(2026, 1, 15));
    let annex = build(inspection(), &f.records);
    let l5 = rows(&annex, 5);
    assert_eq!(l5.len(), 1);
    assert_eq!(l5[0][6..10], ["2025-01-06", "b) No", "", ""]);
    let l4 = rows(&annex, 4);
    assert_eq!(l4[0][8..10], ["2026-01-15", "a) Yes"]);
    // The episode is on a plan, so its status is the plan's; without the plan and with the
    // assessment authorised, a child in need plan.
    f.records.plans.clear();
    let annex = build(inspection(), &f.records);
    assert_eq!(rows(&annex, 6)[0][11], "c) Child in need plan");
    assert_eq!(rows(&annex, 7).len(), 0);
    let _ = f.ben;
}
