//! The model's parameters: m and u per field and level, the household and name-frequency
//! refinements, the decision thresholds, their defaults and how they are checked.

use super::*;
use serde::{Deserialize, Serialize};

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

pub(super) fn level(agreement: Agreement, m: f64, u: f64) -> LevelParameters {
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
            // A key of some other system: when both files carry the same system's key it
            // settles the question, but files may carry different systems' keys (or keys of
            // different ages), so a disagreement costs little.
            FieldParameters {
                field: Field::OtherId,
                levels: vec![level(Agree, 0.8, 1e-8), level(Disagree, 0.2, 1.0 - 1e-8)],
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
            // People move: a different address costs little. The same address weighs about
            // what the same postcode does; when both agree, the postcode is counted within
            // the address (it says nothing more).
            FieldParameters {
                field: Field::Address,
                levels: vec![
                    level(Agree, 0.60, 0.0002),
                    level(PartlyAgree(P::SameStreet), 0.10, 0.01),
                    level(Disagree, 0.30, 1.0 - 0.0102),
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

pub(super) fn check_open_unit(name: &'static str, value: f64) -> Result<(), ModelError> {
    if value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(ModelError::OutOfRange { name, value })
    }
}
