//! A child's chronology reads as a practitioner writes it, on the record page and in the API,
//! and can be filtered by kind.

use crate::support::{
    api_token, authorise, client, contact_json, get_status, linked_contact, page, recommend,
    servers, signed_in_browser, Linked,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_chronology_is_in_plain_words_and_filters_by_kind() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let partner = api_token(&server, "partner").await;

        // A police contact about physical abuse, linked to a new record, recommended and authorised.
        let mut contact = contact_json();
        contact["source"] = json!("6");
        contact["concern_categories"] = json!(["physical_abuse"]);
        let Linked {
            contact: id,
            person,
            ..
        } = linked_contact(&server, &officer, &contact).await;
        let recommendation = json!({ "outcome": "referral_for_assessment", "level_of_need": "3", "rationale": "Bruising to the arm that the child explains inconsistently." });
        recommend(&server, &worker, &id, &recommendation).await;
        authorise(
            &server,
            &manager,
            &id,
            "Agreed: assessment by the locality team.",
        )
        .await;

        let chronology = |show: &str| {
            let mut request = http
                .get(server.url(&format!("/api/people/{person}/chronology")))
                .bearer_auth(&worker);
            if !show.is_empty() {
                request = request.query(&[("show", show)]);
            }
            request.send()
        };
        let everything: Value = chronology("")
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let titles: Vec<&str> = everything
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["title"].as_str())
            .collect();
        assert!(
            titles.contains(&"Contact from the police: physical abuse"),
            "{titles:?}"
        );
        assert!(
            titles.contains(
                &"Decision authorised: Referral to children's social care for assessment"
            ),
            "{titles:?}"
        );
        assert!(
            titles.iter().all(|t| !t.contains('_')),
            "no codes in the chronology: {titles:?}"
        );

        let decisions: Value = chronology("decision")
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let decisions = decisions.as_array().expect("entries");
        assert_eq!(
            decisions.len(),
            2,
            "recommended and authorised: {decisions:?}"
        );
        assert!(decisions.iter().all(|e| e["category"] == "decision"));

        let unknown = chronology("nonsense").await.expect("request");
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = unknown.json().await.expect("json");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or("")
                .contains("strategy_discussion"),
            "the problem lists the kinds: {problem}"
        );

        // A partner never reads a child's chronology.
        let refused = get_status(
            &server,
            &partner,
            &format!("/api/people/{person}/chronology"),
        )
        .await;
        assert_eq!(refused, StatusCode::FORBIDDEN);

        // The record page shows the timeline and keeps one kind when asked.
        let (browser, _) = signed_in_browser(&server, "worker").await;
        let page = page(&server, &browser, &format!("/people/{person}?show=contact")).await;
        assert!(page.contains("moj-timeline"), "{page}");
        assert!(page.contains("Contact from the police: physical abuse"));
        assert!(
            !page.contains("Decision authorised"),
            "filtered to contacts"
        );
        assert!(page.contains(r#"<option value="decision">Threshold decisions (2)</option>"#));
    }
}
