//! Blocking keys: which stored records are worth comparing with a query (or with each other
//! in batch linkage), without comparing against all of them.
//!
//! Two records become a candidate pair when they share at least one key. The keys are chosen
//! so that each single error the matcher tolerates still leaves the true record sharing a
//! key, while every key's block stays small among a million people:
//!
//! | key | shared despite | typical block among 1,000,000 people |
//! |---|---|---|
//! | `nhs:` NHS number | any name, date or address error | 1 |
//! | `la:` / `upn:` / `oid:` identifiers | any name, date or address error | 1 |
//! | `dob:` full date of birth | every name error: typos, nicknames, swaps, hyphenation, new or previous surnames | 40–150 |
//! | `fy:` sound of the family name (each code, each part of a double-barrelled name, each previous name) + year of birth | date errors within the year (day/month swap, day or month digit, a few days), nicknames | 10–400 |
//! | `gf:` sound of the first given name + sound of the family name, in either order | every date error, given/family swaps | 5–300 |
//! | `pc:` full postcode + initial of the first given name | date and family-name errors together, when the address is the same | 1–5 |
//! | `ad:` house number + the address's rarest word + initial of the first given name | as `pc:`, when the postcode is missing or mistyped | 1–5 |
//!
//! A pair is missed only when two errors together break every key: for example a wrong year
//! of birth together with a family name that changed (without the previous name recorded)
//! and a change of address, with no NHS number on one side. The very largest blocks (a
//! common surname's sound with a popular birth year, or `MHMT` with `KN` for "Mohammed Khan")
//! are where a store may cap a block's size: the records in them share other keys too.

use std::collections::BTreeSet;

use chrono::Datelike;

use super::phonetic::PhoneticKey;
use super::record::{FamilyName, MatchRecord};

/// The blocking keys of a record (sorted, without repeats). A record with no usable fields
/// has none.
pub fn blocking_keys(record: &MatchRecord) -> Vec<String> {
    let mut keys = BTreeSet::new();
    if let Some(nhs) = record.nhs_number() {
        keys.insert(format!("nhs:{}", nhs.as_string()));
    }
    if let Some(id) = record.la_person_id() {
        keys.insert(format!("la:{id}"));
    }
    if let Some(upn) = record.upn() {
        keys.insert(format!("upn:{upn}"));
    }
    if let Some(id) = record.other_id() {
        keys.insert(format!("oid:{id}"));
    }
    if let Some(dob) = record.date_of_birth() {
        let digits = String::from_utf8_lossy(dob.digits()).into_owned();
        keys.insert(format!("dob:{digits}"));
        let year = dob.date().year();
        let families = record
            .family_name()
            .into_iter()
            .chain(record.previous_family_names());
        for family in families {
            for code in family_codes(family) {
                keys.insert(format!("fy:{code}:{year}"));
            }
        }
    }
    if let (Some(given), Some(family)) = (record.first_given_name(), record.family_name()) {
        let g = primary_code(given.phonetic());
        let f = primary_code(family.full().phonetic());
        if let (Some(g), Some(f)) = (g, f) {
            let (first, second) = if g <= f { (g, f) } else { (f, g) };
            keys.insert(format!("gf:{first}:{second}"));
        }
    }
    if let (Some(address), Some(given)) = (record.address(), record.first_given_name()) {
        // The same house on the same street, without the postcode (missing or mistyped).
        if let (Some(number), Some(word), Some(initial)) = (
            address.numbers().iter().find(|n| !n.starts_with('F')),
            address.main_word(),
            given.text().chars().next(),
        ) {
            keys.insert(format!("ad:{number}:{word}:{initial}"));
        }
    }
    if let (Some(postcode), Some(given)) = (record.postcode(), record.first_given_name()) {
        if postcode.inward.is_some() {
            if let Some(initial) = given.text().chars().next() {
                keys.insert(format!("pc:{}:{initial}", postcode.compact()));
            }
        }
    }
    keys.into_iter().collect()
}

/// The keys pairing within one file uses (`persons match --dedupe`, the likely-duplicates
/// report): the search keys of [`blocking_keys`] and two more, for records the search keys
/// leave with too few to be found by when a second error strikes (a person recorded three or
/// four times gives pairs of two records each with its own errors):
///
/// | key | shared despite |
/// |---|---|
/// | `hf:` full postcode + sound of the family name | a blank given name **and** a blank or wrong date of birth, at the same address |
/// | `fmd:` sound of the family name + day and month of birth | a wrong year of birth with a changed given name and a move |
///
/// Search does not store these (its stored keys stay as they are, with no migration), and
/// linking two files does not use them: its true pairs already share a search key 99.5% of
/// the time, and these keys add a household's other members to every record's candidates.
/// A third (sound of the given name + year of birth) was measured and left out: 40% more
/// pairs compared for 0.15% more true pairs.
pub fn pairing_keys(record: &MatchRecord) -> Vec<String> {
    let mut keys: BTreeSet<String> = blocking_keys(record).into_iter().collect();
    let family = record
        .family_name()
        .and_then(|f| primary_code(f.full().phonetic()));
    if let (Some(postcode), Some(family)) = (record.postcode(), &family) {
        if postcode.inward.is_some() {
            keys.insert(format!("hf:{}:{family}", postcode.compact()));
        }
    }
    if let (Some(dob), Some(family)) = (record.date_of_birth(), &family) {
        let date = dob.date();
        keys.insert(format!("fmd:{family}:{:02}{:02}", date.month(), date.day()));
    }
    keys.into_iter().collect()
}

fn primary_code(key: &PhoneticKey) -> Option<String> {
    let code = key.primary();
    (!code.is_empty()).then(|| code.as_str().to_string())
}

/// The distinct phonetic codes of a family name and of each of its parts.
fn family_codes(family: &FamilyName) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for form in family.forms() {
        for code in [form.phonetic().primary(), form.phonetic().alternate()] {
            if !code.is_empty() {
                codes.insert(code.as_str().to_string());
            }
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::record::PersonDetails;
    use chrono::NaiveDate;

    fn person() -> PersonDetails {
        PersonDetails {
            given_names: "Olivia Grace".into(),
            family_name: "Smith-Jones".into(),
            previous_family_names: vec!["Walker".into()],
            date_of_birth: NaiveDate::from_ymd_opt(2014, 3, 12),
            sex: None,
            postcode: Some("LS6 2AB".into()),
            nhs_number: Some("9434765919".into()),
            la_person_id: None,
            upn: None,
            other_id: Some("hx 0042".into()),
            date_of_birth_read_swapped: false,
            address: None,
        }
    }

    #[test]
    fn keys_cover_each_field() {
        let keys = blocking_keys(&MatchRecord::new(&person()));
        for expected in [
            "nhs:9434765919",
            "dob:20140312",
            "fy:SM0:2014",
            "fy:JNS:2014",
            "fy:ALKR:2014",
            "pc:LS62AB:O",
            "oid:HX0042",
        ] {
            assert!(keys.iter().any(|k| k == expected), "{expected} in {keys:?}");
        }
        assert!(keys.iter().any(|k| k.starts_with("gf:")), "{keys:?}");
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, keys);
    }

    fn shares_a_key(a: &[String], b: &[String]) -> bool {
        a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn pairing_keys_find_a_record_with_a_blank_given_name_and_date_of_birth() {
        let full = MatchRecord::new(&PersonDetails {
            nhs_number: None,
            other_id: None,
            ..person()
        });
        // No given name, no date of birth, a family name typed differently (same sound).
        let sparse = MatchRecord::new(&PersonDetails {
            given_names: String::new(),
            family_name: "Smyth-Jones".into(),
            previous_family_names: vec![],
            date_of_birth: None,
            nhs_number: None,
            other_id: None,
            ..person()
        });
        assert!(!shares_a_key(
            &blocking_keys(&full),
            &blocking_keys(&sparse)
        ));
        assert!(shares_a_key(&pairing_keys(&full), &pairing_keys(&sparse)));
    }

    #[test]
    fn pairing_keys_find_a_wrong_year_with_a_changed_given_name_after_a_move() {
        let full = MatchRecord::new(&PersonDetails {
            nhs_number: None,
            other_id: None,
            previous_family_names: vec![],
            ..person()
        });
        let moved = MatchRecord::new(&PersonDetails {
            given_names: "Grace".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2015, 3, 12),
            postcode: Some("BD1 1AA".into()),
            nhs_number: None,
            other_id: None,
            previous_family_names: vec![],
            ..person()
        });
        assert!(!shares_a_key(&blocking_keys(&full), &blocking_keys(&moved)));
        assert!(shares_a_key(&pairing_keys(&full), &pairing_keys(&moved)));
        // Every search key is a pairing key.
        let pairing = pairing_keys(&full);
        assert!(blocking_keys(&full).iter().all(|k| pairing.contains(k)));
    }

    #[test]
    fn blank_record_has_no_keys() {
        assert!(blocking_keys(&MatchRecord::new(&PersonDetails::default())).is_empty());
    }
}
