//! Case supervision over HTTP, on both backends: refusals naming the field (an action without
//! a timescale, a child without risks reviewed), per-role 401/403 on every route, the pages
//! without JavaScript (the form posted as a plain form, the child's record), and completing an
//! action from many requests at once: one winner, 409 for the others, never a 5xx.

use crate::concurrency::{assert_one_winner, at_once};
use crate::support::{
    api_token, authorise, client, get_json, get_status, linked_contact, page, post_json, recommend,
    servers, signed_in_browser, Server,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A worker's id, by username.
async fn worker_id(server: &Server, username: &str) -> String {
    server
        .app
        .store
        .workers(server.authority)
        .await
        .expect("workers")
        .into_iter()
        .find(|w| w.username == username)
        .map(|w| w.id.to_string())
        .expect("worker")
}

/// A child referred today (by the officer, recommended by the worker, authorised by the
/// manager) whose episode is allocated to `username`: the child's person id.
async fn allocated_child(server: &Server, given: &str, username: &str) -> String {
    let officer = api_token(server, "officer").await;
    let worker = api_token(server, "worker").await;
    let manager = api_token(server, "manager").await;
    let mut contact = crate::support::contact_json();
    contact["children"][0]["given_name"] = json!(given);
    let linked = linked_contact(server, &officer, &contact).await;
    recommend(
        server,
        &worker,
        &linked.contact,
        &json!({ "outcome": "referral_for_assessment", "level_of_need": "3", "rationale": "Children present at a domestic incident: assessment needed." }),
    )
    .await;
    authorise(
        server,
        &manager,
        &linked.contact,
        "Agreed: assessment by the MASH.",
    )
    .await;
    let episodes = get_json(
        server,
        &manager,
        &format!("/api/people/{}/episodes", linked.person),
    )
    .await;
    let episode = episodes[0]["id"].as_str().expect("episode").to_string();
    let response = client()
        .patch(server.url(&format!("/api/episodes/{episode}")))
        .bearer_auth(&manager)
        .json(&json!({ "worker": worker_id(server, username).await }))
        .send()
        .await
        .expect("allocate");
    assert_eq!(response.status(), StatusCode::OK);
    linked.person
}

fn in_days(days: i64) -> String {
    (frontdoor_app::london_date(chrono::Utc::now()) + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn today() -> String {
    in_days(0)
}

fn supervision_json(worker: &str, child: &str, owner: &str, due_on: &str) -> Value {
    json!({
        "worker": worker,
        "held_on": today(),
        "children": [{ "person_id": child, "risks_reviewed": "Father has left; mother engaging with the safety plan.", "decisions": "Assessment continues." }],
        "actions": [{ "person_id": child, "description": "See Zak alone at school", "owner": owner, "due_on": due_on }]
    })
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn supervision_is_recorded_read_and_refused_by_role() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let child = allocated_child(&server, "Zak", "worker").await;
        let worker_uuid = worker_id(&server, "worker").await;
        let [officer, worker, worker2, manager, manager2, partner, admin] = [
            "officer", "worker", "worker2", "manager", "manager2", "partner", "admin",
        ]
        .map(|u| u.to_string());
        let mut tokens = Vec::new();
        for username in [
            &officer, &worker, &worker2, &manager, &manager2, &partner, &admin,
        ] {
            tokens.push(api_token(&server, username).await);
        }
        let [officer, worker, worker2, manager, manager2, partner, admin]: [String; 7] =
            tokens.try_into().expect("seven tokens");

        // Not signed in: 401 on every route.
        for path in [
            "/api/supervisions",
            "/api/drift-report",
            "/api/supervision-actions",
        ] {
            let answer = client()
                .get(server.url(path))
                .send()
                .await
                .expect("request");
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{path}");
        }

        let preparation = format!("/api/workers/{worker_uuid}/supervision-preparation");
        let prepared = get_json(&server, &manager, &preparation).await;
        assert_eq!(
            prepared["caseload"][0]["person"],
            child.as_str(),
            "{prepared}"
        );
        for token in [&worker, &officer, &partner, &admin] {
            assert_eq!(
                get_status(&server, token, &preparation).await,
                StatusCode::FORBIDDEN
            );
        }

        // An action without a timescale, and a child without risks reviewed: 422 naming each.
        let mut bad = supervision_json(&worker_uuid, &child, &worker_uuid, "");
        bad["children"][0]["risks_reviewed"] = json!("");
        let (status, problem) = post_json(&server, &manager, "/api/supervisions", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(
            fields(&problem),
            vec!["children[0].risks_reviewed", "actions[0].due_on"]
        );

        let good = supervision_json(&worker_uuid, &child, &worker_uuid, &in_days(7));
        for token in [&worker, &officer, &partner, &admin] {
            let (status, _) = post_json(&server, token, "/api/supervisions", &good).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        // A manager cannot record their own supervision.
        let mut own = good.clone();
        own["worker"] = json!(worker_id(&server, "manager").await);
        let (status, _) = post_json(&server, &manager, "/api/supervisions", &own).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, recorded) = post_json(&server, &manager, "/api/supervisions", &good).await;
        assert_eq!(status, StatusCode::CREATED, "{recorded}");
        let id = recorded["id"].as_str().expect("id").to_string();
        let action = recorded["actions"][0]["id"]
            .as_str()
            .expect("action")
            .to_string();
        // The same supervision sent again: 409.
        let (status, _) = post_json(&server, &manager, "/api/supervisions", &good).await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Read by the worker and the team's managers; not a colleague, an officer, a partner.
        let path = format!("/api/supervisions/{id}");
        for token in [&worker, &manager, &manager2] {
            assert_eq!(get_status(&server, token, &path).await, StatusCode::OK);
        }
        for token in [&worker2, &officer, &partner, &admin] {
            assert_eq!(
                get_status(&server, token, &path).await,
                StatusCode::FORBIDDEN
            );
        }
        let action_path = format!("/api/supervision-actions/{action}");
        assert_eq!(
            get_status(&server, &worker, &action_path).await,
            StatusCode::OK
        );
        assert_eq!(
            get_status(&server, &worker2, &action_path).await,
            StatusCode::FORBIDDEN
        );
        let mine = get_json(&server, &worker, "/api/supervision-actions").await;
        assert_eq!(mine[0]["id"], action.as_str());
        // The drift report: managers, not workers or partners.
        assert_eq!(
            get_status(&server, &manager, "/api/drift-report").await,
            StatusCode::OK
        );
        for token in [&worker, &officer, &partner, &admin] {
            assert_eq!(
                get_status(&server, token, "/api/drift-report").await,
                StatusCode::FORBIDDEN
            );
        }
        // The child's supervision: for who reads the child's record and supervision.
        let childs = format!("/api/people/{child}/supervision");
        let history = get_json(&server, &worker, &childs).await;
        assert_eq!(history["discussions"].as_array().map(Vec::len), Some(1));
        for token in [&partner, &admin] {
            assert_eq!(
                get_status(&server, token, &childs).await,
                StatusCode::FORBIDDEN
            );
        }
        // Completing: not a colleague or partner; the owner, once.
        let completion = format!("/api/supervision-actions/{action}/completion");
        let done = json!({ "completed_on": today(), "note": "Seen alone at school; says home is calmer." });
        for token in [&worker2, &partner] {
            let (status, _) = post_json(&server, token, &completion, &done).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, body) = post_json(&server, &worker, &completion, &done).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "completed");
        let (status, _) = post_json(&server, &manager, &completion, &done).await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
}

#[tokio::test]
async fn the_pages_record_a_supervision_without_javascript() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let child = allocated_child(&server, "Ava", "worker2").await;
        let worker2 = worker_id(&server, "worker2").await;
        let (browser, csrf) = signed_in_browser(&server, "manager").await;
        let index = page(&server, &browser, "/supervision").await;
        assert!(index.contains("Record a supervision of"), "{index}");
        let form = page(
            &server,
            &browser,
            &format!("/supervision/new?worker={worker2}"),
        )
        .await;
        assert!(
            form.contains(&child),
            "the child on the caseload is offered"
        );
        let mut sent: Vec<(String, String)> = vec![
            ("csrf_token".into(), csrf.clone()),
            ("worker".into(), worker2.clone()),
            ("held_on".into(), today()),
            ("children[0].person_id".into(), child.clone()),
            ("children[0].discussed".into(), "true".into()),
            ("children[0].risks_reviewed".into(), String::new()),
            ("actions[0].person_id".into(), child.clone()),
            ("actions[0].description".into(), "Visit Ava at home".into()),
            ("actions[0].owner".into(), worker2.clone()),
            ("actions[0].due_on".into(), String::new()),
        ];
        let refused = browser
            .post(server.url("/supervision/new"))
            .form(&sent)
            .send()
            .await
            .expect("post");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("govuk-error-summary"));
        assert!(
            html.contains("an action without a timescale drifts"),
            "{html}"
        );
        assert!(
            html.contains("Record the risks reviewed for child 1"),
            "{html}"
        );
        sent[5].1 = "Mother's new partner unknown to services: checks requested.".into();
        sent[9].1 = in_days(5);
        let posted = browser
            .post(server.url("/supervision/new"))
            .form(&sent)
            .send()
            .await
            .expect("post");
        assert_eq!(posted.status(), StatusCode::SEE_OTHER);
        let location = posted.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        let recorded = page(&server, &browser, &location).await;
        assert!(recorded.contains("The supervision is recorded"));
        assert!(recorded.contains("Visit Ava at home"));
        let record = page(&server, &browser, &format!("/people/{child}")).await;
        assert!(record.contains("Case supervision"), "{record}");
        assert!(record.contains("checks requested"), "{record}");
        let drift = page(&server, &browser, "/supervision/drift").await;
        assert!(drift.contains("Drift report"));
        // A partner is refused the pages.
        let (partner, _) = signed_in_browser(&server, "partner").await;
        let refused = partner
            .get(server.url("/supervision/drift"))
            .send()
            .await
            .expect("page");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
}

/// Many completions of one action at once: exactly one succeeds, every other is told of the
/// conflict (409), none fails (5xx), and the action is completed once.
#[tokio::test]
async fn completing_an_action_at_once_has_one_winner() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let child = allocated_child(&server, "Zak", "worker").await;
        let worker_uuid = worker_id(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let worker = api_token(&server, "worker").await;
        let (status, recorded) = post_json(
            &server,
            &manager,
            "/api/supervisions",
            &supervision_json(&worker_uuid, &child, &worker_uuid, &in_days(3)),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{recorded}");
        let action = recorded["actions"][0]["id"]
            .as_str()
            .expect("action")
            .to_string();
        let completion = format!("/api/supervision-actions/{action}/completion");
        let done = json!({ "completed_on": today(), "note": "Seen alone; she is settled." });
        let requests = [&worker, &manager, &manager2, &worker, &manager, &manager2]
            .into_iter()
            .map(|token| {
                client()
                    .post(server.url(&completion))
                    .bearer_auth(token)
                    .json(&done)
            })
            .collect();
        let results = at_once(requests).await;
        assert_one_winner("completing a supervision action", &results, StatusCode::OK);
        let events = get_json(&server, &worker, &format!("/api/people/{child}/chronology")).await;
        let completed = events
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["kind"] == "supervision_action_completed")
            .count();
        assert_eq!(completed, 1, "completed once: {events}");
        let report = server.app.verify_audit_trail().await.expect("verify");
        assert!(report.is_intact(), "{report:?}");
    }
}
