//! A person CSV row checked field by field: for matching (identifiers as written) and for
//! import (every field valid, every person id unique).

use super::*;
use crate::PersonInput;
use chrono::NaiveDate;
use frontdoor_domain::matching::normalise::{NhsDigits, PostcodeParts};
use frontdoor_domain::matching::PersonDetails;
use frontdoor_domain::person::{NhsNumber, PersonName, Postcode, Sex, Upn};
use std::collections::HashMap;

/// A row of a person file, its text checked as far as both import and matching need.
#[derive(Debug, Clone)]
pub(crate) struct PersonRow {
    pub(super) line: usize,
    pub(super) id: String,
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) previous_family_names: Vec<String>,
    date_of_birth: Option<NaiveDate>,
    /// The date was written with day and month exchanged and read back (lenient reading).
    date_of_birth_read_swapped: bool,
    pub(super) sex: Option<Sex>,
    postcode: String,
    nhs_number: String,
    la_person_id: String,
    upn: String,
    other_id: String,
    address: String,
}

impl PersonRow {
    pub(super) fn details(&self) -> PersonDetails {
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
            other_id: optional(&self.other_id),
            date_of_birth_read_swapped: self.date_of_birth_read_swapped,
            address: optional(&self.address),
        }
    }
}

/// What lenient reading did with a value it could not use as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadingAction {
    /// The value is treated as blank for matching: why.
    Blanked(String),
    /// A date written with a month above 12 and a day of at most 12, read with day and month
    /// exchanged: compared as a day and month swap.
    ReadSwapped(NaiveDate),
    /// Ten digits failing the NHS number check digit: kept (a mistyped number still counts
    /// for something), and counted.
    KeptFailingCheckDigit,
    /// The whole row was left out: why.
    RowLeftOut(String),
}

/// One value lenient reading could not use as written: where it is, what it was and what was
/// done with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingNote {
    /// The line of the file (the header is line 1).
    pub line: usize,
    /// The column's name.
    pub column: String,
    /// The value as written.
    pub value: String,
    pub action: ReadingAction,
}

impl ReadingNote {
    fn new(line: usize, column: &str, value: &str, action: ReadingAction) -> Self {
        Self {
            line,
            column: column.to_string(),
            value: value.to_string(),
            action,
        }
    }

    /// What was done, for people: "treated as blank: is not a real date ...".
    pub fn describe(&self) -> String {
        match &self.action {
            ReadingAction::Blanked(why) => format!("treated as blank: {why}"),
            ReadingAction::ReadSwapped(date) => format!(
                "read as {} (day and month swapped: there is no month above 12); compared as a day and month swap",
                date.format("%Y-%m-%d")
            ),
            ReadingAction::KeptFailingCheckDigit => {
                "kept: fails the NHS number check digit, so it is compared as a mistyped number"
                    .to_string()
            }
            ReadingAction::RowLeftOut(why) => format!("row left out: {why}"),
        }
    }
}

/// How strictly a person file is read.
pub(crate) enum Reading<'a> {
    /// Every value must be valid; each problem is reported (an import).
    Strict,
    /// Matching: what cannot be read is blanked (or its row left out) and noted here.
    Lenient(&'a mut Vec<ReadingNote>),
}

impl Reading<'_> {
    /// Reports a problem with a value: noted (and the value is blanked) when lenient, a
    /// problem when strict. Returns true when the row can still be used.
    fn value(
        &mut self,
        problems: &mut Problems,
        line: usize,
        column: &str,
        value: &str,
        message: &str,
    ) -> bool {
        match self {
            Reading::Strict => {
                problems.add(CsvProblem::new(line, Some(column), message));
                false
            }
            Reading::Lenient(notes) => {
                notes.push(ReadingNote::new(
                    line,
                    column,
                    value,
                    ReadingAction::Blanked(message.to_string()),
                ));
                true
            }
        }
    }

    /// Reports a problem that makes the row unusable.
    fn row(
        &mut self,
        problems: &mut Problems,
        line: usize,
        column: Option<&str>,
        value: &str,
        message: String,
    ) {
        match self {
            Reading::Strict => problems.add(CsvProblem::new(line, column, message)),
            Reading::Lenient(notes) => notes.push(ReadingNote::new(
                line,
                column.unwrap_or(""),
                value,
                ReadingAction::RowLeftOut(message),
            )),
        }
    }
}

/// A date of birth exactly as `YYYY-MM-DD`; blank is `None`.
pub(super) fn csv_date(text: &str) -> Result<Option<NaiveDate>, &'static str> {
    match csv_date_parts(text)? {
        None => Ok(None),
        Some((y, m, d)) => NaiveDate::from_ymd_opt(y, m, d)
            .map(Some)
            .ok_or("is not a real date: check the day and the month (YYYY-MM-DD)"),
    }
}

/// The year, month and day written, when the text is shaped `YYYY-MM-DD`; blank is `None`.
fn csv_date_parts(text: &str) -> Result<Option<(i32, u32, u32)>, &'static str> {
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
        (Some(y), Some(m), Some(d)) => Ok(Some((y as i32, m, d))),
        _ => Err("is not a date written YYYY-MM-DD (for example 2019-03-27)"),
    }
}

/// A date that is impossible as written but real with day and month exchanged (a month
/// above 12, a day of at most 12): the date read that way.
pub(super) fn day_month_swap_candidate(text: &str) -> Option<NaiveDate> {
    let (y, m, d) = csv_date_parts(text).ok()??;
    if m > 12 && (1..=12).contains(&d) {
        NaiveDate::from_ymd_opt(y, d, m)
    } else {
        None
    }
}

pub(super) fn csv_sex(text: &str) -> Result<Option<Sex>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Sex>()
        .map(Some)
        .map_err(|_| "is not a sex code: use female, male, indeterminate or not_known")
}

/// Reads every row of a person file, checking its structure, encoding, ids, dates and sex
/// codes. Returns the rows that can be used. Problems with the file as a whole (its encoding,
/// header or quoting) are added to `problems`; so are problems with rows and values when
/// reading strictly, while lenient reading blanks a value it cannot read (or leaves out a
/// row without a usable id, or with the wrong number of values) and notes it.
pub(crate) fn read_person_rows(
    data: &[u8],
    problems: &mut Problems,
    mut reading: Reading<'_>,
) -> Vec<PersonRow> {
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
            let missing = column_name(row.fields.len().min(header.width))
                .filter(|_| row.fields.len() < header.width);
            let whole: Vec<String> = row
                .fields
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            reading.row(
                problems,
                row.line,
                missing.as_deref(),
                &whole.join(","),
                message,
            );
            continue;
        }
        let mut text: [String; COLUMN_COUNT] = Default::default();
        let mut row_ok = true;
        let mut id_unreadable = false;
        for column in Column::ALL {
            let Some(position) = header.positions[column as usize] else {
                continue;
            };
            let bytes = row.fields.get(position).map_or(&[][..], |f| f.as_ref());
            match utf8_text(bytes) {
                Ok(value) => text[column as usize] = value.to_string(),
                Err(message) => {
                    let value = String::from_utf8_lossy(bytes);
                    if column == Column::Id {
                        reading.row(problems, row.line, Some(column.name()), &value, message);
                        row_ok = false;
                        id_unreadable = true;
                    } else {
                        row_ok &=
                            reading.value(problems, row.line, column.name(), &value, &message);
                    }
                }
            }
        }
        let [id, given_name, family_name, previous, date_of_birth, sex, postcode, nhs_number, la_person_id, upn, other_id, address] =
            text;
        let id = id.trim().to_string();
        if id_unreadable {
            // Reported already.
        } else if id.is_empty() {
            reading.row(
                problems,
                row.line,
                Some("id"),
                "",
                "is blank: every row needs an id, unique in the file".to_string(),
            );
            row_ok = false;
        } else if let Some(first) = first_line_of_id.get(&id) {
            reading.row(
                problems,
                row.line,
                Some("id"),
                &id,
                format!("'{id}' is already the id of line {first}: ids must be unique in the file"),
            );
            row_ok = false;
        } else {
            first_line_of_id.insert(id.clone(), row.line);
        }
        let mut date_of_birth_read_swapped = false;
        let date = match csv_date(&date_of_birth) {
            Ok(date) => date,
            Err(message) => match (&mut reading, day_month_swap_candidate(&date_of_birth)) {
                (Reading::Lenient(notes), Some(swapped)) => {
                    notes.push(ReadingNote::new(
                        row.line,
                        "date_of_birth",
                        &date_of_birth,
                        ReadingAction::ReadSwapped(swapped),
                    ));
                    date_of_birth_read_swapped = true;
                    Some(swapped)
                }
                _ => {
                    row_ok &=
                        reading.value(problems, row.line, "date_of_birth", &date_of_birth, message);
                    None
                }
            },
        };
        let sex = match csv_sex(&sex) {
            Ok(sex) => sex,
            Err(message) => {
                row_ok &= reading.value(problems, row.line, "sex", &sex, message);
                None
            }
        };
        let mut row = PersonRow {
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
            date_of_birth: date,
            date_of_birth_read_swapped,
            sex,
            postcode,
            nhs_number,
            la_person_id,
            upn,
            other_id,
            address,
        };
        if let Reading::Lenient(notes) = &mut reading {
            read_identifiers_leniently(&mut row, notes);
        }
        if row_ok {
            people.push(row);
        }
    }
    people
}

/// Lenient reading for matching: a postcode or NHS number matching cannot read is blanked
/// (and noted); an NHS number failing its check digit is kept (and noted).
fn read_identifiers_leniently(row: &mut PersonRow, notes: &mut Vec<ReadingNote>) {
    let postcode = row.postcode.trim();
    if !postcode.is_empty() && PostcodeParts::parse(postcode).is_none() {
        notes.push(ReadingNote::new(
            row.line,
            "postcode",
            &row.postcode,
            ReadingAction::Blanked(
                "is not a UK postcode (or its district, such as LS6)".to_string(),
            ),
        ));
        row.postcode.clear();
    }
    let nhs_number = row.nhs_number.trim();
    if !nhs_number.is_empty() {
        match NhsDigits::parse(nhs_number) {
            None => {
                notes.push(ReadingNote::new(
                    row.line,
                    "nhs_number",
                    &row.nhs_number,
                    ReadingAction::Blanked(
                        "is not an NHS number: ten digits (spaces allowed), not all the same"
                            .to_string(),
                    ),
                ));
                row.nhs_number.clear();
            }
            Some(digits) if !digits.valid => notes.push(ReadingNote::new(
                row.line,
                "nhs_number",
                &row.nhs_number,
                ReadingAction::KeptFailingCheckDigit,
            )),
            Some(_) => {}
        }
    }
}

/// Reads a person file strictly, failing with every problem found.
pub(super) fn read_person_file(data: &[u8]) -> Result<Vec<PersonRow>, CsvError> {
    let mut problems = Problems::default();
    let rows = read_person_rows(data, &mut problems, Reading::Strict);
    problems.finish()?;
    Ok(rows)
}

/// Reads a person file leniently (for matching): fails only when the file as a whole cannot
/// be read; otherwise returns the rows and a note of every value it could not use as written.
pub(super) fn read_person_file_leniently(
    data: &[u8],
) -> Result<(Vec<PersonRow>, Vec<ReadingNote>), CsvError> {
    let mut problems = Problems::default();
    let mut notes = Vec::new();
    let rows = read_person_rows(data, &mut problems, Reading::Lenient(&mut notes));
    problems.finish()?;
    Ok((rows, notes))
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
        if !row.other_id.trim().is_empty() {
            check(
                "other_id",
                Err("is for matching only (persons match): an import has nowhere to keep another system's id; leave the column blank or remove it".to_string()),
            );
        }
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
                    address_line1: row.address.trim().to_string(),
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
