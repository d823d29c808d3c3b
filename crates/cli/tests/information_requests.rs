//! `frontdoor information-requests timescales|email` as an operator uses them, on SQLite and
//! (when FRONTDOOR_TEST_POSTGRES is set) PostgreSQL.

use frontdoor_store::DatabaseUrl;
use std::process::{Command, Output};

fn run(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_frontdoor"))
        .arg("--database")
        .arg(url)
        .args(args)
        .env_remove("FRONTDOOR_DATABASE_URL")
        .env("FRONTDOOR_NEW_PASSWORD", "a long enough password")
        .env("FRONTDOOR_LOG", "error")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run frontdoor")
}

fn succeeds(url: &str, args: &[&str]) -> String {
    let output = run(url, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stderr}");
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn fails(url: &str, args: &[&str], expected: &str) {
    let output = run(url, args);
    let text = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!output.status.success(), "{args:?} should fail: {text}");
    assert!(!text.contains("panicked"), "{text}");
    assert!(text.contains(expected), "{args:?}: {text}");
}

#[test]
fn operators_set_how_long_partners_have_and_where_emails_go() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let databases = runtime
        .block_on(frontdoor_store::testing::all_backends())
        .expect("databases");
    for database in databases {
        eprintln!("on {}", database.backend());
        let url = match &database.url {
            DatabaseUrl::Sqlite(url) | DatabaseUrl::Postgres(url) => url.clone(),
        };
        let url = url.as_str();
        succeeds(
            url,
            &[
                "authority",
                "add",
                "--code",
                "northshire",
                "--name",
                "Northshire Council",
            ],
        );
        let a = ["--authority", "northshire"];
        let shown = succeeds(url, &["information-requests", "timescales", a[0], a[1]]);
        assert_eq!(shown, "urgent_hours\t4\nstandard_working_days\t3\n");
        let set = succeeds(
            url,
            &[
                "information-requests",
                "timescales",
                a[0],
                a[1],
                "--urgent-hours",
                "6",
                "--standard-working-days",
                "5",
            ],
        );
        assert!(
            set.contains("urgent within 6 hours, standard within 5 working days"),
            "{set}"
        );
        fails(
            url,
            &[
                "information-requests",
                "timescales",
                a[0],
                a[1],
                "--urgent-hours",
                "100",
                "--standard-working-days",
                "5",
            ],
            "between 1 and 72 hours",
        );
        succeeds(
            url,
            &[
                "user",
                "add",
                a[0],
                a[1],
                "--username",
                "sam",
                "--name",
                "Sam Patel",
                "--role",
                "team_manager",
                "--team",
                "MASH",
            ],
        );
        let set = succeeds(
            url,
            &[
                "information-requests",
                "email",
                a[0],
                a[1],
                "--username",
                "sam",
                "--email",
                "sam@northshire.example",
            ],
        );
        assert!(set.contains("sam's notification emails"), "{set}");
        fails(
            url,
            &[
                "information-requests",
                "email",
                a[0],
                a[1],
                "--username",
                "sam",
                "--email",
                "not an address",
            ],
            "Enter an email address",
        );
        runtime.block_on(database.remove());
    }
}
