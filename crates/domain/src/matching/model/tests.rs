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
    let given = p
        .fields
        .iter()
        .position(|f| f.field == Field::GivenName)
        .expect("given name");
    p.fields[given].levels[0].m = 0.0;
    assert!(matches!(
        p.validate(),
        Err(ModelError::ProbabilityOutOfRange {
            field: Field::GivenName,
            ..
        })
    ));

    let mut p = ModelParameters::default();
    let sex = p
        .fields
        .iter()
        .position(|f| f.field == Field::Sex)
        .expect("sex");
    p.fields[sex].levels[0].m = 0.5;
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
