//! `frontdoor backup` and `restore` as an operator uses them, against the real binary: a
//! snapshot taken while a server writes, a restore over a database left by `kill -9` (with its
//! stale `-wal`) that then verifies, a restore refused while a server runs, and damaged
//! backups refused with the database untouched.

mod support;

use frontdoor_store::snapshot::open_sqlite_copy;
use frontdoor_store::{DatabaseUrl, Store};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{
    add_authority, assert_clear_failure, frontdoor_on, path, stderr, stdout, succeeds, temp_dir,
    user_add, PASSWORD,
};

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", p.display()))
}

/// A database with an authority and a contact officer.
fn set_up(dir: &Path) -> (PathBuf, String) {
    let db = dir.join("frontdoor.db");
    let url = format!("sqlite://{}", db.display());
    add_authority(&url, "backupshire", "Backupshire Council", &[]);
    let officer = ["--team", "MASH"];
    let args = user_add(
        "backupshire",
        "officer",
        "Olu Officer",
        "contact_officer",
        &officer,
    );
    succeeds(&url, &args);
    (db, url)
}

/// A running `frontdoor serve` and its address.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(url: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_frontdoor"))
            .args(["--database", url, "serve", "--listen", "127.0.0.1:0"])
            .env_remove("FRONTDOOR_DATABASE_URL")
            .env("FRONTDOOR_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the server");
        let mut line = String::new();
        let out = child.stdout.take().expect("stdout");
        BufReader::new(out).read_line(&mut line).expect("read");
        let Some(base) = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
        else {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!("the server did not start: {line} {}", stderr(&output));
        };
        let base = format!("http://{base}");
        Server { child, base }
    }

    /// `kill -9`.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        let _ = self.child.wait();
    }
}

fn contact(n: usize) -> Value {
    json!({
        "source": "6",
        "referrer": { "name": "PC Jones", "organisation": "Backupshire Police" },
        "concern_categories": ["domestic_abuse"],
        "concern_summary": format!("Police called to the home overnight (call {n}); the children were present."),
        "urgency": "urgent",
        "family_consent": "not_sought_safeguarding",
        "children": [{ "given_name": "Zak", "family_name": "Webb", "date_of_birth": "2018-02-03", "sex": "male", "postcode": "WS1 1AA" }]
    })
}

/// Contacts (and other rows) in a database, opened as the server would (recovering its -wal).
fn counts(url: &str) -> Vec<(&'static str, i64)> {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = Store::connect_existing(&DatabaseUrl::parse(url).expect("url"))
            .await
            .expect("connect");
        let counts = store.record_counts().await.expect("counts");
        store.close().await;
        counts
    })
}

/// The counts in a backup file, checked as restore checks it.
fn backup_counts(file: &Path) -> Vec<(&'static str, i64)> {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = open_sqlite_copy(file).await.expect("open backup");
        let counts = store.record_counts().await.expect("counts");
        store.close().await;
        counts
    })
}

fn contacts_in(counts: &[(&'static str, i64)]) -> i64 {
    counts
        .iter()
        .find(|(table, _)| *table == "contacts")
        .map(|(_, n)| *n)
        .expect("contacts counted")
}

/// Posts contacts from `writers` clients until told to stop; counts those acknowledged (201).
fn keep_posting(
    base: String,
    writers: usize,
    stop: Arc<AtomicUsize>,
    acknowledged: Arc<AtomicUsize>,
) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async move {
            let http = reqwest::Client::new();
            let session: Value = http
                .post(format!("{base}/api/session"))
                .json(&json!({ "username": "officer", "password": PASSWORD }))
                .send()
                .await
                .expect("sign in")
                .json()
                .await
                .expect("json");
            let token = session["token"].as_str().expect("token").to_string();
            let mut tasks = Vec::new();
            for writer in 0..writers {
                let (http, base, token) = (http.clone(), base.clone(), token.clone());
                let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
                tasks.push(tokio::spawn(async move {
                    let mut server_errors = 0;
                    let mut n = writer * 100_000;
                    while stop.load(Ordering::SeqCst) == 0 {
                        n += 1;
                        match http
                            .post(format!("{base}/api/contacts"))
                            .bearer_auth(&token)
                            .json(&contact(n))
                            .send()
                            .await
                        {
                            Ok(r) if r.status() == 201 => {
                                acknowledged.fetch_add(1, Ordering::SeqCst);
                            }
                            Ok(r) if r.status().is_server_error() => server_errors += 1,
                            Ok(r) => panic!("unexpected {}", r.status()),
                            // The server was killed.
                            Err(_) => break,
                        }
                    }
                    server_errors
                }));
            }
            let mut server_errors = 0;
            for task in tasks {
                server_errors += task.await.expect("writer");
            }
            server_errors
        })
    })
}

fn wait_for(acknowledged: &AtomicUsize, at_least: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.load(Ordering::SeqCst) < at_least {
        assert!(
            Instant::now() < deadline,
            "the server stopped acknowledging"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_backup_taken_while_writing_restores_over_a_killed_server_and_verifies() {
    let dir = temp_dir("roundtrip");
    let (db, url) = set_up(&dir);
    let server = Server::start(&url);
    let stop = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let writers = keep_posting(server.base.clone(), 4, stop.clone(), acknowledged.clone());
    wait_for(&acknowledged, 20);

    // An online backup while four clients write.
    let online = dir.join("online.db");
    let output = frontdoor_on(&url, &["backup", "--out", path(&online)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("integrity ok") && report.contains("intact"),
        "{report}"
    );
    let at_backup = acknowledged.load(Ordering::SeqCst) as i64;
    let in_backup = contacts_in(&backup_counts(&online));
    assert!(in_backup >= 20, "{in_backup}");

    // More writes, then kill -9 mid-write.
    wait_for(&acknowledged, at_backup as usize + 30);
    server.kill();
    stop.store(1, Ordering::SeqCst);
    let server_errors = writers.join().expect("writers");
    assert_eq!(server_errors, 0, "no 5xx while backing up");
    let acknowledged = acknowledged.load(Ordering::SeqCst) as i64;
    assert!(
        with_suffix(&db, "-wal").exists(),
        "the killed server leaves its -wal (the trap a plain file copy falls into)"
    );

    // Backing up over an existing file needs --force.
    let output = frontdoor_on(&url, &["backup", "--out", path(&online)]);
    assert_clear_failure(
        &output,
        &["already exists: choose another file, or give --force"],
    );
    assert_eq!(contacts_in(&backup_counts(&online)), in_backup);

    // Restore the online backup over the killed server's database and its stale -wal.
    let output = frontdoor_on(&url, &["restore", "--from", path(&online)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("is kept as"), "{text}");
    assert!(
        !with_suffix(&db, "-wal").exists() && !with_suffix(&db, "-shm").exists(),
        "the stale -wal and -shm are gone"
    );
    let verified = frontdoor_on(&url, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(stdout(&verified).contains("chain intact"));
    assert_eq!(
        contacts_in(&counts(&url)),
        in_backup,
        "the backup's contacts"
    );

    // The previous database is kept with its -wal: every acknowledged contact is in it.
    let kept: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n_is_kept(&n))
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept_url = format!("sqlite://{}", kept[0].display());
    let kept_contacts = contacts_in(&counts(&kept_url));
    assert!(
        kept_contacts >= acknowledged && kept_contacts > in_backup,
        "kept {kept_contacts}, acknowledged {acknowledged}, backup {in_backup}"
    );
    let verified = frontdoor_on(&kept_url, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));

    // A second round trip: back up the killed server's whole database (recovered from its
    // -wal) and restore that: every acknowledged contact is back, and the chains verify.
    let after_kill = dir.join("after-kill.db");
    let output = frontdoor_on(&kept_url, &["backup", "--out", path(&after_kill)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = frontdoor_on(&url, &["restore", "--from", path(&after_kill)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(contacts_in(&counts(&url)), kept_contacts);
    let verified = frontdoor_on(&url, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    // The restored database serves.
    let server = Server::start(&url);
    server.kill();
    let _ = std::fs::remove_dir_all(dir);
}

/// `frontdoor.db.before-restore-20260101T101112Z` (not its -wal or -shm).
fn n_is_kept(name: &str) -> bool {
    name.starts_with("frontdoor.db.before-restore-")
        && !name.ends_with("-wal")
        && !name.ends_with("-shm")
}

#[test]
fn restore_is_refused_while_a_server_runs_and_damaged_backups_are_refused() {
    let dir = temp_dir("refused");
    let (db, url) = set_up(&dir);
    let good = dir.join("good.db");
    let output = frontdoor_on(&url, &["backup", "--out", path(&good)]);
    assert!(output.status.success(), "{}", stderr(&output));

    let server = Server::start(&url);
    let output = frontdoor_on(&url, &["restore", "--from", path(&good)]);
    assert_clear_failure(&output, &["a frontdoor server is running on"]);
    assert!(stderr(&output).contains("nothing was changed"));
    // A second server on the same database is refused too.
    let second = frontdoor_on(&url, &["serve", "--listen", "127.0.0.1:0"]);
    assert_clear_failure(&second, &["another frontdoor server is already running"]);
    server.kill();

    let before = std::fs::read(&db).expect("database bytes");
    let listing = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        names.sort();
        names
    };
    let files_before = listing(&dir);

    // Not a database; a backup cut short; a backup whose audit trail was edited; no file.
    let garbage = dir.join("garbage.db");
    std::fs::write(&garbage, b"this is not a database, it is a shopping list").expect("write");
    let good_bytes = std::fs::read(&good).expect("backup bytes");
    let truncated = dir.join("truncated.db");
    std::fs::write(&truncated, &good_bytes[..good_bytes.len() / 2]).expect("write");
    let tampered = dir.join("tampered.db");
    std::fs::write(&tampered, &good_bytes).expect("write");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = open_sqlite_copy(&tampered).await.expect("open");
        let changed = frontdoor_store::testing::execute_directly(
            &store,
            "UPDATE events SET payload = '{\"edited\":true}' WHERE sequence = 2",
        )
        .await
        .expect("tamper");
        assert_eq!(changed, 1);
        store.close().await;
    });
    let files_with_bad = listing(&dir);
    for (bad, expected) in [
        (&garbage, "cannot be restored"),
        (&truncated, "cannot be restored"),
        (&tampered, "its event log is broken"),
        (&dir.join("missing.db"), "there is no backup file at"),
    ] {
        let output = frontdoor_on(&url, &["restore", "--from", path(bad)]);
        assert_clear_failure(&output, &[expected]);
        if expected == "cannot be restored" || expected.starts_with("its") {
            assert!(
                stderr(&output).contains("was not changed"),
                "{}",
                stderr(&output)
            );
        }
        assert_eq!(
            std::fs::read(&db).expect("bytes"),
            before,
            "{bad:?}: untouched"
        );
        assert_eq!(
            listing(&dir),
            files_with_bad,
            "{bad:?}: nothing left behind"
        );
    }
    assert!(files_with_bad.len() == files_before.len() + 3);
    let verified = frontdoor_on(&url, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));

    // On PostgreSQL, backup and restore explain pg_dump and pg_restore instead.
    let output = frontdoor_on(
        "postgres://frontdoor:secret@127.0.0.1:1/frontdoor",
        &["backup", "--out", path(&dir.join("pg.dump"))],
    );
    assert_clear_failure(&output, &["on PostgreSQL use pg_dump and pg_restore"]);
    assert!(stdout(&output).contains("pg_dump --format=custom"));
    assert!(!dir.join("pg.dump").exists());
    let _ = std::fs::remove_dir_all(dir);
}
