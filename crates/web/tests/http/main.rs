//! The HTTP server on a free port, driven over real HTTP: security headers, sign-in, CSRF, the
//! JSON API with problem details and per-role refusals, and the OpenAPI snapshot.

mod accounts;
mod assessments;
mod audits;
mod child_protection;
mod chronology;
mod concurrency;
mod cse;
mod dashboard;
mod early_help;
mod family_network;
mod information_requests;
mod referral_progress;
mod returns;
mod risk;
mod sign_in;
mod supervision;
mod support;
mod threshold_prompts;
mod triage;
mod workloads;

use reqwest::StatusCode;
use serde_json::{json, Value};
use support::{api_token, client, contact_json, servers, spawn, PASSWORD};

#[tokio::test]
async fn pages_carry_security_headers_and_need_a_session() {
    let server = spawn().await;
    let health = client()
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
    let csp = health.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert_eq!(health.headers()["referrer-policy"], "no-referrer");
    assert_eq!(health.headers()["x-frame-options"], "DENY");
    assert!(
        health.headers().get("strict-transport-security").is_none(),
        "HSTS only behind TLS"
    );

    let queue = client()
        .get(format!("{}/contacts", server.base))
        .send()
        .await
        .expect("queue");
    assert_eq!(queue.status(), StatusCode::SEE_OTHER);
    assert_eq!(queue.headers()["location"], "/sign-in?next=%2Fcontacts");

    let css = client()
        .get(format!("{}/assets/frontdoor.css", server.base))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    assert!(!css.text().await.expect("text").contains("GDS Transport"));
    assert_eq!(
        client()
            .get(format!("{}/assets/../Cargo.toml", server.base))
            .send()
            .await
            .expect("asset")
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn sign_in_sets_a_protected_cookie_and_forms_need_the_csrf_token() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let browser = client();
        let token = sign_in::form_token(&browser, &server.base, "").await;
        let wrong = browser
            .post(format!("{}/sign-in", server.base))
            .form(&[
                ("username", "officer"),
                ("password", "not the password"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong
            .text()
            .await
            .expect("text")
            .contains("Enter a correct username and password"));

        let right = browser
            .post(format!("{}/sign-in", server.base))
            .form(&[
                ("username", "officer"),
                ("password", PASSWORD),
                ("next", "/contacts"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(right.status(), StatusCode::SEE_OTHER);
        assert_eq!(right.headers()["location"], "/contacts");
        let cookie = right.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );

        // An open redirect through `next` is refused (more cases in sign_in.rs).
        let elsewhere = client();
        let token = sign_in::form_token(&elsewhere, &server.base, "").await;
        let offsite = elsewhere
            .post(format!("{}/sign-in", server.base))
            .form(&[
                ("username", "officer"),
                ("password", PASSWORD),
                ("next", "//evil.example"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(offsite.headers()["location"], "/");

        let forged = browser
            .post(format!("{}/contacts/new", server.base))
            .form(&[("source", "6"), ("csrf_token", "forged")])
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let page = browser
            .get(format!("{}/contacts", server.base))
            .send()
            .await
            .expect("queue");
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()["cache-control"], "no-store");

        // An error page keeps the signed-in worker's header (their name, sign out) and the
        // security headers; signed out, the same page has neither name nor sign out.
        for path in [
            "/no-such-page",
            "/contacts/00000000-0000-7000-8000-000000000000",
        ] {
            let missing = browser
                .get(format!("{}{path}", server.base))
                .send()
                .await
                .expect("missing page");
            assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{path}");
            assert!(missing.headers().contains_key("content-security-policy"));
            let body = missing.text().await.expect("text");
            assert!(
                body.contains("officer") && body.contains("Sign out"),
                "{body}"
            );
        }
        let anonymous = client()
            .get(format!("{}/no-such-page", server.base))
            .send()
            .await
            .expect("missing page");
        assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);
        assert!(!anonymous.text().await.expect("text").contains("Sign out"));
    }
}

#[tokio::test]
async fn the_online_form_refuses_robots_and_floods() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let browser = client();
        let page = browser
            .get(format!("{}/refer", server.base))
            .send()
            .await
            .expect("form");
        let html = page.text().await.expect("html");
        let token = html
            .split("name=\"form_token\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("form token")
            .to_string();
        // Without the token cookie pairing, the form is refused.
        let stranger = client()
            .post(format!("{}/refer", server.base))
            .form(&[("form_token", token.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(stranger.status(), StatusCode::FORBIDDEN);
        // Field errors come back with the GOV.UK error summary.
        let invalid = browser
            .post(format!("{}/refer", server.base))
            .form(&[("form_token", token.as_str()), ("source", "2A")])
            .send()
            .await
            .expect("post");
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid
            .text()
            .await
            .expect("html")
            .contains("govuk-error-summary"));
        // The limit is three per client in this server: the fourth attempt is refused.
        let _ = browser
            .post(format!("{}/refer", server.base))
            .form(&[("form_token", token.as_str()), ("website", "spam")])
            .send()
            .await
            .expect("post");
        let flood = browser
            .post(format!("{}/refer", server.base))
            .form(&[("form_token", token.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(flood.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn the_api_runs_the_front_door_with_problem_details() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let unauthenticated = http
            .get(format!("{}/api/contacts", server.base))
            .send()
            .await
            .expect("request");
        assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            unauthenticated.headers()["content-type"],
            "application/problem+json"
        );

        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let partner = api_token(&server, "partner").await;

        let mut bad = contact_json();
        bad["children"][0]["nhs_number"] = json!("943 476 5918");
        bad["source"] = json!("ZZ");
        let invalid = http
            .post(format!("{}/api/contacts", server.base))
            .bearer_auth(&officer)
            .json(&bad)
            .send()
            .await
            .expect("request");
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = invalid.json().await.expect("json");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(
            fields.contains(&"source") && fields.contains(&"children[0].nhs_number"),
            "{problem}"
        );
        assert!(
            problem["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["pointer"] == "/children/0/nhs_number"),
            "{problem}"
        );

        let malformed = http
            .post(format!("{}/api/contacts", server.base))
            .bearer_auth(&officer)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("request");
        assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);

        let created = http
            .post(format!("{}/api/contacts", server.base))
            .bearer_auth(&officer)
            .json(&contact_json())
            .send()
            .await
            .expect("request");
        assert_eq!(created.status(), StatusCode::CREATED);
        let contact: Value = created.json().await.expect("json");
        let id = contact["id"].as_str().expect("id").to_string();
        assert_eq!(contact["channel"], "api");

        let view: Value = http
            .get(format!("{}/api/contacts/{id}", server.base))
            .bearer_auth(&officer)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let subject = view["subjects"][0]["subject"]["id"]
            .as_str()
            .expect("subject")
            .to_string();
        let linked = http
            .post(format!(
                "{}/api/contacts/{id}/subjects/{subject}/link",
                server.base
            ))
            .bearer_auth(&officer)
            .json(&json!({ "create": true }))
            .send()
            .await
            .expect("request");
        assert_eq!(linked.status(), StatusCode::OK);

        let recommendation = json!({ "outcome": "strategy_discussion", "level_of_need": "4", "rationale": "Children present during a domestic abuse incident; risk of significant harm." });
        let recommended = http
            .post(format!("{}/api/contacts/{id}/recommendation", server.base))
            .bearer_auth(&worker)
            .json(&recommendation)
            .send()
            .await
            .expect("request");
        assert_eq!(recommended.status(), StatusCode::CREATED);

        let review = json!({ "authorise": true, "rationale": "Agreed: strategy discussion today with police and health." });
        for (token, expected) in [
            (&worker, StatusCode::FORBIDDEN),
            (&partner, StatusCode::FORBIDDEN),
            (&officer, StatusCode::FORBIDDEN),
        ] {
            let refused = http
                .post(format!("{}/api/contacts/{id}/review", server.base))
                .bearer_auth(token)
                .json(&review)
                .send()
                .await
                .expect("request");
            assert_eq!(refused.status(), expected);
            assert_eq!(
                refused.headers()["content-type"],
                "application/problem+json"
            );
        }
        let authorised = http
            .post(format!("{}/api/contacts/{id}/review", server.base))
            .bearer_auth(&manager)
            .json(&review)
            .send()
            .await
            .expect("request");
        assert_eq!(authorised.status(), StatusCode::OK);
        assert_eq!(
            authorised.json::<Value>().await.expect("json")["state"],
            "authorised"
        );

        assert_eq!(
            http.get(format!("{}/api/contacts", server.base))
                .bearer_auth(&partner)
                .send()
                .await
                .expect("request")
                .status(),
            StatusCode::FORBIDDEN
        );
        let search = http
            .get(format!(
                "{}/api/people/search?family_name=Web&date_of_birth=2018-02-03",
                server.base
            ))
            .bearer_auth(&worker)
            .send()
            .await
            .expect("request");
        assert_eq!(search.status(), StatusCode::OK);
        let results: Value = search.json().await.expect("json");
        assert_eq!(
            results["results"][0]["person"]["family_name"], "Webb",
            "{results}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let server = spawn().await;
    let document: Value = client()
        .get(format!("{}/api/openapi.json", server.base))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    let rendered = serde_json::to_string_pretty(&document).expect("render") + "\n";
    if std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::write(&path, &rendered).expect("write snapshot");
    }
    let snapshot = std::fs::read_to_string(&path)
        .expect("snapshot exists: run with UPDATE_SNAPSHOTS=1 to create it");
    assert_eq!(
        rendered, snapshot,
        "the API changed: review the difference, then UPDATE_SNAPSHOTS=1"
    );
}
