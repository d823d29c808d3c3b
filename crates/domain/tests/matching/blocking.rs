//! The blocking keys' recall, and parameters estimated from candidate pairs.

use super::{date, describe, look_alikes, olivia, record, without_ids};
use frontdoor_domain::matching::{
    blocking_keys, compare, estimate_from_labelled, estimate_parameters, ComparisonVector,
    EmOptions, MatchModel, ModelParameters, PersonDetails,
};

/// Each error type the matcher tolerates leaves the true record sharing a blocking key.
#[test]
fn blocking_keys_survive_each_single_error() {
    let on_file = PersonDetails {
        family_name: "Smith-Jones".into(),
        previous_family_names: vec!["Walker".into()],
        ..olivia()
    };
    let errors: Vec<(&str, PersonDetails)> = vec![
        (
            "family name typo",
            PersonDetails {
                family_name: "Smiht-Jones".into(),
                ..on_file.clone()
            },
        ),
        (
            "family name changed",
            PersonDetails {
                family_name: "Baxter".into(),
                ..on_file.clone()
            },
        ),
        (
            "nickname",
            PersonDetails {
                given_names: "Liv".into(),
                ..on_file.clone()
            },
        ),
        (
            "one part of the family name",
            PersonDetails {
                family_name: "Jones".into(),
                ..on_file.clone()
            },
        ),
        (
            "names swapped",
            PersonDetails {
                given_names: "Smith-Jones".into(),
                family_name: "Olivia".into(),
                ..on_file.clone()
            },
        ),
        (
            "previous family name",
            PersonDetails {
                family_name: "Walker".into(),
                previous_family_names: vec![],
                ..on_file.clone()
            },
        ),
        (
            "day and month swapped",
            PersonDetails {
                date_of_birth: Some(date(2014, 12, 3)),
                ..on_file.clone()
            },
        ),
        (
            "digit wrong in the year",
            PersonDetails {
                date_of_birth: Some(date(2011, 3, 12)),
                ..on_file.clone()
            },
        ),
        (
            "year off by one",
            PersonDetails {
                date_of_birth: Some(date(2015, 3, 12)),
                ..on_file.clone()
            },
        ),
        (
            "a few days out",
            PersonDetails {
                date_of_birth: Some(date(2014, 3, 15)),
                ..on_file.clone()
            },
        ),
        (
            "wrong NHS digit",
            PersonDetails {
                nhs_number: Some("9434765918".into()),
                ..on_file.clone()
            },
        ),
        (
            "no date of birth",
            PersonDetails {
                date_of_birth: None,
                ..on_file.clone()
            },
        ),
        (
            "no family name",
            PersonDetails {
                family_name: String::new(),
                previous_family_names: vec![],
                ..on_file.clone()
            },
        ),
        (
            "no given name",
            PersonDetails {
                given_names: String::new(),
                ..on_file.clone()
            },
        ),
        (
            "no NHS number, moved house",
            PersonDetails {
                nhs_number: None,
                postcode: Some("M1 1AE".into()),
                ..on_file.clone()
            },
        ),
    ];
    let truth = blocking_keys(&record(&on_file));
    for (error, details) in errors {
        let query = PersonDetails {
            nhs_number: if error == "wrong NHS digit" {
                details.nhs_number.clone()
            } else {
                None
            },
            ..details
        };
        let keys = blocking_keys(&record(&query));
        assert!(
            keys.iter().any(|k| truth.contains(k)),
            "{error}: {keys:?} shares nothing with {truth:?}"
        );
    }
}

#[test]
fn em_estimate_from_candidate_pairs_keeps_ranking() {
    // Candidate pairs: every query variant of Olivia against her and the look-alikes.
    let variants = [
        without_ids(olivia()),
        PersonDetails {
            family_name: "Smiht".into(),
            ..without_ids(olivia())
        },
        PersonDetails {
            given_names: "Liv".into(),
            ..without_ids(olivia())
        },
        PersonDetails {
            date_of_birth: Some(date(2014, 12, 3)),
            ..without_ids(olivia())
        },
        PersonDetails {
            postcode: Some("LS16 5QR".into()),
            ..without_ids(olivia())
        },
    ];
    let mut pairs: Vec<(ComparisonVector, bool)> = Vec::new();
    for v in &variants {
        let q = record(v);
        pairs.push((
            frontdoor_domain::matching::comparison_vector(&q, &record(&olivia())),
            true,
        ));
        for (_, details) in look_alikes() {
            pairs.push((
                frontdoor_domain::matching::comparison_vector(&q, &record(&details)),
                false,
            ));
        }
    }
    let vectors: Vec<ComparisonVector> = pairs.iter().map(|(v, _)| *v).collect();
    let options = EmOptions {
        prior_strength: 50.0,
        ..EmOptions::default()
    };
    let estimate =
        estimate_parameters(&vectors, &ModelParameters::default(), &options).expect("EM runs");
    assert_eq!(estimate.parameters.validate(), Ok(()));
    let model = MatchModel::new(estimate.parameters).expect("valid parameters");
    for v in &variants {
        let q = record(v);
        let truth = compare(&q, &record(&olivia()), &model);
        for (who, details) in look_alikes() {
            let other = compare(&q, &record(&details), &model);
            assert!(
                truth.score > other.score,
                "{who}: {}\n{}",
                describe(&truth),
                describe(&other)
            );
        }
    }
    let labelled = estimate_from_labelled(&pairs, &ModelParameters::default(), 50.0)
        .expect("labelled estimate");
    assert!(MatchModel::new(labelled).is_ok());
}
