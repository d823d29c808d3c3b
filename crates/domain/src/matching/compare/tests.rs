use super::*;
use crate::matching::record::PersonDetails;
use chrono::NaiveDate;

fn dob(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn record(given: &str, family: &str) -> MatchRecord {
    MatchRecord::new(&PersonDetails {
        given_names: given.into(),
        family_name: family.into(),
        ..Default::default()
    })
}

fn birth(y: i32, m: u32, d: u32) -> MatchRecord {
    MatchRecord::new(&PersonDetails {
        date_of_birth: dob(y, m, d),
        ..Default::default()
    })
}

fn dob_agreement(a: &MatchRecord, b: &MatchRecord) -> Agreement {
    comparison_vector(a, b).get(Field::DateOfBirth)
}

/// Asserts how each pair of values compares, naming the pair that fails.
fn assert_agreements<T: std::fmt::Debug>(
    compare: impl Fn(&T, &T) -> Agreement,
    cases: &[(T, T, Agreement)],
) {
    for (a, b, expected) in cases {
        assert_eq!(compare(a, b), *expected, "{a:?} against {b:?}");
    }
}

#[test]
fn dates_of_birth() {
    use Agreement::PartlyAgree as Partly;
    use PartialAgreement as P;
    let d = || birth(2014, 3, 12);
    assert_agreements(
        dob_agreement,
        &[
            (d(), birth(2014, 3, 12), Agreement::Agree),
            (d(), birth(2014, 12, 3), Partly(P::DayMonthSwapped)),
            (d(), birth(2015, 3, 12), Partly(P::YearOffByOne)),
            (d(), birth(2024, 3, 12), Partly(P::OneDigit)),
            (d(), birth(2014, 8, 12), Partly(P::OneDigit)),
            (d(), birth(2014, 3, 16), Partly(P::OneDigit)),
            (d(), birth(2014, 3, 9), Partly(P::WithinDays)),
            (d(), birth(2011, 7, 30), Agreement::Disagree),
            (d(), record("A", "B"), Agreement::Missing),
            // Twins born either side of midnight on the last day of a month.
            (
                birth(2019, 12, 31),
                birth(2020, 1, 1),
                Partly(P::WithinDays),
            ),
        ],
    );
}

fn nhs(n: &str) -> Option<NhsDigits> {
    NhsDigits::parse(n)
}

#[test]
fn nhs_numbers() {
    use Agreement::PartlyAgree as Partly;
    use PartialAgreement as P;
    let (good, invalid) = ("9434765919", "9434765918");
    assert_agreements(
        |a: &&str, b: &&str| compare_nhs_numbers(nhs(a).as_ref(), nhs(b).as_ref()),
        &[
            (good, good, Agreement::Agree),
            (invalid, invalid, Partly(P::InvalidCheckDigit)),
            (good, invalid, Partly(P::OneDigit)),
            (good, "9434765991", Partly(P::Transposition)),
            (good, "4010232137", Agreement::Disagree),
        ],
    );
    assert_eq!(
        compare_nhs_numbers(nhs(good).as_ref(), None),
        Agreement::Missing
    );
}

#[test]
fn postcodes() {
    use Agreement::PartlyAgree as Partly;
    use PartialAgreement as P;
    let p = |s: &str| PostcodeParts::parse(s);
    assert_agreements(
        |a: &&str, b: &&str| compare_postcodes(p(a).as_ref(), p(b).as_ref()),
        &[
            ("LS6 2AB", "ls62ab", Agreement::Agree),
            ("LS6 2AB", "LS6 2XY", Partly(P::SameSector)),
            ("LS6 2AB", "LS6 4AB", Partly(P::SameDistrict)),
            ("LS6 2AB", "LS6", Partly(P::SameDistrict)),
            ("LS6 2AB", "LS16 2AB", Agreement::Disagree),
            ("LS6 2AB", "NFA", Agreement::Missing),
        ],
    );
}

fn names(a: (&str, &str), b: (&str, &str)) -> (Agreement, Agreement) {
    let v = comparison_vector(&record(a.0, a.1), &record(b.0, b.1));
    (v.get(Field::GivenName), v.get(Field::FamilyName))
}

#[test]
fn given_names() {
    use Agreement::PartlyAgree as Partly;
    use PartialAgreement as P;
    assert_agreements(
        |a: &&str, b: &&str| names((a, "X"), (b, "X")).0,
        &[
            ("William", "WILLIAM", Agreement::Agree),
            ("Mary-Jane", "Maryjane", Agreement::Agree),
            ("Bill", "William", Partly(P::Nickname)),
            ("Mohamed", "Muhammad", Partly(P::Nickname)),
            ("John Paul", "Paul", Partly(P::OtherGivenName)),
            ("Jayden", "Jaydon", Partly(P::Nickname)),
            ("Philippa", "Filipa", Partly(P::Phonetic)),
            ("Jonathan", "Jomathan", Partly(P::Typo)),
            ("J", "Jonathan", Partly(P::Initial)),
            ("Emma", "Amy", Agreement::Disagree),
            ("Olivia", "Amelia", Agreement::Disagree),
            ("", "Amelia", Agreement::Missing),
            ("Baby", "Amelia", Agreement::Missing),
        ],
    );
}

#[test]
fn family_names() {
    use Agreement::PartlyAgree as Partly;
    use PartialAgreement as P;
    assert_agreements(
        |a: &&str, b: &&str| names(("X", a), ("X", b)).1,
        &[
            ("O'Brien", "OBRIEN", Agreement::Agree),
            ("Smith-Jones", "Smith Jones", Agreement::Agree),
            ("Smith-Jones", "Jones", Partly(P::NamePart)),
            ("Jones", "Smith-Jones", Partly(P::NamePart)),
            ("Smith", "Smyth", Partly(P::Phonetic)),
            ("Thompson", "Thomson", Partly(P::Typo)),
            ("Richardson", "Richadrson", Partly(P::Typo)),
            ("Smith", "Jones", Agreement::Disagree),
            ("Smith", "not known", Agreement::Missing),
        ],
    );
}

#[test]
fn previous_family_names() {
    let a = MatchRecord::new(&PersonDetails {
        given_names: "Amy".into(),
        family_name: "Brown".into(),
        previous_family_names: vec!["Walker".into()],
        ..Default::default()
    });
    let b = record("Amy", "Walker");
    assert_eq!(
        comparison_vector(&a, &b).get(Field::FamilyName),
        Agreement::PartlyAgree(PartialAgreement::PreviousName)
    );
    assert_eq!(
        comparison_vector(&b, &a).get(Field::FamilyName),
        Agreement::PartlyAgree(PartialAgreement::PreviousName)
    );
}

#[test]
fn swapped_names() {
    let swapped = Agreement::PartlyAgree(PartialAgreement::NamesSwapped);
    assert_eq!(
        names(("Wei", "Zhang"), ("Zhang", "Wei")),
        (swapped, swapped)
    );
    assert_eq!(
        names(("Ahmed", "Hussain"), ("Husain", "Ahmed")),
        (swapped, swapped)
    );
    assert_eq!(
        names(("Ahmed", "Hussain"), ("Omar", "Ali")),
        (Agreement::Disagree, Agreement::Disagree)
    );
}

#[test]
fn rank_puts_confirmed_nhs_numbers_first() {
    let model = MatchModel::default();
    let with_nhs = |n: &str, given: &str| {
        MatchRecord::new(&PersonDetails {
            given_names: given.into(),
            family_name: "Smith".into(),
            nhs_number: Some(n.into()),
            ..Default::default()
        })
    };
    let query = with_nhs("9434765919", "Jack");
    let confirmed = compare(&query, &with_nhs("9434765919", "John"), &model);
    let mut no_nhs = compare(&query, &record("Jack", "Smith"), &model);
    no_nhs.score = confirmed.score + 100.0;
    assert_eq!(confirmed.rank_cmp(&no_nhs), Ordering::Less);
    assert_eq!(no_nhs.rank_cmp(&confirmed), Ordering::Greater);
}

#[test]
fn explanation_lines_read_well() {
    let model = MatchModel::default();
    let e = compare(
        &record("Bill", "Smith"),
        &record("William", "Smith"),
        &model,
    );
    let lines = e.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("Given name: partly agrees: nickname or other form of the name (+"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("Family name: agrees (+"), "{lines:?}");
}

#[test]
fn a_date_read_with_day_and_month_exchanged_agrees_as_a_swap() {
    use Agreement::PartlyAgree as Partly;
    use PartialAgreement as P;
    // Written 2014-25-03 (no month 25): read as 25 March 2014.
    let read_swapped = MatchRecord::new(&PersonDetails {
        date_of_birth: dob(2014, 3, 25),
        date_of_birth_read_swapped: true,
        ..Default::default()
    });
    let also_swapped = MatchRecord::new(&PersonDetails {
        date_of_birth: dob(2014, 3, 25),
        date_of_birth_read_swapped: true,
        ..Default::default()
    });
    assert_agreements(
        dob_agreement,
        &[
            (
                read_swapped.clone(),
                birth(2014, 3, 25),
                Partly(P::DayMonthSwapped),
            ),
            (
                birth(2014, 3, 25),
                read_swapped.clone(),
                Partly(P::DayMonthSwapped),
            ),
            (read_swapped.clone(), also_swapped, Agreement::Agree),
            (
                read_swapped.clone(),
                birth(2014, 3, 24),
                Partly(P::OneDigit),
            ),
            (read_swapped, birth(2016, 7, 1), Agreement::Disagree),
        ],
    );
}

#[test]
fn other_identifiers_compare_exactly() {
    let with = |id: &str| {
        MatchRecord::new(&PersonDetails {
            other_id: Some(id.into()),
            ..Default::default()
        })
    };
    let other = |a: &MatchRecord, b: &MatchRecord| comparison_vector(a, b).get(Field::OtherId);
    assert_agreements(
        other,
        &[
            (with("hx-000123"), with("HX000123"), Agreement::Agree),
            (with("HX000123"), with("HX000124"), Agreement::Disagree),
            (with("HX000123"), record("A", "B"), Agreement::Missing),
        ],
    );
    let model = MatchModel::default();
    let agree = compare(&with("A1"), &with("A1"), &model);
    let disagree = compare(&with("A1"), &with("B2"), &model);
    assert!(agree.field(Field::OtherId).weight > 20.0);
    // Files may carry different systems' keys: a disagreement costs little.
    let cost = disagree.field(Field::OtherId).weight;
    assert!((-3.0..0.0).contains(&cost), "{cost}");
    assert!(agree
        .lines()
        .iter()
        .any(|l| l.starts_with("Other identifier: agrees")));
}

#[test]
fn an_agreeing_address_counts_the_postcode_once_and_a_move_costs_little() {
    let at = |given: &str, family: &str, address: &str, postcode: &str| {
        MatchRecord::new(&PersonDetails {
            given_names: given.into(),
            family_name: family.into(),
            date_of_birth: dob(2014, 3, 12),
            postcode: Some(postcode.into()),
            address: Some(address.into()),
            ..Default::default()
        })
    };
    let model = MatchModel::default();
    let olivia = at(
        "Olivia",
        "Smith",
        "Flat 3, 12 High St, Ashbridge",
        "LS6 2AB",
    );
    let same = compare(
        &olivia,
        &at("Olivia", "Smith", "3/12 HIGH STREET", "LS6 2AB"),
        &model,
    );
    assert_eq!(same.field(Field::Address).agreement, Agreement::Agree);
    let postcode = same.field(Field::Postcode);
    assert_eq!(postcode.weight, 0.0);
    assert_eq!(
        postcode.adjustment,
        Some(WeightAdjustment::CountedInAddress)
    );
    // Same family: the address could be a sibling's, so it counts for less.
    assert_eq!(
        same.field(Field::Address).adjustment,
        Some(WeightAdjustment::SharedHousehold)
    );
    let without_address = compare(
        &MatchRecord::new(&PersonDetails {
            address: None,
            ..olivia_details()
        }),
        &MatchRecord::new(&PersonDetails {
            address: None,
            ..olivia_details()
        }),
        &model,
    );
    // Living at the same address is worth about what the same postcode was.
    assert!(
        (same.score - without_address.score).abs() < 1.0,
        "{} against {}",
        same.score,
        without_address.score
    );
    let moved = compare(
        &olivia,
        &at("Olivia", "Smith", "40 Mill Road, Leeds", "LS7 3CD"),
        &model,
    );
    let cost = moved.field(Field::Address).weight;
    assert!((-2.5..0.0).contains(&cost), "{cost}");
    let neighbour = compare(
        &olivia,
        &at("Olivia", "Smith", "14 High Street", "LS6 2AB"),
        &model,
    );
    assert_eq!(
        neighbour.field(Field::Address).agreement,
        Agreement::PartlyAgree(PartialAgreement::SameStreet)
    );
    assert!(neighbour
        .lines()
        .iter()
        .any(|l| l.starts_with("Address: partly agrees: same street")));
}

fn olivia_details() -> PersonDetails {
    PersonDetails {
        given_names: "Olivia".into(),
        family_name: "Smith".into(),
        date_of_birth: dob(2014, 3, 12),
        postcode: Some("LS6 2AB".into()),
        ..Default::default()
    }
}
