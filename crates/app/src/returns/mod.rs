//! Statutory returns, read through the app: the DfE Children in Need census with its
//! validation (see `docs/decisions/0019-cin-census.md`) and Ofsted's Annex A lists 1–7 (see
//! `docs/decisions/0021-ofsted-annex-a.md`).

mod annex_a;
mod cin_census;
mod xml;

pub use annex_a::{AnnexAListCount, AnnexAReport};
pub use cin_census::{query_explanation, CinCensusReport, LaNumberInput};
pub use xml::cin_census_xml;
