//! The model calibrated on the files being matched: u from random pairs of their records, the
//! proportion of matches by EM over their candidate pairs, and the threshold at which a pair's
//! match probability reaches 0.5 (`frontdoor_domain::matching::calibrate`).

use super::pairs::{hashed_keys, hashed_pairing_keys, in_parallel_collect, BlockIndex, Candidates};
use super::*;
use frontdoor_domain::matching::{
    calibrate, comparison_vector, Agreement, Calibration, CalibrationInput, CalibrationOptions,
    ComparisonVector, Field, MatchRecord, ModelParameters,
};
use std::collections::HashMap;

/// Random pairs drawn to estimate u (fewer when the files hold fewer pairs).
pub const CALIBRATION_RANDOM_PAIRS: usize = 100_000;

/// SplitMix64: a small, fixed generator, so a calibration is the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Within one system every record has its own LA person id: that two differ says nothing
/// (as [`frontdoor_domain::matching::compare_within_one_system`]).
fn within_one_system(mut v: ComparisonVector) -> ComparisonVector {
    if v.get(Field::LaPersonId) == Agreement::Disagree {
        v.set(Field::LaPersonId, Agreement::Missing);
    }
    v
}

fn merge(parts: Vec<HashMap<ComparisonVector, u64>>) -> Vec<(ComparisonVector, u64)> {
    let mut all: HashMap<ComparisonVector, u64> = HashMap::new();
    for part in parts {
        for (v, n) in part {
            *all.entry(v).or_default() += n;
        }
    }
    let mut counted: Vec<(ComparisonVector, u64)> = all.into_iter().collect();
    // A fixed order keeps the sums, and so the estimate, the same on every run.
    counted.sort_by_key(|(v, _)| *v.agreements());
    counted
}

/// Calibrates the model for linking two files (one record from each).
pub fn calibrate_link(
    left: &[LinkRecord],
    right: &[LinkRecord],
    base: &ModelParameters,
    fixed_threshold: f64,
) -> Calibration {
    let left_keys: Vec<Vec<u64>> = left.iter().map(|r| hashed_keys(&r.record)).collect();
    let index = BlockIndex::new(left_keys.iter().map(Vec::as_slice));
    drop(left_keys);
    let parts = in_parallel_collect(right.len(), |rows| {
        let mut candidates = Candidates::new(left.len());
        let mut counts: HashMap<ComparisonVector, u64> = HashMap::new();
        for r in rows {
            let Some(right_record) = right.get(r) else {
                continue;
            };
            let keys = hashed_keys(&right_record.record);
            for &l in candidates.of(&index, &keys, r as u32, None) {
                if let Some(left_record) = left.get(l as usize) {
                    let v = comparison_vector(&left_record.record, &right_record.record);
                    *counts.entry(v).or_default() += 1;
                }
            }
        }
        counts
    });
    let candidates = merge(parts);
    let all_pairs = left.len() as f64 * right.len() as f64;
    let mut rng = SplitMix(0x5eed_ca11_b4a7_e001);
    let draws = CALIBRATION_RANDOM_PAIRS.min(all_pairs as usize);
    let random: Vec<ComparisonVector> = if left.is_empty() || right.is_empty() {
        Vec::new()
    } else {
        (0..draws)
            .map(|_| {
                comparison_vector(
                    &left[rng.below(left.len())].record,
                    &right[rng.below(right.len())].record,
                )
            })
            .collect()
    };
    calibrate(
        &CalibrationInput {
            candidates: &candidates,
            random: &random,
            all_pairs,
            most_matches: left.len().min(right.len()) as f64,
        },
        base,
        fixed_threshold,
        &CalibrationOptions::default(),
    )
}

/// Calibrates the model for finding duplicates within one set of records (a file, or the
/// authority's people for the duplicates report).
pub fn calibrate_within<R: AsRef<MatchRecord> + Sync>(
    records: &[R],
    base: &ModelParameters,
    fixed_threshold: f64,
) -> Calibration {
    let keys: Vec<Vec<u64>> = records
        .iter()
        .map(|r| hashed_pairing_keys(r.as_ref()))
        .collect();
    let index = BlockIndex::new(keys.iter().map(Vec::as_slice));
    let parts = in_parallel_collect(records.len(), |rows| {
        let mut candidates = Candidates::new(records.len());
        let mut counts: HashMap<ComparisonVector, u64> = HashMap::new();
        for i in rows {
            let (Some(record), Some(record_keys)) = (records.get(i), keys.get(i)) else {
                continue;
            };
            let i = i as u32;
            for &j in candidates.of(&index, record_keys, i, Some(i)) {
                if let Some(other) = records.get(j as usize) {
                    let v = within_one_system(comparison_vector(record.as_ref(), other.as_ref()));
                    *counts.entry(v).or_default() += 1;
                }
            }
        }
        counts
    });
    let candidates = merge(parts);
    let n = records.len();
    let all_pairs = n as f64 * n.saturating_sub(1) as f64 / 2.0;
    let mut rng = SplitMix(0x5eed_ca11_b4a7_e002);
    let draws = CALIBRATION_RANDOM_PAIRS.min(all_pairs as usize);
    let mut random = Vec::with_capacity(draws);
    if n >= 2 {
        while random.len() < draws {
            let (i, j) = (rng.below(n), rng.below(n));
            if i != j {
                random.push(within_one_system(comparison_vector(
                    records[i].as_ref(),
                    records[j].as_ref(),
                )));
            }
        }
    }
    calibrate(
        &CalibrationInput {
            candidates: &candidates,
            random: &random,
            all_pairs,
            most_matches: n as f64,
        },
        base,
        fixed_threshold,
        &CalibrationOptions::default(),
    )
}
