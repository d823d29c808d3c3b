//! Estimating the model's m and u probabilities from data.
//!
//! - [`estimate_parameters`]: unsupervised, by Expectation–Maximisation over the comparison
//!   vectors of candidate pairs (the pairs blocking produces), none of them labelled. Each
//!   pair is treated as drawn from a mixture of "same person" (probability λ) and "different
//!   people"; EM alternates between the probability that each pair is a match (E) and the m,
//!   u and λ that best explain those probabilities (M) until nothing moves.
//! - [`estimate_from_labelled`]: supervised, by counting levels among pairs known to be the
//!   same person (m) and known to be different people (u).
//! - [`estimate_u_from_random_pairs`]: u alone from pairs drawn at random, which are almost
//!   all different people; often better than EM's u, which it then keeps fixed.
//!
//! All three start from a base set of parameters and treat it as a prior worth
//! `prior_strength` pairs (a Dirichlet prior): a level never seen in the data keeps a small
//! probability instead of zero, and small samples move the base values only a little.
//! Identical comparison vectors are grouped first, so the cost of an EM iteration depends on
//! the number of distinct vectors (hundreds to a few thousand), not on the number of pairs.

use std::collections::HashMap;

use super::compare::ComparisonVector;
use super::model::{
    Field, Household, ModelError, ModelParameters, ProbabilityTable, FIELD_COUNT, MAX_LEVELS,
};

/// Settings of the EM estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmOptions {
    /// Stop after this many iterations even if not converged.
    pub max_iterations: usize,
    /// Converged when no probability changes by more than this in an iteration.
    pub tolerance: f64,
    /// Re-estimate u probabilities too (false: keep the starting u, e.g. from
    /// [`estimate_u_from_random_pairs`]).
    pub estimate_u: bool,
    /// How many pairs' worth of weight the starting parameters carry (must be above 0).
    pub prior_strength: f64,
    /// The starting proportion of candidate pairs that are matches.
    pub initial_match_proportion: f64,
}

impl Default for EmOptions {
    fn default() -> Self {
        EmOptions {
            max_iterations: 200,
            tolerance: 1e-6,
            estimate_u: true,
            prior_strength: 1.0,
            initial_match_proportion: 0.1,
        }
    }
}

/// The result of an EM estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct EmEstimate {
    /// The estimated parameters (the prior, frequency settings and thresholds are the
    /// starting parameters').
    pub parameters: ModelParameters,
    /// The estimated proportion of the candidate pairs that are matches (λ).
    pub match_proportion: f64,
    /// Iterations run.
    pub iterations: usize,
    /// True when the tolerance was reached before the iteration limit.
    pub converged: bool,
    /// The log-likelihood (natural log) of the pairs under the estimate.
    pub log_likelihood: f64,
}

/// Why parameters could not be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimationError {
    #[error(
        "there are no pairs to estimate from: give the comparison vectors of some candidate pairs"
    )]
    NoPairs,
    #[error("none of the labelled pairs is a match: label some pairs known to be the same person")]
    NoLabelledMatches,
    #[error(
        "none of the labelled pairs is a non-match: label some pairs known to be different people"
    )]
    NoLabelledNonMatches,
    #[error("the starting parameters cannot be used: {0}")]
    InvalidStart(#[from] ModelError),
    #[error("the {name} is {value}: {expected}")]
    InvalidOption {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
}

/// One distinct comparison vector and how many pairs have it.
#[derive(Debug, Clone, Copy)]
struct Pattern {
    levels: [Option<usize>; FIELD_COUNT],
    household: Household,
    count: f64,
}

fn patterns<'a>(vectors: impl IntoIterator<Item = &'a ComparisonVector>) -> Vec<Pattern> {
    let mut counts: HashMap<ComparisonVector, f64> = HashMap::new();
    for v in vectors {
        *counts.entry(*v).or_default() += 1.0;
    }
    let mut patterns: Vec<Pattern> = counts
        .into_iter()
        .map(|(v, count)| Pattern {
            levels: v.level_indices(),
            household: v.household(),
            count,
        })
        .collect();
    // A fixed order keeps floating-point sums, and so results, reproducible.
    patterns.sort_by_key(|p| p.levels);
    patterns
}

/// Weighted counts of levels among matches (m) and non-matches (u).
#[derive(Debug, Clone)]
struct Counts {
    m: [[f64; MAX_LEVELS]; FIELD_COUNT],
    m_total: [f64; FIELD_COUNT],
    u: [[f64; MAX_LEVELS]; FIELD_COUNT],
    u_total: [f64; FIELD_COUNT],
    household_postcode: (f64, f64),
    household_date_of_birth: (f64, f64),
}

impl Counts {
    fn new() -> Self {
        Counts {
            m: [[0.0; MAX_LEVELS]; FIELD_COUNT],
            m_total: [0.0; FIELD_COUNT],
            u: [[0.0; MAX_LEVELS]; FIELD_COUNT],
            u_total: [0.0; FIELD_COUNT],
            household_postcode: (0.0, 0.0),
            household_date_of_birth: (0.0, 0.0),
        }
    }

    fn add_match(&mut self, p: &Pattern, weight: f64) {
        for (f, level) in p.levels.iter().enumerate() {
            if let Some(l) = *level {
                self.m[f][l] += weight;
                self.m_total[f] += weight;
            }
        }
    }

    fn add_non_match(&mut self, p: &Pattern, weight: f64) {
        for (f, level) in p.levels.iter().enumerate() {
            let Some(l) = *level else { continue };
            let household = if f == Field::Postcode.index() && p.household.postcode_conditioned {
                Some(&mut self.household_postcode)
            } else if f == Field::DateOfBirth.index() && p.household.date_of_birth_conditioned {
                Some(&mut self.household_date_of_birth)
            } else {
                None
            };
            match household {
                Some((agree, total)) => {
                    if l == 0 {
                        *agree += weight;
                    }
                    *total += weight;
                }
                None => {
                    self.u[f][l] += weight;
                    self.u_total[f] += weight;
                }
            }
        }
    }

    /// Posterior-mean probabilities under a Dirichlet prior centred on `prior`.
    fn to_table(
        &self,
        prior: &ProbabilityTable,
        strength: f64,
        update_m: bool,
        update_u: bool,
    ) -> ProbabilityTable {
        let mut table = *prior;
        for field in Field::ALL {
            let f = field.index();
            for l in 0..field.levels().len() {
                if update_m {
                    table.m[f][l] =
                        (self.m[f][l] + strength * prior.m[f][l]) / (self.m_total[f] + strength);
                }
                if update_u {
                    table.u[f][l] =
                        (self.u[f][l] + strength * prior.u[f][l]) / (self.u_total[f] + strength);
                }
            }
        }
        if update_u {
            let (agree, total) = self.household_postcode;
            table.household_postcode_u =
                (agree + strength * prior.household_postcode_u) / (total + strength);
            let (agree, total) = self.household_date_of_birth;
            table.household_date_of_birth_u =
                (agree + strength * prior.household_date_of_birth_u) / (total + strength);
        }
        table
    }
}

/// ln P(pattern | same person) and ln P(pattern | different people).
fn log_likelihoods(table: &ProbabilityTable, p: &Pattern) -> (f64, f64) {
    let mut ln_m = 0.0;
    let mut ln_u = 0.0;
    for field in Field::ALL {
        let f = field.index();
        let Some(l) = p.levels[f] else { continue };
        ln_m += table.m[f][l].ln();
        let u = match field {
            Field::Postcode if p.household.postcode_conditioned => {
                table.conditioned_u(field, l, table.household_postcode_u)
            }
            Field::DateOfBirth if p.household.date_of_birth_conditioned => {
                table.conditioned_u(field, l, table.household_date_of_birth_u)
            }
            _ => table.u[f][l],
        };
        ln_u += u.ln();
    }
    (ln_m, ln_u)
}

fn largest_change(a: &ProbabilityTable, b: &ProbabilityTable) -> f64 {
    let mut change = (a.household_postcode_u - b.household_postcode_u)
        .abs()
        .max((a.household_date_of_birth_u - b.household_date_of_birth_u).abs());
    for f in 0..FIELD_COUNT {
        for l in 0..MAX_LEVELS {
            change = change
                .max((a.m[f][l] - b.m[f][l]).abs())
                .max((a.u[f][l] - b.u[f][l]).abs());
        }
    }
    change
}

fn check_strength(prior_strength: f64) -> Result<(), EstimationError> {
    if prior_strength > 0.0 && prior_strength.is_finite() {
        Ok(())
    } else {
        Err(EstimationError::InvalidOption {
            name: "prior strength",
            value: prior_strength,
            expected: "it must be above 0",
        })
    }
}

/// Estimate m, u and the match proportion by EM from the comparison vectors of unlabelled
/// candidate pairs, starting from `start` (the defaults are a good start: they tell EM which
/// of its two classes is "same person").
pub fn estimate_parameters(
    vectors: &[ComparisonVector],
    start: &ModelParameters,
    options: &EmOptions,
) -> Result<EmEstimate, EstimationError> {
    start.validate()?;
    check_strength(options.prior_strength)?;
    let lambda0 = options.initial_match_proportion;
    if !(lambda0 > 0.0 && lambda0 < 1.0) {
        return Err(EstimationError::InvalidOption {
            name: "initial match proportion",
            value: lambda0,
            expected: "it must be above 0 and below 1",
        });
    }
    if vectors.is_empty() {
        return Err(EstimationError::NoPairs);
    }
    let patterns = patterns(vectors);
    let total: f64 = patterns.iter().map(|p| p.count).sum();
    let prior = ProbabilityTable::from_parameters(start);
    let mut table = prior;
    let mut lambda = lambda0;
    let mut iterations = 0;
    let mut converged = false;
    let mut log_likelihood = f64::NEG_INFINITY;
    while iterations < options.max_iterations {
        iterations += 1;
        // E step: the probability that each pattern is a match; M step: counts weighted by it.
        let mut counts = Counts::new();
        let mut matched = 0.0;
        log_likelihood = 0.0;
        for p in &patterns {
            let (ln_m, ln_u) = log_likelihoods(&table, p);
            let a = lambda.ln() + ln_m;
            let b = (1.0 - lambda).ln() + ln_u;
            let top = a.max(b);
            let ln_total = top + ((a - top).exp() + (b - top).exp()).ln();
            let g = (a - ln_total).exp();
            log_likelihood += p.count * ln_total;
            matched += p.count * g;
            counts.add_match(p, p.count * g);
            counts.add_non_match(p, p.count * (1.0 - g));
        }
        let next = counts.to_table(&prior, options.prior_strength, true, options.estimate_u);
        let next_lambda = (matched / total).clamp(1e-12, 1.0 - 1e-12);
        let change = largest_change(&table, &next).max((next_lambda - lambda).abs());
        table = next;
        lambda = next_lambda;
        if change < options.tolerance {
            converged = true;
            break;
        }
    }
    Ok(EmEstimate {
        parameters: table.to_parameters(start),
        match_proportion: lambda,
        iterations,
        converged,
        log_likelihood,
    })
}

/// Estimate m from pairs labelled as matches and u from pairs labelled as non-matches
/// (`true` = same person), with `base` as a prior worth `prior_strength` pairs.
pub fn estimate_from_labelled(
    pairs: &[(ComparisonVector, bool)],
    base: &ModelParameters,
    prior_strength: f64,
) -> Result<ModelParameters, EstimationError> {
    base.validate()?;
    check_strength(prior_strength)?;
    let matches = patterns(pairs.iter().filter(|(_, m)| *m).map(|(v, _)| v));
    let non_matches = patterns(pairs.iter().filter(|(_, m)| !*m).map(|(v, _)| v));
    if matches.is_empty() {
        return Err(EstimationError::NoLabelledMatches);
    }
    if non_matches.is_empty() {
        return Err(EstimationError::NoLabelledNonMatches);
    }
    let mut counts = Counts::new();
    for p in &matches {
        counts.add_match(p, p.count);
    }
    for p in &non_matches {
        counts.add_non_match(p, p.count);
    }
    let prior = ProbabilityTable::from_parameters(base);
    Ok(counts
        .to_table(&prior, prior_strength, true, true)
        .to_parameters(base))
}

/// Estimate u alone from the comparison vectors of pairs drawn at random (nearly all
/// different people), keeping `base`'s m.
pub fn estimate_u_from_random_pairs(
    vectors: &[ComparisonVector],
    base: &ModelParameters,
    prior_strength: f64,
) -> Result<ModelParameters, EstimationError> {
    base.validate()?;
    check_strength(prior_strength)?;
    if vectors.is_empty() {
        return Err(EstimationError::NoPairs);
    }
    let mut counts = Counts::new();
    for p in &patterns(vectors) {
        counts.add_non_match(p, p.count);
    }
    let prior = ProbabilityTable::from_parameters(base);
    Ok(counts
        .to_table(&prior, prior_strength, false, true)
        .to_parameters(base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::model::{Agreement, PartialAgreement};

    /// A deterministic generator (a linear congruential one) for synthetic vectors.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
        fn pick(&mut self, field: Field, probabilities: &[f64]) -> Agreement {
            let r = self.next();
            let mut acc = 0.0;
            for (l, p) in probabilities.iter().enumerate() {
                acc += p;
                if r < acc {
                    return field.levels()[l];
                }
            }
            field.levels()[probabilities.len() - 1]
        }
    }

    /// Draw vectors from known m and u (given name, family name and date of birth only, no
    /// household effect), then check EM recovers them.
    fn synthetic(n: usize, match_share: f64, seed: u64) -> Vec<(ComparisonVector, bool)> {
        let mut rng = Lcg(seed);
        let m_given = [0.8, 0.08, 0.02, 0.03, 0.03, 0.01, 0.01, 0.02];
        let u_given = [0.01, 0.002, 0.002, 0.01, 0.01, 0.006, 0.0, 0.96];
        let m_family = [0.85, 0.03, 0.03, 0.03, 0.03, 0.0, 0.03];
        let u_family = [0.02, 0.001, 0.001, 0.01, 0.008, 0.0, 0.96];
        let m_dob = [0.9, 0.02, 0.01, 0.04, 0.01, 0.02];
        let u_dob = [0.01, 0.001, 0.002, 0.02, 0.01, 0.957];
        (0..n)
            .map(|_| {
                let is_match = rng.next() < match_share;
                let (g, f, d) = if is_match {
                    (&m_given[..], &m_family[..], &m_dob[..])
                } else {
                    (&u_given[..], &u_family[..], &u_dob[..])
                };
                let mut v = ComparisonVector::new();
                v.set(Field::GivenName, rng.pick(Field::GivenName, g));
                v.set(Field::FamilyName, rng.pick(Field::FamilyName, f));
                v.set(Field::DateOfBirth, rng.pick(Field::DateOfBirth, d));
                (v, is_match)
            })
            .collect()
    }

    #[test]
    fn em_recovers_known_parameters() {
        let pairs = synthetic(40_000, 0.2, 7);
        let vectors: Vec<ComparisonVector> = pairs.iter().map(|(v, _)| *v).collect();
        let estimate =
            estimate_parameters(&vectors, &ModelParameters::default(), &EmOptions::default())
                .expect("estimate");
        assert!(estimate.converged, "{} iterations", estimate.iterations);
        assert!(
            (estimate.match_proportion - 0.2).abs() < 0.02,
            "λ = {}",
            estimate.match_proportion
        );
        let p = &estimate.parameters;
        let m = |f, a| p.level(f, a).map(|l| l.m).unwrap_or(f64::NAN);
        let u = |f, a| p.level(f, a).map(|l| l.u).unwrap_or(f64::NAN);
        assert!((m(Field::GivenName, Agreement::Agree) - 0.8).abs() < 0.03);
        assert!((u(Field::GivenName, Agreement::Agree) - 0.01).abs() < 0.01);
        assert!((m(Field::FamilyName, Agreement::Agree) - 0.85).abs() < 0.03);
        assert!((m(Field::DateOfBirth, Agreement::Agree) - 0.9).abs() < 0.03);
        assert!((u(Field::DateOfBirth, Agreement::Disagree) - 0.957).abs() < 0.02);
        assert!(
            (m(
                Field::GivenName,
                Agreement::PartlyAgree(PartialAgreement::Nickname)
            ) - 0.08)
                .abs()
                < 0.02
        );
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn labelled_estimate_counts_levels() {
        let pairs = synthetic(20_000, 0.3, 11);
        let p = estimate_from_labelled(&pairs, &ModelParameters::default(), 1.0).expect("estimate");
        let agree = p.level(Field::FamilyName, Agreement::Agree).expect("level");
        assert!((agree.m - 0.85).abs() < 0.02, "m = {}", agree.m);
        assert!((agree.u - 0.02).abs() < 0.005, "u = {}", agree.u);
        // Fields never observed keep the base values.
        assert_eq!(
            p.level(Field::NhsNumber, Agreement::Agree),
            ModelParameters::default().level(Field::NhsNumber, Agreement::Agree)
        );
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn random_pairs_estimate_only_u() {
        let pairs = synthetic(5_000, 0.0, 3);
        let vectors: Vec<ComparisonVector> = pairs.iter().map(|(v, _)| *v).collect();
        let base = ModelParameters::default();
        let p = estimate_u_from_random_pairs(&vectors, &base, 1.0).expect("estimate");
        let level = p.level(Field::GivenName, Agreement::Agree).expect("level");
        let base_level = base
            .level(Field::GivenName, Agreement::Agree)
            .expect("level");
        assert_eq!(level.m, base_level.m);
        assert!((level.u - 0.01).abs() < 0.005, "u = {}", level.u);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let base = ModelParameters::default();
        assert_eq!(
            estimate_parameters(&[], &base, &EmOptions::default()),
            Err(EstimationError::NoPairs)
        );
        let v = ComparisonVector::new();
        assert_eq!(
            estimate_from_labelled(&[(v, false)], &base, 1.0),
            Err(EstimationError::NoLabelledMatches)
        );
        assert_eq!(
            estimate_from_labelled(&[(v, true)], &base, 1.0),
            Err(EstimationError::NoLabelledNonMatches)
        );
        assert!(matches!(
            estimate_from_labelled(&[(v, true), (v, false)], &base, 0.0),
            Err(EstimationError::InvalidOption { .. })
        ));
    }
}
