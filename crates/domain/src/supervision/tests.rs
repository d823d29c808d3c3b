use super::*;
use crate::calendar::WorkingDayCalendar;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn child() -> PersonId {
    PersonId::new()
}

/// A complete record held on Monday 30 March 2026 about one child, with one action.
fn complete(child: PersonId) -> SupervisionRecord {
    SupervisionRecord {
        held_on: Some(date(2026, 3, 30)),
        children: vec![DiscussedChild {
            row: 0,
            child,
            risks_reviewed: "Risk from stepfather now managed by the written safety plan.".into(),
            decisions: "Continue the child protection plan.".into(),
        }],
        actions: vec![AgreedAction {
            row: 0,
            child: Some(child),
            description: "See Amy alone at school".into(),
            owner: Some(WorkerId::new()),
            due_on: Some(date(2026, 4, 2)),
        }],
        reviews: vec![],
    }
}

#[test]
fn a_complete_record_lacks_nothing() {
    assert!(missing_parts(&complete(child()), &[]).is_empty());
}

#[test]
fn an_action_without_a_timescale_is_refused_naming_it() {
    let mut record = complete(child());
    record.actions[0].due_on = None;
    let missing = missing_parts(&record, &[]);
    assert_eq!(missing, vec![MissingPart::ActionDueDate { number: 1 }]);
    assert_eq!(missing[0].field(), "actions[0].due_on");
    assert!(missing[0].to_string().contains("without a timescale"));
}

#[test]
fn risks_not_reviewed_are_refused_for_each_child() {
    let (first, second) = (child(), child());
    let mut record = complete(first);
    record.children.push(DiscussedChild {
        row: 1,
        child: second,
        risks_reviewed: "  ".into(),
        decisions: String::new(),
    });
    record.children[0].risks_reviewed = "ok".into();
    let fields: Vec<String> = missing_parts(&record, &[])
        .iter()
        .map(|m| m.field())
        .collect();
    assert_eq!(
        fields,
        vec!["children[0].risks_reviewed", "children[1].risks_reviewed"]
    );
}

#[test]
fn every_missing_part_is_named_at_once() {
    let record = SupervisionRecord {
        held_on: None,
        children: vec![],
        actions: vec![AgreedAction {
            row: 0,
            child: Some(child()),
            description: " ".into(),
            owner: None,
            due_on: None,
        }],
        reviews: vec![],
    };
    let fields: Vec<String> = missing_parts(&record, &[])
        .iter()
        .map(|m| m.field())
        .collect();
    assert_eq!(
        fields,
        vec![
            "held_on",
            "children",
            "actions[0].person_id",
            "actions[0].description",
            "actions[0].owner",
            "actions[0].due_on"
        ]
    );
}

#[test]
fn an_action_is_due_on_or_after_its_supervision_and_within_a_year() {
    let mut record = complete(child());
    record.actions[0].due_on = Some(date(2026, 3, 30));
    assert!(
        missing_parts(&record, &[]).is_empty(),
        "the same day is allowed"
    );
    record.actions[0].due_on = Some(date(2026, 3, 27));
    assert_eq!(
        missing_parts(&record, &[]),
        vec![MissingPart::ActionDueBeforeSupervision { number: 1 }]
    );
    record.actions[0].due_on = Some(date(2027, 4, 1));
    assert_eq!(
        missing_parts(&record, &[]),
        vec![MissingPart::ActionDueTooLate { number: 1 }]
    );
}

#[test]
fn a_child_is_discussed_once_and_actions_belong_to_children_discussed() {
    let amy = child();
    let mut record = complete(amy);
    record.children.push(DiscussedChild {
        row: 1,
        ..record.children[0].clone()
    });
    record.actions[0].child = Some(child());
    let fields: Vec<String> = missing_parts(&record, &[])
        .iter()
        .map(|m| m.field())
        .collect();
    assert_eq!(
        fields,
        vec!["children[1].person_id", "actions[0].person_id"]
    );
}

#[test]
fn every_open_action_of_earlier_supervisions_is_carried_forward_or_closed() {
    let (a, b, c) = (
        SupervisionActionId::new(),
        SupervisionActionId::new(),
        SupervisionActionId::new(),
    );
    let mut record = complete(child());
    record.reviews = vec![
        ActionReview {
            action: b,
            outcome: Some(ReviewOutcome::Close),
            reason: "too short".into(),
            new_due_on: None,
        },
        ActionReview {
            action: c,
            outcome: Some(ReviewOutcome::CarryForward),
            reason: String::new(),
            new_due_on: Some(date(2026, 3, 1)),
        },
    ];
    let missing = missing_parts(&record, &[a, b, c]);
    assert_eq!(
        missing,
        vec![
            MissingPart::ReviewOutcome { number: 1 },
            MissingPart::ReviewReason { number: 2 },
            MissingPart::ReviewDueDate { number: 3 },
        ]
    );
    record.reviews[0].reason = "Family moved out of the area.".into();
    record.reviews[1].new_due_on = None;
    record.reviews.push(ActionReview {
        action: a,
        outcome: Some(ReviewOutcome::CarryForward),
        reason: String::new(),
        new_due_on: Some(date(2026, 4, 10)),
    });
    assert!(missing_parts(&record, &[a, b, c]).is_empty());
}

#[test]
fn past_due_is_a_due_date_before_today_counted_in_working_days() {
    let calendar = WorkingDayCalendar::new();
    // Due Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank
    // holidays.
    let due = date(2026, 4, 2);
    assert_eq!(drift(&calendar, ActionStatus::Open, due, 0, due), None);
    let friday = drift(&calendar, ActionStatus::Open, due, 0, date(2026, 4, 3)).expect("drift");
    assert!(friday.past_due);
    assert_eq!(
        friday.working_days_overdue, 1,
        "never less than one once past"
    );
    let monday = drift(&calendar, ActionStatus::Open, due, 0, date(2026, 4, 6)).expect("drift");
    assert_eq!(
        monday.working_days_overdue, 1,
        "over the weekend and Easter Monday"
    );
    let tuesday = drift(&calendar, ActionStatus::Open, due, 0, date(2026, 4, 7)).expect("drift");
    assert_eq!(
        tuesday.working_days_overdue, 1,
        "Tuesday is the first working day after"
    );
    let wednesday = drift(&calendar, ActionStatus::Open, due, 0, date(2026, 4, 8)).expect("drift");
    assert_eq!(wednesday.working_days_overdue, 2);
    assert_eq!(wednesday.reason(), "Past due");
}

#[test]
fn carried_forward_is_drift_even_before_the_due_date() {
    let calendar = WorkingDayCalendar::new();
    let due = date(2026, 4, 20);
    let carried = drift(&calendar, ActionStatus::Open, due, 1, date(2026, 4, 8)).expect("drift");
    assert!(!carried.past_due);
    assert_eq!(carried.working_days_overdue, 0);
    assert_eq!(carried.reason(), "Carried forward once");
    let both = drift(&calendar, ActionStatus::Open, due, 2, date(2026, 4, 21)).expect("drift");
    assert_eq!(both.reason(), "Past due and carried forward twice");
}

#[test]
fn finished_actions_never_drift() {
    let calendar = WorkingDayCalendar::new();
    for status in [ActionStatus::Completed, ActionStatus::Closed] {
        assert_eq!(
            drift(&calendar, status, date(2026, 1, 1), 3, date(2026, 4, 8)),
            None
        );
    }
}

#[test]
fn a_completion_has_a_date_within_its_life_and_a_note() {
    let agreed = date(2026, 3, 30);
    let today = date(2026, 4, 8);
    assert!(check_completion(Some(agreed), "Seen alone at school.", agreed, today).is_empty());
    assert_eq!(
        check_completion(None, "", agreed, today),
        vec![CompletionProblem::NoDate, CompletionProblem::NoNote]
    );
    assert_eq!(
        check_completion(Some(date(2026, 3, 29)), "Seen alone.", agreed, today),
        vec![CompletionProblem::BeforeSupervision]
    );
    assert_eq!(
        check_completion(Some(date(2026, 4, 9)), "Seen alone.", agreed, today),
        vec![CompletionProblem::InTheFuture]
    );
}

#[test]
fn codes_read_back() {
    for status in ActionStatus::ALL {
        assert_eq!(ActionStatus::from_code(status.code()), Some(status));
    }
    for outcome in ReviewOutcome::ALL {
        assert_eq!(ReviewOutcome::from_code(outcome.code()), Some(outcome));
    }
    assert_eq!(ReviewOutcome::from_code("forget"), None);
}

#[test]
fn refusals_name_the_form_row_typed_in() {
    let amy = child();
    let mut record = complete(amy);
    record.children[0].row = 3;
    record.children[0].risks_reviewed = String::new();
    record.actions[0].row = 2;
    record.actions[0].due_on = None;
    let fields: Vec<String> = missing_parts(&record, &[])
        .iter()
        .map(|m| m.field())
        .collect();
    assert_eq!(
        fields,
        vec!["children[3].risks_reviewed", "actions[2].due_on"]
    );
}
