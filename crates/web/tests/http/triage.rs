//! MASH triage meetings over HTTP, on both backends: recorded through the API and through the
//! pages without JavaScript, each rating on the child's chronology and the contact page, a
//! decided contact refused with 409 (also when the decision races the meeting), and partners
//! kept out.

use crate::concurrency::at_once;
use crate::support::{
    api_token, authorise, client, contact_json, get_json, get_status, hidden_value, linked_contact,
    page, post_json, recommend, servers, signed_in_browser, Linked, Server,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn meeting(contact: &str, rating: &str) -> Value {
    json!({
        "held_date": "2026-01-05",
        "held_time": "09:30",
        "attendees": [
            { "name": "Sam Lee", "agency": "childrens_social_care", "role": "MASH manager" },
            { "name": "DS Jo Khan", "agency": "police", "role": "MASH police" },
            { "name": "Ann Patel", "agency": "health", "role": "Safeguarding nurse" }
        ],
        "discussed": [{ "contact_id": contact, "rating": rating, "next_step": "Strategy discussion today with police and health." }]
    })
}

async fn chronology_titles(server: &Server, token: &str, person: &str) -> Vec<String> {
    get_json(
        server,
        token,
        &format!("/api/people/{person}/chronology?show=triage"),
    )
    .await
    .as_array()
    .expect("entries")
    .iter()
    .filter_map(|e| e["title"].as_str().map(str::to_string))
    .collect()
}

#[tokio::test]
async fn a_triage_meeting_rates_contacts_onto_the_childs_chronology() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let partner = api_token(&server, "partner").await;
        let Linked {
            contact, person, ..
        } = linked_contact(&server, &officer, &contact_json()).await;

        // Through the API.
        let (status, recorded) = post_json(
            &server,
            &worker,
            "/api/triage-meetings",
            &meeting(&contact, "red"),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{recorded}");
        assert_eq!(recorded["discussed"][0]["rating"], "red");
        assert_eq!(recorded["attendees"].as_array().map(Vec::len), Some(3));
        assert_eq!(
            chronology_titles(&server, &worker, &person).await,
            vec!["Discussed at MASH triage: rated red".to_string()]
        );

        // A meeting of one agency, or of nothing, is refused naming the field.
        let mut single_agency = meeting(&contact, "amber");
        single_agency["attendees"] = json!([
            { "name": "Sam Lee", "agency": "childrens_social_care" },
            { "name": "Kim Roe", "agency": "childrens_social_care" }
        ]);
        single_agency["discussed"][0]["rating"] = json!("purple");
        let (status, problem) =
            post_json(&server, &worker, "/api/triage-meetings", &single_agency).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(fields.contains(&"attendees"), "{problem}");
        assert!(fields.contains(&"discussed[0].rating"), "{problem}");

        // Partners and contact officers cannot record one; partners cannot read them.
        for token in [&partner, &officer] {
            let (status, _) = post_json(
                &server,
                token,
                "/api/triage-meetings",
                &meeting(&contact, "green"),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let meeting_id = recorded["id"].as_str().expect("id");
        let denied = get_status(
            &server,
            &partner,
            &format!("/api/triage-meetings/{meeting_id}"),
        )
        .await;
        assert_eq!(denied, StatusCode::FORBIDDEN);

        // Through the pages, without JavaScript: the form lists the open contact.
        let (browser, csrf) = signed_in_browser(&server, "worker").await;
        let form = page(&server, &browser, "/triage/new").await;
        let row = form
            .split("name=\"discussed[")
            .skip(1)
            .find(|part| part.contains(&contact))
            .and_then(|part| part.split(']').next())
            .unwrap_or_else(|| panic!("the open contact is offered: {form}"))
            .to_string();
        // Who met, as the form sends it; the first post rates the contact, the second nothing.
        let met: Vec<(String, String)> = [
            ("csrf_token", csrf.as_str()),
            ("held_date", "2026-01-06"),
            ("held_time", "09:15"),
            ("attendees[0].name", "Sam Lee"),
            ("attendees[0].agency", "childrens_social_care"),
            ("attendees[1].name", "Ann Patel"),
            ("attendees[1].agency", "health"),
        ]
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
        let mut rated = met.clone();
        rated.extend([
            (format!("discussed[{row}].contact_id"), contact.clone()),
            (format!("discussed[{row}].rating"), "amber".into()),
            (
                format!("discussed[{row}].next_step"),
                "Health visitor to share records by noon.".into(),
            ),
        ]);
        let posted = browser
            .post(server.url("/triage/new"))
            .form(&rated)
            .send()
            .await
            .expect("request");
        assert_eq!(posted.status(), StatusCode::SEE_OTHER);
        let location = posted.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        let meeting_page = page(&server, &browser, &location).await;
        assert!(meeting_page.contains("Health visitor to share records by noon."));
        assert!(meeting_page.contains("govuk-tag--orange"));
        let contact_page = page(&server, &browser, &format!("/contacts/{contact}")).await;
        assert!(contact_page.contains("MASH triage"), "{contact_page}");
        assert_eq!(
            chronology_titles(&server, &worker, &person).await,
            vec![
                "Discussed at MASH triage: rated red".to_string(),
                "Discussed at MASH triage: rated amber".to_string()
            ]
        );

        // A form sent without a rating for any contact is shown again with the error.
        let empty = browser
            .post(server.url("/triage/new"))
            .form(&met)
            .send()
            .await
            .expect("request");
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = empty.text().await.expect("html");
        assert!(html.contains("Choose at least one contact the meeting discussed."));
        assert!(hidden_value(&html, "csrf_token").is_some());

        // Once the contact is decided, a meeting can no longer discuss it: 409, saying why.
        let recommendation = json!({ "outcome": "strategy_discussion", "level_of_need": "4", "rationale": "Red at triage: children present at a serious incident." });
        recommend(&server, &worker, &contact, &recommendation).await;
        authorise(
            &server,
            &manager,
            &contact,
            "Agreed: strategy discussion today.",
        )
        .await;
        let (status, problem) = post_json(
            &server,
            &worker,
            "/api/triage-meetings",
            &meeting(&contact, "red"),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or("")
                .contains("authorised the decision"),
            "{problem}"
        );
    }
}

/// A meeting and the manager's authorisation of a contact it discusses, at the same moment:
/// either the meeting was stored before the decision, or it is refused with 409 — never a
/// rating recorded on a contact already decided, never a 5xx.
#[tokio::test]
async fn a_meeting_racing_the_decision_never_rates_a_decided_contact() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        for round in 0..4 {
            let Linked {
                contact, person, ..
            } = linked_contact(&server, &officer, &contact_json()).await;
            let recommendation = json!({ "outcome": "referral_for_assessment", "level_of_need": "3", "rationale": "Needs a child and family assessment of the home." });
            recommend(&server, &worker, &contact, &recommendation).await;
            let results = at_once(vec![
                client()
                    .post(server.url("/api/triage-meetings"))
                    .bearer_auth(&worker)
                    .json(&meeting(&contact, "amber")),
                client()
                    .post(server.url(&format!("/api/contacts/{contact}/review")))
                    .bearer_auth(&manager)
                    .json(&json!({ "authorise": true, "rationale": "Agreed: assessment by the locality team." })),
            ])
            .await;
            let (triage_status, triage_body) = &results[0];
            let (review_status, review_body) = &results[1];
            assert_eq!(
                *review_status,
                StatusCode::OK,
                "round {round}: {review_body}"
            );
            assert!(
                *triage_status == StatusCode::CREATED || *triage_status == StatusCode::CONFLICT,
                "round {round}: {triage_status} {triage_body}"
            );
            // The event chain is appended in commit order (it is serialised for the whole
            // transaction), so the child's chronology shows which was stored first; instants
            // are read from the clock before each transaction and cannot show it.
            let entries = get_json(
                &server,
                &worker,
                &format!("/api/people/{person}/chronology"),
            )
            .await;
            let kinds: Vec<&str> = entries
                .as_array()
                .expect("entries")
                .iter()
                .filter_map(|e| e["kind"].as_str())
                .collect();
            let position = |kind: &str| kinds.iter().position(|k| *k == kind);
            let decided = position("decision_authorised").expect("authorised");
            match (*triage_status, position("triage_discussed")) {
                (StatusCode::CREATED, Some(discussed)) => assert!(
                    discussed < decided,
                    "round {round}: the rating was stored before the decision: {kinds:?}"
                ),
                (StatusCode::CONFLICT, None) => {}
                (status, found) => {
                    panic!("round {round}: {status} but triage entry {found:?}: {kinds:?}")
                }
            }
        }
    }
}
