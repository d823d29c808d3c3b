//! A deterministic synthetic local authority, for demos, tests and benchmarks.
//!
//! Everything is generated from a seed with ChaCha8: the same seed (and the same
//! [`AuthorityConfig`]) gives byte-identical output on every machine.
//!
//! - [`SyntheticAuthority`] streams contacts in order of receipt over the configured years:
//!   households (one or two adults, one to five children) appear with their first contact;
//!   later contacts come back to known families, and about 22% of referrals are re-referrals
//!   within 12 months. Each contact carries its threshold decision (as far as it had got by
//!   `as_of`), referrals, assessments and any emergency action, and each referred child's
//!   journey on to section 47 enquiries, conferences, child protection and child in need
//!   plans and the episode's closure, at England's rates.
//! - [`duplicate_test_set`] and [`linkage_test_set`] make labelled person records for
//!   measuring person matching, and [`write_person_csv`] writes them for the CLI.
//!
//! The output types are plain data, using the domain's types where they exist; ids are
//! numbers ([`PersonKey`], [`HouseholdKey`]) that a loader maps to stored records.
#![forbid(unsafe_code)]

mod area;
mod authority;
mod csv;
mod duplicates;
mod household;
mod identifiers;
mod names;
mod pick;
mod text;
pub use text::{is_speech, suits_age, SPEAKING_AGE_YEARS};
mod variation;

pub use area::{Area, Street, SyntheticAddress};
pub use authority::{
    from_london, london_date, source_group, AuthorityConfig, SubjectDescription,
    SyntheticAssessment, SyntheticAuthorisation, SyntheticAuthority, SyntheticCinPlan,
    SyntheticClosure, SyntheticContact, SyntheticDecision, SyntheticEmergencyAction,
    SyntheticEnquiry, SyntheticProtectionPlan, SyntheticReferral, SyntheticReferrer,
    SyntheticStrategyDiscussion, SyntheticSubject, SyntheticVisit, OUTCOME_MIX, SOURCE_MIX,
};
pub use csv::{
    csv_field, write_labelled_person_csv, write_person_csv, write_truth_csv, PERSON_CSV_HEADER,
    TRUTH_CSV_HEADER,
};
pub use duplicates::{
    duplicate_test_set, duplicate_test_set_with, linkage_test_set, linkage_test_set_with,
    other_source_duplicate_test_set, other_source_linkage_test_set, DuplicateOptions, Field,
    LabelledRecord, LinkageTestSet, PersonRecord, RecordError, TruePersonId, Truth,
};
pub use household::{
    HouseholdKey, HouseholdRole, PersonKey, PopulationGenerator, SyntheticHousehold,
    SyntheticPerson, SyntheticRelationship,
};
pub use identifiers::{NhsNumberAllocator, UpnAllocator};
pub use names::{fold_diacritics, Origin};
