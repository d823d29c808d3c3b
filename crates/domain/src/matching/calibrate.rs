//! Self-calibration: the model's u probabilities and the proportion of matches estimated from
//! the files being matched, and the decision threshold that follows ("match probability at
//! least 0.5").
//!
//! The built-in parameters describe a large authority's person index; files from elsewhere
//! differ (how common names are, how many people share a postcode, how many of the pairs are
//! the same person). [`calibrate`] adapts to them in two steps:
//!
//! 1. **u from random pairs.** Pairs drawn at random are almost all different people, so the
//!    levels they show are u ([`estimate_u_from_random_pairs`]): how often two different
//!    people in *these* files share a given name, a family name, a date of birth, a postcode.
//!    m is kept: how records of one person differ is about recording errors, which the
//!    built-in values describe well, while EM over blocked candidate pairs takes relatives
//!    (same family name, same address) for matches (docs/person-matching.md). Identifier
//!    agreement (NHS number, ids) and the household refinements keep their built-in u: random
//!    pairs almost never show them.
//! 2. **The prior by EM.** Every pair of the files is either the same person (probability π)
//!    or not. Pairs that share no blocking key are taken to be different people; for the
//!    candidate pairs, EM alternates between each pair's probability of being a match under π
//!    and π = expected matches / all pairs, until π stops moving. A pair's probability is then
//!    at least 0.5 exactly when its score is at least `log2((1 − π) / π)` bits: the threshold.
//!
//! Safeguards: too few pairs to estimate from, a field that no longer tells people apart
//! (agreement weighing under one bit, or disagreement counting in favour, as when nearly every
//! pair shares a family name), EM not settling, no likely match at all, or more expected
//! matches than the files can hold: then the built-in parameters and the caller's fixed
//! threshold are used, and [`Calibration::fallback`] says why.

use std::fmt;

use super::compare::{explain, ComparisonVector};
use super::estimate::estimate_u_from_random_pairs;
use super::model::{Agreement, Field, MatchModel, ModelParameters};

/// Settings of [`calibrate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationOptions {
    /// How many pairs' worth of weight the built-in u carries against the random pairs.
    pub u_prior_strength: f64,
    /// Fewer random pairs than this: too few to estimate u (the built-in parameters are used).
    pub minimum_random_pairs: usize,
    /// Fewer candidate pairs than this: too few to estimate the prior.
    pub minimum_candidate_pairs: u64,
    /// A field observed in at least this many random pairs must still tell people apart.
    pub minimum_observed: usize,
    /// ... by at least this many bits for agreement.
    pub minimum_agreement_weight: f64,
    /// EM stops here if π has not settled (and the calibration falls back).
    pub max_iterations: usize,
    /// π has settled when it moves by less than this share of itself in an iteration.
    pub tolerance: f64,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        CalibrationOptions {
            u_prior_strength: 100.0,
            minimum_random_pairs: 1_000,
            minimum_candidate_pairs: 20,
            minimum_observed: 200,
            minimum_agreement_weight: 0.5,
            max_iterations: 1_000,
            tolerance: 1e-7,
        }
    }
}

/// The pairs a calibration estimates from.
#[derive(Debug, Clone, Copy)]
pub struct CalibrationInput<'a> {
    /// The comparison vectors of the candidate pairs (pairs sharing a blocking key), each with
    /// how many pairs have it.
    pub candidates: &'a [(ComparisonVector, u64)],
    /// The comparison vectors of pairs drawn at random from all pairs.
    pub random: &'a [ComparisonVector],
    /// How many pairs there are in all (left × right records, or n(n − 1)/2 within one file).
    pub all_pairs: f64,
    /// More expected matches than this means EM took look-alikes for matches (for two files:
    /// the smaller file's records; within one file: its records).
    pub most_matches: f64,
}

/// Why a calibration fell back to the built-in parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum CalibrationFallback {
    TooFewRandomPairs { found: usize, needed: usize },
    TooFewCandidatePairs { found: u64, needed: u64 },
    FieldDoesNotDistinguish { field: Field, agreement_weight: f64 },
    DisagreementFavoursMatch { field: Field, weight: f64 },
    NotConverged { iterations: usize },
    NoLikelyMatches { expected: f64 },
    TooManyMatches { expected: f64, most: f64 },
}

impl fmt::Display for CalibrationFallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalibrationFallback::TooFewRandomPairs { found, needed } => write!(
                f,
                "the files hold {found} pairs, fewer than the {needed} needed to estimate from"
            ),
            CalibrationFallback::TooFewCandidatePairs { found, needed } => write!(
                f,
                "only {found} pairs share a blocking key, fewer than the {needed} needed to estimate from"
            ),
            CalibrationFallback::FieldDoesNotDistinguish {
                field,
                agreement_weight,
            } => write!(
                f,
                "the {} agrees for so many different people in these files that agreement would weigh {agreement_weight:+.1} bits",
                field.label().to_lowercase()
            ),
            CalibrationFallback::DisagreementFavoursMatch { field, weight } => write!(
                f,
                "the {} so rarely disagrees in these files that disagreement would count {weight:+.1} bits in favour",
                field.label().to_lowercase()
            ),
            CalibrationFallback::NotConverged { iterations } => write!(
                f,
                "the estimate of how many pairs match did not settle in {iterations} iterations"
            ),
            CalibrationFallback::NoLikelyMatches { expected } => write!(
                f,
                "no pair looks like the same person ({expected:.1} expected matches)"
            ),
            CalibrationFallback::TooManyMatches { expected, most } => write!(
                f,
                "the estimate expects {expected:.0} matches, more than the {most:.0} the files can hold: look-alikes were taken for matches"
            ),
        }
    }
}

/// The result of [`calibrate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The parameters to score with: u estimated from the files (the built-in parameters on a
    /// fallback).
    pub parameters: ModelParameters,
    /// The threshold, in bits: a pair scoring at least this has a match probability of at
    /// least 0.5 under the estimates (the caller's fixed threshold on a fallback).
    pub threshold: f64,
    /// The estimated number of matching pairs among all pairs (0 on a fallback before EM).
    pub expected_matches: f64,
    /// The estimated probability that a pair drawn at random is the same person.
    pub prior: f64,
    /// EM iterations run.
    pub iterations: usize,
    /// Candidate pairs estimated from.
    pub candidate_pairs: u64,
    /// Why the built-in parameters and the fixed threshold were used instead, if they were.
    pub fallback: Option<CalibrationFallback>,
}

impl Calibration {
    fn fallback(
        base: &ModelParameters,
        fixed_threshold: f64,
        candidate_pairs: u64,
        iterations: usize,
        reason: CalibrationFallback,
    ) -> Self {
        Calibration {
            parameters: base.clone(),
            threshold: fixed_threshold,
            expected_matches: 0.0,
            prior: base.prior_match_probability,
            iterations,
            candidate_pairs,
            fallback: Some(reason),
        }
    }

    /// The model to score with.
    pub fn model(&self) -> MatchModel {
        // The parameters were validated when estimated (or are the caller's, already valid).
        MatchModel::new(self.parameters.clone()).unwrap_or_default()
    }
}

/// Fields whose agreement random pairs almost never show: their built-in u is kept.
const KEEP_BUILT_IN_U: [Field; 4] = [
    Field::NhsNumber,
    Field::LaPersonId,
    Field::Upn,
    Field::OtherId,
];

/// Estimate u from random pairs and the prior by EM over the candidate pairs, and the
/// threshold at which a pair's match probability reaches 0.5 (see the module documentation).
/// Falls back to `base` and `fixed_threshold` when the data are too few or the estimate
/// degenerates.
pub fn calibrate(
    input: &CalibrationInput<'_>,
    base: &ModelParameters,
    fixed_threshold: f64,
    options: &CalibrationOptions,
) -> Calibration {
    let candidate_pairs: u64 = input.candidates.iter().map(|(_, n)| n).sum();
    let fallback = |reason, iterations| {
        Calibration::fallback(base, fixed_threshold, candidate_pairs, iterations, reason)
    };
    if input.random.len() < options.minimum_random_pairs {
        return fallback(
            CalibrationFallback::TooFewRandomPairs {
                found: input.random.len(),
                needed: options.minimum_random_pairs,
            },
            0,
        );
    }
    if candidate_pairs < options.minimum_candidate_pairs {
        return fallback(
            CalibrationFallback::TooFewCandidatePairs {
                found: candidate_pairs,
                needed: options.minimum_candidate_pairs,
            },
            0,
        );
    }
    let mut parameters =
        match estimate_u_from_random_pairs(input.random, base, options.u_prior_strength) {
            Ok(p) => p,
            Err(_) => {
                return fallback(
                    CalibrationFallback::TooFewRandomPairs {
                        found: input.random.len(),
                        needed: options.minimum_random_pairs,
                    },
                    0,
                )
            }
        };
    for field in KEEP_BUILT_IN_U {
        if let (Some(kept), Some(estimated)) = (
            base.fields.iter().find(|f| f.field == field),
            parameters.fields.iter_mut().find(|f| f.field == field),
        ) {
            *estimated = kept.clone();
        }
    }
    parameters.household = base.household;
    if let Some(reason) = field_degenerates(input.random, &parameters, options) {
        return fallback(reason, 0);
    }
    let model = match MatchModel::new(parameters.clone()) {
        Ok(model) => model,
        Err(_) => return fallback(CalibrationFallback::NotConverged { iterations: 0 }, 0),
    };
    // Each distinct vector's likelihood ratio, 2^score.
    let ratios: Vec<(f64, f64)> = input
        .candidates
        .iter()
        .map(|(v, n)| (explain(v, None, &model).score.exp2(), *n as f64))
        .collect();
    let all = input.all_pairs.max(1.0);
    let mut prior = (candidate_pairs as f64 * 0.1 / all).clamp(1e-15, 0.5);
    let mut expected = 0.0;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < options.max_iterations {
        iterations += 1;
        expected = ratios
            .iter()
            .map(|(r, n)| {
                let odds = prior / (1.0 - prior) * r;
                let p = if odds.is_infinite() {
                    1.0
                } else {
                    odds / (1.0 + odds)
                };
                n * p
            })
            .sum::<f64>();
        let next = (expected / all).clamp(1e-300, 0.5);
        let moved = (next - prior).abs();
        prior = next;
        if moved <= options.tolerance * prior {
            converged = true;
            break;
        }
    }
    if !converged {
        return fallback(CalibrationFallback::NotConverged { iterations }, iterations);
    }
    if expected < 0.5 {
        return fallback(
            CalibrationFallback::NoLikelyMatches { expected },
            iterations,
        );
    }
    if expected > input.most_matches {
        return fallback(
            CalibrationFallback::TooManyMatches {
                expected,
                most: input.most_matches,
            },
            iterations,
        );
    }
    parameters.prior_match_probability = prior.clamp(1e-300, 0.5);
    Calibration {
        threshold: ((1.0 - prior) / prior).log2(),
        parameters,
        expected_matches: expected,
        prior,
        iterations,
        candidate_pairs,
        fallback: None,
    }
}

/// A field that, under the estimated u, no longer tells people apart (checked only for
/// fields the random pairs observed often enough to say).
fn field_degenerates(
    random: &[ComparisonVector],
    parameters: &ModelParameters,
    options: &CalibrationOptions,
) -> Option<CalibrationFallback> {
    for field in Field::ALL {
        if KEEP_BUILT_IN_U.contains(&field) {
            continue;
        }
        let observed = random
            .iter()
            .filter(|v| v.get(field) != Agreement::Missing)
            .count();
        if observed < options.minimum_observed {
            continue;
        }
        let agreement_weight = parameters.weight(field, Agreement::Agree)?;
        if agreement_weight < options.minimum_agreement_weight {
            return Some(CalibrationFallback::FieldDoesNotDistinguish {
                field,
                agreement_weight,
            });
        }
        let weight = parameters.weight(field, Agreement::Disagree)?;
        if weight >= 0.0 {
            return Some(CalibrationFallback::DisagreementFavoursMatch { field, weight });
        }
    }
    None
}

#[cfg(test)]
mod tests;
