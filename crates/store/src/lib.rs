//! frontdoor's store: one query source, two backends (SQLite embedded by default, PostgreSQL
//! for deployments). See `docs/decisions/0001-one-query-source-two-databases.md`.
//!
//! Every query is written once, with `$1, $2` placeholders, inside [`on_pool!`] or [`on_tx!`],
//! which expand it once per backend. Every write happens in a [`Tx`] that also appends an event
//! to the hash-chained event log; reads of a child's record append to the access log.
#![forbid(unsafe_code)]

pub mod access_log;
pub mod administration;
pub mod annex_a;
pub mod assessments;
mod backend;
pub mod bulk;
pub mod case_audits;
pub mod child_protection;
pub mod cin_plans;
pub mod contacts;
pub mod cse;
pub mod dash;
pub mod decisions;
pub mod duplicates;
pub mod early_help;
pub mod episodes;
pub mod events;
pub mod family_network;
pub mod imports;
pub mod information_requests;
pub mod merges;
pub mod notifications;
pub mod organisation;
pub mod people;
pub mod performance;
pub mod returns;
pub mod safety_plans;
pub mod sessions;
pub mod sign_in_throttle;
pub mod snapshot;
pub mod strategy_discussions;
pub mod supervisions;
pub mod testing;
pub mod threshold_prompts;
pub mod triage;
pub mod work_due;
pub mod workloads;

pub use backend::{Backend, DatabaseUrl, Store, StoreError, Tx};

/// Instants are stored truncated to microseconds so that both backends agree on equality.
pub fn to_stored_instant(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    at.trunc_subsecs(6)
}
