//! Information requests over HTTP, on both backends: a partner sees only their organisation's
//! requests (another's is 404) and never the contact, the child's record, another agency's answer
//! or a decision; the pages work without JavaScript; an overdue request shows in the queue; and
//! of simultaneous answers (or an answer and a withdrawal) exactly one wins, the other a 409.

mod timescales_and_races;

use crate::support::{
    api_token, client, contact_json, get_json, get_text, linked_contact, page, post_json, servers,
    signed_in_browser, status_of, Linked, Server,
};
use frontdoor_app::records::OrganisationKind;
use reqwest::StatusCode;
use serde_json::{json, Value};

const SUMMARY: &str = "Police called to the home overnight";
pub const POLICE_ANSWER: &str = "Two domestic incidents at the address in 2025; no arrests.";
const HEALTH_ANSWER: &str = "Missed two health visitor appointments; registered with a GP.";

pub async fn organisation(server: &Server, kind: OrganisationKind) -> String {
    server
        .app
        .store
        .organisations(server.authority)
        .await
        .expect("organisations")
        .into_iter()
        .find(|o| o.kind == kind)
        .map(|o| o.id.to_string())
        .expect("organisation")
}

/// Asks `organisation` (of the kind `agency`) about the linked child, with the family's consent,
/// as `token`'s worker: the request's id.
pub async fn send(
    server: &Server,
    token: &str,
    setup: &Linked,
    organisation: &str,
    agency: &str,
    urgency: &str,
) -> String {
    let body = json!({
        "subject": setup.subject, "organisation": organisation, "agency": agency,
        "questions": "Any incidents at the address in the last year? Anyone known to you there?",
        "consent": "consent_given", "consent_given_by": "Zak's mother", "consent_given_on": "2026-01-05",
        "urgency": urgency
    });
    let path = format!("/api/contacts/{}/information-requests", setup.contact);
    let (status, sent) = post_json(server, token, &path, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    sent["id"].as_str().expect("id").to_string()
}

/// The child's chronology, information requests only.
pub async fn request_chronology(server: &Server, token: &str, setup: &Linked) -> Vec<Value> {
    let path = format!(
        "/api/people/{}/chronology?show=information_request",
        setup.person
    );
    let entries = get_json(server, token, &path).await;
    entries.as_array().expect("entries").clone()
}

#[tokio::test]
async fn a_partner_sees_only_their_own_organisations_requests_and_nothing_of_the_record() {
    for server in servers().await {
        let http = client();
        let worker = api_token(&server, "worker").await;
        let partner = api_token(&server, "partner").await;
        let nurse = api_token(&server, "nurse").await;
        let police = organisation(&server, OrganisationKind::Police).await;
        let health = organisation(&server, OrganisationKind::Health).await;
        let setup = linked_contact(&server, &worker, &contact_json()).await;
        let to_police = send(&server, &worker, &setup, &police, "police", "standard").await;
        let to_health = send(&server, &worker, &setup, &health, "health", "urgent").await;

        // Each organisation lists only its own request.
        for (token, mine, theirs) in [
            (&partner, &to_police, &to_health),
            (&nurse, &to_health, &to_police),
        ] {
            let list = get_json(&server, token, "/api/partner/requests").await;
            let ids: Vec<&str> = list
                .as_array()
                .expect("list")
                .iter()
                .filter_map(|r| r["id"].as_str())
                .collect();
            assert_eq!(ids, [mine.as_str()], "on {}", server.backend());
            let (status, _) = status_of(
                http.get(server.url(&format!("/api/partner/requests/{theirs}")))
                    .bearer_auth(token),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "another organisation's request is not found"
            );
            let (status, _) = status_of(
                http.post(server.url(&format!("/api/partner/requests/{theirs}/answer")))
                    .bearer_auth(token)
                    .json(&json!({ "answer": "Nothing known." })),
            )
            .await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
        // The partner's view: name, date of birth, address and questions; nothing else.
        let seen = get_json(
            &server,
            &partner,
            &format!("/api/partner/requests/{to_police}"),
        )
        .await;
        assert_eq!(seen["child_name"], "Zak Webb");
        assert_eq!(seen["child_birth_date"], "2018-02-03");
        let text = seen.to_string();
        for hidden in [
            SUMMARY,
            "FD-",
            &setup.contact,
            &setup.person,
            "consent",
            "Zak's mother",
        ] {
            assert!(
                !text.contains(hidden),
                "the partner's view leaks '{hidden}': {text}"
            );
        }
        // The working record, the child's record and the authority's side of the requests.
        for path in [
            format!("/api/contacts/{}", setup.contact),
            format!("/api/contacts/{}/information-requests", setup.contact),
            format!("/api/people/{}/chronology", setup.person),
        ] {
            let (status, body) = status_of(http.get(server.url(&path)).bearer_auth(&partner)).await;
            assert!(
                matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{path}: {status}"
            );
            assert!(
                !body.contains(SUMMARY) && !body.contains("Zak"),
                "{path}: {body}"
            );
        }

        // Both answer, through the pages (no JavaScript): a form post each.
        for (username, id, answer) in [
            ("partner", &to_police, POLICE_ANSWER),
            ("nurse", &to_health, HEALTH_ANSWER),
        ] {
            let (browser, csrf) = signed_in_browser(&server, username).await;
            let home = page(&server, &browser, "/").await;
            assert!(
                home.contains("/partner/requests"),
                "the home page links to the portal"
            );
            assert!(
                home.contains("Notifications (1)"),
                "one new request waiting: {username}"
            );
            let (status, html) =
                status_of(browser.get(server.url(&format!("/partner/requests/{id}")))).await;
            assert_eq!(status, StatusCode::OK);
            assert!(html.contains("Zak Webb") && html.contains("3 Feb 2018"));
            assert!(!html.contains(SUMMARY));
            let empty = browser
                .post(server.url(&format!("/partner/requests/{id}/answer")))
                .form(&[("csrf_token", csrf.as_str()), ("answer", "")])
                .send()
                .await
                .expect("post");
            assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(empty
                .text()
                .await
                .expect("html")
                .contains("govuk-error-summary"));
            let sent = browser
                .post(server.url(&format!("/partner/requests/{id}/answer")))
                .form(&[("csrf_token", csrf.as_str()), ("answer", answer)])
                .send()
                .await
                .expect("post");
            assert_eq!(sent.status(), StatusCode::SEE_OTHER);
            for path in [
                format!("/people/{}", setup.person),
                format!("/contacts/{}", setup.contact),
                format!("/contacts/{}/information-requests", setup.contact),
            ] {
                let (status, body) = status_of(browser.get(server.url(&path))).await;
                assert!(
                    matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                    "{username} {path}: {status}"
                );
                assert!(!body.contains(SUMMARY), "{path}");
            }
        }
        // Never another agency's answer.
        let police_view = get_text(
            &server,
            &partner,
            &format!("/api/partner/requests/{to_police}"),
        )
        .await;
        assert!(
            police_view.contains("Two domestic incidents")
                && !police_view.contains("health visitor")
        );
        let (browser, _) = signed_in_browser(&server, "partner").await;
        let list = page(&server, &browser, "/partner/requests").await;
        assert!(!list.contains(&to_health));

        // The worker sees both answers on the contact and is told of each.
        let (browser, _) = signed_in_browser(&server, "worker").await;
        let answers = page(
            &server,
            &browser,
            &format!("/contacts/{}/information-requests", setup.contact),
        )
        .await;
        assert!(answers.contains("Two domestic incidents") && answers.contains("health visitor"));
        let notifications = get_json(&server, &worker, "/api/notifications").await;
        assert_eq!(notifications["unread"], 2, "{notifications}");
        let chronology = request_chronology(&server, &worker, &setup).await;
        assert_eq!(
            chronology.len(),
            4,
            "two sent, two answered: {chronology:?}"
        );
        let (_, marked) = post_json(&server, &worker, "/api/notifications/read", &json!({})).await;
        assert_eq!(marked["marked"], 2);
    }
}

#[tokio::test]
async fn the_request_form_works_without_javascript_and_checks_every_field() {
    for server in servers().await {
        let worker = api_token(&server, "worker").await;
        let police = organisation(&server, OrganisationKind::Police).await;
        let setup = linked_contact(&server, &worker, &contact_json()).await;
        let (browser, csrf) = signed_in_browser(&server, "officer").await;
        let path = format!("/contacts/{}/information-requests", setup.contact);
        let contact_page = page(&server, &browser, &format!("/contacts/{}", setup.contact)).await;
        assert!(
            contact_page.contains(&path),
            "the contact page links to its requests"
        );
        let empty = browser
            .post(server.url(&path))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = empty.text().await.expect("html");
        for message in [
            "Choose the child",
            "Choose the organisation",
            "Choose whether consent",
        ] {
            assert!(html.contains(message), "{message}");
        }
        let manager = server
            .app
            .store
            .worker_by_username("manager")
            .await
            .expect("db")
            .expect("manager")
            .id
            .to_string();
        let form = [
            ("csrf_token", csrf.as_str()),
            ("subject", &setup.subject),
            ("organisation", &police),
            ("agency", "police"),
            ("questions", "Any incidents at the address?"),
            ("consent", "without_consent"),
            (
                "without_consent_reason",
                "Asking the family could put Zak at risk of harm.",
            ),
            ("agreed_by", &manager),
            ("urgency", "urgent"),
        ];
        let sent = browser
            .post(server.url(&path))
            .form(&form)
            .send()
            .await
            .expect("post");
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let listed = page(&server, &browser, &path).await;
        assert!(listed.contains("Waiting for an answer") && listed.contains("agreed by manager"));
        // An administrator and a partner cannot reach the page.
        for username in ["admin", "partner"] {
            let (other, _) = signed_in_browser(&server, username).await;
            let status = other
                .get(server.url(&path))
                .send()
                .await
                .expect("get")
                .status();
            assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
        }
    }
}

#[tokio::test]
async fn withdrawing_without_a_reason_shows_the_error_beside_that_request() {
    for server in servers().await {
        let worker = api_token(&server, "worker").await;
        let police = organisation(&server, OrganisationKind::Police).await;
        let setup = linked_contact(&server, &worker, &contact_json()).await;
        let id = send(&server, &worker, &setup, &police, "police", "urgent").await;
        let (browser, csrf) = signed_in_browser(&server, "worker").await;
        let empty = browser
            .post(server.url(&format!("/information-requests/{id}/withdraw")))
            .form(&[("csrf_token", csrf.as_str()), ("reason", "")])
            .send()
            .await
            .expect("post");
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = empty.text().await.expect("html");
        assert!(
            html.contains(&format!("href=\"#reason-{id}\"")),
            "the summary links to the field"
        );
        assert!(html.contains(&format!("id=\"reason-{id}-error\"")));
        let done = browser
            .post(server.url(&format!("/information-requests/{id}/withdraw")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("reason", "Police joined the strategy discussion."),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let partner = api_token(&server, "partner").await;
        let (status, body) = status_of(
            client()
                .post(server.url(&format!("/api/partner/requests/{id}/answer")))
                .bearer_auth(&partner)
                .json(&json!({ "answer": POLICE_ANSWER })),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body.contains("withdrawn"), "{body}");
    }
}

/// A contact about Zak recommended with `outcome` and authorised: the contact's set-up and the
/// id of Zak's episode.
async fn zaks_episode(
    server: &Server,
    worker: &str,
    manager: &str,
    outcome: &str,
) -> (Linked, String) {
    let setup = linked_contact(server, worker, &contact_json()).await;
    let recommendation = json!({ "outcome": outcome, "level_of_need": "4",
        "rationale": "Domestic abuse with the children present: more than universal help is needed." });
    crate::support::recommend(server, worker, &setup.contact, &recommendation).await;
    crate::support::authorise(
        server,
        manager,
        &setup.contact,
        "Agreed, as recommended today.",
    )
    .await;
    let episodes = get_json(
        server,
        worker,
        &format!("/api/people/{}/episodes", setup.person),
    )
    .await;
    let episode = episodes[0]["id"].as_str().expect("an episode").to_string();
    (setup, episode)
}

/// A request sent from the child's episode after the referral: it carries the episode and its
/// contact, is listed on both, reaches the partner's portal, and a partner cannot send one.
#[tokio::test]
async fn a_request_sent_from_an_episode_is_listed_on_it_and_reaches_the_partner() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let partner = api_token(&server, "partner").await;
        let (setup, episode) =
            zaks_episode(&server, &worker, &manager, "strategy_discussion").await;

        let police = organisation(&server, OrganisationKind::Police).await;
        let body = json!({
            "organisation": police, "agency": "police",
            "questions": "Any incidents at the address since the strategy discussion?",
            "consent": "consent_given", "consent_given_by": "Zak's mother", "consent_given_on": "2026-01-05",
            "urgency": "standard"
        });
        let path = format!("/api/episodes/{episode}/information-requests");
        let (status, sent) = post_json(&server, &worker, &path, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{sent}");
        assert_eq!(sent["episode"], episode.as_str(), "{sent}");
        assert_eq!(sent["contact"], setup.contact.as_str(), "{sent}");
        let id = sent["id"].as_str().expect("id");

        let on_episode = get_json(&server, &worker, &path).await;
        assert_eq!(on_episode[0]["id"], id, "{on_episode}");
        let on_contact = get_json(
            &server,
            &worker,
            &format!("/api/contacts/{}/information-requests", setup.contact),
        )
        .await;
        assert!(on_contact
            .as_array()
            .expect("list")
            .iter()
            .any(|r| r["id"] == id));
        let portal = get_json(&server, &partner, "/api/partner/requests").await;
        assert!(
            portal
                .as_array()
                .expect("list")
                .iter()
                .any(|r| r["id"] == id),
            "{portal}"
        );

        let (status, _) = post_json(&server, &partner, &path, &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let unknown = format!(
            "/api/episodes/{}/information-requests",
            uuid::Uuid::now_v7()
        );
        let (status, _) = post_json(&server, &worker, &unknown, &body).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

/// The episode's requests page works without JavaScript: no choice of child, a refused form
/// names the field, and a sent request is listed with the episode's child as the heading.
#[tokio::test]
async fn an_episode_has_a_requests_page_with_a_form_that_needs_no_child_chosen() {
    for server in servers().await {
        eprintln!("on {}", server.backend());
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let (_, episode) =
            zaks_episode(&server, &worker, &manager, "referral_for_assessment").await;
        let (browser, csrf) = signed_in_browser(&server, "worker").await;
        let path = format!("/episodes/{episode}/information-requests");
        let episode_page = page(&server, &browser, &format!("/episodes/{episode}")).await;
        assert!(
            episode_page.contains(&path),
            "the episode links to its requests"
        );
        let html = page(&server, &browser, &path).await;
        assert!(
            html.contains("Zak Webb, referred") && !html.contains("name=\"subject\""),
            "{html}"
        );

        let police = organisation(&server, OrganisationKind::Police).await;
        let mut fields = vec![
            ("csrf_token", csrf.as_str()),
            ("organisation", police.as_str()),
            ("agency", "police"),
            ("consent", "consent_given"),
            ("consent_given_by", "Zak's mother"),
            ("consent_given_on", "2026-01-05"),
            ("urgency", "standard"),
        ];
        let (status, html) = status_of(browser.post(server.url(&path)).form(&fields)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("href=\"#questions\""), "{html}");
        fields.push((
            "questions",
            "Anything known about the adults at the address?",
        ));
        let sent = browser
            .post(server.url(&path))
            .form(&fields)
            .send()
            .await
            .expect("send");
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let html = page(&server, &browser, &format!("{path}?done=sent")).await;
        assert!(
            html.contains("Request sent") && html.contains("Anything known about the adults"),
            "{html}"
        );

        // Withdrawn from the episode's page, it goes back there.
        let listed = get_json(&server, &worker, &format!("/api{path}")).await;
        let id = listed[0]["id"].as_str().expect("the request");
        let withdrawn = browser
            .post(server.url(&format!("/information-requests/{id}/withdraw")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("reason", "Answered by phone at the core group."),
            ])
            .send()
            .await
            .expect("withdraw");
        assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            withdrawn.headers()["location"],
            format!("{path}?done=withdrawn").as_str()
        );
    }
}
