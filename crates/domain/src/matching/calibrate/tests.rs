use super::*;
use crate::matching::model::PartialAgreement;

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

    /// A vector drawn from the built-in m (`same`) or u of given name, family name, date of
    /// birth and sex.
    fn vector(&mut self, same: bool) -> ComparisonVector {
        let base = ModelParameters::default();
        let mut v = ComparisonVector::new();
        for field in [
            Field::GivenName,
            Field::FamilyName,
            Field::DateOfBirth,
            Field::Sex,
        ] {
            let levels = &base.field(field).expect("field").levels;
            let p: Vec<f64> = levels
                .iter()
                .map(|l| if same { l.m } else { l.u })
                .collect();
            v.set(field, self.pick(field, &p));
        }
        v
    }
}

fn counted(vectors: &[ComparisonVector]) -> Vec<(ComparisonVector, u64)> {
    let mut counts: Vec<(ComparisonVector, u64)> = Vec::new();
    for v in vectors {
        match counts.iter_mut().find(|(w, _)| w == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((*v, 1)),
        }
    }
    counts
}

/// `matches` matching pairs and the non-matching pairs blocking would let through (those
/// agreeing on something) out of `all` pairs; and 20,000 random pairs.
fn pairs(matches: usize, all: usize, seed: u64) -> (Vec<ComparisonVector>, Vec<ComparisonVector>) {
    let mut rng = Lcg(seed);
    let mut candidates: Vec<ComparisonVector> = (0..matches).map(|_| rng.vector(true)).collect();
    // Non-matches sharing a key: a sample of them, as blocking would keep (any agreement of
    // name or date of birth).
    for _ in 0..all.min(200_000) {
        let v = rng.vector(false);
        let shares_key = [Field::GivenName, Field::FamilyName, Field::DateOfBirth]
            .iter()
            .any(|f| v.get(*f) == Agreement::Agree);
        if shares_key {
            candidates.push(v);
        }
    }
    let random: Vec<ComparisonVector> = (0..20_000).map(|_| rng.vector(false)).collect();
    (candidates, random)
}

#[test]
fn estimates_the_number_of_matches_and_the_threshold_at_even_odds() {
    let all = 200_000;
    let (candidates, random) = pairs(500, all, 5);
    let counts = counted(&candidates);
    let calibration = calibrate(
        &CalibrationInput {
            candidates: &counts,
            random: &random,
            all_pairs: all as f64,
            most_matches: 10_000.0,
        },
        &ModelParameters::default(),
        15.0,
        &CalibrationOptions::default(),
    );
    assert_eq!(calibration.fallback, None);
    assert!(
        (calibration.expected_matches - 500.0).abs() < 50.0,
        "{} expected matches",
        calibration.expected_matches
    );
    let even_odds = ((all as f64 - 500.0) / 500.0).log2();
    assert!(
        (calibration.threshold - even_odds).abs() < 0.2,
        "threshold {} bits, even odds at {even_odds}",
        calibration.threshold
    );
    // Probability 0.5 at the threshold, under the estimated prior.
    let model = calibration.model();
    let p = crate::matching::match_probability(
        calibration.threshold,
        model.parameters().prior_match_probability,
    );
    assert!((p - 0.5).abs() < 1e-9, "{p}");
    // u was estimated from the random pairs: the built-in sex u is 0.5, and so is the data's.
    let sex = calibration
        .parameters
        .level(Field::Sex, Agreement::Agree)
        .expect("level");
    assert!((sex.u - 0.5).abs() < 0.02, "{}", sex.u);
    // Identifiers keep their built-in u.
    assert_eq!(
        calibration.parameters.field(Field::NhsNumber),
        ModelParameters::default().field(Field::NhsNumber)
    );
}

#[test]
fn more_matches_give_a_lower_threshold() {
    let all = 200_000;
    let threshold = |matches| {
        let (candidates, random) = pairs(matches, all, 9);
        let counts = counted(&candidates);
        calibrate(
            &CalibrationInput {
                candidates: &counts,
                random: &random,
                all_pairs: all as f64,
                most_matches: 10_000.0,
            },
            &ModelParameters::default(),
            15.0,
            &CalibrationOptions::default(),
        )
        .threshold
    };
    assert!(threshold(2_000) < threshold(200));
}

#[test]
fn a_family_name_nearly_everyone_shares_falls_back_to_the_built_in_parameters() {
    let (candidates, mut random) = pairs(300, 100_000, 3);
    // One family: every random pair shares the family name.
    for v in &mut random {
        v.set(Field::FamilyName, Agreement::Agree);
    }
    let counts = counted(&candidates);
    let calibration = calibrate(
        &CalibrationInput {
            candidates: &counts,
            random: &random,
            all_pairs: 100_000.0,
            most_matches: 10_000.0,
        },
        &ModelParameters::default(),
        15.0,
        &CalibrationOptions::default(),
    );
    assert!(
        matches!(
            calibration.fallback,
            Some(CalibrationFallback::FieldDoesNotDistinguish {
                field: Field::FamilyName,
                ..
            }) | Some(CalibrationFallback::DisagreementFavoursMatch {
                field: Field::FamilyName,
                ..
            })
        ),
        "{:?}",
        calibration.fallback
    );
    assert_eq!(calibration.parameters, ModelParameters::default());
    assert_eq!(calibration.threshold, 15.0);
    assert!(calibration
        .fallback
        .as_ref()
        .is_some_and(|f| f.to_string().contains("family name")));
}

#[test]
fn too_few_pairs_fall_back() {
    let (candidates, random) = pairs(50, 10_000, 4);
    let counts = counted(&candidates);
    let few = calibrate(
        &CalibrationInput {
            candidates: &counts,
            random: &random[..100],
            all_pairs: 100.0,
            most_matches: 10.0,
        },
        &ModelParameters::default(),
        13.0,
        &CalibrationOptions::default(),
    );
    assert_eq!(
        few.fallback,
        Some(CalibrationFallback::TooFewRandomPairs {
            found: 100,
            needed: 1_000
        })
    );
    assert_eq!(few.threshold, 13.0);
    let no_candidates = calibrate(
        &CalibrationInput {
            candidates: &[(counts[0].0, 5)],
            random: &random,
            all_pairs: 10_000.0,
            most_matches: 100.0,
        },
        &ModelParameters::default(),
        13.0,
        &CalibrationOptions::default(),
    );
    assert!(matches!(
        no_candidates.fallback,
        Some(CalibrationFallback::TooFewCandidatePairs { .. })
    ));
}

#[test]
fn look_alikes_taken_for_matches_fall_back() {
    // Candidate pairs that all agree on every name and the date of birth: EM counts each as
    // a match, far more than two files of 100 records can hold.
    let mut v = ComparisonVector::new();
    v.set(Field::GivenName, Agreement::Agree)
        .set(Field::FamilyName, Agreement::Agree)
        .set(Field::DateOfBirth, Agreement::Agree);
    let (_, random) = pairs(0, 0, 8);
    let calibration = calibrate(
        &CalibrationInput {
            candidates: &[(v, 5_000)],
            random: &random,
            all_pairs: 10_000.0,
            most_matches: 100.0,
        },
        &ModelParameters::default(),
        13.0,
        &CalibrationOptions::default(),
    );
    assert!(
        matches!(
            calibration.fallback,
            Some(CalibrationFallback::TooManyMatches { .. })
        ),
        "{:?}",
        calibration.fallback
    );
    assert_eq!(calibration.threshold, 13.0);
}

#[test]
fn no_likely_match_falls_back() {
    let mut v = ComparisonVector::new();
    v.set(Field::GivenName, Agreement::Disagree)
        .set(
            Field::FamilyName,
            Agreement::PartlyAgree(PartialAgreement::Phonetic),
        )
        .set(Field::DateOfBirth, Agreement::Disagree);
    let (_, random) = pairs(0, 0, 8);
    let calibration = calibrate(
        &CalibrationInput {
            candidates: &[(v, 5_000)],
            random: &random,
            all_pairs: 1e8,
            most_matches: 10_000.0,
        },
        &ModelParameters::default(),
        13.0,
        &CalibrationOptions::default(),
    );
    assert!(
        matches!(
            calibration.fallback,
            Some(CalibrationFallback::NoLikelyMatches { .. })
        ),
        "{:?}",
        calibration.fallback
    );
}

#[test]
fn an_estimate_that_does_not_settle_falls_back() {
    let (candidates, random) = pairs(500, 200_000, 5);
    let counts = counted(&candidates);
    let calibration = calibrate(
        &CalibrationInput {
            candidates: &counts,
            random: &random,
            all_pairs: 200_000.0,
            most_matches: 10_000.0,
        },
        &ModelParameters::default(),
        15.0,
        &CalibrationOptions {
            max_iterations: 2,
            ..CalibrationOptions::default()
        },
    );
    assert_eq!(
        calibration.fallback,
        Some(CalibrationFallback::NotConverged { iterations: 2 })
    );
    assert_eq!(calibration.parameters, ModelParameters::default());
}
