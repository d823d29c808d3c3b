//! The model as used: each field's weight for each level of agreement, the match score and
//! the match probability.

use super::*;
use serde::{Deserialize, Serialize};

/// Parameters made ready for scoring: weights precomputed, optionally with name frequencies.
#[derive(Debug, Clone)]
pub struct MatchModel {
    parameters: ModelParameters,
    table: ProbabilityTable,
    weights: [[f64; MAX_LEVELS]; FIELD_COUNT],
    household_postcode_weights: [f64; MAX_LEVELS],
    household_date_of_birth_weights: [f64; MAX_LEVELS],
    household_address_weights: [f64; MAX_LEVELS],
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

    pub(super) fn from_table(parameters: ModelParameters, table: ProbabilityTable) -> Self {
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
            // Living at one address within one family is as likely as sharing a postcode.
            household_address_weights: conditioned(Field::Address, table.household_postcode_u),
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
            Field::Address => self.household_address_weights[level],
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
pub(super) fn field_level_is_partial(level: usize, levels: usize) -> bool {
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
