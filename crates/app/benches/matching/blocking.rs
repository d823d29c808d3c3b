//! Blocking recall and its cost: the share of true pairs that share a key (so are ever
//! compared) and how many pairs are compared, with search's keys alone (before) and with the
//! keys batch pairing uses (`pairing_keys`, after), and with each added key alone.

use super::accuracy::{LabelledSet, SetKind};
use frontdoor_app::MAX_LINK_BLOCK;
use frontdoor_domain::matching::{blocking_keys, pairing_keys, MatchRecord};
use std::collections::{HashMap, HashSet};

/// The keys added to search's for pairing, by prefix.
const ADDED: [&str; 2] = ["hf:", "fmd:"];

/// Keys of a record: search's, plus those of `pairing_keys` with one of `added`'s prefixes.
fn keys_of(record: &MatchRecord, added: &[&str]) -> Vec<String> {
    let mut keys = blocking_keys(record);
    if !added.is_empty() {
        keys.extend(
            pairing_keys(record)
                .into_iter()
                .filter(|k| added.iter().any(|p| k.starts_with(p))),
        );
        keys.sort_unstable();
        keys.dedup();
    }
    keys
}

/// (candidate pairs, true pairs among them) for one choice of keys.
fn candidates(set: &LabelledSet, added: &[&str]) -> (u64, u64) {
    let indexed = &set.left;
    let queries = match set.kind {
        SetKind::Link => &set.right,
        SetKind::Dedupe => &set.left,
    };
    let mut blocks: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, r) in indexed.iter().enumerate() {
        for key in keys_of(&r.record, added) {
            blocks.entry(key).or_default().push(i as u32);
        }
    }
    let (mut pairs, mut true_pairs) = (0u64, 0u64);
    let mut seen: HashSet<u32> = HashSet::new();
    for (q, query) in queries.iter().enumerate() {
        seen.clear();
        for key in keys_of(&query.record, added) {
            let Some(block) = blocks.get(&key) else {
                continue;
            };
            if block.len() > MAX_LINK_BLOCK {
                continue;
            }
            for &i in block {
                if set.kind == SetKind::Dedupe && i as usize <= q {
                    continue;
                }
                if seen.insert(i) {
                    pairs += 1;
                    if set.truth.same_person(&indexed[i as usize].id, &query.id) {
                        true_pairs += 1;
                    }
                }
            }
        }
    }
    (pairs, true_pairs)
}

/// Prints blocking recall and pair count before and after, and for each added key alone.
pub(super) fn blocking_recall(what: &str, set: &LabelledSet) {
    let total = set.truth.pair_count().max(1) as f64;
    let line = |name: &str, added: &[&str]| {
        let (pairs, found) = candidates(set, added);
        format!(
            "{name}: {:.2}% of true pairs share a key ({found} of {total:.0}), {pairs} pairs compared",
            100.0 * found as f64 / total
        )
    };
    println!(
        "      BLOCKING, {what}: {}",
        line("before (search's keys)", &[])
    );
    println!("        {}", line("after (pairing keys)", &ADDED));
    for added in ADDED {
        println!(
            "        {}",
            line(&format!("search's keys + {added}"), &[added])
        );
    }
}
