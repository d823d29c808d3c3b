//! A partner following their own referral sees that it was received, the authorised outcome in
//! plain words and who to contact — never the recommendation, either rationale, emergency
//! action notes or who worked on it (on both backends, through the API and the page).

use crate::support::{api_token, client, contact_json, servers, signed_in_browser};
use reqwest::StatusCode;
use serde_json::{json, Value};

const WORKER_RATIONALE: &str = "Mother disclosed that the stepfather hit Zak; police attended.";
const MANAGER_RATIONALE: &str = "Agreed after reading the police log in full: strategy today.";
const EMERGENCY_NOTES: &str = "Zak taken to his grandmother's under police protection overnight.";

#[tokio::test]
async fn a_partner_sees_the_outcome_of_their_referral_and_nothing_internal() {
    for server in servers().await {
        let http = client();
        let partner = api_token(&server, "partner").await;
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;

        let created = http
            .post(server.url("/api/contacts"))
            .bearer_auth(&partner)
            .json(&contact_json())
            .send()
            .await
            .expect("request");
        assert_eq!(created.status(), StatusCode::CREATED);
        let id = created.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_string();

        // Before a decision: received, no outcome.
        let progress: Value = http
            .get(server.url(&format!("/api/contacts/{id}")))
            .bearer_auth(&partner)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        assert_eq!(
            progress["stage"], "Received: a decision is being made",
            "{progress}"
        );
        assert!(progress["outcome"].is_null(), "{progress}");

        // The front door works the contact, with rationales, an emergency action and names.
        let view: Value = http
            .get(server.url(&format!("/api/contacts/{id}")))
            .bearer_auth(&officer)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let subject = view["subjects"][0]["subject"]["id"]
            .as_str()
            .expect("subject")
            .to_string();
        let linked = http
            .post(server.url(&format!("/api/contacts/{id}/subjects/{subject}/link")))
            .bearer_auth(&officer)
            .json(&json!({ "create": true }))
            .send()
            .await
            .expect("request");
        assert_eq!(linked.status(), StatusCode::OK);
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
        let recommended = http
            .post(server.url(&format!("/api/contacts/{id}/recommendation")))
            .bearer_auth(&worker)
            .json(&json!({ "outcome": "strategy_discussion", "level_of_need": "4", "rationale": WORKER_RATIONALE }))
            .send()
            .await
            .expect("request");
        assert_eq!(recommended.status(), StatusCode::CREATED);

        // Awaiting authorisation: the partner still sees no outcome (it is not authorised).
        let pending = http
            .get(server.url(&format!("/api/contacts/{id}")))
            .bearer_auth(&partner)
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("text");
        assert!(!pending.contains("strategy") && !pending.contains(WORKER_RATIONALE));

        let authorised = http
            .post(server.url(&format!("/api/contacts/{id}/review")))
            .bearer_auth(&manager)
            .json(&json!({ "authorise": true, "rationale": MANAGER_RATIONALE }))
            .send()
            .await
            .expect("request");
        assert_eq!(authorised.status(), StatusCode::OK);

        let progress = http
            .get(server.url(&format!("/api/contacts/{id}")))
            .bearer_auth(&partner)
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("text");
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
        let others = http
            .post(server.url("/api/contacts"))
            .bearer_auth(&officer)
            .json(&contact_json())
            .send()
            .await
            .expect("request")
            .json::<Value>()
            .await
            .expect("json")["id"]
            .as_str()
            .expect("id")
            .to_string();
        let refused = http
            .get(server.url(&format!("/api/contacts/{others}")))
            .bearer_auth(&partner)
            .send()
            .await
            .expect("request");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
}
