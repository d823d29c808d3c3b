//! The completeness rule, one missing part at a time.
use super::*;
use chrono::TimeZone;

fn complete() -> StrategyRecord {
    StrategyRecord {
        held_at: Utc.with_ymd_and_hms(2026, 3, 3, 14, 0, 0).single(),
        attendees: vec![
            Attendee {
                name: "DS Khan".into(),
                agency: Some(Agency::Police),
                role: "Detective sergeant".into(),
                information_shared: "Two call-outs for domestic abuse in 2025.".into(),
            },
            Attendee {
                name: "Jo Reed".into(),
                agency: Some(Agency::Health),
                role: "Named nurse".into(),
                information_shared: "Missed health visits since January.".into(),
            },
        ],
        risks: vec![Risk {
            harm: "Physical injury".into(),
            to_whom: "Amy".into(),
            from_whom: "Mother's partner".into(),
            likelihood: Some(RiskLevel::High),
            severity: Some(RiskLevel::High),
        }],
        decision: Some(StrategyOutcome::Section47Enquiry),
        rationale: "Bruising with an inconsistent account and a history of violence.".into(),
        actions: vec![AgreedAction {
            description: "Joint visit to see Amy at school".into(),
            owner: "Social worker".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, 4),
        }],
        ..StrategyRecord::default()
    }
}

#[test]
fn a_complete_record_has_nothing_missing() {
    assert_eq!(missing_parts(&complete()), vec![]);
}

#[test]
fn an_empty_record_names_every_missing_part() {
    let missing = missing_parts(&StrategyRecord::default());
    assert_eq!(
        missing,
        vec![
            MissingPart::WhenHeld,
            MissingPart::Police,
            MissingPart::Health,
            MissingPart::Risks,
            MissingPart::Decision,
            MissingPart::Rationale,
            MissingPart::Actions,
        ]
    );
}

#[test]
fn police_and_health_may_be_absent_with_a_reason() {
    let mut record = complete();
    record.attendees.clear();
    assert_eq!(
        missing_parts(&record),
        vec![MissingPart::Police, MissingPart::Health]
    );
    record.police_absence_reason = "Police not available out of hours; to be updated".into();
    record.health_absence_reason = "Family not known to health services".into();
    assert_eq!(missing_parts(&record), vec![]);
}

#[test]
fn each_attending_agency_must_have_shared_something() {
    let mut record = complete();
    record.attendees.push(Attendee {
        name: "Mr Lee".into(),
        agency: Some(Agency::Education),
        role: "Designated safeguarding lead".into(),
        information_shared: " ".into(),
    });
    record.attendees[1].information_shared.clear();
    let missing = missing_parts(&record);
    assert_eq!(
        missing,
        vec![
            MissingPart::InformationShared {
                agency: Agency::Health
            },
            MissingPart::InformationShared {
                agency: Agency::Education
            },
        ]
    );
    assert_eq!(
        missing[0].to_string(),
        "Record the information Health shared."
    );
    assert_eq!(missing[1].field(), "information_shared.education");
}

#[test]
fn every_risk_and_action_is_defined_in_full() {
    let mut record = complete();
    record.risks.push(Risk {
        harm: "Neglect".into(),
        ..Risk::default()
    });
    record.actions.push(AgreedAction {
        description: "Check with GP".into(),
        ..AgreedAction::default()
    });
    let missing = missing_parts(&record);
    assert_eq!(
        missing,
        vec![
            MissingPart::RiskDetail {
                number: 2,
                detail: RiskDetail::ToWhom
            },
            MissingPart::RiskDetail {
                number: 2,
                detail: RiskDetail::FromWhom
            },
            MissingPart::RiskDetail {
                number: 2,
                detail: RiskDetail::Likelihood
            },
            MissingPart::RiskDetail {
                number: 2,
                detail: RiskDetail::Severity
            },
            MissingPart::ActionDetail {
                number: 2,
                detail: ActionDetail::Owner
            },
            MissingPart::ActionDetail {
                number: 2,
                detail: ActionDetail::DueDate
            },
        ]
    );
    assert_eq!(missing[0].to_string(), "Say who is at risk for risk 2.");
    assert_eq!(missing[4].to_string(), "Say who owns action 2.");
    assert_eq!(missing[5].field(), "actions[1].due_on");
}

#[test]
fn a_rationale_must_say_something() {
    let mut record = complete();
    record.rationale = "agreed".into();
    assert_eq!(missing_parts(&record), vec![MissingPart::Rationale]);
}

#[test]
fn held_within_a_working_day_of_the_decision() {
    let calendar = WorkingDayCalendar::new();
    let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or(NaiveDate::MIN);
    // Decided on Thursday 2 April 2026: the target is the end of Tuesday 7 April (Good
    // Friday and Easter Monday are not working days).
    assert_eq!(hold_by(&calendar, date(4, 2)), date(4, 7));
    assert!(held_within_target(&calendar, date(4, 2), date(4, 7)));
    assert!(!held_within_target(&calendar, date(4, 2), date(4, 8)));
}

#[test]
fn time_from_decision_in_words() {
    let decided = Utc.with_ymd_and_hms(2026, 3, 3, 10, 40, 0).single();
    let held = Utc.with_ymd_and_hms(2026, 3, 3, 14, 0, 0).single();
    let (Some(decided), Some(held)) = (decided, held) else {
        panic!("instants")
    };
    assert_eq!(
        duration_words(minutes_from_decision(decided, held)),
        "3 hours 20 minutes"
    );
    assert_eq!(duration_words(60), "1 hour");
    assert_eq!(duration_words(3 * 24 * 60 + 120), "3 days 2 hours");
    assert_eq!(minutes_from_decision(held, decided), 0);
}
