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

use frontdoor_app::{
    dedupe_records, link_records, one_to_one, read_link_records, search_keys_of, App, LinkRecord,
    LinkedPair, NewAuthority, NewWorker, PersonQuery, Settings, DEFAULT_LINK_THRESHOLD,
    DEFAULT_ONE_TO_ONE_THRESHOLD,
};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::SystemClock;
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_domain::matching::{
    blocking_keys, compare, comparison_vector, estimate_from_labelled, estimate_parameters,
    Agreement, ComparisonVector, EmOptions, Field, MatchModel, MatchRecord, NameFrequencies,
    PersonDetails,
};
use frontdoor_domain::person::{EthnicityCode, NhsNumber};
use frontdoor_store::bulk;
use frontdoor_store::people::{Person, PreviousName};
use frontdoor_store::{DatabaseUrl, Store};
use frontdoor_synthetic::{
    duplicate_test_set, linkage_test_set, write_labelled_person_csv, LabelledRecord, PersonRecord,
    Truth,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// The most anonymous memory (`RssAnon`: the process's own data, not the program or the
/// database pages SQLite maps) seen by the sampler, in KiB.
static PEAK_ANONYMOUS_KIB: AtomicU64 = AtomicU64::new(0);

fn status_kib(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Samples `RssAnon` every 20 ms for the rest of the run.
fn start_memory_sampler() {
    std::thread::spawn(|| loop {
        if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
            if let Some(kib) = status_kib(&status, "RssAnon:") {
                PEAK_ANONYMOUS_KIB.fetch_max(kib, Ordering::Relaxed);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    });
}

/// Peak memory of this process so far: resident (`VmHWM`, which also counts the database
/// pages SQLite maps into memory, once for each connection that touched them: the operating
/// system's page cache, shared) and anonymous (the process's own data, sampled).
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(kib) = status_kib(&status, "RssAnon:") {
        PEAK_ANONYMOUS_KIB.fetch_max(kib, Ordering::Relaxed);
    }
    let mib = |kib: u64| kib as f64 / 1024.0;
    match status_kib(&status, "VmHWM:") {
        Some(peak) => format!(
            "{:.0} MiB resident (VmHWM); {:.0} MiB anonymous",
            mib(peak),
            mib(PEAK_ANONYMOUS_KIB.load(Ordering::Relaxed))
        ),
        None => "unknown".into(),
    }
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

fn link_records_of(records: &[LabelledRecord]) -> BenchResult<Vec<LinkRecord>> {
    Ok(read_link_records(csv_of(records)?.as_slice())?)
}

// ---------------------------------------------------------------------------------------------
// Precision, recall, F1

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    true_positives: u64,
    false_positives: u64,
    true_pairs: u64,
}

impl Counts {
    fn precision(&self) -> f64 {
        let found = self.true_positives + self.false_positives;
        if found == 0 {
            1.0
        } else {
            self.true_positives as f64 / found as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.true_positives as f64 / self.true_pairs as f64
        }
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn describe(&self) -> String {
        format!(
            "precision {:.4}, recall {:.4}, F1 {:.4} ({} true pairs found, {} false, {} missed of {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_positives,
            self.false_positives,
            self.true_pairs - self.true_positives,
            self.true_pairs
        )
    }
}

/// Candidate pairs scored, each marked true or false.
struct Scored {
    pairs: Vec<(f64, bool)>,
    true_pairs: u64,
}

impl Scored {
    fn new(pairs: &[LinkedPair], truth: &Truth) -> Self {
        let mut scored: Vec<(f64, bool)> = pairs
            .iter()
            .map(|p| (p.score, truth.same_person(&p.left_id, &p.right_id)))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Scored {
            pairs: scored,
            true_pairs: truth.pair_count(),
        }
    }

    fn at(&self, threshold: f64) -> Counts {
        let mut counts = Counts {
            true_pairs: self.true_pairs,
            ..Counts::default()
        };
        for (score, same) in &self.pairs {
            if *score < threshold {
                break;
            }
            if *same {
                counts.true_positives += 1;
            } else {
                counts.false_positives += 1;
            }
        }
        counts
    }

    /// Share of true pairs that shared a blocking key (were scored at all).
    fn blocking_recall(&self) -> f64 {
        let candidates = self.pairs.iter().filter(|(_, same)| *same).count();
        candidates as f64 / self.true_pairs.max(1) as f64
    }

    /// The threshold with the best F1: halfway between the last pair kept and the next.
    fn best_threshold(&self) -> (f64, Counts) {
        let mut best = (f64::INFINITY, self.at(f64::INFINITY));
        let mut counts = Counts {
            true_pairs: self.true_pairs,
            ..Counts::default()
        };
        for (i, (score, same)) in self.pairs.iter().enumerate() {
            if *same {
                counts.true_positives += 1;
            } else {
                counts.false_positives += 1;
            }
            let next = self.pairs.get(i + 1).map(|p| p.0);
            if next == Some(*score) {
                continue;
            }
            if counts.f1() > best.1.f1() {
                let threshold = match next {
                    Some(n) => (score + n) / 2.0,
                    None => *score,
                };
                best = (threshold, counts);
            }
        }
        best
    }
}

// ---------------------------------------------------------------------------------------------
// Accuracy

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetKind {
    /// Two files; pairs are one record from each.
    Link,
    /// One file; pairs are two of its records.
    Dedupe,
}

/// A labelled set, read through the CSV path the CLI uses.
struct LabelledSet {
    kind: SetKind,
    left: Vec<LinkRecord>,
    right: Vec<LinkRecord>,
    records: Vec<LabelledRecord>,
    truth: Truth,
}

impl LabelledSet {
    fn new(kind: SetKind, seed: u64, people: usize) -> BenchResult<Self> {
        Ok(match kind {
            SetKind::Link => {
                let set = linkage_test_set(seed, people, LINK_OVERLAP);
                let left = link_records_of(&set.left)?;
                let right = link_records_of(&set.right)?;
                let mut records = set.left;
                records.extend(set.right);
                LabelledSet {
                    kind,
                    left,
                    right,
                    records,
                    truth: set.truth,
                }
            }
            SetKind::Dedupe => {
                let (records, truth) = duplicate_test_set(seed, people, DUPLICATE_RATE);
                LabelledSet {
                    kind,
                    left: link_records_of(&records)?,
                    right: Vec::new(),
                    records,
                    truth,
                }
            }
        })
    }

    /// Every candidate pair (sharing a blocking key), scored under `model`.
    fn candidate_pairs(&self, model: &MatchModel) -> Vec<LinkedPair> {
        match self.kind {
            SetKind::Link => link_records(&self.left, &self.right, model, f64::NEG_INFINITY),
            SetKind::Dedupe => dedupe_records(&self.left, model, f64::NEG_INFINITY),
        }
    }

    fn by_id(&self) -> HashMap<&str, &LinkRecord> {
        self.left
            .iter()
            .chain(&self.right)
            .map(|r| (r.id.as_str(), r))
            .collect()
    }

    /// The comparison vectors of the candidate pairs, each with whether it is a true pair.
    fn labelled_vectors(&self, pairs: &[LinkedPair]) -> Vec<(ComparisonVector, bool)> {
        let by_id = self.by_id();
        pairs
            .iter()
            .filter_map(|p| {
                let a = by_id.get(p.left_id.as_str())?;
                let b = by_id.get(p.right_id.as_str())?;
                Some((
                    comparison_vector(&a.record, &b.record),
                    self.truth.same_person(&p.left_id, &p.right_id),
                ))
            })
            .collect()
    }
}

/// A comparison vector in a few words: `given~Nickname family= dob≠ pc=`.
fn signature(vector: &ComparisonVector) -> String {
    let short = |f: Field| match f {
        Field::NhsNumber => "nhs",
        Field::LaPersonId => "la",
        Field::Upn => "upn",
        Field::GivenName => "given",
        Field::FamilyName => "family",
        Field::DateOfBirth => "dob",
        Field::Sex => "sex",
        Field::Postcode => "pc",
    };
    Field::ALL
        .iter()
        .filter_map(|f| match vector.get(*f) {
            Agreement::Missing => None,
            Agreement::Agree => Some(format!("{}=", short(*f))),
            Agreement::Disagree => Some(format!("{}≠", short(*f))),
            Agreement::PartlyAgree(kind) => Some(format!("{}~{kind:?}", short(*f))),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn top(counts: HashMap<String, usize>, n: usize) -> String {
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
        .iter()
        .take(n)
        .map(|(k, c)| format!("{c} × [{k}]"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the errors were made of, on the tuning seed only: the comparison vectors of false
/// matches and of missed true pairs, and the error kinds of the missed pairs' records.
fn diagnose(set: &LabelledSet, candidates: &[LinkedPair], pairs: &[LinkedPair], threshold: f64) {
    let by_id = set.by_id();
    let vector = |a: &str, b: &str| -> Option<ComparisonVector> {
        Some(comparison_vector(
            &by_id.get(a)?.record,
            &by_id.get(b)?.record,
        ))
    };
    let mut false_matches: HashMap<String, usize> = HashMap::new();
    let mut found: HashSet<(&str, &str)> = HashSet::new();
    for p in pairs.iter().filter(|p| p.score >= threshold) {
        if set.truth.same_person(&p.left_id, &p.right_id) {
            found.insert((p.left_id.as_str(), p.right_id.as_str()));
            found.insert((p.right_id.as_str(), p.left_id.as_str()));
        } else if let Some(v) = vector(&p.left_id, &p.right_id) {
            *false_matches.entry(signature(&v)).or_default() += 1;
        }
    }
    let kept: HashSet<(&str, &str)> = pairs
        .iter()
        .flat_map(|p| {
            [
                (p.left_id.as_str(), p.right_id.as_str()),
                (p.right_id.as_str(), p.left_id.as_str()),
            ]
        })
        .collect();
    let candidates: HashSet<(&str, &str)> = candidates
        .iter()
        .flat_map(|p| {
            [
                (p.left_id.as_str(), p.right_id.as_str()),
                (p.right_id.as_str(), p.left_id.as_str()),
            ]
        })
        .collect();
    let errors_of: HashMap<&str, &LabelledRecord> = set
        .records
        .iter()
        .map(|r| (r.record.id.as_str(), r))
        .collect();
    let mut missed: HashMap<String, usize> = HashMap::new();
    let mut missed_errors: HashMap<String, usize> = HashMap::new();
    for (a, b) in set.truth.pairs() {
        if found.contains(&(a.as_str(), b.as_str())) {
            continue;
        }
        let key = if kept.contains(&(a.as_str(), b.as_str())) {
            vector(&a, &b).map(|v| signature(&v)).unwrap_or_default()
        } else if candidates.contains(&(a.as_str(), b.as_str())) {
            "crowded out by a better pair".to_string()
        } else {
            "no shared blocking key".to_string()
        };
        *missed.entry(key).or_default() += 1;
        let mut kinds: Vec<&str> = [&a, &b]
            .iter()
            .filter_map(|id| errors_of.get(id.as_str()))
            .flat_map(|r| r.errors.iter().map(|e| e.code()))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        *missed_errors.entry(kinds.join("+")).or_default() += 1;
    }
    println!("      false matches: {}", top(false_matches, 6));
    println!("      missed, by comparison: {}", top(missed, 6));
    println!(
        "      missed, by the records' errors: {}",
        top(missed_errors, 6)
    );
}

/// Which pairs a linkage keeps: every pair above the threshold, or each record's best
/// ([`one_to_one`], what `frontdoor persons match --left --right` does by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assignment {
    EveryPair,
    OneToOne,
}

impl Assignment {
    fn apply(self, pairs: Vec<LinkedPair>) -> Vec<LinkedPair> {
        match self {
            Assignment::EveryPair => pairs,
            Assignment::OneToOne => one_to_one(pairs),
        }
    }

    fn cli_default_threshold(self) -> f64 {
        match self {
            Assignment::EveryPair => DEFAULT_LINK_THRESHOLD,
            Assignment::OneToOne => DEFAULT_ONE_TO_ONE_THRESHOLD,
        }
    }
}

/// Chooses the threshold on the tuning set and reports on the reporting set, for one model
/// (`model_for` may adapt it to a set's own data, such as its name frequencies).
fn evaluate(
    name: &str,
    model_for: &dyn Fn(&LabelledSet) -> MatchModel,
    assignment: Assignment,
    tuning: &LabelledSet,
    reporting: &LabelledSet,
    diagnostics: bool,
) {
    let tuning_candidates = tuning.candidate_pairs(&model_for(tuning));
    let tuning_pairs = assignment.apply(tuning_candidates.clone());
    let tuned = Scored::new(&tuning_pairs, &tuning.truth);
    let (threshold, best) = tuned.best_threshold();
    let reporting_candidates = reporting.candidate_pairs(&model_for(reporting));
    let reported_blocking = Scored::new(&reporting_candidates, &reporting.truth).blocking_recall();
    let reporting_candidate_count = reporting_candidates.len();
    let reported = Scored::new(&assignment.apply(reporting_candidates), &reporting.truth);
    println!(
        "    {name}: threshold {threshold:.2} bits (tuning F1 {:.4})",
        best.f1()
    );
    println!(
        "      REPORTING seed: {}",
        reported.at(threshold).describe()
    );
    if diagnostics {
        let cli_default = assignment.cli_default_threshold();
        println!(
            "      at the CLI default ({cli_default} bits), reporting seed: {}",
            reported.at(cli_default).describe()
        );
        println!(
            "      candidate pairs scored: {} (tuning), {} (reporting); true pairs sharing a blocking key: {:.2}% (tuning), {:.2}% (reporting)",
            tuning_candidates.len(),
            reporting_candidate_count,
            100.0 * Scored::new(&tuning_candidates, &tuning.truth).blocking_recall(),
            100.0 * reported_blocking
        );
        // Scores take discrete values (a level's weight is the same for every pair), so F1
        // can jump between nearby thresholds: show how it moves.
        let curve = |scored: &Scored| {
            [11.0, 12.0, 12.5, 13.0, 13.5, 14.0, 15.0, 16.0, 18.0, 20.0]
                .iter()
                .map(|t| format!("{t}: {:.4}", scored.at(*t).f1()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "      F1 by threshold (bits): tuning seed {}; reporting seed {}",
            curve(&tuned),
            curve(&reported)
        );
        println!("      on the tuning seed:");
        diagnose(tuning, &tuning_candidates, &tuning_pairs, threshold);
    }
}

fn accuracy_of(kind: SetKind, what: &str, sizes: &Sizes) -> BenchResult<()> {
    let started = Instant::now();
    let tuning = LabelledSet::new(kind, sizes.tune_seed, sizes.accuracy_people)?;
    let reporting = LabelledSet::new(kind, sizes.report_seed, sizes.accuracy_people)?;
    println!(
        "  {what}: {} true pairs (tuning seed {}), {} (reporting seed {})",
        tuning.truth.pair_count(),
        sizes.tune_seed,
        reporting.truth.pair_count(),
        sizes.report_seed
    );
    let default = MatchModel::default();
    // Linking two files keeps each record's best pair (the CLI's default); every pair is
    // shown too, for comparison. Duplicates within one file keep every pair.
    let assignment = match kind {
        SetKind::Link => Assignment::OneToOne,
        SetKind::Dedupe => Assignment::EveryPair,
    };
    evaluate(
        match kind {
            SetKind::Link => "default parameters, each record's best pair (one to one)",
            SetKind::Dedupe => "default parameters",
        },
        &|_| MatchModel::default(),
        assignment,
        &tuning,
        &reporting,
        true,
    );
    if kind == SetKind::Link {
        evaluate(
            "default parameters, every pair (--all-pairs)",
            &|_| MatchModel::default(),
            Assignment::EveryPair,
            &tuning,
            &reporting,
            true,
        );
    }
    evaluate(
        "default parameters with the files' own name frequencies",
        &|set| {
            MatchModel::default().with_name_frequencies(NameFrequencies::from_records(
                set.left.iter().chain(&set.right).map(|r| &r.record),
            ))
        },
        assignment,
        &tuning,
        &reporting,
        false,
    );
    // Parameters estimated from the tuning seed's candidate pairs, without and with labels.
    let vectors = tuning.labelled_vectors(&tuning.candidate_pairs(&default));
    let unlabelled: Vec<ComparisonVector> = vectors.iter().map(|(v, _)| *v).collect();
    match estimate_parameters(&unlabelled, default.parameters(), &EmOptions::default())
        .map_err(|e| e.to_string())
        .and_then(|e| {
            let note = format!(
                "{} iterations, λ {:.3}{}",
                e.iterations,
                e.match_proportion,
                if e.converged { "" } else { ", not converged" }
            );
            MatchModel::new(e.parameters)
                .map(|m| (m, note))
                .map_err(|e| e.to_string())
        }) {
        Ok((model, note)) => evaluate(
            &format!("EM estimate from the tuning seed's candidate pairs ({note})"),
            &|_| model.clone(),
            assignment,
            &tuning,
            &reporting,
            false,
        ),
        Err(e) => println!("    EM estimate failed: {e}"),
    }
    match estimate_from_labelled(&vectors, default.parameters(), 10.0)
        .map_err(|e| e.to_string())
        .and_then(|p| MatchModel::new(p).map_err(|e| e.to_string()))
    {
        Ok(model) => evaluate(
            "supervised estimate from the tuning seed's labelled candidate pairs",
            &|_| model.clone(),
            assignment,
            &tuning,
            &reporting,
            false,
        ),
        Err(e) => println!("    supervised estimate failed: {e}"),
    }
    println!("    ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

async fn fresh_app(file: &Path) -> BenchResult<(App, AuthorityId, Actor)> {
    let url = format!("sqlite://{}", file.display());
    let store = Store::connect(&DatabaseUrl::parse(&url)?).await?;
    store.migrate().await?;
    let app = App::new(store, Arc::new(SystemClock), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "benchshire".into(),
            name: "Benchshire County Council".into(),
            front_door_teams: vec!["MASH".into()],
            other_teams: vec![],
            partners: vec![],
        })
        .await?;
    // A MASH social worker needs a team.
    let team = app.store.teams(authority).await?.first().map(|t| t.id);
    let worker = app
        .add_worker_as_operator(&NewWorker {
            authority,
            username: "searcher".into(),
            display_name: "Bench searcher".into(),
            role: Role::MashSocialWorker,
            team,
            organisation: None,
            asye: false,
            password: "benchmark password".into(),
        })
        .await?;
    Ok((app, authority, worker.actor()))
}

/// A database an earlier run loaded (`FRONTDOOR_BENCH_SEARCH_DB`), with its searcher.
async fn reuse_app(path: &str, people: usize) -> BenchResult<(App, AuthorityId, Actor)> {
    let store = Store::connect(&DatabaseUrl::parse(&format!("sqlite://{path}"))?).await?;
    store.check_schema().await?;
    let authority = store
        .authority_by_code("benchshire")
        .await?
        .ok_or("the database has no benchshire authority: remove it and load again")?;
    let stored = store.person_count(authority).await?;
    if stored != people as i64 {
        return Err(format!(
            "the database holds {stored} people, not {people}: remove it and load again"
        )
        .into());
    }
    let actor = store
        .workers(authority)
        .await?
        .into_iter()
        .find(|w| w.username == "searcher")
        .ok_or("the database has no searcher: remove it and load again")?
        .actor();
    let app = App::new(store, Arc::new(SystemClock), Settings::default());
    Ok((app, authority, actor))
}

fn query_of(record: &PersonRecord) -> PersonQuery {
    PersonQuery {
        given_name: record.given_name.clone(),
        family_name: record.family_name.clone(),
        date_of_birth: record
            .date_of_birth
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        sex: record.sex.map(|s| s.code().to_string()).unwrap_or_default(),
        postcode: record
            .postcode
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        nhs_number: record.nhs_number.clone().unwrap_or_default(),
        la_person_id: String::new(),
        upn: String::new(),
    }
}

#[derive(Default)]
struct Recall {
    queries: usize,
    first: usize,
    top_five: usize,
    errors: usize,
    misses: BTreeMap<String, usize>,
}

impl Recall {
    fn describe(&self) -> String {
        let q = self.queries.max(1) as f64;
        format!(
            "recall@1 {:.4}, recall@5 {:.4} over {} searches ({} refused)",
            self.first as f64 / q,
            self.top_five as f64 / q,
            self.queries,
            self.errors
        )
    }
}

/// Searches with each duplicate's details; the true record is the original with the
/// person's LA id.
async fn search_recall(
    app: &App,
    actor: &Actor,
    queries: &[&LabelledRecord],
    original_la_id: &HashMap<u32, String>,
    latencies: Option<&mut Vec<Duration>>,
) -> Recall {
    let mut recall = Recall::default();
    let mut times = Vec::new();
    for labelled in queries {
        let Some(expected) = original_la_id.get(&labelled.truth.0) else {
            continue;
        };
        recall.queries += 1;
        let started = Instant::now();
        let result = app.search_people(actor, &query_of(&labelled.record)).await;
        times.push(started.elapsed());
        match result {
            Ok(found) => {
                let rank = found
                    .results
                    .iter()
                    .position(|r| r.person.la_person_id == *expected);
                match rank {
                    Some(0) => {
                        recall.first += 1;
                        recall.top_five += 1;
                    }
                    Some(r) if r < 5 => recall.top_five += 1,
                    _ => {
                        let mut kinds: Vec<&str> =
                            labelled.errors.iter().map(|e| e.code()).collect();
                        kinds.sort_unstable();
                        *recall.misses.entry(kinds.join("+")).or_default() += 1;
                    }
                }
            }
            Err(_) => recall.errors += 1,
        }
    }
    if let Some(latencies) = latencies {
        latencies.extend(times);
    }
    recall
}

async fn search_accuracy(sizes: &Sizes) -> BenchResult<()> {
    let started = Instant::now();
    let (records, _truth) =
        duplicate_test_set(sizes.report_seed, sizes.accuracy_people, DUPLICATE_RATE);
    let originals: Vec<LabelledRecord> = records.iter().filter(|r| r.original).cloned().collect();
    let original_la_id: HashMap<u32, String> = originals
        .iter()
        .map(|r| (r.truth.0, r.record.la_person_id.clone()))
        .collect();
    let duplicates: Vec<&LabelledRecord> = records.iter().filter(|r| !r.original).collect();
    let dir = TempDir::new("accuracy")?;
    let (app, authority, actor) = fresh_app(&dir.0.join("frontdoor.db")).await?;
    let import = app
        .import_people_csv(None, authority, csv_of(&originals)?.as_slice())
        .await?;
    let recall = search_recall(&app, &actor, &duplicates, &original_la_id, None).await;
    println!(
        "  search, REPORTING seed {}: {} people imported in {:.1} s ({:.0} a second, each with an event); {}; {:.1} s",
        sizes.report_seed,
        import.people,
        import.elapsed.as_secs_f64(),
        import.people as f64 / import.elapsed.as_secs_f64().max(1e-9),
        recall.describe(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "    not in the top five, by error: {}",
        top(recall.misses.clone().into_iter().collect(), 8)
    );
    app.store.close().await;
    Ok(())
}

fn accuracy(runtime: &tokio::runtime::Runtime, sizes: &Sizes) -> BenchResult<()> {
    println!(
        "accuracy: labelled synthetic sets of {} people; thresholds chosen on seed {}, reported on seed {}",
        sizes.accuracy_people, sizes.tune_seed, sizes.report_seed
    );
    accuracy_of(
        SetKind::Link,
        &format!(
            "batch linkage (two files of {} people, {:.0}% in both)",
            sizes.accuracy_people,
            LINK_OVERLAP * 100.0
        ),
        sizes,
    )?;
    accuracy_of(
        SetKind::Dedupe,
        &format!(
            "duplicate detection (one file, {:.0}% of people recorded more than once)",
            DUPLICATE_RATE * 100.0
        ),
        sizes,
    )?;
    runtime.block_on(search_accuracy(sizes))?;
    println!("  peak memory so far: {}", peak_memory());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Linking two files of 100,000

fn link_speed(sizes: &Sizes) -> BenchResult<()> {
    let model = MatchModel::default();
    let n = sizes.link_people;
    let started = Instant::now();
    let set = linkage_test_set(sizes.report_seed, n, LINK_OVERLAP);
    let left_csv = csv_of(&set.left)?;
    let right_csv = csv_of(&set.right)?;
    let generated = started.elapsed();
    let started = Instant::now();
    let left = read_link_records(left_csv.as_slice())?;
    let right = read_link_records(right_csv.as_slice())?;
    let read = started.elapsed();
    drop((left_csv, right_csv));
    let started = Instant::now();
    // What `frontdoor persons match --left --right` does: each record's best pair.
    let pairs = one_to_one(link_records(
        &left,
        &right,
        &model,
        DEFAULT_ONE_TO_ONE_THRESHOLD,
    ));
    let linked = started.elapsed();
    let counts = Scored::new(&pairs, &set.truth).at(DEFAULT_ONE_TO_ONE_THRESHOLD);
    println!(
        "link: two files of {n} people ({:.0}% in both; generated and written in {:.1} s)",
        LINK_OVERLAP * 100.0,
        generated.as_secs_f64()
    );
    println!(
        "  read and normalise both files (baseline): {:.2} s; link: {:.2} s ({:.1}x the baseline); total {:.2} s; {} pairs (each record's best) at {DEFAULT_ONE_TO_ONE_THRESHOLD} bits",
        read.as_secs_f64(),
        linked.as_secs_f64(),
        linked.as_secs_f64() / read.as_secs_f64().max(1e-9),
        (read + linked).as_secs_f64(),
        pairs.len()
    );
    println!(
        "  accuracy at this size (reporting seed {}): {}",
        sizes.report_seed,
        counts.describe()
    );
    println!("  peak memory so far: {}", peak_memory());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Search with a million people

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn stored_person(record: &PersonRecord, authority: AuthorityId) -> Person {
    Person {
        id: PersonId::new(),
        authority,
        la_person_id: record.la_person_id.clone(),
        given_name: record.given_name.trim().to_string(),
        family_name: record.family_name.trim().to_string(),
        birth_date: record.date_of_birth,
        birth_date_expected: false,
        sex: record
            .sex
            .unwrap_or(frontdoor_domain::person::Sex::NotKnown),
        ethnicity: EthnicityCode::NOT_OBTAINED,
        nhs_number: record
            .nhs_number
            .as_deref()
            .and_then(|n| NhsNumber::parse(n).ok()),
        upn: record.upn.clone(),
        disabilities: "NONE".into(),
        postcode: record.postcode.clone(),
        merged_into: None,
    }
}

async fn bulk_load(
    app: &App,
    authority: AuthorityId,
    originals: &[&LabelledRecord],
) -> BenchResult<(Duration, u64)> {
    let started = Instant::now();
    let at = app.now();
    let mut keys: Vec<(String, PersonId)> = Vec::with_capacity(originals.len() * 8);
    let mut rows = 0u64;
    for chunk in originals.chunks(50_000) {
        let mut people = Vec::with_capacity(chunk.len());
        let mut names = Vec::new();
        for labelled in chunk {
            let person = stored_person(&labelled.record, authority);
            let previous: Vec<PreviousName> = labelled
                .record
                .previous_family_names
                .iter()
                .map(|family| PreviousName {
                    given_name: person.given_name.clone(),
                    family_name: family.clone(),
                    kind: "previous".into(),
                })
                .collect();
            for key in search_keys_of(&person, &previous) {
                keys.push((key, person.id));
            }
            names.extend(previous.into_iter().map(|n| (person.id, n)));
            people.push(person);
        }
        let mut tx = app.store.begin().await?;
        bulk::enlarge_page_cache(&mut tx, 256).await?;
        rows += bulk::insert_people(&mut tx, &people, at).await?;
        rows += bulk::insert_previous_names(&mut tx, authority, &names, at).await?;
        tx.commit().await?;
    }
    let people_done = started.elapsed();
    keys.sort_unstable();
    for chunk in keys.chunks(500_000) {
        let mut tx = app.store.begin().await?;
        bulk::enlarge_page_cache(&mut tx, 256).await?;
        rows += bulk::insert_blocking_keys(&mut tx, authority, chunk).await?;
        tx.commit().await?;
    }
    println!(
        "  bulk load: {} people in {:.1} s, then {} search keys in {:.1} s",
        originals.len(),
        people_done.as_secs_f64(),
        keys.len(),
        (started.elapsed() - people_done).as_secs_f64()
    );
    Ok((started.elapsed(), rows))
}

async fn search_speed(sizes: &Sizes) -> BenchResult<()> {
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

// ---------------------------------------------------------------------------------------------
// Diagnostics (FRONTDOOR_BENCH_PROFILE=1)

/// A duplicate's details as search gets them (no previous names, no identifiers but the NHS
/// number).
fn query_details(record: &PersonRecord) -> PersonDetails {
    PersonDetails {
        given_names: record.given_name.clone(),
        family_name: record.family_name.clone(),
        previous_family_names: vec![],
        date_of_birth: record.date_of_birth,
        sex: record.sex,
        postcode: record.postcode.as_ref().map(|p| p.to_string()),
        nhs_number: record.nhs_number.clone(),
        la_person_id: None,
        upn: None,
    }
}

/// Times each step of a search the way `App::search_people` takes them (find candidates by
/// shared keys, read them, read their previous names, normalise them, score them), each
/// read a second time so that statement preparation is not counted.
async fn profile_steps(
    app: &App,
    authority: AuthorityId,
    queries: &[&LabelledRecord],
) -> BenchResult<()> {
    let limit = env_number("FRONTDOOR_BENCH_PROFILE_LIMIT", 400)? as i64;
    let model = MatchModel::default();
    let mut steps = [Duration::ZERO; 4];
    let mut candidates = 0usize;
    let mut first_reads = Duration::ZERO;
    for q in queries {
        let started = Instant::now();
        let record = MatchRecord::new(&query_details(&q.record));
        let keys = blocking_keys(&record);
        let _ = app.store.search_candidates(authority, &keys, limit).await?;
        first_reads += started.elapsed();
        let started = Instant::now();
        let found = app.store.search_candidates(authority, &keys, limit).await?;
        steps[0] += started.elapsed();
        let started = Instant::now();
        let records: Vec<MatchRecord> = found
            .iter()
            .map(|c| {
                MatchRecord::new(&PersonDetails {
                    given_names: c.given_name.clone(),
                    family_name: c.family_name.clone(),
                    previous_family_names: c.previous_family_names.clone(),
                    date_of_birth: c.birth_date,
                    sex: Some(c.sex),
                    postcode: c.postcode.clone(),
                    nhs_number: c.nhs_number.clone(),
                    la_person_id: Some(c.la_person_id.clone()),
                    upn: c.upn.clone(),
                })
            })
            .collect();
        steps[1] += started.elapsed();
        let started = Instant::now();
        let mut scores: Vec<(f64, PersonId)> = records
            .iter()
            .zip(&found)
            .map(|(r, c)| (compare(&record, r, &model).score, c.id))
            .collect();
        scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        steps[2] += started.elapsed();
        let started = Instant::now();
        let shown: Vec<PersonId> = scores.iter().take(20).map(|s| s.1).collect();
        let _ = app.store.people_by_ids(authority, &shown).await?;
        steps[3] += started.elapsed();
        candidates += found.len();
    }
    let n = queries.len().max(1) as f64;
    let each = |d: Duration| d.as_secs_f64() * 1000.0 / n;
    println!(
        "  profile, per search (up to {limit} candidates): find and read candidates {:.2} ms, normalise {:.2} ms, score and rank {:.2} ms, read the 20 shown {:.2} ms; {:.0} candidates on average",
        each(steps[0]),
        each(steps[1]),
        each(steps[2]),
        each(steps[3]),
        candidates as f64 / n
    );
    println!(
        "    the same query the first time for these keys: {:.2} ms",
        each(first_reads)
    );
    Ok(())
}

async fn rank_positions(
    app: &App,
    authority: AuthorityId,
    queries: &[&LabelledRecord],
    original_la_id: &HashMap<u32, String>,
) -> BenchResult<()> {
    let bounds = [25usize, 50, 100, 150, 200, 300, 400, 1000, 5000];
    let mut counts = vec![0usize; bounds.len() + 1];
    for q in queries {
        let Some(expected) = original_la_id.get(&q.truth.0) else {
            continue;
        };
        let keys = blocking_keys(&MatchRecord::new(&query_details(&q.record)));
        let found = app.store.search_candidates(authority, &keys, 5000).await?;
        let position = found.iter().position(|c| c.la_person_id == *expected);
        let bucket = position
            .and_then(|p| bounds.iter().position(|b| p < *b))
            .unwrap_or(bounds.len());
        counts[bucket] += 1;
    }
    let described: Vec<String> = bounds
        .iter()
        .zip(&counts)
        .map(|(b, c)| format!("< {b}: {c}"))
        .collect();
    println!(
        "  rank of the true record among the candidates: {}; beyond, or sharing no key: {}",
        described.join(", "),
        counts[bounds.len()]
    );
    Ok(())
}
