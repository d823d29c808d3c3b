//! The synthetic authority and the labelled duplicates: determinism, and distributions within
//! tolerance of the figures they are built to. Run with `--nocapture` to see the measurements.

use chrono::{TimeZone, Utc};
use frontdoor_domain::decision::ThresholdOutcome;
use frontdoor_domain::person::{NhsNumber, Postcode, Upn};
use frontdoor_synthetic::{
    duplicate_test_set, linkage_test_set, source_group, write_labelled_person_csv, write_truth_csv,
    AuthorityConfig, HouseholdRole, RecordError, SyntheticAuthority, SyntheticContact,
    PERSON_CSV_HEADER,
};
use std::collections::{BTreeMap, HashMap, HashSet};

fn config(seed: u64, contacts_per_year: u32, years: u32) -> AuthorityConfig {
    let as_of = Utc
        .with_ymd_and_hms(2026, 3, 2, 12, 0, 0)
        .single()
        .expect("valid instant");
    AuthorityConfig::new(seed, contacts_per_year, years, as_of)
}

fn one_year(seed: u64, contacts: u32) -> Vec<SyntheticContact> {
    SyntheticAuthority::new(config(seed, contacts, 1)).collect()
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[test]
fn the_same_seed_gives_the_same_authority() {
    let a = one_year(11, 1_500);
    let b = one_year(11, 1_500);
    assert_eq!(format!("{a:?}"), format!("{b:?}"), "same seed, same output");
    let c = one_year(12, 1_500);
    assert_ne!(
        format!("{a:?}"),
        format!("{c:?}"),
        "another seed, another authority"
    );
}

#[test]
fn the_same_seed_gives_the_same_duplicates_file() {
    let write = |seed| {
        let (records, _) = duplicate_test_set(seed, 2_000, 0.3);
        let mut people = Vec::new();
        let mut truth = Vec::new();
        write_labelled_person_csv(&mut people, &records).expect("write to memory");
        write_truth_csv(&mut truth, &records).expect("write to memory");
        (people, truth)
    };
    assert_eq!(write(5), write(5));
    assert_ne!(write(5).0, write(6).0);
}

#[test]
fn a_year_has_the_contacts_asked_for_in_order_and_before_as_of() {
    let cfg = config(3, 4_000, 2);
    let contacts: Vec<_> = SyntheticAuthority::new(cfg.clone()).collect();
    assert_eq!(contacts.len() as u64, cfg.total_contacts());
    assert!(contacts
        .windows(2)
        .all(|w| w[0].received_at <= w[1].received_at));
    assert!(contacts
        .iter()
        .all(|c| c.received_at < cfg.as_of && c.recorded_at >= c.received_at));
    for c in &contacts {
        assert!(!c.subjects.is_empty());
        assert!(
            c.subjects.iter().any(|s| s.is_child),
            "every contact is about a child"
        );
        assert!(c.concern_summary.len() >= 10);
        if let Some(d) = &c.decision {
            assert!(d.rationale.chars().count() >= 20);
            assert!(d.recommended_at > c.recorded_at);
            if let Some(a) = &d.authorisation {
                assert!(a.at > d.recommended_at && a.at < cfg.as_of);
            }
        }
    }
}

#[test]
fn distributions_are_within_tolerance() {
    let contacts = one_year(2026, 6_000);
    let total = contacts.len();

    // Sources.
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &contacts {
        *groups.entry(source_group(c.source)).or_default() += 1;
    }
    println!("source mix ({total} contacts):");
    for (group, n) in &groups {
        println!("  {group:<20} {:5.1}%", 100.0 * share(*n, total));
    }
    let group = |name: &str| share(groups.get(name).copied().unwrap_or(0), total);
    assert!(
        (0.25..=0.31).contains(&group("police")),
        "police {}",
        group("police")
    );
    assert!(
        (0.155..=0.205).contains(&group("schools")),
        "schools {}",
        group("schools")
    );
    assert!(
        (0.12..=0.16).contains(&group("health")),
        "health {}",
        group("health")
    );
    assert!(
        (0.08..=0.12).contains(&group("local authority")),
        "LA {}",
        group("local authority")
    );
    assert!(
        (0.06..=0.10).contains(&group("individual")),
        "individual {}",
        group("individual")
    );
    assert!(
        (0.02..=0.04).contains(&group("anonymous")),
        "anonymous {}",
        group("anonymous")
    );

    // Out of hours, by the time received.
    let ooh = share(contacts.iter().filter(|c| c.out_of_hours).count(), total);
    println!("out of hours: {:.1}%", 100.0 * ooh);
    assert!((0.22..=0.28).contains(&ooh), "out of hours {ooh}");

    // Outcomes (decided contacts).
    let decided: Vec<_> = contacts
        .iter()
        .filter_map(|c| c.decision.as_ref())
        .collect();
    let outcome = |o: ThresholdOutcome| {
        share(
            decided.iter().filter(|d| d.outcome == o).count(),
            decided.len(),
        )
    };
    let nfa_or_advice = outcome(ThresholdOutcome::NoFurtherAction)
        + outcome(ThresholdOutcome::InformationAndAdvice);
    println!(
        "outcomes: NFA/advice {:.1}%, signpost {:.1}%, early help {:.1}%, referral {:.1}%, strategy discussion {:.1}%",
        100.0 * nfa_or_advice,
        100.0 * outcome(ThresholdOutcome::Signpost),
        100.0 * outcome(ThresholdOutcome::EarlyHelp),
        100.0 * outcome(ThresholdOutcome::ReferralForAssessment),
        100.0 * outcome(ThresholdOutcome::StrategyDiscussion)
    );
    assert!((0.37..=0.43).contains(&nfa_or_advice));
    assert!((0.17..=0.23).contains(&outcome(ThresholdOutcome::EarlyHelp)));
    assert!((0.27..=0.33).contains(&outcome(ThresholdOutcome::ReferralForAssessment)));
    assert!((0.06..=0.10).contains(&outcome(ThresholdOutcome::StrategyDiscussion)));

    // Re-referrals within 12 months.
    let referrals: Vec<_> = contacts.iter().flat_map(|c| c.referrals.iter()).collect();
    let re = share(
        referrals.iter().filter(|r| r.is_re_referral).count(),
        referrals.len(),
    );
    println!(
        "referrals: {}, re-referrals {:.1}%",
        referrals.len(),
        100.0 * re
    );
    assert!((0.18..=0.26).contains(&re), "re-referral share {re}");

    // Repeated assessments: some children assessed twice or more in 12 months.
    let mut assessed: HashMap<u32, Vec<chrono::NaiveDate>> = HashMap::new();
    for a in contacts.iter().flat_map(|c| c.assessments.iter()) {
        assessed.entry(a.child.0).or_default().push(a.started_on);
    }
    let repeated = assessed
        .values()
        .filter(|dates| {
            dates
                .iter()
                .any(|d| frontdoor_domain::history::count_in_last_twelve_months(*d, dates) >= 2)
        })
        .count();
    let most = assessed.values().map(Vec::len).max().unwrap_or(0);
    println!(
        "assessments: {} children assessed, {repeated} of them twice or more within 12 months (most: {most})",
        assessed.len()
    );
    assert!(repeated > 0 && repeated < assessed.len() / 2);

    // Repeat contacts about known families.
    let repeat = share(
        contacts
            .iter()
            .filter(|c| c.new_household.is_none())
            .count(),
        total,
    );
    println!(
        "contacts about an already known household: {:.1}%",
        100.0 * repeat
    );
    assert!((0.2..=0.55).contains(&repeat));
}

#[test]
fn people_and_households_look_real() {
    let contacts = one_year(7, 3_000);
    let households: Vec<_> = contacts
        .iter()
        .filter_map(|c| c.new_household.as_ref())
        .collect();
    let people: Vec<_> = households.iter().flat_map(|h| h.people.iter()).collect();
    assert!(households.len() > 1_000);

    let mut keys = HashSet::new();
    let mut nhs = HashSet::new();
    let mut ethnicities: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &people {
        assert!(keys.insert(p.key), "person keys are unique");
        if let Some(n) = &p.nhs_number {
            assert!(n.as_str().starts_with("999"), "test range");
            assert!(NhsNumber::parse(n.as_str()).is_ok(), "valid check digit");
            assert!(nhs.insert(n.as_str().to_string()), "NHS numbers are unique");
        }
        if let Some(u) = &p.upn {
            assert!(Upn::parse(u.as_str()).is_ok());
        }
        *ethnicities.entry(p.ethnicity.code()).or_default() += 1;
    }
    for h in &households {
        assert!(Postcode::parse(h.address.postcode.as_str()).is_ok());
        assert!(h.address.postcode.as_str().starts_with("NS"));
        let adults = h.adults().count();
        let children = h.children().count();
        assert!((1..=2).contains(&adults) && (1..=5).contains(&children));
        for adult in h.adults() {
            for child in h.children() {
                assert!(
                    adult.birth_date < child.birth_date,
                    "parents are older than their children"
                );
            }
        }
        let first_day = h_first_day(&contacts, h.key);
        for p in &h.people {
            assert_eq!(
                p.role == HouseholdRole::Child,
                p.is_child_on(first_day),
                "{p:?} on {first_day}"
            );
        }
    }
    println!(
        "ethnicity codes of {} people: {ethnicities:?}",
        people.len()
    );
    assert!(ethnicities.len() >= 12, "names and codes of many origins");
    assert!(share(*ethnicities.get("WBRI").unwrap_or(&0), people.len()) > 0.5);

    // Siblings mostly share a family name, but not always.
    let mut sibling_sets = 0;
    let mut all_same = 0;
    for h in &households {
        let names: HashSet<&str> = h.children().map(|c| c.family_name.as_str()).collect();
        if h.children().count() >= 2 {
            sibling_sets += 1;
            if names.len() == 1 {
                all_same += 1;
            }
        }
    }
    let same = share(all_same, sibling_sets);
    println!(
        "sibling groups sharing one family name: {:.1}%",
        100.0 * same
    );
    assert!((0.7..0.97).contains(&same));
    let with_previous = share(
        people
            .iter()
            .filter(|p| !p.previous_family_names.is_empty())
            .count(),
        people.len(),
    );
    println!(
        "people with a previous family name: {:.1}%",
        100.0 * with_previous
    );
    assert!(with_previous > 0.05);
    let non_ascii = people
        .iter()
        .filter(|p| !p.given_name.is_ascii() || !p.family_name.is_ascii())
        .count();
    assert!(non_ascii > 0, "some names keep their own letters");
}

fn h_first_day(
    contacts: &[SyntheticContact],
    household: frontdoor_synthetic::HouseholdKey,
) -> chrono::NaiveDate {
    contacts
        .iter()
        .find(|c| c.household == household)
        .map(|c| frontdoor_synthetic::london_date(c.received_at))
        .unwrap_or_default()
}

#[test]
fn duplicates_are_labelled_with_their_errors() {
    let (records, truth) = duplicate_test_set(99, 5_000, 0.25);
    assert_eq!(truth.people(), 5_000);
    let originals = records.iter().filter(|r| r.original).count();
    assert_eq!(originals, 5_000);
    let duplicates = records.len() - originals;
    let duplicated_people = share(
        records
            .iter()
            .filter(|r| !r.original)
            .map(|r| r.truth)
            .collect::<HashSet<_>>()
            .len(),
        5_000,
    );
    println!(
        "{} records, {duplicates} duplicates, {:.1}% of people duplicated, {} true pairs",
        records.len(),
        100.0 * duplicated_people,
        truth.pair_count()
    );
    assert!((0.22..=0.28).contains(&duplicated_people));
    assert!(truth.pair_count() >= duplicates as u64);

    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in records.iter().flat_map(|r| r.errors.iter()) {
        *kinds.entry(e.code()).or_default() += 1;
    }
    println!("errors: {kinds:?}");
    for wanted in [
        RecordError::GivenNameTypo,
        RecordError::FamilyNameTypo,
        RecordError::GivenNamePhonetic,
        RecordError::Nickname,
        RecordError::DoubleBarrelled,
        RecordError::NamesSwapped,
        RecordError::PreviousFamilyName,
        RecordError::DayMonthSwapped,
        RecordError::DateDigitWrong,
        RecordError::NhsDigitWrong,
        RecordError::Moved,
    ] {
        assert!(
            kinds.contains_key(wanted.code()),
            "{} missing",
            wanted.code()
        );
    }

    // Every record's truth is consistent, ids are unique, and originals hold the true details.
    let ids: HashSet<&str> = records.iter().map(|r| r.record.id.as_str()).collect();
    assert_eq!(ids.len(), records.len());
    for r in &records {
        assert_eq!(truth.person_of(&r.record.id), Some(r.truth));
        if r.original {
            assert!(r.errors.is_empty());
            if let Some(n) = &r.record.nhs_number {
                assert!(NhsNumber::parse(n).is_ok());
            }
        }
        if let Some(p) = &r.record.postcode {
            assert!(Postcode::parse(p.as_str()).is_ok());
        }
    }
    let pairs = truth.pairs();
    assert_eq!(pairs.len() as u64, truth.pair_count());
    assert!(pairs.iter().all(|(a, b)| truth.same_person(a, b)));
}

#[test]
fn duplicates_csv_has_the_import_columns() {
    let (records, _) = duplicate_test_set(1, 300, 0.3);
    let mut out = Vec::new();
    write_labelled_person_csv(&mut out, &records).expect("write to memory");
    let text = String::from_utf8(out).expect("UTF-8");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(PERSON_CSV_HEADER));
    let columns = PERSON_CSV_HEADER.split(',').count();
    for line in lines {
        // No field holds a comma, so a plain split is enough here.
        assert_eq!(line.split(',').count(), columns, "{line}");
    }
    assert!(
        text.contains(';')
            || records
                .iter()
                .all(|r| r.record.previous_family_names.len() < 2)
    );
}

#[test]
fn linkage_files_overlap_as_asked() {
    let set = linkage_test_set(4, 2_000, 0.6);
    assert_eq!(set.left.len(), 2_000);
    assert_eq!(set.right.len(), 2_000);
    let left_people: HashSet<_> = set.left.iter().map(|r| r.truth).collect();
    let shared = set
        .right
        .iter()
        .filter(|r| left_people.contains(&r.truth))
        .count();
    assert_eq!(shared, 1_200);
    assert_eq!(set.truth.pair_count(), 1_200);
}

/// A sentence that has a child or young person speak: disclose, say, describe, tell or ask.
fn child_speaks(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    let speech = [
        "disclos",
        "says",
        "said",
        "describes",
        "told",
        "would not say",
        "asked",
    ];
    (lower.contains("child") || lower.contains("young person"))
        && speech.iter().any(|w| lower.contains(w))
}

#[test]
fn the_history_wording_fits_each_childs_age() {
    let contacts = one_year(21, 3_000);
    let mut babies = 0;
    let mut speaking_older = 0;
    for contact in &contacts {
        let on = frontdoor_synthetic::london_date(contact.received_at);
        let youngest = contact
            .subjects
            .iter()
            .filter(|s| s.is_child)
            .filter_map(|s| s.described.birth_date)
            .filter_map(|born| on.years_since(born))
            .min();
        let text = format!("{}. {}", contact.concern_summary, contact.consent_notes);
        let speaks = text.split(". ").any(child_speaks);
        match youngest {
            Some(age) if age < frontdoor_synthetic::SPEAKING_AGE_YEARS => {
                babies += 1;
                assert!(
                    !speaks,
                    "contact {} about a child of {age} has them speak: {text}",
                    contact.number
                );
                assert!(!text.to_lowercase().contains("young person"), "{text}");
            }
            Some(_) if speaks => speaking_older += 1,
            _ => {}
        }
    }
    // Both kinds are in the year, so the check above checked something.
    assert!(babies > 100, "{babies} contacts about a child under 3");
    assert!(speaking_older > 20, "{speaking_older} older children speak");
    assert!(!frontdoor_synthetic::suits_age(
        "Child disclosed being hit with a belt by a parent",
        2
    ));
    assert!(frontdoor_synthetic::is_speech(
        "Child says they are scared to go home because of the arguments"
    ));
}
