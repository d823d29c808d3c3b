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

mod calibration;
mod csv_format;
mod pairs;
mod person_rows;
#[cfg(test)]
mod tests;

pub use calibration::*;
pub use csv_format::*;
pub use pairs::*;
pub(crate) use person_rows::*;
pub use person_rows::{ReadingAction, ReadingNote};
