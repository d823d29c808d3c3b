//! Person matching scenarios: each error type the front door meets, the true record against
//! plausible non-matches (brothers and sisters at the same address, twins, namesakes), the
//! blocking keys' recall, and properties of the score.

mod blocking;
mod properties;
mod reports;
mod scenarios;

use chrono::NaiveDate;
use frontdoor_domain::matching::{
    compare, MatchBand, MatchExplanation, MatchModel, MatchRecord, PersonDetails,
};
use frontdoor_domain::person::Sex;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Olivia Grace Smith, the child the front door is asked about.
fn olivia() -> PersonDetails {
    PersonDetails {
        given_names: "Olivia Grace".into(),
        family_name: "Smith".into(),
        previous_family_names: vec![],
        date_of_birth: Some(date(2014, 3, 12)),
        sex: Some(Sex::Female),
        postcode: Some("LS6 2AB".into()),
        nhs_number: Some("943 476 5919".into()),
        la_person_id: None,
        upn: None,
        other_id: None,
        date_of_birth_read_swapped: false,
        address: None,
    }
}

fn person(given: &str, family: &str, dob: NaiveDate, sex: Sex, postcode: &str) -> PersonDetails {
    PersonDetails {
        given_names: given.into(),
        family_name: family.into(),
        date_of_birth: Some(dob),
        sex: Some(sex),
        postcode: Some(postcode.into()),
        ..Default::default()
    }
}

/// People who are not Olivia but look like her: her household, namesakes and a child born the
/// same day.
fn look_alikes() -> Vec<(&'static str, PersonDetails)> {
    vec![
        (
            "twin sister",
            person("Sophie", "Smith", date(2014, 3, 12), Sex::Female, "LS6 2AB"),
        ),
        (
            "twin brother",
            person("Oliver", "Smith", date(2014, 3, 12), Sex::Male, "LS6 2AB"),
        ),
        (
            "younger brother",
            person("Jack", "Smith", date(2016, 7, 2), Sex::Male, "LS6 2AB"),
        ),
        (
            "older sister",
            person(
                "Amelia",
                "Smith",
                date(2011, 11, 20),
                Sex::Female,
                "LS6 2AB",
            ),
        ),
        (
            "sister born a year later on the same day",
            person("Isla", "Smith", date(2015, 3, 12), Sex::Female, "LS6 2AB"),
        ),
        (
            "mother",
            person("Karen", "Smith", date(1986, 6, 1), Sex::Female, "LS6 2AB"),
        ),
        (
            "namesake in another city",
            person("Olivia", "Smith", date(2013, 9, 30), Sex::Female, "M1 1AE"),
        ),
        (
            "classmate born the same day",
            person("Olivia", "Jones", date(2014, 3, 12), Sex::Female, "LS6 4QT"),
        ),
    ]
}

fn record(details: &PersonDetails) -> MatchRecord {
    MatchRecord::new(details)
}

fn describe(e: &MatchExplanation) -> String {
    format!("score {:.1}\n  {}", e.score, e.lines().join("\n  "))
}

/// The query against the true record and every look-alike: the true record must rank first
/// and be a confident match; no look-alike may be confident.
fn assert_finds_olivia(query: &PersonDetails, on_file: &PersonDetails, model: &MatchModel) {
    let q = record(query);
    let truth = compare(&q, &record(on_file), model);
    assert_eq!(
        truth.band(model),
        MatchBand::Confident,
        "the true record is not a confident match: {}",
        describe(&truth)
    );
    for (who, details) in look_alikes() {
        let other = compare(&q, &record(&details), model);
        assert_eq!(
            truth.rank_cmp(&other),
            std::cmp::Ordering::Less,
            "the {who} ranks with or above the true record:\ntrue: {}\n{who}: {}",
            describe(&truth),
            describe(&other)
        );
        assert_ne!(
            other.band(model),
            MatchBand::Confident,
            "the {who} is a confident match: {}",
            describe(&other)
        );
    }
}

/// Queries below carry no NHS number unless they say so: a confirmed NHS number would decide
/// every case on its own.
fn without_ids(mut details: PersonDetails) -> PersonDetails {
    details.nhs_number = None;
    details
}
