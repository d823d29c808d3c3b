//! `frontdoor information-requests timescales|email` as an operator uses them, on SQLite and
//! (when FRONTDOOR_TEST_POSTGRES is set) PostgreSQL.

mod support;

use support::{add_authority, fails, on_every_backend, succeeds, user_add};

#[test]
fn operators_set_how_long_partners_have_and_where_emails_go() {
    on_every_backend(|url| {
        add_authority(url, "northshire", "Northshire Council", &[]);
        let a = ["--authority", "northshire"];
        let shown = succeeds(url, &["information-requests", "timescales", a[0], a[1]]);
        assert_eq!(shown, "urgent_hours\t4\nstandard_working_days\t3\n");
        let timescales = |urgent_hours| {
            [
                "information-requests",
                "timescales",
                a[0],
                a[1],
                "--urgent-hours",
                urgent_hours,
                "--standard-working-days",
                "5",
            ]
        };
        let set = succeeds(url, &timescales("6"));
        assert!(
            set.contains("urgent within 6 hours, standard within 5 working days"),
            "{set}"
        );
        fails(url, &timescales("100"), "between 1 and 72 hours");
        let args = user_add(
            "northshire",
            "sam",
            "Sam Patel",
            "team_manager",
            &["--team", "MASH"],
        );
        succeeds(url, &args);
        let email = |address| {
            [
                "information-requests",
                "email",
                a[0],
                a[1],
                "--username",
                "sam",
                "--email",
                address,
            ]
        };
        let set = succeeds(url, &email("sam@northshire.example"));
        assert!(set.contains("sam's notification emails"), "{set}");
        fails(url, &email("not an address"), "Enter an email address");
    });
}
