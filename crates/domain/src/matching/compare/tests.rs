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

#[test]
fn dates_of_birth() {
    use PartialAgreement as P;
    let d = birth(2014, 3, 12);
    assert_eq!(dob_agreement(&d, &birth(2014, 3, 12)), Agreement::Agree);
    assert_eq!(
        dob_agreement(&d, &birth(2014, 12, 3)),
        Agreement::PartlyAgree(P::DayMonthSwapped)
    );
    assert_eq!(
        dob_agreement(&d, &birth(2015, 3, 12)),
        Agreement::PartlyAgree(P::YearOffByOne)
    );
    assert_eq!(
        dob_agreement(&d, &birth(2024, 3, 12)),
        Agreement::PartlyAgree(P::OneDigit)
    );
    assert_eq!(
        dob_agreement(&d, &birth(2014, 8, 12)),
        Agreement::PartlyAgree(P::OneDigit)
    );
    assert_eq!(
        dob_agreement(&d, &birth(2014, 3, 16)),
        Agreement::PartlyAgree(P::OneDigit)
    );
    assert_eq!(
        dob_agreement(&d, &birth(2014, 3, 9)),
        Agreement::PartlyAgree(P::WithinDays)
    );
    assert_eq!(dob_agreement(&d, &birth(2011, 7, 30)), Agreement::Disagree);
    assert_eq!(dob_agreement(&d, &record("A", "B")), Agreement::Missing);
    // Twins born either side of midnight on the last day of a month.
    assert_eq!(
        dob_agreement(&birth(2019, 12, 31), &birth(2020, 1, 1)),
        Agreement::PartlyAgree(P::WithinDays)
    );
}

fn nhs(n: &str) -> Option<NhsDigits> {
    NhsDigits::parse(n)
}

#[test]
fn nhs_numbers() {
    use PartialAgreement as P;
    let good = nhs("9434765919");
    assert_eq!(
        compare_nhs_numbers(good.as_ref(), good.as_ref()),
        Agreement::Agree
    );
    let invalid = nhs("9434765918");
    assert_eq!(
        compare_nhs_numbers(invalid.as_ref(), invalid.as_ref()),
        Agreement::PartlyAgree(P::InvalidCheckDigit)
    );
    assert_eq!(
        compare_nhs_numbers(good.as_ref(), invalid.as_ref()),
        Agreement::PartlyAgree(P::OneDigit)
    );
    assert_eq!(
        compare_nhs_numbers(good.as_ref(), nhs("9434765991").as_ref()),
        Agreement::PartlyAgree(P::Transposition)
    );
    assert_eq!(
        compare_nhs_numbers(good.as_ref(), nhs("4010232137").as_ref()),
        Agreement::Disagree
    );
    assert_eq!(compare_nhs_numbers(good.as_ref(), None), Agreement::Missing);
}

#[test]
fn postcodes() {
    use PartialAgreement as P;
    let p = |s: &str| PostcodeParts::parse(s);
    assert_eq!(
        compare_postcodes(p("LS6 2AB").as_ref(), p("ls62ab").as_ref()),
        Agreement::Agree
    );
    assert_eq!(
        compare_postcodes(p("LS6 2AB").as_ref(), p("LS6 2XY").as_ref()),
        Agreement::PartlyAgree(P::SameSector)
    );
    assert_eq!(
        compare_postcodes(p("LS6 2AB").as_ref(), p("LS6 4AB").as_ref()),
        Agreement::PartlyAgree(P::SameDistrict)
    );
    assert_eq!(
        compare_postcodes(p("LS6 2AB").as_ref(), p("LS6").as_ref()),
        Agreement::PartlyAgree(P::SameDistrict)
    );
    assert_eq!(
        compare_postcodes(p("LS6 2AB").as_ref(), p("LS16 2AB").as_ref()),
        Agreement::Disagree
    );
    assert_eq!(
        compare_postcodes(p("LS6 2AB").as_ref(), p("NFA").as_ref()),
        Agreement::Missing
    );
}

fn names(a: (&str, &str), b: (&str, &str)) -> (Agreement, Agreement) {
    let v = comparison_vector(&record(a.0, a.1), &record(b.0, b.1));
    (v.get(Field::GivenName), v.get(Field::FamilyName))
}

#[test]
fn given_names() {
    use PartialAgreement as P;
    let given = |a: &str, b: &str| names((a, "X"), (b, "X")).0;
    assert_eq!(given("William", "WILLIAM"), Agreement::Agree);
    assert_eq!(given("Mary-Jane", "Maryjane"), Agreement::Agree);
    assert_eq!(
        given("Bill", "William"),
        Agreement::PartlyAgree(P::Nickname)
    );
    assert_eq!(
        given("Mohamed", "Muhammad"),
        Agreement::PartlyAgree(P::Nickname)
    );
    assert_eq!(
        given("John Paul", "Paul"),
        Agreement::PartlyAgree(P::OtherGivenName)
    );
    assert_eq!(
        given("Jayden", "Jaydon"),
        Agreement::PartlyAgree(P::Nickname)
    );
    assert_eq!(
        given("Philippa", "Filipa"),
        Agreement::PartlyAgree(P::Phonetic)
    );
    assert_eq!(
        given("Jonathan", "Jomathan"),
        Agreement::PartlyAgree(P::Typo)
    );
    assert_eq!(given("J", "Jonathan"), Agreement::PartlyAgree(P::Initial));
    assert_eq!(given("Emma", "Amy"), Agreement::Disagree);
    assert_eq!(given("Olivia", "Amelia"), Agreement::Disagree);
    assert_eq!(given("", "Amelia"), Agreement::Missing);
    assert_eq!(given("Baby", "Amelia"), Agreement::Missing);
}

#[test]
fn family_names() {
    use PartialAgreement as P;
    let family = |a: &str, b: &str| names(("X", a), ("X", b)).1;
    assert_eq!(family("O'Brien", "OBRIEN"), Agreement::Agree);
    assert_eq!(family("Smith-Jones", "Smith Jones"), Agreement::Agree);
    assert_eq!(
        family("Smith-Jones", "Jones"),
        Agreement::PartlyAgree(P::NamePart)
    );
    assert_eq!(
        family("Jones", "Smith-Jones"),
        Agreement::PartlyAgree(P::NamePart)
    );
    assert_eq!(
        family("Smith", "Smyth"),
        Agreement::PartlyAgree(P::Phonetic)
    );
    assert_eq!(
        family("Thompson", "Thomson"),
        Agreement::PartlyAgree(P::Typo)
    );
    assert_eq!(
        family("Richardson", "Richadrson"),
        Agreement::PartlyAgree(P::Typo)
    );
    assert_eq!(family("Smith", "Jones"), Agreement::Disagree);
    assert_eq!(family("Smith", "not known"), Agreement::Missing);
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
