//! Information requests to partner agencies, end to end on every backend: sending (and every
//! field that must be right), due times from the authority's rule and calendar, the partner's
//! view scoped to their organisation, the guarded answer and withdrawal, the chronology, the
//! overdue count in the queue, and the notifications written with each change.

use chrono::{TimeZone, Utc};
use frontdoor_app::chronology::EntryCategory;
use frontdoor_app::records::{OrganisationKind, QueueFilter, Referrer, Store};
use frontdoor_app::{
    App, AppError, ContactInput, InformationRequestInput, LinkTarget, NewAuthority, NewWorker,
    Settings, SubjectInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::ids::{ContactId, OrganisationId};
use frontdoor_domain::information_request::RequestStatus;
use frontdoor_store::testing::all_backends;
use std::sync::Arc;
use uuid::Uuid;

const PASSWORD: &str = "a long enough password";

struct World {
    app: App,
    clock: Arc<FixedClock>,
    worker: Actor,
    manager: Actor,
    officer: Actor,
    police: OrganisationId,
    health: OrganisationId,
    police_officer: Actor,
    police_officer2: Actor,
    nurse: Actor,
    admin: Actor,
}

async fn world(store: Store) -> World {
    // Tuesday 3 March 2026, 10:00 London (GMT).
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
            .single()
            .expect("instant"),
    ));
    let app = App::new(store, clock.clone(), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "testshire".into(),
            name: "Testshire Council".into(),
            front_door_teams: vec!["MASH A".into()],
            other_teams: vec![],
            partners: vec![
                ("Testshire Police".into(), OrganisationKind::Police),
                ("Testshire Health".into(), OrganisationKind::Health),
            ],
        })
        .await
        .expect("authority");
    let team = app.store.teams(authority).await.expect("teams")[0].id;
    let organisations = app.store.organisations(authority).await.expect("orgs");
    let find = |kind| {
        organisations
            .iter()
            .find(|o| o.kind == kind)
            .map(|o| o.id)
            .expect("organisation")
    };
    let police = find(OrganisationKind::Police);
    let health = find(OrganisationKind::Health);
    let add = |username: &'static str, role: Role, team, organisation| {
        let app = app.clone();
        async move {
            app.add_worker_as_operator(&NewWorker {
                authority,
                username: username.into(),
                display_name: username.into(),
                role,
                team,
                organisation,
                asye: false,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor()
        }
    };
    World {
        worker: add("worker", Role::MashSocialWorker, Some(team), None).await,
        manager: add("manager", Role::TeamManager, Some(team), None).await,
        officer: add("officer", Role::ContactOfficer, Some(team), None).await,
        police_officer: add("pc.one", Role::PartnerPractitioner, None, Some(police)).await,
        police_officer2: add("pc.two", Role::PartnerPractitioner, None, Some(police)).await,
        nurse: add("nurse", Role::PartnerPractitioner, None, Some(health)).await,
        admin: add("admin", Role::Administrator, None, None).await,
        police,
        health,
        app,
        clock,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in all_backends().await.expect("databases") {
        eprintln!("-- on {}", database.backend());
        test(world(database.store.clone()).await).await;
        database.remove().await;
    }
}

/// A contact about Amy Stone, linked to a new record; returns the contact and Amy's subject id.
async fn linked_contact(w: &World) -> (ContactId, Uuid) {
    let contact = w
        .app
        .record_contact(
            &w.officer,
            &ContactInput {
                channel: "phone".into(),
                source: "2A".into(),
                referrer: Referrer {
                    name: "Jo Teacher".into(),
                    organisation: "Riverside Primary".into(),
                    ..Default::default()
                },
                concern_categories: vec!["neglect".into()],
                concern_summary: "Hungry at school three days running; no food at home.".into(),
                urgency: "standard".into(),
                family_consent: "given".into(),
                children: vec![SubjectInput {
                    given_name: "Amy".into(),
                    family_name: "Stone".into(),
                    date_of_birth: "2016-04-01".into(),
                    sex: "female".into(),
                    address: "1 Mill Lane, Testtown".into(),
                    postcode: "NE61 2EF".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .await
        .expect("contact");
    let view = w
        .app
        .view_contact(&w.officer, contact.id)
        .await
        .expect("view");
    let subject = view.subjects[0].subject.id;
    w.app
        .link_contact_subject(&w.officer, contact.id, subject, LinkTarget::NewRecord)
        .await
        .expect("link");
    (contact.id, subject)
}

fn with_consent(
    subject: Uuid,
    organisation: OrganisationId,
    urgency: &str,
) -> InformationRequestInput {
    InformationRequestInput {
        subject: subject.to_string(),
        organisation: organisation.to_string(),
        agency: "police".into(),
        questions: "Any callouts to 1 Mill Lane in the last year? Any known adults of concern?"
            .into(),
        consent: "consent_given".into(),
        consent_given_by: "Amy's mother".into(),
        consent_given_on: "2026-03-02".into(),
        urgency: urgency.into(),
        ..Default::default()
    }
}

fn fields(result: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_is_sent_answered_and_lands_on_the_childs_chronology() {
    each_backend(|w| async move {
        let (contact, subject) = linked_contact(&w).await;
        let request = w
            .app
            .request_information(
                &w.worker,
                contact,
                &with_consent(subject, w.police, "standard"),
            )
            .await
            .expect("sent");
        assert_eq!(request.status, RequestStatus::Sent);
        // Standard: three working days after Tuesday 3 March, so by the end of Friday 6 March.
        assert_eq!(
            request.due_at,
            Utc.with_ymd_and_hms(2026, 3, 7, 0, 0, 0)
                .single()
                .expect("instant")
        );
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
                .information_requests_on_contact(&w.police_officer, contact)
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));

        // An empty answer is refused; a real one is stored and the requester told.
        assert_eq!(
            fields(
                w.app
                    .answer_information_request(&w.police_officer, request.id, " ")
                    .await
            ),
            ["answer"]
        );
        w.app
            .answer_information_request(
                &w.police_officer,
                request.id,
                "Two domestic incidents in 2025; mother's partner has a caution for assault.",
            )
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
            .information_requests_on_contact(&w.worker, contact)
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
        assert_eq!(
            urgent.due_at,
            Utc.with_ymd_and_hms(2026, 3, 3, 14, 0, 0)
                .single()
                .expect("instant")
        );
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
        let contact = w
            .app
            .record_contact(
                &w.officer,
                &ContactInput {
                    channel: "phone".into(),
                    source: "2A".into(),
                    referrer: Referrer {
                        name: "Jo Teacher".into(),
                        ..Default::default()
                    },
                    concern_categories: vec!["neglect".into()],
                    concern_summary: "Hungry at school three days running.".into(),
                    urgency: "standard".into(),
                    family_consent: "given".into(),
                    children: vec![SubjectInput {
                        given_name: "Ben".into(),
                        family_name: "Hill".into(),
                        sex: "male".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            )
            .await
            .expect("contact");
        let view = w
            .app
            .view_contact(&w.officer, contact.id)
            .await
            .expect("view");
        let subject = view.subjects[0].subject.id;
        assert_eq!(
            fields(
                w.app
                    .request_information(
                        &w.worker,
                        contact.id,
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
        let urgent = w
            .app
            .request_information(
                &w.worker,
                contact,
                &with_consent(subject, w.police, "urgent"),
            )
            .await
            .expect("sent");
        let standard = w
            .app
            .request_information(
                &w.worker,
                contact,
                &with_consent(subject, w.health, "standard"),
            )
            .await
            .expect("sent");
        let queue = w
            .app
            .contact_queue(
                &w.worker,
                &QueueFilter {
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .expect("queue");
        assert_eq!(queue.overdue_requests, 0);
        // Five hours later the urgent request is overdue; the standard one is not.
        w.clock.advance(chrono::Duration::hours(5));
        let queue = w
            .app
            .contact_queue(
                &w.worker,
                &QueueFilter {
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .expect("queue");
        assert_eq!(queue.overdue_requests, 1);
        assert_eq!(queue.rows[0].overdue_requests, 1);
        let listed = w
            .app
            .information_requests_on_contact(&w.worker, contact)
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
        assert_eq!(
            fields(
                w.app
                    .withdraw_information_request(&w.worker, urgent.id, "")
                    .await
            ),
            ["reason"]
        );
        w.app
            .withdraw_information_request(
                &w.worker,
                urgent.id,
                "Police attended the strategy discussion.",
            )
            .await
            .expect("withdrawn");
        match w
            .app
            .answer_information_request(&w.police_officer, urgent.id, "Two callouts last year.")
            .await
        {
            Err(AppError::Conflict(message)) => assert!(message.contains("withdrawn"), "{message}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        let queue = w
            .app
            .contact_queue(
                &w.worker,
                &QueueFilter {
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .expect("queue");
        assert_eq!(queue.overdue_requests, 0);
        // The standard request falls due at the end of Friday 6 March.
        w.clock.set(
            Utc.with_ymd_and_hms(2026, 3, 7, 0, 0, 1)
                .single()
                .expect("instant"),
        );
        let queue = w
            .app
            .contact_queue(
                &w.worker,
                &QueueFilter {
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .expect("queue");
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
                .set_information_request_due_rule(
                    &frontdoor_app::ActingAs::Worker(w.manager.clone()),
                    "8",
                    "5"
                )
                .await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert_eq!(
            fields(
                w.app
                    .set_information_request_due_rule(
                        &frontdoor_app::ActingAs::Worker(w.admin.clone()),
                        "0",
                        "x"
                    )
                    .await
            ),
            ["standard_working_days"]
        );
        assert_eq!(
            fields(
                w.app
                    .set_information_request_due_rule(
                        &frontdoor_app::ActingAs::Worker(w.admin.clone()),
                        "0",
                        "5"
                    )
                    .await
            ),
            ["urgent_hours"]
        );
        w.app
            .set_information_request_due_rule(
                &frontdoor_app::ActingAs::Worker(w.admin.clone()),
                "8",
                "5",
            )
            .await
            .expect("set");
        let (contact, subject) = linked_contact(&w).await;
        let urgent = w
            .app
            .request_information(
                &w.worker,
                contact,
                &with_consent(subject, w.police, "urgent"),
            )
            .await
            .expect("sent");
        assert_eq!(
            urgent.due_at,
            Utc.with_ymd_and_hms(2026, 3, 3, 18, 0, 0)
                .single()
                .expect("instant")
        );
        let standard = w
            .app
            .request_information(
                &w.worker,
                contact,
                &with_consent(subject, w.police, "standard"),
            )
            .await
            .expect("sent");
        // Five working days after Tuesday 3 March: by the end of Tuesday 10 March.
        assert_eq!(
            standard.due_at,
            Utc.with_ymd_and_hms(2026, 3, 11, 0, 0, 0)
                .single()
                .expect("instant")
        );
    })
    .await;
}

#[tokio::test]
async fn managers_hear_of_recommendations_and_workers_of_returned_ones() {
    each_backend(|w| async move {
        let (contact, _) = linked_contact(&w).await;
        w.app
            .recommend_decision(
                &w.worker,
                contact,
                &frontdoor_app::RecommendationInput {
                    outcome: "referral_for_assessment".into(),
                    level_of_need: "3".into(),
                    signposted_to: String::new(),
                    rationale: "Neglect concerns from school; needs a child and family assessment."
                        .into(),
                },
            )
            .await
            .expect("recommended");
        let waiting = w.app.notifications(&w.manager).await.expect("n");
        assert_eq!(waiting.unread, 1);
        assert_eq!(waiting.items[0].kind, "authorisation_waiting");
        assert_eq!(waiting.items[0].link, format!("/contacts/{contact}"));
        assert_eq!(w.app.notifications(&w.worker).await.expect("n").unread, 0);
        w.app
            .review_decision(
                &w.manager,
                contact,
                &frontdoor_app::ReviewInput {
                    authorise: Some(false),
                    rationale: "Speak to the school again before deciding: return.".into(),
                },
            )
            .await
            .expect("returned");
        let returned = w.app.notifications(&w.worker).await.expect("n");
        assert_eq!(returned.items[0].kind, "decision_returned");
        // Reading them: one, then all.
        assert_eq!(
            w.app
                .mark_notifications_read(&w.worker, Some(returned.items[0].id))
                .await
                .expect("read"),
            1
        );
        assert_eq!(w.app.notifications(&w.worker).await.expect("n").unread, 0);
        assert_eq!(
            w.app
                .mark_notifications_read(&w.manager, None)
                .await
                .expect("read"),
            1
        );
        // Nobody marks another's notification read.
        assert_eq!(
            w.app
                .mark_notifications_read(&w.police_officer, Some(returned.items[0].id))
                .await
                .expect("read"),
            0
        );
    })
    .await;
}

/// A tiny SMTP server on a free port that accepts every message and keeps each session's text.
async fn smtp_sink() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    let sessions = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = sessions.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                let mut session = String::new();
                let mut in_data = false;
                let _ = write.write_all(b"220 sink ready\r\n").await;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    session.push_str(&line);
                    let answer: &[u8] = if in_data {
                        if line == ".\r\n" {
                            in_data = false;
                            b"250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else if line.starts_with("EHLO") {
                        b"250-sink\r\n250 OK\r\n"
                    } else if line.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if line.starts_with("QUIT") {
                        // Kept before answering, so a client that read "221" finds it here.
                        if let Ok(mut all) = kept.lock() {
                            all.push(std::mem::take(&mut session));
                        }
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (address, sessions)
}

#[tokio::test]
async fn notification_emails_go_through_the_relay_without_personal_data_and_failures_retry() {
    each_backend(|w| async move {
        let (relay, sessions) = smtp_sink().await;
        let settings = frontdoor_app::EmailSettings {
            smtp_relay: relay,
            from: "frontdoor@testshire.example".into(),
            base_url: "https://frontdoor.testshire.example".into(),
        };
        let operator = frontdoor_app::ActingAs::Operator {
            authority: w.worker.authority,
        };
        assert!(matches!(
            w.app
                .set_worker_email(&operator, w.police_officer.worker, "not an address")
                .await,
            Err(AppError::Invalid(_))
        ));
        w.app
            .set_worker_email(&operator, w.police_officer.worker, "pc.one@police.example")
            .await
            .expect("email set");
        let (contact, subject) = linked_contact(&w).await;
        let request = w
            .app
            .request_information(
                &w.worker,
                contact,
                &with_consent(subject, w.police, "urgent"),
            )
            .await
            .expect("sent");
        // Only the officer with an address gets an email, once.
        assert_eq!(w.app.send_waiting_emails(&settings).await.expect("send"), 1);
        assert_eq!(w.app.send_waiting_emails(&settings).await.expect("send"), 0);
        let sent = sessions.lock().expect("sessions").clone();
        assert_eq!(sent.len(), 1);
        let mail = &sent[0];
        assert!(mail.contains("RCPT TO:<pc.one@police.example>"), "{mail}");
        assert!(
            mail.contains("You have a new information request"),
            "{mail}"
        );
        assert!(mail.contains(&format!(
            "https://frontdoor.testshire.example/partner/requests/{}",
            request.id
        )));
        for personal in ["Amy", "Stone", "Mill Lane", "callouts", "Testshire Police"] {
            assert!(
                !mail.contains(personal),
                "the email holds '{personal}': {mail}"
            );
        }

        // A relay that is down: kept for later, not retried at once, sent once it is back.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let down = frontdoor_app::EmailSettings {
            smtp_relay: closed.local_addr().expect("address").to_string(),
            ..settings.clone()
        };
        drop(closed);
        w.app
            .request_information(
                &w.worker,
                contact,
                &with_consent(subject, w.police, "standard"),
            )
            .await
            .expect("sent");
        assert_eq!(w.app.send_waiting_emails(&down).await.expect("send"), 0);
        assert_eq!(w.app.send_waiting_emails(&settings).await.expect("send"), 0);
        w.clock.advance(chrono::Duration::minutes(2));
        assert_eq!(w.app.send_waiting_emails(&settings).await.expect("send"), 1);
        assert_eq!(sessions.lock().expect("sessions").len(), 2);
    })
    .await;
}
