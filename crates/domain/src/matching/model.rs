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

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::record::MatchRecord;

/// The number of compared fields.
pub const FIELD_COUNT: usize = 8;

/// The largest number of levels (other than missing) any field has.
pub const MAX_LEVELS: usize = 8;

/// A compared field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    NhsNumber,
    LaPersonId,
    Upn,
    GivenName,
    FamilyName,
    DateOfBirth,
    Sex,
    Postcode,
}

impl Field {
    /// Every field, in the order of a comparison vector and of an explanation.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::NhsNumber,
        Field::LaPersonId,
        Field::Upn,
        Field::GivenName,
        Field::FamilyName,
        Field::DateOfBirth,
        Field::Sex,
        Field::Postcode,
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
            Field::GivenName => "Given name",
            Field::FamilyName => "Family name",
            Field::DateOfBirth => "Date of birth",
            Field::Sex => "Sex",
            Field::Postcode => "Postcode",
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
            Field::LaPersonId | Field::Upn | Field::Sex => &[Agree, Disagree],
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

/// The m and u probabilities of one level of one field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LevelParameters {
    /// The level.
    pub agreement: Agreement,
    /// P(this level | same person).
    pub m: f64,
    /// P(this level | different people).
    pub u: f64,
}

/// The levels of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldParameters {
    /// The field.
    pub field: Field,
    /// One entry for each of [`Field::levels`].
    pub levels: Vec<LevelParameters>,
}

/// u probabilities for records that share a household (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HouseholdParameters {
    /// P(postcodes agree | family names agree or partly agree, different people).
    pub postcode_u: f64,
    /// P(dates of birth agree | family names agree and given names do not tell the two apart,
    /// different people): mostly twins.
    pub date_of_birth_u: f64,
}

/// How counts of names turn into u probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NameFrequencyParameters {
    /// Below this many counted records the table is not used (too few to be a frequency).
    pub minimum_total: u64,
    /// A name is treated as held by at least this share of records, so that a name seen once
    /// does not weigh without limit (1e-4: one in ten thousand).
    pub minimum_share: f64,
}

/// Score thresholds, in bits, for presenting results.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchThresholds {
    /// At or above: a confident match (about 0.97 probability at the default prior).
    pub confident: f64,
    /// At or above: a possible match a worker should look at.
    pub possible: f64,
}

/// Everything the model needs, serialisable so that estimated parameters can be stored and
/// reviewed. Build a [`MatchModel`] from it to score pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelParameters {
    /// The probability that two records picked at random are the same person; used to turn a
    /// score into a probability. One in a million suits an authority's whole person index.
    pub prior_match_probability: f64,
    /// The m and u probabilities of every field.
    pub fields: Vec<FieldParameters>,
    /// u probabilities inside a shared household.
    pub household: HouseholdParameters,
    /// Name-frequency adjustment settings.
    pub name_frequency: NameFrequencyParameters,
    /// Presentation thresholds.
    pub thresholds: MatchThresholds,
}

/// Why model parameters cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("the model has no parameters for the {0} field: add them")]
    MissingField(Field),
    #[error("the model lists the {0} field more than once: keep one entry")]
    DuplicateField(Field),
    #[error("the {field} field has no parameters for the level \"{agreement}\": add them")]
    MissingLevel { field: Field, agreement: Agreement },
    #[error("the {field} field has a level \"{agreement}\" it cannot take: remove it")]
    UnexpectedLevel { field: Field, agreement: Agreement },
    #[error("the {which} probability of \"{agreement}\" for the {field} field is {value}: it must be above 0 and at most 1")]
    ProbabilityOutOfRange {
        field: Field,
        agreement: Agreement,
        which: &'static str,
        value: f64,
    },
    #[error(
        "the {which} probabilities of the {field} field add up to {total}: they must add up to 1"
    )]
    ProbabilitiesDoNotAddUp {
        field: Field,
        which: &'static str,
        total: f64,
    },
    #[error("the {name} is {value}: it must be above 0 and below 1")]
    OutOfRange { name: &'static str, value: f64 },
}

fn level(agreement: Agreement, m: f64, u: f64) -> LevelParameters {
    LevelParameters { agreement, m, u }
}

impl Default for ModelParameters {
    /// Defaults set from published record-linkage studies of UK health and social care data
    /// and from the shape of a large authority's person index (about a million people, most
    /// of them children and their parents). Estimate from your own data when you can.
    fn default() -> Self {
        use Agreement::{Agree, Disagree, PartlyAgree};
        use PartialAgreement as P;
        let fields = vec![
            FieldParameters {
                field: Field::NhsNumber,
                levels: vec![
                    level(Agree, 0.975, 1e-10),
                    level(PartlyAgree(P::InvalidCheckDigit), 0.005, 1e-8),
                    level(PartlyAgree(P::OneDigit), 0.006, 1e-7),
                    level(PartlyAgree(P::Transposition), 0.004, 1e-7),
                    level(Disagree, 0.010, 1.0 - 1e-10 - 1e-8 - 2e-7),
                ],
            },
            FieldParameters {
                field: Field::LaPersonId,
                levels: vec![level(Agree, 0.8, 1e-8), level(Disagree, 0.2, 1.0 - 1e-8)],
            },
            FieldParameters {
                field: Field::Upn,
                levels: vec![level(Agree, 0.95, 1e-8), level(Disagree, 0.05, 1.0 - 1e-8)],
            },
            FieldParameters {
                field: Field::GivenName,
                levels: vec![
                    level(Agree, 0.86, 0.005),
                    level(PartlyAgree(P::Nickname), 0.04, 0.0008),
                    level(PartlyAgree(P::OtherGivenName), 0.02, 0.001),
                    level(PartlyAgree(P::Phonetic), 0.025, 0.004),
                    level(PartlyAgree(P::Typo), 0.025, 0.002),
                    level(PartlyAgree(P::Initial), 0.005, 0.002),
                    level(PartlyAgree(P::NamesSwapped), 0.01, 0.0001),
                    level(Disagree, 0.015, 1.0 - 0.0149),
                ],
            },
            FieldParameters {
                field: Field::FamilyName,
                levels: vec![
                    level(Agree, 0.85, 0.002),
                    level(PartlyAgree(P::NamePart), 0.03, 0.0002),
                    level(PartlyAgree(P::PreviousName), 0.03, 0.0002),
                    level(PartlyAgree(P::Phonetic), 0.025, 0.003),
                    level(PartlyAgree(P::Typo), 0.025, 0.001),
                    level(PartlyAgree(P::NamesSwapped), 0.01, 0.0001),
                    level(Disagree, 0.03, 1.0 - 0.0065),
                ],
            },
            FieldParameters {
                field: Field::DateOfBirth,
                levels: vec![
                    level(Agree, 0.92, 0.0001),
                    level(PartlyAgree(P::DayMonthSwapped), 0.01, 0.00005),
                    level(PartlyAgree(P::YearOffByOne), 0.01, 0.0002),
                    level(PartlyAgree(P::OneDigit), 0.03, 0.002),
                    level(PartlyAgree(P::WithinDays), 0.01, 0.001),
                    level(Disagree, 0.02, 1.0 - 0.00335),
                ],
            },
            FieldParameters {
                field: Field::Sex,
                levels: vec![level(Agree, 0.99, 0.5), level(Disagree, 0.01, 0.5)],
            },
            FieldParameters {
                field: Field::Postcode,
                levels: vec![
                    level(Agree, 0.70, 0.00005),
                    level(PartlyAgree(P::SameSector), 0.06, 0.003),
                    level(PartlyAgree(P::SameDistrict), 0.06, 0.03),
                    level(Disagree, 0.18, 1.0 - 0.03305),
                ],
            },
        ];
        ModelParameters {
            prior_match_probability: 1e-6,
            fields,
            household: HouseholdParameters {
                postcode_u: 0.001,
                date_of_birth_u: 0.015,
            },
            name_frequency: NameFrequencyParameters {
                minimum_total: 1_000,
                minimum_share: 1e-4,
            },
            thresholds: MatchThresholds {
                confident: 25.0,
                possible: 12.0,
            },
        }
    }
}

impl ModelParameters {
    /// The parameters of one field.
    pub fn field(&self, field: Field) -> Option<&FieldParameters> {
        self.fields.iter().find(|f| f.field == field)
    }

    /// The parameters of one level of one field.
    pub fn level(&self, field: Field, agreement: Agreement) -> Option<&LevelParameters> {
        self.field(field)?
            .levels
            .iter()
            .find(|l| l.agreement == agreement)
    }

    /// The weight, in bits, of one level without adjustments: `log2(m / u)`.
    pub fn weight(&self, field: Field, agreement: Agreement) -> Option<f64> {
        self.level(field, agreement).map(|l| (l.m / l.u).log2())
    }

    /// Check that every field and level is present once, every probability is in (0, 1],
    /// and each field's m and u probabilities add up to 1 (within 0.001).
    pub fn validate(&self) -> Result<(), ModelError> {
        check_open_unit("prior match probability", self.prior_match_probability)?;
        check_open_unit("household postcode u", self.household.postcode_u)?;
        check_open_unit("household date of birth u", self.household.date_of_birth_u)?;
        check_open_unit("minimum name share", self.name_frequency.minimum_share)?;
        for (i, fp) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|other| other.field == fp.field) {
                return Err(ModelError::DuplicateField(fp.field));
            }
        }
        for field in Field::ALL {
            let fp = self.field(field).ok_or(ModelError::MissingField(field))?;
            for lp in &fp.levels {
                if field.level_index(lp.agreement).is_none() {
                    return Err(ModelError::UnexpectedLevel {
                        field,
                        agreement: lp.agreement,
                    });
                }
                for (which, value) in [("m", lp.m), ("u", lp.u)] {
                    if !(value > 0.0 && value <= 1.0) {
                        return Err(ModelError::ProbabilityOutOfRange {
                            field,
                            agreement: lp.agreement,
                            which,
                            value,
                        });
                    }
                }
            }
            for &agreement in field.levels() {
                let count = fp
                    .levels
                    .iter()
                    .filter(|l| l.agreement == agreement)
                    .count();
                if count == 0 {
                    return Err(ModelError::MissingLevel { field, agreement });
                }
                if count > 1 {
                    return Err(ModelError::UnexpectedLevel { field, agreement });
                }
            }
            for (which, total) in [
                ("m", fp.levels.iter().map(|l| l.m).sum::<f64>()),
                ("u", fp.levels.iter().map(|l| l.u).sum::<f64>()),
            ] {
                if (total - 1.0).abs() > 1e-3 {
                    return Err(ModelError::ProbabilitiesDoNotAddUp {
                        field,
                        which,
                        total,
                    });
                }
            }
        }
        Ok(())
    }
}

fn check_open_unit(name: &'static str, value: f64) -> Result<(), ModelError> {
    if value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(ModelError::OutOfRange { name, value })
    }
}

/// m and u probabilities in fixed arrays, indexed by field and level (see [`Field::levels`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ProbabilityTable {
    pub m: [[f64; MAX_LEVELS]; FIELD_COUNT],
    pub u: [[f64; MAX_LEVELS]; FIELD_COUNT],
    pub household_postcode_u: f64,
    pub household_date_of_birth_u: f64,
}

impl ProbabilityTable {
    /// From validated parameters.
    pub fn from_parameters(parameters: &ModelParameters) -> Self {
        let mut table = ProbabilityTable {
            m: [[1.0; MAX_LEVELS]; FIELD_COUNT],
            u: [[1.0; MAX_LEVELS]; FIELD_COUNT],
            household_postcode_u: parameters.household.postcode_u,
            household_date_of_birth_u: parameters.household.date_of_birth_u,
        };
        for field in Field::ALL {
            for (l, &agreement) in field.levels().iter().enumerate() {
                if let Some(lp) = parameters.level(field, agreement) {
                    table.m[field.index()][l] = lp.m;
                    table.u[field.index()][l] = lp.u;
                }
            }
        }
        table
    }

    /// Write the table's probabilities back into a copy of `base`.
    pub fn to_parameters(self, base: &ModelParameters) -> ModelParameters {
        let mut parameters = base.clone();
        parameters.fields = Field::ALL
            .iter()
            .map(|&field| FieldParameters {
                field,
                levels: field
                    .levels()
                    .iter()
                    .enumerate()
                    .map(|(l, &agreement)| LevelParameters {
                        agreement,
                        m: self.m[field.index()][l],
                        u: self.u[field.index()][l],
                    })
                    .collect(),
            })
            .collect();
        parameters.household = HouseholdParameters {
            postcode_u: self.household_postcode_u,
            date_of_birth_u: self.household_date_of_birth_u,
        };
        parameters
    }

    /// The u probability of `level` of a household-conditioned field: the agreeing level takes
    /// the household probability `h`, the others share the rest in their usual proportions.
    pub fn conditioned_u(&self, field: Field, level: usize, h: f64) -> f64 {
        let u = &self.u[field.index()];
        if level == 0 {
            h
        } else {
            let rest = (1.0 - u[0]).max(f64::MIN_POSITIVE);
            u[level] * (1.0 - h) / rest
        }
    }
}

/// Whether the household refinement applies to a pair (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Household {
    /// Family names agree, partly agree or one is blank: postcode agreement is conditioned.
    pub postcode_conditioned: bool,
    /// ...and the given names do not tell the two apart: date-of-birth agreement is
    /// conditioned (it is what twins look like).
    pub date_of_birth_conditioned: bool,
    /// Family names and postcodes both agree: no frequency adjustment of the family name.
    pub family_unadjusted: bool,
}

impl Household {
    pub fn of(given: Agreement, family: Agreement, postcode: Agreement) -> Self {
        use PartialAgreement as P;
        let maybe_same_household = matches!(
            family,
            Agreement::Agree | Agreement::PartlyAgree(_) | Agreement::Missing
        );
        let same_address = postcode == Agreement::Agree;
        let names_identify = matches!(
            given,
            Agreement::Agree
                | Agreement::PartlyAgree(P::Nickname)
                | Agreement::PartlyAgree(P::NamesSwapped)
        );
        Household {
            postcode_conditioned: maybe_same_household,
            date_of_birth_conditioned: maybe_same_household && !names_identify,
            family_unadjusted: family == Agreement::Agree && same_address,
        }
    }
}

/// How often each normalised name occurs in the data, for frequency-adjusted name weights.
/// Count first given names and current family names of every person in the index (the
/// store keeps it up to date as people are added, changed and merged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameFrequencies {
    given: HashMap<String, u64>,
    family: HashMap<String, u64>,
    given_total: u64,
    family_total: u64,
}

impl NameFrequencies {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Count the names of `records`.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a MatchRecord>) -> Self {
        let mut table = Self::new();
        for record in records {
            table.add_record(record);
        }
        table
    }

    /// Count one record's first given name and family name.
    pub fn add_record(&mut self, record: &MatchRecord) {
        if let Some(given) = record.first_given_name() {
            self.add_given_name(given.text(), 1);
        }
        if let Some(family) = record.family_name() {
            self.add_family_name(family.full().text(), 1);
        }
    }

    /// Uncount one record (when it is changed or merged away).
    pub fn remove_record(&mut self, record: &MatchRecord) {
        if let Some(given) = record.first_given_name() {
            decrement(&mut self.given, &mut self.given_total, given.text());
        }
        if let Some(family) = record.family_name() {
            decrement(
                &mut self.family,
                &mut self.family_total,
                family.full().text(),
            );
        }
    }

    /// Add `count` records with the normalised given name `name`.
    pub fn add_given_name(&mut self, name: &str, count: u64) {
        *self.given.entry(name.to_string()).or_default() += count;
        self.given_total += count;
    }

    /// Add `count` records with the normalised family name `name`.
    pub fn add_family_name(&mut self, name: &str, count: u64) {
        *self.family.entry(name.to_string()).or_default() += count;
        self.family_total += count;
    }

    /// How many records have the normalised given name.
    pub fn given_count(&self, name: &str) -> u64 {
        self.given.get(name).copied().unwrap_or(0)
    }

    /// How many records have the normalised family name.
    pub fn family_count(&self, name: &str) -> u64 {
        self.family.get(name).copied().unwrap_or(0)
    }

    /// How many given names were counted.
    pub fn given_total(&self) -> u64 {
        self.given_total
    }

    /// How many family names were counted.
    pub fn family_total(&self) -> u64 {
        self.family_total
    }
}

fn decrement(map: &mut HashMap<String, u64>, total: &mut u64, name: &str) {
    if let Some(count) = map.get_mut(name) {
        *count = count.saturating_sub(1);
        *total = total.saturating_sub(1);
        if *count == 0 {
            map.remove(name);
        }
    }
}

/// Parameters made ready for scoring: weights precomputed, optionally with name frequencies.
#[derive(Debug, Clone)]
pub struct MatchModel {
    parameters: ModelParameters,
    table: ProbabilityTable,
    weights: [[f64; MAX_LEVELS]; FIELD_COUNT],
    household_postcode_weights: [f64; MAX_LEVELS],
    household_date_of_birth_weights: [f64; MAX_LEVELS],
    frequencies: Option<NameFrequencies>,
}

impl Default for MatchModel {
    fn default() -> Self {
        let parameters = ModelParameters::default();
        let table = ProbabilityTable::from_parameters(&parameters);
        Self::from_table(parameters, table)
    }
}

impl MatchModel {
    /// Check the parameters and precompute the weights.
    pub fn new(parameters: ModelParameters) -> Result<Self, ModelError> {
        parameters.validate()?;
        let table = ProbabilityTable::from_parameters(&parameters);
        Ok(Self::from_table(parameters, table))
    }

    fn from_table(parameters: ModelParameters, table: ProbabilityTable) -> Self {
        // Partial agreements never weigh more than exact agreement in the same circumstances.
        let cap_partials = |w: &mut [f64; MAX_LEVELS], levels: usize| {
            for l in 1..levels {
                if field_level_is_partial(l, levels) {
                    w[l] = w[l].min(w[0]);
                }
            }
        };
        let mut weights = [[0.0; MAX_LEVELS]; FIELD_COUNT];
        for field in Field::ALL {
            let f = field.index();
            let levels = field.levels().len();
            for (l, weight) in weights[f].iter_mut().enumerate().take(levels) {
                *weight = (table.m[f][l] / table.u[f][l]).log2();
            }
            cap_partials(&mut weights[f], levels);
        }
        let conditioned = |field: Field, h: f64| {
            let mut w = [0.0; MAX_LEVELS];
            let levels = field.levels().len();
            for (l, weight) in w.iter_mut().enumerate().take(levels) {
                *weight = (table.m[field.index()][l] / table.conditioned_u(field, l, h)).log2();
            }
            cap_partials(&mut w, levels);
            w
        };
        MatchModel {
            household_postcode_weights: conditioned(Field::Postcode, table.household_postcode_u),
            household_date_of_birth_weights: conditioned(
                Field::DateOfBirth,
                table.household_date_of_birth_u,
            ),
            parameters,
            table,
            weights,
            frequencies: None,
        }
    }

    /// Use name frequencies for exact name agreement.
    pub fn with_name_frequencies(mut self, frequencies: NameFrequencies) -> Self {
        self.frequencies = Some(frequencies);
        self
    }

    /// The parameters the model was built from.
    pub fn parameters(&self) -> &ModelParameters {
        &self.parameters
    }

    /// The name frequencies in use, if any.
    pub fn name_frequencies(&self) -> Option<&NameFrequencies> {
        self.frequencies.as_ref()
    }

    /// The unadjusted weight of level `level` (an index into [`Field::levels`]).
    pub(crate) fn weight(&self, field: Field, level: usize) -> f64 {
        self.weights[field.index()][level]
    }

    pub(crate) fn household_weight(&self, field: Field, level: usize) -> f64 {
        match field {
            Field::Postcode => self.household_postcode_weights[level],
            Field::DateOfBirth => self.household_date_of_birth_weights[level],
            _ => self.weights[field.index()][level],
        }
    }

    /// The frequency-adjusted weight of exact agreement on `name`, with the count used, or
    /// `None` when there is no usable table.
    pub(crate) fn name_frequency_weight(&self, field: Field, name: &str) -> Option<(f64, u64)> {
        let frequencies = self.frequencies.as_ref()?;
        let (count, total) = match field {
            Field::GivenName => (frequencies.given_count(name), frequencies.given_total),
            Field::FamilyName => (frequencies.family_count(name), frequencies.family_total),
            _ => return None,
        };
        let settings = self.parameters.name_frequency;
        if total < settings.minimum_total.max(1) {
            return None;
        }
        let share = (count as f64 / total as f64).clamp(settings.minimum_share, 1.0);
        let m = self.table.m[field.index()][0];
        // Exact agreement on a common name still counts at least as much as a partial one.
        let best_partial = (1..field.levels().len())
            .map(|l| self.weights[field.index()][l])
            .fold(f64::NEG_INFINITY, f64::max);
        Some(((m / share).log2().max(best_partial), count))
    }

    /// The band a score falls in.
    pub fn band(&self, score: f64) -> MatchBand {
        let thresholds = self.parameters.thresholds;
        if score >= thresholds.confident {
            MatchBand::Confident
        } else if score >= thresholds.possible {
            MatchBand::Possible
        } else {
            MatchBand::Unlikely
        }
    }
}

/// Levels are ordered agree, partial levels..., disagree: every level but the first and the
/// last is a partial agreement.
fn field_level_is_partial(level: usize, levels: usize) -> bool {
    level > 0 && level + 1 < levels
}

/// How a score is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchBand {
    /// Below the possible threshold.
    Unlikely,
    /// Worth a worker's look.
    Possible,
    /// The same person, unless the explanation shows otherwise.
    Confident,
}

/// The probability that two records are the same person, from their score (bits) and the
/// prior probability that two records are: `1 / (1 + 2^-(score + log2(prior / (1 - prior))))`.
pub fn match_probability(score: f64, prior: f64) -> f64 {
    let prior = prior.clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
    let log_odds = score + (prior / (1.0 - prior)).log2();
    1.0 / (1.0 + (-log_odds).exp2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let parameters = ModelParameters::default();
        assert_eq!(parameters.validate(), Ok(()));
        assert!(MatchModel::new(parameters).is_ok());
    }

    #[test]
    fn agreement_levels_weigh_in_order() {
        let p = ModelParameters::default();
        for field in Field::ALL {
            let agree = p.weight(field, Agreement::Agree).expect("agree level");
            let disagree = p
                .weight(field, Agreement::Disagree)
                .expect("disagree level");
            assert!(agree > 0.0 && disagree < 0.0, "{field}");
        }
        // A valid NHS number agreeing outweighs names, date of birth and postcode together.
        let nhs = p.weight(Field::NhsNumber, Agreement::Agree).unwrap_or(0.0);
        let others: f64 = [
            Field::GivenName,
            Field::FamilyName,
            Field::DateOfBirth,
            Field::Sex,
        ]
        .iter()
        .filter_map(|&f| p.weight(f, Agreement::Agree))
        .sum();
        assert!(nhs > others, "{nhs} against {others}");
    }

    #[test]
    fn validation_names_the_problem() {
        let mut p = ModelParameters::default();
        p.fields.retain(|f| f.field != Field::Sex);
        assert_eq!(p.validate(), Err(ModelError::MissingField(Field::Sex)));

        let mut p = ModelParameters::default();
        p.fields[3].levels[0].m = 0.0;
        assert!(matches!(
            p.validate(),
            Err(ModelError::ProbabilityOutOfRange {
                field: Field::GivenName,
                ..
            })
        ));

        let mut p = ModelParameters::default();
        p.fields[6].levels[0].m = 0.5;
        assert!(matches!(
            p.validate(),
            Err(ModelError::ProbabilitiesDoNotAddUp {
                field: Field::Sex,
                which: "m",
                ..
            })
        ));

        let p = ModelParameters {
            prior_match_probability: 0.0,
            ..ModelParameters::default()
        };
        assert!(matches!(p.validate(), Err(ModelError::OutOfRange { .. })));
    }

    #[test]
    fn probability_from_score() {
        assert!((match_probability(0.0, 0.5) - 0.5).abs() < 1e-12);
        assert!((match_probability(1.0, 0.5) - 2.0 / 3.0).abs() < 1e-12);
        // 20 bits against a one-in-a-million prior is about even.
        let p = match_probability(20.0, 1e-6);
        assert!(p > 0.45 && p < 0.55, "{p}");
    }

    #[test]
    fn name_frequencies_count_and_uncount() {
        use super::super::record::PersonDetails;
        let a = MatchRecord::new(&PersonDetails {
            given_names: "Amira".into(),
            family_name: "Smith".into(),
            ..Default::default()
        });
        let mut table = NameFrequencies::from_records([&a, &a]);
        assert_eq!(table.given_count("AMIRA"), 2);
        assert_eq!(table.family_count("SMITH"), 2);
        table.remove_record(&a);
        assert_eq!(table.family_count("SMITH"), 1);
        assert_eq!(table.family_total(), 1);
    }
}
