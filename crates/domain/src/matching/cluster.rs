//! Grouping the records of one file into people: within-file deduplication.
//!
//! Scored one pair at a time, a person recorded three or four times is found only in part:
//! each later record carries its own errors, so two of them may score below the threshold
//! (or share no blocking key) although each clearly matches the first. And the pairs that do
//! score above it include look-alikes: twins, a father and son of one name at one address.
//! [`group_records`] works on groups instead:
//!
//! 1. **Strong pairs, best first.** Pairs with a match probability of at least 0.1 (the
//!    threshold of even odds less [`EDGE_MARGIN`], log2 9 bits) are taken best first; each
//!    joins the groups of its two records (at first, every record is a group of one).
//! 2. **Consistency.** Two groups join only when no record of one [`conflict`]s with a record
//!    of the other (different NHS numbers; dates of birth a generation apart; twins), and
//!    their records' pairs score, on average, at least what a linking pair must: the group as
//!    a whole must look like one person, not only its best pair. A twin who scores above the
//!    threshold with her sister still scores far below it with her sister's other records.
//! 3. **Every pair of a group** is a duplicate pair, scored as itself: the two later records
//!    of a person are found through the first even when they share no blocking key.
//!
//! The rules are pure: [`group_records`] takes the records, the scored pairs and the model.

use chrono::Datelike;

use super::compare::{compare_within_one_system, comparison_vector, ComparisonVector};
use super::model::{Agreement, Field, MatchModel};
use super::record::MatchRecord;

/// Years between two dates of birth that make two records a parent and child, not one
/// person with a mistyped date.
pub const GENERATION_YEARS: i32 = 12;

/// Why two records cannot be one person, whatever their score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Both carry a valid NHS number, and they differ by more than a mistyped digit.
    DifferentNhsNumbers,
    /// Dates of birth disagree by a generation or more: a parent and a child of one name.
    AGenerationApart,
    /// Same family name and date of birth, different given names (or given names alike but
    /// not the same, with different sexes): twins.
    Twins,
}

impl Conflict {
    /// A phrase for people.
    pub fn description(self) -> &'static str {
        match self {
            Conflict::DifferentNhsNumbers => "different NHS numbers",
            Conflict::AGenerationApart => "dates of birth a generation apart (a parent and child)",
            Conflict::Twins => "same family and date of birth, different given names (twins)",
        }
    }
}

/// An identifier both records carry agrees: that settles it, whatever else differs.
fn an_identifier_agrees(v: &ComparisonVector) -> bool {
    [
        Field::NhsNumber,
        Field::LaPersonId,
        Field::Upn,
        Field::OtherId,
    ]
    .iter()
    .any(|f| v.get(*f) == Agreement::Agree)
}

/// Why `a` and `b` cannot be one person (`None` when they may be). An agreeing identifier
/// (NHS number, LA person id, UPN, other system's key) overrides every rule.
pub fn conflict(a: &MatchRecord, b: &MatchRecord) -> Option<Conflict> {
    conflict_of(a, b, &comparison_vector(a, b))
}

/// As [`conflict`], with the pair's comparison vector already computed.
pub fn conflict_of(a: &MatchRecord, b: &MatchRecord, v: &ComparisonVector) -> Option<Conflict> {
    if an_identifier_agrees(v) {
        return None;
    }
    if v.get(Field::NhsNumber) == Agreement::Disagree
        && a.nhs_number().is_some_and(|n| n.valid)
        && b.nhs_number().is_some_and(|n| n.valid)
    {
        return Some(Conflict::DifferentNhsNumbers);
    }
    if v.get(Field::DateOfBirth) == Agreement::Disagree {
        if let (Some(x), Some(y)) = (a.date_of_birth(), b.date_of_birth()) {
            if (x.date().year() - y.date().year()).abs() >= GENERATION_YEARS {
                return Some(Conflict::AGenerationApart);
            }
        }
    }
    // Twins: one family, one birthday, and given names that differ (or, with sexes that
    // differ, given names that are not the same: Daniel and Daniela).
    let given = v.get(Field::GivenName);
    if v.get(Field::DateOfBirth) == Agreement::Agree
        && v.get(Field::FamilyName) == Agreement::Agree
        && (given == Agreement::Disagree
            || (v.get(Field::Sex) == Agreement::Disagree
                && !matches!(given, Agreement::Agree | Agreement::Missing)))
    {
        return Some(Conflict::Twins);
    }
    None
}

/// Pairs this many bits below the threshold (a match probability of 0.1, odds of 1 to 9,
/// where the threshold is even odds) may link two groups: the group as a whole must then
/// agree.
pub const EDGE_MARGIN: f64 = 3.169_925_001_442_312; // log2(9)

/// Settings of [`group_records`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupOptions {
    /// Pairs scoring at least the threshold less this many bits link groups.
    pub edge_margin: f64,
    /// Two groups join when their records' pairs score on average at least what a linking
    /// pair must (the threshold less `edge_margin`), less this many bits.
    pub join_margin: f64,
    /// No group grows beyond this many records (a chain of look-alikes cannot swallow a
    /// household, and joining stays cheap).
    pub largest_group: usize,
}

impl Default for GroupOptions {
    fn default() -> Self {
        GroupOptions {
            edge_margin: EDGE_MARGIN,
            join_margin: 0.0,
            largest_group: 12,
        }
    }
}

/// Groups of records (indices into `records`), each taken to be one person; records in no
/// group are left out. `threshold` is the score of even odds (match probability 0.5); `pairs`
/// are scored pairs `(i, j, score)` (any order; pairs under the threshold less
/// `options.edge_margin` are ignored); scores of pairs within and across groups are computed with
/// [`compare_within_one_system`] under `model`. Each group is sorted, and groups come in the
/// order of their first record.
pub fn group_records<R: AsRef<MatchRecord>>(
    records: &[R],
    pairs: &[(u32, u32, f64)],
    model: &MatchModel,
    threshold: f64,
    options: &GroupOptions,
) -> Vec<Vec<u32>> {
    let threshold = threshold - options.edge_margin;
    let mut strong: Vec<(u32, u32, f64)> = pairs
        .iter()
        .filter(|(i, j, s)| *s >= threshold && i != j && (*i.max(j) as usize) < records.len())
        // The earlier record first, so the order of the pairs given does not matter.
        .map(|&(i, j, s)| (i.min(j), i.max(j), s))
        .collect();
    strong.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    // group_of[i]: the group record i belongs to (its index in `members`), or NONE.
    const NONE: u32 = u32::MAX;
    let mut group_of: Vec<u32> = vec![NONE; records.len()];
    let mut members: Vec<Vec<u32>> = Vec::new();
    let record = |i: u32| records[i as usize].as_ref();
    for (i, j, _) in strong {
        let gi = group_of[i as usize];
        let gj = group_of[j as usize];
        if gi != NONE && gi == gj {
            continue;
        }
        let left: Vec<u32> = if gi == NONE {
            vec![i]
        } else {
            members[gi as usize].clone()
        };
        let right: Vec<u32> = if gj == NONE {
            vec![j]
        } else {
            members[gj as usize].clone()
        };
        if left.len() + right.len() > options.largest_group {
            continue;
        }
        let mut total = 0.0;
        let mut consistent = true;
        'cross: for &x in &left {
            for &y in &right {
                let (a, b) = (record(x), record(y));
                let explanation = compare_within_one_system(a, b, model);
                if conflict_of(a, b, &explanation.comparison_vector()).is_some() {
                    consistent = false;
                    break 'cross;
                }
                total += explanation.score;
            }
        }
        let average = total / (left.len() * right.len()) as f64;
        if !consistent || average < threshold - options.join_margin {
            continue;
        }
        // Join: the smaller group moves into the larger (or a new group for two singles).
        let target = match (gi, gj) {
            (NONE, NONE) => {
                members.push(Vec::new());
                (members.len() - 1) as u32
            }
            (NONE, g) | (g, NONE) => g,
            (a, b) => {
                if members[a as usize].len() >= members[b as usize].len() {
                    a
                } else {
                    b
                }
            }
        };
        for x in left.into_iter().chain(right) {
            let from = group_of[x as usize];
            if from != target {
                if from != NONE {
                    members[from as usize].clear();
                }
                group_of[x as usize] = target;
                members[target as usize].push(x);
            }
        }
    }
    let mut groups: Vec<Vec<u32>> = members.into_iter().filter(|m| m.len() > 1).collect();
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

/// Every pair of records within each group, the earlier record first, with its score under
/// [`compare_within_one_system`].
pub fn pairs_in_groups<R: AsRef<MatchRecord>>(
    records: &[R],
    groups: &[Vec<u32>],
    model: &MatchModel,
) -> Vec<(u32, u32, f64)> {
    let mut pairs = Vec::new();
    for group in groups {
        for (n, &i) in group.iter().enumerate() {
            for &j in &group[n + 1..] {
                let (Some(a), Some(b)) = (records.get(i as usize), records.get(j as usize)) else {
                    continue;
                };
                let score = compare_within_one_system(a.as_ref(), b.as_ref(), model).score;
                pairs.push((i, j, score));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests;
