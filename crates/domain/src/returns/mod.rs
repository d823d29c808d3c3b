//! Statutory returns: the DfE Children in Need census and Ofsted's Annex A lists 1–7.
//!
//! Pure rules only: which records a return covers, what it says, and the DfE's validation
//! rules ported to run before anything is submitted. Reading the records is the app's job.

pub mod annex_a;
pub mod cin_census;
