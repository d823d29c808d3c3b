//! Tables as files: an xlsx workbook (one sheet a table) and CSV (one file a table).
//!
//! The one writer behind every export — the Ofsted Annex A workbook, the dashboard's downloads —
//! so each gets the same cell types, date format and CSV safety.
//!
//! - Dates are real Excel dates (shown `dd/mm/yyyy`) in the workbook and `dd/mm/yyyy` in CSV,
//!   as English authorities' returns write them.
//! - A CSV text cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab or
//!   carriage return first) is written with a leading `'`, so a name or a note typed by a
//!   member of the public can never run as a formula when the file is opened (OWASP's CSV
//!   injection advice). The workbook stores text as text, so it needs no such escape.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Blank,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    /// A date if there is one, otherwise a blank cell.
    pub fn date_or_blank(value: Option<NaiveDate>) -> Cell {
        value.map_or(Cell::Blank, Cell::Date)
    }

    /// A count or other whole number.
    pub fn count(value: i64) -> Cell {
        // Counts in our tables are far below 2^53, so the conversion is exact.
        Cell::Number(value as f64)
    }
}

/// A table: a sheet of the workbook, or one CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name (Excel allows at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(name: impl Into<String>, headings: &[&str]) -> Table {
        Table {
            name: name.into(),
            headings: headings.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SpreadsheetError {
    #[error("The workbook could not be written: {0}.")]
    Workbook(#[from] XlsxError),
    #[error(
        "Table \"{table}\" has a row with {found} cells but {expected} headings; every row must have one cell per heading."
    )]
    RowWidth {
        table: String,
        expected: usize,
        found: usize,
    },
}

const DATE_FORMAT: &str = "dd/mm/yyyy";

/// The tables as one xlsx workbook, a sheet each, headings bold and frozen.
pub fn workbook_xlsx(tables: &[Table]) -> Result<Vec<u8>, SpreadsheetError> {
    let mut workbook = Workbook::new();
    let heading = Format::new().set_bold().set_text_wrap();
    let date = Format::new().set_num_format(DATE_FORMAT);
    for table in tables {
        check_widths(table)?;
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.name)?;
        for (column, text) in table.headings.iter().enumerate() {
            let column = column_index(column)?;
            sheet.write_string_with_format(0, column, text, &heading)?;
            sheet.set_column_width(column, column_width(text))?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (row, cells) in table.rows.iter().enumerate() {
            let row = u32::try_from(row + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (column, cell) in cells.iter().enumerate() {
                let column = column_index(column)?;
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(row, column, text)?;
                    }
                    Cell::Number(number) => {
                        sheet.write_number(row, column, *number)?;
                    }
                    Cell::Date(day) => {
                        let excel = ExcelDateTime::from_ymd(
                            u16::try_from(day.year()).map_err(|_| {
                                XlsxError::DateTimeRangeError(format!(
                                    "year {} is outside Excel's dates",
                                    day.year()
                                ))
                            })?,
                            day.month() as u8,
                            day.day() as u8,
                        )?;
                        sheet.write_date_with_format(row, column, &excel, &date)?;
                    }
                    Cell::Blank => {}
                }
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// One table as CSV: a heading line, then a line a row, fields quoted when they must be.
pub fn table_csv(table: &Table) -> Result<String, SpreadsheetError> {
    check_widths(table)?;
    let mut out = String::new();
    push_line(&mut out, table.headings.iter().map(|h| csv_text(h)));
    for cells in &table.rows {
        push_line(
            &mut out,
            cells.iter().map(|cell| match cell {
                Cell::Text(text) => csv_text(text),
                Cell::Number(number) => number.to_string(),
                Cell::Date(day) => day.format("%d/%m/%Y").to_string(),
                Cell::Blank => String::new(),
            }),
        );
    }
    Ok(out)
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&field);
    }
    out.push_str("\r\n");
}

fn csv_text(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn check_widths(table: &Table) -> Result<(), SpreadsheetError> {
    match table
        .rows
        .iter()
        .find(|row| row.len() != table.headings.len())
    {
        Some(row) => Err(SpreadsheetError::RowWidth {
            table: table.name.clone(),
            expected: table.headings.len(),
            found: row.len(),
        }),
        None => Ok(()),
    }
}

fn column_index(column: usize) -> Result<u16, XlsxError> {
    u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Wide enough for the heading, within reason (long headings wrap).
fn column_width(heading: &str) -> f64 {
    (heading.chars().count() as f64 * 1.1).clamp(10.0, 30.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut table = Table::new("List 1", &["Child Unique ID", "Date", "Count"]);
        table.rows.push(vec![
            Cell::text("=HYPERLINK(\"x\")"),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 9).expect("test value")),
            Cell::count(3),
        ]);
        table.rows.push(vec![
            Cell::text("Smith, \"Jo\""),
            Cell::Blank,
            Cell::count(0),
        ]);
        table
    }

    #[test]
    fn csv_quotes_defuses_formulas_and_writes_uk_dates() {
        let csv = table_csv(&sample()).expect("test value");
        assert_eq!(
            csv,
            "Child Unique ID,Date,Count\r\n\
             \"'=HYPERLINK(\"\"x\"\")\",09/03/2026,3\r\n\
             \"Smith, \"\"Jo\"\"\",,0\r\n"
        );
    }

    #[test]
    fn a_row_of_the_wrong_width_is_refused_by_name() {
        let mut table = sample();
        table.rows.push(vec![Cell::Blank]);
        let error = table_csv(&table).expect_err("refused").to_string();
        assert!(error.contains("\"List 1\"") && error.contains("1 cells but 3 headings"));
        assert!(workbook_xlsx(&[table]).is_err());
    }

    #[test]
    fn a_workbook_is_a_zip_with_a_sheet_per_table() {
        let mut second = sample();
        second.name = "List 2".into();
        let bytes = workbook_xlsx(&[sample(), second]).expect("test value");
        assert_eq!(&bytes[..2], b"PK", "an xlsx file is a zip archive");
    }

    #[test]
    fn an_independent_reader_reads_back_headings_text_dates_and_numbers() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = workbook_xlsx(&[sample()]).expect("test value");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
            .expect("calamine opens the workbook");
        assert_eq!(book.sheet_names(), vec!["List 1".to_string()]);
        let range = book.worksheet_range("List 1").expect("test value");
        assert_eq!(range.get_size(), (3, 3));
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String("Child Unique ID".into()))
        );
        // Text is stored as text: the formula-looking value is not a formula, and not escaped.
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("=HYPERLINK(\"x\")".into()))
        );
        let serial = (NaiveDate::from_ymd_opt(2026, 3, 9).expect("test value")
            - NaiveDate::from_ymd_opt(1899, 12, 30).expect("test value"))
        .num_days() as f64;
        match range.get_value((1, 1)) {
            Some(Data::DateTime(day)) => assert_eq!(day.as_f64(), serial),
            other => panic!("expected a date cell, found {other:?}"),
        }
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(3.0)));
        assert_eq!(range.get_value((2, 1)), Some(&Data::Empty));
    }

    #[test]
    fn a_sheet_name_excel_refuses_is_an_error_not_a_panic() {
        let mut table = sample();
        table.name = "a/b".into();
        assert!(workbook_xlsx(&[table]).is_err());
    }
}
