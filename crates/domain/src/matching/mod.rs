//! Person matching: "do we already know this child?"
//!
//! The pure scoring core used by person search, duplicate detection and batch linkage: the
//! same code scores every pair, wherever the pair comes from. No I/O happens here.
//!
//! 1. Normalise each person once: [`MatchRecord::new`] folds accents, drops punctuation and
//!    placeholder names, splits double-barrelled names, parses the postcode and NHS number,
//!    and precomputes phonetic keys ([`phonetic`]) and name-variant groups
//!    ([`name_variants`]).
//! 2. Find candidates: records sharing a [`blocking_keys`] key with the query.
//! 3. Score each candidate: [`compare`] gives a [`MatchExplanation`] — the score in bits (a
//!    Fellegi–Sunter sum of `log2(m/u)` weights) and, for every field, how it agreed and what
//!    it contributed — under a [`MatchModel`] built from [`ModelParameters`] (defaults, or
//!    estimated with [`estimate_parameters`] / [`estimate_from_labelled`]) and, optionally,
//!    [`NameFrequencies`].
//! 4. Rank with [`MatchExplanation::rank_cmp`] (a confirmed NHS number first), and present
//!    with [`MatchExplanation::band`] and [`MatchExplanation::probability`].
//!
//! `docs/person-matching.md` describes the model for operators and workers.
//!
//! ```
//! use chrono::NaiveDate;
//! use frontdoor_domain::matching::{compare, MatchModel, MatchRecord, PersonDetails};
//!
//! let on_file = MatchRecord::new(&PersonDetails {
//!     given_names: "William".into(),
//!     family_name: "Smith-Jones".into(),
//!     date_of_birth: NaiveDate::from_ymd_opt(2014, 3, 12),
//!     ..Default::default()
//! });
//! let query = MatchRecord::new(&PersonDetails {
//!     given_names: "Bill".into(),
//!     family_name: "Jones".into(),
//!     date_of_birth: NaiveDate::from_ymd_opt(2014, 12, 3),
//!     ..Default::default()
//! });
//! let explanation = compare(&query, &on_file, &MatchModel::default());
//! assert!(explanation.score > 0.0);
//! for line in explanation.lines() {
//!     println!("{line}");
//! }
//! ```

pub mod address;
pub mod blocking;
pub mod calibrate;
pub mod cluster;
pub mod compare;
pub mod estimate;
pub mod jaro_winkler;
pub mod model;
pub mod name_variants;
pub mod normalise;
pub mod phonetic;
pub mod record;

pub use address::{AddressTokens, AddressWordCounts};
pub use blocking::{blocking_keys, pairing_keys};
pub use calibrate::{
    calibrate, Calibration, CalibrationFallback, CalibrationInput, CalibrationOptions,
};
pub use cluster::{conflict, group_records, pairs_in_groups, Conflict, GroupOptions, EDGE_MARGIN};
pub use compare::{
    compare, compare_within_one_system, comparison_vector, explain, score, ComparisonVector,
    FieldComparison, MatchExplanation, WeightAdjustment,
};
pub use estimate::{
    estimate_from_labelled, estimate_parameters, estimate_u_from_random_pairs, EmEstimate,
    EmOptions, EstimationError,
};
pub use jaro_winkler::{jaro, jaro_winkler};
pub use model::{
    match_probability, Agreement, Field, FieldParameters, HouseholdParameters, LevelParameters,
    MatchBand, MatchModel, MatchThresholds, ModelError, ModelParameters, NameFrequencies,
    NameFrequencyParameters, PartialAgreement, FIELD_COUNT,
};
pub use phonetic::{double_metaphone, PhoneticCode, PhoneticKey};
pub use record::{MatchRecord, PersonDetails};
