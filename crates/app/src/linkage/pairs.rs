//! Finding the pairs of records that are likely the same person: blocking keys, candidate
//! pairs, scoring under the matching model (in parallel), one-to-one selection, and the pairs
//! CSV.

use super::*;
use frontdoor_domain::matching::{
    blocking_keys, compare, compare_within_one_system, group_records, pairing_keys,
    pairs_in_groups, AddressWordCounts, GroupOptions, MatchModel, MatchRecord, PersonDetails,
};
use frontdoor_store::people::{Person, PreviousName};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Read, Write};

/// The search (blocking) keys stored beside a person, exactly as the app stores them when a
/// person is created, changed or merged: a bulk loader (a benchmark filling a database) stores
/// these so that search finds its people.
pub fn search_keys_of(person: &Person, previous_names: &[PreviousName]) -> Vec<String> {
    crate::search::blocking_keys_for(person, previous_names)
}

// ---------------------------------------------------------------------------------------------
// Linkage

/// A record to link: its id in the file and its details, normalised once.
#[derive(Debug, Clone)]
pub struct LinkRecord {
    pub id: String,
    pub record: MatchRecord,
}

impl LinkRecord {
    pub fn new(id: impl Into<String>, details: &PersonDetails) -> Self {
        Self {
            id: id.into(),
            record: MatchRecord::new(details),
        }
    }
}

/// A pair of records likely to be the same person, and its match score (bits).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedPair {
    pub left_id: String,
    pub right_id: String,
    pub score: f64,
}

/// Reads a person file strictly: structure, encoding, unique ids, dates and sex codes are
/// checked (every problem is reported with its line and column); identifiers are read as
/// written. `frontdoor persons match` reads leniently instead ([`read_link_file`]).
pub fn read_link_records(mut reader: impl Read) -> Result<Vec<LinkRecord>, CsvReadError> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data).map_err(CsvReadError::Read)?;
    let rows = read_person_file(&data)?;
    Ok(rows
        .iter()
        .map(|row| LinkRecord::new(row.id.clone(), &row.details()))
        .collect())
}

/// Weighs the words of every record's address by how rare they are among all these records'
/// addresses (term-frequency weighting; see `frontdoor_domain::matching::address`). Call it
/// once the files to match are read, before pairing.
pub fn weigh_addresses(sets: &mut [&mut [LinkRecord]]) {
    let counts = AddressWordCounts::from_addresses(
        sets.iter()
            .flat_map(|set| set.iter())
            .filter_map(|r| r.record.address()),
    );
    if counts.addresses() == 0 {
        return;
    }
    for set in sets.iter_mut() {
        for r in set.iter_mut() {
            r.record.weigh_address(&counts);
        }
    }
}

/// Writes pairs as CSV: `left_id,right_id,score` (score in bits, two decimals).
pub fn write_pairs_csv(mut out: impl Write, pairs: &[LinkedPair]) -> io::Result<()> {
    writeln!(out, "left_id,right_id,score")?;
    for pair in pairs {
        writeln!(
            out,
            "{},{},{:.2}",
            csv_field(&pair.left_id),
            csv_field(&pair.right_id),
            pair.score
        )?;
    }
    out.flush()
}

pub(super) fn csv_field(value: &str) -> Cow<'_, str> {
    if value.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

/// FNV-1a: blocking keys are hashed once, so blocks are found by number.
pub(super) fn key_hash(key: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The hashed search keys of a record (linking two files).
pub(super) fn hashed_keys(record: &MatchRecord) -> Vec<u64> {
    hashed(blocking_keys(record))
}

/// The hashed pairing keys of a record (pairing within one file: search's keys and a few
/// more, see [`pairing_keys`]).
pub(super) fn hashed_pairing_keys(record: &MatchRecord) -> Vec<u64> {
    hashed(pairing_keys(record))
}

fn hashed(keys: Vec<String>) -> Vec<u64> {
    let mut keys: Vec<u64> = keys.iter().map(|k| key_hash(k)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Records by blocking key: block → indices of the records that have it.
pub(super) struct BlockIndex {
    blocks: HashMap<u64, Vec<u32>>,
}

impl BlockIndex {
    pub(super) fn new<'a>(keys: impl Iterator<Item = &'a [u64]>) -> Self {
        let mut blocks: HashMap<u64, Vec<u32>> = HashMap::new();
        for (index, record_keys) in keys.enumerate() {
            for key in record_keys {
                blocks.entry(*key).or_default().push(index as u32);
            }
        }
        Self { blocks }
    }

    /// The usable block of a key (none when absent or larger than [`MAX_LINK_BLOCK`]).
    pub(super) fn block(&self, key: u64) -> &[u32] {
        match self.blocks.get(&key) {
            Some(block) if block.len() <= MAX_LINK_BLOCK => block,
            _ => &[],
        }
    }
}

/// The indexed records sharing a key with a query row, each once. A mark per indexed record
/// says which row last took it, so nothing is cleared between rows.
pub(super) struct Candidates {
    taken_by: Vec<u32>,
    found: Vec<u32>,
}

impl Candidates {
    pub(super) fn new(indexed: usize) -> Self {
        Self {
            taken_by: vec![u32::MAX; indexed],
            found: Vec::new(),
        }
    }

    /// The records in `index` sharing any of `keys` with query row `row` (only those after
    /// `after`, when given).
    pub(super) fn of(
        &mut self,
        index: &BlockIndex,
        keys: &[u64],
        row: u32,
        after: Option<u32>,
    ) -> &[u32] {
        self.found.clear();
        for key in keys {
            for &candidate in index.block(*key) {
                if after.is_some_and(|after| candidate <= after) {
                    continue;
                }
                if let Some(mark) = self.taken_by.get_mut(candidate as usize) {
                    if *mark != row {
                        *mark = row;
                        self.found.push(candidate);
                    }
                }
            }
        }
        &self.found
    }
}

/// Finds pairs across two files (one record from each) scoring at least `threshold` bits
/// under `model`: candidates share a blocking key; each is scored with [`compare`], the
/// function person search uses. Best pairs first.
pub fn link_records(
    left: &[LinkRecord],
    right: &[LinkRecord],
    model: &MatchModel,
    threshold: f64,
) -> Vec<LinkedPair> {
    let left_keys: Vec<Vec<u64>> = left.iter().map(|r| hashed_keys(&r.record)).collect();
    let index = BlockIndex::new(left_keys.iter().map(Vec::as_slice));
    drop(left_keys);
    let found = in_parallel(right.len(), |rows| {
        let mut candidates = Candidates::new(left.len());
        let mut found: Vec<(u32, u32, f64)> = Vec::new();
        for r in rows {
            let Some(right_record) = right.get(r) else {
                continue;
            };
            let r = r as u32;
            let keys = hashed_keys(&right_record.record);
            for &l in candidates.of(&index, &keys, r, None) {
                if let Some(left_record) = left.get(l as usize) {
                    let score = compare(&left_record.record, &right_record.record, model).score;
                    if score >= threshold {
                        found.push((l, r, score));
                    }
                }
            }
        }
        found
    });
    pairs_with_ids(found, left, right)
}

/// Keeps each record in at most one pair: the best. Pairs are taken best first; a pair is kept
/// when neither of its records is already in a kept pair with a higher score. A pair scoring
/// exactly the same as the kept pair of one of its records (the same evidence) is kept too:
/// the scores cannot tell them apart, so a person must.
///
/// Use it when each file holds each person once (two systems' deduplicated person indexes):
/// then a record's best candidate crowds out its look-alikes (a namesake, a sibling), which
/// raises precision at little cost to recall. A file with duplicates of its own loses all but
/// the best link of each duplicate; deduplicate it first (`dedupe_records`).
pub fn one_to_one(mut pairs: Vec<LinkedPair>) -> Vec<LinkedPair> {
    // Best first whatever the caller's order (stable: ties keep their order).
    pairs.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut best_left: HashMap<String, f64> = HashMap::new();
    let mut best_right: HashMap<String, f64> = HashMap::new();
    let mut kept = Vec::new();
    for pair in pairs {
        let free = |best: &HashMap<String, f64>, id: &str| {
            best.get(id).is_none_or(|score| *score == pair.score)
        };
        if free(&best_left, &pair.left_id) && free(&best_right, &pair.right_id) {
            best_left.insert(pair.left_id.clone(), pair.score);
            best_right.insert(pair.right_id.clone(), pair.score);
            kept.push(pair);
        }
    }
    kept
}

/// Finds pairs within one file scoring at least `threshold` bits (each pair once, the earlier
/// row on the left). Best pairs first. Rows' different LA person ids count for nothing (each
/// row of one system has its own; see [`compare_within_one_system`]).
pub fn dedupe_records(
    records: &[LinkRecord],
    model: &MatchModel,
    threshold: f64,
) -> Vec<LinkedPair> {
    pairs_with_ids(pairs_within(records, model, threshold), records, records)
}

/// Finds the duplicates within one file, as `frontdoor persons match --dedupe` does: the
/// records are grouped into people from the pairs scoring at least `threshold` bits
/// ([`duplicate_groups`]), and every pair within a group is written with its own score. Best
/// pairs first.
pub fn dedupe_grouped(
    records: &[LinkRecord],
    model: &MatchModel,
    threshold: f64,
) -> Vec<LinkedPair> {
    let groups = duplicate_groups(records, model, threshold);
    pairs_with_ids(pairs_in_groups(records, &groups, model), records, records)
}

/// The records of one set grouped into people (indices; records in no group left out):
/// `threshold` is the score of even odds; pairs with a match probability of at least 0.1
/// ([`pairs_within`]) are joined best first, two groups only when none of their records
/// conflict and their pairs score on average at least what a linking pair must
/// (`frontdoor_domain::matching::cluster`).
pub fn duplicate_groups<R: AsRef<MatchRecord> + Sync>(
    records: &[R],
    model: &MatchModel,
    threshold: f64,
) -> Vec<Vec<u32>> {
    let options = GroupOptions::default();
    let strong = pairs_within(records, model, threshold - options.edge_margin);
    group_records(records, &strong, model, threshold, &options)
}

/// The pairs of records within one set (indices, the earlier first) scoring at least
/// `threshold` bits under [`compare_within_one_system`], in no particular order: candidates
/// share a blocking key, blocks larger than [`MAX_LINK_BLOCK`] left out. The duplicates report
/// and `persons match --dedupe` both find pairs this way.
pub fn pairs_within<R: AsRef<MatchRecord> + Sync>(
    records: &[R],
    model: &MatchModel,
    threshold: f64,
) -> Vec<(u32, u32, f64)> {
    pairs_within_touching(records, model, threshold, None)
}

/// [`pairs_within`], only the pairs with at least one record marked in `touching` (every pair
/// when `None`): what an incremental refresh of the duplicates report rescores. Each pair
/// once, the earlier record first, scored exactly as [`pairs_within`] scores it.
pub fn pairs_within_touching<R: AsRef<MatchRecord> + Sync>(
    records: &[R],
    model: &MatchModel,
    threshold: f64,
    touching: Option<&[bool]>,
) -> Vec<(u32, u32, f64)> {
    let keys: Vec<Vec<u64>> = records
        .iter()
        .map(|r| hashed_pairing_keys(r.as_ref()))
        .collect();
    let index = BlockIndex::new(keys.iter().map(Vec::as_slice));
    let marked = |i: usize| touching.is_none_or(|t| t.get(i).copied().unwrap_or(false));
    in_parallel(records.len(), |rows| {
        let mut candidates = Candidates::new(records.len());
        let mut found: Vec<(u32, u32, f64)> = Vec::new();
        for i in rows {
            if !marked(i) {
                continue;
            }
            let (Some(record), Some(record_keys)) = (records.get(i), keys.get(i)) else {
                continue;
            };
            let i = i as u32;
            // Each pair once: every pair with all records later than this one, and, when only
            // some records are rescored, pairs with earlier records that are not (a pair of two
            // marked records is found from the earlier).
            let after = if touching.is_none() { Some(i) } else { None };
            for &j in candidates.of(&index, record_keys, i, after) {
                if j == i || (j < i && marked(j as usize)) {
                    continue;
                }
                if let Some(other) = records.get(j as usize) {
                    let (first, second) = if i < j {
                        (record, other)
                    } else {
                        (other, record)
                    };
                    let score =
                        compare_within_one_system(first.as_ref(), second.as_ref(), model).score;
                    if score >= threshold {
                        found.push((i.min(j), i.max(j), score));
                    }
                }
            }
        }
        found
    })
}

/// Runs `work` over the rows `0..rows` on every core: each thread takes every n-th row (so
/// early and late rows, which may have more or fewer candidates, are shared evenly) and the
/// pairs found are put together. Small inputs stay on the calling thread.
pub(super) fn in_parallel<W>(rows: usize, work: W) -> Vec<(u32, u32, f64)>
where
    W: Fn(std::iter::StepBy<std::ops::Range<usize>>) -> Vec<(u32, u32, f64)> + Sync,
{
    in_parallel_collect(rows, work)
        .into_iter()
        .flatten()
        .collect()
}

/// Runs `work` over the rows `0..rows` on every core (each thread every n-th row), returning
/// each thread's result. Small inputs stay on the calling thread.
pub(super) fn in_parallel_collect<T, W>(rows: usize, work: W) -> Vec<T>
where
    T: Send,
    W: Fn(std::iter::StepBy<std::ops::Range<usize>>) -> T + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads <= 1 || rows < 5_000 {
        return vec![work((0..rows).step_by(1))];
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|first| scope.spawn(move || work((first..rows).step_by(threads))))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

impl AsRef<MatchRecord> for LinkRecord {
    fn as_ref(&self) -> &MatchRecord {
        &self.record
    }
}

pub(super) fn pairs_with_ids(
    mut found: Vec<(u32, u32, f64)>,
    left: &[LinkRecord],
    right: &[LinkRecord],
) -> Vec<LinkedPair> {
    found.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    found
        .into_iter()
        .filter_map(|(l, r, score)| {
            Some(LinkedPair {
                left_id: left.get(l as usize)?.id.clone(),
                right_id: right.get(r as usize)?.id.clone(),
                score,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Lenient reading for matching

/// A person file read for matching: the records, and a note of every value that could not be
/// used as written (blanked, read as a day and month swap, kept though failing its check
/// digit) and of every row left out.
#[derive(Debug, Clone)]
pub struct LinkFile {
    pub records: Vec<LinkRecord>,
    pub notes: Vec<ReadingNote>,
}

impl LinkFile {
    /// How many notes of each kind, for the summary line.
    pub fn summary(&self) -> ReadingSummary {
        let mut summary = ReadingSummary::default();
        for note in &self.notes {
            summary.add(note);
        }
        summary
    }
}

/// Counts of what lenient reading did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadingSummary {
    /// Impossible or unreadable dates of birth treated as blank.
    pub dates_blanked: usize,
    /// Dates read with day and month exchanged (kept as swap candidates).
    pub dates_read_swapped: usize,
    pub postcodes_blanked: usize,
    /// NHS numbers that are not ten digits, treated as blank.
    pub nhs_numbers_blanked: usize,
    /// NHS numbers of ten digits failing the check digit: kept, compared as mistyped.
    pub nhs_numbers_failing_check_digit: usize,
    /// Other values treated as blank (a sex code, a value that is not UTF-8).
    pub other_values_blanked: usize,
    /// Rows left out (no usable id, or the wrong number of values).
    pub rows_left_out: usize,
}

impl ReadingSummary {
    fn add(&mut self, note: &ReadingNote) {
        match (&note.action, note.column.as_str()) {
            (ReadingAction::RowLeftOut(_), _) => self.rows_left_out += 1,
            (ReadingAction::ReadSwapped(_), _) => self.dates_read_swapped += 1,
            (ReadingAction::KeptFailingCheckDigit, _) => self.nhs_numbers_failing_check_digit += 1,
            (ReadingAction::Blanked(_), "date_of_birth") => self.dates_blanked += 1,
            (ReadingAction::Blanked(_), "postcode") => self.postcodes_blanked += 1,
            (ReadingAction::Blanked(_), "nhs_number") => self.nhs_numbers_blanked += 1,
            (ReadingAction::Blanked(_), _) => self.other_values_blanked += 1,
        }
    }

    /// Adds another file's counts.
    pub fn merge(&mut self, other: ReadingSummary) {
        self.dates_blanked += other.dates_blanked;
        self.dates_read_swapped += other.dates_read_swapped;
        self.postcodes_blanked += other.postcodes_blanked;
        self.nhs_numbers_blanked += other.nhs_numbers_blanked;
        self.nhs_numbers_failing_check_digit += other.nhs_numbers_failing_check_digit;
        self.other_values_blanked += other.other_values_blanked;
        self.rows_left_out += other.rows_left_out;
    }

    /// "2 impossible dates treated as blank, 1 date read with day and month swapped, ...", or
    /// `None` when every value was read as written.
    pub fn describe(&self) -> Option<String> {
        let parts: Vec<String> = [
            (
                self.dates_blanked,
                "date of birth",
                "dates of birth",
                "treated as blank",
            ),
            (
                self.dates_read_swapped,
                "date of birth",
                "dates of birth",
                "read with day and month swapped",
            ),
            (
                self.postcodes_blanked,
                "postcode",
                "postcodes",
                "treated as blank",
            ),
            (
                self.nhs_numbers_blanked,
                "NHS number",
                "NHS numbers",
                "treated as blank (not ten digits)",
            ),
            (
                self.nhs_numbers_failing_check_digit,
                "NHS number",
                "NHS numbers",
                "failing the check digit (kept)",
            ),
            (
                self.other_values_blanked,
                "other value",
                "other values",
                "treated as blank",
            ),
            (self.rows_left_out, "row", "rows", "left out"),
        ]
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many, what)| format!("{n} {} {what}", if *n == 1 { one } else { many }))
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Reads a person file for matching, leniently: only a file that cannot be read as a whole
/// (its encoding, header or quoting) fails. An impossible date, an unreadable postcode or NHS
/// number, a bad sex code or a value that is not UTF-8 is treated as blank for that field; a
/// date with a month above 12 and a day of at most 12 is read with the two exchanged (a swap
/// candidate); a row without a usable id or with the wrong number of values is left out. Each
/// is noted with its line, column and value.
pub fn read_link_file(mut reader: impl Read) -> Result<LinkFile, CsvReadError> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data).map_err(CsvReadError::Read)?;
    let (rows, notes) = read_person_file_leniently(&data)?;
    Ok(LinkFile {
        records: rows
            .iter()
            .map(|row| LinkRecord::new(row.id.clone(), &row.details()))
            .collect(),
        notes,
    })
}

/// The reading report's header.
pub const READING_REPORT_HEADER: &str = "file,line,column,value,what_was_done";

/// Writes the reading report: one line a note, `file,line,column,value,what_was_done`.
pub fn write_reading_report_csv<'a>(
    mut out: impl Write,
    files: impl IntoIterator<Item = (&'a str, &'a [ReadingNote])>,
) -> io::Result<()> {
    writeln!(out, "{READING_REPORT_HEADER}")?;
    for (file, notes) in files {
        for note in notes {
            writeln!(
                out,
                "{},{},{},{},{}",
                csv_field(file),
                note.line,
                csv_field(&note.column),
                csv_field(&note.value),
                csv_field(&note.describe())
            )?;
        }
    }
    out.flush()
}
