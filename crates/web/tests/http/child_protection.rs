//! Episodes, strategy discussions and section 47 enquiries over the JSON API, on both
//! backends: the sign-off refused naming each missing part, then accepted; two managers
//! signing off at once and two enquiries started at once each have exactly one winner; partners
//! are refused.

use crate::concurrency::{assert_audit_intact, assert_one_winner, at_once};
use crate::support::{
    api_token, authorise, client, contact_json, get_json, json_of, linked_contact, page, recommend,
    servers, status_of, Linked, Server,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A contact authorised as "strategy discussion": the child's episode id.
pub(crate) async fn authorised_strategy(server: &Server) -> String {
    let officer = api_token(server, "officer").await;
    let worker = api_token(server, "worker").await;
    let manager = api_token(server, "manager").await;
    let Linked {
        contact, person, ..
    } = linked_contact(server, &officer, &contact_json()).await;
    let recommendation = json!({ "outcome": "strategy_discussion", "level_of_need": "4", "rationale": "Children present during a violent incident; injuries reported." });
    recommend(server, &worker, &contact, &recommendation).await;
    let rationale = "Agreed: strategy discussion with police and health today.";
    authorise(server, &manager, &contact, rationale).await;
    let (status, episodes) = json_of(
        client()
            .get(server.url(&format!("/api/people/{person}/episodes")))
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
        let episode = authorised_strategy(&server).await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let partner = api_token(&server, "partner").await;

        let episode_path = format!("/api/episodes/{episode}");
        let (status, _) = json_of(http.get(server.url(&episode_path)).bearer_auth(&partner)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, view) =
            json_of(http.get(server.url(&episode_path)).bearer_auth(&worker)).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        let id = view["strategy_discussions"][0]["id"]
            .as_str()
            .expect("discussion")
            .to_string();
        let due = get_json(&server, &manager, "/api/work-due?scope=team").await;
        assert_eq!(due["soonest"][0]["kind"], "strategy_discussion", "{due}");
        assert_eq!(due["due"], 1, "{due}");
        assert_eq!(due["by_kind"][0]["kind"], "strategy_discussion", "{due}");
        let discussion = server.url(&format!("/api/strategy-discussions/{id}"));
        let save =
            |token: &str, record: &Value| http.put(&discussion).bearer_auth(token).json(record);
        let sign_off = |token: &str| {
            http.post(format!("{discussion}/sign-off"))
                .bearer_auth(token)
        };
        let start_section_47 = |token: &str| {
            http.post(format!("{discussion}/section-47"))
                .bearer_auth(token)
        };

        // Without the police and with no risks: refused, each part named.
        let mut record = complete_record();
        record["attendees"] = json!([record["attendees"][1].clone()]);
        record["risks"] = json!([]);
        let (status, saved) = json_of(save(&worker, &record)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (status, refused) = json_of(sign_off(&manager)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        let text = refused.to_string();
        assert!(
            text.contains("police_absence_reason") && text.contains("\"risks\""),
            "{text}"
        );

        let (status, _) = json_of(save(&worker, &complete_record())).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = json_of(sign_off(&worker)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let results = at_once(vec![sign_off(&manager), sign_off(&manager2)]).await;
        assert_one_winner("sign-offs", &results, StatusCode::OK);

        let results = at_once(vec![
            start_section_47(&worker),
            start_section_47(&manager),
            start_section_47(&manager2),
        ])
        .await;
        assert_one_winner("section 47 enquiries", &results, StatusCode::CREATED);
        let view = get_json(&server, &worker, &episode_path).await;
        assert_eq!(
            view["enquiries"].as_array().map(Vec::len),
            Some(1),
            "{view}"
        );
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn the_pages_work_without_javascript_from_write_up_to_sign_off() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let episode = authorised_strategy(&server).await;
        let (worker, worker_csrf) = crate::support::signed_in_browser(&server, "worker").await;
        let (manager, manager_csrf) = crate::support::signed_in_browser(&server, "manager").await;

        let (status, html) =
            status_of(worker.get(server.url(&format!("/episodes/{episode}")))).await;
        assert_eq!(status, StatusCode::OK);
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
        let discussion = format!("/strategy-discussions/{id}");
        let save = |form: &Vec<(String, String)>| worker.post(server.url(&discussion)).form(form);
        let sign_off = || {
            manager
                .post(server.url(&format!("{discussion}/sign-off")))
                .form(&[("csrf_token", manager_csrf.as_str())])
        };
        let (status, _) = status_of(save(&form)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, html) = status_of(sign_off()).await;
        assert_eq!(status, StatusCode::OK);
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
        let (status, _) = status_of(save(&form)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _) = status_of(sign_off()).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let html = page(&server, &worker, &discussion).await;
        assert!(
            html.contains("Signed off") && html.contains("Start the section 47 enquiry"),
            "{html}"
        );
        let started = worker
            .post(server.url(&format!("{discussion}/section-47")))
            .form(&[("csrf_token", worker_csrf.as_str())])
            .send()
            .await
            .expect("start");
        assert_eq!(started.status(), StatusCode::SEE_OTHER);

        // A visit before the discussion, without a reason: the field error on the episode page.
        let earlier = now - chrono::Duration::hours(2);
        let visit = worker
            .post(server.url(&format!("/section-47/{}/visits", {
                let html = page(&server, &worker, &format!("/episodes/{episode}")).await;
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
    use reqwest::Method as M;
    // Each route, with {id} standing for a record that does not exist.
    let routes: Vec<(M, &str)> = vec![
        (M::GET, "/api/people/{id}/episodes"),
        (M::GET, "/api/episodes/{id}"),
        (M::PATCH, "/api/episodes/{id}"),
        (M::POST, "/api/episodes/{id}/closure"),
        (M::GET, "/api/work-due"),
        (M::POST, "/api/episodes/{id}/strategy-discussions"),
        (M::GET, "/api/strategy-discussions/{id}"),
        (M::PUT, "/api/strategy-discussions/{id}"),
        (M::POST, "/api/strategy-discussions/{id}/sign-off"),
        (M::POST, "/api/strategy-discussions/{id}/section-47"),
        (M::POST, "/api/strategy-discussions/{id}/withdrawal"),
        (M::POST, "/api/section-47/{id}/visits"),
        (M::POST, "/api/section-47/{id}/outcome"),
        (M::GET, "/api/conferences/{id}"),
        (M::POST, "/api/conferences/{id}"),
        (M::GET, "/api/plans/{id}"),
        (M::POST, "/api/plans/{id}/visits"),
        (M::POST, "/api/plans/{id}/end"),
    ];
    for (method, route) in routes {
        let path = route.replace("{id}", &some.to_string());
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
