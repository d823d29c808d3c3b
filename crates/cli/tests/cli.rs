//! The `frontdoor` binary as an operator uses it: help, clear one-line errors with a non-zero
//! exit for bad input (never a panic), demo set-up, and `audit verify` before and after tampering.

mod support;

use support::{assert_clear_failure, frontdoor, frontdoor_on, stderr, temp_dir, user_add};

#[test]
fn every_command_explains_itself() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
        vec!["user", "add", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["authority", "add", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
    ] {
        let output = frontdoor(&args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let output = frontdoor(&["serve", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unexpected argument '--no-such-flag'"));
}

#[test]
fn an_unreadable_or_invalid_configuration_is_named() {
    let output = frontdoor(&["--config", "/nonexistent/frontdoor.toml", "migrate"]);
    assert_clear_failure(
        &output,
        &["cannot read the configuration file /nonexistent/frontdoor.toml"],
    );
    let dir = temp_dir("config");
    let file = dir.join("frontdoor.toml");
    std::fs::write(&file, "listen = 8080\nsurprise = true\n").expect("write");
    let output = frontdoor(&["--config", file.to_str().expect("path"), "migrate"]);
    assert_clear_failure(&output, &["is not valid"]);
}

#[test]
fn a_wrong_database_url_is_named() {
    assert_clear_failure(
        &frontdoor(&["--database", "mysql://root@localhost/x", "migrate"]),
        &["is not understood"],
    );
    assert_clear_failure(
        &frontdoor(&[
            "--database",
            "postgres://nobody:secret@127.0.0.1:1/none",
            "migrate",
        ]),
        &["Cannot open the database"],
    );
    let output = frontdoor(&[
        "--database",
        "postgres://nobody:secret@127.0.0.1:1/none",
        "migrate",
    ]);
    assert!(
        !stderr(&output).contains("secret"),
        "the password must not be printed"
    );
    assert_clear_failure(
        &frontdoor(&["--database", "sqlite:///nonexistent-dir/x/y.db", "migrate"]),
        &["Cannot open the database"],
    );
}

#[test]
fn the_demo_sets_up_and_audit_verify_catches_tampering() {
    let dir = temp_dir("demo");
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let output = frontdoor(&[
        "--database",
        &url,
        "demo",
        "--no-serve",
        "--contacts-per-year",
        "100",
        "--years",
        "1",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("frontdoor-demo"));

    let verified = frontdoor(&["--database", &url, "audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("chain intact"));

    // A database edited by hand: alter one event's payload.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = frontdoor_store::Store::connect(
            &frontdoor_store::DatabaseUrl::parse(&url).expect("url"),
        )
        .await
        .expect("connect");
        let changed = frontdoor_store::testing::execute_directly(
            &store,
            "UPDATE events SET payload = '{\"edited\":true}' WHERE sequence = 2",
        )
        .await
        .expect("tamper");
        assert_eq!(changed, 1);
        store.close().await;
    });
    let tampered = frontdoor(&["--database", &url, "audit", "verify"]);
    assert!(!tampered.status.success());
    let stdout = String::from_utf8_lossy(&tampered.stdout);
    assert!(stdout.contains("entry 2 was altered"), "{stdout}");

    // Local closure days are set per authority; a bad date is named.
    let closures = frontdoor(&[
        "--database",
        &url,
        "authority",
        "closures",
        "--authority",
        "northshire",
        "--days",
        "2026-12-24,2026-12-31",
    ]);
    assert!(closures.status.success(), "{}", stderr(&closures));
    assert!(String::from_utf8_lossy(&closures.stdout).contains("2 local closure day(s)"));
    assert_clear_failure(
        &frontdoor(&[
            "--database",
            &url,
            "authority",
            "closures",
            "--authority",
            "northshire",
            "--days",
            "2026-13-01",
        ]),
        &["'2026-13-01' is not a date"],
    );

    // A user can be added from the command line, with the password from the environment.
    let team = ["--team", "MASH team B", "--asye"];
    let args = user_add(
        "northshire",
        "new.worker",
        "New Worker",
        "mash_social_worker",
        &team,
    );
    let added = frontdoor_on(&url, &args);
    assert!(added.status.success(), "{}", stderr(&added));
    let args = user_add("northshire", "new.worker", "Again", "nonsense", &[]);
    let duplicate = frontdoor_on(&url, &args);
    assert_clear_failure(&duplicate, &["unknown role 'nonsense'"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_database_from_a_newer_frontdoor_is_refused() {
    let dir = temp_dir("newer");
    let url = format!("sqlite://{}", dir.join("x.db").display());
    assert!(frontdoor(&["--database", &url, "migrate"]).status.success());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = frontdoor_store::Store::connect(&frontdoor_store::DatabaseUrl::parse(&url).expect("url")).await.expect("connect");
        frontdoor_store::testing::execute_directly(&store, "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (99990101000000, 'future', CURRENT_TIMESTAMP, TRUE, X'00', 0)").await.expect("future");
        store.close().await;
    });
    assert_clear_failure(
        &frontdoor(&["--database", &url, "migrate"]),
        &["newer than this frontdoor understands"],
    );
    assert_clear_failure(
        &frontdoor(&["--database", &url, "audit", "verify"]),
        &["newer than this frontdoor understands"],
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_database_url_naming_no_file_is_refused() {
    for url in [
        "sqlite:",
        "sqlite://",
        "sqlite::memory:",
        "sqlite://x.db?mode=memory",
    ] {
        let output = frontdoor(&["--database", url, "migrate"]);
        assert_clear_failure(
            &output,
            &["names no file: give the path of the database file"],
        );
    }
}

#[test]
fn a_command_that_only_reads_never_creates_a_database() {
    let dir = temp_dir("mistyped");
    let mistyped = dir.join("frontdor.db");
    let url = format!("sqlite://{}", mistyped.display());
    let output = frontdoor(&["--database", &url, "audit", "verify"]);
    assert_clear_failure(&output, &["There is no database file at"]);
    assert!(
        stderr(&output).contains("frontdor.db"),
        "{}",
        stderr(&output)
    );
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert!(left.is_empty(), "nothing created: {left:?}");
    let output = frontdoor(&[
        "--database",
        &url,
        "backup",
        "--out",
        dir.join("b.db").to_str().expect("path"),
    ]);
    assert_clear_failure(&output, &["There is no database file at"]);
    assert!(!mistyped.exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_password_in_the_query_string_is_never_printed() {
    for url in [
        "postgres://nobody@127.0.0.1:1/none?password=sup3rsecret",
        "postgres://nobody:sup3rsecret@127.0.0.1:1/none?sslmode=disable&password=sup3rsecret",
    ] {
        let output = frontdoor(&["--database", url, "migrate"]);
        assert_clear_failure(&output, &["Cannot open the database"]);
        let all = format!(
            "{}{}",
            stderr(&output),
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(
            !all.contains("sup3rsecret"),
            "the password is printed: {all}"
        );
        assert!(all.contains("password=***"), "{all}");
    }
}
