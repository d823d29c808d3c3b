//! Person matching, measured: accuracy on labelled synthetic sets, search latency with a
//! million people stored on SQLite, and linking two files of 100,000 people in memory.
//!
//! ```text
//! cargo bench -p frontdoor-app --bench matching                       # full size (about 5 minutes)
//! FRONTDOOR_BENCH_QUICK=1 cargo bench -p frontdoor-app --bench matching   # small sizes, a smoke run
//! FRONTDOOR_BENCH_PARTS=accuracy cargo bench -p frontdoor-app --bench matching
//! FRONTDOOR_BENCH_PARTS=link,search FRONTDOOR_BENCH_SEARCH_PEOPLE=200000 cargo bench -p frontdoor-app --bench matching
//! ```
//!
//! Parts (`FRONTDOOR_BENCH_PARTS`, comma-separated; default all three, in this order):
//!
//! - `accuracy`: labelled sets from the synthetic generator (households of every origin, with
//!   duplicates carrying typing and phonetic errors, nicknames, swapped names and dates, wrong
//!   digits, changed surnames, moves and blanks). For batch linkage (two files; half the
//!   people in both) and for duplicate detection (one file; 20% of people recorded twice or
//!   more), the threshold is chosen where F1 is highest on the tuning seed
//!   (`FRONTDOOR_BENCH_TUNE_SEED`, default 1), then precision, recall and F1 are reported at
//!   that threshold on the reporting seed (`FRONTDOOR_BENCH_REPORT_SEED`, default 2), which
//!   nothing was tuned on. Search: the reporting seed's original records are imported (through
//!   `App::import_people_csv`) into a fresh SQLite database, and each duplicate's details are
//!   searched with `App::search_people`: recall at 1 and at 5 (the true record first / in the
//!   top five). Sizes: `FRONTDOOR_BENCH_ACCURACY_PEOPLE` people a set (default 20,000).
//!   Linkage keeps each record's best pair (`one_to_one`, the CLI's default); every pair
//!   (`--all-pairs`) is shown too. For comparison, the same protocol with the files' own
//!   name frequencies, and with
//!   parameters estimated from the tuning seed's candidate pairs (EM, and from their labels);
//!   on the tuning seed only, the comparison patterns of false and missed pairs.
//! - `link`: two files of `FRONTDOOR_BENCH_LINK_PEOPLE` people each (default 100,000; half
//!   shared), written as CSV, read back and linked in memory as `frontdoor persons match`
//!   does (`link_records` and `one_to_one` at `DEFAULT_ONE_TO_ONE_THRESHOLD`). Baseline:
//!   reading and normalising the two files.
//! - `search`: `FRONTDOOR_BENCH_SEARCH_PEOPLE` people (default 1,000,000) bulk-loaded into a
//!   fresh SQLite database (people, previous names and search keys, with multi-row inserts in
//!   large transactions and a 256 MiB page cache on the loading connections; no events: this
//!   fills a database for timing, it is not an import), then `FRONTDOOR_BENCH_QUERIES`
//!   searches (default 2,000) with the details of duplicate records (realistic errors), one at
//!   a time after 200 warm-up searches: p50, p90, p99 and maximum latency of
//!   `App::search_people`, against a baseline of reading one person by id, and recall at 1
//!   and 5 at that size; then the time of the likely-duplicates report over the whole store.
//!   The database goes in `FRONTDOOR_BENCH_DIR` (default: the system's
//!   temporary folder) and is removed afterwards (kept, for a look, with
//!   `FRONTDOOR_BENCH_KEEP=1`). With `FRONTDOOR_BENCH_SEARCH_DB=FILE` it is loaded into FILE
//!   and kept, and a later run with the same size reuses it instead of loading again.
//!
//! At the defaults: every accuracy set is also scored as `frontdoor persons match` scores it
//! by default — calibrated on the set itself (u from random pairs, the prior by EM, pairs at
//! match probability 0.5), nothing tuned on labels — on both seeds, next to the former fixed
//! thresholds; and sets from another source (`other_source_linkage_test_set`: addresses, other
//! systems' keys, impossible dates, heavy day/month swapping) read leniently.
//! `FRONTDOOR_BENCH_DEFAULTS_ONLY=1` prints only those figures. Deduplication at the defaults
//! groups the records into people (`dedupe_grouped`, as `persons match --dedupe`), next to
//! the pairs alone at the same threshold; for each deduplication set the bench also prints
//! blocking recall and the pairs compared with search's keys (before) and the pairing keys
//! (after), and the share of true pairs ever compared (sharing a key, or within a group).
//! `FRONTDOOR_BENCH_SETS=link,dedupe,other-link,other-dedupe` picks the sets;
//! `FRONTDOOR_BENCH_DIAGNOSE=1` prints what the false and missed pairs at the defaults were
//! made of; `FRONTDOOR_BENCH_EDGE_MARGINS=0,2,3` and `FRONTDOOR_BENCH_JOIN_MARGINS=0,4` try
//! other grouping settings (bits below the threshold; how decision 0025 chose them).
//!
//! Diagnostics: `FRONTDOOR_BENCH_PROFILE=1` also times each step of a search on the large
//! store (`FRONTDOOR_BENCH_PROFILE_LIMIT` candidates, default 400) and shows where the true
//! record ranks among the candidates before scoring.
//!
//! Peak memory after each part: the process's `VmHWM` (from `/proc/self/status`), which also
//! counts the database pages SQLite maps into memory (once for each connection that touched
//! them), and the most anonymous memory (`RssAnon`, the process's own data) sampled every
//! 20 ms.
//! `FRONTDOOR_BENCH_QUICK=1` (or `-- --quick`) uses 2,000 / 5,000 / 20,000 people and 300
//! queries. Run without `--bench` (as `cargo test --benches` does) it makes a tiny run as a
//! smoke test.

mod accuracy;
mod blocking;
mod diagnose;
mod link;
mod memory;
mod profile;
mod recall;
mod scoring;
mod search;
mod stores;

use accuracy::accuracy;
use frontdoor_app::{read_link_file, LinkRecord};
use frontdoor_synthetic::{write_labelled_person_csv, LabelledRecord};
use link::link_speed;
use memory::{peak_memory, start_memory_sampler};
use search::search_speed;
use std::path::PathBuf;
use std::time::Instant;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Share of people in a duplicate-detection set recorded more than once.
const DUPLICATE_RATE: f64 = 0.2;
/// Share of the left file's people also in the right file.
const LINK_OVERLAP: f64 = 0.5;
/// Seed of the million-person store (neither the tuning nor the reporting seed).
const SPEED_SEED: u64 = 3;

struct Sizes {
    accuracy_people: usize,
    link_people: usize,
    search_people: usize,
    queries: usize,
    tune_seed: u64,
    report_seed: u64,
}

fn env_number(name: &str, default: usize) -> BenchResult<usize> {
    match std::env::var(name) {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not '{text}'").into()),
        _ => Ok(default),
    }
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// A folder under the temporary folder (or `FRONTDOOR_BENCH_DIR`), removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> std::io::Result<Self> {
        let base = std::env::var("FRONTDOOR_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = base.join(format!(
            "frontdoor-matching-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if env_flag("FRONTDOOR_BENCH_KEEP") {
            println!("  (kept {})", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn csv_of(records: &[LabelledRecord]) -> BenchResult<Vec<u8>> {
    let mut out = Vec::new();
    write_labelled_person_csv(&mut out, records)?;
    Ok(out)
}

/// The records as `frontdoor persons match` reads them (leniently: an impossible date is
/// blanked, a day/month swap past 12 read back).
fn link_records_of(records: &[LabelledRecord]) -> BenchResult<Vec<LinkRecord>> {
    Ok(read_link_file(csv_of(records)?.as_slice())?.records)
}

fn main() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench");
    let quick =
        !benchmarking || args.iter().any(|a| a == "--quick") || env_flag("FRONTDOOR_BENCH_QUICK");
    let tiny = !benchmarking;
    let sizes = Sizes {
        accuracy_people: env_number(
            "FRONTDOOR_BENCH_ACCURACY_PEOPLE",
            if tiny {
                300
            } else if quick {
                2_000
            } else {
                20_000
            },
        )?,
        link_people: env_number(
            "FRONTDOOR_BENCH_LINK_PEOPLE",
            if tiny {
                500
            } else if quick {
                5_000
            } else {
                100_000
            },
        )?,
        search_people: env_number(
            "FRONTDOOR_BENCH_SEARCH_PEOPLE",
            if tiny {
                2_000
            } else if quick {
                20_000
            } else {
                1_000_000
            },
        )?,
        queries: env_number(
            "FRONTDOOR_BENCH_QUERIES",
            if tiny {
                50
            } else if quick {
                300
            } else {
                2_000
            },
        )?,
        tune_seed: env_number("FRONTDOOR_BENCH_TUNE_SEED", 1)? as u64,
        report_seed: env_number("FRONTDOOR_BENCH_REPORT_SEED", 2)? as u64,
    };
    if sizes.tune_seed == sizes.report_seed {
        return Err("the tuning and reporting seeds must differ".into());
    }
    let parts =
        std::env::var("FRONTDOOR_BENCH_PARTS").unwrap_or_else(|_| "accuracy,link,search".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    start_memory_sampler();
    let started = Instant::now();
    for part in parts.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "accuracy" => accuracy(&runtime, &sizes)?,
            "link" => link_speed(&sizes)?,
            "search" => runtime.block_on(search_speed(&sizes))?,
            other => {
                return Err(format!(
                    "unknown part '{other}' in FRONTDOOR_BENCH_PARTS: use accuracy, link, search"
                )
                .into())
            }
        }
    }
    println!(
        "matching bench done in {:.1} s; peak memory {}",
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
    Ok(())
}
