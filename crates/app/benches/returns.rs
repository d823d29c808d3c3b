//! The statutory returns at the largest authority's size (issue 11): Ofsted's Annex A (the
//! seven lists built and the workbook written) and the DfE Children in Need census (read, cut
//! and checked with the DfE's rules), each beside the baseline of reading one person by id,
//! measured in the same run.
//!
//! ```text
//! cargo bench -p frontdoor-app --bench returns          # SQLite, 100,000 contacts a year for 6 years
//! FRONTDOOR_BENCH_CONTACTS=20000 FRONTDOOR_BENCH_YEARS=2 cargo bench -p frontdoor-app --bench returns
//! FRONTDOOR_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test cargo bench -p frontdoor-app --bench returns
//! ```
//!
//! Set-up, through the app's own loader (every row with its event), on a fresh database: the
//! synthetic authority, `FRONTDOOR_BENCH_CONTACTS` contacts a year (default 100,000, the
//! largest English authorities) for `FRONTDOOR_BENCH_YEARS` years (default 6), ending on
//! 1 April 2026. Then, as a quality assurance officer: Annex A for 31 March 2026 and the census
//! of 2025 to 2026, each `FRONTDOOR_BENCH_RUNS` times (default 5). Run without `--bench` (as
//! `cargo test --benches` does) it loads a small authority and runs each once, as a smoke test.

#[path = "support/mod.rs"]
mod support;

use chrono::{DateTime, Duration as Days, TimeZone, Utc};
use frontdoor_app::synthetic_load::SyntheticLoadOptions;
use frontdoor_app::{App, NewAuthority, NewWorker, Settings};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::clock::FixedClock;
use frontdoor_synthetic::{AuthorityConfig, SyntheticAuthority};
use std::sync::Arc;
use std::time::Instant;
use support::{connect, env_number, report, time, BenchResult};

const SEED: u64 = 2026;

/// The end of the history: Wednesday 1 April 2026, 16:00 in London.
fn history_end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 15, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

struct Sizes {
    contacts_per_year: u32,
    years: u32,
    runs: usize,
}

async fn run(sizes: Sizes) -> BenchResult<()> {
    let (store, backend, cleanup) = connect("returns").await?;
    store.migrate().await?;
    let clock = Arc::new(FixedClock::new(history_end()));
    let app = App::new(store, clock, Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "benchshire".into(),
            name: "Benchshire County Council".into(),
            front_door_teams: vec!["MASH".into()],
            other_teams: vec![],
            partners: vec![],
        })
        .await?;
    println!(
        "frontdoor returns on {backend}: {} contacts a year for {} years ({} contacts)",
        sizes.contacts_per_year,
        sizes.years,
        u64::from(sizes.contacts_per_year) * u64::from(sizes.years)
    );
    let qa = app
        .add_worker_as_operator(&NewWorker {
            authority,
            username: "qa".into(),
            display_name: "QA officer".into(),
            role: Role::QualityAssuranceOfficer,
            team: None,
            organisation: None,
            asye: false,
            password: "benchmark password".into(),
        })
        .await?
        .actor();
    let started = Instant::now();
    let config = AuthorityConfig::new(
        SEED,
        sizes.contacts_per_year,
        sizes.years,
        history_end() - Days::days(1),
    );
    let loaded = app
        .load_synthetic_with(
            authority,
            SyntheticAuthority::new(config),
            &SyntheticLoadOptions::default(),
            |_| {},
        )
        .await?;
    println!(
        "set-up: loaded in {:.0} s: {} contacts, {} referrals, {} assessments, {} people",
        started.elapsed().as_secs_f64(),
        loaded.contacts,
        loaded.referrals,
        loaded.assessments,
        loaded.people
    );

    let date = "2026-03-31";
    let annex = app.annex_a(&qa, date).await?;
    println!(
        "Annex A for {date}: rows per list {:?} ({} children); workbook {} bytes",
        annex
            .annex
            .lists
            .iter()
            .map(|l| l.rows.len())
            .collect::<Vec<_>>(),
        annex.annex.people().len(),
        annex.workbook().map(|b| b.len()).unwrap_or(0),
    );
    let census = app.cin_census(&qa, "2026").await?;
    println!(
        "CIN census 2025 to 2026: {} children, {} episodes, {} errors, {} queries",
        census.children(),
        census.episodes(),
        census.errors(),
        census.queries()
    );
    let person = annex
        .annex
        .people()
        .first()
        .copied()
        .ok_or("the authority has no child in Annex A")?;
    let baseline = time(sizes.runs * 20, || async {
        Ok::<_, frontdoor_app::AppError>(app.store.person(authority, person).await?)
    })
    .await?;
    let base = baseline[baseline.len() / 2];
    report("baseline: read one person by id", &baseline, None);
    let times = time(sizes.runs, || async {
        let report = app.annex_a(&qa, date).await?;
        Ok::<_, frontdoor_app::AppError>(report.workbook().map(|b| b.len()).unwrap_or(0))
    })
    .await?;
    report(
        "Annex A: lists 1-7 built and the workbook written",
        &times,
        Some(base),
    );
    let times = time(sizes.runs, || app.cin_census(&qa, "2026")).await?;
    report("CIN census: read, cut and checked", &times, Some(base));
    let times = time(sizes.runs, || async {
        Ok::<_, frontdoor_app::AppError>(app.cin_census(&qa, "2026").await?.xml().len())
    })
    .await?;
    report("CIN census: and its XML written", &times, Some(base));

    app.store.close().await;
    cleanup.run().await?;
    Ok(())
}

fn main() -> BenchResult<()> {
    let benching = std::env::args().any(|a| a == "--bench");
    let sizes = if benching {
        Sizes {
            contacts_per_year: env_number("FRONTDOOR_BENCH_CONTACTS", 100_000),
            years: env_number("FRONTDOOR_BENCH_YEARS", 6),
            runs: env_number("FRONTDOOR_BENCH_RUNS", 5),
        }
    } else {
        Sizes {
            contacts_per_year: 300,
            years: 1,
            runs: 1,
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(sizes))
}
