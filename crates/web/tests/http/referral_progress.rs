//! A partner following their own referral sees that it was received, the authorised outcome in
//! plain words and who to contact — never the recommendation, either rationale, emergency
//! action notes or who worked on it (on both backends, through the API and the page).

use crate::support::{
    api_token, authorise, contact_json, get_json, get_status, get_text, link_to_new_record,
    recommend, record_contact, servers, signed_in_browser,
};
use reqwest::StatusCode;
use serde_json::json;

const WORKER_RATIONALE: &str = "Mother disclosed that the stepfather hit Zak; police attended.";
const MANAGER_RATIONALE: &str = "Agreed after reading the police log in full: strategy today.";
const EMERGENCY_NOTES: &str = "Zak taken to his grandmother's under police protection overnight.";

#[tokio::test]
async fn a_partner_sees_the_outcome_of_their_referral_and_nothing_internal() {
    for server in servers().await {
        let partner = api_token(&server, "partner").await;
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;

        let id = record_contact(&server, &partner, &contact_json()).await;

        // Before a decision: received, no outcome.
        let progress = get_json(&server, &partner, &format!("/api/contacts/{id}")).await;
        assert_eq!(
            progress["stage"], "Received: a decision is being made",
            "{progress}"
        );
        assert!(progress["outcome"].is_null(), "{progress}");

        // The front door works the contact, with rationales, an emergency action and names.
        link_to_new_record(&server, &officer, &id).await;
        let (browser, csrf) = signed_in_browser(&server, "worker").await;
        let emergency = browser
            .post(server.url(&format!("/contacts/{id}/emergency-action")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("action", "police_protection"),
                ("notes", EMERGENCY_NOTES),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(emergency.status(), StatusCode::SEE_OTHER);
        let recommendation = json!({ "outcome": "strategy_discussion", "level_of_need": "4", "rationale": WORKER_RATIONALE });
        recommend(&server, &worker, &id, &recommendation).await;

        // Awaiting authorisation: the partner still sees no outcome (it is not authorised).
        let pending = get_text(&server, &partner, &format!("/api/contacts/{id}")).await;
        assert!(!pending.contains("strategy") && !pending.contains(WORKER_RATIONALE));

        authorise(&server, &manager, &id, MANAGER_RATIONALE).await;

        let progress = get_text(&server, &partner, &format!("/api/contacts/{id}")).await;
        let page = {
            let (partner_browser, _) = signed_in_browser(&server, "partner").await;
            let response = partner_browser
                .get(server.url(&format!("/contacts/{id}")))
                .send()
                .await
                .expect("page");
            assert_eq!(response.status(), StatusCode::OK);
            response.text().await.expect("html")
        };
        for shown in [&progress, &page] {
            assert!(shown.contains("strategy discussion"), "{shown}");
            assert!(shown.contains("MASH") && shown.contains("Webshire Council"));
            for secret in [
                WORKER_RATIONALE,
                MANAGER_RATIONALE,
                EMERGENCY_NOTES,
                "police_protection",
                "Police protection",
                "manager",
                "worker",
            ] {
                assert!(
                    !shown.contains(secret),
                    "the partner must not see '{secret}' on {}",
                    server.backend()
                );
            }
        }

        // Not another organisation's referral, and never the working record's routes.
        let others = record_contact(&server, &officer, &contact_json()).await;
        let refused = get_status(&server, &partner, &format!("/api/contacts/{others}")).await;
        assert_eq!(refused, StatusCode::FORBIDDEN);
    }
}
