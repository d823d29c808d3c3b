//! Threshold prompts over HTTP on both backends: the prompt on a contact through the API and
//! beside the recommendation on its page (401 without a session, 403 for a partner); the
//! review form and the API refuse to authorise below the prompt without the manager's reason
//! (422 naming the prompt); simultaneous authorisations with a reason have exactly one winner;
//! the departures report and the administrator's rules, each by role.

use crate::concurrency::{assert_audit_intact, assert_one_winner, at_once};
use crate::support::{
    api_token, client, contact_json, get_json, json_of, linked_contact, page, post_json, recommend,
    servers, signed_in_browser, Linked,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A date `years` years before today (London).
fn years_ago(years: i32) -> String {
    use chrono::Datelike;
    let today = frontdoor_app::london_date(chrono::Utc::now());
    today
        .with_year(today.year() - years)
        .unwrap_or(today)
        .format("%Y-%m-%d")
        .to_string()
}

fn today() -> String {
    frontdoor_app::london_date(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string()
}

const REASON: &str = "The ex-partner left a year ago; a non-molestation order is in force and mother works with outreach.";

#[tokio::test]
async fn a_prompt_shows_beside_the_recommendation_and_authorising_below_it_needs_a_reason() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let partner = api_token(&server, "partner").await;
        let admin = api_token(&server, "admin").await;
        // Domestic abuse, and the child is 2.
        let mut contact = contact_json();
        contact["children"][0]["date_of_birth"] = json!(years_ago(2));
        let Linked { contact, .. } = linked_contact(&server, &officer, &contact).await;

        let path = format!("/api/contacts/{contact}/threshold-prompts");
        let (status, _) = json_of(http.get(server.url(&path))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        for token in [&partner, &admin] {
            let (status, _) = json_of(http.get(server.url(&path)).bearer_auth(token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let prompts = get_json(&server, &worker, &path).await;
        assert_eq!(
            prompts["firing"][0]["kind"], "domestic_abuse_with_young_child",
            "{prompts}"
        );
        assert_eq!(
            prompts["firing"][0]["minimum_outcome"],
            "referral_for_assessment"
        );

        recommend(
            &server,
            &worker,
            &contact,
            &json!({ "outcome": "early_help", "level_of_need": "2", "rationale": "Mother accepts support from the family hub and outreach." }),
        )
        .await;

        // On the page, beside the recommendation, with its source; the manager's form asks
        // for the reason.
        let (browser, csrf) = signed_in_browser(&server, "manager").await;
        let contact_page = page(&server, &browser, &format!("/contacts/{contact}")).await;
        assert!(contact_page.contains("Threshold prompts"), "{contact_page}");
        assert!(
            contact_page.contains("Domestic Abuse Act 2021"),
            "{contact_page}"
        );
        assert!(
            contact_page.contains("name=\"departure_reason_domestic_abuse_with_young_child\""),
            "{contact_page}"
        );
        // Authorising from the form without the reason: the page again, naming the prompt.
        let response = browser
            .post(server.url(&format!("/contacts/{contact}/review")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("decision", "authorise"),
                (
                    "review_rationale",
                    "Agreed after reading the history and the police account.",
                ),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = response.text().await.expect("body");
        assert!(body.contains("Domestic abuse with a young child"), "{body}");

        // The API likewise, naming the field.
        let review = format!("/api/contacts/{contact}/review");
        let without = json!({ "authorise": true, "rationale": "Agreed after reading the history and the police account." });
        let (status, problem) = post_json(&server, &manager, &review, &without).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(
            problem
                .to_string()
                .contains("departure_reason_domestic_abuse_with_young_child"),
            "{problem}"
        );

        // With the reason, two managers at once: one authorises, the other is told (409).
        let mut with: Value = without.clone();
        with["departure_reasons"] = json!({ "domestic_abuse_with_young_child": REASON });
        let results = at_once(
            [&manager, &manager2, &manager2]
                .iter()
                .map(|t| http.post(server.url(&review)).bearer_auth(t).json(&with))
                .collect(),
        )
        .await;
        assert_one_winner("authorising below a prompt", &results, StatusCode::OK);

        // The report: managers (not social workers); the reason is in it once.
        let report_path = format!(
            "/api/threshold-prompt-departures?from={}&to={}",
            today(),
            today()
        );
        let (status, _) = json_of(http.get(server.url(&report_path)).bearer_auth(&worker)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let report = get_json(&server, &manager, &report_path).await;
        let rows = report.as_array().expect("rows");
        assert_eq!(rows.len(), 1, "{report}");
        assert_eq!(rows[0]["reason"], REASON);
        let (status, problem) = json_of(
            http.get(server.url("/api/threshold-prompt-departures?from=yesterday&to=2026-01-01"))
                .bearer_auth(&manager),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        let report_page = page(&server, &browser, "/threshold-prompts").await;
        assert!(
            report_page.contains("non-molestation order"),
            "{report_page}"
        );
        let decided = page(&server, &browser, &format!("/contacts/{contact}")).await;
        assert!(
            decided.contains("Manager&#x27;s reason for departing from it")
                || decided.contains("Manager's reason for departing from it"),
            "{decided}"
        );
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn administrators_set_the_prompts_and_nobody_else() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let manager = api_token(&server, "manager").await;
        let admin = api_token(&server, "admin").await;
        let (status, _) = json_of(http.get(server.url("/api/threshold-prompt-rules"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = json_of(
            http.get(server.url("/api/threshold-prompt-rules"))
                .bearer_auth(&manager),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let rules = get_json(&server, &admin, "/api/threshold-prompt-rules").await;
        assert_eq!(rules.as_array().map(Vec::len), Some(3), "{rules}");

        let put = |token: &str, body: &Value| {
            http.put(server.url("/api/threshold-prompt-rules"))
                .bearer_auth(token)
                .json(body)
        };
        let rule = json!({ "kind": "repeat_contacts", "enabled": true, "first_parameter": 4, "second_parameter": "6",
            "minimum_outcome": "referral_for_assessment", "source": "Webshire safeguarding partnership threshold document (2025)" });
        let (status, _) = json_of(put(&manager, &json!({ "rules": [rule] }))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let mut bad = rule.clone();
        bad["second_parameter"] = json!(99);
        let (status, problem) = json_of(put(&admin, &json!({ "rules": [bad] }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(
            problem
                .to_string()
                .contains("repeat_contacts_second_parameter"),
            "{problem}"
        );
        // Two administrators' saves at once both succeed whole: still one rule of the kind.
        let results = at_once(vec![
            put(&admin, &json!({ "rules": [rule] })),
            put(&admin, &json!({ "rules": [rule] })),
        ])
        .await;
        assert!(
            results.iter().all(|(s, _)| *s == StatusCode::OK),
            "{results:?}"
        );
        let rules = get_json(&server, &admin, "/api/threshold-prompt-rules").await;
        let all = rules.as_array().expect("rules");
        assert_eq!(all.len(), 3);
        let repeat = all
            .iter()
            .find(|r| r["condition"]["kind"] == "repeat_contacts")
            .expect("repeat contacts");
        assert_eq!(repeat["condition"]["count"], 4, "{repeat}");
        assert_eq!(repeat["condition"]["within_months"], 6);

        // The pages: the administrator's form; managers are refused it.
        let (browser, _) = signed_in_browser(&server, "admin").await;
        let admin_page = page(&server, &browser, "/admin/threshold-prompts").await;
        assert!(
            admin_page.contains("Webshire safeguarding partnership"),
            "{admin_page}"
        );
        let (managers, _) = signed_in_browser(&server, "manager").await;
        let response = managers
            .get(server.url("/admin/threshold-prompts"))
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_audit_intact(&server).await;
    }
}
