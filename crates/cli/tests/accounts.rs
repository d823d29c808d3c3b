//! `frontdoor user|organisation|team|threshold-framework` as an operator uses them, on SQLite
//! and (when FRONTDOOR_TEST_POSTGRES is set) PostgreSQL: each change succeeds with a one-line
//! confirmation, each refusal is one clear error line, and the audit trail stays intact.
//! (Its own test binary, apart from cli.rs, so that parallel work on the CLI merges cleanly.)

mod support;

use support::{add_authority, fails, on_every_backend, succeeds, user_add};

#[test]
fn operators_manage_accounts_organisations_teams_and_the_framework() {
    on_every_backend(|url| {
        let a = ["--authority", "northshire"];
        let team = ["--team", "MASH team A"];
        add_authority(url, "northshire", "Northshire Council", &team);
        // A team manager cannot be created without a team any more.
        fails(
            url,
            &user_add("northshire", "tm", "T M", "team_manager", &[]),
            "must have a team",
        );
        for (username, role) in [("admin", "administrator"), ("jo", "mash_social_worker")] {
            let args = user_add("northshire", username, username, role, &team);
            succeeds(url, &args);
        }
        assert!(succeeds(url, &["user", "list", a[0], a[1]])
            .contains("jo\tjo\tmash_social_worker\tMASH team A"));

        // Leavers: deactivate (twice is refused), reactivate, reset a password, end sessions.
        assert!(
            succeeds(url, &["user", "deactivate", a[0], a[1], "--username", "jo"])
                .contains("Deactivated jo")
        );
        fails(
            url,
            &["user", "deactivate", a[0], a[1], "--username", "jo"],
            "already deactivated",
        );
        assert!(succeeds(url, &["user", "list", a[0], a[1]]).contains("deactivated"));
        succeeds(url, &["user", "reactivate", a[0], a[1], "--username", "jo"]);
        assert!(succeeds(
            url,
            &["user", "reset-password", a[0], a[1], "--username", "jo"]
        )
        .contains("new password"));
        assert!(succeeds(
            url,
            &["user", "end-sessions", a[0], a[1], "--username", "jo"]
        )
        .contains("Ended 0 session(s)"));
        fails(
            url,
            &["user", "deactivate", a[0], a[1], "--username", "admin"],
            "last active administrator",
        );
        fails(
            url,
            &["user", "deactivate", a[0], a[1], "--username", "nobody"],
            "was not found",
        );

        // Partner organisations.
        succeeds(
            url,
            &[
                "organisation",
                "add",
                a[0],
                a[1],
                "--name",
                "Northshire Police",
                "--kind",
                "police",
            ],
        );
        fails(
            url,
            &[
                "organisation",
                "add",
                a[0],
                a[1],
                "--name",
                "NORTHSHIRE POLICE",
                "--kind",
                "police",
            ],
            "already an organisation called",
        );
        fails(
            url,
            &[
                "organisation",
                "add",
                a[0],
                a[1],
                "--name",
                "X",
                "--kind",
                "spaceship",
            ],
            "Choose the kind of partner",
        );
        succeeds(
            url,
            &[
                "organisation",
                "rename",
                a[0],
                a[1],
                "--name",
                "Northshire Police",
                "--to",
                "Northshire Constabulary",
            ],
        );
        // A partner practitioner needs their organisation.
        fails(
            url,
            &[
                "user",
                "change",
                a[0],
                a[1],
                "--username",
                "jo",
                "--role",
                "partner_practitioner",
            ],
            "partner organisation",
        );
        assert!(succeeds(
            url,
            &[
                "user",
                "change",
                a[0],
                a[1],
                "--username",
                "jo",
                "--role",
                "partner_practitioner",
                "--organisation",
                "Northshire Constabulary"
            ]
        )
        .contains("is now Partner agency practitioner"));
        assert!(succeeds(
            url,
            &[
                "organisation",
                "retire",
                a[0],
                a[1],
                "--name",
                "Northshire Constabulary"
            ]
        )
        .contains("1 practitioner(s) deactivated"));
        let organisations = succeeds(url, &["organisation", "list", a[0], a[1]]);
        assert!(
            organisations.contains("Northshire Constabulary\tpolice (retired"),
            "{organisations}"
        );
        fails(
            url,
            &["user", "reactivate", a[0], a[1], "--username", "jo"],
            "organisation has been retired",
        );

        // Teams.
        succeeds(
            url,
            &[
                "team",
                "add",
                a[0],
                a[1],
                "--name",
                "MASH team B",
                "--receives-contacts",
            ],
        );
        fails(
            url,
            &["team", "add", a[0], a[1], "--name", "mash team b"],
            "already a team called",
        );
        succeeds(
            url,
            &[
                "team",
                "rename",
                a[0],
                a[1],
                "--name",
                "MASH team B",
                "--to",
                "MASH team North",
            ],
        );
        let teams = succeeds(url, &["team", "list", a[0], a[1]]);
        assert!(
            teams.contains("MASH team North\treceives contacts"),
            "{teams}"
        );
        assert!(succeeds(
            url,
            &[
                "user",
                "change",
                a[0],
                a[1],
                "--username",
                "jo",
                "--role",
                "team_manager",
                "--team",
                "MASH team North"
            ]
        )
        .contains("is now Team manager in MASH team North"));

        // The threshold framework: show, edit, publish; a stale edit is refused by version.
        let shown = succeeds(url, &["threshold-framework", "show", a[0], a[1]]);
        assert!(
            shown.starts_with("# Version 1 of northshire's threshold framework"),
            "{shown}"
        );
        assert!(
            shown.contains("[[levels]]") && shown.contains("Universal"),
            "{shown}"
        );
        let dir =
            std::env::temp_dir().join(format!("fdcli_framework_{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("framework.toml");
        std::fs::write(
            &file,
            "[[levels]]\nlevel = 1\nname = \"Universal\"\ndescription = \"Universal services meet the child's needs.\"\n\n\
             [[levels]]\nlevel = 2\nname = \"Targeted\"\ndescription = \"Early help with the family's consent.\"\n\n\
             [[levels]]\nlevel = 3\nname = \"Specialist\"\ndescription = \"Statutory social care.\"\n",
        )
        .expect("write");
        let file = file.to_str().expect("path");
        assert!(succeeds(
            url,
            &["threshold-framework", "set", a[0], a[1], "--file", file]
        )
        .contains("Published version 2"));
        fails(
            url,
            &[
                "threshold-framework",
                "set",
                a[0],
                a[1],
                "--file",
                file,
                "--expected-version",
                "1",
            ],
            "Version 2 of the threshold framework was published",
        );
        let shown = succeeds(url, &["threshold-framework", "show", a[0], a[1]]);
        assert!(
            shown.starts_with("# Version 2") && shown.contains("# Version 1: 4 levels"),
            "{shown}"
        );
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, "[[levels]]\nname = \"No number\"\n").expect("write");
        fails(
            url,
            &[
                "threshold-framework",
                "set",
                a[0],
                a[1],
                "--file",
                bad.to_str().expect("path"),
            ],
            "is not a threshold framework in TOML",
        );
        let gap = dir.join("gap.json");
        std::fs::write(
            &gap,
            r#"{"levels": [{"level": 1, "name": "A", "description": "a"}, {"level": 3, "name": "C", "description": "c"}]}"#,
        )
        .expect("write");
        fails(
            url,
            &[
                "threshold-framework",
                "set",
                a[0],
                a[1],
                "--file",
                gap.to_str().expect("path"),
            ],
            "Number the levels 1, 2, 3",
        );
        let _ = std::fs::remove_dir_all(dir);

        assert!(succeeds(url, &["audit", "verify"]).contains("chain intact"));
    });
}
