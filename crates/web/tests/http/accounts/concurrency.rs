//! Simultaneous administrative changes over real HTTP: exactly one winner, no 5xx.

use super::{audit_intact, csrf, operator, signed_in, worker_id};
use crate::support::{api_token, client, contact_json, linked_contact, servers, Server};
use reqwest::{Client, StatusCode};

/// Fires `n` copies of a form post at once; returns the statuses.
async fn at_once(
    server: &Server,
    browser: &Client,
    path: &str,
    forms: Vec<Vec<(String, String)>>,
) -> Vec<StatusCode> {
    let requests = forms.into_iter().map(|form| {
        let request = browser.post(server.url(path)).form(&form).send();
        async move { request.await.expect("post").status() }
    });
    futures_join_all(requests).await
}

/// Runs futures concurrently on the test's runtime (spawned, so they really overlap).
async fn futures_join_all<F>(futures: impl IntoIterator<Item = F>) -> Vec<StatusCode>
where
    F: std::future::Future<Output = StatusCode> + Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.expect("task"));
    }
    statuses
}

fn one_winner(statuses: &[StatusCode], what: &str) {
    assert!(
        statuses.iter().all(|s| !s.is_server_error()),
        "{what}: {statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{what}: exactly one winner: {statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::CONFLICT),
        "{what}: the others are told of the conflict: {statuses:?}"
    );
}

const N: usize = 8;

#[tokio::test]
async fn simultaneous_changes_have_exactly_one_winner() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let admin = signed_in(&server, "admin").await;
        let token = csrf(&server, &admin).await;
        let with_token = |pairs: &[(&str, &str)]| {
            let mut form = vec![("csrf_token".to_string(), token.clone())];
            form.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            form
        };

        // Two administrators (here: eight requests) deactivate the same worker at once.
        let id = worker_id(&server, "worker2").await;
        let statuses = at_once(
            &server,
            &admin,
            &format!("/admin/workers/{id}/deactivate"),
            vec![with_token(&[]); N],
        )
        .await;
        one_winner(&statuses, "deactivations");
        let events = server
            .app
            .administration_history(&operator(&server), id.0)
            .await
            .expect("history");
        assert_eq!(
            events
                .iter()
                .filter(|e| e.kind == "worker_deactivated")
                .count(),
            1
        );

        // The same new organisation added at once.
        let statuses = at_once(
            &server,
            &admin,
            "/admin/organisations",
            vec![with_token(&[("name", "Webshire Schools Trust"), ("kind", "school")]); N],
        )
        .await;
        one_winner(&statuses, "organisation creations");
        let organisations = server
            .app
            .organisations(&operator(&server))
            .await
            .expect("list");
        assert_eq!(
            organisations
                .iter()
                .filter(|o| o.name == "Webshire Schools Trust")
                .count(),
            1
        );

        // Framework versions published from the same version at once.
        let forms = (0..N)
            .map(|i| {
                let name = format!("Targeted {i}");
                with_token(&[
                    ("version", "1"),
                    ("level_1_name", "Universal"),
                    ("level_1_description", "Universal services."),
                    ("level_2_name", name.as_str()),
                    ("level_2_description", "Early help."),
                ])
            })
            .collect();
        let statuses = at_once(&server, &admin, "/admin/threshold-framework/edit", forms).await;
        one_winner(&statuses, "framework publications");
        let history = server
            .app
            .threshold_framework_history(&operator(&server))
            .await
            .expect("history");
        assert_eq!(
            history
                .versions
                .iter()
                .map(|v| v.version)
                .collect::<Vec<_>>(),
            [2, 1]
        );
        let stale = admin
            .post(server.url("/admin/threshold-framework/edit"))
            .form(&with_token(&[
                ("version", "1"),
                ("level_1_name", "A"),
                ("level_1_description", "a"),
                ("level_2_name", "B"),
                ("level_2_description", "b"),
            ]))
            .send()
            .await
            .expect("post");
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        assert!(stale
            .text()
            .await
            .expect("html")
            .contains("Version 2 of the threshold framework was published"));
        audit_intact(&server).await;
    }
}

/// A contact recorded and linked through the API, ready for a recommendation; returns its id.
async fn contact_ready_to_recommend(server: &Server, officer: &str) -> String {
    linked_contact(server, officer, &contact_json())
        .await
        .contact
}

#[tokio::test]
async fn recommendations_racing_a_new_framework_record_the_version_they_were_checked_against() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let mut contacts = Vec::new();
        for _ in 0..N {
            contacts.push(contact_ready_to_recommend(&server, &officer).await);
        }
        let admin = signed_in(&server, "admin").await;
        let token = csrf(&server, &admin).await;

        // Level 4 exists in version 1 (the default) but not in version 2 (two levels).
        let mut tasks = Vec::new();
        for id in &contacts {
            let request = client()
                .post(server.url(&format!("/api/contacts/{id}/recommendation")))
                .bearer_auth(&worker)
                .json(&serde_json::json!({ "outcome": "strategy_discussion", "level_of_need": "4", "rationale": "Children present during a domestic abuse incident; risk of significant harm." }))
                .send();
            tasks.push(tokio::spawn(async move {
                request.await.expect("recommend").status()
            }));
        }
        let publication = admin
            .post(server.url("/admin/threshold-framework/edit"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("version", "1"),
                ("level_1_name", "Universal"),
                ("level_1_description", "Universal services."),
                ("level_2_name", "Specialist"),
                ("level_2_description", "Statutory services."),
            ])
            .send();
        let published = tokio::spawn(async move { publication.await.expect("publish").status() });
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.expect("task"));
        }
        assert_eq!(published.await.expect("task"), StatusCode::SEE_OTHER);
        eprintln!("recommendations racing the publication: {statuses:?}");
        assert!(
            statuses.iter().all(|s| *s == StatusCode::CREATED
                || *s == StatusCode::CONFLICT
                || *s == StatusCode::UNPROCESSABLE_ENTITY),
            "each recommendation is recorded, or refused with what changed: {statuses:?}"
        );

        // Every decision stored names a version whose framework has its level.
        let history = server
            .app
            .threshold_framework_history(&operator(&server))
            .await
            .expect("history");
        let mut recorded = 0;
        for id in &contacts {
            let view: serde_json::Value = client()
                .get(server.url(&format!("/api/contacts/{id}")))
                .bearer_auth(&worker)
                .send()
                .await
                .expect("view")
                .json()
                .await
                .expect("json");
            for decision in view["decisions"].as_array().expect("decisions") {
                recorded += 1;
                let version = decision["threshold_framework_version"]
                    .as_i64()
                    .expect("version");
                let level = decision["level_of_need"].as_i64().expect("level");
                let framework = &history
                    .versions
                    .iter()
                    .find(|v| i64::from(v.version) == version)
                    .expect("a published version")
                    .framework;
                assert!(
                    framework.levels.iter().any(|l| i64::from(l.level) == level),
                    "level {level} is in version {version}"
                );
            }
        }
        assert_eq!(
            recorded,
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CREATED)
                .count(),
            "one decision per recommendation accepted"
        );
        audit_intact(&server).await;
    }
}
