//! The rules of practice of a children's services front door.
//!
//! This crate knows nothing of HTTP, SQL or wall-clock time zones. Every value that crosses
//! into it from outside is parsed once into a type that cannot be invalid.
#![forbid(unsafe_code)]
pub mod agency;
pub mod assessment;
pub mod audit;
pub mod authorization;
pub mod calendar;
pub mod case_audit;
pub mod child_protection;
pub mod clock;
pub mod contact;
pub mod cse;
pub mod dash;
pub mod decision;
pub mod early_help;
pub mod episode;
pub mod family_network;
pub mod history;
pub mod ids;
pub mod information_request;
pub mod matching;
pub mod performance;
pub mod person;
pub mod returns;
pub mod safety_plan;
pub mod strategy_discussion;
pub mod supervision;
pub mod threshold_prompt;
pub mod timescale;
pub mod triage;
pub mod workload;
