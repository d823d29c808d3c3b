//! Generating and storing one year of a synthetic authority on SQLite (and PostgreSQL).
//!
//! ```text
//! cargo bench -p frontdoor-app --bench generate                       # 100,000 contacts, one year
//! FRONTDOOR_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test cargo bench -p frontdoor-app --bench generate
//! FRONTDOOR_BENCH_CONTACTS=20000 cargo bench -p frontdoor-app --bench generate
//! cargo bench -p frontdoor-app --bench generate -- --quick            # 5,000 contacts
//! FRONTDOOR_BENCH_QUICK=1 cargo bench -p frontdoor-app --bench generate
//! ```
//!
//! First a plain measured run, printed as it goes:
//! 1. the baseline: generate `FRONTDOOR_BENCH_CONTACTS` contacts (one year; default 100,000,
//!    the largest English authorities; 5,000 with `--quick` or `FRONTDOOR_BENCH_QUICK`) in
//!    memory and drop them;
//! 2. generate them again and store them, with every person, decision, referral, assessment and
//!    event, on a fresh SQLite file in a temporary folder (removed afterwards), reporting the
//!    time, the ratio to the baseline, rows per second, the database's size, and the peak
//!    resident memory of the process (`VmHWM` from `/proc/self/status`);
//! 3. the same on a new PostgreSQL database when `FRONTDOOR_BENCH_POSTGRES` names a server
//!    (dropped afterwards);
//! 4. on each database, right after its load, the storage baseline: as many plain rows as the
//!    load wrote, by multi-row inserts of 100,000 rows a transaction
//!    ([`frontdoor_store::testing::raw_multi_row_inserts`]), the ceiling rows/s is read against.
//!
//! Then criterion measures generation alone (2,000 contacts) and generation plus storage of a
//! small authority (200 contacts on a fresh database each time). Set
//! `FRONTDOOR_BENCH_SKIP_CRITERION=1` for the plain run only. Run without `--bench` (as
//! `cargo test --benches` does) it makes a small authority once and stops, as a smoke test.

use chrono::{DateTime, TimeZone, Utc};
use criterion::{BatchSize, Criterion};
use frontdoor_app::synthetic_load::LoadReport;
use frontdoor_app::{App, NewAuthority, NewWorker, Settings};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::clock::SystemClock;
use frontdoor_domain::ids::AuthorityId;
use frontdoor_store::{DatabaseUrl, Store};
use frontdoor_synthetic::{AuthorityConfig, SyntheticAuthority};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SEED: u64 = 2026;

fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A folder under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("frontdoor-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Peak resident memory of this process so far, in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn database_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// A fresh SQLite database in `dir` with an authority and its front-door staff.
async fn fresh_authority(dir: &Path) -> Result<(App, AuthorityId), Box<dyn std::error::Error>> {
    let url = format!("sqlite://{}", dir.join("frontdoor.db").display());
    let store = Store::connect(&DatabaseUrl::parse(&url)?).await?;
    store.migrate().await?;
    authority_on(store).await
}

/// An authority and its front-door staff on a migrated store.
async fn authority_on(store: Store) -> Result<(App, AuthorityId), Box<dyn std::error::Error>> {
    let app = App::new(store, Arc::new(SystemClock), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "benchshire".into(),
            name: "Benchshire County Council".into(),
            front_door_teams: vec!["MASH team A".into(), "MASH team B".into()],
            other_teams: vec![],
            partners: vec![],
        })
        .await?;
    for (username, role) in [
        ("officer1", Role::ContactOfficer),
        ("officer2", Role::ContactOfficer),
        ("sw1", Role::MashSocialWorker),
        ("sw2", Role::MashSocialWorker),
        ("sw3", Role::MashSocialWorker),
        ("manager1", Role::TeamManager),
        ("manager2", Role::TeamManager),
    ] {
        // Front-door roles need a team.
        let team = app.store.teams(authority).await?.first().map(|t| t.id);
        app.add_worker_as_operator(&NewWorker {
            authority,
            username: username.into(),
            display_name: format!("Bench {username}"),
            role,
            team,
            organisation: None,
            asye: false,
            password: "benchmark password".into(),
        })
        .await?;
    }
    Ok((app, authority))
}

fn config(contacts: u32) -> AuthorityConfig {
    AuthorityConfig::new(SEED, contacts, 1, as_of())
}

/// Loads the authority on `app`, checks the chain, then times the raw baseline on the same
/// database: (report, load time, baseline time).
async fn store_authority(
    app: App,
    authority: AuthorityId,
    contacts: u32,
    show_progress: bool,
) -> Result<(LoadReport, Duration, Duration), Box<dyn std::error::Error>> {
    let mut next_report = 10_000;
    let started = Instant::now();
    let report = app
        .load_synthetic(authority, SyntheticAuthority::new(config(contacts)), |p| {
            if show_progress && p.contacts >= next_report {
                println!(
                    "  ... {:>7} contacts, {:>8} people, {:>9} events, {:>6.1} s",
                    p.contacts,
                    p.people,
                    p.events,
                    p.elapsed.as_secs_f64()
                );
                next_report += 10_000;
            }
        })
        .await?;
    let load = started.elapsed();
    let audit = app.verify_audit_trail().await?;
    if !audit.is_intact() {
        return Err(format!(
            "the event chain does not verify: {:?}",
            audit.events.first_break
        )
        .into());
    }
    let started = Instant::now();
    if show_progress {
        frontdoor_store::testing::raw_multi_row_inserts(&app.store, report.rows).await?;
    }
    let baseline = started.elapsed();
    app.store.close().await;
    Ok((report, load, baseline))
}

fn print_load(
    backend: &str,
    report: &LoadReport,
    load: Duration,
    baseline: Duration,
    generating: Duration,
) {
    println!(
        "{backend}: generate and store {:.1} s ({:.0}x generating): {} people, {} contacts, {} decisions, {} referrals ({:.1}% re-referrals), {} assessments, {} events",
        load.as_secs_f64(),
        load.as_secs_f64() / generating.as_secs_f64().max(1e-9),
        report.people,
        report.contacts,
        report.decisions_authorised,
        report.referrals,
        100.0 * report.re_referral_share(),
        report.assessments,
        report.events,
    );
    let rows_per_second = report.rows as f64 / load.as_secs_f64().max(1e-9);
    let baseline_per_second = report.rows as f64 / baseline.as_secs_f64().max(1e-9);
    println!(
        "  {} rows written, {:.0} rows/s, {:.0} contacts/s; baseline (the same number of plain rows by multi-row inserts) {:.1} s, {:.0} rows/s: the load runs at {:.2} of the baseline",
        report.rows,
        rows_per_second,
        report.contacts as f64 / load.as_secs_f64().max(1e-9),
        baseline.as_secs_f64(),
        baseline_per_second,
        rows_per_second / baseline_per_second.max(1e-9),
    );
}

fn plain_run(
    runtime: &tokio::runtime::Runtime,
    contacts: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("frontdoor synthetic authority: {contacts} contacts in one year, seed {SEED}, SQLite");

    let started = Instant::now();
    let mut generated = 0u64;
    let mut people = 0usize;
    let mut generator = SyntheticAuthority::new(config(contacts));
    for contact in generator.by_ref() {
        generated += 1;
        people += contact.new_household.as_ref().map_or(0, |h| h.people.len());
        black_box(&contact);
    }
    let baseline = started.elapsed();
    let (referrals, re) = generator.referral_counts();
    println!(
        "generate only (baseline): {:.2} s, {generated} contacts, {people} people, {referrals} referrals ({:.1}% re-referrals); peak RSS {}",
        baseline.as_secs_f64(),
        100.0 * re as f64 / referrals.max(1) as f64,
        peak_rss().map(mib).unwrap_or_else(|| "unknown".into()),
    );

    let dir = TempDir::new()?;
    let (report, load, baseline_rows) = runtime.block_on(async {
        let (app, authority) = fresh_authority(&dir.0).await?;
        store_authority(app, authority, contacts, true).await
    })?;
    print_load("SQLite", &report, load, baseline_rows, baseline);
    println!(
        "  database {}; peak RSS (VmHWM) {}",
        mib(database_size(&dir.0)),
        peak_rss().map(mib).unwrap_or_else(|| "unknown".into()),
    );
    if let Some(server) = std::env::var("FRONTDOOR_BENCH_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let (report, load, baseline_rows) = runtime.block_on(async {
            let db = frontdoor_store::testing::postgres_on(&server).await?;
            let store = db.store.clone();
            let result = async {
                let (app, authority) = authority_on(store).await?;
                store_authority(app, authority, contacts, true).await
            }
            .await;
            db.remove().await;
            result
        })?;
        print_load("PostgreSQL", &report, load, baseline_rows, baseline);
    }
    Ok(())
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench");
    let quick = args.iter().any(|a| a == "--quick") || env_flag("FRONTDOOR_BENCH_QUICK");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;

    if !benchmarking {
        // `cargo test --benches`: a smoke test, not a measurement.
        let dir = TempDir::new()?;
        let (report, _, _) = runtime.block_on(async {
            let (app, authority) = fresh_authority(&dir.0).await?;
            store_authority(app, authority, 200, false).await
        })?;
        println!(
            "generate bench smoke test: {} contacts, {} events stored",
            report.contacts, report.events
        );
        return Ok(());
    }

    let contacts = match std::env::var("FRONTDOOR_BENCH_CONTACTS") {
        Ok(text) => text.trim().parse::<u32>().map_err(|_| {
            format!("FRONTDOOR_BENCH_CONTACTS must be a whole number of contacts, not '{text}'")
        })?,
        Err(_) if quick => 5_000,
        Err(_) => 100_000,
    };
    plain_run(&runtime, contacts)?;

    if env_flag("FRONTDOOR_BENCH_SKIP_CRITERION") {
        return Ok(());
    }
    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(if quick { 5 } else { 20 }))
        .configure_from_args();
    criterion.bench_function("generate 2,000 contacts (in memory)", |b| {
        b.iter(|| {
            SyntheticAuthority::new(config(2_000))
                .map(|c| c.subjects.len())
                .sum::<usize>()
        })
    });
    criterion.bench_function("generate and store 200 contacts (fresh SQLite)", |b| {
        b.iter_batched(
            || {
                let dir = TempDir::new().ok();
                let prepared = dir
                    .as_ref()
                    .and_then(|d| runtime.block_on(fresh_authority(&d.0)).ok());
                (dir, prepared)
            },
            |(dir, prepared)| {
                if let Some((app, authority)) = prepared {
                    let report = runtime.block_on(app.load_synthetic(
                        authority,
                        SyntheticAuthority::new(config(200)),
                        |_| {},
                    ));
                    black_box(report.map(|r| r.rows).unwrap_or(0));
                    runtime.block_on(app.store.close());
                }
                drop(dir);
            },
            BatchSize::PerIteration,
        )
    });
    criterion.final_summary();
    Ok(())
}
