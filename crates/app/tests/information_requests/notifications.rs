//! Notifications written with each change, and notification emails through an SMTP relay.

use crate::{each_backend, linked_contact};
use frontdoor_app::AppError;
use std::sync::Arc;

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
                    departure_reasons: Default::default(),
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
        let request = w.send(contact, subject, w.police, "urgent").await;
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
        w.send(contact, subject, w.police, "standard").await;
        assert_eq!(w.app.send_waiting_emails(&down).await.expect("send"), 0);
        assert_eq!(w.app.send_waiting_emails(&settings).await.expect("send"), 0);
        w.clock.advance(chrono::Duration::minutes(2));
        assert_eq!(w.app.send_waiting_emails(&settings).await.expect("send"), 1);
        assert_eq!(sessions.lock().expect("sessions").len(), 2);

        // Two senders at once (two servers on one database): each email goes once.
        w.send(contact, subject, w.police, "urgent").await;
        let (a, b) = tokio::join!(
            w.app.send_waiting_emails(&settings),
            w.app.send_waiting_emails(&settings)
        );
        assert_eq!(a.expect("send") + b.expect("send"), 1);
        assert_eq!(sessions.lock().expect("sessions").len(), 3);
    })
    .await;
}
