use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn visit(child_seen: bool, seen_alone: bool) -> AssessmentVisit {
    AssessmentVisit::new(date(2026, 3, 2), child_seen, seen_alone).expect("a valid visit")
}

#[test]
fn the_census_factor_list_has_every_code_once_with_a_label() {
    let codes: Vec<&str> = ASSESSMENT_FACTORS.iter().map(|(c, _)| *c).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "no code twice");
    for expected in [
        "1A", "1B", "1C", "2A", "2B", "2C", "3A", "4A", "8F", "19C", "20", "21", "24A",
    ] {
        assert!(codes.contains(&expected), "{expected} is a census factor");
    }
    // Codes retired from the census are not offered.
    for retired in ["8A", "18A", "19A"] {
        assert!(
            AssessmentFactor::from_code(retired).is_err(),
            "{retired} is retired"
        );
    }
    assert!(ASSESSMENT_FACTORS.iter().all(|(_, l)| !l.is_empty()));
    assert_eq!(
        AssessmentFactor::from_code(" 2b ").map(|f| f.code()),
        Ok("2B")
    );
    assert_eq!(
        AssessmentFactor::from_code("21").map(|f| f.label()),
        Ok("No factors identified")
    );
}

#[test]
fn factors_are_parsed_into_census_order_and_21_stands_alone() {
    let factors = parse_factors(&["3A", "1B", "3A", ""]).expect("valid factors");
    let codes: Vec<&str> = factors.iter().map(|f| f.code()).collect();
    assert_eq!(codes, ["1B", "3A"]);
    assert_eq!(
        parse_factors(&["21", "1B"]),
        Err(AssessmentError::NoFactorsWithOthers)
    );
    assert_eq!(
        parse_factors(&["99Z"]),
        Err(AssessmentError::UnknownFactor("99Z".into()))
    );
    assert_eq!(parse_factors(&["21"]).map(|f| f.len()), Ok(1));
}

#[test]
fn the_due_date_is_45_working_days_from_the_referral_date_skipping_bank_holidays() {
    let calendar = WorkingDayCalendar::new();
    // Referral on Monday 1 December 2025: Christmas Day, Boxing Day and New Year's Day push
    // the due date three working days past Monday 2 February 2026.
    assert_eq!(due_date(&calendar, date(2025, 12, 1)), date(2026, 2, 5));
    // Referral on Monday 2 March 2026: Good Friday, Easter Monday and the early May bank
    // holiday fall inside the 45 working days.
    assert_eq!(due_date(&calendar, date(2026, 3, 2)), date(2026, 5, 7));
    // A referral on a Saturday counts from that day: day 1 is the Monday.
    assert_eq!(
        due_date(&calendar, date(2026, 3, 7)),
        due_date(&calendar, date(2026, 3, 6)),
    );
}

#[test]
fn a_record_with_nothing_misses_every_quality_point() {
    let record = QualityRecord {
        visits: &[],
        child_views: "",
        history_considered: "  ",
        family_considered: "",
        verification_sources: &[],
    };
    assert_eq!(missing_quality_points(&record), QualityPoint::ALL.to_vec());
}

#[test]
fn each_quality_point_is_met_by_its_own_evidence() {
    let sources = vec!["School: attendance and presentation confirmed".to_string()];
    let visits = [visit(true, false), visit(true, true)];
    let complete = QualityRecord {
        visits: &visits,
        child_views: "Sam drew his three houses and said he feels safest at nan's.",
        history_considered: "Two earlier referrals for neglect (2024, 2025).",
        family_considered: "Maternal grandmother and father (lives apart) spoken to.",
        verification_sources: &sources,
    };
    assert!(missing_quality_points(&complete).is_empty());

    let seen_not_alone = [visit(true, false)];
    let record = QualityRecord {
        visits: &seen_not_alone,
        ..complete
    };
    assert_eq!(
        missing_quality_points(&record),
        vec![QualityPoint::ChildSeenAlone]
    );

    let parents_only = vec!["Mother".to_string(), " parents ".to_string()];
    let record = QualityRecord {
        verification_sources: &parents_only,
        ..complete
    };
    assert_eq!(
        missing_quality_points(&record),
        vec![QualityPoint::InformationVerified]
    );
}

#[test]
fn a_child_seen_alone_must_have_been_seen() {
    assert_eq!(
        AssessmentVisit::new(date(2026, 3, 2), false, true),
        Err(AssessmentError::AloneButNotSeen)
    );
}

#[test]
fn submitting_needs_a_reason_for_each_missing_point_naming_each_one() {
    let visits = [visit(true, false)];
    let record = QualityRecord {
        visits: &visits,
        child_views: "Said she wants to stay with mum.",
        history_considered: "",
        family_considered: "Father contacted by phone.",
        verification_sources: &[],
    };
    let factors = parse_factors(&["16A"]).expect("valid factor");
    let mut reasons = BTreeMap::new();
    reasons.insert(
        QualityPoint::ChildSeenAlone,
        "Aged two: too young to be seen alone meaningfully.".to_string(),
    );
    reasons.insert(QualityPoint::HistoryConsidered, "short".to_string());
    // A reason for a point the record shows is not kept.
    reasons.insert(
        QualityPoint::ChildViews,
        "Not needed here at all.".to_string(),
    );
    let submission = Submission {
        record,
        factors: &factors,
        outcome: None,
        reasons: &reasons,
    };
    assert_eq!(
        check_submission(&submission),
        Err(vec![
            SubmissionProblem::MissingQualityPoint(QualityPoint::HistoryConsidered),
            SubmissionProblem::MissingQualityPoint(QualityPoint::InformationVerified),
            SubmissionProblem::NoOutcome,
        ])
    );

    let mut reasons = reasons.clone();
    reasons.insert(
        QualityPoint::HistoryConsidered,
        "No previous involvement: new to the area, records requested from Leeds.".to_string(),
    );
    reasons.insert(
        QualityPoint::InformationVerified,
        "Nursery closed for the summer; health visitor on leave until after the due date."
            .to_string(),
    );
    let submission = Submission {
        record,
        factors: &factors,
        outcome: Some(AssessmentOutcome::ChildInNeedPlan),
        reasons: &reasons,
    };
    let kept = check_submission(&submission).expect("every missing point has a reason");
    assert_eq!(
        kept.keys().copied().collect::<Vec<_>>(),
        vec![
            QualityPoint::ChildSeenAlone,
            QualityPoint::HistoryConsidered,
            QualityPoint::InformationVerified
        ]
    );
}

#[test]
fn no_factors_is_a_problem_of_its_own() {
    let reasons = BTreeMap::new();
    let visits = [visit(true, true)];
    let sources = vec!["GP".to_string()];
    let submission = Submission {
        record: QualityRecord {
            visits: &visits,
            child_views: "x",
            history_considered: "x",
            family_considered: "x",
            verification_sources: &sources,
        },
        factors: &[],
        outcome: Some(AssessmentOutcome::NoFurtherAction),
        reasons: &reasons,
    };
    assert_eq!(
        check_submission(&submission),
        Err(vec![SubmissionProblem::NoFactors])
    );
}

#[test]
fn a_second_assessment_within_twelve_months_is_a_repeat() {
    let start = date(2026, 3, 10);
    assert!(!is_repeat(start, &[]));
    assert!(
        is_repeat(start, &[date(2025, 3, 10)]),
        "exactly 12 months before"
    );
    assert!(
        !is_repeat(start, &[date(2025, 3, 9)]),
        "a day more than 12 months"
    );
    assert!(is_repeat(start, &[date(2026, 3, 10)]), "the same day");
    assert!(
        !is_repeat(start, &[date(2026, 3, 11)]),
        "a later one does not count"
    );
    // 29 February looks back to 28 February.
    assert!(is_repeat(date(2028, 2, 29), &[date(2027, 2, 28)]));
}

#[test]
fn the_workflow_goes_forward_or_back_to_the_worker_only() {
    use AssessmentState::*;
    assert!(InProgress.may_become(Submitted));
    assert!(Submitted.may_become(Authorised));
    assert!(Submitted.may_become(InProgress));
    assert!(!InProgress.may_become(Authorised));
    assert!(!Authorised.may_become(InProgress));
    assert!(!Authorised.may_become(Submitted));
    for state in [InProgress, Submitted, Authorised] {
        assert_eq!(AssessmentState::from_code(state.code()), Ok(state));
    }
    for outcome in AssessmentOutcome::ALL {
        assert_eq!(AssessmentOutcome::from_code(outcome.code()), Ok(outcome));
    }
    assert_eq!(
        AssessmentOutcome::from_code("early help"),
        Ok(AssessmentOutcome::EarlyHelp)
    );
}
