//! Sending, answering, withdrawing and the partner's scope; due times and the overdue count.

use crate::{conflict, each_backend, fields, linked_contact, recorded_contact, utc, with_consent};
use frontdoor_app::chronology::EntryCategory;
use frontdoor_app::records::OrganisationKind;
use frontdoor_app::{ActingAs, AppError, InformationRequestInput, SubjectInput};
use frontdoor_domain::authorization::DenialReason;
use frontdoor_domain::ids::OrganisationId;
use frontdoor_domain::information_request::RequestStatus;

#[tokio::test]
async fn a_request_is_sent_answered_and_lands_on_the_childs_chronology() {
    each_backend(|w| async move {
        let (contact, subject) = linked_contact(&w).await;
        let request = w.send(contact, subject, w.police, "standard").await;
        assert_eq!(request.status, RequestStatus::Sent);
        // Standard: three working days after Tuesday 3 March, so by the end of Friday 6 March.
        assert_eq!(request.due_at, utc(2026, 3, 7, 0, 0));
        // The police practitioners are told; the health practitioner is not.
        let told = w
            .app
            .notifications(&w.police_officer)
            .await
            .expect("notifications");
        assert_eq!(told.unread, 1);
        assert_eq!(
            told.items[0].link,
            format!("/partner/requests/{}", request.id)
        );
        assert_eq!(w.app.notifications(&w.nurse).await.expect("n").unread, 0);

        // The partner sees the child's name, date of birth and address, and the questions.
        let seen = w
            .app
            .addressed_request(&w.police_officer, request.id)
            .await
            .expect("partner sees it");
        assert_eq!(seen.request.child_name, "Amy Stone");
        assert_eq!(seen.request.child_address, "1 Mill Lane, Testtown NE61 2EF");
        assert!(seen.request.answer.is_none());
        // Another organisation's practitioner is told it does not exist.
        assert!(matches!(
            w.app.addressed_request(&w.nurse, request.id).await,
            Err(AppError::NotFound(_))
        ));
        assert!(w
            .app
            .addressed_requests(&w.nurse)
            .await
            .expect("list")
            .is_empty());
        assert!(matches!(
            w.app
                .answer_information_request(&w.nurse, request.id, "Nothing known to us.")
                .await,
            Err(AppError::NotFound(_))
        ));
        // A partner never reaches the authority's side of the request or the record.
        assert!(matches!(
            w.app
                .information_requests_on(&w.police_officer, contact)
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));

        // An empty answer is refused; a real one is stored and the requester told.
        let answer = |text| {
            w.app
                .answer_information_request(&w.police_officer, request.id, text)
        };
        assert_eq!(fields(answer(" ").await), ["answer"]);
        answer("Two domestic incidents in 2025; mother's partner has a caution for assault.")
            .await
            .expect("answered");
        // The second officer of the same force finds it answered: a conflict naming who.
        match w
            .app
            .answer_information_request(&w.police_officer2, request.id, "Nothing more to add.")
            .await
        {
            Err(AppError::Conflict(message)) => {
                assert!(message.contains("pc.one"), "{message}");
                assert!(message.contains("answered"), "{message}");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        // Nor can the worker withdraw it now.
        assert!(matches!(
            w.app
                .withdraw_information_request(&w.worker, request.id, "No longer needed.")
                .await,
            Err(AppError::Conflict(_))
        ));
        let answered = w.app.notifications(&w.worker).await.expect("n");
        assert_eq!(answered.unread, 1);
        assert_eq!(answered.items[0].kind, "information_request_answered");

        let on_contact = w
            .app
            .information_requests_on(&w.worker, contact)
            .await
            .expect("list");
        assert_eq!(on_contact[0].request.status, RequestStatus::Answered);
        let person = on_contact[0].request.person;
        let chronology = w
            .app
            .person_chronology(&w.worker, person, Some(EntryCategory::InformationRequest))
            .await
            .expect("chronology");
        let titles: Vec<&str> = chronology.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Information requested from Testshire Police (police)",
                "Testshire Police (police) answered an information request"
            ]
        );
        assert!(chronology[1].detail.contains("caution for assault"));
    })
    .await;
}

#[tokio::test]
async fn every_field_of_a_request_must_be_right() {
    each_backend(|w| async move {
        let (contact, subject) = linked_contact(&w).await;
        assert_eq!(
            fields(
                w.app
                    .request_information(&w.worker, contact, &InformationRequestInput::default())
                    .await
            ),
            [
                "subject",
                "organisation",
                "agency",
                "questions",
                "urgency",
                "consent"
            ]
        );
        // Consent given: who and when, and not in the future.
        let mut input = with_consent(subject, w.police, "urgent");
        input.consent_given_by = String::new();
        input.consent_given_on = "2026-03-04".into();
        assert_eq!(
            fields(w.app.request_information(&w.worker, contact, &input).await),
            ["consent_given_by"]
        );
        input.consent_given_by = "Mother".into();
        assert_eq!(
            fields(w.app.request_information(&w.worker, contact, &input).await),
            ["consent_given_on"]
        );
        // Without consent: a reason, and an active manager of the authority.
        let mut input = with_consent(subject, w.police, "urgent");
        input.consent = "without_consent".into();
        assert_eq!(
            fields(w.app.request_information(&w.worker, contact, &input).await),
            ["agreed_by", "without_consent_reason"]
        );
        input.without_consent_reason =
            "Asking the family would put Amy at risk of significant harm.".into();
        input.agreed_by = w.worker.worker.to_string();
        assert_eq!(
            fields(w.app.request_information(&w.worker, contact, &input).await),
            ["agreed_by"]
        );
        input.agreed_by = w.manager.worker.to_string();
        let urgent = w
            .app
            .request_information(&w.worker, contact, &input)
            .await
            .expect("sent without consent");
        // Urgent: four hours.
        assert_eq!(urgent.due_at, utc(2026, 3, 3, 14, 0));
        assert_eq!(urgent.agreed_by_name.as_deref(), Some("manager"));
        // The authority itself is not a partner to ask; a made-up organisation neither.
        let own = w
            .app
            .store
            .organisations(w.worker.authority)
            .await
            .expect("orgs")
            .into_iter()
            .find(|o| o.kind == OrganisationKind::LocalAuthority)
            .expect("own organisation");
        for organisation in [own.id, OrganisationId::new()] {
            assert_eq!(
                fields(
                    w.app
                        .request_information(
                            &w.worker,
                            contact,
                            &with_consent(subject, organisation, "urgent")
                        )
                        .await
                ),
                ["organisation"]
            );
        }
        // A partner cannot send requests, nor an administrator.
        for who in [&w.police_officer, &w.admin] {
            assert!(matches!(
                w.app
                    .request_information(who, contact, &with_consent(subject, w.health, "urgent"))
                    .await,
                Err(AppError::Denied(DenialReason::RoleNotPermitted))
            ));
        }
    })
    .await;
}

#[tokio::test]
async fn a_child_must_be_linked_to_a_record_before_anyone_is_asked() {
    each_backend(|w| async move {
        let ben = SubjectInput {
            given_name: "Ben".into(),
            family_name: "Hill".into(),
            sex: "male".into(),
            ..Default::default()
        };
        let (contact, subject) = recorded_contact(&w, ben).await;
        assert_eq!(
            fields(
                w.app
                    .request_information(
                        &w.worker,
                        contact,
                        &with_consent(subject, w.police, "standard")
                    )
                    .await
            ),
            ["subject"]
        );
    })
    .await;
}

#[tokio::test]
async fn overdue_requests_are_flagged_and_counted_in_the_queue_until_answered_or_withdrawn() {
    each_backend(|w| async move {
        let (contact, subject) = linked_contact(&w).await;
        let urgent = w.send(contact, subject, w.police, "urgent").await;
        let standard = w.send(contact, subject, w.health, "standard").await;
        let queue = w.queue().await;
        assert_eq!(queue.overdue_requests, 0);
        // Five hours later the urgent request is overdue; the standard one is not.
        w.clock.advance(chrono::Duration::hours(5));
        let queue = w.queue().await;
        assert_eq!(queue.overdue_requests, 1);
        assert_eq!(queue.rows[0].overdue_requests, 1);
        let listed = w
            .app
            .information_requests_on(&w.worker, contact)
            .await
            .expect("list");
        let overdue: Vec<bool> = listed.iter().map(|r| r.overdue).collect();
        assert_eq!(overdue, [true, false]);
        // The requester sees it among what is waiting for them.
        let waiting = w.app.notifications(&w.worker).await.expect("n");
        assert_eq!(waiting.overdue.len(), 1);
        assert_eq!(waiting.overdue[0].id, urgent.id);
        // The police still see it, overdue, and can answer it.
        assert!(
            w.app
                .addressed_request(&w.police_officer, urgent.id)
                .await
                .expect("seen")
                .overdue
        );
        // Withdrawn: no longer overdue, and a partner cannot answer it any more.
        let withdraw = |reason| {
            w.app
                .withdraw_information_request(&w.worker, urgent.id, reason)
        };
        assert_eq!(fields(withdraw("").await), ["reason"]);
        withdraw("Police attended the strategy discussion.")
            .await
            .expect("withdrawn");
        // The police are told they need not answer.
        let told = w.app.notifications(&w.police_officer).await.expect("n");
        assert_eq!(told.items[0].kind, "information_request_withdrawn");
        assert_eq!(
            told.items[0].link,
            format!("/partner/requests/{}", urgent.id)
        );
        conflict(
            w.app
                .answer_information_request(&w.police_officer, urgent.id, "Two callouts last year.")
                .await,
            "withdrawn",
        );
        let queue = w.queue().await;
        assert_eq!(queue.overdue_requests, 0);
        // The standard request falls due at the end of Friday 6 March.
        w.clock
            .set(utc(2026, 3, 7, 0, 0) + chrono::Duration::seconds(1));
        let queue = w.queue().await;
        assert_eq!(queue.overdue_requests, 1);
        assert_ne!(standard.id, urgent.id);
    })
    .await;
}

#[tokio::test]
async fn the_authority_sets_its_own_due_times() {
    each_backend(|w| async move {
        assert!(matches!(
            w.app
                .set_information_request_due_rule(&ActingAs::Worker(w.manager.clone()), "8", "5")
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        let admin = ActingAs::Worker(w.admin.clone());
        for (urgent_hours, standard_days, wrong) in [
            ("0", "x", "standard_working_days"),
            ("0", "5", "urgent_hours"),
        ] {
            assert_eq!(
                fields(
                    w.app
                        .set_information_request_due_rule(&admin, urgent_hours, standard_days)
                        .await
                ),
                [wrong],
                "urgent hours {urgent_hours}, standard working days {standard_days}"
            );
        }
        w.app
            .set_information_request_due_rule(&admin, "8", "5")
            .await
            .expect("set");
        let (contact, subject) = linked_contact(&w).await;
        let urgent = w.send(contact, subject, w.police, "urgent").await;
        assert_eq!(urgent.due_at, utc(2026, 3, 3, 18, 0));
        let standard = w.send(contact, subject, w.police, "standard").await;
        // Five working days after Tuesday 3 March: by the end of Tuesday 10 March.
        assert_eq!(standard.due_at, utc(2026, 3, 11, 0, 0));
    })
    .await;
}

#[tokio::test]
async fn a_partners_reading_of_a_request_is_in_the_access_log() {
    each_backend(|w| async move {
        let (contact, subject) = linked_contact(&w).await;
        let request = w.send(contact, subject, w.police, "urgent").await;
        let before = w
            .app
            .store
            .accesses_of(w.worker.authority, request.person, 100)
            .await
            .expect("log")
            .len();
        w.app
            .addressed_request(&w.police_officer, request.id)
            .await
            .expect("read");
        let log = w
            .app
            .store
            .accesses_of(w.worker.authority, request.person, 100)
            .await
            .expect("log");
        assert_eq!(log.len(), before + 1);
        assert!(log.iter().any(|a| a.actor == w.police_officer.worker
            && a.purpose == format!("information request {}", request.id)));
    })
    .await;
}
