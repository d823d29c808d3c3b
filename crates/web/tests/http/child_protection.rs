//! Episodes, strategy discussions and section 47 enquiries over the JSON API, on both
//! backends: the sign-off refused naming each missing part, then accepted; two managers
//! signing off at once and two enquiries started at once each have exactly one winner; partners
//! are refused.

use crate::support::{api_token, client, contact_json, servers};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::Barrier;

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<StatusCode> {
    let barrier = Arc::new(Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                request.send().await.expect("request").status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task"));
    }
    statuses
}

/// A contact authorised as "strategy discussion": the child's episode id.
async fn authorised_strategy(http: &Client, server: &crate::support::Server) -> String {
    let officer = api_token(server, "officer").await;
    let worker = api_token(server, "worker").await;
    let manager = api_token(server, "manager").await;
    let (status, created) = send(
        http.post(server.url("/api/contacts"))
            .bearer_auth(&officer)
            .json(&contact_json()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("id").to_string();
    let (_, view) = send(
        http.get(server.url(&format!("/api/contacts/{id}")))
            .bearer_auth(&officer),
    )
    .await;
    let subject = view["subjects"][0]["subject"]["id"]
        .as_str()
        .expect("subject")
        .to_string();
    let (status, _) = send(
        http.post(server.url(&format!("/api/contacts/{id}/subjects/{subject}/link")))
            .bearer_auth(&officer)
            .json(&json!({ "create": true })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        http.post(server.url(&format!("/api/contacts/{id}/recommendation")))
            .bearer_auth(&worker)
            .json(&json!({ "outcome": "strategy_discussion", "level_of_need": "4", "rationale": "Children present during a violent incident; injuries reported." })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = send(
        http.post(server.url(&format!("/api/contacts/{id}/review")))
            .bearer_auth(&manager)
            .json(&json!({ "authorise": true, "rationale": "Agreed: strategy discussion with police and health today." })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, view) = send(
        http.get(server.url(&format!("/api/contacts/{id}")))
            .bearer_auth(&officer),
    )
    .await;
    let person = view["subjects"][0]["subject"]["person"]
        .as_str()
        .expect("person")
        .to_string();
    let (status, episodes) = send(
        http.get(server.url(&format!("/api/people/{person}/episodes")))
            .bearer_auth(&worker),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{episodes}");
    episodes[0]["id"].as_str().expect("episode").to_string()
}

fn complete_record() -> Value {
    let now = frontdoor_app::london(chrono::Utc::now());
    json!({
        "held_date": now.format("%Y-%m-%d").to_string(),
        "held_time": now.format("%H:%M").to_string(),
        "attendees": [
            { "name": "DS Khan", "agency": "police", "role": "Detective sergeant", "information_shared": "Three call-outs to the address this year." },
            { "name": "Jo Reed", "agency": "health", "role": "Health visitor", "information_shared": "Missed appointments since the summer." }
        ],
        "risks": [{ "harm": "Physical and emotional harm", "to_whom": "Zak", "from_whom": "Mother's partner", "likelihood": "high", "severity": "high" }],
        "decision": "section_47_enquiry",
        "rationale": "Repeated violence with the child present; police investigating.",
        "actions": [{ "description": "Joint visit", "owner": "worker and DS Khan", "due_on": now.format("%Y-%m-%d").to_string() }]
    })
}

#[tokio::test]
async fn strategy_sign_off_over_the_api_names_missing_parts_and_has_one_winner() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let episode = authorised_strategy(&http, &server).await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let partner = api_token(&server, "partner").await;

        let (status, _) = send(
            http.get(server.url(&format!("/api/episodes/{episode}")))
                .bearer_auth(&partner),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, view) = send(
            http.get(server.url(&format!("/api/episodes/{episode}")))
                .bearer_auth(&worker),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{view}");
        let id = view["strategy_discussions"][0]["id"]
            .as_str()
            .expect("discussion")
            .to_string();
        let (_, due) = send(
            http.get(server.url("/api/work-due?scope=team"))
                .bearer_auth(&manager),
        )
        .await;
        assert_eq!(due["soonest"][0]["kind"], "strategy_discussion", "{due}");
        assert_eq!(due["due"], 1, "{due}");
        assert_eq!(due["by_kind"][0]["kind"], "strategy_discussion", "{due}");

        // Without the police and with no risks: refused, each part named.
        let mut record = complete_record();
        record["attendees"] = json!([record["attendees"][1].clone()]);
        record["risks"] = json!([]);
        let (status, saved) = send(
            http.put(server.url(&format!("/api/strategy-discussions/{id}")))
                .bearer_auth(&worker)
                .json(&record),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (status, refused) = send(
            http.post(server.url(&format!("/api/strategy-discussions/{id}/sign-off")))
                .bearer_auth(&manager),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        let text = refused.to_string();
        assert!(
            text.contains("police_absence_reason") && text.contains("\"risks\""),
            "{text}"
        );

        let (status, _) = send(
            http.put(server.url(&format!("/api/strategy-discussions/{id}")))
                .bearer_auth(&worker)
                .json(&complete_record()),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = send(
            http.post(server.url(&format!("/api/strategy-discussions/{id}/sign-off")))
                .bearer_auth(&worker),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let statuses = at_once(vec![
            http.post(server.url(&format!("/api/strategy-discussions/{id}/sign-off")))
                .bearer_auth(&manager),
            http.post(server.url(&format!("/api/strategy-discussions/{id}/sign-off")))
                .bearer_auth(&manager2),
        ])
        .await;
        assert!(
            statuses.iter().all(|s| !s.is_server_error()),
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CONFLICT)
                .count(),
            1,
            "{statuses:?}"
        );

        let statuses = at_once(vec![
            http.post(server.url(&format!("/api/strategy-discussions/{id}/section-47")))
                .bearer_auth(&worker),
            http.post(server.url(&format!("/api/strategy-discussions/{id}/section-47")))
                .bearer_auth(&manager),
            http.post(server.url(&format!("/api/strategy-discussions/{id}/section-47")))
                .bearer_auth(&manager2),
        ])
        .await;
        assert!(
            statuses.iter().all(|s| !s.is_server_error()),
            "{statuses:?}"
        );
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CREATED)
                .count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CONFLICT)
                .count(),
            2,
            "{statuses:?}"
        );
        let (_, view) = send(
            http.get(server.url(&format!("/api/episodes/{episode}")))
                .bearer_auth(&worker),
        )
        .await;
        assert_eq!(
            view["enquiries"].as_array().map(Vec::len),
            Some(1),
            "{view}"
        );
        let audit = server.app.verify_audit_trail().await.expect("audit");
        assert!(audit.is_intact());
    }
}

#[tokio::test]
async fn the_pages_work_without_javascript_from_write_up_to_sign_off() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let episode = authorised_strategy(&http, &server).await;
        let (worker, worker_csrf) = crate::support::signed_in_browser(&server, "worker").await;
        let (manager, manager_csrf) = crate::support::signed_in_browser(&server, "manager").await;

        let page = worker
            .get(server.url(&format!("/episodes/{episode}")))
            .send()
            .await
            .expect("episode");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("html");
        assert!(
            html.contains("Strategy discussions") && html.contains("To hold"),
            "{html}"
        );
        let id = html
            .split("href=\"/strategy-discussions/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a link to the strategy discussion")
            .to_string();

        // Written up without the police, health or risks; the manager's sign-off names them.
        let now = frontdoor_app::london(chrono::Utc::now());
        let mut form = vec![
            ("csrf_token".to_string(), worker_csrf.clone()),
            ("held_date".into(), now.format("%Y-%m-%d").to_string()),
            ("held_time".into(), now.format("%H:%M").to_string()),
            ("decision".into(), "section_47_enquiry".into()),
            (
                "rationale".into(),
                "Repeated violence with the child present.".into(),
            ),
            ("actions[0].description".into(), "Joint visit".into()),
            ("actions[0].owner".into(), "worker".into()),
            (
                "actions[0].due_on".into(),
                now.format("%Y-%m-%d").to_string(),
            ),
        ];
        let saved = worker
            .post(server.url(&format!("/strategy-discussions/{id}")))
            .form(&form)
            .send()
            .await
            .expect("save");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let refused = manager
            .post(server.url(&format!("/strategy-discussions/{id}/sign-off")))
            .form(&[("csrf_token", manager_csrf.as_str())])
            .send()
            .await
            .expect("sign off");
        assert_eq!(refused.status(), StatusCode::OK);
        let html = refused.text().await.expect("html");
        assert!(html.contains("govuk-error-summary"), "{html}");
        assert!(
            html.contains(
                "Add the police participant, or record why the police did not take part."
            ),
            "{html}"
        );
        assert!(html.contains("Define at least one risk"), "{html}");

        form.extend([
            ("attendees[0].name".to_string(), "DS Khan".to_string()),
            ("attendees[0].agency".into(), "police".into()),
            ("attendees[0].role".into(), "Detective sergeant".into()),
            (
                "attendees[0].information_shared".into(),
                "Three call-outs this year.".into(),
            ),
            (
                "health_absence_reason".into(),
                "Not known to health; GP checked beforehand.".into(),
            ),
            ("risks[0].harm".into(), "Physical harm".into()),
            ("risks[0].to_whom".into(), "Zak".into()),
            ("risks[0].from_whom".into(), "Mother's partner".into()),
            ("risks[0].likelihood".into(), "high".into()),
            ("risks[0].severity".into(), "high".into()),
        ]);
        let saved = worker
            .post(server.url(&format!("/strategy-discussions/{id}")))
            .form(&form)
            .send()
            .await
            .expect("save");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let signed = manager
            .post(server.url(&format!("/strategy-discussions/{id}/sign-off")))
            .form(&[("csrf_token", manager_csrf.as_str())])
            .send()
            .await
            .expect("sign off");
        assert_eq!(signed.status(), StatusCode::SEE_OTHER);
        let html = worker
            .get(server.url(&format!("/strategy-discussions/{id}")))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            html.contains("Signed off") && html.contains("Start the section 47 enquiry"),
            "{html}"
        );
        let started = worker
            .post(server.url(&format!("/strategy-discussions/{id}/section-47")))
            .form(&[("csrf_token", worker_csrf.as_str())])
            .send()
            .await
            .expect("start");
        assert_eq!(started.status(), StatusCode::SEE_OTHER);

        // A visit before the discussion, without a reason: the field error on the episode page.
        let earlier = now - chrono::Duration::hours(2);
        let visit = worker
            .post(server.url(&format!("/section-47/{}/visits", {
                let html = worker
                    .get(server.url(&format!("/episodes/{episode}")))
                    .send()
                    .await
                    .expect("episode")
                    .text()
                    .await
                    .expect("html");
                html.split("action=\"/section-47/")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .expect("visit form")
                    .to_string()
            })))
            .form(&[
                ("csrf_token", worker_csrf.as_str()),
                ("visited_date", &earlier.format("%Y-%m-%d").to_string()),
                ("visited_time", &earlier.format("%H:%M").to_string()),
                ("visited_by", "worker"),
                ("child_seen", "no"),
            ])
            .send()
            .await
            .expect("visit");
        let html = visit.text().await.expect("html");
        assert!(html.contains("say why it could not wait"), "{html}");

        let work_due = manager
            .get(server.url("/work-due?scope=all"))
            .send()
            .await
            .expect("work due");
        assert_eq!(work_due.status(), StatusCode::OK);
        let html = work_due.text().await.expect("html");
        assert!(html.contains("Work due"), "{html}");
    }
}

#[tokio::test]
async fn every_new_route_needs_a_session_and_refuses_partners() {
    let server = crate::support::spawn().await;
    let http = client();
    let partner = api_token(&server, "partner").await;
    let some = uuid::Uuid::now_v7();
    let routes: Vec<(reqwest::Method, String)> = vec![
        (reqwest::Method::GET, format!("/api/people/{some}/episodes")),
        (reqwest::Method::GET, format!("/api/episodes/{some}")),
        (reqwest::Method::PATCH, format!("/api/episodes/{some}")),
        (
            reqwest::Method::POST,
            format!("/api/episodes/{some}/closure"),
        ),
        (reqwest::Method::GET, "/api/work-due".to_string()),
        (
            reqwest::Method::POST,
            format!("/api/episodes/{some}/strategy-discussions"),
        ),
        (
            reqwest::Method::GET,
            format!("/api/strategy-discussions/{some}"),
        ),
        (
            reqwest::Method::PUT,
            format!("/api/strategy-discussions/{some}"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/strategy-discussions/{some}/sign-off"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/strategy-discussions/{some}/section-47"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/strategy-discussions/{some}/withdrawal"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/section-47/{some}/visits"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/section-47/{some}/outcome"),
        ),
        (reqwest::Method::GET, format!("/api/conferences/{some}")),
        (reqwest::Method::POST, format!("/api/conferences/{some}")),
        (reqwest::Method::GET, format!("/api/plans/{some}")),
        (reqwest::Method::POST, format!("/api/plans/{some}/visits")),
        (reqwest::Method::POST, format!("/api/plans/{some}/end")),
    ];
    for (method, path) in routes {
        let anonymous = http
            .request(method.clone(), server.url(&path))
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path} without a session"
        );
        let refused = http
            .request(method.clone(), server.url(&path))
            .bearer_auth(&partner)
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(
            refused.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} as a partner"
        );
    }
    for page in [
        "/work-due",
        &format!("/episodes/{some}"),
        &format!("/strategy-discussions/{some}"),
    ] {
        let anonymous = http.get(server.url(page)).send().await.expect("request");
        assert!(
            anonymous.status().is_redirection() || anonymous.status() == StatusCode::UNAUTHORIZED,
            "{page}: {}",
            anonymous.status()
        );
    }
}
