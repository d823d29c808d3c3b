//! The performance dashboard over HTTP on both backends: a referral made today shows in the
//! figures (API and page, its charts images with a table beside each), the children behind a
//! figure are listed and logged, the figures and the lists download as CSV and xlsx; and who
//! may see it (401 without a session, 403 for anyone but managers and quality assurance).

use crate::child_protection::authorised_strategy;
use crate::support::{api_token, client, get_json, page, servers, signed_in_browser, Server};
use frontdoor_app::NewWorker;
use frontdoor_domain::authorization::Role;
use reqwest::StatusCode;

async fn add(server: &Server, username: &str, role: Role) {
    server
        .app
        .add_worker_as_operator(&NewWorker {
            authority: server.authority,
            username: username.into(),
            display_name: username.into(),
            role,
            team: None,
            organisation: None,
            asye: false,
            password: crate::support::PASSWORD.into(),
        })
        .await
        .expect("worker");
}

#[tokio::test]
async fn a_referral_shows_in_the_figures_and_its_child_behind_them() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        add(&server, "qa", Role::QualityAssuranceOfficer).await;
        authorised_strategy(&server).await;
        let qa = api_token(&server, "qa").await;
        let figures = get_json(&server, &qa, "/api/dashboard").await;
        assert_eq!(figures["conversion"]["contacts"], 1, "{figures}");
        assert_eq!(figures["conversion"]["referrals"], 1, "{figures}");
        assert_eq!(figures["re_referrals"]["of"], 1, "{figures}");
        let children = get_json(&server, &qa, "/api/dashboard/referrals").await;
        let listed = children["children"].as_array().expect("children");
        assert_eq!(listed.len(), 1, "{children}");
        let person = listed[0]["person"].as_str().expect("a person").to_string();
        assert_eq!(children["figure"], "referrals");

        let (browser, _) = signed_in_browser(&server, "qa").await;
        let html = page(&server, &browser, "/dashboard").await;
        assert_eq!(html.matches(r#"role="img""#).count(), 5, "{html}");
        assert!(html.contains("timeliness-table") && html.contains("conversion-table"));
        assert!(html.contains("/dashboard/referrals?from="), "{html}");
        let list = page(&server, &browser, "/dashboard/referrals").await;
        assert!(list.contains(&format!("/people/{person}")), "{list}");

        for (path, kind) in [
            ("/dashboard/download?format=xlsx", "spreadsheetml"),
            ("/dashboard/download?format=csv&table=1", "text/csv"),
            ("/dashboard/referrals/download?format=csv", "text/csv"),
            ("/dashboard/referrals/download?format=xlsx", "spreadsheetml"),
        ] {
            let response = browser
                .get(server.url(path))
                .send()
                .await
                .expect("download");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert!(content_type.contains(kind), "{path}: {content_type}");
            let body = response.bytes().await.expect("body");
            if kind == "text/csv" {
                let text = String::from_utf8_lossy(&body);
                assert!(
                    text.starts_with("Stage,Number\r\nContacts,1\r\nReferrals,1")
                        || text.starts_with("Child,LA person ID"),
                    "{path}: {text}"
                );
            } else {
                assert!(body.starts_with(b"PK"), "{path} is a zip (xlsx)");
            }
        }
        // The lists were reads of the child's record.
        let accesses = server
            .app
            .store
            .accesses_of(
                server.authority,
                frontdoor_domain::ids::PersonId(person.parse().expect("uuid")),
                50,
            )
            .await
            .expect("accesses");
        assert!(
            accesses.iter().any(|a| a.purpose == "dashboard: referrals"),
            "{accesses:?}"
        );
    }
}

#[tokio::test]
async fn the_dashboard_is_for_managers_and_quality_assurance() {
    let server = crate::support::spawn().await;
    add(&server, "qa", Role::QualityAssuranceOfficer).await;
    add(&server, "senior", Role::SeniorManager).await;
    let http = client();
    for path in ["/api/dashboard", "/api/dashboard/decisions-late"] {
        let anonymous = http.get(server.url(path)).send().await.expect("request");
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    for (username, expected) in [
        ("manager", StatusCode::OK),
        ("senior", StatusCode::OK),
        ("qa", StatusCode::OK),
        ("worker", StatusCode::FORBIDDEN),
        ("officer", StatusCode::FORBIDDEN),
        ("partner", StatusCode::FORBIDDEN),
        ("admin", StatusCode::FORBIDDEN),
    ] {
        let token = api_token(&server, username).await;
        let (browser, _) = signed_in_browser(&server, username).await;
        for path in [
            "/dashboard",
            "/dashboard/decisions-late",
            "/dashboard/download?format=xlsx",
        ] {
            let api = format!("/api{}", path);
            if !path.contains("download") {
                let response = http
                    .get(server.url(&api))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(response.status(), expected, "{username} GET {api}");
            }
            let response = browser.get(server.url(path)).send().await.expect("request");
            assert_eq!(response.status(), expected, "{username} {path}");
        }
    }
    let token = api_token(&server, "manager").await;
    for (path, expected) in [
        (
            "/api/dashboard?from=2026-02-30",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/dashboard?from=2026-03-01&to=2026-02-01",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/dashboard?team=not-a-team",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/api/dashboard/no-such-figure", StatusCode::NOT_FOUND),
    ] {
        let response = http
            .get(server.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), expected, "{path}");
    }
}
