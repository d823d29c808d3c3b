//! Batch linkage and CSV import of people, for data migrations and benchmarks.
//!
//! - [`App::import_people_csv`] (in `import.rs`) loads people from a CSV file into an
//!   authority: every row is checked first, and a file with any error stores no one; a valid
//!   file is stored in one transaction, each person with their search keys and a
//!   `person_created` event, through the same path as a person created on screen.
//! - [`link_records`] and [`dedupe_records`] find the pairs of records (across two files, or
//!   within one) that are likely the same person: candidates share a blocking key, and each
//!   candidate pair is scored under the same model as person search: [`compare`] across two
//!   files, [`compare_within_one_system`] within one (as the duplicates report).
//!
//! The CSV format (UTF-8, a header line, comma-separated, fields quoted when they hold a
//! comma, quote or line break):
//!
//! | column | content | import | match |
//! |---|---|---|---|
//! | `id` | the row's identifier in the file (unique) | required | required |
//! | `given_name` | all given names, first name first | optional | optional |
//! | `family_name` | current family name | required | optional |
//! | `previous_family_names` | earlier family names, separated by `;` | optional | optional |
//! | `date_of_birth` | YYYY-MM-DD | checked | checked |
//! | `sex` | `female`, `male`, `indeterminate`, `not_known` | checked | checked |
//! | `postcode` | UK postcode | checked | as written |
//! | `nhs_number` | ten digits with a valid check digit | checked | as written |
//! | `la_person_id` | the authority's person id (kept on import; unique) | checked | as written |
//! | `upn` | unique pupil number with a valid check letter | checked | as written |
//!
//! The header must name `id`, `given_name`, `family_name` and `date_of_birth`; the other
//! columns may be left out (blank), in any order. Matching reads identifiers as written,
//! because a mistyped NHS number is exactly what matching is for.

use crate::PersonInput;
use chrono::NaiveDate;
use frontdoor_domain::matching::{
    blocking_keys, compare, compare_within_one_system, MatchModel, MatchRecord, PersonDetails,
};
use frontdoor_domain::person::{NhsNumber, PersonName, Postcode, Sex, Upn};
use frontdoor_store::people::{Person, PreviousName};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read, Write};
use thiserror::Error;

/// The columns of a person CSV file, in the order the generators write them.
pub const PERSON_CSV_COLUMNS: [&str; 10] = [
    "id",
    "given_name",
    "family_name",
    "previous_family_names",
    "date_of_birth",
    "sex",
    "postcode",
    "nhs_number",
    "la_person_id",
    "upn",
];

/// Columns the header must name.
const REQUIRED_COLUMNS: [Column; 4] = [
    Column::Id,
    Column::GivenName,
    Column::FamilyName,
    Column::DateOfBirth,
];

/// At most this many problems are reported for one file (the rest are counted).
pub const MAX_REPORTED_PROBLEMS: usize = 20;

/// The score (bits) from which `frontdoor persons match` writes a pair when it keeps every pair
/// (`--dedupe`, `--all-pairs`), unless told otherwise. Chosen on the labelled synthetic sets
/// of seed 1 (maximum F1); see docs/person-matching.md.
pub const DEFAULT_LINK_THRESHOLD: f64 = 15.0;

/// The score (bits) from which `frontdoor persons match --left --right` writes a record's best
/// pair ([`one_to_one`]), unless told otherwise. Lower than [`DEFAULT_LINK_THRESHOLD`]: once
/// each record keeps only its best pair, look-alikes are crowded out by the true record, so
/// weaker evidence suffices. Chosen on seed 1: F1 was highest at 12.6 bits with 20,000 and
/// with 100,000 people a file, just above a large group of look-alike pairs scoring 12.5 bits
/// (same names, different dates of birth, same postal district), so it is rounded up, away
/// from them.
pub const DEFAULT_ONE_TO_ONE_THRESHOLD: f64 = 13.0;

/// Blocks with more records than this (on the indexed side) are not used to find candidates.
/// Such a block is a very common name's sound with a popular birth year; its records share
/// other, smaller keys (date of birth, postcode) with their true matches.
pub const MAX_LINK_BLOCK: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    GivenName,
    FamilyName,
    PreviousFamilyNames,
    DateOfBirth,
    Sex,
    Postcode,
    NhsNumber,
    LaPersonId,
    Upn,
}

impl Column {
    const ALL: [Column; 10] = [
        Column::Id,
        Column::GivenName,
        Column::FamilyName,
        Column::PreviousFamilyNames,
        Column::DateOfBirth,
        Column::Sex,
        Column::Postcode,
        Column::NhsNumber,
        Column::LaPersonId,
        Column::Upn,
    ];

    fn name(self) -> &'static str {
        PERSON_CSV_COLUMNS[self as usize]
    }
}

/// One thing wrong with a CSV file: where (line, and column when known) and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    /// The line of the file (the header is line 1). A quoted field may span lines: this is
    /// the line where the row starts.
    pub line: usize,
    /// The column's name, when the problem is in one column.
    pub column: Option<String>,
    pub message: String,
}

impl CsvProblem {
    pub(crate) fn new(line: usize, column: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            line,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Problems are listed one after another, separated by semicolons.
        let message = self.message.trim_end_matches('.');
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {message}", self.line),
            None => write!(f, "line {}: {message}", self.line),
        }
    }
}

/// Everything wrong with a CSV file (up to [`MAX_REPORTED_PROBLEMS`], and how many more).
#[derive(Debug, Clone, Default, PartialEq, Eq, Error)]
pub struct CsvError {
    pub problems: Vec<CsvProblem>,
    /// Problems found beyond those reported.
    pub more: usize,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.problems.len() + self.more;
        if total == 1 {
            write!(f, "the file has a problem: ")?;
        } else {
            write!(f, "the file has {total} problems: ")?;
        }
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{problem}")?;
        }
        if self.more > 0 {
            write!(f, "; and {} more", self.more)?;
        }
        write!(f, ".")
    }
}

/// Collects problems, keeping the first [`MAX_REPORTED_PROBLEMS`].
#[derive(Default)]
pub(crate) struct Problems(CsvError);

impl Problems {
    pub(crate) fn add(&mut self, problem: CsvProblem) {
        if self.0.problems.len() < MAX_REPORTED_PROBLEMS {
            self.0.problems.push(problem);
        } else {
            self.0.more += 1;
        }
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.0.problems.is_empty()
    }
    /// Fails with the problems found, in the order of the file's lines.
    pub(crate) fn finish(self) -> Result<(), CsvError> {
        if self.is_empty() {
            Ok(())
        } else {
            let mut error = self.0;
            error.problems.sort_by_key(|p| p.line);
            Err(error)
        }
    }
}

impl From<CsvProblem> for CsvError {
    fn from(problem: CsvProblem) -> Self {
        CsvError {
            problems: vec![problem],
            more: 0,
        }
    }
}

/// Why a person CSV file could not be read.
#[derive(Debug, Error)]
pub enum CsvReadError {
    #[error("cannot read the file: {0}")]
    Read(#[source] io::Error),
    #[error(transparent)]
    Csv(#[from] CsvError),
}

// ---------------------------------------------------------------------------------------------
// Reading CSV

/// A row as read, before its values are checked: the line it starts on and its fields' bytes.
struct RawRow<'a> {
    line: usize,
    fields: Vec<Cow<'a, [u8]>>,
}

/// A structural problem (quotes), with the index of the field it is in.
struct RawProblem {
    line: usize,
    field: usize,
    message: &'static str,
}

/// RFC 4180 records over a byte buffer: quoted fields may hold commas, doubled quotes and
/// line breaks; lines end with LF or CRLF; blank lines are skipped.
struct CsvRows<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> CsvRows<'a> {
    fn new(data: &'a [u8]) -> Self {
        let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
        Self {
            data,
            pos: 0,
            line: 1,
        }
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.data.get(self.pos + offset).copied()
    }

    /// Consumes a line ending at the current position, if there is one.
    fn end_of_line(&mut self) -> bool {
        match (self.at(0), self.at(1)) {
            (Some(b'\n'), _) => {
                self.pos += 1;
                self.line += 1;
                true
            }
            (Some(b'\r'), Some(b'\n')) => {
                self.pos += 2;
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    fn next_row(&mut self) -> Result<Option<RawRow<'a>>, RawProblem> {
        while self.end_of_line() {}
        if self.pos >= self.data.len() {
            return Ok(None);
        }
        let line = self.line;
        let mut fields: Vec<Cow<'a, [u8]>> = Vec::with_capacity(PERSON_CSV_COLUMNS.len());
        loop {
            let field = fields.len();
            if self.at(0) == Some(b'"') {
                self.pos += 1;
                let mut value = Vec::new();
                loop {
                    match self.at(0) {
                        None => {
                            return Err(RawProblem {
                                line,
                                field,
                                message: "a quoted value is not closed: add the closing quote (\")",
                            })
                        }
                        Some(b'"') if self.at(1) == Some(b'"') => {
                            value.push(b'"');
                            self.pos += 2;
                        }
                        Some(b'"') => {
                            self.pos += 1;
                            break;
                        }
                        Some(byte) => {
                            if byte == b'\n' {
                                self.line += 1;
                            }
                            value.push(byte);
                            self.pos += 1;
                        }
                    }
                }
                fields.push(Cow::Owned(value));
                if self.at(0) == Some(b',') {
                    self.pos += 1;
                    continue;
                }
                if self.pos >= self.data.len() || self.end_of_line() {
                    return Ok(Some(RawRow { line, fields }));
                }
                return Err(RawProblem {
                    line: self.line,
                    field,
                    message: "text follows a closing quote: a quote inside a quoted value is written twice (\"\")",
                });
            }
            let start = self.pos;
            while let Some(byte) = self.at(0) {
                if byte == b',' || byte == b'\n' || (byte == b'\r' && self.at(1) == Some(b'\n')) {
                    break;
                }
                self.pos += 1;
            }
            fields.push(Cow::Borrowed(&self.data[start..self.pos]));
            if self.at(0) == Some(b',') {
                self.pos += 1;
                continue;
            }
            self.end_of_line();
            return Ok(Some(RawRow { line, fields }));
        }
    }
}

fn utf8_text(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "is not valid UTF-8 (at character {} of the value): save the file as UTF-8",
            String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                .chars()
                .count()
                + 1
        )
    })
}

/// Where each known column is in the file.
struct Header {
    positions: [Option<usize>; 10],
    width: usize,
    names: Vec<String>,
}

impl Header {
    fn parse(row: &RawRow<'_>, problems: &mut Problems) -> Header {
        let mut positions = [None; 10];
        let mut names = Vec::with_capacity(row.fields.len());
        for (i, bytes) in row.fields.iter().enumerate() {
            let name = match utf8_text(bytes) {
                Ok(text) => text.trim().to_ascii_lowercase(),
                Err(message) => {
                    problems.add(CsvProblem::new(
                        row.line,
                        None,
                        format!("the header's column {} {message}", i + 1),
                    ));
                    names.push(String::new());
                    continue;
                }
            };
            match Column::ALL.iter().find(|c| c.name() == name) {
                Some(column) if positions[*column as usize].is_some() => {
                    problems.add(CsvProblem::new(
                        row.line,
                        Some(&name),
                        "the header names this column twice",
                    ));
                }
                Some(column) => positions[*column as usize] = Some(i),
                None if name.is_empty() => problems.add(CsvProblem::new(
                    row.line,
                    None,
                    format!("the header's column {} has no name", i + 1),
                )),
                None => problems.add(CsvProblem::new(
                    row.line,
                    Some(&name),
                    format!(
                        "unknown column: the columns are {}",
                        PERSON_CSV_COLUMNS.join(",")
                    ),
                )),
            }
            names.push(name);
        }
        for column in REQUIRED_COLUMNS {
            if positions[column as usize].is_none() {
                problems.add(CsvProblem::new(
                    row.line,
                    Some(column.name()),
                    format!(
                        "the header has no '{}' column, which is required (the header line is: {})",
                        column.name(),
                        PERSON_CSV_COLUMNS.join(",")
                    ),
                ));
            }
        }
        Header {
            positions,
            width: row.fields.len(),
            names,
        }
    }
}

/// A row of a person file, its text checked as far as both import and matching need.
#[derive(Debug, Clone)]
pub(crate) struct PersonRow {
    line: usize,
    id: String,
    given_name: String,
    family_name: String,
    previous_family_names: Vec<String>,
    date_of_birth: Option<NaiveDate>,
    sex: Option<Sex>,
    postcode: String,
    nhs_number: String,
    la_person_id: String,
    upn: String,
}

impl PersonRow {
    fn details(&self) -> PersonDetails {
        let optional = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        PersonDetails {
            given_names: self.given_name.trim().to_string(),
            family_name: self.family_name.trim().to_string(),
            previous_family_names: self.previous_family_names.clone(),
            date_of_birth: self.date_of_birth,
            sex: self.sex,
            postcode: optional(&self.postcode),
            nhs_number: optional(&self.nhs_number),
            la_person_id: optional(&self.la_person_id),
            upn: optional(&self.upn),
        }
    }
}

/// A date of birth exactly as `YYYY-MM-DD`; blank is `None`.
fn csv_date(text: &str) -> Result<Option<NaiveDate>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err("is not a date written YYYY-MM-DD (for example 2019-03-27)");
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    match (number(0..4), number(5..7), number(8..10)) {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d)
            .map(Some)
            .ok_or("is not a real date: check the day and the month (YYYY-MM-DD)"),
        _ => Err("is not a date written YYYY-MM-DD (for example 2019-03-27)"),
    }
}

fn csv_sex(text: &str) -> Result<Option<Sex>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Sex>()
        .map(Some)
        .map_err(|_| "is not a sex code: use female, male, indeterminate or not_known")
}

/// Reads every row of a person file, checking its structure, encoding, ids, dates and sex
/// codes. Returns the rows that passed; the problems found are added to `problems`.
pub(crate) fn read_person_rows(data: &[u8], problems: &mut Problems) -> Vec<PersonRow> {
    if data.starts_with(b"\xFF\xFE") || data.starts_with(b"\xFE\xFF") {
        problems.add(CsvProblem::new(
            1,
            None,
            "the file is UTF-16: save it as UTF-8 (CSV UTF-8) and try again",
        ));
        return Vec::new();
    }
    let mut rows = CsvRows::new(data);
    let header_row = match rows.next_row() {
        Ok(Some(row)) => row,
        Ok(None) => {
            problems.add(CsvProblem::new(
                1,
                None,
                format!(
                    "the file is empty: its first line must be the header {}",
                    PERSON_CSV_COLUMNS.join(",")
                ),
            ));
            return Vec::new();
        }
        Err(p) => {
            problems.add(CsvProblem::new(p.line, None, p.message));
            return Vec::new();
        }
    };
    let header = Header::parse(&header_row, problems);
    let column_name = |field: usize| header.names.get(field).cloned();
    if !problems.is_empty() {
        return Vec::new();
    }
    let mut people = Vec::new();
    let mut first_line_of_id: HashMap<String, usize> = HashMap::new();
    loop {
        let row = match rows.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(p) => {
                problems.add(CsvProblem {
                    line: p.line,
                    column: column_name(p.field),
                    message: p.message.to_string(),
                });
                break;
            }
        };
        if row.fields.len() != header.width {
            let message = if row.fields.len() < header.width {
                format!(
                    "the row has {} values but the header has {} columns: this column and any after it are missing",
                    row.fields.len(),
                    header.width
                )
            } else {
                format!(
                    "the row has {} values but the header has {} columns: is a comma inside a value not quoted?",
                    row.fields.len(),
                    header.width
                )
            };
            let missing = column_name(row.fields.len().min(header.width));
            problems.add(CsvProblem {
                line: row.line,
                column: missing.filter(|_| row.fields.len() < header.width),
                message,
            });
            continue;
        }
        let mut text: [String; 10] = Default::default();
        let mut row_ok = true;
        for column in Column::ALL {
            let Some(position) = header.positions[column as usize] else {
                continue;
            };
            let bytes = row.fields.get(position).map_or(&[][..], |f| f.as_ref());
            match utf8_text(bytes) {
                Ok(value) => text[column as usize] = value.to_string(),
                Err(message) => {
                    problems.add(CsvProblem::new(row.line, Some(column.name()), message));
                    row_ok = false;
                }
            }
        }
        let [id, given_name, family_name, previous, date_of_birth, sex, postcode, nhs_number, la_person_id, upn] =
            text;
        let id = id.trim().to_string();
        if id.is_empty() {
            problems.add(CsvProblem::new(
                row.line,
                Some("id"),
                "is blank: every row needs an id, unique in the file",
            ));
            row_ok = false;
        } else if let Some(first) = first_line_of_id.get(&id) {
            problems.add(CsvProblem::new(
                row.line,
                Some("id"),
                format!("'{id}' is already the id of line {first}: ids must be unique in the file"),
            ));
            row_ok = false;
        } else {
            first_line_of_id.insert(id.clone(), row.line);
        }
        let date_of_birth = match csv_date(&date_of_birth) {
            Ok(date) => date,
            Err(message) => {
                problems.add(CsvProblem::new(row.line, Some("date_of_birth"), message));
                row_ok = false;
                None
            }
        };
        let sex = match csv_sex(&sex) {
            Ok(sex) => sex,
            Err(message) => {
                problems.add(CsvProblem::new(row.line, Some("sex"), message));
                row_ok = false;
                None
            }
        };
        if row_ok {
            people.push(PersonRow {
                line: row.line,
                id,
                given_name,
                family_name,
                previous_family_names: previous
                    .split(';')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect(),
                date_of_birth,
                sex,
                postcode,
                nhs_number,
                la_person_id,
                upn,
            });
        }
    }
    people
}

/// Reads a person file, failing with every problem found.
fn read_person_file(data: &[u8]) -> Result<Vec<PersonRow>, CsvError> {
    let mut problems = Problems::default();
    let rows = read_person_rows(data, &mut problems);
    problems.finish()?;
    Ok(rows)
}

/// A row ready to store.
pub(crate) struct ImportRow {
    pub(crate) line: usize,
    pub(crate) input: PersonInput,
    pub(crate) la_person_id: Option<String>,
}

/// Checks what storing needs beyond [`read_person_rows`] (a family name, and identifiers
/// that are well formed and pass their checks), adding to the problems it found.
pub(crate) fn check_for_import(
    rows: Vec<PersonRow>,
    mut problems: Problems,
) -> Result<Vec<ImportRow>, CsvError> {
    let mut checked = Vec::with_capacity(rows.len());
    let mut first_line_of_la_id: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let mut ok = true;
        let mut check = |column: &str, result: Result<(), String>| {
            if let Err(message) = result {
                problems.add(CsvProblem::new(row.line, Some(column), message));
                ok = false;
            }
        };
        let name = PersonName::new(&row.given_name, &row.family_name);
        let name_column = if row.family_name.trim().is_empty() {
            "family_name"
        } else if row.given_name.chars().count() > row.family_name.chars().count() {
            "given_name"
        } else {
            "family_name"
        };
        check(name_column, name.map(drop).map_err(|e| e.to_string()));
        for previous in &row.previous_family_names {
            check(
                "previous_family_names",
                PersonName::previous_family_name(previous)
                    .map(drop)
                    .map_err(|e| e.to_string()),
            );
        }
        let optional = |text: &str, parse: &dyn Fn(&str) -> Result<(), String>| {
            if text.trim().is_empty() {
                Ok(())
            } else {
                parse(text)
            }
        };
        check(
            "postcode",
            optional(&row.postcode, &|t| {
                Postcode::parse(t).map(drop).map_err(|e| e.to_string())
            }),
        );
        check(
            "nhs_number",
            optional(&row.nhs_number, &|t| {
                NhsNumber::parse(t).map(drop).map_err(|e| e.to_string())
            }),
        );
        check(
            "upn",
            optional(&row.upn, &|t| {
                Upn::parse(t).map(drop).map_err(|e| e.to_string())
            }),
        );
        let la_person_id = row.la_person_id.trim().to_string();
        if la_person_id.chars().count() > 40 {
            check(
                "la_person_id",
                Err("is longer than 40 characters".to_string()),
            );
        } else if !la_person_id.is_empty() {
            if let Some(first) = first_line_of_la_id.get(&la_person_id) {
                let message = format!(
                    "is also the LA person id on line {first}: each person needs their own"
                );
                check("la_person_id", Err(message));
            } else {
                first_line_of_la_id.insert(la_person_id.clone(), row.line);
            }
        }
        if ok {
            checked.push(ImportRow {
                line: row.line,
                input: PersonInput {
                    given_name: row.given_name.trim().to_string(),
                    family_name: row.family_name.trim().to_string(),
                    previous_family_names: row.previous_family_names,
                    date_of_birth: row
                        .date_of_birth
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    birth_date_expected: false,
                    sex: row.sex.unwrap_or(Sex::NotKnown).code().to_string(),
                    postcode: row.postcode.trim().to_string(),
                    nhs_number: row.nhs_number.trim().to_string(),
                    upn: row.upn.trim().to_string(),
                    ..PersonInput::default()
                },
                la_person_id: (!la_person_id.is_empty()).then_some(la_person_id),
            });
        }
    }
    problems.finish()?;
    Ok(checked)
}

/// The number in an id of the form the person counter makes (`P0001234`).
pub(crate) fn counter_number(la_person_id: &str) -> Option<i64> {
    let digits = la_person_id.strip_prefix('P')?;
    if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

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

/// Reads a person file for linkage: structure, encoding, unique ids, dates and sex codes are
/// checked (every problem is reported with its line and column); identifiers are read as
/// written.
pub fn read_link_records(mut reader: impl Read) -> Result<Vec<LinkRecord>, CsvReadError> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data).map_err(CsvReadError::Read)?;
    let rows = read_person_file(&data)?;
    Ok(rows
        .iter()
        .map(|row| LinkRecord::new(row.id.clone(), &row.details()))
        .collect())
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

fn csv_field(value: &str) -> Cow<'_, str> {
    if value.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

/// FNV-1a: blocking keys are hashed once, so blocks are found by number.
fn key_hash(key: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn hashed_keys(record: &MatchRecord) -> Vec<u64> {
    let mut keys: Vec<u64> = blocking_keys(record).iter().map(|k| key_hash(k)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Records by blocking key: block → indices of the records that have it.
struct BlockIndex {
    blocks: HashMap<u64, Vec<u32>>,
}

impl BlockIndex {
    fn new<'a>(keys: impl Iterator<Item = &'a [u64]>) -> Self {
        let mut blocks: HashMap<u64, Vec<u32>> = HashMap::new();
        for (index, record_keys) in keys.enumerate() {
            for key in record_keys {
                blocks.entry(*key).or_default().push(index as u32);
            }
        }
        Self { blocks }
    }

    /// The usable block of a key (none when absent or larger than [`MAX_LINK_BLOCK`]).
    fn block(&self, key: u64) -> &[u32] {
        match self.blocks.get(&key) {
            Some(block) if block.len() <= MAX_LINK_BLOCK => block,
            _ => &[],
        }
    }
}

/// The indexed records sharing a key with a query row, each once. A mark per indexed record
/// says which row last took it, so nothing is cleared between rows.
struct Candidates {
    taken_by: Vec<u32>,
    found: Vec<u32>,
}

impl Candidates {
    fn new(indexed: usize) -> Self {
        Self {
            taken_by: vec![u32::MAX; indexed],
            found: Vec::new(),
        }
    }

    /// The records in `index` sharing any of `keys` with query row `row` (only those after
    /// `after`, when given).
    fn of(&mut self, index: &BlockIndex, keys: &[u64], row: u32, after: Option<u32>) -> &[u32] {
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

/// The pairs of records within one set (indices, the earlier first) scoring at least
/// `threshold` bits under [`compare_within_one_system`], in no particular order: candidates
/// share a blocking key, blocks larger than [`MAX_LINK_BLOCK`] left out. The duplicates report
/// and `persons match --dedupe` both find pairs this way.
pub fn pairs_within<R: AsRef<MatchRecord> + Sync>(
    records: &[R],
    model: &MatchModel,
    threshold: f64,
) -> Vec<(u32, u32, f64)> {
    let keys: Vec<Vec<u64>> = records.iter().map(|r| hashed_keys(r.as_ref())).collect();
    let index = BlockIndex::new(keys.iter().map(Vec::as_slice));
    in_parallel(records.len(), |rows| {
        let mut candidates = Candidates::new(records.len());
        let mut found: Vec<(u32, u32, f64)> = Vec::new();
        for i in rows {
            let (Some(record), Some(record_keys)) = (records.get(i), keys.get(i)) else {
                continue;
            };
            let i = i as u32;
            // Each pair once: only records after this one.
            for &j in candidates.of(&index, record_keys, i, Some(i)) {
                if let Some(other) = records.get(j as usize) {
                    let score =
                        compare_within_one_system(record.as_ref(), other.as_ref(), model).score;
                    if score >= threshold {
                        found.push((i, j, score));
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
fn in_parallel<W>(rows: usize, work: W) -> Vec<(u32, u32, f64)>
where
    W: Fn(std::iter::StepBy<std::ops::Range<usize>>) -> Vec<(u32, u32, f64)> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads <= 1 || rows < 5_000 {
        return work((0..rows).step_by(1));
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|first| scope.spawn(move || work((first..rows).step_by(threads))))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
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

fn pairs_with_ids(
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn\n";

    fn problems(csv: &[u8]) -> Vec<String> {
        let mut found = Problems::default();
        let rows = read_person_rows(csv, &mut found);
        match check_for_import(rows, found) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn columns_match_the_generators() {
        assert_eq!(
            PERSON_CSV_COLUMNS.join(","),
            frontdoor_synthetic::PERSON_CSV_HEADER
        );
    }

    #[test]
    fn a_good_file_reads() {
        let csv = format!(
            "{HEADER}a1,Olivia Grace,\"Smith, Jones\",Walker;Brown,2014-03-12,female,ls6 2ab,943 476 5919,P0000012,\r\n\
             a2,\"Jo \"\"JJ\"\"\",O'Brien,,,,,,,\n\n"
        );
        let rows = read_person_file(csv.as_bytes()).expect("reads");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].family_name, "Smith, Jones");
        assert_eq!(rows[0].previous_family_names, ["Walker", "Brown"]);
        assert_eq!(rows[0].sex, Some(Sex::Female));
        assert_eq!(rows[1].given_name, "Jo \"JJ\"");
        assert_eq!(rows[1].line, 3);
        let checked = check_for_import(rows, Problems::default()).expect("valid");
        assert_eq!(checked[0].la_person_id.as_deref(), Some("P0000012"));
        assert_eq!(counter_number("P0000012"), Some(12));
        assert_eq!(counter_number("LA12"), None);
    }

    #[test]
    fn columns_may_come_in_any_order_and_some_may_be_left_out() {
        let csv = b"family_name,id,date_of_birth,given_name\nSmith,x,2001-02-03,Ann\n";
        let rows = read_person_file(csv).expect("reads");
        assert_eq!(rows[0].id, "x");
        assert_eq!(rows[0].given_name, "Ann");
    }

    #[test]
    fn every_problem_names_its_line_and_column() {
        let csv = format!(
            "{HEADER}a1,Ann,Smith,,2014-02-30,female,,,,\n\
             a2,Ann,Smith,,12/03/2014,female,,,,\n\
             a3,Ann,Smith,,2014-03-12,woman,,,,\n\
             a4,Ann,Smith,,2014-03-12,female,LS6 2AB,9434765918,,\n\
             a5,Ann,,,2014-03-12,female,,,,\n\
             a6,Ann,Smith,,2014-03-12,female,XX,,,\n\
             a1,Ann,Smith,,2014-03-12,female,,,,\n\
             a8,Ann,Smith,,2014-03-12\n\
             a9,Ann,Smith,,2014-03-12,female,,,,A12345678901\n"
        );
        let found = problems(csv.as_bytes());
        let expected = [
            "line 2, column date_of_birth: is not a real date",
            "line 3, column date_of_birth: is not a date written YYYY-MM-DD",
            "line 4, column sex: ",
            "line 8, column id: 'a1' is already the id of line 2",
            "line 9, column sex: the row has 5 values but the header has 10",
        ];
        // Structure and common checks come first; the import checks run on rows that pass.
        for e in expected {
            assert!(found.iter().any(|p| p.starts_with(e)), "{e} in {found:#?}");
        }
        let found = problems(
            format!(
                "{HEADER}a4,Ann,Smith,,2014-03-12,female,LS6 2AB,9434765918,,\n\
                 a5,Ann,,,2014-03-12,female,,,,\n\
                 a6,Ann,Smith,,2014-03-12,female,XX,,,\n\
                 a9,Ann,Smith,,2014-03-12,female,,,,A12345678901\n"
            )
            .as_bytes(),
        );
        for e in [
            "line 2, column nhs_number: That NHS number's check digit is wrong",
            "line 3, column family_name: Enter a family name",
            "line 4, column postcode: Enter a full UK postcode",
            "line 5, column upn: ",
        ] {
            assert!(found.iter().any(|p| p.starts_with(e)), "{e} in {found:#?}");
        }
        let found = problems(
            format!("{HEADER}a1,Ann,Smith,Walker\u{1f}Jones,2014-03-12,female,,,,\n").as_bytes(),
        );
        assert!(
            found.iter().any(|p| p
                .starts_with("line 2, column previous_family_names: Names cannot hold control")),
            "{found:#?}"
        );
    }

    #[test]
    fn the_header_is_checked() {
        let found = problems(b"id,given_name,surname,date_of_birth\n1,A,B,\n");
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("line 1, column surname: unknown column")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("line 1, column family_name: the header has no")),
            "{found:?}"
        );
        assert_eq!(problems(b""), ["line 1: the file is empty: its first line must be the header id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn"]);
        assert!(problems(b"\xFF\xFEi\x00d\x00")[0].contains("UTF-16"));
    }

    #[test]
    fn invalid_utf8_names_the_line_and_column() {
        let mut csv = HEADER.as_bytes().to_vec();
        csv.extend_from_slice(b"a1,Ann,Smith,,,,,,,\na2,Zo\xEB,Smith,,,,,,,\n");
        assert_eq!(
            problems(&csv),
            ["line 3, column given_name: is not valid UTF-8 (at character 3 of the value): save the file as UTF-8"]
        );
    }

    #[test]
    fn an_unclosed_quote_is_named() {
        let csv = format!("{HEADER}a1,\"Ann,Smith,,,,,,,\n");
        assert_eq!(
            problems(csv.as_bytes()),
            ["line 2, column given_name: a quoted value is not closed: add the closing quote (\")"]
        );
    }

    #[test]
    fn problems_beyond_the_limit_are_counted() {
        let mut csv = HEADER.to_string();
        for i in 0..30 {
            csv.push_str(&format!("a{i},Ann,Smith,,not a date,,,,,\n"));
        }
        let error = read_person_file(csv.as_bytes()).expect_err("bad dates");
        assert_eq!(error.problems.len(), MAX_REPORTED_PROBLEMS);
        assert_eq!(error.more, 10);
        assert!(error
            .to_string()
            .starts_with("the file has 30 problems: line 2, column date_of_birth"));
        assert!(error.to_string().ends_with("; and 10 more."));
    }

    fn record(id: &str, given: &str, family: &str, dob: (i32, u32, u32)) -> LinkRecord {
        LinkRecord::new(
            id,
            &PersonDetails {
                given_names: given.into(),
                family_name: family.into(),
                date_of_birth: NaiveDate::from_ymd_opt(dob.0, dob.1, dob.2),
                postcode: Some("LS6 2AB".into()),
                ..Default::default()
            },
        )
    }

    #[test]
    fn linkage_finds_the_same_person_despite_errors() {
        let model = MatchModel::default();
        let left = [
            record("L1", "William", "Smith", (2014, 3, 12)),
            record("L2", "Aisha", "Khan", (2016, 7, 1)),
            record("L3", "Oliver", "Brown", (2010, 1, 5)),
        ];
        let right = [
            record("R1", "Bill", "Smith", (2014, 12, 3)),
            record("R2", "Ayesha", "Khan", (2016, 7, 1)),
            record("R3", "Zofia", "Nowak", (2001, 9, 9)),
        ];
        let pairs = link_records(&left, &right, &model, 12.0);
        let ids: Vec<(&str, &str)> = pairs
            .iter()
            .map(|p| (p.left_id.as_str(), p.right_id.as_str()))
            .collect();
        assert_eq!(ids.len(), 2, "{pairs:?}");
        assert!(ids.contains(&("L1", "R1")) && ids.contains(&("L2", "R2")));
        assert!(pairs[0].score >= pairs[1].score);
        // The score is the one search and the duplicates report give.
        let direct = compare(&left[1].record, &right[1].record, &model).score;
        assert!(pairs.iter().any(|p| p.left_id == "L2" && p.score == direct));
    }

    #[test]
    fn one_to_one_keeps_each_records_best_pair_and_ties() {
        let model = MatchModel::default();
        // Olivia's twin sister Sophie shares her family name, birthday and address: linked
        // with every pair kept, Olivia's record in the other file pairs with both.
        let left = [
            record("L-olivia", "Olivia", "Smith", (2014, 3, 12)),
            record("L-sophie", "Sophie", "Smith", (2014, 3, 12)),
            record("L-ann", "Ann", "Lee", (2001, 2, 3)),
        ];
        let right = [
            record("R-olivia", "Olivia", "Smith", (2014, 3, 12)),
            // Two right records the scores cannot tell apart: both stay, for a person to judge.
            record("R-ann-1", "Ann", "Lee", (2001, 2, 3)),
            record("R-ann-2", "Ann", "Lee", (2001, 2, 3)),
        ];
        let all = link_records(&left, &right, &model, 0.0);
        let with = |pairs: &[LinkedPair], l: &str, r: &str| {
            pairs.iter().any(|p| p.left_id == l && p.right_id == r)
        };
        assert!(with(&all, "L-sophie", "R-olivia"), "{all:?}");
        let best = one_to_one(all.clone());
        assert!(with(&best, "L-olivia", "R-olivia"), "{best:?}");
        assert!(!with(&best, "L-sophie", "R-olivia"), "{best:?}");
        assert!(with(&best, "L-ann", "R-ann-1") && with(&best, "L-ann", "R-ann-2"));
        assert_eq!(best.len(), 3, "{best:?}");
        // Still best first, and every kept pair is one of the pairs found.
        assert!(best.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(best.iter().all(|p| all.contains(p)));
    }

    #[test]
    fn parallel_pairing_visits_every_row_once() {
        for rows in [0, 1, 4_999, 5_000, 12_345] {
            let mut found = in_parallel(rows, |part| {
                part.map(|row| (row as u32, row as u32 + 1, row as f64))
                    .collect()
            });
            found.sort_by_key(|pair| pair.0);
            assert_eq!(found.len(), rows);
            assert!(found
                .iter()
                .enumerate()
                .all(|(i, pair)| pair.0 as usize == i && pair.1 as usize == i + 1));
        }
    }

    #[test]
    fn dedupe_reports_each_pair_once() {
        let model = MatchModel::default();
        let records = [
            record("A", "Katarzyna", "Nowak", (2012, 5, 6)),
            record("B", "Kasia", "Nowak", (2012, 5, 6)),
            record("C", "Katarzyna", "Nowak", (2012, 6, 5)),
            record("D", "Tom", "Jones", (1990, 1, 1)),
        ];
        let pairs = dedupe_records(&records, &model, 12.0);
        let mut ids: Vec<(String, String)> =
            pairs.into_iter().map(|p| (p.left_id, p.right_id)).collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                ("A".into(), "B".into()),
                ("A".into(), "C".into()),
                ("B".into(), "C".into())
            ]
        );
    }

    #[test]
    fn pairs_are_written_as_csv() {
        let mut out = Vec::new();
        write_pairs_csv(
            &mut out,
            &[LinkedPair {
                left_id: "a,1".into(),
                right_id: "b".into(),
                score: 21.456,
            }],
        )
        .expect("write");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "left_id,right_id,score\n\"a,1\",b,21.46\n"
        );
    }

    #[tokio::test]
    async fn an_import_is_checked_whole_authorised_and_searchable_on_every_backend() {
        use crate::{App, AppError, ImportError, NewAuthority, NewWorker, PersonQuery, Settings};
        use frontdoor_domain::authorization::Role;
        use frontdoor_domain::clock::SystemClock;
        use std::sync::Arc;

        for db in frontdoor_store::testing::all_backends()
            .await
            .expect("databases")
        {
            let app = App::new(db.store.clone(), Arc::new(SystemClock), Settings::default());
            let new_authority = |code: &str| NewAuthority {
                code: code.into(),
                name: format!("{code} Council"),
                front_door_teams: vec!["MASH".into()],
                other_teams: vec![],
                partners: vec![],
            };
            let authority = app
                .create_authority(&new_authority("importshire"))
                .await
                .expect("authority");
            let other = app
                .create_authority(&new_authority("othershire"))
                .await
                .expect("authority");
            let mut actors = Vec::new();
            for (username, role, authority) in [
                ("admin", Role::Administrator, authority),
                ("worker", Role::MashSocialWorker, authority),
                ("other.admin", Role::Administrator, other),
            ] {
                // Front-door roles need a team.
                let team = match role.needs_team() {
                    true => app
                        .store
                        .teams(authority)
                        .await
                        .expect("teams")
                        .first()
                        .map(|t| t.id),
                    false => None,
                };
                let worker = app
                    .add_worker_as_operator(&NewWorker {
                        authority,
                        username: username.into(),
                        display_name: username.into(),
                        role,
                        team,
                        organisation: None,
                        asye: false,
                        password: "a long enough password".into(),
                    })
                    .await
                    .expect("worker");
                actors.push(worker.actor());
            }
            let (admin, worker, other_admin) = (&actors[0], &actors[1], &actors[2]);
            let good = format!(
                "{HEADER}w1,William James,Smith,Walker,2014-03-12,male,LS6 2AB,9434765919,,\n\
                 w2,Aisha,Khan,,2016-07-01,female,,,P0000100,\n\
                 w3,,Nowak,,,,,,,\n"
            );
            let events_before = app.store.verify_events().await.expect("events").verified;
            for refused in [worker, other_admin] {
                let result = app
                    .import_people_csv(Some(refused), authority, good.as_bytes())
                    .await;
                assert!(
                    matches!(result, Err(ImportError::App(AppError::Denied(_)))),
                    "{result:?}"
                );
            }
            let bad = format!("{good}w4,Amy,Lee,,2014-02-30,female,,,,\n");
            let result = app
                .import_people_csv(Some(admin), authority, bad.as_bytes())
                .await;
            match result {
                Err(ImportError::Csv(e)) => assert_eq!(
                    e.to_string(),
                    "the file has a problem: line 5, column date_of_birth: is not a real date: check the day and the month (YYYY-MM-DD)."
                ),
                other => panic!("{other:?}"),
            }
            assert_eq!(app.store.person_count(authority).await.expect("count"), 0);

            let report = app
                .import_people_csv(Some(admin), authority, good.as_bytes())
                .await
                .expect("imported");
            assert_eq!(report.people, 3);
            assert_eq!(app.store.person_count(authority).await.expect("count"), 3);
            assert_eq!(app.store.person_count(other).await.expect("count"), 0);
            // The id given is kept; the counter moves past it for the rows without one.
            let ids = ["P0000100".to_string(), "P0000101".into(), "P0000102".into()];
            let mut used = app
                .store
                .existing_la_person_ids(authority, &ids)
                .await
                .expect("ids");
            used.sort();
            assert_eq!(used, ids, "{}", db.backend());
            let events = app.store.verify_events().await.expect("events");
            // A person_created event for each person, and people_imported for the file.
            assert_eq!(events.verified, events_before + 4, "{}", db.backend());
            assert!(events.first_break.is_none());
            // Imported people are found by search, under a nickname and a previous name.
            let found = app
                .search_people(
                    worker,
                    &PersonQuery {
                        given_name: "Bill".into(),
                        family_name: "Walker".into(),
                        date_of_birth: "2014-03-12".into(),
                        ..Default::default()
                    },
                )
                .await
                .expect("search");
            assert_eq!(
                found.results.first().map(|r| r.person.family_name.as_str()),
                Some("Smith"),
                "{}",
                db.backend()
            );
            db.remove().await;
        }
    }
}
