//! Administration over real HTTP on every backend: a deactivated worker or a reset password
//! ends live sessions at once (cookie and API bearer), only administrators reach any admin
//! route, and simultaneous deactivations, organisation creations and framework publications
//! have exactly one winner, no 5xx, and an intact audit trail.

mod concurrency;

use crate::support::{api_token, client, hidden_value, page, servers, signed_in_browser, Server};
use frontdoor_app::ActingAs;
use frontdoor_domain::ids::WorkerId;
use reqwest::{Client, StatusCode};

/// A browser signed in as `username` through the sign-in form (with its CSRF token).
pub(crate) async fn signed_in(server: &Server, username: &str) -> Client {
    signed_in_browser(server, username).await.0
}

/// The CSRF token of the signed-in browser, from a page it can see.
pub(crate) async fn csrf(server: &Server, browser: &Client) -> String {
    let html = page(server, browser, "/").await;
    hidden_value(&html, "csrf_token").expect("csrf token")
}

pub(crate) async fn worker_id(server: &Server, username: &str) -> WorkerId {
    server
        .app
        .store
        .worker_by_username(username)
        .await
        .expect("query")
        .expect("worker")
        .id
}

pub(crate) fn operator(server: &Server) -> ActingAs {
    ActingAs::Operator {
        authority: server.authority,
    }
}

pub(crate) async fn audit_intact(server: &Server) {
    assert!(
        server
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact(),
        "audit trail on {}",
        server.backend()
    );
}

/// Whether the browser's session and the API token still work.
async fn still_signed_in(server: &Server, browser: &Client, token: &str) -> (bool, bool) {
    let page = browser
        .get(server.url("/contacts"))
        .send()
        .await
        .expect("page");
    let api = client()
        .get(server.url("/api/contacts"))
        .bearer_auth(token)
        .send()
        .await
        .expect("api");
    assert!(
        page.status() == StatusCode::OK || page.status() == StatusCode::SEE_OTHER,
        "{}",
        page.status()
    );
    assert!(
        api.status() == StatusCode::OK || api.status() == StatusCode::UNAUTHORIZED,
        "{}",
        api.status()
    );
    (
        page.status() == StatusCode::OK,
        api.status() == StatusCode::OK,
    )
}

#[tokio::test]
async fn a_deactivated_worker_is_signed_out_at_once_and_a_reset_password_ends_sessions() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let admin = signed_in(&server, "admin").await;
        let token = csrf(&server, &admin).await;
        let worker = signed_in(&server, "worker").await;
        let bearer = api_token(&server, "worker").await;
        assert_eq!(
            still_signed_in(&server, &worker, &bearer).await,
            (true, true)
        );
        let id = worker_id(&server, "worker").await;

        // The confirmation page, then the deactivation.
        let confirm = admin
            .get(server.url(&format!("/admin/workers/{id}/deactivate")))
            .send()
            .await
            .expect("confirm");
        assert_eq!(confirm.status(), StatusCode::OK);
        assert!(confirm
            .text()
            .await
            .expect("html")
            .contains("Deactivate worker?"));
        let done = admin
            .post(server.url(&format!("/admin/workers/{id}/deactivate")))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .expect("deactivate");
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            still_signed_in(&server, &worker, &bearer).await,
            (false, false),
            "cookie and bearer are refused at once"
        );
        let page = admin
            .get(server.url(&format!("/admin/workers/{id}?done=deactivated")))
            .send()
            .await
            .expect("page");
        let html = page.text().await.expect("html");
        assert!(
            html.contains("The account was deactivated") && html.contains("Reactivate the account"),
            "{html}"
        );

        // Reactivated, they sign in again; a reset password ends their sessions.
        let reactivated = admin
            .post(server.url(&format!("/admin/workers/{id}/reactivate")))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .expect("reactivate");
        assert_eq!(reactivated.status(), StatusCode::SEE_OTHER);
        let worker = signed_in(&server, "worker").await;
        let bearer = api_token(&server, "worker").await;
        let mismatch = admin
            .post(server.url(&format!("/admin/workers/{id}/password")))
            .form(&[
                ("csrf_token", token.as_str()),
                ("password", "a new long password"),
                ("password_again", "a different password"),
            ])
            .send()
            .await
            .expect("reset");
        assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = mismatch.text().await.expect("html");
        assert!(html.contains("govuk-error-summary") && !html.contains("a new long password"));
        let reset = admin
            .post(server.url(&format!("/admin/workers/{id}/password")))
            .form(&[
                ("csrf_token", token.as_str()),
                ("password", "a new long password"),
                ("password_again", "a new long password"),
            ])
            .send()
            .await
            .expect("reset");
        assert_eq!(reset.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            still_signed_in(&server, &worker, &bearer).await,
            (false, false)
        );

        // A team manager must have a team.
        let no_team = admin
            .post(server.url(&format!("/admin/workers/{id}/change")))
            .form(&[
                ("csrf_token", token.as_str()),
                ("role", "team_manager"),
                ("team", ""),
            ])
            .send()
            .await
            .expect("change");
        assert_eq!(no_team.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_team
            .text()
            .await
            .expect("html")
            .contains("must have a team"));
        // The administrator cannot deactivate themselves.
        let own = worker_id(&server, "admin").await;
        let myself = admin
            .post(server.url(&format!("/admin/workers/{own}/deactivate")))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .expect("deactivate");
        assert_eq!(myself.status(), StatusCode::CONFLICT);
        audit_intact(&server).await;
    }
}

#[tokio::test]
async fn only_administrators_reach_the_admin_pages() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let worker = worker_id(&server, "worker").await;
        let organisation = server
            .app
            .organisations(&operator(&server))
            .await
            .expect("organisations")[0]
            .id;
        let team = server
            .app
            .managed_teams(&operator(&server))
            .await
            .expect("teams")[0]
            .id;
        let gets = [
            "/admin/workers".to_string(),
            format!("/admin/workers/{worker}"),
            format!("/admin/workers/{worker}/deactivate"),
            format!("/admin/workers/{worker}/password"),
            format!("/admin/workers/{worker}/end-sessions"),
            format!("/admin/workers/{worker}/change"),
            format!("/admin/workers/{worker}/email"),
            "/admin/organisations".to_string(),
            format!("/admin/organisations/{organisation}/rename"),
            format!("/admin/organisations/{organisation}/retire"),
            "/admin/teams".to_string(),
            format!("/admin/teams/{team}/rename"),
            format!("/admin/teams/{team}/retire"),
            "/admin/threshold-framework".to_string(),
            "/admin/threshold-framework/edit".to_string(),
        ];
        let posts = [
            format!("/admin/workers/{worker}/deactivate"),
            format!("/admin/workers/{worker}/reactivate"),
            format!("/admin/workers/{worker}/password"),
            format!("/admin/workers/{worker}/end-sessions"),
            format!("/admin/workers/{worker}/change"),
            format!("/admin/workers/{worker}/email"),
            "/admin/organisations".to_string(),
            format!("/admin/organisations/{organisation}/rename"),
            format!("/admin/organisations/{organisation}/retire"),
            "/admin/teams".to_string(),
            format!("/admin/teams/{team}/rename"),
            format!("/admin/teams/{team}/retire"),
            "/admin/threshold-framework/edit".to_string(),
        ];
        for username in ["officer", "worker", "manager", "partner"] {
            let browser = signed_in(&server, username).await;
            let token = csrf(&server, &browser).await;
            for path in &gets {
                let status = browser
                    .get(server.url(path))
                    .send()
                    .await
                    .expect("get")
                    .status();
                assert_eq!(status, StatusCode::FORBIDDEN, "{username} GET {path}");
            }
            for path in &posts {
                let status = browser
                    .post(server.url(path))
                    .form(&[
                        ("csrf_token", token.as_str()),
                        ("name", "Taken over"),
                        ("kind", "police"),
                        ("role", "administrator"),
                        ("password", "a long enough password"),
                        ("password_again", "a long enough password"),
                        ("receives_contacts", "yes"),
                        ("version", "1"),
                        ("level_1_name", "A"),
                        ("level_1_description", "a"),
                        ("level_2_name", "B"),
                        ("level_2_description", "b"),
                    ])
                    .send()
                    .await
                    .expect("post")
                    .status();
                assert_eq!(status, StatusCode::FORBIDDEN, "{username} POST {path}");
            }
        }
        // Signed out, every page sends the browser to sign in.
        for path in &gets {
            let response = client().get(server.url(path)).send().await.expect("get");
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET {path}");
        }
        // The administrator sees every page.
        let admin = signed_in(&server, "admin").await;
        for path in &gets {
            let status = admin
                .get(server.url(path))
                .send()
                .await
                .expect("get")
                .status();
            assert_eq!(status, StatusCode::OK, "admin GET {path}");
        }
        let home = admin.get(server.url("/")).send().await.expect("home");
        let html = home.text().await.expect("html");
        for link in [
            "/admin/workers",
            "/admin/organisations",
            "/admin/teams",
            "/admin/threshold-framework",
        ] {
            assert!(
                html.contains(&format!("href=\"{link}\"")),
                "home links {link}"
            );
        }
        // Nothing was changed by the refused requests.
        let events = server
            .app
            .administration_history(&operator(&server), worker.0)
            .await
            .expect("history");
        assert_eq!(events.len(), 1, "only worker_added: {events:?}");
        audit_intact(&server).await;
    }
}

/// An administrator sets where a worker's notification emails go, sees it on their page and
/// in their history, and clears it; a malformed address is refused and nothing is stored.
#[tokio::test]
async fn an_administrator_sets_and_clears_a_workers_email_for_notifications() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let admin = signed_in(&server, "admin").await;
        let token = csrf(&server, &admin).await;
        let id = worker_id(&server, "worker").await;
        let path = format!("/admin/workers/{id}/email");
        let set = |email: &'static str| {
            admin
                .post(server.url(&path))
                .form(&[("csrf_token", token.as_str()), ("email", email)])
                .send()
        };
        let refused = set("not an address").await.expect("post");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("Enter an email address like"), "{html}");
        assert!(page(&server, &admin, &format!("/admin/workers/{id}"))
            .await
            .contains("None: notifications in frontdoor only"));

        let saved = set("sam.worker@council.example").await.expect("post");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let html = page(&server, &admin, &format!("/admin/workers/{id}?done=email")).await;
        assert!(
            html.contains("sam.worker@council.example")
                && html.contains("The email address for notifications was saved")
                && html.contains("Email for notifications set"),
            "{html}"
        );
        assert!(page(&server, &admin, &path)
            .await
            .contains("value=\"sam.worker@council.example\""));

        let cleared = set("").await.expect("post");
        assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
        assert!(page(&server, &admin, &format!("/admin/workers/{id}"))
            .await
            .contains("None: notifications in frontdoor only"));
        audit_intact(&server).await;
    }
}
