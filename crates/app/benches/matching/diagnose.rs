//! What the errors were made of: comparison patterns of false and missed pairs.

use super::accuracy::LabelledSet;
use frontdoor_app::LinkedPair;
use frontdoor_domain::matching::{comparison_vector, Agreement, ComparisonVector, Field};
use frontdoor_synthetic::LabelledRecord;
use std::collections::{HashMap, HashSet};

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
        Field::OtherId => "oid",
        Field::Address => "addr",
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

pub(super) fn top(counts: HashMap<String, usize>, n: usize) -> String {
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
pub(super) fn diagnose(
    set: &LabelledSet,
    candidates: &[LinkedPair],
    pairs: &[LinkedPair],
    threshold: f64,
) {
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
    let mut unblocked_errors: HashMap<String, usize> = HashMap::new();
    for (a, b) in set.truth.pairs() {
        if found.contains(&(a.as_str(), b.as_str())) {
            continue;
        }
        let key = if kept.contains(&(a.as_str(), b.as_str())) {
            vector(&a, &b).map(|v| signature(&v)).unwrap_or_default()
        } else if candidates.contains(&(a.as_str(), b.as_str())) {
            format!(
                "not kept: {}",
                vector(&a, &b).map(|v| signature(&v)).unwrap_or_default()
            )
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
        if !candidates.contains(&(a.as_str(), b.as_str())) {
            *unblocked_errors.entry(kinds.join("+")).or_default() += 1;
        }
        *missed_errors.entry(kinds.join("+")).or_default() += 1;
    }
    println!("      false matches: {}", top(false_matches, 12));
    println!("      missed, by comparison: {}", top(missed, 12));
    println!(
        "      missed, by the records' errors: {}",
        top(missed_errors, 6)
    );
    println!(
        "      sharing no blocking key, by the records' errors: {}",
        top(unblocked_errors, 12)
    );
}
