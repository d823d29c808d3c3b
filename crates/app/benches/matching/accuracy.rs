//! Accuracy on labelled synthetic sets: threshold tuned on one seed, reported on another.

use super::blocking::blocking_recall;
use super::diagnose::diagnose;
use super::memory::peak_memory;
use super::recall::search_accuracy;
use super::scoring::Scored;
use super::{link_records_of, BenchResult, Sizes, DUPLICATE_RATE, LINK_OVERLAP};
use frontdoor_app::{
    calibrate_link, calibrate_within, dedupe_grouped, dedupe_records, link_records, one_to_one,
    weigh_addresses, LinkRecord, LinkedPair, DEFAULT_LINK_THRESHOLD, DEFAULT_ONE_TO_ONE_THRESHOLD,
};
use frontdoor_domain::matching::{
    comparison_vector, estimate_from_labelled, estimate_parameters, group_records, pairs_in_groups,
    Calibration, ComparisonVector, EmOptions, GroupOptions, MatchModel, ModelParameters,
    NameFrequencies, EDGE_MARGIN,
};
use frontdoor_synthetic::{
    duplicate_test_set, linkage_test_set, other_source_duplicate_test_set,
    other_source_linkage_test_set, LabelledRecord, Truth,
};
use std::collections::HashMap;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SetKind {
    /// Two files; pairs are one record from each.
    Link,
    /// One file; pairs are two of its records.
    Dedupe,
}

/// A labelled set, read through the CSV path the CLI uses.
pub(super) struct LabelledSet {
    pub(super) kind: SetKind,
    pub(super) left: Vec<LinkRecord>,
    pub(super) right: Vec<LinkRecord>,
    pub(super) records: Vec<LabelledRecord>,
    pub(super) truth: Truth,
}

impl LabelledSet {
    fn new(kind: SetKind, seed: u64, people: usize) -> BenchResult<Self> {
        Self::of(kind, seed, people, false)
    }

    /// A set as [`LabelledSet::new`]; with `other_source`, records as another source holds
    /// them (addresses, other systems' keys, impossible dates, heavy day/month swapping).
    fn of(kind: SetKind, seed: u64, people: usize, other_source: bool) -> BenchResult<Self> {
        Ok(match kind {
            SetKind::Link => {
                let set = if other_source {
                    other_source_linkage_test_set(seed, people, LINK_OVERLAP)
                } else {
                    linkage_test_set(seed, people, LINK_OVERLAP)
                };
                let mut left = link_records_of(&set.left)?;
                let mut right = link_records_of(&set.right)?;
                weigh_addresses(&mut [&mut left, &mut right]);
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
                let (records, truth) = if other_source {
                    other_source_duplicate_test_set(seed, people, DUPLICATE_RATE)
                } else {
                    duplicate_test_set(seed, people, DUPLICATE_RATE)
                };
                let mut left = link_records_of(&records)?;
                weigh_addresses(&mut [&mut left]);
                LabelledSet {
                    kind,
                    left,
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

    pub(super) fn by_id(&self) -> HashMap<&str, &LinkRecord> {
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

impl LabelledSet {
    /// The model calibrated on the set itself, as `frontdoor persons match` does by default.
    fn calibrated(&self, assignment: Assignment) -> Calibration {
        self.calibrated_from(&ModelParameters::default(), assignment)
    }

    fn calibrated_from(&self, base: &ModelParameters, assignment: Assignment) -> Calibration {
        match self.kind {
            SetKind::Link => calibrate_link(
                &self.left,
                &self.right,
                base,
                assignment.cli_default_threshold(),
            ),
            SetKind::Dedupe => {
                calibrate_within(&self.left, base, assignment.cli_default_threshold())
            }
        }
    }
}

/// At the defaults, as a new user runs them: the model calibrated on each set itself and the
/// threshold where the match probability reaches 0.5; nothing tuned on labels. Both seeds.
fn at_the_defaults(assignment: Assignment, sets: &[(&str, &LabelledSet)]) {
    for (seed, set) in sets {
        if set.kind == SetKind::Dedupe {
            blocking_recall(&format!("{seed} seed"), set);
        }
        let started = Instant::now();
        let calibration = set.calibrated(assignment);
        let calibrated_in = started.elapsed().as_secs_f64();
        let model = calibration.model();
        let candidates = set.candidate_pairs(&model);
        let pairs = match set.kind {
            // Within one file, the records grouped into people (`persons match --dedupe`):
            // every pair within a group, whatever its own score.
            SetKind::Dedupe => dedupe_grouped(&set.left, &model, calibration.threshold),
            SetKind::Link => assignment.apply(candidates.clone()),
        };
        if set.kind == SetKind::Dedupe {
            // What pairing costs, as the CLI runs it: pairs alone at the threshold, and grouped.
            let timed = Instant::now();
            let alone = dedupe_records(&set.left, &model, calibration.threshold).len();
            let alone_in = timed.elapsed().as_secs_f64();
            let timed = Instant::now();
            let grouped = dedupe_grouped(&set.left, &model, calibration.threshold).len();
            println!(
                "      pairing {} records: pairs alone {alone_in:.3} s ({alone} pairs), grouped {:.3} s ({grouped} pairs)",
                set.left.len(),
                timed.elapsed().as_secs_f64()
            );
        }
        let kept_from = match set.kind {
            SetKind::Dedupe => f64::NEG_INFINITY,
            SetKind::Link => calibration.threshold,
        };
        let scored = Scored::new(&pairs, &set.truth);
        let rule = match &calibration.fallback {
            None => format!(
                "{:.0} matches estimated, threshold {:.2} bits",
                calibration.expected_matches, calibration.threshold
            ),
            Some(reason) => format!(
                "fell back ({reason}), threshold {:.2} bits",
                calibration.threshold
            ),
        };
        println!(
            "      AT THE DEFAULTS, {seed} seed ({rule}; calibrated in {calibrated_in:.1} s): {}",
            scored.at(kept_from).describe()
        );
        if set.kind == SetKind::Dedupe {
            let compared = compared_at_all(set, &candidates, &pairs);
            let alone = Scored::new(&candidates, &set.truth).at(calibration.threshold);
            println!(
                "        true pairs ever compared (sharing a key, or paired within a group): {:.2}%; pairs alone at the threshold (not grouped): {}",
                100.0 * compared,
                alone.describe()
            );
        }
        if super::env_flag("FRONTDOOR_BENCH_DIAGNOSE") {
            diagnose(set, &candidates, &pairs, kept_from);
        }
        if set.kind == SetKind::Dedupe && std::env::var("FRONTDOOR_BENCH_EDGE_MARGINS").is_ok() {
            grouped(set, &model, calibration.threshold, seed);
        }
        let fixed = Scored::new(
            &assignment.apply(set.candidate_pairs(&MatchModel::default())),
            &set.truth,
        );
        let cli_default = assignment.cli_default_threshold();
        println!(
            "        the former fixed default ({cli_default} bits, built-in parameters), {seed} seed: {}",
            fixed.at(cli_default).describe()
        );
    }
}

/// Within one file, the records grouped into people (what `persons match --dedupe` does):
/// every pair within a group, scored against the truth.
fn grouped(set: &LabelledSet, model: &MatchModel, threshold: f64, seed: &str) {
    let index: HashMap<&str, u32> = set
        .left
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i as u32))
        .collect();
    let list = |name: &str, default: f64| -> Vec<f64> {
        std::env::var(name)
            .ok()
            .map(|m| m.split(',').filter_map(|x| x.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![default])
    };
    let strong: Vec<(u32, u32, f64)> = dedupe_records(&set.left, model, threshold - 10.0)
        .iter()
        .filter_map(|p| {
            Some((
                *index.get(p.left_id.as_str())?,
                *index.get(p.right_id.as_str())?,
                p.score,
            ))
        })
        .collect();
    let combos: Vec<(f64, f64)> = list("FRONTDOOR_BENCH_EDGE_MARGINS", EDGE_MARGIN)
        .into_iter()
        .flat_map(|e| {
            list(
                "FRONTDOOR_BENCH_JOIN_MARGINS",
                GroupOptions::default().join_margin,
            )
            .into_iter()
            .map(move |m| (e, m))
        })
        .collect();
    for (edge, margin) in combos {
        let started = Instant::now();
        let options = GroupOptions {
            edge_margin: edge,
            join_margin: margin,
            ..GroupOptions::default()
        };
        let groups = group_records(&set.left, &strong, model, threshold, &options);
        let pairs: Vec<LinkedPair> = pairs_in_groups(&set.left, &groups, model)
            .into_iter()
            .map(|(i, j, score)| LinkedPair {
                left_id: set.left[i as usize].id.clone(),
                right_id: set.left[j as usize].id.clone(),
                score,
            })
            .collect();
        let scored = Scored::new(&pairs, &set.truth);
        println!(
            "      GROUPED, {seed} seed (edges from {edge} bits below, join margin {margin} bits; {} groups, grouped in {:.2} s): {}",
            groups.len(),
            started.elapsed().as_secs_f64(),
            scored.at(f64::NEG_INFINITY).describe()
        );
        if super::env_flag("FRONTDOOR_BENCH_DIAGNOSE") {
            let candidates = set.candidate_pairs(model);
            diagnose(set, &candidates, &pairs, f64::NEG_INFINITY);
        }
    }
}

/// The share of true pairs compared at all: sharing a pairing key, or paired within a group
/// (the pairs of a group are compared whether or not they share a key).
fn compared_at_all(set: &LabelledSet, candidates: &[LinkedPair], grouped: &[LinkedPair]) -> f64 {
    let compared: std::collections::HashSet<(&str, &str)> = candidates
        .iter()
        .chain(grouped)
        .filter(|p| set.truth.same_person(&p.left_id, &p.right_id))
        .map(|p| {
            let (a, b) = (p.left_id.as_str(), p.right_id.as_str());
            (a.min(b), a.max(b))
        })
        .collect();
    compared.len() as f64 / set.truth.pair_count().max(1) as f64
}

/// `FRONTDOOR_BENCH_DEFAULTS_ONLY=1`: only the figures at the defaults (and with m by EM),
/// none of the tuned comparisons or search.
fn defaults_only() -> bool {
    super::env_flag("FRONTDOOR_BENCH_DEFAULTS_ONLY")
}

/// Not the default, for comparison: m estimated by EM over the set's own candidate pairs too
/// (u fixed at the random-pair estimate), then calibrated as the default is.
fn with_em_on_m(assignment: Assignment, sets: &[(&str, &LabelledSet)]) {
    for (seed, set) in sets {
        let first = set.calibrated(assignment);
        let unlabelled: Vec<ComparisonVector> = set
            .labelled_vectors(&set.candidate_pairs(&first.model()))
            .into_iter()
            .map(|(v, _)| v)
            .collect();
        let options = EmOptions {
            estimate_u: false,
            ..EmOptions::default()
        };
        let estimate = match estimate_parameters(&unlabelled, &first.parameters, &options) {
            Ok(e) => e,
            Err(e) => {
                println!("      with m by EM too, {seed} seed: EM failed: {e}");
                continue;
            }
        };
        let second = set.calibrated_from(&estimate.parameters, assignment);
        let scored = Scored::new(
            &assignment.apply(set.candidate_pairs(&second.model())),
            &set.truth,
        );
        println!(
            "      with m by EM too (not the default), {seed} seed ({} EM iterations; {}): {}",
            estimate.iterations,
            match &second.fallback {
                None => format!(
                    "{:.0} matches estimated, threshold {:.2} bits",
                    second.expected_matches, second.threshold
                ),
                Some(reason) => format!("fell back: {reason}"),
            },
            scored.at(second.threshold).describe()
        );
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

/// `FRONTDOOR_BENCH_SETS` (comma-separated: `link`, `dedupe`, `other-link`, `other-dedupe`;
/// default all): which labelled sets the accuracy part measures.
fn wanted(set: &str) -> bool {
    match std::env::var("FRONTDOOR_BENCH_SETS") {
        Ok(sets) if !sets.trim().is_empty() => sets.split(',').any(|s| s.trim() == set),
        _ => true,
    }
}

fn accuracy_of(kind: SetKind, what: &str, sizes: &Sizes) -> BenchResult<()> {
    if !wanted(match kind {
        SetKind::Link => "link",
        SetKind::Dedupe => "dedupe",
    }) {
        return Ok(());
    }
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
    let seeds = [("tuning", &tuning), ("reporting", &reporting)];
    println!("    calibrated defaults ({assignment:?}):");
    at_the_defaults(assignment, &seeds);
    with_em_on_m(assignment, &seeds);
    if kind == SetKind::Link {
        println!("    calibrated defaults, every pair (--all-pairs):");
        at_the_defaults(Assignment::EveryPair, &seeds);
    }
    if defaults_only() {
        return Ok(());
    }
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

/// Sets from another source (addresses, other systems' keys, impossible dates, heavy
/// day/month swapping), read leniently: figures at the defaults on both seeds, and at the
/// threshold with the best F1 on the tuning seed for comparison.
fn other_source_accuracy(sizes: &Sizes) -> BenchResult<()> {
    for (kind, what) in [
        (SetKind::Link, "batch linkage"),
        (SetKind::Dedupe, "duplicate detection"),
    ] {
        if !wanted(match kind {
            SetKind::Link => "other-link",
            SetKind::Dedupe => "other-dedupe",
        }) {
            continue;
        }
        let started = Instant::now();
        let tuning = LabelledSet::of(kind, sizes.tune_seed, sizes.accuracy_people, true)?;
        let reporting = LabelledSet::of(kind, sizes.report_seed, sizes.accuracy_people, true)?;
        println!(
            "  {what}, files from another source: {} true pairs (tuning seed), {} (reporting seed)",
            tuning.truth.pair_count(),
            reporting.truth.pair_count()
        );
        let assignment = match kind {
            SetKind::Link => Assignment::OneToOne,
            SetKind::Dedupe => Assignment::EveryPair,
        };
        let seeds = [("tuning", &tuning), ("reporting", &reporting)];
        at_the_defaults(assignment, &seeds);
        if kind == SetKind::Link {
            println!("    every pair (--all-pairs):");
            at_the_defaults(Assignment::EveryPair, &seeds);
        }
        if defaults_only() {
            continue;
        }
        evaluate(
            "built-in parameters, threshold tuned on labels (for comparison)",
            &|_| MatchModel::default(),
            assignment,
            &tuning,
            &reporting,
            false,
        );
        println!("    ({:.1} s)", started.elapsed().as_secs_f64());
    }
    Ok(())
}

pub(super) fn accuracy(runtime: &tokio::runtime::Runtime, sizes: &Sizes) -> BenchResult<()> {
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
    other_source_accuracy(sizes)?;
    if defaults_only() {
        return Ok(());
    }
    runtime.block_on(search_accuracy(sizes))?;
    println!("  peak memory so far: {}", peak_memory());
    Ok(())
}
