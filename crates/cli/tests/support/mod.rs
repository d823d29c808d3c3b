//! The `frontdoor` binary run as an operator runs it, shared by the CLI's test binaries
//! (`mod support;`): its output, and the one clear error line every refusal must be.
#![allow(dead_code)] // each binary uses its own part of it

use frontdoor_store::DatabaseUrl;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The password `user add` takes from FRONTDOOR_NEW_PASSWORD.
pub const PASSWORD: &str = "a long enough password";

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_frontdoor"));
    command
        .args(args)
        .env_remove("FRONTDOOR_DATABASE_URL")
        .env("FRONTDOOR_LOG", "error")
        .current_dir(std::env::temp_dir());
    command
}

/// `frontdoor ARGS`, with no database named and no new password in the environment.
pub fn frontdoor(args: &[&str]) -> Output {
    command(args).output().expect("run frontdoor")
}

/// `frontdoor --database URL ARGS`, with FRONTDOOR_NEW_PASSWORD set to `PASSWORD`.
pub fn frontdoor_on(url: &str, args: &[&str]) -> Output {
    command(&[&["--database", url], args].concat())
        .env("FRONTDOOR_NEW_PASSWORD", PASSWORD)
        .output()
        .expect("run frontdoor")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// `frontdoor --database URL ARGS` succeeded: its standard output.
pub fn succeeds(url: &str, args: &[&str]) -> String {
    let output = frontdoor_on(url, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

/// `frontdoor --database URL ARGS` failed with one clear error line holding `expected`.
pub fn fails(url: &str, args: &[&str], expected: &str) {
    let output = frontdoor_on(url, args);
    assert!(!output.status.success(), "{args:?} should fail");
    assert_clear_failure(&output, &[expected]);
}

/// A non-zero exit, no panic, and exactly one error line holding each of `expected`.
pub fn assert_clear_failure(output: &Output, expected: &[&str]) {
    let text = stderr(output);
    assert!(!output.status.success(), "should fail: {text}");
    assert!(!text.contains("panicked"), "panicked: {text}");
    let error_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("frontdoor: error:"))
        .collect();
    assert_eq!(error_lines.len(), 1, "one error line expected: {text}");
    for e in expected {
        assert!(error_lines[0].contains(e), "'{e}' in {text}");
    }
}

/// A new folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fdcli_{name}_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

pub fn url_of(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(url) | DatabaseUrl::Postgres(url) => url.clone(),
    }
}

/// Runs `test` with the URL of a fresh database on every backend (SQLite, and PostgreSQL when
/// FRONTDOOR_TEST_POSTGRES is set), removing each database afterwards.
pub fn on_every_backend(test: impl Fn(&str)) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let databases = runtime
        .block_on(frontdoor_store::testing::all_backends())
        .expect("databases");
    for database in databases {
        eprintln!("on {}", database.backend());
        test(&url_of(&database.url));
        runtime.block_on(database.remove());
    }
}

/// `frontdoor authority add --code CODE --name NAME EXTRA…` succeeded.
pub fn add_authority(url: &str, code: &str, name: &str, extra: &[&str]) {
    succeeds(
        url,
        &[&["authority", "add", "--code", code, "--name", name], extra].concat(),
    );
}

/// The arguments of `frontdoor user add` for the authority with code `authority` (the password
/// comes from FRONTDOOR_NEW_PASSWORD), with `extra` arguments (a team, `--asye`) after them.
pub fn user_add<'a>(
    authority: &'a str,
    username: &'a str,
    name: &'a str,
    role: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let required = [
        "user",
        "add",
        "--authority",
        authority,
        "--username",
        username,
        "--name",
        name,
        "--role",
        role,
    ];
    [&required[..], extra].concat()
}
