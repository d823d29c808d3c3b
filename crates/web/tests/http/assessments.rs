//! Child and family assessments over HTTP, on both backends: the API flow with per-role
//! 401/403, a submission refused (422) naming each quality point without a reason, the pages
//! without JavaScript (start from the episode, visit, record, submit, authorise), and many
//! starts and many authorisations at once: one winner, 409 for the others, never a 5xx.

use crate::concurrency::{assert_one_winner, at_once};
use crate::support::{
    api_token, authorise, client, get_json, get_status, linked_contact, page, post_json, recommend,
    servers, signed_in_browser, Server,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A child referred today for assessment: (person id, episode id).
async fn referred_child(server: &Server, given: &str) -> (String, String) {
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
        &json!({ "outcome": "referral_for_assessment", "level_of_need": "3", "rationale": "Neglect over weeks: a child and family assessment is needed." }),
    )
    .await;
    authorise(
        server,
        &manager,
        &linked.contact,
        "Agreed: a child and family assessment by the MASH.",
    )
    .await;
    let episodes = get_json(
        server,
        &manager,
        &format!("/api/people/{}/episodes", linked.person),
    )
    .await;
    let episode = episodes[0]["id"].as_str().expect("episode").to_string();
    (linked.person, episode)
}

fn today() -> String {
    frontdoor_app::london_date(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string()
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

fn record_json() -> Value {
    json!({
        "child_views": "Zak said he likes school best because there is breakfast club.",
        "history_considered": "One earlier contact (neglect, last year), closed after advice.",
        "family_considered": "Father lives nearby and sees Zak weekly; spoken to by phone.",
        "verification_sources": "School: attendance and presentation\nGP",
        "factors": ["16A"],
        "outcome": "child_in_need_plan"
    })
}

async fn put_json(server: &Server, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    let response = client()
        .put(server.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("put");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_assessment_is_started_refused_without_reasons_and_authorised_by_role() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let (_, episode) = referred_child(&server, "Zak").await;
        let tokens = [
            "officer", "worker", "worker2", "manager", "manager2", "partner", "admin",
        ];
        let mut t = Vec::new();
        for username in tokens {
            t.push(api_token(&server, username).await);
        }
        let [officer, worker, _worker2, manager, manager2, partner, admin]: [String; 7] =
            t.try_into().expect("tokens");
        for path in ["/api/assessments", "/api/assessments/quality-report"] {
            let answer = client().get(server.url(path)).send().await.expect("get");
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{path}");
        }
        let start = format!("/api/episodes/{episode}/assessments");
        for token in [&officer, &partner, &admin] {
            let (status, _) = post_json(&server, token, &start, &json!({})).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, started) = post_json(&server, &worker, &start, &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{started}");
        assert_eq!(started["state"], "in_progress");
        assert_eq!(started["is_repeat"], false);
        assert!(started["due_on"].is_string(), "{started}");
        let (status, _) = post_json(&server, &worker, &start, &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "one open per episode");
        let path = format!("/api/assessments/{}", started["id"].as_str().expect("id"));
        for token in [&partner, &admin] {
            assert_eq!(
                get_status(&server, token, &path).await,
                StatusCode::FORBIDDEN
            );
        }
        let view = get_json(&server, &manager, &path).await;
        assert_eq!(view["previous_contacts"].as_array().map(Vec::len), Some(1));
        assert_eq!(view["missing_points"].as_array().map(Vec::len), Some(6));

        // Nothing recorded: 422 naming every quality point, the factors and the outcome.
        let (status, problem) =
            post_json(&server, &worker, &format!("{path}/submission"), &json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(
            fields(&problem),
            [
                "reasons[child_seen]",
                "reasons[child_seen_alone]",
                "reasons[child_views]",
                "reasons[history_considered]",
                "reasons[extended_family_considered]",
                "reasons[information_verified]",
                "factors",
                "outcome"
            ]
        );
        // Seen, not alone; everything else recorded: the one point needs its reason.
        let (status, _) = post_json(
            &server,
            &worker,
            &format!("{path}/visits"),
            &json!({ "visited_on": today(), "child_seen": true, "seen_alone": false }),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = put_json(&server, &worker, &path, &record_json()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, problem) =
            post_json(&server, &worker, &format!("{path}/submission"), &json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["reasons[child_seen_alone]"]);
        let reason = json!({ "reasons": { "child_seen_alone": "Zak is three and would not separate from his mother." } });
        let (status, body) =
            post_json(&server, &worker, &format!("{path}/submission"), &reason).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "submitted");

        // Authorised by a manager of the team; not the worker; a second decision is a 409.
        let authorisation = format!("{path}/authorisation");
        let (status, _) = post_json(&server, &worker, &authorisation, &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = post_json(&server, &manager, &authorisation, &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "authorised");
        let (status, problem) = post_json(&server, &manager2, &authorisation, &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("was authorised at")),
            "{problem}"
        );

        // The quality report: managers; not workers, partners or administrators.
        let report = get_json(&server, &manager, "/api/assessments/quality-report").await;
        assert_eq!(report["missing_points"], 1, "{report}");
        assert_eq!(report["started"], 1);
        for token in [&worker, &partner, &admin] {
            assert_eq!(
                get_status(&server, token, "/api/assessments/quality-report").await,
                StatusCode::FORBIDDEN
            );
        }
        // A second assessment of Zak is a repeat.
        let (status, second) = post_json(&server, &worker, &start, &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{second}");
        assert_eq!(second["is_repeat"], true);
        let mine = get_json(&server, &worker, "/api/assessments?scope=mine").await;
        assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    }
}

#[tokio::test]
async fn the_pages_start_record_submit_and_authorise_without_javascript() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let (_, episode) = referred_child(&server, "Ava").await;
        let (browser, csrf) = signed_in_browser(&server, "worker").await;
        let episode_page = page(&server, &browser, &format!("/episodes/{episode}")).await;
        assert!(episode_page.contains("Start assessment"), "{episode_page}");
        let started = browser
            .post(server.url(&format!("/episodes/{episode}/assessments")))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("start");
        assert_eq!(started.status(), StatusCode::SEE_OTHER);
        let location = started.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        let id = location
            .trim_start_matches("/assessments/")
            .split('?')
            .next()
            .expect("id")
            .to_string();
        let html = page(&server, &browser, &location).await;
        assert!(
            html.contains("The child&#x27;s history") || html.contains("The child's history"),
            "{html}"
        );
        assert!(html.contains("Assessment started."));
        // Submitting with nothing: 422, the error summary naming the points.
        let refused = browser
            .post(server.url(&format!("/assessments/{id}/submit")))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("submit");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("govuk-error-summary"));
        assert!(
            html.contains("The child was seen alone: not shown"),
            "{html}"
        );
        // A visit, the record, then submit.
        let today = today();
        let visit = browser
            .post(server.url(&format!("/assessments/{id}/visits")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("visited_on", today.as_str()),
                ("child_seen", "yes"),
                ("seen_alone", "yes"),
                ("note", "Ava showed me her room."),
            ])
            .send()
            .await
            .expect("visit");
        assert_eq!(visit.status(), StatusCode::SEE_OTHER);
        let saved = browser
            .post(server.url(&format!("/assessments/{id}")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("child_views", "Ava wants her dad at her birthday."),
                ("history_considered", "No earlier involvement found."),
                (
                    "family_considered",
                    "Maternal aunt looks after Ava on Fridays.",
                ),
                ("verification_sources", "Nursery"),
                ("factors", "16A"),
                ("factors", "4B"),
                ("outcome", "early_help"),
            ])
            .send()
            .await
            .expect("save");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let html = page(&server, &browser, &format!("/assessments/{id}")).await;
        assert!(html.contains("value=\"4B\" checked"), "factors kept");
        let submitted = browser
            .post(server.url(&format!("/assessments/{id}/submit")))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("submit");
        assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
        // The manager authorises from the page.
        let (manager, manager_csrf) = signed_in_browser(&server, "manager").await;
        let html = page(&server, &manager, &format!("/assessments/{id}")).await;
        assert!(html.contains("Authorise the assessment"));
        let authorised = manager
            .post(server.url(&format!("/assessments/{id}/authorise")))
            .form(&[("csrf_token", manager_csrf.as_str())])
            .send()
            .await
            .expect("authorise");
        assert_eq!(authorised.status(), StatusCode::SEE_OTHER);
        let html = page(
            &server,
            &manager,
            &format!("/assessments/{id}?done=authorised"),
        )
        .await;
        assert!(html.contains("Assessment authorised."));
        let report = page(&server, &manager, "/assessments/report").await;
        assert!(report.contains("Assessment quality report"));
        // A partner is refused the pages.
        let (partner, _) = signed_in_browser(&server, "partner").await;
        let refused = partner
            .get(server.url(&format!("/assessments/{id}")))
            .send()
            .await
            .expect("page");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
}

/// Many starts of an assessment on one episode at once, then many authorisations of one: each
/// time exactly one succeeds and the others are told of the conflict; no 5xx; one assessment.
#[tokio::test]
async fn starting_and_authorising_at_once_have_one_winner() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let (person, episode) = referred_child(&server, "Zak").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let start = format!("/api/episodes/{episode}/assessments");
        let requests = [&worker, &manager, &manager2, &worker, &manager, &manager2]
            .into_iter()
            .map(|token| client().post(server.url(&start)).bearer_auth(token))
            .collect();
        let results = at_once(requests).await;
        assert_one_winner("starting an assessment", &results, StatusCode::CREATED);
        let open = get_json(&server, &manager, "/api/assessments?scope=team").await;
        assert_eq!(open.as_array().map(Vec::len), Some(1), "{open}");
        let id = open[0]["id"].as_str().expect("id").to_string();
        // Continue that one to submission (as the worker), then authorise at once.
        let path = format!("/api/assessments/{id}");
        let (status, _) = post_json(
            &server,
            &worker,
            &format!("{path}/visits"),
            &json!({ "visited_on": today(), "child_seen": true, "seen_alone": true }),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = put_json(&server, &worker, &path, &record_json()).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) =
            post_json(&server, &worker, &format!("{path}/submission"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let authorisation = format!("{path}/authorisation");
        let requests = [&manager, &manager2, &manager, &manager2]
            .into_iter()
            .map(|token| client().post(server.url(&authorisation)).bearer_auth(token))
            .collect();
        let results = at_once(requests).await;
        assert_one_winner("authorising an assessment", &results, StatusCode::OK);
        let events = get_json(
            &server,
            &manager,
            &format!("/api/people/{person}/chronology"),
        )
        .await;
        let authorised = events
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["kind"] == "assessment_authorised")
            .count();
        assert_eq!(authorised, 1, "{events}");
        let report = server.app.verify_audit_trail().await.expect("verify");
        assert!(report.is_intact(), "{report:?}");
    }
}
