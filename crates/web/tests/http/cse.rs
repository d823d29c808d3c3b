//! CSE screening over the JSON API and the pages, on both backends: 401 without a session and
//! 403 by role for each operation; a contact raising CSE requires the screening; a high-risk
//! screening's safety plan is refused sign-off naming the unanswered indicator, then signed off;
//! the risk management group lists the child; simultaneous reviews have exactly one winner and
//! the losers get 409.

use crate::concurrency::{assert_audit_intact, assert_one_winner, at_once};
use crate::risk::requirement;
use crate::support::{
    api_token, client, contact_json, get_json, json_of, linked_contact, page, post_json, servers,
    signed_in_browser, Linked,
};
use frontdoor_domain::cse::INDICATORS;
use reqwest::StatusCode;
use serde_json::{json, Map, Value};

fn day(offset: i64) -> String {
    (frontdoor_app::london(chrono::Utc::now()) + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

fn screening(contact: &str, present: &[&str]) -> Value {
    let answers: Map<String, Value> = INDICATORS
        .iter()
        .map(|i| {
            let answer = if present.contains(&i.code) {
                "present"
            } else {
                "not_present"
            };
            (i.code.to_string(), json!(answer))
        })
        .collect();
    json!({ "contact": contact, "answers": answers })
}

fn plan(answers: &[&[&str]]) -> Value {
    json!({
        "kind": "safety_plan",
        "concerns": "Zak is groomed by an older man who gives him money and a phone.",
        "review_on": day(28),
        "actions": answers.iter().enumerate().map(|(i, a)| json!({
            "description": format!("Protective action {}", i + 1),
            "owner": "Social worker",
            "due_on": day(7),
            "answers": a,
        })).collect::<Vec<_>>()
    })
}

#[tokio::test]
async fn a_cse_contact_leads_to_a_screening_a_plan_answering_it_and_the_group() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let partner = api_token(&server, "partner").await;
        let admin = api_token(&server, "admin").await;
        let mut contact = contact_json();
        contact["concern_categories"] = json!(["child_sexual_exploitation"]);
        let Linked {
            contact, person, ..
        } = linked_contact(&server, &officer, &contact).await;

        let risk_path = format!("/api/people/{person}/risk");
        let risk = get_json(&server, &worker, &risk_path).await;
        assert_eq!(requirement(&risk, "cse_screening")["met"], false, "{risk}");

        let path = format!("/api/people/{person}/cse-screenings");
        let high = ["older_people.older_partner", "gifts.money"];
        let (status, _) = json_of(
            http.post(server.url(&path))
                .json(&screening(&contact, &high)),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        for token in [&officer, &partner, &admin] {
            let (status, body) =
                post_json(&server, token, &path, &screening(&contact, &high)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        }
        let mut gaps = screening(&contact, &high);
        gaps["answers"]
            .as_object_mut()
            .expect("answers")
            .remove("school.absence");
        let (status, refused) = post_json(&server, &worker, &path, &gaps).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(
            refused.to_string().contains("answers.school.absence"),
            "{refused}"
        );
        let (status, s) = post_json(&server, &worker, &path, &screening(&contact, &high)).await;
        assert_eq!(status, StatusCode::CREATED, "{s}");
        assert_eq!(s["level"], "high");
        assert_eq!(s["review_on"], day(28));
        let id = s["id"].as_str().expect("id").to_string();
        for token in [&partner, &admin] {
            let (status, _) = json_of(
                http.get(server.url(&format!("/api/cse-screenings/{id}")))
                    .bearer_auth(token),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let risk = get_json(&server, &worker, &risk_path).await;
        assert_eq!(requirement(&risk, "cse_screening")["met"], true, "{risk}");
        assert_eq!(
            requirement(&risk, "cse_safety_plan")["met"],
            false,
            "{risk}"
        );

        // The plan answers one indicator of two: sign-off refused naming the other.
        let plans = format!("/api/cse-screenings/{id}/safety-plans");
        for token in [&officer, &partner, &admin] {
            let (status, _) = post_json(&server, token, &plans, &plan(&[])).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, created) = post_json(
            &server,
            &worker,
            &plans,
            &plan(&[&["older_people.older_partner"]]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let plan_id = created["plan"]["id"].as_str().expect("id").to_string();
        let sign_off = server.url(&format!("/api/safety-plans/{plan_id}/sign-off"));
        let (status, refused) = json_of(http.post(&sign_off).bearer_auth(&manager)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(
            refused.to_string().contains("answers.gifts.money"),
            "{refused}"
        );
        assert!(
            refused.to_string().contains("Unexplained money"),
            "{refused}"
        );
        let (status, body) = json_of(
            http.put(server.url(&format!("/api/safety-plans/{plan_id}")))
                .bearer_auth(&worker)
                .json(&plan(&[&["older_people.older_partner"], &["gifts.money"]])),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = json_of(http.post(&sign_off).bearer_auth(&manager)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let risk = get_json(&server, &worker, &risk_path).await;
        assert_eq!(requirement(&risk, "cse_safety_plan")["met"], true, "{risk}");

        // The risk management group: managers only here; filter by level.
        let (status, _) = json_of(http.get(server.url("/api/risk-management-group"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        for token in [&officer, &worker, &partner, &admin] {
            let (status, _) = json_of(
                http.get(server.url("/api/risk-management-group"))
                    .bearer_auth(token),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let group = get_json(&server, &manager, "/api/risk-management-group?level=high").await;
        let children = group["children"].as_array().expect("children");
        assert!(
            children.iter().any(|c| c["person"] == json!(person)
                && c["level"] == "high"
                && c["overdue"] == false),
            "{group}"
        );
        let medium = get_json(&server, &manager, "/api/risk-management-group?level=medium").await;
        assert!(
            !medium["children"]
                .as_array()
                .expect("children")
                .iter()
                .any(|c| c["person"] == json!(person)),
            "{medium}"
        );

        // Reviews: not by a social worker; four at once, one winner, the rest 409.
        let reviews = server.url(&format!("/api/cse-screenings/{id}/reviews"));
        let review = json!({ "previous_review_on": day(28), "next_review_on": day(56), "notes": "Reviewed at the group: plan working." });
        let (status, _) = json_of(http.post(&reviews).bearer_auth(&worker).json(&review)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let results = at_once(
            [&manager, &manager2, &manager, &manager2]
                .iter()
                .map(|t| http.post(&reviews).bearer_auth(t).json(&review))
                .collect(),
        )
        .await;
        assert_one_winner(
            "risk management group review",
            &results,
            StatusCode::CREATED,
        );

        // The pages: the contact shows the screening done; the group lists the child.
        let (browser, _) = signed_in_browser(&server, "manager").await;
        let contact_page = page(&server, &browser, &format!("/contacts/{contact}")).await;
        assert!(
            contact_page.contains("CSE screening completed: high risk"),
            "{contact_page}"
        );
        let group_page = page(&server, &browser, "/risk-management-group").await;
        assert!(
            group_page.contains(&format!("/cse-screenings/{id}")),
            "{group_page}"
        );
        assert_audit_intact(&server).await;
    }
}
