use super::*;
use chrono::TimeZone;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, day, hour, 0, 0)
        .single()
        .expect("instant")
}

fn given(agencies: &[Agency], parts: &[SharedPart], when: DateTime<Utc>) -> ConsentToShare {
    ConsentToShare::new(
        ConsentDecision::Given,
        agencies.to_vec(),
        parts.to_vec(),
        when,
    )
    .expect("consent")
}

fn ended(decision: ConsentDecision, agencies: &[Agency], when: DateTime<Utc>) -> ConsentToShare {
    ConsentToShare::new(decision, agencies.to_vec(), vec![], when).expect("consent")
}

#[test]
fn nothing_is_shared_without_a_consent_decision() {
    assert_eq!(
        may_share(&[], &[], Agency::Health, SharedPart::Identity),
        Sharing::Denied(SharingDenied::NoConsent)
    );
    // Consent to another agency says nothing about this one.
    let police = given(&[Agency::Police], &SharedPart::ALL, at(1, 9));
    assert_eq!(
        may_share(&[police], &[], Agency::Health, SharedPart::Identity),
        Sharing::Denied(SharingDenied::NoConsent)
    );
}

#[test]
fn given_consent_allows_only_its_parts_and_its_agencies() {
    let consent = given(
        &[Agency::Health, Agency::Education],
        &[SharedPart::Identity, SharedPart::Assessment],
        at(1, 9),
    );
    let consents = [consent];
    for agency in [Agency::Health, Agency::Education] {
        assert_eq!(
            may_share(&consents, &[], agency, SharedPart::Assessment),
            Sharing::Allowed(SharingBasis::Consent)
        );
        assert_eq!(
            may_share(&consents, &[], agency, SharedPart::FamilyHistory),
            Sharing::Denied(SharingDenied::OutsideScope)
        );
    }
    assert!(!may_share(&consents, &[], Agency::Police, SharedPart::Identity).is_allowed());
}

#[test]
fn the_latest_decision_naming_the_agency_wins() {
    let first = given(&[Agency::Health], &[SharedPart::Identity], at(1, 9));
    let refused = ended(ConsentDecision::Refused, &[Agency::Health], at(2, 9));
    let again = given(&[Agency::Health], &SharedPart::ALL, at(3, 9));
    assert_eq!(
        may_share(
            &[first.clone(), refused.clone()],
            &[],
            Agency::Health,
            SharedPart::Identity
        ),
        Sharing::Denied(SharingDenied::Refused)
    );
    // Order in the slice does not matter: the time recorded does.
    assert_eq!(
        may_share(
            &[again.clone(), refused.clone(), first.clone()],
            &[],
            Agency::Health,
            SharedPart::FamilyHistory
        ),
        Sharing::Allowed(SharingBasis::Consent)
    );
    // A refusal for one agency leaves the consent to another standing.
    let both = given(
        &[Agency::Health, Agency::Police],
        &SharedPart::ALL,
        at(1, 9),
    );
    let police_refused = ended(ConsentDecision::Refused, &[Agency::Police], at(2, 9));
    let consents = [both, police_refused];
    assert!(may_share(&consents, &[], Agency::Health, SharedPart::Identity).is_allowed());
    assert_eq!(
        may_share(&consents, &[], Agency::Police, SharedPart::Identity),
        Sharing::Denied(SharingDenied::Refused)
    );
}

#[test]
fn withdrawal_ends_consent_and_naming_no_agency_names_them_all() {
    let consent = given(
        &[Agency::Health, Agency::Education],
        &SharedPart::ALL,
        at(1, 9),
    );
    let withdrawn = ended(ConsentDecision::Withdrawn, &[], at(5, 9));
    for agency in [Agency::Health, Agency::Education] {
        assert_eq!(
            may_share(
                &[consent.clone(), withdrawn.clone()],
                &[],
                agency,
                SharedPart::Identity
            ),
            Sharing::Denied(SharingDenied::Withdrawn)
        );
    }
}

#[test]
fn a_safeguarding_override_allows_sharing_regardless() {
    let refused = ended(ConsentDecision::Refused, &[], at(1, 9));
    let override_ = SafeguardingOverride {
        agency: Agency::Health,
        recorded_at: at(2, 9),
    };
    for part in SharedPart::ALL {
        assert_eq!(
            may_share(
                std::slice::from_ref(&refused),
                std::slice::from_ref(&override_),
                Agency::Health,
                part
            ),
            Sharing::Allowed(SharingBasis::SafeguardingOverride)
        );
    }
    // Only for the agency it names.
    assert_eq!(
        may_share(
            std::slice::from_ref(&refused),
            std::slice::from_ref(&override_),
            Agency::Police,
            SharedPart::Identity
        ),
        Sharing::Denied(SharingDenied::Refused)
    );
}

#[test]
fn given_consent_must_name_agencies_and_parts() {
    assert_eq!(
        ConsentToShare::new(
            ConsentDecision::Given,
            vec![],
            vec![SharedPart::Identity],
            at(1, 9)
        ),
        Err(EarlyHelpError::GivenWithoutAgencies)
    );
    assert_eq!(
        ConsentToShare::new(
            ConsentDecision::Given,
            vec![Agency::Health],
            vec![],
            at(1, 9)
        ),
        Err(EarlyHelpError::GivenWithoutParts)
    );
    // A refusal shares nothing, whatever parts were ticked; duplicates are dropped.
    let refused = ConsentToShare::new(
        ConsentDecision::Refused,
        vec![Agency::Health, Agency::Health],
        vec![SharedPart::Identity],
        at(1, 9),
    )
    .expect("refusal");
    assert!(refused.parts.is_empty());
    assert_eq!(refused.agencies, vec![Agency::Health]);
}

#[test]
fn codes_round_trip() {
    for d in ConsentDecision::ALL {
        assert_eq!(ConsentDecision::from_code(d.code()), Ok(d));
    }
    for p in SharedPart::ALL {
        assert_eq!(SharedPart::from_code(p.code()), Ok(p));
    }
    for s in [
        EarlyHelpStatus::Open,
        EarlyHelpStatus::SteppedUp,
        EarlyHelpStatus::Closed,
    ] {
        assert_eq!(EarlyHelpStatus::from_code(s.code()), Ok(s));
    }
    assert!(ConsentDecision::from_code("maybe").is_err());
    assert!(SharedPart::from_code("bank_details").is_err());
}

#[test]
fn the_assessment_is_due_thirty_working_days_after_it_starts() {
    let calendar = WorkingDayCalendar::new();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
    // Wednesday 1 April 2026: Good Friday (3 April) and Easter Monday (6 April) do not count,
    // nor the early May bank holiday (4 May).
    let due = assessment_due(&calendar, d(2026, 4, 1));
    assert_eq!(due, d(2026, 5, 18));
    assert_eq!(calendar.working_days_between(d(2026, 4, 1), due), 30);
    assert!(!assessment_overdue(Some(due), None, due));
    assert!(assessment_overdue(Some(due), None, d(2026, 5, 19)));
    assert!(!assessment_overdue(
        Some(due),
        Some(d(2026, 5, 20)),
        d(2026, 5, 21)
    ));
    assert!(!assessment_overdue(None, None, d(2026, 12, 1)));
}
