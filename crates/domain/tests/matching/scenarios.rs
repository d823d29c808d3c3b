//! Scenarios: each error type the front door meets, the true record against look-alikes.

use super::{assert_finds_olivia, date, describe, look_alikes, olivia, record, without_ids};
use frontdoor_domain::matching::{
    compare, compare_within_one_system, Agreement, Field, MatchBand, MatchModel, NameFrequencies,
    PartialAgreement, PersonDetails,
};
use frontdoor_domain::person::Sex;

#[test]
fn exact_details_find_the_child() {
    assert_finds_olivia(&without_ids(olivia()), &olivia(), &MatchModel::default());
}

#[test]
fn typo_in_family_name() {
    let query = PersonDetails {
        family_name: "Smiht".into(),
        ..without_ids(olivia())
    };
    let e = compare(&record(&query), &record(&olivia()), &MatchModel::default());
    // "Smiht" is both spelt and (in its alternate code, XMT) sounds like "Smith".
    assert!(matches!(
        e.field(Field::FamilyName).agreement,
        Agreement::PartlyAgree(PartialAgreement::Typo | PartialAgreement::Phonetic)
    ));
    assert_finds_olivia(&query, &olivia(), &MatchModel::default());
    let typo = PersonDetails {
        family_name: "Smitj".into(),
        ..without_ids(olivia())
    };
    assert_finds_olivia(&typo, &olivia(), &MatchModel::default());
}

#[test]
fn nickname() {
    let william = PersonDetails {
        given_names: "William James".into(),
        family_name: "Okafor".into(),
        sex: Some(Sex::Male),
        ..olivia()
    };
    let query = PersonDetails {
        given_names: "Bill".into(),
        ..without_ids(william.clone())
    };
    let model = MatchModel::default();
    let e = compare(&record(&query), &record(&william), &model);
    assert_eq!(
        e.field(Field::GivenName).agreement,
        Agreement::PartlyAgree(PartialAgreement::Nickname),
        "{}",
        describe(&e)
    );
    assert_eq!(e.band(&model), MatchBand::Confident, "{}", describe(&e));
    // Olivia recorded as "Liv".
    let liv = PersonDetails {
        given_names: "Liv".into(),
        ..without_ids(olivia())
    };
    assert_finds_olivia(&liv, &olivia(), &model);
}

#[test]
fn hyphenated_family_name() {
    let on_file = PersonDetails {
        family_name: "Smith-Jones".into(),
        ..olivia()
    };
    for family in ["Jones", "Smith", "Smith Jones", "SMITHJONES"] {
        let query = PersonDetails {
            family_name: family.into(),
            ..without_ids(olivia())
        };
        let e = compare(&record(&query), &record(&on_file), &MatchModel::default());
        assert!(
            matches!(
                e.field(Field::FamilyName).agreement,
                Agreement::Agree | Agreement::PartlyAgree(PartialAgreement::NamePart)
            ),
            "{family}: {}",
            describe(&e)
        );
        assert_eq!(
            e.band(&MatchModel::default()),
            MatchBand::Confident,
            "{family}: {}",
            describe(&e)
        );
    }
}

#[test]
fn given_and_family_names_swapped() {
    let on_file = PersonDetails {
        given_names: "Wei".into(),
        family_name: "Zhang".into(),
        ..olivia()
    };
    let query = PersonDetails {
        given_names: "Zhang".into(),
        family_name: "Wei".into(),
        ..without_ids(on_file.clone())
    };
    let model = MatchModel::default();
    let e = compare(&record(&query), &record(&on_file), &model);
    let swapped = Agreement::PartlyAgree(PartialAgreement::NamesSwapped);
    assert_eq!(e.field(Field::GivenName).agreement, swapped);
    assert_eq!(e.field(Field::FamilyName).agreement, swapped);
    assert_eq!(e.band(&model), MatchBand::Confident, "{}", describe(&e));
}

#[test]
fn previous_family_name() {
    // Olivia was recorded as Olivia Walker before her mother remarried.
    let on_file = PersonDetails {
        previous_family_names: vec!["Walker".into()],
        ..olivia()
    };
    let query = PersonDetails {
        family_name: "Walker".into(),
        postcode: Some("LS16 5QR".into()),
        ..without_ids(olivia())
    };
    let model = MatchModel::default();
    let e = compare(&record(&query), &record(&on_file), &model);
    assert_eq!(
        e.field(Field::FamilyName).agreement,
        Agreement::PartlyAgree(PartialAgreement::PreviousName)
    );
    assert_eq!(e.band(&model), MatchBand::Confident, "{}", describe(&e));
    let same_address = PersonDetails {
        family_name: "Walker".into(),
        ..without_ids(olivia())
    };
    assert_finds_olivia(&same_address, &on_file, &model);
}

#[test]
fn day_and_month_of_birth_swapped() {
    let query = PersonDetails {
        date_of_birth: Some(date(2014, 12, 3)),
        ..without_ids(olivia())
    };
    let e = compare(&record(&query), &record(&olivia()), &MatchModel::default());
    assert_eq!(
        e.field(Field::DateOfBirth).agreement,
        Agreement::PartlyAgree(PartialAgreement::DayMonthSwapped)
    );
    assert_finds_olivia(&query, &olivia(), &MatchModel::default());
}

#[test]
fn digit_wrong_in_date_of_birth() {
    let query = PersonDetails {
        date_of_birth: Some(date(2014, 3, 18)),
        ..without_ids(olivia())
    };
    assert_finds_olivia(&query, &olivia(), &MatchModel::default());
}

#[test]
fn wrong_digit_in_nhs_number() {
    let model = MatchModel::default();
    // One digit wrong, and separately two digits swapped; the query's names are thin.
    for (nhs, kind) in [
        ("943 476 5918", PartialAgreement::OneDigit),
        ("943 476 9519", PartialAgreement::Transposition),
    ] {
        let query = PersonDetails {
            given_names: "Olivia".into(),
            family_name: "Smith".into(),
            nhs_number: Some(nhs.into()),
            ..Default::default()
        };
        let e = compare(&record(&query), &record(&olivia()), &model);
        assert_eq!(
            e.field(Field::NhsNumber).agreement,
            Agreement::PartlyAgree(kind),
            "{}",
            describe(&e)
        );
        assert_eq!(e.band(&model), MatchBand::Confident, "{}", describe(&e));
        for (who, details) in look_alikes() {
            let other = compare(&record(&query), &record(&details), &model);
            assert!(other.score < e.score, "{who}: {}", describe(&other));
        }
    }
}

#[test]
fn a_confirmed_nhs_number_ranks_first() {
    let model = MatchModel::default();
    // The query has Olivia's NHS number but little else right.
    let query = PersonDetails {
        given_names: "Liv".into(),
        family_name: "Smyth".into(),
        date_of_birth: Some(date(2014, 12, 3)),
        postcode: Some("LS16 5QR".into()),
        ..olivia()
    };
    let truth = compare(&record(&query), &record(&olivia()), &model);
    assert!(truth.nhs_number_confirmed());
    assert_eq!(
        truth.band(&model),
        MatchBand::Confident,
        "{}",
        describe(&truth)
    );
    // A stranger whose other details match the query exactly, without an NHS number...
    let stranger = PersonDetails {
        nhs_number: None,
        ..query.clone()
    };
    let e = compare(&record(&query), &record(&stranger), &model);
    assert_eq!(truth.rank_cmp(&e), std::cmp::Ordering::Less);
    // ...or with another valid one.
    let other = PersonDetails {
        nhs_number: Some("401 023 2137".into()),
        ..query.clone()
    };
    let e = compare(&record(&query), &record(&other), &model);
    assert!(
        truth.score > e.score,
        "{}\n{}",
        describe(&truth),
        describe(&e)
    );
}

#[test]
fn blank_fields_carry_no_weight() {
    let model = MatchModel::default();
    // Only given name, date of birth and postcode: still finds her, not her twin.
    let query = PersonDetails {
        given_names: "Olivia".into(),
        date_of_birth: Some(date(2014, 3, 12)),
        postcode: Some("LS6 2AB".into()),
        ..Default::default()
    };
    assert_finds_olivia(&query, &olivia(), &model);
    let e = compare(&record(&query), &record(&olivia()), &model);
    for field in [Field::FamilyName, Field::NhsNumber, Field::Sex] {
        assert_eq!(e.field(field).agreement, Agreement::Missing);
        assert_eq!(e.field(field).weight, 0.0);
    }
    // Placeholder values are blanks too.
    let placeholder = PersonDetails {
        given_names: "Baby".into(),
        family_name: "Not known".into(),
        postcode: Some("NFA".into()),
        nhs_number: Some("0000000000".into()),
        ..olivia()
    };
    let e = compare(&record(&placeholder), &record(&olivia()), &model);
    for field in [
        Field::GivenName,
        Field::FamilyName,
        Field::Postcode,
        Field::NhsNumber,
    ] {
        assert_eq!(e.field(field).agreement, Agreement::Missing, "{field}");
    }
    // Nothing at all: nothing to go on.
    let nothing = compare(
        &record(&PersonDetails::default()),
        &record(&olivia()),
        &model,
    );
    assert_eq!(nothing.score, 0.0);
}

#[test]
fn household_members_are_not_confident_matches() {
    let model = MatchModel::default();
    let prior = model.parameters().prior_match_probability;
    let olivia = record(&without_ids(olivia()));
    for (who, details) in look_alikes() {
        let e = compare(&olivia, &record(&details), &model);
        assert_ne!(
            e.band(&model),
            MatchBand::Confident,
            "{who}: {}",
            describe(&e)
        );
        assert!(
            e.probability(prior) < 0.5,
            "{who}: probability {:.3}\n{}",
            e.probability(prior),
            describe(&e)
        );
    }
}

#[test]
fn twins_with_nhs_numbers_are_far_apart() {
    let model = MatchModel::default();
    let twin = PersonDetails {
        given_names: "Sophie".into(),
        nhs_number: Some("401 023 2137".into()),
        ..olivia()
    };
    let e = compare(&record(&olivia()), &record(&twin), &model);
    assert_ne!(e.band(&model), MatchBand::Confident, "{}", describe(&e));
    let prior = model.parameters().prior_match_probability;
    assert!(e.probability(prior) < 0.01, "{}", describe(&e));
    let shared = e.field(Field::DateOfBirth);
    assert_eq!(shared.agreement, Agreement::Agree);
    assert!(
        shared.adjustment.is_some(),
        "a shared birthday in one household counts for less: {}",
        describe(&e)
    );
}

#[test]
fn rare_names_count_more_than_common_ones() {
    let mut frequencies = NameFrequencies::new();
    frequencies.add_family_name("SMITH", 12_000);
    frequencies.add_family_name("OKONKWO-BRAITHWAITE", 1);
    frequencies.add_family_name("OTHER", 988_000);
    let model = MatchModel::default().with_name_frequencies(frequencies);
    let family_weight = |family: &str| {
        let a = record(&PersonDetails {
            given_names: "Amira".into(),
            family_name: family.into(),
            ..Default::default()
        });
        compare(&a, &a, &model).field(Field::FamilyName).weight
    };
    let common = family_weight("Smith");
    let rare = family_weight("Okonkwo-Braithwaite");
    assert!(rare > common + 4.0, "rare {rare:.1}, common {common:.1}");
}

#[test]
fn within_one_system_different_la_ids_count_for_nothing() {
    let model = MatchModel::default();
    let with_id = |id: &str| PersonDetails {
        la_person_id: Some(id.to_string()),
        ..olivia()
    };
    let (a, b) = (record(&with_id("P0000001")), record(&with_id("P0000002")));
    let across = compare(&a, &b, &model);
    let within = compare_within_one_system(&a, &b, &model);
    let la = across.field(Field::LaPersonId);
    assert_eq!(la.agreement, Agreement::Disagree);
    assert!(la.weight < 0.0);
    assert_eq!(
        within.field(Field::LaPersonId).agreement,
        Agreement::Missing
    );
    assert!((within.score - (across.score - la.weight)).abs() < 1e-9);
    assert!(!within.lines().iter().any(|l| l.starts_with("LA person id")));
    // The same id on two records is still strong evidence.
    let same = compare_within_one_system(&a, &record(&with_id("P0000001")), &model);
    assert_eq!(same.field(Field::LaPersonId).agreement, Agreement::Agree);
    assert_eq!(same.score, compare(&a, &a, &model).score);
}
