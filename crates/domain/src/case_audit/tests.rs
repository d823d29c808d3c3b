use super::*;

#[test]
fn grades_and_kinds_read_back_from_their_codes() {
    for grade in Grade::ALL {
        assert_eq!(Grade::from_code(grade.code()), Ok(grade));
    }
    assert_eq!(
        Grade::from_code("Requires improvement"),
        Ok(Grade::RequiresImprovement)
    );
    assert!(Grade::from_code("satisfactory").is_err());
    for kind in AuditKind::ALL {
        assert_eq!(AuditKind::from_code(kind.code()), Ok(kind));
    }
    assert_eq!(
        AuditKind::from_code("multi-agency"),
        Ok(AuditKind::MultiAgency)
    );
    for theme in AuditTheme::ALL {
        assert_eq!(AuditTheme::from_code(theme.code()), Ok(theme));
    }
}

#[test]
fn a_case_audit_is_planned_then_in_progress_then_completed() {
    use CaseAuditState::*;
    assert!(Planned.may_become(InProgress));
    assert!(InProgress.may_become(Completed));
    assert!(
        !Planned.may_become(Completed),
        "started before it completes"
    );
    assert!(
        !Completed.may_become(InProgress),
        "a completed audit stays so"
    );
    assert!(!InProgress.may_become(Planned));
}

#[test]
fn the_standard_tool_asks_the_letters_questions() {
    let tool = standard_tool();
    assert_eq!(tool.id, STANDARD_TOOL_ID);
    assert!(tool.built_in);
    assert_eq!(tool.questions.len(), 7);
    for words in [
        "authorised",
        "history",
        "views",
        "structured tool",
        "timescales",
        "supervision",
        "partner",
    ] {
        assert!(
            tool.questions.iter().any(|q| q.contains(words)),
            "a question about {words}"
        );
    }
}

#[test]
fn a_tool_needs_a_name_and_distinct_questions() {
    let ok = check_tool(
        " Neglect audit ",
        &[
            "Was the child seen?".into(),
            "  ".into(),
            "Was a plan made?".into(),
        ],
    )
    .expect("valid");
    assert_eq!(ok.0, "Neglect audit");
    assert_eq!(ok.1, ["Was the child seen?", "Was a plan made?"]);
    let problems = check_tool("", &["Seen?".into(), "seen?".into()]).expect_err("invalid");
    assert_eq!(
        problems,
        [
            CaseAuditError::ToolNameMissing,
            CaseAuditError::QuestionRepeated("seen?".into())
        ]
    );
    assert_eq!(
        check_tool("Empty", &[]).expect_err("no questions"),
        [CaseAuditError::NoQuestions]
    );
    let many: Vec<String> = (0..41).map(|i| format!("Question {i}?")).collect();
    assert_eq!(
        check_tool("Long", &many).expect_err("too many"),
        [CaseAuditError::TooManyQuestions]
    );
}

#[test]
fn completion_names_each_question_not_graded() {
    let answers = [
        AnswerState {
            number: 1,
            question: "Timely?",
            grade: Some(Grade::Good),
        },
        AnswerState {
            number: 2,
            question: "History?",
            grade: None,
        },
        AnswerState {
            number: 3,
            question: "Seen?",
            grade: None,
        },
    ];
    let problems = check_completion(&answers, None, " ").expect_err("incomplete");
    assert_eq!(
        problems,
        [
            CompletionProblem::QuestionNotGraded {
                number: 2,
                question: "History?".into()
            },
            CompletionProblem::QuestionNotGraded {
                number: 3,
                question: "Seen?".into()
            },
            CompletionProblem::NoOverallGrade,
            CompletionProblem::NoFindings,
        ]
    );
    assert!(problems[0]
        .to_string()
        .contains("question 2 (\"History?\")"));
    let graded: Vec<AnswerState> = answers
        .iter()
        .map(|a| AnswerState {
            grade: Some(Grade::RequiresImprovement),
            ..a.clone()
        })
        .collect();
    assert_eq!(
        check_completion(&graded, Some(Grade::Good), "Decisions were timely."),
        Ok(())
    );
}

#[test]
fn a_sample_is_reproducible_from_its_seed_and_population() {
    let population: Vec<u32> = (0..100).collect();
    let first = sample(&population, 10, 42);
    assert_eq!(first.len(), 10);
    let mut distinct = first.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "no child twice");
    // The same population read in another order, with a duplicate: the same sample.
    let mut shuffled: Vec<u32> = population.iter().rev().copied().collect();
    shuffled.push(7);
    assert_eq!(sample(&shuffled, 10, 42), first);
    assert_ne!(
        sample(&population, 10, 43),
        first,
        "another seed, another sample"
    );
    assert_eq!(sample(&population[..3], 10, 42).len(), 3, "all when fewer");
    assert!(sample::<u32>(&[], 5, 1).is_empty());
}

#[test]
fn every_child_is_equally_likely_to_be_sampled() {
    // 20 000 draws of 1 from 10: each child about 2 000 times.
    let population: Vec<u32> = (0..10).collect();
    let mut counts = [0u32; 10];
    for seed in 0..20_000u64 {
        counts[sample(&population, 1, seed)[0] as usize] += 1;
    }
    for count in counts {
        assert!((1_800..=2_200).contains(&count), "{counts:?}");
    }
}

#[test]
fn a_period_runs_forwards_and_reads_as_dates() {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
    assert_eq!(
        AuditPeriod::new(d(11, 30), d(9, 1)),
        Err(CaseAuditError::PeriodBackwards)
    );
    let period = AuditPeriod::new(d(9, 1), d(11, 30)).expect("period");
    assert_eq!(period.words(), "01/09/2026–30/11/2026");
}
