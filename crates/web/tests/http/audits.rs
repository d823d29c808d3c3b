//! Quality-assurance audits over HTTP, on both backends: the API with per-role 401/403 (and 404
//! for a partner not invited), completion refused (422) naming each question not graded, an
//! action refused without a due date, the exception and a sample from a list, the summary
//! report; the pages without JavaScript from planning to completion; and many starts and many
//! completions at once: one winner, 409 for the others, never a 5xx.

use crate::concurrency::{assert_one_winner, at_once};
use crate::support::{
    api_token, client, contact_json, get_json, get_status, linked_contact, page, post_json,
    servers, signed_in_browser, Server, PASSWORD,
};
use frontdoor_app::NewWorker;
use frontdoor_domain::authorization::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Adds the quality assurance officers "qa" and "qa2" and the senior manager "senior".
async fn auditors(server: &Server) {
    for (username, role) in [
        ("qa", Role::QualityAssuranceOfficer),
        ("qa2", Role::QualityAssuranceOfficer),
        ("senior", Role::SeniorManager),
    ] {
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
                password: PASSWORD.into(),
            })
            .await
            .expect("auditor");
    }
}

/// A child on a contact received now: their record id.
async fn child(server: &Server, given: &str) -> String {
    let officer = api_token(server, "officer").await;
    let mut contact = contact_json();
    contact["children"][0]["given_name"] = json!(given);
    linked_contact(server, &officer, &contact).await.person
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

fn every_answer(grade: &str) -> Value {
    let answers: Vec<Value> = (1..=7)
        .map(|n| json!({ "number": n, "grade": grade, "comment": "Seen in the record." }))
        .collect();
    json!({ "answers": answers, "overall_grade": grade, "findings": "Timely and authorised; views missing." })
}

/// Plans a standard (or multi-agency) audit of `child` as `token`: (audit id, case audit id).
async fn planned(server: &Server, token: &str, child: &str, kind: &str) -> (String, String) {
    let (status, audit) = post_json(
        server,
        token,
        "/api/audits",
        &json!({ "title": "Front door audit", "kind": kind, "child": child }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{audit}");
    let id = audit["id"].as_str().expect("id").to_string();
    let view = get_json(server, token, &format!("/api/audits/{id}")).await;
    let case = view["cases"][0]["id"].as_str().expect("case").to_string();
    (id, case)
}

fn today() -> String {
    frontdoor_app::london_date(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn an_audit_is_planned_graded_and_completed_through_the_api_by_role() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        auditors(&server).await;
        let ava = child(&server, "Ava").await;
        let mut tokens = Vec::new();
        for username in [
            "officer", "worker", "manager", "partner", "nurse", "admin", "qa", "qa2",
        ] {
            tokens.push(api_token(&server, username).await);
        }
        let [officer, worker, manager, partner, nurse, admin, qa, qa2]: [String; 8] =
            tokens.try_into().expect("tokens");
        for path in ["/api/audits", "/api/audits/tools", "/api/audits/report"] {
            let answer = client().get(server.url(path)).send().await.expect("get");
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{path}");
        }
        for token in [&officer, &worker, &admin] {
            assert_eq!(
                get_status(&server, token, "/api/audits").await,
                StatusCode::FORBIDDEN
            );
        }
        assert_eq!(
            get_status(&server, &admin, "/api/audits/tools").await,
            StatusCode::OK
        );
        let plan = json!({ "title": "Front door audit", "kind": "standard", "child": ava });
        for token in [&worker, &partner, &admin] {
            let (status, _) = post_json(&server, token, "/api/audits", &plan).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, tool) = post_json(
            &server,
            &admin,
            "/api/audits/tools",
            &json!({ "name": "Neglect", "questions": ["Was the home visited?"] }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{tool}");
        let (status, _) =
            post_json(&server, &qa, "/api/audits", &json!({ "kind": "standard" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let (audit, case) = planned(&server, &manager, &ava, "multi_agency").await;
        let path = format!("/api/audits/cases/{case}");
        assert_eq!(
            get_status(&server, &worker, &path).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get_status(&server, &partner, &path).await,
            StatusCode::NOT_FOUND
        );
        let police = server
            .app
            .store
            .workers(server.authority)
            .await
            .expect("workers")
            .into_iter()
            .find(|w| w.username == "partner")
            .expect("partner")
            .id;
        let (status, invited) = post_json(
            &server,
            &qa,
            &format!("/api/audits/{audit}/invitations"),
            &json!({ "worker": police }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{invited}");
        let seen = get_json(&server, &partner, &path).await;
        assert_eq!(seen["as_partner"], true, "{seen}");
        assert_eq!(
            get_status(&server, &nurse, &path).await,
            StatusCode::NOT_FOUND
        );

        // Planned → in progress (once) → completed (only when everything is graded).
        let (status, _) = put_json(&server, &qa, &path, &every_answer("good")).await;
        assert_eq!(status, StatusCode::CONFLICT, "answers wait for the start");
        let (status, started) = post_json(&server, &qa, &format!("{path}/start"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{started}");
        assert_eq!(started["state"], "in_progress");
        let (status, problem) =
            post_json(&server, &qa2, &format!("{path}/start"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("was started at")),
            "{problem}"
        );
        let (status, problem) =
            post_json(&server, &qa, &format!("{path}/completion"), &json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            fields(&problem),
            [
                "grade[1]",
                "grade[2]",
                "grade[3]",
                "grade[4]",
                "grade[5]",
                "grade[6]",
                "grade[7]",
                "overall_grade",
                "findings"
            ]
        );
        let (status, _) = put_json(
            &server,
            &partner,
            &path,
            &json!({ "answers": [{ "number": 7, "grade": "good", "comment": "Police shared the DA history." }] }),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) =
            put_json(&server, &qa, &path, &every_answer("requires_improvement")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = post_json(
            &server,
            &qa,
            &format!("{path}/actions"),
            &json!({ "description": "Record the child's views.", "owner": police }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(fields(&body), ["due_on", "owner"]);
        let owner = server
            .app
            .store
            .workers(server.authority)
            .await
            .expect("workers")
            .into_iter()
            .find(|w| w.username == "worker")
            .expect("worker")
            .id;
        let (status, action) = post_json(
            &server,
            &qa,
            &format!("{path}/actions"),
            &json!({ "description": "Record the child's views.", "owner": owner, "due_on": today() }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{action}");
        let (status, done) =
            post_json(&server, &qa, &format!("{path}/completion"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(done["state"], "completed");
        let (status, _) = post_json(&server, &qa2, &format!("{path}/completion"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT);

        // The summary: the audit's grades and its outstanding action.
        let report = get_json(&server, &qa, &format!("/api/audits/report?audit={audit}")).await;
        assert_eq!(report["completed"], 1, "{report}");
        assert_eq!(report["actions_outstanding"], 1);
        assert_eq!(report["overall"][2]["count"], 1, "requires improvement");
        for token in [&worker, &partner, &admin] {
            assert_eq!(
                get_status(&server, token, "/api/audits/report").await,
                StatusCode::FORBIDDEN
            );
        }

        // The exception for today's period, and a sample from it with where it came from.
        let day = today();
        let (status, problem) = crate::support::json_of(
            client()
                .get(
                    server
                        .url("/api/audits/exceptions/decisions-not-authorised-in-one-working-day"),
                )
                .bearer_auth(&qa),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        let exception = get_json(
            &server,
            &qa,
            &format!("/api/audits/exceptions/decisions-not-authorised-in-one-working-day?from={day}&to={day}"),
        )
        .await;
        assert!(exception["children"].is_array(), "{exception}");
        let (status, sample) = post_json(
            &server,
            &qa,
            "/api/audits/samples",
            &json!({ "title": "Children of the day", "source": "Contacts received today", "children": [ava], "sample_size": "1", "seed": "3" }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{sample}");
        assert_eq!(sample["selection"], "Contacts received today");
        let listed = get_json(&server, &partner, "/api/audits").await;
        assert_eq!(
            listed.as_array().map(Vec::len),
            Some(1),
            "only the audit invited to"
        );
        let report = server.app.verify_audit_trail().await.expect("verify");
        assert!(report.is_intact(), "{report:?}");
    }
}

#[tokio::test]
async fn the_pages_plan_grade_and_complete_an_audit_without_javascript() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        auditors(&server).await;
        let ava = child(&server, "Ava").await;
        let (browser, csrf) = signed_in_browser(&server, "qa").await;
        let form = page(&server, &browser, "/audits/new").await;
        assert!(form.contains("Plan an audit"), "{form}");
        let refused = browser
            .post(server.url("/audits"))
            .form(&[("csrf_token", csrf.as_str()), ("kind", "standard")])
            .send()
            .await
            .expect("plan");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let planned = browser
            .post(server.url("/audits"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("title", "Ava's case"),
                ("kind", "standard"),
                ("child", ava.as_str()),
            ])
            .send()
            .await
            .expect("plan");
        assert_eq!(planned.status(), StatusCode::SEE_OTHER);
        let location = planned.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        let html = page(&server, &browser, &location).await;
        assert!(html.contains("Audit planned"), "{html}");
        let case = html
            .split("href=\"/audits/cases/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("case link")
            .to_string();
        let started = browser
            .post(server.url(&format!("/audits/cases/{case}/start")))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("start");
        assert_eq!(started.status(), StatusCode::SEE_OTHER);
        let mut answers: Vec<(String, String)> = vec![("csrf_token".into(), csrf.clone())];
        for n in 1..=7 {
            answers.push((
                format!("grade[{n}]"),
                if n == 3 { String::new() } else { "good".into() },
            ));
            answers.push((format!("comment[{n}]"), "Shown in the record.".into()));
        }
        answers.push(("overall_grade".into(), "good".into()));
        answers.push(("findings".into(), "A timely, authorised decision.".into()));
        let saved = browser
            .post(server.url(&format!("/audits/cases/{case}")))
            .form(&answers)
            .send()
            .await
            .expect("save");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let refused = browser
            .post(server.url(&format!("/audits/cases/{case}/complete")))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("complete");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("Grade question 3"), "{html}");
        answers[5].1 = "good".into();
        browser
            .post(server.url(&format!("/audits/cases/{case}")))
            .form(&answers)
            .send()
            .await
            .expect("save");
        let completed = browser
            .post(server.url(&format!("/audits/cases/{case}/complete")))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("complete");
        assert_eq!(completed.status(), StatusCode::SEE_OTHER);
        let html = page(
            &server,
            &browser,
            &format!("/audits/cases/{case}?done=completed"),
        )
        .await;
        assert!(html.contains("Case audit completed."), "{html}");
        let report = page(&server, &browser, "/audits/report").await;
        assert!(
            report.contains("A timely, authorised decision."),
            "{report}"
        );
        // A social worker and a partner not invited are refused the pages.
        let (worker, _) = signed_in_browser(&server, "worker").await;
        let refused = worker
            .get(server.url("/audits"))
            .send()
            .await
            .expect("page");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let (partner, _) = signed_in_browser(&server, "partner").await;
        let refused = partner
            .get(server.url(&format!("/audits/cases/{case}")))
            .send()
            .await
            .expect("page");
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    }
}

/// Many starts of a case audit at once, then many completions: each time exactly one succeeds
/// and the others are told of the conflict; no 5xx; one completion on the chronology.
#[tokio::test]
async fn starting_and_completing_a_case_audit_at_once_have_one_winner() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        auditors(&server).await;
        let zak = child(&server, "Zak").await;
        let qa = api_token(&server, "qa").await;
        let qa2 = api_token(&server, "qa2").await;
        let manager = api_token(&server, "manager").await;
        let (_, case) = planned(&server, &qa, &zak, "standard").await;
        let path = format!("/api/audits/cases/{case}");
        let requests = [&qa, &qa2, &manager, &qa, &qa2, &manager]
            .into_iter()
            .map(|token| {
                client()
                    .post(server.url(&format!("{path}/start")))
                    .bearer_auth(token)
            })
            .collect();
        assert_one_winner(
            "starting a case audit",
            &at_once(requests).await,
            StatusCode::OK,
        );
        let (status, _) = put_json(&server, &qa, &path, &every_answer("good")).await;
        assert_eq!(status, StatusCode::OK);
        let requests = [&qa, &qa2, &manager, &qa, &qa2, &manager]
            .into_iter()
            .map(|token| {
                client()
                    .post(server.url(&format!("{path}/completion")))
                    .bearer_auth(token)
            })
            .collect();
        assert_one_winner(
            "completing a case audit",
            &at_once(requests).await,
            StatusCode::OK,
        );
        let events = get_json(&server, &manager, &format!("/api/people/{zak}/chronology")).await;
        let completed = events
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["kind"] == "case_audit_completed")
            .count();
        assert_eq!(completed, 1, "{events}");
        let report = server.app.verify_audit_trail().await.expect("verify");
        assert!(report.is_intact(), "{report:?}");
    }
}
