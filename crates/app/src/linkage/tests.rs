//! Reading, checking and linking person CSV files.

use super::*;
use chrono::NaiveDate;
use frontdoor_domain::matching::{compare, MatchModel, PersonDetails};
use frontdoor_domain::person::Sex;

const HEADER: &str =
    "id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn\n";

fn problems(csv: &[u8]) -> Vec<String> {
    let mut found = Problems::default();
    let rows = read_person_rows(csv, &mut found, Reading::Strict);
    match check_for_import(rows, found) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn columns_match_the_generators() {
    assert_eq!(
        PERSON_CSV_COLUMNS.join(","),
        frontdoor_synthetic::PERSON_CSV_HEADER
    );
}

#[test]
fn a_good_file_reads() {
    let csv = format!(
        "{HEADER}a1,Olivia Grace,\"Smith, Jones\",Walker;Brown,2014-03-12,female,ls6 2ab,943 476 5919,P0000012,\r\n\
         a2,\"Jo \"\"JJ\"\"\",O'Brien,,,,,,,\n\n"
    );
    let rows = read_person_file(csv.as_bytes()).expect("reads");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].family_name, "Smith, Jones");
    assert_eq!(rows[0].previous_family_names, ["Walker", "Brown"]);
    assert_eq!(rows[0].sex, Some(Sex::Female));
    assert_eq!(rows[1].given_name, "Jo \"JJ\"");
    assert_eq!(rows[1].line, 3);
    let checked = check_for_import(rows, Problems::default()).expect("valid");
    assert_eq!(checked[0].la_person_id.as_deref(), Some("P0000012"));
    assert_eq!(counter_number("P0000012"), Some(12));
    assert_eq!(counter_number("LA12"), None);
}

#[test]
fn columns_may_come_in_any_order_and_some_may_be_left_out() {
    let csv = b"family_name,id,date_of_birth,given_name\nSmith,x,2001-02-03,Ann\n";
    let rows = read_person_file(csv).expect("reads");
    assert_eq!(rows[0].id, "x");
    assert_eq!(rows[0].given_name, "Ann");
}

#[test]
fn every_problem_names_its_line_and_column() {
    let csv = format!(
        "{HEADER}a1,Ann,Smith,,2014-02-30,female,,,,\n\
         a2,Ann,Smith,,12/03/2014,female,,,,\n\
         a3,Ann,Smith,,2014-03-12,woman,,,,\n\
         a4,Ann,Smith,,2014-03-12,female,LS6 2AB,9434765918,,\n\
         a5,Ann,,,2014-03-12,female,,,,\n\
         a6,Ann,Smith,,2014-03-12,female,XX,,,\n\
         a1,Ann,Smith,,2014-03-12,female,,,,\n\
         a8,Ann,Smith,,2014-03-12\n\
         a9,Ann,Smith,,2014-03-12,female,,,,A12345678901\n"
    );
    let found = problems(csv.as_bytes());
    let expected = [
        "line 2, column date_of_birth: is not a real date",
        "line 3, column date_of_birth: is not a date written YYYY-MM-DD",
        "line 4, column sex: ",
        "line 8, column id: 'a1' is already the id of line 2",
        "line 9, column sex: the row has 5 values but the header has 10",
    ];
    // Structure and common checks come first; the import checks run on rows that pass.
    for e in expected {
        assert!(found.iter().any(|p| p.starts_with(e)), "{e} in {found:#?}");
    }
    let found = problems(
        format!(
            "{HEADER}a4,Ann,Smith,,2014-03-12,female,LS6 2AB,9434765918,,\n\
             a5,Ann,,,2014-03-12,female,,,,\n\
             a6,Ann,Smith,,2014-03-12,female,XX,,,\n\
             a9,Ann,Smith,,2014-03-12,female,,,,A12345678901\n"
        )
        .as_bytes(),
    );
    for e in [
        "line 2, column nhs_number: That NHS number's check digit is wrong",
        "line 3, column family_name: Enter a family name",
        "line 4, column postcode: Enter a full UK postcode",
        "line 5, column upn: ",
    ] {
        assert!(found.iter().any(|p| p.starts_with(e)), "{e} in {found:#?}");
    }
    let found = problems(
        format!("{HEADER}a1,Ann,Smith,Walker\u{1f}Jones,2014-03-12,female,,,,\n").as_bytes(),
    );
    assert!(
        found
            .iter()
            .any(|p| p
                .starts_with("line 2, column previous_family_names: Names cannot hold control")),
        "{found:#?}"
    );
}

#[test]
fn the_header_is_checked() {
    let found = problems(b"id,given_name,surname,date_of_birth\n1,A,B,\n");
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("line 1, column surname: unknown column")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("line 1, column family_name: the header has no")),
        "{found:?}"
    );
    assert_eq!(problems(b""), ["line 1: the file is empty: its first line must be the header id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn,other_id,address"]);
    assert!(problems(b"\xFF\xFEi\x00d\x00")[0].contains("UTF-16"));
}

#[test]
fn invalid_utf8_names_the_line_and_column() {
    let mut csv = HEADER.as_bytes().to_vec();
    csv.extend_from_slice(b"a1,Ann,Smith,,,,,,,\na2,Zo\xEB,Smith,,,,,,,\n");
    assert_eq!(
        problems(&csv),
        ["line 3, column given_name: is not valid UTF-8 (at character 3 of the value): save the file as UTF-8"]
    );
}

#[test]
fn an_unclosed_quote_is_named() {
    let csv = format!("{HEADER}a1,\"Ann,Smith,,,,,,,\n");
    assert_eq!(
        problems(csv.as_bytes()),
        ["line 2, column given_name: a quoted value is not closed: add the closing quote (\")"]
    );
}

#[test]
fn problems_beyond_the_limit_are_counted() {
    let mut csv = HEADER.to_string();
    for i in 0..30 {
        csv.push_str(&format!("a{i},Ann,Smith,,not a date,,,,,\n"));
    }
    let error = read_person_file(csv.as_bytes()).expect_err("bad dates");
    assert_eq!(error.problems.len(), MAX_REPORTED_PROBLEMS);
    assert_eq!(error.more, 10);
    assert!(error
        .to_string()
        .starts_with("the file has 30 problems: line 2, column date_of_birth"));
    assert!(error.to_string().ends_with("; and 10 more."));
}

#[test]
fn lenient_reading_blanks_what_it_cannot_read_and_notes_each_value() {
    let csv = "id,given_name,family_name,date_of_birth,sex,postcode,nhs_number,other_id,address\n\
               a1,Ann,Lee,2014-02-30,female,LS6 2AB,9434765918,hx-7,\"Flat 3, 12 High St\"\n\
               a2,Ben,Cole,2015-25-03,x,??,123,,\n\
               a3,Cara,Dunn,2013-04-05,,,,,\n\
               a3,Dan,Eve,2012-01-01,,,,,\n\
               a5,Eve,Ford,2011-06-07\n";
    let file = read_link_file(csv.as_bytes()).expect("reads");
    let ids: Vec<&str> = file.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);
    let a1 = &file.records[0].record;
    assert!(a1.date_of_birth().is_none());
    assert_eq!(a1.other_id(), Some("HX7"));
    assert_eq!(
        a1.address().map(|a| a.numbers().to_vec()),
        Some(vec!["12".to_string(), "F3".to_string()])
    );
    assert!(
        a1.nhs_number().is_some_and(|n| !n.valid),
        "kept, failing its check digit"
    );
    let a2 = &file.records[1].record;
    let read = a2.date_of_birth().expect("read as a swap");
    assert_eq!(
        read.date(),
        NaiveDate::from_ymd_opt(2015, 3, 25).expect("date")
    );
    assert!(read.read_swapped());
    assert!(a2.postcode().is_none() && a2.nhs_number().is_none() && a2.sex().is_none());
    let noted: Vec<(usize, &str, &str)> = file
        .notes
        .iter()
        .map(|n| (n.line, n.column.as_str(), n.value.as_str()))
        .collect();
    assert_eq!(
        noted,
        [
            (2, "date_of_birth", "2014-02-30"),
            (2, "nhs_number", "9434765918"),
            (3, "date_of_birth", "2015-25-03"),
            (3, "sex", "x"),
            (3, "postcode", "??"),
            (3, "nhs_number", "123"),
            (5, "id", "a3"),
            (6, "sex", "a5,Eve,Ford,2011-06-07"),
        ]
    );
    let summary = file.summary();
    assert_eq!(summary.dates_blanked, 1);
    assert_eq!(summary.dates_read_swapped, 1);
    assert_eq!(summary.nhs_numbers_failing_check_digit, 1);
    assert_eq!(summary.rows_left_out, 2);
    // The same file is refused whole by the strict reading an import uses.
    assert!(read_person_file(csv.as_bytes()).is_err());
}

#[test]
fn address_words_are_weighed_by_their_rarity_in_the_files() {
    let details = |address: &str| PersonDetails {
        given_names: "Ann".into(),
        family_name: "Lee".into(),
        address: Some(address.into()),
        ..Default::default()
    };
    let mut left = vec![
        LinkRecord::new("l1", &details("1 Acacia Road")),
        LinkRecord::new("l2", &details("2 Church Road")),
        LinkRecord::new("l3", &details("3 Church Road")),
    ];
    let mut right = vec![LinkRecord::new("r1", &details("4 Mill Road"))];
    weigh_addresses(&mut [&mut left, &mut right]);
    let weights = |r: &LinkRecord| r.record.address().map(|a| a.weights().to_vec());
    // ROAD is in all four addresses, CHURCH in two, ACACIA in one.
    let acacia = weights(&left[0]).expect("address");
    let church = weights(&left[1]).expect("address");
    assert!(
        acacia[0] > church[0] && church[0] > church[1],
        "{acacia:?} {church:?}"
    );
}

fn record(id: &str, given: &str, family: &str, dob: (i32, u32, u32)) -> LinkRecord {
    LinkRecord::new(
        id,
        &PersonDetails {
            given_names: given.into(),
            family_name: family.into(),
            date_of_birth: NaiveDate::from_ymd_opt(dob.0, dob.1, dob.2),
            postcode: Some("LS6 2AB".into()),
            ..Default::default()
        },
    )
}

#[test]
fn linkage_finds_the_same_person_despite_errors() {
    let model = MatchModel::default();
    let left = [
        record("L1", "William", "Smith", (2014, 3, 12)),
        record("L2", "Aisha", "Khan", (2016, 7, 1)),
        record("L3", "Oliver", "Brown", (2010, 1, 5)),
    ];
    let right = [
        record("R1", "Bill", "Smith", (2014, 12, 3)),
        record("R2", "Ayesha", "Khan", (2016, 7, 1)),
        record("R3", "Zofia", "Nowak", (2001, 9, 9)),
    ];
    let pairs = link_records(&left, &right, &model, 12.0);
    let ids: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| (p.left_id.as_str(), p.right_id.as_str()))
        .collect();
    assert_eq!(ids.len(), 2, "{pairs:?}");
    assert!(ids.contains(&("L1", "R1")) && ids.contains(&("L2", "R2")));
    assert!(pairs[0].score >= pairs[1].score);
    // The score is the one search and the duplicates report give.
    let direct = compare(&left[1].record, &right[1].record, &model).score;
    assert!(pairs.iter().any(|p| p.left_id == "L2" && p.score == direct));
}

#[test]
fn one_to_one_keeps_each_records_best_pair_and_ties() {
    let model = MatchModel::default();
    // Olivia's twin sister Sophie shares her family name, birthday and address: linked
    // with every pair kept, Olivia's record in the other file pairs with both.
    let left = [
        record("L-olivia", "Olivia", "Smith", (2014, 3, 12)),
        record("L-sophie", "Sophie", "Smith", (2014, 3, 12)),
        record("L-ann", "Ann", "Lee", (2001, 2, 3)),
    ];
    let right = [
        record("R-olivia", "Olivia", "Smith", (2014, 3, 12)),
        // Two right records the scores cannot tell apart: both stay, for a person to judge.
        record("R-ann-1", "Ann", "Lee", (2001, 2, 3)),
        record("R-ann-2", "Ann", "Lee", (2001, 2, 3)),
    ];
    let all = link_records(&left, &right, &model, 0.0);
    let with = |pairs: &[LinkedPair], l: &str, r: &str| {
        pairs.iter().any(|p| p.left_id == l && p.right_id == r)
    };
    assert!(with(&all, "L-sophie", "R-olivia"), "{all:?}");
    let best = one_to_one(all.clone());
    assert!(with(&best, "L-olivia", "R-olivia"), "{best:?}");
    assert!(!with(&best, "L-sophie", "R-olivia"), "{best:?}");
    assert!(with(&best, "L-ann", "R-ann-1") && with(&best, "L-ann", "R-ann-2"));
    assert_eq!(best.len(), 3, "{best:?}");
    // Still best first, and every kept pair is one of the pairs found.
    assert!(best.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(best.iter().all(|p| all.contains(p)));
}

#[test]
fn parallel_pairing_visits_every_row_once() {
    for rows in [0, 1, 4_999, 5_000, 12_345] {
        let mut found = in_parallel(rows, |part| {
            part.map(|row| (row as u32, row as u32 + 1, row as f64))
                .collect()
        });
        found.sort_by_key(|pair| pair.0);
        assert_eq!(found.len(), rows);
        assert!(found
            .iter()
            .enumerate()
            .all(|(i, pair)| pair.0 as usize == i && pair.1 as usize == i + 1));
    }
}

#[test]
fn dedupe_reports_each_pair_once() {
    let model = MatchModel::default();
    let records = [
        record("A", "Katarzyna", "Nowak", (2012, 5, 6)),
        record("B", "Kasia", "Nowak", (2012, 5, 6)),
        record("C", "Katarzyna", "Nowak", (2012, 6, 5)),
        record("D", "Tom", "Jones", (1990, 1, 1)),
    ];
    let pairs = dedupe_records(&records, &model, 12.0);
    let mut ids: Vec<(String, String)> =
        pairs.into_iter().map(|p| (p.left_id, p.right_id)).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            ("A".into(), "B".into()),
            ("A".into(), "C".into()),
            ("B".into(), "C".into())
        ]
    );
}

#[test]
fn pairs_are_written_as_csv() {
    let mut out = Vec::new();
    write_pairs_csv(
        &mut out,
        &[LinkedPair {
            left_id: "a,1".into(),
            right_id: "b".into(),
            score: 21.456,
        }],
    )
    .expect("write");
    assert_eq!(
        String::from_utf8_lossy(&out),
        "left_id,right_id,score\n\"a,1\",b,21.46\n"
    );
}

#[tokio::test]
async fn an_import_is_checked_whole_authorised_and_searchable_on_every_backend() {
    use crate::{App, AppError, ImportError, NewAuthority, NewWorker, PersonQuery, Settings};
    use frontdoor_domain::authorization::Role;
    use frontdoor_domain::clock::SystemClock;
    use std::sync::Arc;

    for db in frontdoor_store::testing::all_backends()
        .await
        .expect("databases")
    {
        let app = App::new(db.store.clone(), Arc::new(SystemClock), Settings::default());
        let new_authority = |code: &str| NewAuthority {
            code: code.into(),
            name: format!("{code} Council"),
            front_door_teams: vec!["MASH".into()],
            other_teams: vec![],
            partners: vec![],
        };
        let authority = app
            .create_authority(&new_authority("importshire"))
            .await
            .expect("authority");
        let other = app
            .create_authority(&new_authority("othershire"))
            .await
            .expect("authority");
        let mut actors = Vec::new();
        for (username, role, authority) in [
            ("admin", Role::Administrator, authority),
            ("worker", Role::MashSocialWorker, authority),
            ("other.admin", Role::Administrator, other),
        ] {
            // Front-door roles need a team.
            let team = match role.needs_team() {
                true => app
                    .store
                    .teams(authority)
                    .await
                    .expect("teams")
                    .first()
                    .map(|t| t.id),
                false => None,
            };
            let worker = app
                .add_worker_as_operator(&NewWorker {
                    authority,
                    username: username.into(),
                    display_name: username.into(),
                    role,
                    team,
                    organisation: None,
                    asye: false,
                    password: "a long enough password".into(),
                })
                .await
                .expect("worker");
            actors.push(worker.actor());
        }
        let (admin, worker, other_admin) = (&actors[0], &actors[1], &actors[2]);
        let good = format!(
            "{HEADER}w1,William James,Smith,Walker,2014-03-12,male,LS6 2AB,9434765919,,\n\
             w2,Aisha,Khan,,2016-07-01,female,,,P0000100,\n\
             w3,,Nowak,,,,,,,\n"
        );
        let events_before = app.store.verify_events().await.expect("events").verified;
        for refused in [worker, other_admin] {
            let result = app
                .import_people_csv(Some(refused), authority, good.as_bytes())
                .await;
            assert!(
                matches!(result, Err(ImportError::App(AppError::Denied(_)))),
                "{result:?}"
            );
        }
        let bad = format!("{good}w4,Amy,Lee,,2014-02-30,female,,,,\n");
        let result = app
            .import_people_csv(Some(admin), authority, bad.as_bytes())
            .await;
        match result {
            Err(ImportError::Csv(e)) => assert_eq!(
                e.to_string(),
                "the file has a problem: line 5, column date_of_birth: is not a real date: check the day and the month (YYYY-MM-DD)."
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(app.store.person_count(authority).await.expect("count"), 0);

        let report = app
            .import_people_csv(Some(admin), authority, good.as_bytes())
            .await
            .expect("imported");
        assert_eq!(report.people, 3);
        assert_eq!(app.store.person_count(authority).await.expect("count"), 3);
        assert_eq!(app.store.person_count(other).await.expect("count"), 0);
        // The id given is kept; the counter moves past it for the rows without one.
        let ids = ["P0000100".to_string(), "P0000101".into(), "P0000102".into()];
        let mut used = app
            .store
            .existing_la_person_ids(authority, &ids)
            .await
            .expect("ids");
        used.sort();
        assert_eq!(used, ids, "{}", db.backend());
        let events = app.store.verify_events().await.expect("events");
        // A person_created event for each person, and people_imported for the file.
        assert_eq!(events.verified, events_before + 4, "{}", db.backend());
        assert!(events.first_break.is_none());
        // Imported people are found by search, under a nickname and a previous name.
        let found = app
            .search_people(
                worker,
                &PersonQuery {
                    given_name: "Bill".into(),
                    family_name: "Walker".into(),
                    date_of_birth: "2014-03-12".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("search");
        assert_eq!(
            found.results.first().map(|r| r.person.family_name.as_str()),
            Some("Smith"),
            "{}",
            db.backend()
        );
        db.remove().await;
    }
}

#[tokio::test]
async fn the_duplicates_report_is_calibrated_on_the_authoritys_people_on_every_backend() {
    use crate::{App, NewAuthority, NewWorker, Settings};
    use frontdoor_domain::authorization::Role;
    use frontdoor_domain::clock::SystemClock;
    use frontdoor_synthetic::{
        duplicate_test_set_with, write_labelled_person_csv, DuplicateOptions,
    };
    use std::collections::HashMap;
    use std::sync::Arc;

    // 300 people, a fifth recorded more than once: enough pairs to calibrate on.
    let (records, truth) = duplicate_test_set_with(&DuplicateOptions {
        valid_nhs_numbers_only: true,
        ..DuplicateOptions::new(21, 300, 0.2)
    });
    let mut csv = Vec::new();
    write_labelled_person_csv(&mut csv, &records).expect("csv");
    let record_of_la_id: HashMap<String, String> = records
        .iter()
        .map(|r| (r.record.la_person_id.clone(), r.record.id.clone()))
        .collect();
    let built_in = MatchModel::default();
    for db in frontdoor_store::testing::all_backends()
        .await
        .expect("databases")
    {
        let app = App::new(db.store.clone(), Arc::new(SystemClock), Settings::default());
        let authority = app
            .create_authority(&NewAuthority {
                code: "dupshire".into(),
                name: "Dupshire Council".into(),
                front_door_teams: vec!["MASH".into()],
                other_teams: vec![],
                partners: vec![],
            })
            .await
            .expect("authority");
        let team = app
            .store
            .teams(authority)
            .await
            .expect("teams")
            .first()
            .map(|t| t.id);
        let worker = app
            .add_worker_as_operator(&NewWorker {
                authority,
                username: "worker".into(),
                display_name: "worker".into(),
                role: Role::MashSocialWorker,
                team,
                organisation: None,
                asye: false,
                password: "a long enough password".into(),
            })
            .await
            .expect("worker")
            .actor();
        app.import_people_csv(None, authority, csv.as_slice())
            .await
            .expect("import");
        let pairs = app.likely_duplicates(&worker, 1_000).await.expect("report");
        let same = |p: &crate::DuplicatePair| match (
            record_of_la_id.get(&p.first.la_person_id),
            record_of_la_id.get(&p.second.la_person_id),
        ) {
            (Some(a), Some(b)) => truth.same_person(a, b),
            _ => false,
        };
        let confident: Vec<&crate::DuplicatePair> = pairs.iter().filter(|p| p.confident).collect();
        // Calibrated on a few hundred people, a pair is confident well below the built-in
        // 25-bit band (the prior odds of any one pair are far higher than in a million).
        let built_in_band = built_in.parameters().thresholds.confident;
        assert!(
            confident.iter().any(|p| p.score < built_in_band),
            "{:?}",
            confident.iter().map(|p| p.score).collect::<Vec<_>>()
        );
        // The confident pairs are the ones scoring highest, and nearly all true duplicates.
        let lowest_confident = confident.iter().map(|p| p.score).fold(f64::MAX, f64::min);
        assert!(pairs
            .iter()
            .filter(|p| !p.confident)
            .all(|p| p.score < lowest_confident));
        let right = confident.iter().filter(|p| same(p)).count();
        assert!(
            right as f64 >= 0.9 * confident.len() as f64
                && right * 10 >= truth.pair_count() as usize * 8,
            "{right} of {} confident pairs are duplicates; {} true pairs",
            confident.len(),
            truth.pair_count()
        );
        db.remove().await;
    }
}
