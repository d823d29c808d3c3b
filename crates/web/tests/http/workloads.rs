//! Workloads over HTTP on both backends: rules set by an administrator only; an ASYE worker's
//! protected caseload holds when several managers allocate at once (one fits, the others are
//! told why, no 5xx); a manager's reasoned override is reported; who may see what.

use crate::child_protection::authorised_strategy;
use crate::concurrency::{assert_audit_intact, at_once};
use crate::support::{api_token, client, get_json, json_of, page, servers, signed_in_browser};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The newly qualified worker's row in a workloads document.
fn newbie(workloads: &Value) -> Value {
    workloads["teams"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["workers"].as_array().cloned().unwrap_or_default())
        .find(|w| w["name"] == "newbie")
        .expect("the ASYE worker is listed")
}

#[tokio::test]
async fn an_asye_caseload_holds_under_simultaneous_allocation_and_overrides_are_reported() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let admin = api_token(&server, "admin").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let worker = api_token(&server, "worker").await;
        let newbie_id = get_json(&server, &manager, "/api/workloads").await;
        let newbie_id = newbie(&newbie_id)["worker"]
            .as_str()
            .expect("id")
            .to_string();

        let rules = json!({ "child_protection": 2, "section_47": 1.5, "assessment": 1, "child_in_need": 1, "asye_cap": 2 });
        let put_rules = |token: &str, body: &Value| {
            http.put(server.url("/api/workload-rules"))
                .bearer_auth(token)
                .json(body)
        };
        let (status, _) = json_of(put_rules(&manager, &rules)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let mut bad = rules.clone();
        bad["assessment"] = json!("1.25");
        let (status, problem) = json_of(put_rules(&admin, &bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains("assessment"), "{problem}");
        let (status, saved) = json_of(put_rules(&admin, &rules)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");

        let allocate = |token: &str, episode: &str, reason: &str| {
            http.patch(server.url(&format!("/api/episodes/{episode}")))
                .bearer_auth(token)
                .json(&json!({ "worker": newbie_id, "asye_override_reason": reason }))
        };
        let first = authorised_strategy(&server).await;
        let (status, body) = json_of(allocate(&manager, &first, "")).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let mut waiting = Vec::new();
        for _ in 0..3 {
            waiting.push(authorised_strategy(&server).await);
        }
        let results = at_once(vec![
            allocate(&manager, &waiting[0], ""),
            allocate(&manager2, &waiting[1], ""),
            allocate(&manager, &waiting[2], ""),
        ])
        .await;
        let statuses: Vec<StatusCode> = results.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "{results:?}"
        );
        for (status, body) in results.iter().filter(|(s, _)| *s != StatusCode::OK) {
            assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(body.contains("protected"), "{body}");
        }
        let workloads = get_json(&server, &manager, "/api/workloads").await;
        assert_eq!(newbie(&workloads)["weighted"], 2.0, "{workloads}");

        // A worker cannot agree to go over it; a manager can, saying why.
        let refused = results
            .iter()
            .position(|(s, _)| *s != StatusCode::OK)
            .expect("a refused allocation");
        let over = &waiting[refused];
        let reason = "The only Polish-speaking worker; caseload reviewed in supervision next week.";
        let (status, _) = json_of(allocate(&worker, over, reason)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = json_of(allocate(&manager, over, reason)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let workloads = get_json(&server, &manager, "/api/workloads").await;
        assert_eq!(newbie(&workloads)["weighted"], 3.0, "{workloads}");
        assert_eq!(newbie(&workloads)["over_asye_cap"], true, "{workloads}");
        assert_eq!(workloads["overrides"][0]["reason"], reason, "{workloads}");
        assert_eq!(workloads["overrides"][0]["agreed_by_name"], "manager");

        let (browser, _) = signed_in_browser(&server, "manager").await;
        let html = page(&server, &browser, "/workloads").await;
        assert!(
            html.contains("Over protected caseload") && html.contains(reason),
            "{html}"
        );
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn workloads_are_for_managers_and_the_rules_for_administrators() {
    let server = crate::support::spawn().await;
    let http = client();
    let anonymous = http
        .get(server.url("/api/workloads"))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    for (username, workloads, rules) in [
        ("manager", StatusCode::OK, StatusCode::FORBIDDEN),
        ("worker", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        ("officer", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        ("partner", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        ("admin", StatusCode::FORBIDDEN, StatusCode::OK),
    ] {
        let token = api_token(&server, username).await;
        for (path, expected) in [
            ("/api/workloads", workloads),
            ("/api/workload-rules", rules),
        ] {
            let response = http
                .get(server.url(path))
                .bearer_auth(&token)
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), expected, "{username} GET {path}");
        }
        let (browser, _) = signed_in_browser(&server, username).await;
        for (path, expected) in [("/workloads", workloads), ("/admin/workloads", rules)] {
            let response = browser.get(server.url(path)).send().await.expect("request");
            assert_eq!(response.status(), expected, "{username} {path}");
        }
    }
    let (status, _) = json_of(
        http.get(server.url("/api/workloads?team=not-a-team"))
            .bearer_auth(api_token(&server, "manager").await),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
