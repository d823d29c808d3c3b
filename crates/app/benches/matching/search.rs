//! Search latency with a million people stored on SQLite.

use super::diagnose::top;
use super::memory::peak_memory;
use super::profile::{profile_steps, rank_positions};
use super::recall::{query_of, search_recall};
use super::stores::{bulk_load, fresh_app, reuse_app};
use super::{env_flag, BenchResult, Sizes, TempDir, SPEED_SEED};
use frontdoor_domain::ids::PersonId;
use frontdoor_synthetic::{duplicate_test_set, LabelledRecord};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

pub(super) fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub(super) async fn search_speed(sizes: &Sizes) -> BenchResult<()> {
    let n = sizes.search_people;
    println!(
        "search: {n} people stored on SQLite, {} searches with the details of duplicate records",
        sizes.queries
    );
    let started = Instant::now();
    // Enough duplicates for the queries and the warm-up.
    let rate = ((sizes.queries + 400) as f64 / n as f64).clamp(0.0, 1.0);
    let (records, _truth) = duplicate_test_set(SPEED_SEED, n, rate);
    let originals: Vec<&LabelledRecord> = records.iter().filter(|r| r.original).collect();
    let duplicates: Vec<&LabelledRecord> = records.iter().filter(|r| !r.original).collect();
    let original_la_id: HashMap<u32, String> = originals
        .iter()
        .map(|r| (r.truth.0, r.record.la_person_id.clone()))
        .collect();
    println!(
        "  generated {} people and {} duplicates in {:.1} s",
        originals.len(),
        duplicates.len(),
        started.elapsed().as_secs_f64()
    );
    let dir = TempDir::new("search")?;
    let (app, authority, actor) = match std::env::var("FRONTDOOR_BENCH_SEARCH_DB") {
        Ok(path) if Path::new(&path).exists() => {
            let reused = reuse_app(&path, n).await?;
            println!("  reusing the database {path} (loaded by an earlier run)");
            reused
        }
        other => {
            let file = match &other {
                Ok(path) => PathBuf::from(path),
                Err(_) => dir.0.join("frontdoor.db"),
            };
            let (app, authority, actor) = fresh_app(&file).await?;
            let (elapsed, rows) = bulk_load(&app, authority, &originals).await?;
            println!(
                "  stored {rows} rows in {:.1} s ({:.0} rows a second); database {:.0} MiB",
                elapsed.as_secs_f64(),
                rows as f64 / elapsed.as_secs_f64().max(1e-9),
                std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0)
            );
            (app, authority, actor)
        }
    };
    let (warm_up, measured) = duplicates.split_at(200.min(duplicates.len()));
    let measured = &measured[..sizes.queries.min(measured.len())];
    let started = Instant::now();
    search_recall(&app, &actor, warm_up, &original_la_id, None).await;
    println!(
        "  warm-up: {} searches in {:.1} s",
        warm_up.len(),
        started.elapsed().as_secs_f64()
    );
    if env_flag("FRONTDOOR_BENCH_PROFILE") {
        profile_steps(&app, authority, measured).await?;
        rank_positions(&app, authority, measured, &original_la_id).await?;
    }
    let mut latencies = Vec::with_capacity(measured.len());
    let recall = search_recall(
        &app,
        &actor,
        measured,
        &original_la_id,
        Some(&mut latencies),
    )
    .await;
    latencies.sort_unstable();
    // Baseline: reading one person by id, through the same store.
    let mut baseline = Vec::with_capacity(measured.len());
    let ids: Vec<PersonId> = app
        .search_people(&actor, &query_of(&measured[0].record))
        .await?
        .results
        .iter()
        .map(|r| r.person.id)
        .collect();
    for i in 0..measured.len() {
        if let Some(id) = ids.get(i % ids.len().max(1)) {
            let started = Instant::now();
            let _ = app.store.person(authority, *id).await?;
            baseline.push(started.elapsed());
        }
    }
    baseline.sort_unstable();
    let p50 = percentile(&latencies, 0.5);
    let base = percentile(&baseline, 0.5);
    println!(
        "  search latency over {} searches: p50 {}, p90 {}, p99 {}, max {}; mean {}",
        latencies.len(),
        ms(p50),
        ms(percentile(&latencies, 0.9)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        ms(latencies.iter().sum::<Duration>() / latencies.len().max(1) as u32),
    );
    println!(
        "  baseline (one person read by id): p50 {}; search p50 is {:.1}x the baseline",
        ms(base),
        p50.as_secs_f64() / base.as_secs_f64().max(1e-9)
    );
    println!("  search accuracy at this size: {}", recall.describe());
    println!(
        "    not in the top five, by error: {}",
        top(recall.misses.clone().into_iter().collect(), 8)
    );
    // The likely-duplicates report over the whole index (every stored record is a different
    // person here: the report's time and memory, not its accuracy, which the accuracy part
    // measures through the same pairing code).
    let started = Instant::now();
    let report = app.likely_duplicates(&actor, 200).await?;
    println!(
        "  likely-duplicates report over all {n} people: {:.1} s, {} pairs shown (best {:.1} bits)",
        started.elapsed().as_secs_f64(),
        report.len(),
        report.first().map(|p| p.score).unwrap_or(0.0)
    );
    println!("  peak memory so far: {}", peak_memory());
    app.store.close().await;
    Ok(())
}
