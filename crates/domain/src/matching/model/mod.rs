//! The Fellegi–Sunter model: fields, their levels of agreement, m and u probabilities, and the
//! weights that follow from them.
//!
//! For each field and level of agreement, `m` is the probability of that level when the two
//! records are the same person, and `u` the probability when they are different people. A
//! level's weight is `log2(m / u)` bits: positive when the level is more typical of the same
//! person, negative when more typical of different people. A missing field weighs nothing.
//! The total of the weights is the match score; with a prior probability that two records are
//! the same person, it gives a probability (see [`match_probability`]).
//!
//! Two refinements of the plain model, both described in `docs/person-matching.md`:
//!
//! - **Name frequency.** When given names (or family names) agree exactly, `u` is the share of
//!   records that carry that name ([`NameFrequencies`]), so agreeing on a rare name counts for
//!   more than agreeing on SMITH.
//! - **Shared household.** Family name, postcode and date of birth are not independent among
//!   different people: brothers, sisters and parents share a family name and a postcode, and
//!   twins a date of birth too. When the family names agree, partly agree or one is blank:
//!   - postcode agreement is weighed with `u` = P(same postcode | same family name, different
//!     people);
//!   - if the given names do not tell the two apart (they differ, are blank, or only sound or
//!     look alike), date-of-birth agreement is weighed with `u` = P(same date of birth | same
//!     family, different people), which twins make far larger than chance. Twins never share
//!     a given name, so agreeing given names (or a nickname) restore its full weight.
//!
//!   When family name and postcode both agree exactly, the family name is not
//!   frequency-adjusted: within one household a rare surname says nothing more about which
//!   member this is.
//!
//! Two guards keep scores consistent: an exact agreement never weighs less than a partial
//! agreement of the same field in the same circumstances (partial weights are capped, and a
//! common name's frequency-adjusted weight is raised to the field's best partial weight), and
//! a name's share is never taken below `minimum_share`. Under the default parameters, a
//! record compared with an exact copy of itself scores at least as high as with any other
//! record (a property test checks this).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::record::MatchRecord;

/// The number of compared fields.
pub const FIELD_COUNT: usize = 10;

/// The largest number of levels (other than missing) any field has.
pub const MAX_LEVELS: usize = 8;

/// A compared field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    NhsNumber,
    LaPersonId,
    Upn,
    /// Any other system's person key (a foreign identifier of any length), compared exactly.
    OtherId,
    GivenName,
    FamilyName,
    DateOfBirth,
    Sex,
    Postcode,
    /// The address as free text (house number, street, locality).
    Address,
}

impl Field {
    /// Every field, in the order of a comparison vector and of an explanation.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::NhsNumber,
        Field::LaPersonId,
        Field::Upn,
        Field::OtherId,
        Field::GivenName,
        Field::FamilyName,
        Field::DateOfBirth,
        Field::Sex,
        Field::Postcode,
        Field::Address,
    ];

    /// The field's position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// A label for people ("Date of birth").
    pub fn label(self) -> &'static str {
        match self {
            Field::NhsNumber => "NHS number",
            Field::LaPersonId => "LA person id",
            Field::Upn => "Unique pupil number",
            Field::OtherId => "Other identifier",
            Field::GivenName => "Given name",
            Field::FamilyName => "Family name",
            Field::DateOfBirth => "Date of birth",
            Field::Sex => "Sex",
            Field::Postcode => "Postcode",
            Field::Address => "Address",
        }
    }

    /// The levels of agreement that have m and u probabilities, strongest first. Missing is
    /// not among them: it always weighs nothing.
    pub fn levels(self) -> &'static [Agreement] {
        use Agreement::{Agree, Disagree, PartlyAgree};
        use PartialAgreement as P;
        match self {
            Field::NhsNumber => &[
                Agree,
                PartlyAgree(P::InvalidCheckDigit),
                PartlyAgree(P::OneDigit),
                PartlyAgree(P::Transposition),
                Disagree,
            ],
            Field::LaPersonId | Field::Upn | Field::OtherId | Field::Sex => &[Agree, Disagree],
            Field::GivenName => &[
                Agree,
                PartlyAgree(P::Nickname),
                PartlyAgree(P::OtherGivenName),
                PartlyAgree(P::Phonetic),
                PartlyAgree(P::Typo),
                PartlyAgree(P::Initial),
                PartlyAgree(P::NamesSwapped),
                Disagree,
            ],
            Field::FamilyName => &[
                Agree,
                PartlyAgree(P::NamePart),
                PartlyAgree(P::PreviousName),
                PartlyAgree(P::Phonetic),
                PartlyAgree(P::Typo),
                PartlyAgree(P::NamesSwapped),
                Disagree,
            ],
            Field::DateOfBirth => &[
                Agree,
                PartlyAgree(P::DayMonthSwapped),
                PartlyAgree(P::YearOffByOne),
                PartlyAgree(P::OneDigit),
                PartlyAgree(P::WithinDays),
                Disagree,
            ],
            Field::Postcode => &[
                Agree,
                PartlyAgree(P::SameSector),
                PartlyAgree(P::SameDistrict),
                Disagree,
            ],
            Field::Address => &[Agree, PartlyAgree(P::SameStreet), Disagree],
        }
    }

    /// The position of `agreement` in [`Field::levels`]; `None` for missing or a level the
    /// field does not have.
    pub fn level_index(self, agreement: Agreement) -> Option<usize> {
        self.levels().iter().position(|&l| l == agreement)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The ways two values can partly agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialAgreement {
    /// NHS numbers are identical but fail the check digit (so at least one is mistyped).
    InvalidCheckDigit,
    /// Exactly one digit differs (NHS number, or the digits of a date of birth).
    OneDigit,
    /// Two adjacent digits are swapped (NHS number).
    Transposition,
    /// Given names are forms of one name (Bill / William, Kasia / Katarzyna).
    Nickname,
    /// A given name of one record is a middle name of the other.
    OtherGivenName,
    /// The names sound alike (same Double Metaphone code).
    Phonetic,
    /// The names are spelt alike (Jaro–Winkler similarity of at least 0.9).
    Typo,
    /// One record has only an initial, and it is the other's first letter.
    Initial,
    /// Given and family names are swapped between the records.
    NamesSwapped,
    /// One word of a double-barrelled family name matches (Smith-Jones / Jones).
    NamePart,
    /// A previous family name of one record matches the other's family name.
    PreviousName,
    /// Day and month of birth are swapped (03/04 against 04/03).
    DayMonthSwapped,
    /// Same day and month, year of birth one apart.
    YearOffByOne,
    /// Dates of birth within seven days of each other.
    WithinDays,
    /// Same postcode sector (outward code and first inward digit, e.g. LS6 2).
    SameSector,
    /// Same postcode district (outward code, e.g. LS6).
    SameDistrict,
    /// Same street (the address's words alike), another or no house number.
    SameStreet,
}

impl PartialAgreement {
    /// A phrase for people ("nickname or other form of the name").
    pub fn description(self) -> &'static str {
        match self {
            PartialAgreement::InvalidCheckDigit => "identical, but not a valid NHS number",
            PartialAgreement::OneDigit => "one digit different",
            PartialAgreement::Transposition => "two digits swapped",
            PartialAgreement::Nickname => "nickname or other form of the name",
            PartialAgreement::OtherGivenName => "matches a middle name",
            PartialAgreement::Phonetic => "sounds the same",
            PartialAgreement::Typo => "spelt similarly",
            PartialAgreement::Initial => "initial only",
            PartialAgreement::NamesSwapped => "given and family names swapped",
            PartialAgreement::NamePart => "part of a double-barrelled name",
            PartialAgreement::PreviousName => "matches a previous family name",
            PartialAgreement::DayMonthSwapped => "day and month swapped",
            PartialAgreement::YearOffByOne => "year differs by one",
            PartialAgreement::WithinDays => "within a week",
            PartialAgreement::SameSector => "same postcode sector",
            PartialAgreement::SameDistrict => "same postcode district",
            PartialAgreement::SameStreet => "same street, another house number",
        }
    }
}

/// How one field of two records compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// The values are the same.
    Agree,
    /// The values differ in a way typical of the same person recorded twice.
    PartlyAgree(PartialAgreement),
    /// The values differ.
    Disagree,
    /// At least one record has no value: no evidence either way.
    Missing,
}

impl fmt::Display for Agreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Agreement::Agree => f.write_str("agrees"),
            Agreement::PartlyAgree(kind) => write!(f, "partly agrees: {}", kind.description()),
            Agreement::Disagree => f.write_str("disagrees"),
            Agreement::Missing => f.write_str("missing"),
        }
    }
}

mod frequencies;
mod parameters;
mod weights;

pub use frequencies::*;
pub use parameters::*;
pub use weights::*;

#[cfg(test)]
mod tests;
