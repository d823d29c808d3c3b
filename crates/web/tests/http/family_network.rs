//! The family network over HTTP on both backends: relationships recorded through the API
//! (created, refused naming the field, a conflict when already there, stored once when sent
//! at once), the network document, the person page's picture and its text alternative, and
//! the partner practitioner kept out.

use crate::concurrency::{assert_audit_intact, at_once};
use crate::support::{
    api_token, client, contact_json, get_json, get_status, linked_contact, page, post_json,
    servers, signed_in_browser,
};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn relationships_make_the_family_network_on_the_record() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let partner = api_token(&server, "partner").await;
        let child = linked_contact(&server, &officer, &contact_json())
            .await
            .person;
        let mut sister = contact_json();
        sister["children"][0]["given_name"] = json!("Mia");
        sister["children"][0]["date_of_birth"] = json!("2014-09-10");
        sister["children"][0]["sex"] = json!("female");
        let sister = linked_contact(&server, &officer, &sister).await.person;
        let path = format!("/api/people/{child}/relationships");
        let sibling = json!({ "related_person": sister, "relationship": "sibling_of", "direction": "they_are" });

        let (status, problem) = post_json(
            &server,
            &officer,
            &path,
            &json!({ "related_person": sister, "relationship": "aunt_of", "direction": "they_are" }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem.to_string().contains("relationship"), "{problem}");
        let (status, _) = post_json(&server, &partner, &path, &sibling).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Sent four times at once: one is stored, the others are told it is already there.
        let http = client();
        let results = at_once(
            (0..4)
                .map(|_| {
                    http.post(server.url(&path))
                        .bearer_auth(&officer)
                        .json(&sibling)
                })
                .collect(),
        )
        .await;
        let statuses: Vec<StatusCode> = results.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CREATED)
                .count(),
            1,
            "{results:?}"
        );
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CONFLICT)
                .count(),
            3,
            "{results:?}"
        );

        let network = get_json(
            &server,
            &worker,
            &format!("/api/people/{child}/family-network"),
        )
        .await;
        assert_eq!(network["subject"], child.as_str());
        assert_eq!(
            network["members"].as_array().map(Vec::len),
            Some(2),
            "{network}"
        );
        assert_eq!(
            network["links"].as_array().map(Vec::len),
            Some(1),
            "{network}"
        );
        assert_eq!(network["links"][0]["relationship"], "sibling_of");
        assert_eq!(network["members"][0]["generation"], 0);
        assert_eq!(network["members"][1]["generation"], 0);
        assert_eq!(
            network["members"][0]["involvement"][0], "A contact awaiting decision",
            "{network}"
        );
        assert_eq!(
            get_status(
                &server,
                &partner,
                &format!("/api/people/{child}/family-network")
            )
            .await,
            StatusCode::FORBIDDEN
        );

        // The record page draws it, and lists it in words.
        let (browser, _) = signed_in_browser(&server, "worker").await;
        let html = page(&server, &browser, &format!("/people/{child}")).await;
        assert!(
            html.contains(r#"<svg xmlns="http://www.w3.org/2000/svg""#),
            "{html}"
        );
        assert!(html.contains("Mia Webb"));
        assert!(html.contains("Relationships in the family network"));
        assert!(html.contains("is sibling of"));
        let form = page(
            &server,
            &browser,
            &format!("/people/{child}/relationships/new"),
        )
        .await;
        assert!(form.contains("Record a relationship"), "{form}");
        assert_audit_intact(&server).await;
    }
}
