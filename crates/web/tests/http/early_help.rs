//! Early help over the JSON API and the pages, on both backends: 401 without a session and 403
//! by role; an authorised early help decision lists the child for the coordinators; two
//! coordinators allocating at once have exactly one winner (409 for the other); consent to
//! share limits the partner's view (403 without it, 404 for another practitioner) and the
//! lead professional's appointment, a manager's safeguarding reason allows it; simultaneous
//! step-ups make exactly one contact, which arrives in the queue with the early help history.

use crate::concurrency::{assert_audit_intact, assert_one_winner, at_once};
use crate::support::{
    api_token, authorise, client, contact_json, get_json, json_of, linked_contact, page, post_json,
    recommend, servers, signed_in_browser, Server, PASSWORD,
};
use frontdoor_app::NewWorker;
use frontdoor_domain::authorization::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn coordinator(server: &Server, username: &str) -> String {
    server
        .app
        .add_worker_as_operator(&NewWorker {
            authority: server.authority,
            username: username.into(),
            display_name: username.into(),
            role: Role::EarlyHelpCoordinator,
            team: None,
            organisation: None,
            asye: false,
            password: PASSWORD.into(),
        })
        .await
        .expect("coordinator");
    api_token(server, username).await
}

/// An early help decision, authorised: the child waits for a coordinator.
async fn early_help_decided(
    server: &Server,
    officer: &str,
    worker: &str,
    manager: &str,
) -> crate::support::Linked {
    let linked = linked_contact(server, officer, &contact_json()).await;
    recommend(
        server,
        worker,
        &linked.contact,
        &json!({ "outcome": "early_help", "level_of_need": "2",
                 "rationale": "Family support needed with routines; no indication of harm." }),
    )
    .await;
    authorise(
        server,
        manager,
        &linked.contact,
        "Agreed: offer early help to the family.",
    )
    .await;
    linked
}

fn today() -> String {
    frontdoor_app::london(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string()
}

fn consent(decision: &str, agencies: &[&str], parts: &[&str]) -> Value {
    json!({
        "decision": decision, "given_by": "Gemma Webb", "relationship": "Mother",
        "decided_on": today(), "agencies": agencies, "parts": parts,
    })
}

#[tokio::test]
async fn consent_limits_what_the_lead_partner_sees_and_step_up_happens_once() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let ehc = coordinator(&server, "coordinator").await;
        let ehc2 = coordinator(&server, "coordinator2").await;
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let nurse = api_token(&server, "nurse").await;
        let police = api_token(&server, "partner").await;
        let admin = api_token(&server, "admin").await;

        let linked = early_help_decided(&server, &officer, &worker, &manager).await;
        let (status, _) = json_of(http.get(server.url("/api/early-help"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        for token in [&police, &admin, &officer] {
            let (status, _) =
                json_of(http.get(server.url("/api/early-help")).bearer_auth(token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let lists = get_json(&server, &ehc, "/api/early-help").await;
        let unallocated = lists["unallocated"].as_array().expect("unallocated");
        assert_eq!(unallocated.len(), 1, "{lists}");
        let id = unallocated[0]["id"].as_str().expect("id").to_string();
        let base = format!("/api/early-help/{id}");

        // Two coordinators take it at once: one wins, the other is told who has it.
        let results = at_once(
            [&ehc, &ehc2]
                .iter()
                .map(|t| {
                    http.post(server.url(&format!("{base}/allocation")))
                        .bearer_auth(t)
                        .json(&json!({}))
                })
                .collect(),
        )
        .await;
        assert_one_winner("allocation", &results, StatusCode::CREATED);

        // No consent: the health visitor cannot lead; consent to health for identity and the
        // assessment: she can, and sees only those parts.
        let nurse_id = server
            .app
            .store
            .worker_by_username("nurse")
            .await
            .expect("nurse")
            .expect("nurse")
            .id
            .to_string();
        let lead = json!({ "lead": nurse_id });
        let (status, body) =
            post_json(&server, &ehc, &format!("{base}/lead-professional"), &lead).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        for token in [&officer, &nurse] {
            let (status, _) = post_json(
                &server,
                token,
                &format!("{base}/consents"),
                &consent("given", &["health"], &["identity", "assessment"]),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, body) = post_json(
            &server,
            &ehc,
            &format!("{base}/consents"),
            &consent("given", &["health"], &["identity", "assessment"]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) =
            post_json(&server, &ehc, &format!("{base}/lead-professional"), &lead).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let partner_path = format!("/api/partner/early-help/{id}");
        let seen = get_json(&server, &nurse, &partner_path).await;
        assert_eq!(seen["child_name"], "Zak Webb", "{seen}");
        assert!(seen["assessment"].is_object(), "{seen}");
        assert!(seen["family_contacts"].is_null(), "{seen}");
        // Another partner (police) is not the lead: not found.
        let (status, _) = json_of(http.get(server.url(&partner_path)).bearer_auth(&police)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = post_json(
            &server,
            &nurse,
            &format!("{base}/assessment/start"),
            &json!({}),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "the lead starts it while consent covers health: {body}"
        );

        // Withdrawn: the lead is refused (403) and can record nothing.
        let (status, _) = post_json(
            &server,
            &ehc,
            &format!("{base}/consents"),
            &consent("withdrawn", &[], &[]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = json_of(http.get(server.url(&partner_path)).bearer_auth(&nurse)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = post_json(
            &server,
            &nurse,
            &format!("{base}/assessment/complete"),
            &json!({ "summary": "Routines and budgeting support agreed with the family." }),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let led = get_json(&server, &nurse, "/api/partner/early-help").await;
        assert_eq!(led.as_array().map(Vec::len), Some(0), "{led}");
        let (browser, _) = signed_in_browser(&server, "nurse").await;
        let response = browser
            .get(server.url(&format!("/partner/early-help/{id}")))
            .send()
            .await
            .expect("page");
        assert_eq!(response.status(), StatusCode::FORBIDDEN);

        // A manager's safeguarding reason (never the coordinator's) shares it again.
        let reason = json!({ "agency": "health", "reason": "Zak's weight has dropped sharply: health must stay involved." });
        let path = format!("{base}/safeguarding-overrides");
        let (status, _) = post_json(&server, &ehc, &path, &reason).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = post_json(&server, &manager, &path, &reason).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let seen = get_json(&server, &nurse, &partner_path).await;
        assert!(seen["family_contacts"].is_array(), "{seen}");
        let page_html = page(&server, &browser, &format!("/partner/early-help/{id}")).await;
        assert!(page_html.contains("Complete the assessment"), "{page_html}");

        // A team-around-the-family action without a due date is refused.
        let (status, body) = post_json(
            &server,
            &ehc,
            &format!("{base}/actions"),
            &json!({ "description": "Referral to the food bank", "owner": "Family support" }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("due_on"), "{body}");

        // The staff pages.
        let holder = get_json(&server, &ehc, &base).await["episode"]["coordinator_name"]
            .as_str()
            .expect("allocated")
            .to_string();
        let (ehc_browser, _) = signed_in_browser(&server, &holder).await;
        let list = page(&server, &ehc_browser, "/early-help").await;
        assert!(list.contains("Zak Webb"), "{list}");
        let episode = page(&server, &ehc_browser, &format!("/early-help/{id}")).await;
        assert!(
            episode.contains("Step up to children&#x27;s social care")
                || episode.contains("Step up to children's social care"),
            "{episode}"
        );

        // Two step-ups at once: one contact, the other 409.
        let step_up = json!({
            "concern_categories": ["neglect"],
            "concern_summary": "Zak was found alone at home late at night.",
            "urgency": "urgent",
        });
        let results = at_once(
            [&ehc, &ehc2]
                .iter()
                .map(|t| {
                    http.post(server.url(&format!("{base}/step-up")))
                        .bearer_auth(t)
                        .json(&step_up)
                })
                .collect(),
        )
        .await;
        assert_one_winner("step-up", &results, StatusCode::CREATED);
        let contact: Value = results
            .iter()
            .find(|(s, _)| *s == StatusCode::CREATED)
            .map(|(_, body)| serde_json::from_str(body).expect("json"))
            .expect("contact");
        assert_eq!(contact["source"], "5D", "{contact}");
        let summary = contact["concern_summary"].as_str().expect("summary");
        assert!(summary.contains("Early help history"), "{summary}");
        assert!(summary.contains("Gemma Webb"), "{summary}");
        let contact_id = contact["id"].as_str().expect("id");
        let view = get_json(&server, &worker, &format!("/api/contacts/{contact_id}")).await;
        assert_eq!(
            view["subjects"][0]["subject"]["person"], linked.person,
            "{view}"
        );
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn early_help_closes_once_with_its_actions_done_through_the_api() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let http = client();
        let ehc = coordinator(&server, "coordinator").await;
        let ehc2 = coordinator(&server, "coordinator2").await;
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let police = api_token(&server, "partner").await;
        early_help_decided(&server, &officer, &worker, &manager).await;
        let lists = get_json(&server, &ehc, "/api/early-help").await;
        let id = lists["unallocated"][0]["id"]
            .as_str()
            .expect("id")
            .to_string();
        let base = format!("/api/early-help/{id}");
        let (status, _) = post_json(&server, &ehc, &format!("{base}/allocation"), &json!({})).await;
        assert_eq!(status, StatusCode::CREATED);

        // A team-around-the-family action, done once.
        let (status, action) = post_json(
            &server,
            &ehc,
            &format!("{base}/actions"),
            &json!({ "description": "Attend the family hub's parenting group", "owner": "Mother", "due_on": today() }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{action}");
        let action_id = action["id"].as_str().expect("action id");
        let done = format!("{base}/actions/{action_id}/done");
        let (status, body) = post_json(&server, &ehc, &done, &json!({})).await;
        assert_eq!(
            (status, body["completed"].as_str()),
            (StatusCode::OK, Some(action_id))
        );
        let (status, body) = post_json(&server, &ehc, &done, &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, _) = post_json(
            &server,
            &ehc,
            &format!("{base}/actions/not-an-id/done"),
            &json!({}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Closing: signed in, allowed, valid; then four at once have one winner.
        let close = format!("{base}/close");
        let closing = json!({ "reason": "needs_met", "summary": "Routines settled; school attendance now 98%." });
        let (status, _) = json_of(http.post(server.url(&close)).json(&closing)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = post_json(&server, &police, &close, &closing).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, problem) = post_json(
            &server,
            &ehc,
            &close,
            &json!({ "reason": "", "summary": "" }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        let results = at_once(
            [&ehc, &ehc2, &ehc, &ehc2]
                .iter()
                .map(|t| http.post(server.url(&close)).bearer_auth(t).json(&closing))
                .collect(),
        )
        .await;
        assert_one_winner("closure", &results, StatusCode::OK);
        let episode = get_json(&server, &ehc, &base).await;
        assert_eq!(episode["episode"]["status"], "closed", "{episode}");
        assert_eq!(
            episode["episode"]["closure"]["reason"], "needs_met",
            "{episode}"
        );
        let (status, body) = post_json(
            &server,
            &ehc,
            &format!("{base}/step-up"),
            &json!({ "concern_categories": ["neglect"], "concern_summary": "A new worry after closure.", "urgency": "standard" }),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_audit_intact(&server).await;
    }
}
