//! CSV files for `frontdoor persons import` and `frontdoor persons match`: UTF-8, a header
//! line, comma-separated, fields quoted when they hold a comma, quote or line break.
//!
//! Columns: `id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,
//! nhs_number,la_person_id,upn,other_id,address`. Previous family names are separated by `;`; dates are
//! YYYY-MM-DD; sex is `female`, `male`, `indeterminate` or `not_known`; any field but `id` may
//! be blank.

use crate::duplicates::{LabelledRecord, PersonRecord};
use std::io::{self, Write};

pub const PERSON_CSV_HEADER: &str =
    "id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn,other_id,address";

pub const TRUTH_CSV_HEADER: &str = "record_id,true_person_id,original,errors";

/// A field as CSV writes it: quoted (with quotes doubled) only when it has to be.
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn person_line(record: &PersonRecord) -> String {
    let fields = [
        record.id.clone(),
        record.given_name.clone(),
        record.family_name.clone(),
        record.previous_family_names.join(";"),
        record.date_written.clone().unwrap_or_else(|| {
            record
                .date_of_birth
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        }),
        record.sex.map(|s| s.code().to_string()).unwrap_or_default(),
        record
            .postcode
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        record.nhs_number.clone().unwrap_or_default(),
        record.la_person_id.clone(),
        record
            .upn
            .as_ref()
            .map(|u| u.as_str().to_string())
            .unwrap_or_default(),
        record.other_id.clone(),
        record.address.clone(),
    ];
    fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",")
}

/// Writes people in the import / match format.
pub fn write_person_csv<'a, W: Write>(
    mut out: W,
    records: impl IntoIterator<Item = &'a PersonRecord>,
) -> io::Result<()> {
    writeln!(out, "{PERSON_CSV_HEADER}")?;
    for record in records {
        writeln!(out, "{}", person_line(record))?;
    }
    out.flush()
}

/// Writes labelled records' people in the import / match format.
pub fn write_labelled_person_csv<W: Write>(out: W, records: &[LabelledRecord]) -> io::Result<()> {
    write_person_csv(out, records.iter().map(|r| &r.record))
}

/// Writes the truth: which true person each record is, whether it is the original, and the
/// errors it carries (codes separated by `;`).
pub fn write_truth_csv<W: Write>(mut out: W, records: &[LabelledRecord]) -> io::Result<()> {
    writeln!(out, "{TRUTH_CSV_HEADER}")?;
    for r in records {
        let errors = r
            .errors
            .iter()
            .map(|e| e.code())
            .collect::<Vec<_>>()
            .join(";");
        writeln!(
            out,
            "{},{},{},{}",
            csv_field(&r.record.id),
            r.truth.0,
            r.original,
            errors
        )?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("O'Brien"), "O'Brien");
        assert_eq!(csv_field("Smith, Jones"), "\"Smith, Jones\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
