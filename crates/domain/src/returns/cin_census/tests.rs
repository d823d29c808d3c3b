//! Each ported rule, broken one at a time on an otherwise clean return.

use super::*;
use crate::ids::{EpisodeId, PersonId};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

fn year() -> CensusYear {
    CensusYear::new(2026).expect("a collection year")
}

/// A child referred in June 2025, assessed, then on a plan from a conference in July, with a
/// review in October, the episode still open at 31 March 2026.
fn clean_child() -> CensusChild {
    CensusChild {
        person: PersonId::new(),
        la_child_id: "P0000001".into(),
        upn: Some("A001200025001".into()),
        upn_unknown: None,
        birth: Some(BirthDate::Born(d(2015, 5, 4))),
        sex: "F".into(),
        died_on: None,
        ethnicity: "WBRI".into(),
        disabilities: vec!["NONE".into()],
        episodes: vec![CensusEpisode {
            episode: EpisodeId::new(),
            referral_date: d(2025, 6, 2),
            referral_source: "2A".into(),
            primary_need: Some("N1".into()),
            closed_on: None,
            closure_reason: None,
            referral_nfa: false,
            assessments: vec![CensusAssessment {
                started_on: d(2025, 6, 3),
                authorised_on: Some(d(2025, 7, 15)),
                factors: vec!["2A".into(), "3B".into()],
            }],
            cin_plans: vec![],
            section_47s: vec![CensusSection47 {
                started_on: d(2025, 6, 4),
                icpc_target: Some(d(2025, 6, 25)),
                icpc_on: Some(d(2025, 6, 24)),
                icpc_not_required: false,
                completed_on: Some(d(2025, 6, 10)),
            }],
            plans: vec![CensusPlan {
                started_on: d(2025, 6, 24),
                ended_on: None,
                initial_category: "PHY".into(),
                latest_category: "PHY".into(),
                previous_plans: 0,
                reviews: vec![d(2025, 9, 23)],
            }],
        }],
    }
}

fn with_upn(mut child: CensusChild) -> CensusChild {
    // A valid UPN for LA 001: work the check letter out.
    let tail = "001200025001";
    const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let sum: usize = tail
        .bytes()
        .enumerate()
        .map(|(i, c)| usize::from(c - b'0') * (i + 2))
        .sum();
    child.upn = Some(format!("{}{tail}", LETTERS[sum % 23] as char));
    child
}

fn census(children: Vec<CensusChild>) -> CinCensus {
    CinCensus {
        year: year(),
        la_number: "001".into(),
        children,
    }
}

fn child_codes(children: Vec<CensusChild>) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = check(&census(children), &WorkingDayCalendar::new())
        .into_iter()
        .filter(|i| i.child.is_some())
        .map(|i| i.code)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn the_collection_year_runs_from_april_to_the_reference_date() {
    let y = year();
    assert_eq!(y.start(), d(2025, 4, 1));
    assert_eq!(y.reference_date(), d(2026, 3, 31));
    assert_eq!(y.ruleset(), "cin2025_26");
    assert_eq!(y.label(), "2025 to 2026");
    assert!(y.contains(d(2025, 4, 1)) && y.contains(d(2026, 3, 31)));
    assert!(!y.contains(d(2025, 3, 31)) && !y.contains(d(2026, 4, 1)));
    assert_eq!(CensusYear::latest_complete(d(2026, 12, 1)).year(), 2026);
    assert_eq!(CensusYear::latest_complete(d(2026, 3, 31)).year(), 2025);
    assert!(CensusYear::parse("twenty").is_err());
    assert!(CensusYear::parse("1999").is_err());
}

#[test]
fn a_clean_child_breaks_no_rule() {
    assert_eq!(
        child_codes(vec![with_upn(clean_child())]),
        Vec::<&str>::new()
    );
}

#[test]
fn every_rule_code_is_unique_and_carries_the_dfe_message() {
    let mut seen = BTreeSet::new();
    for rule in RULES {
        assert!(seen.insert(rule.code), "{} listed twice", rule.code);
        assert!(!rule.message.is_empty());
        assert_eq!(rule.code.ends_with('Q'), rule.kind == IssueKind::Query);
    }
    assert_eq!(
        rule("4011").map(|r| r.message),
        Some("CIN Plan End Date earlier than Start Date")
    );
}

/// Breaks one rule: (the code expected, what to change on a clean child).
type Fault = (&'static str, fn(&mut CensusChild));

fn episode(c: &mut CensusChild) -> &mut CensusEpisode {
    &mut c.episodes[0]
}

const FAULTS: &[Fault] = &[
    ("8500", |c| c.la_child_id = String::new()),
    ("1570", |c| c.la_child_id = "P".repeat(21)),
    ("1580", |c| c.la_child_id = "P-0001".into()),
    ("1510", |c| c.upn = Some("B001200025001".into())),
    ("1540", |c| c.upn = Some("A0012000X5001".into())),
    ("4180", |c| c.sex = "1".into()),
    ("8750", |c| {
        c.birth = Some(BirthDate::Expected(d(2026, 5, 1)))
    }),
    ("8525Q", |c| c.birth = None),
    ("8520", |c| c.birth = Some(BirthDate::Born(d(2026, 4, 2)))),
    ("8530Q", |c| {
        c.sex = "U".into();
        c.birth = Some(BirthDate::Expected(d(2027, 6, 1)));
    }),
    ("8775Q", |c| c.birth = Some(BirthDate::Born(d(1990, 1, 1)))),
    ("4220", |c| c.ethnicity = "WHITE".into()),
    ("8540", |c| c.disabilities = vec![]),
    ("8540", |c| c.disabilities = vec!["AUTIS".into()]),
    ("8790", |c| {
        c.disabilities = vec!["NONE".into(), "AUT".into()]
    }),
    ("8794", |c| {
        c.disabilities = vec!["AUT".into(), "AUT".into()]
    }),
    ("8770Q", |c| c.upn = None),
    ("8590", |c| c.episodes.clear()),
    ("8600", |c| episode(c).referral_date = d(2026, 4, 2)),
    ("8866", |c| episode(c).referral_source = "11".into()),
    ("8650", |c| episode(c).primary_need = Some("N10".into())),
    ("8610", |c| episode(c).primary_need = None),
    ("8640", |c| {
        episode(c).closed_on = Some(d(2026, 1, 5));
        episode(c).closure_reason = Some("RC0".into());
    }),
    ("8805", |c| episode(c).closed_on = Some(d(2026, 1, 5))),
    ("8810", |c| episode(c).closure_reason = Some("RC7".into())),
    ("8620", |c| {
        episode(c).closed_on = Some(d(2026, 4, 5));
        episode(c).closure_reason = Some("RC7".into());
    }),
    ("8630", |c| {
        episode(c).closed_on = Some(d(2025, 5, 30));
        episode(c).closure_reason = Some("RC7".into());
    }),
    ("8565", |c| {
        episode(c).closed_on = Some(d(2025, 6, 20));
        episode(c).closure_reason = Some("RC7".into());
    }),
    ("8867", |c| {
        let e = episode(c);
        e.plans[0].ended_on = Some(d(2025, 12, 1));
        e.assessments[0].authorised_on = None;
        e.assessments[0].factors.clear();
        e.closed_on = Some(d(2026, 1, 5));
        e.closure_reason = Some("RC7".into());
    }),
    ("8868", |c| {
        let e = episode(c);
        e.plans.clear();
        e.section_47s[0].icpc_on = None;
        e.closed_on = Some(d(2026, 1, 5));
        e.closure_reason = Some("RC7".into());
    }),
    ("8569Q", |c| {
        let e = episode(c);
        e.referral_date = d(2025, 1, 6);
        e.assessments.clear();
        e.section_47s.clear();
        e.plans.clear();
        e.closed_on = Some(d(2025, 4, 2));
        e.closure_reason = Some("RC7".into());
        e.referral_nfa = true;
    }),
    ("8831", |c| {
        let e = episode(c);
        e.plans.clear();
        e.referral_nfa = true;
    }),
    ("8832", |c| {
        let e = episode(c);
        e.assessments.clear();
        e.section_47s.clear();
        e.referral_nfa = true;
    }),
    ("4000", |c| {
        let e = episode(c);
        e.assessments.clear();
        e.section_47s.clear();
        e.plans.clear();
        e.cin_plans.push(CensusCinPlan {
            started_on: d(2025, 7, 1),
            ended_on: None,
        });
        e.referral_nfa = true;
    }),
    ("8825Q", |c| {
        let e = episode(c);
        e.assessments.clear();
        e.section_47s.clear();
        e.plans.clear();
        e.closed_on = Some(d(2025, 7, 1));
        e.closure_reason = Some("RC8".into());
    }),
    ("2990", |c| {
        let e = episode(c);
        e.plans[0].ended_on = Some(d(2025, 12, 1));
        e.closed_on = Some(d(2026, 1, 5));
        e.closure_reason = Some("RC9".into());
    }),
    ("8815", |c| {
        let mut second = c.episodes[0].clone();
        second.referral_date = d(2025, 5, 1);
        second.assessments.clear();
        second.section_47s.clear();
        second.plans.clear();
        c.episodes.insert(0, second);
    }),
    ("8816", |c| {
        let mut second = c.episodes[0].clone();
        second.referral_date = d(2025, 5, 1);
        second.assessments.clear();
        second.section_47s.clear();
        second.plans.clear();
        c.episodes.insert(0, second);
    }),
    ("8820", |c| {
        let mut second = c.episodes[0].clone();
        second.referral_date = d(2025, 5, 1);
        second.closed_on = Some(d(2025, 6, 10));
        second.closure_reason = Some("RC7".into());
        second.assessments.clear();
        second.section_47s.clear();
        second.plans.clear();
        c.episodes.insert(0, second);
    }),
    ("1103", |c| {
        episode(c).assessments[0].started_on = d(2025, 6, 1)
    }),
    ("8608", |c| {
        episode(c).assessments[0].authorised_on = Some(d(2025, 6, 2))
    }),
    ("8696", |c| {
        episode(c).assessments[0].authorised_on = Some(d(2026, 4, 2))
    }),
    ("8736", |c| {
        let e = episode(c);
        e.referral_date = d(2025, 3, 2);
        e.assessments[0].started_on = d(2025, 3, 3);
        e.assessments[0].authorised_on = None;
        e.assessments[0].factors.clear();
    }),
    ("8896", |c| {
        let e = episode(c);
        e.assessments[0].authorised_on = None;
        e.assessments[0].factors.clear();
        let again = e.assessments[0].clone();
        e.assessments.push(again);
    }),
    ("8863Q", |c| {
        let e = episode(c);
        let mut again = e.assessments[0].clone();
        again.started_on = d(2025, 7, 1);
        e.assessments.push(again);
    }),
    ("8670Q", |c| {
        let e = episode(c);
        e.assessments[0].authorised_on = None;
        e.assessments[0].factors.clear();
    }),
    ("8897Q", |c| episode(c).assessments[0].factors.clear()),
    ("8614", |c| episode(c).assessments[0].authorised_on = None),
    ("8869", |c| {
        episode(c).assessments[0].factors.push("21".into())
    }),
    ("8898", |c| {
        episode(c).assessments[0].factors.push("2A".into())
    }),
    ("4010", |c| {
        episode(c).cin_plans.push(CensusCinPlan {
            started_on: d(2026, 4, 2),
            ended_on: None,
        })
    }),
    ("4011", |c| {
        episode(c).cin_plans.push(CensusCinPlan {
            started_on: d(2026, 2, 2),
            ended_on: Some(d(2026, 1, 30)),
        })
    }),
    ("4013", |c| {
        episode(c).cin_plans.push(CensusCinPlan {
            started_on: d(2026, 2, 2),
            ended_on: Some(d(2026, 4, 30)),
        })
    }),
    ("4015", |c| {
        episode(c).cin_plans.push(CensusCinPlan {
            started_on: d(2025, 5, 2),
            ended_on: Some(d(2025, 5, 30)),
        })
    }),
    ("2889", |c| {
        episode(c).section_47s[0].started_on = d(2025, 6, 1)
    }),
    ("8615", |c| {
        episode(c).section_47s[0].started_on = d(2025, 6, 25)
    }),
    ("8715", |c| {
        let e = episode(c);
        e.referral_date = d(2025, 3, 2);
        e.assessments[0].started_on = d(2025, 3, 3);
        e.section_47s[0].started_on = d(2025, 3, 3);
        e.section_47s[0].icpc_on = Some(d(2025, 3, 20));
        e.plans[0].started_on = d(2025, 3, 20);
    }),
    ("1104", |c| {
        episode(c).section_47s[0].icpc_on = Some(d(2025, 5, 30))
    }),
    ("8740", |c| {
        let e = episode(c);
        e.plans.clear();
        e.referral_date = d(2025, 3, 2);
        e.section_47s[0].started_on = d(2025, 3, 3);
        e.section_47s[0].icpc_on = None;
    }),
    ("8675Q", |c| {
        let e = episode(c);
        e.plans.clear();
        e.section_47s[0].icpc_on = None;
    }),
    ("8839", |c| {
        let e = episode(c);
        e.plans.clear();
        e.section_47s[0].icpc_on = None;
        let again = e.section_47s[0].clone();
        e.section_47s.push(again);
    }),
    ("8890", |c| {
        let e = episode(c);
        let mut again = e.section_47s[0].clone();
        again.started_on = d(2025, 6, 20);
        again.icpc_on = None;
        again.icpc_not_required = true;
        e.section_47s.push(again);
    }),
    ("8875", |c| {
        let e = episode(c);
        e.section_47s[0].icpc_on = Some(d(2025, 6, 28));
        e.plans[0].started_on = d(2025, 6, 28);
    }),
    ("8870Q", |c| {
        episode(c).section_47s[0].icpc_target = Some(d(2025, 6, 29))
    }),
    ("1105", |c| episode(c).plans[0].started_on = d(2025, 6, 1)),
    ("8720", |c| episode(c).plans[0].started_on = d(2026, 4, 2)),
    ("8925", |c| {
        episode(c).plans[0].ended_on = Some(d(2025, 6, 20))
    }),
    ("8840", |c| {
        episode(c).plans[0].ended_on = Some(d(2025, 6, 24))
    }),
    ("8930", |c| {
        episode(c).plans[0].ended_on = Some(d(2026, 4, 24))
    }),
    ("8935", |c| {
        let e = episode(c);
        let mut again = e.plans[0].clone();
        again.started_on = d(2025, 10, 1);
        e.plans.push(again);
    }),
    ("8940", |c| {
        let e = episode(c);
        let mut again = e.plans[0].clone();
        again.started_on = d(2025, 10, 1);
        e.plans[0].ended_on = Some(d(2025, 11, 1));
        e.plans.push(again);
    }),
    ("8905", |c| {
        episode(c).plans[0].initial_category = "ABC".into()
    }),
    ("8910", |c| {
        episode(c).plans[0].latest_category = String::new()
    }),
    ("8841", |c| {
        episode(c).plans[0].reviews = vec![d(2025, 6, 24)]
    }),
    ("2885", |c| episode(c).plans[0].started_on = d(2025, 6, 26)),
];

#[test]
fn each_ported_rule_catches_its_fault() {
    for (code, fault) in FAULTS {
        let mut child = with_upn(clean_child());
        fault(&mut child);
        let codes = child_codes(vec![child]);
        assert!(
            codes.contains(code),
            "rule {code} was not broken; found {codes:?}"
        );
    }
}

#[test]
fn upn_la_number_and_thirteenth_character_are_checked() {
    let mut child = clean_child();
    // Check letter worked out for LA 999, which the DfE does not list.
    child.upn = Some(with_check("999200025001"));
    assert!(child_codes(vec![child]).contains(&"1530"));
    let mut child = clean_child();
    child.upn = Some(with_check("00120002500I"));
    assert!(child_codes(vec![child]).contains(&"1550"));
}

fn with_check(tail: &str) -> String {
    const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let sum: usize = tail
        .bytes()
        .enumerate()
        .map(|(i, c)| {
            let v = if c.is_ascii_digit() {
                usize::from(c - b'0')
            } else {
                LETTERS.iter().position(|l| *l == c).unwrap_or(0)
            };
            v * (i + 2)
        })
        .sum();
    format!("{}{tail}", LETTERS[sum % 23] as char)
}

#[test]
fn duplicates_across_children_are_errors() {
    let first = with_upn(clean_child());
    let second = first.clone();
    let codes = child_codes(vec![first, second]);
    assert!(
        codes.contains(&"8510") && codes.contains(&"1520"),
        "{codes:?}"
    );
}

#[test]
fn whole_return_queries_count_the_children() {
    let calendar = WorkingDayCalendar::new();
    // More plans than conferences; everyone's sex unknown; one disability code, singly.
    let mut child = with_upn(clean_child());
    child.sex = "U".into();
    child.disabilities = vec!["AUT".into()];
    child.episodes[0].section_47s.clear();
    let issues = check(&census(vec![child]), &calendar);
    let codes: Vec<&str> = issues
        .iter()
        .filter(|i| i.child.is_none())
        .map(|i| i.code)
        .collect();
    assert_eq!(codes, vec!["2883", "2886Q", "2887Q", "2888Q"]);
    // Nine codes in use, one child with two, as many conferences as plans: no whole-return issue.
    let children: Vec<CensusChild> = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"]
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let mut c = with_upn(clean_child());
            c.la_child_id = format!("P{i}");
            c.upn = None;
            c.disabilities = vec![(*code).into()];
            if i == 0 {
                c.disabilities.push("BEH".into());
            }
            c
        })
        .collect();
    let la_level: Vec<&str> = check(&census(children), &calendar)
        .into_iter()
        .filter(|i| i.child.is_none())
        .map(|i| i.code)
        .collect();
    assert!(la_level.is_empty(), "{la_level:?}");
}

#[test]
fn the_year_cut_reports_records_as_they_stood_on_the_reference_date() {
    let y = year();
    let mut child = clean_child();
    {
        let e = &mut child.episodes[0];
        // Closed after the year: open on 31 March.
        e.closed_on = Some(d(2026, 5, 1));
        e.closure_reason = Some("RC7".into());
        // A plan ended after the year: open on 31 March; a review after the year is dropped.
        e.plans[0].ended_on = Some(d(2026, 4, 20));
        e.plans[0].reviews.push(d(2026, 4, 10));
        // An assessment authorised after the year: not completed on 31 March.
        e.assessments.push(CensusAssessment {
            started_on: d(2026, 3, 2),
            authorised_on: Some(d(2026, 4, 14)),
            factors: vec!["1A".into()],
        });
    }
    // An episode closed before the year began is not in the return; its plan still counts
    // as a previous plan.
    let mut old = clean_child().episodes.remove(0);
    old.referral_date = d(2024, 1, 8);
    old.closed_on = Some(d(2025, 2, 3));
    old.closure_reason = Some("RC7".into());
    old.plans[0].started_on = d(2024, 2, 1);
    old.plans[0].ended_on = Some(d(2025, 1, 30));
    child.episodes.insert(0, old);
    // A child with nothing in the year is left out.
    let mut gone = clean_child();
    gone.episodes[0].referral_date = d(2026, 4, 6);

    let cut = y.cut(vec![child, gone]);
    assert_eq!(cut.len(), 1);
    let e = &cut[0].episodes;
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].closed_on, None);
    assert_eq!(e[0].closure_reason, None);
    assert!(!e[0].referral_nfa);
    assert_eq!(e[0].plans[0].ended_on, None);
    assert_eq!(e[0].plans[0].previous_plans, 1);
    assert_eq!(e[0].plans[0].reviews, vec![d(2025, 9, 23)]);
    assert_eq!(e[0].assessments[1].authorised_on, None);
    assert!(e[0].assessments[1].factors.is_empty());
}

#[test]
fn a_referral_closed_with_nothing_done_is_no_further_action() {
    let mut child = clean_child();
    let e = &mut child.episodes[0];
    e.assessments.clear();
    e.section_47s.clear();
    e.plans.clear();
    e.closed_on = Some(d(2025, 6, 4));
    e.closure_reason = Some("RC7".into());
    let cut = year().cut(vec![child]);
    assert!(cut[0].episodes[0].referral_nfa);
    // An enquiry finished before the year is left out, but one that concluded in it stays.
    let mut child = clean_child();
    let e = &mut child.episodes[0];
    e.plans.clear();
    e.section_47s[0].icpc_on = None;
    e.section_47s[0].icpc_not_required = true;
    e.section_47s[0].started_on = d(2025, 3, 3);
    e.section_47s[0].completed_on = Some(d(2025, 3, 20));
    let cut = year().cut(vec![child.clone()]);
    assert!(cut[0].episodes[0].section_47s.is_empty());
    child.episodes[0].section_47s[0].completed_on = Some(d(2025, 4, 3));
    let cut = year().cut(vec![child]);
    assert_eq!(cut[0].episodes[0].section_47s.len(), 1);
}

#[test]
fn sex_and_disability_codes_as_the_census_writes_them() {
    assert_eq!(census_sex(Sex::Male), "M");
    assert_eq!(census_sex(Sex::Female), "F");
    assert_eq!(census_sex(Sex::NotKnown), "U");
    assert_eq!(census_sex(Sex::Indeterminate), "U");
    assert_eq!(disability_codes("NONE"), vec!["NONE"]);
    assert_eq!(disability_codes(" aut, hear "), vec!["AUT", "HEAR"]);
    assert!(disability_codes("").is_empty());
}
