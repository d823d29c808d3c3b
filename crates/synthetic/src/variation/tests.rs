//! Tests of the name variations: nicknames, typos, phonetic spellings and the rest.

use super::*;
use rand::SeedableRng;

fn rng() -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(3)
}

#[test]
fn typos_change_one_thing() {
    let mut rng = rng();
    for _ in 0..200 {
        let t = typo(&mut rng, "Catherine").expect("long enough");
        assert_ne!(t, "Catherine");
        let diff = (t.chars().count() as i64 - 9).abs();
        assert!(diff <= 1, "{t}");
    }
    assert_eq!(typo(&mut rng, "Al"), None);
}

#[test]
fn nicknames_go_both_ways() {
    let mut rng = rng();
    let n = nickname(&mut rng, "William").expect("William has nicknames");
    assert!(["Bill", "Will", "Billy", "Liam"].contains(&n.as_str()));
    assert!(nickname(&mut rng, "Bill").is_some_and(|n| n == "William"));
    assert_eq!(nickname(&mut rng, "Zzyzx"), None);
}

#[test]
fn dates_stay_real() {
    let mut rng = rng();
    let d = NaiveDate::from_ymd_opt(2015, 3, 7).expect("date");
    assert_eq!(swap_day_month(d), NaiveDate::from_ymd_opt(2015, 7, 3));
    assert_eq!(
        swap_day_month(NaiveDate::from_ymd_opt(2015, 3, 17).expect("date")),
        None
    );
    let latest = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    for _ in 0..100 {
        let wrong = date_digit_wrong(&mut rng, d, latest).expect("a digit can change");
        assert_ne!(wrong, d);
        assert!(wrong <= latest);
    }
}

#[test]
fn nhs_digit_errors() {
    let mut rng = rng();
    let number = NhsNumber::parse("9434765919").expect("valid");
    for _ in 0..50 {
        let broken = nhs_digit_wrong(&mut rng, &number, false).expect("changed");
        assert!(
            NhsNumber::parse(&broken).is_err(),
            "one wrong digit breaks the check digit"
        );
        let valid = nhs_digit_wrong(&mut rng, &number, true).expect("changed");
        assert!(NhsNumber::parse(&valid).is_ok());
        assert_ne!(valid, number.as_str());
    }
}

#[test]
fn phonetic_and_hyphen_variants() {
    let mut rng = rng();
    for name in ["Stephen", "Wiktoria", "Mackenzie", "Jakub", "Smith"] {
        let v = phonetic(&mut rng, name).expect("a rule applies");
        assert_ne!(v, name);
    }
    let d = double_barrelled(&mut rng, "Smith-Jones", "").expect("hyphenated");
    assert!(["Smith", "Jones", "Smith Jones", "SmithJones"].contains(&d.as_str()));
    let d = double_barrelled(&mut rng, "Smith", "Okafor").expect("added");
    assert!(d == "Smith-Okafor" || d == "Okafor-Smith");
}
