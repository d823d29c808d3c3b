//! The person CSV format: its columns, reading rows (quoted fields, line breaks in quotes,
//! UTF-8), the header, and the problems reported line by line.

use std::borrow::Cow;
use std::fmt;
use std::io;
use thiserror::Error;

/// The columns of a person CSV file, in the order the generators write them.
pub const PERSON_CSV_COLUMNS: [&str; COLUMN_COUNT] = [
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
    "other_id",
    "address",
];

/// The number of columns a person file may have.
pub const COLUMN_COUNT: usize = 12;

/// Columns the header must name.
pub(super) const REQUIRED_COLUMNS: [Column; 4] = [
    Column::Id,
    Column::GivenName,
    Column::FamilyName,
    Column::DateOfBirth,
];

/// At most this many problems are reported for one file (the rest are counted).
pub const MAX_REPORTED_PROBLEMS: usize = 20;

/// The score (bits) from which `frontdoor persons match` writes a pair when it keeps every pair
/// (`--dedupe`, `--all-pairs`) and calibrating on the files falls back (too few pairs, or a
/// degenerate estimate). Chosen on the labelled synthetic sets of seed 1 (maximum F1); see
/// docs/person-matching.md.
pub const DEFAULT_LINK_THRESHOLD: f64 = 15.0;

/// The score (bits) from which `frontdoor persons match --left --right` writes a record's best
/// pair ([`one_to_one`]) when calibrating on the files falls back. Lower than [`DEFAULT_LINK_THRESHOLD`]: once
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
pub(super) enum Column {
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
    OtherId,
    Address,
}

impl Column {
    pub(super) const ALL: [Column; COLUMN_COUNT] = [
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
        Column::OtherId,
        Column::Address,
    ];

    pub(super) fn name(self) -> &'static str {
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
pub(super) struct RawRow<'a> {
    pub(super) line: usize,
    pub(super) fields: Vec<Cow<'a, [u8]>>,
}

/// A structural problem (quotes), with the index of the field it is in.
pub(super) struct RawProblem {
    pub(super) line: usize,
    pub(super) field: usize,
    pub(super) message: &'static str,
}

/// RFC 4180 records over a byte buffer: quoted fields may hold commas, doubled quotes and
/// line breaks; lines end with LF or CRLF; blank lines are skipped.
pub(super) struct CsvRows<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> CsvRows<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
        Self {
            data,
            pos: 0,
            line: 1,
        }
    }

    pub(super) fn at(&self, offset: usize) -> Option<u8> {
        self.data.get(self.pos + offset).copied()
    }

    /// Consumes a line ending at the current position, if there is one.
    pub(super) fn end_of_line(&mut self) -> bool {
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

    pub(super) fn next_row(&mut self) -> Result<Option<RawRow<'a>>, RawProblem> {
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

pub(super) fn utf8_text(bytes: &[u8]) -> Result<&str, String> {
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
pub(super) struct Header {
    pub(super) positions: [Option<usize>; COLUMN_COUNT],
    pub(super) width: usize,
    pub(super) names: Vec<String>,
}

impl Header {
    pub(super) fn parse(row: &RawRow<'_>, problems: &mut Problems) -> Header {
        let mut positions = [None; COLUMN_COUNT];
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
