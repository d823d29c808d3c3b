//! Statutory returns, read through the app: the DfE Children in Need census with its
//! validation (see `docs/decisions/0019-cin-census.md`).

mod cin_census;
mod xml;

pub use cin_census::{query_explanation, CinCensusReport, LaNumberInput};
pub use xml::cin_census_xml;
