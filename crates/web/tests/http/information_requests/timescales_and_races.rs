//! Due times over HTTP: an overdue request in the queue and on the contact, the administrator's
//! timescales; and simultaneous answers (or an answer and a withdrawal): exactly one wins.

use super::{linked_contact, organisation, request_json, send, status_of, POLICE_ANSWER};
use crate::support::{api_token, client, servers, signed_in_browser};
use frontdoor_app::records::OrganisationKind;
use frontdoor_app::{App, Settings};
use frontdoor_domain::clock::FixedClock;
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::Barrier;

#[tokio::test]
async fn an_overdue_request_is_flagged_on_the_contact_and_counted_in_the_queue() {
    for server in servers().await {
        let worker = api_token(&server, "worker").await;
        let police = organisation(&server, OrganisationKind::Police).await;
        let setup = linked_contact(&server, &worker).await;
        send(
            &server,
            &worker,
            &setup,
            &request_json(&setup, &police, "police", "urgent"),
        )
        .await;
        // The same database seen by a server whose clock is five hours ahead.
        let later = App::new(
            server.app.store.clone(),
            Arc::new(FixedClock::new(
                chrono::Utc::now() + chrono::Duration::hours(5),
            )),
            Settings::default(),
        );
        let router = frontdoor_web::router(
            later,
            frontdoor_web::WebSettings {
                behind_tls: false,
                public_authority: server.authority,
                referrals_per_client: 3,
                trusted_proxies: vec![],
            },
        )
        .await
        .expect("router");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { frontdoor_web::serve(listener, router).await });
        // Sessions started before would have lapsed five hours on: sign in again there.
        let signed_in: Value = client()
            .post(format!("{base}/api/session"))
            .json(&json!({ "username": "worker", "password": crate::support::PASSWORD }))
            .send()
            .await
            .expect("sign in")
            .json()
            .await
            .expect("json");
        let later_token = signed_in["token"].as_str().expect("token").to_string();
        let queue: Value = client()
            .get(format!("{base}/api/contacts"))
            .bearer_auth(&later_token)
            .send()
            .await
            .expect("r")
            .json()
            .await
            .expect("json");
        assert_eq!(queue["overdue_requests"], 1, "{}", server.backend());
        let row = queue["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["entry"]["id"] == setup.contact.as_str())
            .expect("row");
        assert_eq!(row["overdue_requests"], 1);
        let browser = client();
        let sign_in_page = browser
            .get(format!("{base}/sign-in"))
            .send()
            .await
            .expect("sign-in page")
            .text()
            .await
            .expect("html");
        let mut form = crate::support::hidden_fields(&sign_in_page);
        form.push(("username".into(), "worker".into()));
        form.push(("password".into(), crate::support::PASSWORD.into()));
        let signed_in = browser
            .post(format!("{base}/sign-in"))
            .form(&form)
            .send()
            .await
            .expect("sign in");
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
        let html = browser
            .get(format!("{base}/contacts"))
            .send()
            .await
            .expect("queue")
            .text()
            .await
            .expect("html");
        assert!(
            html.contains("1 information request overdue") && html.contains("Information overdue")
        );
        let html = browser
            .get(format!("{base}/contacts/{}", setup.contact))
            .send()
            .await
            .expect("contact")
            .text()
            .await
            .expect("html");
        assert!(html.contains("1 overdue"));
        // On the server with today's clock, nothing is overdue yet.
        let queue: Value = client()
            .get(server.url("/api/contacts"))
            .bearer_auth(&worker)
            .send()
            .await
            .expect("r")
            .json()
            .await
            .expect("json");
        assert_eq!(queue["overdue_requests"], 0);
    }
}

/// Sends every request at the same moment and returns each one's status and body.
async fn at_once(requests: Vec<RequestBuilder>) -> Vec<(StatusCode, String)> {
    let barrier = Arc::new(Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                status_of(request).await
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}

#[tokio::test]
async fn of_simultaneous_answers_or_an_answer_and_a_withdrawal_exactly_one_wins() {
    for server in servers().await {
        let http = client();
        let worker = api_token(&server, "worker").await;
        let partners = [
            api_token(&server, "partner").await,
            api_token(&server, "partner2").await,
        ];
        let police = organisation(&server, OrganisationKind::Police).await;
        let setup = linked_contact(&server, &worker).await;
        for round in 0..3 {
            let id = send(
                &server,
                &worker,
                &setup,
                &request_json(&setup, &police, "police", "standard"),
            )
            .await;
            let answer = |token: &str| {
                http.post(server.url(&format!("/api/partner/requests/{id}/answer")))
                    .bearer_auth(token)
                    .json(&json!({ "answer": POLICE_ANSWER }))
            };
            let requests = if round == 2 {
                vec![
                    answer(&partners[0]),
                    http.post(server.url(&format!("/api/information-requests/{id}/withdraw")))
                        .bearer_auth(&worker)
                        .json(&json!({ "reason": "Police attended the strategy discussion." })),
                ]
            } else {
                vec![
                    answer(&partners[0]),
                    answer(&partners[1]),
                    answer(&partners[0]),
                    answer(&partners[1]),
                ]
            };
            let results = at_once(requests).await;
            for (status, body) in &results {
                assert!(
                    !status.is_server_error(),
                    "{} round {round}: {status} {body}",
                    server.backend()
                );
                if *status == StatusCode::CONFLICT {
                    assert!(
                        body.contains("answered") || body.contains("withdr"),
                        "{body}"
                    );
                }
            }
            let won = results.iter().filter(|(s, _)| s.is_success()).count();
            let lost = results
                .iter()
                .filter(|(s, _)| *s == StatusCode::CONFLICT)
                .count();
            assert_eq!(
                (won, lost),
                (1, results.len() - 1),
                "{} round {round}: {results:?}",
                server.backend()
            );
        }
        // One answered or withdrawn event per request, no more.
        let chronology: Value = http
            .get(server.url(&format!(
                "/api/people/{}/chronology?show=information_request",
                setup.person
            )))
            .bearer_auth(&worker)
            .send()
            .await
            .expect("r")
            .json()
            .await
            .expect("json");
        assert_eq!(
            chronology.as_array().expect("entries").len(),
            6,
            "{chronology}"
        );
        let report = server.app.verify_audit_trail().await.expect("verify");
        assert!(report.is_intact(), "{report:?}");
    }
}

#[tokio::test]
async fn an_administrator_sets_the_timescales_on_a_page_and_others_cannot() {
    for server in servers().await {
        let (admin, csrf) = signed_in_browser(&server, "admin").await;
        let page = admin
            .get(server.url("/admin/information-requests"))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.expect("html").contains("value=\"4\""));
        let wrong = admin
            .post(server.url("/admin/information-requests"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("urgent_hours", "0"),
                ("standard_working_days", "5"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let saved = admin
            .post(server.url("/admin/information-requests"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("urgent_hours", "8"),
                ("standard_working_days", "5"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let worker = api_token(&server, "worker").await;
        let rule: Value = client()
            .get(server.url("/api/information-request-timescales"))
            .bearer_auth(&worker)
            .send()
            .await
            .expect("r")
            .json()
            .await
            .expect("json");
        assert_eq!(
            rule,
            json!({ "urgent_hours": 8, "standard_working_days": 5 })
        );
        let (status, _) = status_of(
            client()
                .put(server.url("/api/information-request-timescales"))
                .bearer_auth(&worker)
                .json(&json!({ "urgent_hours": 2, "standard_working_days": 1 })),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (manager, _) = signed_in_browser(&server, "manager").await;
        let status = manager
            .get(server.url("/admin/information-requests"))
            .send()
            .await
            .expect("page")
            .status();
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_policy_says() {
    use StatusCode as S;
    for server in servers().await {
        let worker = api_token(&server, "worker").await;
        let police = organisation(&server, OrganisationKind::Police).await;
        let setup = linked_contact(&server, &worker).await;
        let id = send(
            &server,
            &worker,
            &setup,
            &request_json(&setup, &police, "police", "urgent"),
        )
        .await;
        let contact = &setup.contact;
        // (path, expected for officer, worker, manager, partner, nurse, admin)
        let table: Vec<(String, [S; 6])> = vec![
            (
                format!("/contacts/{contact}/information-requests"),
                [
                    S::OK,
                    S::OK,
                    S::OK,
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                ],
            ),
            (
                "/partner/requests".into(),
                [
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::OK,
                    S::OK,
                    S::FORBIDDEN,
                ],
            ),
            (
                format!("/partner/requests/{id}"),
                [
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::OK,
                    S::NOT_FOUND,
                    S::FORBIDDEN,
                ],
            ),
            ("/notifications".into(), [S::OK; 6]),
            (
                "/admin/information-requests".into(),
                [
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::FORBIDDEN,
                    S::OK,
                ],
            ),
        ];
        let users = ["officer", "worker", "manager", "partner", "nurse", "admin"];
        for (i, username) in users.iter().enumerate() {
            let (browser, _) = signed_in_browser(&server, username).await;
            let token = api_token(&server, username).await;
            for (path, expected) in &table {
                let page = browser
                    .get(server.url(path))
                    .send()
                    .await
                    .expect("page")
                    .status();
                assert_eq!(
                    page,
                    expected[i],
                    "{username} GET {path} on {}",
                    server.backend()
                );
                if !path.starts_with("/admin/") {
                    let api = client()
                        .get(server.url(&format!("/api{path}")))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .expect("api")
                        .status();
                    assert_eq!(api, expected[i], "{username} GET /api{path}");
                }
            }
        }
        // Without a session: pages go to sign in, the API answers 401.
        for (path, _) in &table {
            let page = client()
                .get(server.url(path))
                .send()
                .await
                .expect("page")
                .status();
            assert_eq!(page, S::SEE_OTHER, "{path}");
            if !path.starts_with("/admin/") {
                let api = client()
                    .get(server.url(&format!("/api{path}")))
                    .send()
                    .await
                    .expect("api")
                    .status();
                assert_eq!(api, S::UNAUTHORIZED, "/api{path}");
            }
        }
    }
}
