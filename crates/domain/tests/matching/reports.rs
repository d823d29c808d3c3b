//! Ignored reports: the speed of comparison and the scenario score table.

use super::properties::models;
use super::{date, look_alikes, olivia, person, record, without_ids};
use frontdoor_domain::matching::{compare, MatchModel, MatchRecord, PersonDetails};
use frontdoor_domain::person::Sex;

/// A speed check, run in release mode:
/// `cargo test --release -p frontdoor-domain --test matching -- --ignored --nocapture`.
#[test]
#[ignore = "timing: run in release mode"]
fn compare_speed() {
    for (name, model) in ["default model", "with name frequencies"]
        .iter()
        .zip(models())
    {
        time_comparisons(name, &model);
    }
}

fn time_comparisons(name: &str, model: &MatchModel) {
    let query = record(&PersonDetails {
        given_names: "Liv".into(),
        family_name: "Smiht".into(),
        date_of_birth: Some(date(2014, 12, 3)),
        ..olivia()
    });
    let mut candidates: Vec<MatchRecord> = look_alikes().iter().map(|(_, d)| record(d)).collect();
    candidates.push(record(&olivia()));
    let rounds = 200_000;
    let start = std::time::Instant::now();
    let mut total = 0.0;
    for _ in 0..rounds {
        for c in &candidates {
            total += compare(&query, c, model).score;
        }
    }
    let elapsed = start.elapsed();
    let pairs = rounds * candidates.len();
    println!(
        "{name}: {pairs} comparisons in {elapsed:?}: {:.0} ns a pair (checksum {total:.0})",
        elapsed.as_nanos() as f64 / pairs as f64
    );
}

/// The scores of the scenarios above, for the documentation:
/// `cargo test -p frontdoor-domain --test matching -- --ignored --nocapture scenario_table`.
#[test]
#[ignore = "prints a table"]
fn scenario_table() {
    let model = MatchModel::default();
    let prior = model.parameters().prior_match_probability;
    let on_file = PersonDetails {
        previous_family_names: vec!["Walker".into()],
        ..olivia()
    };
    let q = without_ids(olivia());
    let mut rows: Vec<(&str, PersonDetails)> = vec![
        ("same details, no NHS number", q.clone()),
        ("same details with NHS number", olivia()),
        (
            "nickname (Liv)",
            PersonDetails {
                given_names: "Liv".into(),
                ..q.clone()
            },
        ),
        (
            "family name typo (Smitj)",
            PersonDetails {
                family_name: "Smitj".into(),
                ..q.clone()
            },
        ),
        (
            "previous family name (Walker), moved",
            PersonDetails {
                family_name: "Walker".into(),
                postcode: Some("LS16 5QR".into()),
                ..q.clone()
            },
        ),
        (
            "names swapped",
            PersonDetails {
                given_names: "Smith".into(),
                family_name: "Olivia".into(),
                ..q.clone()
            },
        ),
        (
            "day and month swapped",
            PersonDetails {
                date_of_birth: Some(date(2014, 12, 3)),
                ..q.clone()
            },
        ),
        (
            "digit wrong in date of birth",
            PersonDetails {
                date_of_birth: Some(date(2014, 3, 18)),
                ..q.clone()
            },
        ),
        (
            "moved house",
            PersonDetails {
                postcode: Some("LS16 5QR".into()),
                ..q.clone()
            },
        ),
        (
            "given name, DOB, postcode only",
            PersonDetails {
                given_names: "Olivia".into(),
                date_of_birth: Some(date(2014, 3, 12)),
                postcode: Some("LS6 2AB".into()),
                ..Default::default()
            },
        ),
        (
            "NHS number one digit wrong, names only",
            PersonDetails {
                given_names: "Olivia".into(),
                family_name: "Smith".into(),
                nhs_number: Some("9434765918".into()),
                ..Default::default()
            },
        ),
    ];
    for (who, details) in look_alikes() {
        rows.push((who, details));
    }
    println!("| compared with Olivia's record | score (bits) | band | probability at prior 1e-6 |");
    println!("|---|---:|---|---:|");
    for (who, details) in rows {
        let e = compare(&record(&details), &record(&on_file), &model);
        println!(
            "| {who} | {:.1} | {:?} | {:.3} |",
            e.score,
            e.band(&model),
            e.probability(prior)
        );
    }
    println!();
    let liv = PersonDetails {
        given_names: "Liv".into(),
        ..q.clone()
    };
    for line in compare(&record(&liv), &record(&on_file), &model).lines() {
        println!("{line}");
    }
    println!();
    println!("Hard cases:");
    let daniel = person("Daniel", "Smith", date(2014, 3, 12), Sex::Male, "LS6 2AB");
    let daniela = person(
        "Daniela",
        "Smith",
        date(2014, 3, 12),
        Sex::Female,
        "LS6 2AB",
    );
    let father = person("John", "Smith", date(1984, 5, 2), Sex::Male, "LS6 2AB");
    let son = person("John", "Smith", date(2014, 3, 12), Sex::Male, "LS6 2AB");
    for (what, a, b) in [
        ("twins Daniel and Daniela", daniel, daniela),
        ("father and son both John Smith", father, son),
    ] {
        let e = compare(&record(&a), &record(&b), &model);
        println!(
            "| {what} | {:.1} | {:?} | {:.3} |",
            e.score,
            e.band(&model),
            e.probability(prior)
        );
    }
}
