//! DASH checklists and safety plans over the JSON API and the pages, on both backends: each
//! role is refused what it may not do (401 without a session, 403 by role); a high-risk DASH
//! requires a safety plan a written agreement does not meet; two managers signing a plan off
//! at once have exactly one winner and the losers get 409.

use crate::concurrency::{assert_audit_intact, assert_one_winner, at_once};
use crate::support::{
    api_token, client, contact_json, get_json, json_of, linked_contact, page, post_json, servers,
    signed_in_browser, Linked,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn today() -> String {
    frontdoor_app::london(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string()
}

fn checklist(contact: &str, yes: usize) -> Value {
    json!({
        "contact": contact,
        "victim_name": "Tia Webb",
        "victim_relationship": "mother",
        "incident_on": today(),
        "answers": (0..24).map(|i| if i < yes { "yes" } else { "no" }).collect::<Vec<_>>(),
        "marac_referred": "yes",
        "marac_referred_on": today(),
    })
}

fn complete_plan(kind: &str) -> Value {
    json!({
        "kind": kind,
        "concerns": "Mother's partner assaulted her with Zak present; threats to kill.",
        "review_on": today(),
        "actions": [{ "description": "Refer mother to the IDVA service", "owner": "Social worker", "due_on": today() }]
    })
}

/// The requirement of this kind on a child's risk (`GET /api/people/{id}/risk`).
pub(crate) fn requirement<'a>(risk: &'a Value, kind: &str) -> &'a Value {
    risk["requirements"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["kind"] == kind))
        .unwrap_or_else(|| panic!("no {kind} requirement in {risk}"))
}

#[tokio::test]
async fn a_high_risk_dash_needs_a_signed_off_safety_plan_and_roles_are_kept_apart() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let manager2 = api_token(&server, "manager2").await;
        let partner = api_token(&server, "partner").await;
        let admin = api_token(&server, "admin").await;
        let Linked {
            contact, person, ..
        } = linked_contact(&server, &officer, &contact_json()).await;

        // The contact raises domestic abuse: the checklist is required.
        let risk_path = format!("/api/people/{person}/risk");
        let risk = get_json(&server, &worker, &risk_path).await;
        assert_eq!(requirement(&risk, "dash_checklist")["met"], false, "{risk}");

        // Who may complete the checklist: not a contact officer, a partner or an administrator.
        let dash_path = format!("/api/people/{person}/dash-assessments");
        let (status, _) = json_of(
            http.post(server.url(&dash_path))
                .json(&checklist(&contact, 15)),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        for token in [&officer, &partner, &admin] {
            let (status, body) =
                post_json(&server, token, &dash_path, &checklist(&contact, 15)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        }
        let mut lowered = checklist(&contact, 15);
        lowered["judgement_level"] = json!("medium");
        lowered["judgement_reason"] = json!("She thinks he will calm down.");
        let (status, refused) = post_json(&server, &worker, &dash_path, &lowered).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused.to_string().contains("never lower"), "{refused}");
        let (status, dash) =
            post_json(&server, &worker, &dash_path, &checklist(&contact, 15)).await;
        assert_eq!(status, StatusCode::CREATED, "{dash}");
        assert_eq!(
            (dash["score"].as_i64(), dash["level"].as_str()),
            (Some(15), Some("high"))
        );
        let dash_id = dash["id"].as_str().expect("id").to_string();
        for token in [&partner, &admin] {
            let (status, _) = json_of(
                http.get(server.url(&format!("/api/dash-assessments/{dash_id}")))
                    .bearer_auth(token),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let risk = get_json(&server, &worker, &risk_path).await;
        assert_eq!(requirement(&risk, "dash_checklist")["met"], true, "{risk}");
        assert_eq!(requirement(&risk, "safety_plan")["met"], false, "{risk}");

        // A written agreement, signed off, does not meet it.
        let plans_path = format!("/api/people/{person}/safety-plans");
        let mut agreement = complete_plan("written_agreement");
        agreement["dash_assessment"] = json!(dash_id);
        for token in [&officer, &partner, &admin] {
            let (status, _) = post_json(&server, token, &plans_path, &agreement).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, created) = post_json(&server, &worker, &plans_path, &agreement).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["meets_requirement"], false);
        let agreement_id = created["plan"]["id"].as_str().expect("id").to_string();
        let sign_off = |id: &str| server.url(&format!("/api/safety-plans/{id}/sign-off"));
        let (status, _) = json_of(http.post(sign_off(&agreement_id)).bearer_auth(&worker)).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a social worker does not sign off"
        );
        let (status, body) =
            json_of(http.post(sign_off(&agreement_id)).bearer_auth(&manager)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let risk = get_json(&server, &worker, &risk_path).await;
        assert_eq!(requirement(&risk, "safety_plan")["met"], false, "{risk}");

        // A safety plan: refused while incomplete (422 naming the parts), then two managers at
        // once: one winner, one 409.
        let (status, created) = post_json(
            &server,
            &worker,
            &plans_path,
            &json!({ "kind": "safety_plan" }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let plan_id = created["plan"]["id"].as_str().expect("id").to_string();
        let (status, refused) = json_of(http.post(sign_off(&plan_id)).bearer_auth(&manager)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused.to_string().contains("review_on"), "{refused}");
        let (status, body) = json_of(
            http.put(server.url(&format!("/api/safety-plans/{plan_id}")))
                .bearer_auth(&worker)
                .json(&complete_plan("safety_plan")),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let results = at_once(
            [&manager, &manager2, &manager, &manager2]
                .iter()
                .map(|t| http.post(sign_off(&plan_id)).bearer_auth(t))
                .collect(),
        )
        .await;
        assert_one_winner("safety plan sign-off", &results, StatusCode::OK);
        let risk = get_json(&server, &worker, &risk_path).await;
        assert_eq!(requirement(&risk, "safety_plan")["met"], true, "{risk}");

        // The pages: the contact shows the checklist done, the child's risk page the plans.
        let (browser, _) = signed_in_browser(&server, "manager").await;
        let contact_page = page(&server, &browser, &format!("/contacts/{contact}")).await;
        assert!(
            contact_page.contains("DASH completed: high risk, 15 of 24 answers yes"),
            "{contact_page}"
        );
        let risk_page = page(&server, &browser, &format!("/people/{person}/risk")).await;
        assert!(
            risk_page.contains("Written agreement</a> (not a safety plan)"),
            "{risk_page}"
        );
        assert!(
            risk_page.contains("Met: safety plan signed off"),
            "{risk_page}"
        );
        assert_audit_intact(&server).await;
    }
}
