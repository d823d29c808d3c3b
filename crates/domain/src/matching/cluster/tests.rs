use super::*;
use crate::matching::record::PersonDetails;
use crate::person::Sex;
use chrono::NaiveDate;
use proptest::prelude::*;

fn person(given: &str, family: &str, born: (i32, u32, u32), sex: Sex) -> PersonDetails {
    PersonDetails {
        given_names: given.into(),
        family_name: family.into(),
        date_of_birth: NaiveDate::from_ymd_opt(born.0, born.1, born.2),
        sex: Some(sex),
        postcode: Some("LS6 2AB".into()),
        ..Default::default()
    }
}

fn records(details: &[PersonDetails]) -> Vec<MatchRecord> {
    details.iter().map(MatchRecord::new).collect()
}

/// Every pair of the records, scored, as a caller passes them.
fn all_pairs(records: &[MatchRecord], model: &MatchModel) -> Vec<(u32, u32, f64)> {
    let mut pairs = Vec::new();
    for i in 0..records.len() {
        for j in i + 1..records.len() {
            let score = compare_within_one_system(&records[i], &records[j], model).score;
            pairs.push((i as u32, j as u32, score));
        }
    }
    pairs
}

fn groups_of(details: &[PersonDetails], threshold: f64) -> Vec<Vec<u32>> {
    let model = MatchModel::default();
    let records = records(details);
    let pairs = all_pairs(&records, &model);
    group_records(
        &records,
        &pairs,
        &model,
        threshold,
        &GroupOptions::default(),
    )
}

const THRESHOLD: f64 = 15.0;

#[test]
fn a_person_recorded_three_times_is_one_group_with_every_pair() {
    let model = MatchModel::default();
    let olivia = person("Olivia", "Smith", (2014, 3, 12), Sex::Female);
    let nickname_and_moved = PersonDetails {
        given_names: "Liv".into(),
        postcode: Some("LS7 4QQ".into()),
        ..olivia.clone()
    };
    let typo_and_swapped_date = PersonDetails {
        family_name: "Smiht".into(),
        date_of_birth: NaiveDate::from_ymd_opt(2014, 12, 3),
        ..olivia.clone()
    };
    let details = [olivia, nickname_and_moved, typo_and_swapped_date];
    let rs = records(&details);
    // The two later records, each with its own errors, score below the threshold together...
    let later = compare_within_one_system(&rs[1], &rs[2], &model).score;
    assert!(later < THRESHOLD, "{later}");
    // ... but each matches the first, so the group holds all three, and every pair.
    let groups = groups_of(&details, THRESHOLD);
    assert_eq!(groups, vec![vec![0, 1, 2]]);
    let pairs = pairs_in_groups(&rs, &groups, &model);
    let ids: Vec<(u32, u32)> = pairs.iter().map(|(i, j, _)| (*i, *j)).collect();
    assert_eq!(ids, vec![(0, 1), (0, 2), (1, 2)]);
    assert!(
        (pairs[2].2 - later).abs() < 1e-9,
        "each pair keeps its own score"
    );
}

#[test]
fn twins_are_kept_apart() {
    let model = MatchModel::default();
    let olivia = person("Olivia", "Smith", (2014, 3, 12), Sex::Female);
    let sophie = person("Sophie", "Smith", (2014, 3, 12), Sex::Female);
    let rs = records(&[olivia.clone(), sophie.clone()]);
    assert_eq!(conflict(&rs[0], &rs[1]), Some(Conflict::Twins));
    // Even at a threshold their score passes, they are not one person.
    let score = compare_within_one_system(&rs[0], &rs[1], &model).score;
    assert!(groups_of(&[olivia.clone(), sophie.clone()], score - 1.0).is_empty());
    // Each twin's own duplicate still joins her, and only her.
    let olivia_again = PersonDetails {
        given_names: "Olivia Grace".into(),
        ..olivia.clone()
    };
    let sophie_again = PersonDetails {
        given_names: "Sophie Anne".into(),
        sex: None,
        ..sophie.clone()
    };
    let groups = groups_of(&[olivia, sophie, olivia_again, sophie_again], 12.0);
    assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
}

#[test]
fn opposite_sex_twins_with_one_name_in_two_forms_are_kept_apart() {
    let daniel = person("Daniel", "Smith", (2014, 3, 12), Sex::Male);
    let daniela = person("Daniela", "Smith", (2014, 3, 12), Sex::Female);
    let rs = records(&[daniel.clone(), daniela.clone()]);
    assert_eq!(conflict(&rs[0], &rs[1]), Some(Conflict::Twins));
    assert!(groups_of(&[daniel, daniela], 12.0).is_empty());
}

#[test]
fn a_father_and_son_of_one_name_are_kept_apart() {
    let model = MatchModel::default();
    let father = person("John", "Smith", (1985, 6, 1), Sex::Male);
    let son = person("John", "Smith", (2012, 9, 20), Sex::Male);
    let rs = records(&[father.clone(), son.clone()]);
    assert_eq!(conflict(&rs[0], &rs[1]), Some(Conflict::AGenerationApart));
    let score = compare_within_one_system(&rs[0], &rs[1], &model).score;
    assert!(
        score > 12.0,
        "same name at one address: a strong pair ({score})"
    );
    assert!(groups_of(&[father, son], 12.0).is_empty());
}

#[test]
fn different_nhs_numbers_conflict_unless_an_identifier_agrees() {
    let with_nhs = |n: &str| PersonDetails {
        nhs_number: Some(n.into()),
        ..person("Olivia", "Smith", (2014, 3, 12), Sex::Female)
    };
    let rs = records(&[with_nhs("9434765919"), with_nhs("4010232137")]);
    assert_eq!(
        conflict(&rs[0], &rs[1]),
        Some(Conflict::DifferentNhsNumbers)
    );
    // One mistyped digit is a typing error, not another person.
    let rs = records(&[with_nhs("9434765919"), with_nhs("9434765918")]);
    assert_eq!(conflict(&rs[0], &rs[1]), None);
    // The same other system's key settles it, even for twins' details.
    let keyed = |given: &str| PersonDetails {
        other_id: Some("HX-1".into()),
        ..person(given, "Smith", (2014, 3, 12), Sex::Female)
    };
    let rs = records(&[keyed("Olivia"), keyed("Sophie")]);
    assert_eq!(conflict(&rs[0], &rs[1]), None);
}

#[test]
fn a_look_alike_joins_only_when_the_whole_group_agrees() {
    // A namesake born the same day scores above the threshold with one record of Olivia, but
    // far below it with her other record (which carries her NHS number and another postcode).
    let model = MatchModel::default();
    let olivia = person("Olivia", "Smith", (2014, 3, 12), Sex::Female);
    let olivia_elsewhere = PersonDetails {
        postcode: Some("BD1 1AA".into()),
        ..olivia.clone()
    };
    let namesake = PersonDetails {
        family_name: "Smithe".into(),
        sex: None,
        postcode: Some("BD1 1AA".into()),
        date_of_birth: NaiveDate::from_ymd_opt(2015, 3, 12),
        ..olivia.clone()
    };
    let rs = records(&[olivia.clone(), olivia_elsewhere.clone(), namesake.clone()]);
    let with_first = compare_within_one_system(&rs[0], &rs[2], &model).score;
    let with_second = compare_within_one_system(&rs[1], &rs[2], &model).score;
    let threshold = with_first.min(with_second) - 0.5;
    let first_pair = compare_within_one_system(&rs[0], &rs[1], &model).score;
    assert!(first_pair >= threshold);
    // Joined one by one, the namesake would follow; joined as a group, she must score well
    // with both records on average.
    let model_records = records(&[olivia, olivia_elsewhere, namesake]);
    let pairs = all_pairs(&model_records, &model);
    let options = GroupOptions {
        edge_margin: 0.0,
        ..GroupOptions::default()
    };
    let groups = group_records(&model_records, &pairs, &model, threshold, &options);
    let average = (with_first + with_second) / 2.0;
    if average >= threshold {
        assert_eq!(groups, vec![vec![0, 1, 2]]);
    } else {
        assert_eq!(groups, vec![vec![0, 1]]);
    }
}

#[test]
fn groups_never_exceed_the_largest_size() {
    let model = MatchModel::default();
    let details: Vec<PersonDetails> = (0..6)
        .map(|_| person("Olivia", "Smith", (2014, 3, 12), Sex::Female))
        .collect();
    let rs = records(&details);
    let pairs = all_pairs(&rs, &model);
    let options = GroupOptions {
        largest_group: 4,
        ..GroupOptions::default()
    };
    let groups = group_records(&rs, &pairs, &model, THRESHOLD, &options);
    assert!(groups.iter().all(|g| g.len() <= 4), "{groups:?}");
    assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), 6);
}

#[test]
fn pairs_under_the_threshold_or_out_of_range_are_ignored() {
    let model = MatchModel::default();
    let rs = records(&[
        person("Olivia", "Smith", (2014, 3, 12), Sex::Female),
        person("Olivia", "Smith", (2014, 3, 12), Sex::Female),
    ]);
    assert!(group_records(
        &rs,
        &[(0, 1, 3.0)],
        &model,
        THRESHOLD,
        &GroupOptions::default()
    )
    .is_empty());
    assert!(group_records(
        &rs,
        &[(0, 7, 40.0), (1, 1, 40.0)],
        &model,
        THRESHOLD,
        &GroupOptions::default()
    )
    .is_empty());
}

const GIVEN: [&str; 6] = ["Olivia", "Liv", "Sophie", "Oliver", "John", "Jon"];
const FAMILY: [&str; 3] = ["Smith", "Smyth", "Jones"];

fn arbitrary_person() -> impl Strategy<Value = PersonDetails> {
    (
        0..GIVEN.len(),
        0..FAMILY.len(),
        prop_oneof![Just(1985), Just(2013), Just(2014)],
        1u32..4,
        any::<bool>(),
    )
        .prop_map(|(g, f, year, day, female)| {
            person(
                GIVEN[g],
                FAMILY[f],
                (year, 3, day),
                if female { Sex::Female } else { Sex::Male },
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Groups are disjoint, hold at least two records, never hold two records that
    /// conflict, and do not depend on the order the pairs come in.
    #[test]
    fn groups_are_disjoint_consistent_and_order_free(
        details in proptest::collection::vec(arbitrary_person(), 2..9),
        threshold in 8.0f64..25.0,
    ) {
        let model = MatchModel::default();
        let rs = records(&details);
        let pairs = all_pairs(&rs, &model);
        let groups = group_records(&rs, &pairs, &model, threshold, &GroupOptions::default());
        let mut seen = std::collections::HashSet::new();
        for g in &groups {
            prop_assert!(g.len() >= 2);
            for (n, &i) in g.iter().enumerate() {
                prop_assert!(seen.insert(i), "record {} in two groups", i);
                for &j in &g[n + 1..] {
                    prop_assert_eq!(conflict(&rs[i as usize], &rs[j as usize]), None);
                }
            }
        }
        let mut reversed = pairs.clone();
        reversed.reverse();
        let swapped: Vec<(u32, u32, f64)> = pairs.iter().map(|(i, j, s)| (*j, *i, *s)).collect();
        prop_assert_eq!(&group_records(&rs, &reversed, &model, threshold, &GroupOptions::default()), &groups);
        prop_assert_eq!(&group_records(&rs, &swapped, &model, threshold, &GroupOptions::default()), &groups);
    }
}
