//! `frontdoor returns cin-census` on a small synthetic authority (the demo, on every backend):
//! the census of the latest complete year is written with no error by the ported rules, and —
//! when installed (scripts/install-cin-validator.sh; CI requires it) — the DfE's own validator
//! finds no error in the file either. `frontdoor returns annex-a` writes the demo's Ofsted
//! Annex A as a workbook and seven CSVs, and openpyxl (installed beside the validator) reads the
//! workbook as the CSVs say. Bad input is one clear error line.

mod support;

use frontdoor_domain::returns::cin_census::CensusYear;
use std::path::PathBuf;
use std::process::Command;
use support::*;

fn validator() -> Option<(PathBuf, PathBuf)> {
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
    eprintln!("SKIPPED: the DfE validator is not installed ({}); the census was checked by the ported rules only. Run scripts/install-cin-validator.sh.", python.display());
    None
}

#[test]
fn the_demo_census_has_no_error_by_the_ported_rules_or_the_dfe_validator() {
    on_every_backend(|url| {
        succeeds(
            url,
            &[
                "demo",
                "--no-serve",
                "--contacts-per-year",
                "400",
                "--years",
                "2",
            ],
        );
        let year = CensusYear::latest_complete(chrono::Utc::now().date_naive())
            .year()
            .to_string();
        let dir = temp_dir("census");
        let file = dir.join("census.xml");
        let printed = succeeds(
            url,
            &[
                "returns",
                "cin-census",
                "--year",
                &year,
                "--out",
                path(&file),
            ],
        );
        assert!(printed.contains("found 0 error(s)"), "{printed}");
        let xml = std::fs::read_to_string(&file).expect("census written");
        assert!(xml.contains(&format!("<ReferenceDate>{year}-03-31</ReferenceDate>")));
        assert!(xml.contains("<LEA>001</LEA>"));
        assert!(xml.matches("<Child>").count() > 50, "a census with content");
        assert!(xml.contains("<CINclosureDate>"), "episodes close");
        assert!(xml.contains("<PrimaryNeedCode>N1</PrimaryNeedCode>"));

        if let Some((python, script)) = validator() {
            let output = Command::new(python)
                .arg(script)
                .arg(&file)
                .output()
                .expect("the validator runs");
            let found: serde_json::Value =
                serde_json::from_slice(&output.stdout).expect("the validator's report");
            eprintln!("{}", String::from_utf8_lossy(&output.stderr).trim());
            let errors: Vec<&serde_json::Value> = found["issues"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(found["whole_return"].as_array().into_iter().flatten())
                .filter(|i| i["type"] == "ERROR")
                .collect();
            assert!(
                errors.is_empty(),
                "the DfE validator found errors: {errors:?}"
            );
            assert_eq!(found["rules_that_failed_to_run"], serde_json::json!([]));
            assert!(output.status.success());
        }
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
fn bad_years_and_la_numbers_are_one_clear_error() {
    let dir = temp_dir("census_input");
    let url = format!("sqlite://{}", dir.join("r.db").display());
    add_authority(&url, "testshire", "Testshire Council", &[]);
    let out = dir.join("c.xml");
    fails(
        &url,
        &[
            "returns",
            "cin-census",
            "--year",
            "1999",
            "--out",
            path(&out),
        ],
        "--year",
    );
    fails(
        &url,
        &[
            "authority",
            "la-number",
            "--authority",
            "testshire",
            "--number",
            "98",
        ],
        "three digits",
    );
    succeeds(
        &url,
        &[
            "authority",
            "la-number",
            "--authority",
            "testshire",
            "--number",
            "938",
        ],
    );
    // One authority: --authority may be left out; no children yet, so nothing to put right
    // but the whole-return queries about disabilities.
    let printed = succeeds(
        &url,
        &[
            "returns",
            "cin-census",
            "--year",
            "2026",
            "--out",
            path(&out),
        ],
    );
    assert!(printed.contains("0 children"), "{printed}");
    let xml = std::fs::read_to_string(&out).expect("written");
    assert!(xml.contains("<LEA>938</LEA>") && xml.contains("<Children>"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Python with openpyxl (the CIN validator's virtualenv, where scripts/install-cin-validator.sh
/// puts openpyxl too) and the Annex A check script; `None` means skipped, which CI refuses.
fn openpyxl() -> Option<(PathBuf, PathBuf)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = std::env::var_os("FRONTDOOR_CIN_VALIDATOR_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".cin-validator/bin/python"));
    let has_openpyxl = python.exists()
        && Command::new(&python)
            .args(["-c", "import openpyxl"])
            .status()
            .is_ok_and(|s| s.success());
    if has_openpyxl {
        return Some((python, root.join("scripts/annex-a-check.py")));
    }
    if std::env::var_os("FRONTDOOR_REQUIRE_CIN_VALIDATOR").is_some() {
        panic!(
            "openpyxl is required but not installed with {}: run scripts/install-cin-validator.sh",
            python.display()
        );
    }
    eprintln!("SKIPPED: openpyxl is not installed ({}); the workbook was read back by calamine only (in the app's tests). Run scripts/install-cin-validator.sh.", python.display());
    None
}

#[test]
fn annex_a_of_the_demo_is_a_workbook_openpyxl_reads_as_its_csvs_say() {
    on_every_backend(|url| {
        succeeds(
            url,
            &[
                "demo",
                "--no-serve",
                "--contacts-per-year",
                "300",
                "--years",
                "1",
            ],
        );
        let today = chrono::Utc::now().date_naive().to_string();
        let dir = temp_dir("annex_a");
        let book = dir.join("annex-a.xlsx");
        let csvs = dir.join("csv");
        let printed = succeeds(
            url,
            &[
                "returns",
                "annex-a",
                "--date",
                &today,
                "--out",
                path(&book),
                "--csv-dir",
                path(&csvs),
            ],
        );
        assert!(printed.contains("List 7:"), "{printed}");
        // Each list's count as printed, and its CSV's lines.
        let printed_rows = |n: usize| -> usize {
            printed
                .lines()
                .find_map(|l| l.trim().strip_prefix(&format!("List {n}: ")))
                .and_then(|rest| rest.split(' ').next())
                .and_then(|count| count.parse().ok())
                .unwrap_or_else(|| panic!("list {n}'s count in {printed}"))
        };
        assert!(printed_rows(1) > 0, "the demo's contacts");
        for n in 1..=7 {
            let csv = std::fs::read_to_string(csvs.join(format!("annex-a-{today}-list-{n}.csv")))
                .expect("csv written");
            assert_eq!(csv.lines().count(), printed_rows(n) + 1, "list {n}");
            let headings = frontdoor_domain::returns::annex_a::headings(n).join(",");
            assert!(
                csv.starts_with(&headings),
                "list {n}: {}",
                csv.lines().next().unwrap_or("")
            );
        }
        assert_eq!(&std::fs::read(&book).expect("workbook")[..2], b"PK");

        if let Some((python, script)) = openpyxl() {
            let output = Command::new(python)
                .arg(script)
                .arg(&book)
                .arg(&csvs)
                .output()
                .expect("the check runs");
            let found: serde_json::Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
            assert_eq!(found["mismatches"], serde_json::json!([]), "{found}");
            assert!(output.status.success());
            let sheets = found["sheets"].as_array().cloned().unwrap_or_default();
            let names: Vec<&str> = sheets.iter().filter_map(|s| s["name"].as_str()).collect();
            assert_eq!(
                names,
                ["List 1", "List 2", "List 3", "List 4", "List 5", "List 6", "List 7"]
            );
            for (n, sheet) in sheets.iter().enumerate() {
                assert_eq!(sheet["rows"], printed_rows(n + 1), "{}", sheet["name"]);
                assert_eq!(
                    sheet["headings"],
                    serde_json::json!(frontdoor_domain::returns::annex_a::headings(n + 1))
                );
            }
            // Codes as Annex A writes them, as openpyxl reads them.
            let genders = &sheets[0]["values"]["Gender"];
            for value in genders.as_array().into_iter().flatten() {
                assert!(
                    [
                        "a) Male",
                        "b) Female",
                        "c) Not stated/recorded",
                        "d) Neither"
                    ]
                    .contains(&value.as_str().unwrap_or_default()),
                    "{value}"
                );
            }
            let sources = &sheets[0]["values"]["Contact Source"];
            assert!(sources.as_array().into_iter().flatten().all(|s| s
                .as_str()
                .is_some_and(|s| s.contains(") ") && s.contains(": "))));
        }
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
fn a_bad_inspection_date_is_one_clear_error() {
    let dir = temp_dir("annex_a_input");
    let url = format!("sqlite://{}", dir.join("r.db").display());
    add_authority(&url, "testshire", "Testshire Council", &[]);
    let out = dir.join("a.xlsx");
    fails(
        &url,
        &[
            "returns",
            "annex-a",
            "--date",
            "31/03/2026",
            "--out",
            path(&out),
        ],
        "--date",
    );
    fails(
        &url,
        &["returns", "annex-a", "--date", "2026-03-31"],
        "--out",
    );
    let printed = succeeds(
        &url,
        &[
            "returns",
            "annex-a",
            "--date",
            "2026-03-31",
            "--out",
            path(&out),
        ],
    );
    assert!(printed.contains("List 1: 0 row(s)"), "{printed}");
    let _ = std::fs::remove_dir_all(&dir);
}
