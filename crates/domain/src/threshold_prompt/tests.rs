use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

fn child(name: &str, born: Option<NaiveDate>, others: &[NaiveDate]) -> ChildOnContact {
    ChildOnContact {
        name: name.into(),
        birth_date: born,
        other_contact_dates: others.to_vec(),
    }
}

fn facts(
    on: NaiveDate,
    concerns: &[ConcernCategory],
    children: Vec<ChildOnContact>,
) -> PromptFacts {
    PromptFacts {
        contact_date: on,
        concerns: concerns.to_vec(),
        children,
        household: vec![],
    }
}

fn rule(kind: PromptKind) -> ThresholdPromptRule {
    ThresholdPromptRule::default_for(kind)
}

#[test]
fn under_months_counts_calendar_months_on_the_contact_date() {
    let born = d(2026, 1, 10);
    assert!(under_months(Some(born), d(2026, 7, 9), 6));
    assert!(
        !under_months(Some(born), d(2026, 7, 10), 6),
        "6 months old on the day"
    );
    // Born on the 31st: 6 months old on the last day of a shorter month.
    let born = d(2025, 8, 31);
    assert!(under_months(Some(born), d(2026, 2, 27), 6));
    assert!(!under_months(Some(born), d(2026, 2, 28), 6));
    // Not known, or not yet born: never under an age.
    assert!(!under_months(None, d(2026, 2, 28), 6));
    assert!(!under_months(Some(d(2026, 3, 1)), d(2026, 2, 28), 6));
}

#[test]
fn ages_in_months_and_a_baby_born_today() {
    let on = d(2026, 3, 15);
    assert_eq!(age_in_months(Some(on), on), Some(0));
    assert_eq!(age_in_months(Some(d(2026, 2, 15)), on), Some(1));
    assert_eq!(age_in_months(Some(d(2026, 2, 16)), on), Some(0));
    assert_eq!(age_in_months(Some(d(2021, 3, 16)), on), Some(59));
    assert_eq!(age_in_months(Some(d(2021, 3, 15)), on), Some(60));
    assert_eq!(age_in_months(Some(d(2026, 3, 16)), on), None);
    assert_eq!(
        age_in_months(Some(d(2024, 2, 29)), d(2025, 2, 28)),
        Some(12)
    );
}

#[test]
fn injury_to_a_baby_fires_under_the_age_and_not_at_it() {
    let r = rule(PromptKind::InjuryToNonMobileBaby);
    let on = d(2026, 6, 1);
    let physical = [ConcernCategory::PhysicalAbuse];
    let baby = |born| facts(on, &physical, vec![child("Ava Brown", Some(born), &[])]);
    let fired = evaluate(&r, &baby(d(2025, 12, 2))).expect("5 months old fires");
    assert_eq!(fired.minimum_outcome, ThresholdOutcome::StrategyDiscussion);
    assert!(
        fired.because.contains("Ava Brown is 5 months old"),
        "{}",
        fired.because
    );
    assert!(fired.source.contains("invisible men"));
    assert!(
        evaluate(&r, &baby(d(2025, 12, 1))).is_none(),
        "6 months: does not fire"
    );
    let today = evaluate(&r, &baby(on)).expect("born today fires");
    assert!(today.because.contains("born on the day of the contact"));
    // Not an injury concern, or the baby not yet born: no prompt.
    let neglect = facts(
        on,
        &[ConcernCategory::Neglect],
        vec![child("Ava", Some(on), &[])],
    );
    assert!(evaluate(&r, &neglect).is_none());
    assert!(evaluate(&r, &baby(d(2026, 6, 2))).is_none());
    // A configured age is honoured.
    let mut older = r.clone();
    older.condition = PromptCondition::InjuryToNonMobileBaby { under_months: 12 };
    assert!(evaluate(&older, &baby(d(2025, 12, 1))).is_some());
}

#[test]
fn repeat_contacts_fire_on_the_third_within_twelve_months() {
    let r = rule(PromptKind::RepeatContacts);
    let on = d(2026, 6, 1);
    let with = |others: &[NaiveDate]| {
        facts(
            on,
            &[ConcernCategory::Neglect],
            vec![child("Leo", None, others)],
        )
    };
    // Two earlier contacts, the earliest exactly 12 months before: this is the third.
    let fired = evaluate(&r, &with(&[d(2025, 6, 1), d(2026, 1, 5)])).expect("third contact");
    assert!(
        fired.because.contains("3rd contact about Leo"),
        "{}",
        fired.because
    );
    assert_eq!(
        fired.minimum_outcome,
        ThresholdOutcome::ReferralForAssessment
    );
    // One day outside the window: only the second.
    assert!(evaluate(&r, &with(&[d(2025, 5, 31), d(2026, 1, 5)])).is_none());
    assert!(evaluate(&r, &with(&[d(2026, 1, 5)])).is_none());
    // A contact dated after this one does not count.
    assert!(evaluate(&r, &with(&[d(2026, 1, 5), d(2026, 6, 2)])).is_none());
}

#[test]
fn domestic_abuse_with_a_child_under_five_on_the_contact_or_in_the_household() {
    let r = rule(PromptKind::DomesticAbuseWithYoungChild);
    let on = d(2026, 6, 1);
    let da = [ConcernCategory::DomesticAbuse];
    let four = d(2021, 6, 2);
    let five = d(2021, 6, 1);
    assert!(evaluate(&r, &facts(on, &da, vec![child("Mia", Some(four), &[])])).is_some());
    assert!(evaluate(&r, &facts(on, &da, vec![child("Mia", Some(five), &[])])).is_none());
    // The young child is not on the contact but lives in the household.
    let mut f = facts(on, &da, vec![child("Tom", Some(d(2014, 1, 1)), &[])]);
    assert!(evaluate(&r, &f).is_none());
    f.household.push(ChildInHousehold {
        name: "Baby Jones".into(),
        birth_date: Some(d(2026, 2, 1)),
    });
    let fired = evaluate(&r, &f).expect("household child under 5");
    assert!(
        fired
            .because
            .contains("Baby Jones (4 months old, in the household)"),
        "{}",
        fired.because
    );
    // No domestic abuse concern: nothing.
    f.concerns = vec![ConcernCategory::Neglect];
    assert!(evaluate(&r, &f).is_none());
}

#[test]
fn disabled_rules_never_fire_and_departure_is_below_the_minimum() {
    let mut r = rule(PromptKind::DomesticAbuseWithYoungChild);
    let on = d(2026, 6, 1);
    let f = facts(
        on,
        &[ConcernCategory::DomesticAbuse],
        vec![child("Mia", Some(on), &[])],
    );
    let fired = evaluate(&r, &f).expect("fires");
    assert!(fired.departed_from_by(ThresholdOutcome::EarlyHelp));
    assert!(fired.departed_from_by(ThresholdOutcome::Signpost));
    assert!(!fired.departed_from_by(ThresholdOutcome::ReferralForAssessment));
    assert!(!fired.departed_from_by(ThresholdOutcome::StrategyDiscussion));
    r.enabled = false;
    assert!(evaluate(&r, &f).is_none());
}

#[test]
fn rules_check_their_parameters_outcome_and_source() {
    assert!(PromptCondition::new(PromptKind::InjuryToNonMobileBaby, 0, 0).is_err());
    assert!(PromptCondition::new(PromptKind::RepeatContacts, 3, 0).is_err());
    assert_eq!(
        PromptCondition::new(PromptKind::RepeatContacts, 4, 6),
        Ok(PromptCondition::RepeatContacts {
            count: 4,
            within_months: 6
        })
    );
    let c = PromptCondition::new(PromptKind::DomesticAbuseWithYoungChild, 5, 0).expect("valid");
    assert_eq!(
        ThresholdPromptRule::new(c, true, ThresholdOutcome::NoFurtherAction, "x"),
        Err(PromptRuleError::OutcomeTooLow {
            kind: PromptKind::DomesticAbuseWithYoungChild
        })
    );
    assert!(ThresholdPromptRule::new(c, true, ThresholdOutcome::EarlyHelp, "  ").is_err());
    let ok = ThresholdPromptRule::new(
        c,
        false,
        ThresholdOutcome::EarlyHelp,
        " Local threshold document ",
    )
    .expect("valid");
    assert_eq!(ok.source, "Local threshold document");
    for kind in PromptKind::ALL {
        let d = ThresholdPromptRule::default_for(kind);
        let (a, b) = d.condition.parameters();
        assert_eq!(PromptCondition::new(kind, a, b), Ok(d.condition));
        assert_eq!(PromptKind::from_code(kind.code()), Some(kind));
        assert!(ThresholdPromptRule::new(d.condition, true, d.minimum_outcome, &d.source).is_ok());
    }
}

#[test]
fn reasons_must_say_something() {
    assert!(DepartureReason::parse("too short").is_none());
    assert!(DepartureReason::parse("  The bruise was seen by the GP and explained.  ").is_some());
}
