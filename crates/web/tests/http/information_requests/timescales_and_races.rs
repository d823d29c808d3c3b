//! Due times over HTTP: an overdue request in the queue and on the contact, the administrator's
//! timescales; and simultaneous answers (or an answer and a withdrawal): exactly one wins.

use super::{organisation, request_chronology, send, POLICE_ANSWER};
use crate::concurrency::{assert_audit_intact, at_once};
use crate::support::{
    api_token, api_token_at, app_with, client, contact_json, get_json, linked_contact, page,
    serve_app, servers, signed_in_browser, signed_in_browser_at, status_of,
};
use frontdoor_app::records::OrganisationKind;
use frontdoor_app::Settings;
use frontdoor_domain::clock::FixedClock;
use frontdoor_web::ConnectionLimits;
use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn an_overdue_request_is_flagged_on_the_contact_and_counted_in_the_queue() {
    for server in servers().await {
        let worker = api_token(&server, "worker").await;
        let police = organisation(&server, OrganisationKind::Police).await;
        let setup = linked_contact(&server, &worker, &contact_json()).await;
        send(&server, &worker, &setup, &police, "police", "urgent").await;
        // The same database seen by a server whose clock is five hours ahead.
        let clock = Arc::new(FixedClock::new(
            chrono::Utc::now() + chrono::Duration::hours(5),
        ));
        let later = app_with(&server, clock, Settings::default());
        let base = serve_app(&server, later, vec![], ConnectionLimits::default()).await;
        // Sessions started before would have lapsed five hours on: sign in again there.
        let later_token = api_token_at(&base, "worker").await;
        let queue = get_json(base.as_str(), &later_token, "/api/contacts").await;
        assert_eq!(queue["overdue_requests"], 1, "{}", server.backend());
        let row = queue["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["entry"]["id"] == setup.contact.as_str())
            .expect("row");
        assert_eq!(row["overdue_requests"], 1);
        let (browser, _) = signed_in_browser_at(&base, "worker").await;
        let html = page(base.as_str(), &browser, "/contacts").await;
        assert!(
            html.contains("1 information request overdue") && html.contains("Information overdue")
        );
        let html = page(
            base.as_str(),
            &browser,
            &format!("/contacts/{}", setup.contact),
        )
        .await;
        assert!(html.contains("1 overdue"));
        // On the server with today's clock, nothing is overdue yet.
        let queue = get_json(&server, &worker, "/api/contacts").await;
        assert_eq!(queue["overdue_requests"], 0);
    }
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
        let setup = linked_contact(&server, &worker, &contact_json()).await;
        for round in 0..3 {
            let id = send(&server, &worker, &setup, &police, "police", "standard").await;
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
        let chronology = request_chronology(&server, &worker, &setup).await;
        assert_eq!(chronology.len(), 6, "{chronology:?}");
        assert_audit_intact(&server).await;
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
        for (urgent_hours, expected) in [
            ("0", StatusCode::UNPROCESSABLE_ENTITY),
            ("8", StatusCode::SEE_OTHER),
        ] {
            let (status, _) = status_of(
                admin
                    .post(server.url("/admin/information-requests"))
                    .form(&[
                        ("csrf_token", csrf.as_str()),
                        ("urgent_hours", urgent_hours),
                        ("standard_working_days", "5"),
                    ]),
            )
            .await;
            assert_eq!(status, expected, "urgent hours {urgent_hours}");
        }
        let worker = api_token(&server, "worker").await;
        let rule = get_json(&server, &worker, "/api/information-request-timescales").await;
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
        let setup = linked_contact(&server, &worker, &contact_json()).await;
        let id = send(&server, &worker, &setup, &police, "police", "urgent").await;
        let contact = &setup.contact;
        // (path, expected for officer, worker, manager, partner, nurse, admin)
        let (ok, no, gone) = (S::OK, S::FORBIDDEN, S::NOT_FOUND);
        let table: Vec<(String, [S; 6])> = vec![
            (
                format!("/contacts/{contact}/information-requests"),
                [ok, ok, ok, no, no, no],
            ),
            ("/partner/requests".into(), [no, no, no, ok, ok, no]),
            (
                format!("/partner/requests/{id}"),
                [no, no, no, ok, gone, no],
            ),
            ("/notifications".into(), [ok; 6]),
            (
                "/admin/information-requests".into(),
                [no, no, no, no, no, ok],
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
