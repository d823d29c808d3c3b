//! `frontdoor persons` as an operator uses it: an import stores every row of a good file and
//! nothing of a bad one (each problem named by line and column, one error line, non-zero exit);
//! `match` links two files or finds duplicates within one, writing `left_id,right_id,score`.

mod support;

use frontdoor_store::{DatabaseUrl, Store};
use frontdoor_synthetic::{duplicate_test_set, linkage_test_set, write_labelled_person_csv, Truth};
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use support::{add_authority, assert_clear_failure, frontdoor, path, stderr, stdout, temp_dir};

const HEADER: &str = "id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn";

/// People in the authority, and which of these LA person ids it uses.
fn stored(url: &str, la_ids: &[&str]) -> (i64, Vec<String>) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = Store::connect(&DatabaseUrl::parse(url).expect("url"))
            .await
            .expect("connect");
        let authority = store
            .authority_by_code("testshire")
            .await
            .expect("query")
            .expect("authority");
        let count = store.person_count(authority).await.expect("count");
        let ids: Vec<String> = la_ids.iter().map(|s| s.to_string()).collect();
        let mut found = store
            .existing_la_person_ids(authority, &ids)
            .await
            .expect("ids");
        found.sort();
        store.close().await;
        (count, found)
    })
}

#[test]
fn persons_commands_explain_themselves() {
    for args in [
        vec!["persons", "--help"],
        vec!["persons", "import", "--help"],
        vec!["persons", "match", "--help"],
    ] {
        let output = frontdoor(&args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let text = stdout(&output);
        assert!(text.contains("Usage"), "{args:?}");
        if args.len() == 3 {
            assert!(text.contains("date_of_birth          YYYY-MM-DD"), "{text}");
        }
    }
    let output = frontdoor(&["persons", "match", "--out", "x.csv"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn a_good_file_is_imported_and_a_bad_one_stores_nothing() {
    let dir = temp_dir("import");
    let url = format!("sqlite://{}", dir.join("people.db").display());
    let added = frontdoor(&[
        "--database",
        &url,
        "authority",
        "add",
        "--code",
        "testshire",
        "--name",
        "Testshire Council",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));

    let write = |name: &str, content: &[u8]| {
        let file = dir.join(name);
        std::fs::write(&file, content).expect("write");
        file
    };
    let import = |file: &Path| {
        frontdoor(&[
            "--database",
            &url,
            "persons",
            "import",
            "--authority",
            "testshire",
            path(file),
        ])
    };

    let good = write(
        "good.csv",
        format!(
            "{HEADER}\r\n\
             a1,Olivia Grace,Smith-Jones,Walker,2014-03-12,female,LS6 2AB,943 476 5919,P0000010,\r\n\
             a2,\"Jo, known as JJ\",O'Brien,,2016-11-30,male,,,,\r\n\
             a3,,Nowak,,,,,,,\r\n"
        )
        .as_bytes(),
    );
    let output = import(&good);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Imported 3 people"),
        "{}",
        stdout(&output)
    );
    // Kept ids are kept; the others are numbered after them.
    assert_eq!(
        stored(&url, &["P0000010", "P0000011", "P0000012"]),
        (
            3,
            vec!["P0000010".into(), "P0000011".into(), "P0000012".into()]
        )
    );

    let ok_row = "b1,Amir,Khan,,2015-01-02,male,,,,";
    let bad: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "bad_date.csv",
            format!("{HEADER}\n{ok_row}\nb2,Amy,Lee,,2014-02-30,female,,,,\n").into_bytes(),
            vec!["line 3, column date_of_birth: is not a real date", "Nothing was imported"],
        ),
        (
            // Matching reads this as a day and month swap; an import takes nothing on trust.
            "swapped_date.csv",
            format!("{HEADER}\n{ok_row}\nb2,Amy,Lee,,2014-25-03,female,,,,\n").into_bytes(),
            vec!["line 3, column date_of_birth: is not a real date", "Nothing was imported"],
        ),
        (
            "other_id.csv",
            format!("{HEADER},other_id\nb2,Amy,Lee,,2014-02-03,female,,,,,HX1\n").into_bytes(),
            vec!["line 2, column other_id: is for matching only"],
        ),
        (
            "us_date.csv",
            format!("{HEADER}\n{ok_row}\nb2,Amy,Lee,,03/12/2014,female,,,,\n").into_bytes(),
            vec!["line 3, column date_of_birth: is not a date written YYYY-MM-DD"],
        ),
        (
            "bad_nhs.csv",
            format!("{HEADER}\nb2,Amy,Lee,,2014-02-03,female,,9434765918,,\n{ok_row}\n")
                .into_bytes(),
            vec!["line 2, column nhs_number: That NHS number's check digit is wrong"],
        ),
        (
            "missing_column.csv",
            b"id,given_name,date_of_birth\nb2,Amy,2014-02-03\n".to_vec(),
            vec!["line 1, column family_name: the header has no 'family_name' column"],
        ),
        (
            "short_row.csv",
            format!("{HEADER}\n{ok_row}\nb2,Amy,Lee,,2014-02-03,female\n").into_bytes(),
            vec!["line 3, column postcode: the row has 6 values but the header has 10"],
        ),
        (
            "latin1.csv",
            [
                format!("{HEADER}\n{ok_row}\n").as_bytes(),
                b"b2,Zo\xEB,Lee,,2014-02-03,female,,,,\n",
            ]
            .concat(),
            vec!["line 3, column given_name: is not valid UTF-8"],
        ),
        (
            "several.csv",
            format!(
                "{HEADER}\n{ok_row}\nb2,Amy,,,2014-02-03,female,,,,\nb3,Amy,Lee,,2014-02-03,female,LS6,,,\nb4,Amy,Lee,,2014-02-03,woman,,,,\n"
            )
            .into_bytes(),
            vec![
                "3 problems: line 3, column family_name",
                "line 4, column postcode",
                "line 5, column sex",
            ],
        ),
    ];
    for (name, content, expected) in bad {
        let output = import(&write(name, &content));
        assert_clear_failure(&output, &expected);
        assert!(
            stderr(&output).contains(name),
            "the file is named: {}",
            stderr(&output)
        );
        assert_eq!(stored(&url, &[]).0, 3, "{name}: nothing imported");
    }
    // Problems found by the import checks are all reported together.
    let output = import(&write(
        "import_checks.csv",
        format!(
            "{HEADER}\n{ok_row}\nb2,Amy,,,2014-02-03,female,,,,\nb3,Amy,Lee,,2014-02-03,female,LS6,,,\n"
        )
        .as_bytes(),
    ));
    assert_clear_failure(
        &output,
        &[
            "line 3, column family_name: Enter a family name;",
            "line 4, column postcode: Enter a full UK postcode",
        ],
    );
    // The same file again is refused, saying when it was imported.
    let output = import(&good);
    assert_clear_failure(
        &output,
        &[
            "this file was already imported into this authority",
            "3 people",
        ],
    );
    assert_eq!(stored(&url, &[]).0, 3);
    // An LA person id already in use stops the whole file, naming the line.
    let clash = write(
        "clash.csv",
        format!(
            "{HEADER}
{ok_row}
c2,Olivia,Smith,,2014-03-12,female,,,P0000010,
"
        )
        .as_bytes(),
    );
    let output = import(&clash);
    assert_clear_failure(
        &output,
        &["line 3, column la_person_id: is already the LA person id of someone"],
    );
    assert_eq!(stored(&url, &[]).0, 3);
    let _ = std::fs::remove_dir_all(&dir);
}

fn read_pairs(file: &Path) -> Vec<(String, String, f64)> {
    let text = std::fs::read_to_string(file).expect("pairs");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("left_id,right_id,score"));
    lines
        .map(|line| {
            let parts: Vec<&str> = line.split(',').collect();
            assert_eq!(parts.len(), 3, "{line}");
            (
                parts[0].to_string(),
                parts[1].to_string(),
                parts[2].parse().expect("score"),
            )
        })
        .collect()
}

fn precision_recall(pairs: &[(String, String, f64)], truth: &Truth) -> (f64, f64) {
    let correct = pairs
        .iter()
        .filter(|(a, b, _)| truth.same_person(a, b))
        .count();
    (
        correct as f64 / pairs.len().max(1) as f64,
        correct as f64 / truth.pair_count().max(1) as f64,
    )
}

/// The threshold the summary line reports ("... score at least 15.31 bits ...").
fn reported_threshold(summary: &str) -> f64 {
    let after = summary
        .split("score at least ")
        .nth(1)
        .unwrap_or_else(|| panic!("no threshold in {summary}"));
    after
        .split(" bits")
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no threshold in {summary}"))
}

#[test]
fn match_links_two_files_and_finds_duplicates_within_one() {
    let dir = temp_dir("match");
    let set = linkage_test_set(7, 400, 0.5);
    let left = dir.join("left.csv");
    let right = dir.join("right.csv");
    write_labelled_person_csv(std::fs::File::create(&left).expect("create"), &set.left)
        .expect("write");
    write_labelled_person_csv(std::fs::File::create(&right).expect("create"), &set.right)
        .expect("write");
    // Links the two files into `out` with `extra` options.
    let link = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "persons",
            "match",
            "--left",
            path(&left),
            "--right",
            path(&right),
            "--out",
            path(out),
        ];
        args.extend_from_slice(extra);
        let output = frontdoor(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        output
    };
    let out = dir.join("pairs.csv");
    let output = link(&out, &[]);
    let summary = stdout(&output);
    assert!(summary.contains("(400 records)"), "{summary}");
    // Calibrated on the files: the estimated matches and the threshold at even odds.
    assert!(
        summary.contains("calibrated on the files: about ")
            && summary.contains("rule: match probability at least 0.5"),
        "{summary}"
    );
    let threshold = reported_threshold(&summary);
    assert!(
        (8.0..25.0).contains(&threshold),
        "a threshold at even odds for 400 x 400 records: {threshold}"
    );
    // The generator mistypes some NHS numbers (one digit wrong, failing the check digit):
    // kept and counted, nothing else.
    assert!(
        summary.contains("Read leniently: ")
            && summary.contains(" NHS numbers failing the check digit (kept); each is listed in"),
        "{summary}"
    );
    let pairs = read_pairs(&out);
    let (precision, recall) = precision_recall(&pairs, &set.truth);
    assert!(precision >= 0.97 && recall >= 0.85, "{precision} {recall}");
    assert!(pairs.windows(2).all(|w| w[0].2 >= w[1].2), "best first");
    // Scores are written with two decimals, rounded.
    assert!(pairs.iter().all(|p| p.2 >= threshold - 0.005));
    // Linking two files keeps each record's best pair only (ties aside, which a set of this
    // size does not have): no record is in two pairs.
    let lefts: HashSet<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
    let rights: HashSet<&str> = pairs.iter().map(|p| p.1.as_str()).collect();
    assert_eq!(lefts.len(), pairs.len());
    assert_eq!(rights.len(), pairs.len());

    // --all-pairs keeps every pair above its threshold: a record may be in several.
    let every = dir.join("every.csv");
    let output = link(&every, &["--all-pairs"]);
    let every_threshold = reported_threshold(&stdout(&output));
    let every_pair = read_pairs(&every);
    assert!(every_pair.iter().all(|p| p.2 >= every_threshold - 0.005));
    let best_above: HashSet<(&str, &str)> = pairs
        .iter()
        .filter(|p| p.2 >= every_threshold)
        .map(|p| (p.0.as_str(), p.1.as_str()))
        .collect();
    assert!(best_above.iter().all(|pair| every_pair
        .iter()
        .any(|p| (p.0.as_str(), p.1.as_str()) == *pair)));

    // A fixed rule: the built-in parameters and the given threshold.
    let strict = dir.join("strict.csv");
    let output = link(&strict, &["--threshold", "40"]);
    assert!(
        stdout(&output).contains("fixed rule: score at least 40 bits"),
        "{}",
        stdout(&output)
    );
    let strict_pairs = read_pairs(&strict);
    assert!(strict_pairs.len() < pairs.len());
    assert!(strict_pairs.iter().all(|p| p.2 >= 40.0));
    // A negative threshold parses, as a number of bits, and lets in pairs scoring below zero.
    let loose = dir.join("loose.csv");
    link(&loose, &["--threshold", "-3", "--all-pairs"]);
    let loose_pairs = read_pairs(&loose);
    assert!(loose_pairs.iter().all(|p| p.2 >= -3.0));
    assert!(loose_pairs.iter().any(|p| p.2 < 0.0));
    assert!(
        loose_pairs.len() > every_pair.len(),
        "a lower threshold keeps more pairs"
    );

    let (records, truth) = duplicate_test_set(7, 400, 0.2);
    let people = dir.join("people.csv");
    write_labelled_person_csv(std::fs::File::create(&people).expect("create"), &records)
        .expect("write");
    let output = frontdoor(&[
        "persons",
        "match",
        "--dedupe",
        path(&people),
        "--out",
        path(&out),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("calibrated on the files"),
        "{}",
        stdout(&output)
    );
    let pairs = read_pairs(&out);
    let (precision, recall) = precision_recall(&pairs, &truth);
    assert!(precision >= 0.95 && recall >= 0.8, "{precision} {recall}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn match_reads_what_it_can_and_lists_the_rest_while_import_refuses_it() {
    let dir = temp_dir("lenient");
    let set = linkage_test_set(11, 300, 0.5);
    let left = dir.join("left.csv");
    write_labelled_person_csv(std::fs::File::create(&left).expect("create"), &set.left)
        .expect("write");
    // Another source's file: an impossible date, a day/month swap past 12, an unreadable
    // postcode and NHS number, an NHS number failing its check digit, a bad sex code, a
    // row without an id, and an other system's key.
    let right = dir.join("right.csv");
    std::fs::write(
        &right,
        format!(
            "{HEADER},other_id\n\
             r1,Ann,Lee,,2014-02-30,female,LS6 2AB,,,,HX-1\n\
             r2,Ben,Cole,,2015-25-03,male,not known,12345,,,\n\
             r3,Cara,Dunn,,2013-04-05,f?,LS6 2AB,943 476 5918,,,\n\
             ,Dan,Eve,,2012-01-01,male,,,,,\n\
             r5,Eve,Ford,,2011-06-07,female,LS7 3CD,943 476 5919,,,\n"
        ),
    )
    .expect("write");
    let out = dir.join("pairs.csv");
    let output = frontdoor(&[
        "persons",
        "match",
        "--left",
        path(&left),
        "--right",
        path(&right),
        "--out",
        path(&out),
        "--all-pairs",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stdout(&output);
    assert!(summary.contains("(4 records)"), "{summary}");
    let report = dir.join("pairs-reading-report.csv");
    assert!(
        summary.contains(
            "Read leniently: 1 date of birth treated as blank, 1 date of birth read with day and month swapped, 1 postcode treated as blank, 1 NHS number treated as blank (not ten digits), 1 NHS number failing the check digit (kept), 1 other value treated as blank, 1 row left out"
        ),
        "{summary}"
    );
    assert!(summary.contains(path(&report)), "{summary}");
    let text = std::fs::read_to_string(&report).expect("report");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "file,line,column,value,what_was_done");
    let right_name = path(&right);
    let expected = [
        (
            2,
            "date_of_birth",
            "2014-02-30",
            "treated as blank: is not a real date",
        ),
        (
            3,
            "date_of_birth",
            "2015-25-03",
            "read as 2015-03-25 (day and month swapped",
        ),
        (
            3,
            "postcode",
            "not known",
            "treated as blank: is not a UK postcode",
        ),
        (
            3,
            "nhs_number",
            "12345",
            "treated as blank: is not an NHS number",
        ),
        (4, "sex", "f?", "treated as blank: is not a sex code"),
        (
            4,
            "nhs_number",
            "943 476 5918",
            "kept: fails the NHS number check digit",
        ),
        (5, "id", "", "row left out: is blank"),
    ];
    for (line, column, value, what) in expected {
        let start = format!("{right_name},{line},{column},{value},");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&start)
                    && l[start.len()..].trim_matches('"').starts_with(what)),
            "no '{start}{what}' in:\n{text}"
        );
    }
    assert_eq!(lines.len(), 1 + expected.len(), "{text}");
    // Too few records to estimate from: the built-in parameters, and the summary says why.
    assert!(
        summary.contains("could not calibrate on the files"),
        "{summary}"
    );

    // --report puts the report elsewhere.
    let elsewhere = dir.join("what-was-read.csv");
    let output = frontdoor(&[
        "persons",
        "match",
        "--dedupe",
        path(&right),
        "--out",
        path(&out),
        "--report",
        path(&elsewhere),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read_to_string(&elsewhere)
        .expect("report")
        .contains("2015-25-03"));

    // A file that cannot be read as a whole still fails, naming the problem.
    let broken = dir.join("broken.csv");
    std::fs::write(&broken, "id,given_name,surname,date_of_birth\n1,A,B,\n").expect("write");
    let none = dir.join("none.csv");
    let output = frontdoor(&[
        "persons",
        "match",
        "--dedupe",
        path(&broken),
        "--out",
        path(&none),
    ]);
    assert_clear_failure(
        &output,
        &["broken.csv", "line 1, column surname: unknown column"],
    );
    assert!(!none.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `count` rows of distinct, valid people with no LA person id (so only the file's hash can
/// tell a repeat).
fn generated_people(count: usize) -> String {
    const GIVEN: [&str; 8] = ["Ann", "Bob", "Cara", "Dev", "Ela", "Finn", "Gus", "Hana"];
    let letters = |mut n: usize| {
        let mut s = String::new();
        for _ in 0..4 {
            s.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
        }
        s
    };
    let mut csv = format!("{HEADER}\n");
    for i in 0..count {
        csv.push_str(&format!(
            "g{i},{},Mc{},,20{:02}-{:02}-{:02},female,,,,\n",
            GIVEN[i % GIVEN.len()],
            letters(i),
            i % 20,
            1 + i % 12,
            1 + i % 28
        ));
    }
    csv
}

/// A new database on each backend available: SQLite, and PostgreSQL when
/// FRONTDOOR_TEST_POSTGRES is set (the database is dropped by `cleanup`).
fn databases(dir: &Path) -> Vec<(String, Option<frontdoor_store::testing::TestDatabase>)> {
    let mut urls = vec![(
        format!("sqlite://{}", dir.join("people.db").display()),
        None,
    )];
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    if let Some(db) = runtime
        .block_on(frontdoor_store::testing::postgres())
        .expect("postgres")
    {
        let DatabaseUrl::Postgres(url) = db.url.clone() else {
            panic!("a PostgreSQL URL");
        };
        urls.push((url, Some(db)));
    }
    urls
}

fn cleanup(db: Option<frontdoor_store::testing::TestDatabase>) {
    if let Some(db) = db {
        tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(db.remove());
    }
}

#[test]
fn an_import_killed_part_way_stores_no_one_on_every_backend() {
    let dir = temp_dir("killed");
    let file = dir.join("people.csv");
    std::fs::write(&file, generated_people(30_000)).expect("write");
    for (url, db) in databases(&dir) {
        add_authority(&url, "testshire", "Testshire Council", &[]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_frontdoor"))
            .args([
                "--database",
                &url,
                "persons",
                "import",
                "--authority",
                "testshire",
            ])
            .arg(&file)
            .env_remove("FRONTDOOR_DATABASE_URL")
            .env("FRONTDOOR_LOG", "error")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Wait until 2,000 people have been written (inside the transaction), then kill -9.
        let progress = std::io::BufReader::new(child.stderr.take().expect("stderr"));
        let mut seen = Vec::new();
        for line in std::io::BufRead::lines(progress) {
            let line = line.expect("line");
            seen.push(line.clone());
            if line.starts_with("Storing: 2000 of 30000") {
                break;
            }
        }
        assert!(
            seen.last()
                .is_some_and(|l| l.starts_with("Storing: 2000 of 30000")),
            "{url}: {seen:?}"
        );
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        assert!(!status.success(), "killed before it finished");
        assert_eq!(
            stored(&url, &[]).0,
            0,
            "{url}: a killed import leaves no one"
        );
        let verified = frontdoor(&["--database", &url, "audit", "verify"]);
        assert!(verified.status.success(), "{}", stderr(&verified));
        cleanup(db);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_same_file_twice_is_imported_once_unless_again_on_every_backend() {
    let dir = temp_dir("twice");
    let file = dir.join("people.csv");
    std::fs::write(&file, generated_people(120)).expect("write");
    for (url, db) in databases(&dir) {
        add_authority(&url, "testshire", "Testshire Council", &[]);
        let import = |extra: &[&str]| {
            let mut args = vec![
                "--database",
                &url,
                "persons",
                "import",
                "--authority",
                "testshire",
            ];
            args.extend_from_slice(extra);
            args.push(path(&file));
            frontdoor(&args)
        };
        let first = import(&[]);
        assert!(first.status.success(), "{}", stderr(&first));
        assert!(
            stdout(&first).contains("Imported 120 people"),
            "{}",
            stdout(&first)
        );
        assert_eq!(stored(&url, &[]).0, 120);

        let second = import(&[]);
        assert_clear_failure(
            &second,
            &[
                "people.csv",
                "this file was already imported into this authority on",
                "120 people; nothing was imported",
                "--again",
            ],
        );
        assert_eq!(stored(&url, &[]).0, 120, "{url}: the same count");

        let again = import(&["--again"]);
        assert!(again.status.success(), "{}", stderr(&again));
        assert!(
            stdout(&again).contains("imported again as asked"),
            "{}",
            stdout(&again)
        );
        assert_eq!(stored(&url, &[]).0, 240);
        let verified = frontdoor(&["--database", &url, "audit", "verify"]);
        assert!(verified.status.success(), "{}", stderr(&verified));
        cleanup(db);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
