//! A person CSV row checked field by field: for matching (identifiers as written) and for
//! import (every field valid, every person id unique).

use super::*;
use crate::PersonInput;
use chrono::NaiveDate;
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
    pub(super) sex: Option<Sex>,
    postcode: String,
    nhs_number: String,
    la_person_id: String,
    upn: String,
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
        }
    }
}

/// A date of birth exactly as `YYYY-MM-DD`; blank is `None`.
pub(super) fn csv_date(text: &str) -> Result<Option<NaiveDate>, &'static str> {
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
pub(super) fn read_person_file(data: &[u8]) -> Result<Vec<PersonRow>, CsvError> {
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
