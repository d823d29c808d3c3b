//! Integrity under concurrency: N simultaneous requests at the real server, on SQLite and
//! PostgreSQL, then the invariants — no 5xx, exactly one winner where only one may win, no
//! duplicate or orphan rows, the audit chains intact.
//!
//! Each test is one finding of the integrity review (issue "Integrity under concurrency"):
//! 1. simultaneous contacts, online referrals and new person records all stored, none lost;
//! 2. a child cannot be relinked while a recommendation awaits authorisation;
//! 3. of simultaneous recommendations exactly one succeeds;
//! 4. of two managers reviewing at once exactly one succeeds, one referral per child;
//! 5. of two merges of the same pair in opposite directions exactly one succeeds.

use crate::support::{
    api_token, authorise, client, contact_json, first_subject, get_json, hidden_value,
    linked_contact, page, post_json, recommend, record_contact, servers,
    servers_with_referral_limit, signed_in_browser, Server,
};
use frontdoor_domain::contact::ContactStatus;
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::Barrier;

/// Sends every request at the same moment (each waits at a barrier until all are ready) and
/// returns each one's status and body, in the order given.
pub(crate) async fn at_once(requests: Vec<RequestBuilder>) -> Vec<(StatusCode, String)> {
    let barrier = Arc::new(Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let response = request.send().await.expect("request");
                let status = response.status();
                (status, response.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}

fn count(results: &[(StatusCode, String)], status: StatusCode) -> usize {
    results.iter().filter(|(s, _)| *s == status).count()
}

/// No 5xx; exactly one `winner`, and every other told of the conflict (409).
pub(crate) fn assert_one_winner(what: &str, results: &[(StatusCode, String)], winner: StatusCode) {
    let statuses: Vec<StatusCode> = results.iter().map(|(s, _)| *s).collect();
    assert!(
        statuses.iter().all(|s| !s.is_server_error()),
        "{what}: {results:?}"
    );
    assert_eq!(
        count(results, winner),
        1,
        "{what}: exactly one winner: {statuses:?}"
    );
    assert_eq!(
        count(results, StatusCode::CONFLICT),
        results.len() - 1,
        "{what}: the others are told of the conflict: {statuses:?}"
    );
}

/// No 5xx, and every refusal a 409 that says what happened.
fn assert_no_server_errors(server: &Server, what: &str, results: &[(StatusCode, String)]) {
    for (status, body) in results {
        assert!(
            !status.is_server_error(),
            "{what} on {}: {status} {body}",
            server.backend()
        );
        if *status == StatusCode::CONFLICT {
            assert!(
                body.contains("reload") || body.contains("Reload"),
                "a lost race says what to do: {body}"
            );
        }
    }
}

pub(crate) async fn assert_audit_intact(server: &Server) {
    let report = server.app.verify_audit_trail().await.expect("verify");
    assert!(
        report.is_intact(),
        "audit chains on {}: {report:?}",
        server.backend()
    );
}

struct Api<'a> {
    server: &'a Server,
    http: reqwest::Client,
}

impl Api<'_> {
    fn post(&self, token: &str, path: &str, body: &Value) -> RequestBuilder {
        self.http
            .post(self.server.url(path))
            .bearer_auth(token)
            .json(body)
    }
    /// A new contact about one child; returns its id and the child's subject id.
    async fn contact(&self, token: &str) -> (String, String) {
        let id = record_contact(self.server, token, &contact_json()).await;
        let subject = first_subject(self.server, token, &id).await;
        (id, subject)
    }
    /// Links the child to `target` (`{"create": true}` or `{"person_id": …}`); the person's id.
    async fn link(&self, token: &str, contact: &str, subject: &str, target: Value) -> String {
        let path = format!("/api/contacts/{contact}/subjects/{subject}/link");
        let (status, linked) = post_json(self.server, token, &path, &target).await;
        assert_eq!(status, StatusCode::OK, "{linked}");
        linked["person_id"].as_str().expect("person id").to_string()
    }
    /// A contact whose child is linked to a new record, ready for a recommendation: the
    /// contact's id, the child's subject id and person id.
    async fn linked_contact(&self, token: &str) -> (String, String, String) {
        let linked = linked_contact(self.server, token, &contact_json()).await;
        (linked.contact, linked.subject, linked.person)
    }
}

fn recommendation() -> Value {
    json!({ "outcome": "referral_for_assessment", "level_of_need": "3", "rationale": "Repeated concerns from police; the children need a child and family assessment." })
}

const REVIEW_RATIONALE: &str = "Considered the history and the police information: agreed.";

fn review(authorise: bool) -> Value {
    json!({ "authorise": authorise, "rationale": REVIEW_RATIONALE })
}

#[tokio::test]
async fn simultaneous_contacts_referrals_and_new_records_are_all_stored() {
    for server in servers_with_referral_limit(100).await {
        let api = Api {
            server: &server,
            http: client(),
        };
        let officer = api_token(&server, "officer").await;

        // 20 contacts from one officer at once: every one stored, each its own reference.
        let results = at_once(
            (0..20)
                .map(|_| api.post(&officer, "/api/contacts", &contact_json()))
                .collect(),
        )
        .await;
        assert_no_server_errors(&server, "contacts", &results);
        assert_eq!(
            count(&results, StatusCode::CREATED),
            20,
            "{}",
            server.backend()
        );
        let references: HashSet<String> = results
            .iter()
            .map(|(_, body)| {
                serde_json::from_str::<Value>(body).expect("json")["reference"]
                    .as_str()
                    .expect("reference")
                    .to_string()
            })
            .collect();
        assert_eq!(references.len(), 20, "references are distinct");

        // 30 simultaneous online referrals from 30 browsers.
        let mut requests = Vec::new();
        for _ in 0..30 {
            let browser = client();
            let form = page(&server, &browser, "/refer").await;
            let token = hidden_value(&form, "form_token").expect("form token");
            requests.push(browser.post(server.url("/refer")).form(&[
                ("form_token", token.as_str()),
                ("source", "2A"),
                ("referrer.name", "Ms Jo Teacher"),
                ("referrer.organisation", "Riverside Primary School"),
                ("children[0].given_name", "Tilly"),
                ("children[0].family_name", "Brook"),
                ("children[0].date_of_birth", "2016-05-04"),
                ("children[0].sex", "female"),
                ("concern_categories", "neglect"),
                (
                    "concern_summary",
                    "Tilly arrived hungry for the third day running.",
                ),
                ("urgency", "urgent"),
                ("family_consent", "given"),
            ]));
        }
        let results = at_once(requests).await;
        assert_no_server_errors(&server, "online referrals", &results);
        for (status, body) in &results {
            assert_eq!(*status, StatusCode::SEE_OTHER, "{body}");
        }
        assert_eq!(
            server
                .app
                .store
                .contact_count(server.authority)
                .await
                .expect("count"),
            50,
            "no contact lost on {}",
            server.backend()
        );

        // 20 children linked to new records at once: 20 people, 20 distinct LA person ids.
        let mut contacts = Vec::new();
        for _ in 0..20 {
            contacts.push(api.contact(&officer).await);
        }
        let results = at_once(
            contacts
                .iter()
                .map(|(contact, subject)| {
                    api.post(
                        &officer,
                        &format!("/api/contacts/{contact}/subjects/{subject}/link"),
                        &json!({ "create": true }),
                    )
                })
                .collect(),
        )
        .await;
        assert_no_server_errors(&server, "new records", &results);
        assert_eq!(count(&results, StatusCode::OK), 20);
        assert_eq!(
            server
                .app
                .store
                .person_count(server.authority)
                .await
                .expect("count"),
            20
        );
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn a_child_cannot_be_relinked_while_a_recommendation_awaits_authorisation() {
    for server in servers().await {
        let api = Api {
            server: &server,
            http: client(),
        };
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let manager = api_token(&server, "manager").await;
        let (contact, subject, first) = api.linked_contact(&officer).await;
        let (_, _, other) = api.linked_contact(&officer).await;
        recommend(&server, &worker, &contact, &recommendation()).await;

        let relink = api
            .post(
                &officer,
                &format!("/api/contacts/{contact}/subjects/{subject}/link"),
                &json!({ "person_id": other }),
            )
            .send()
            .await
            .expect("request");
        assert_eq!(relink.status(), StatusCode::CONFLICT);
        let problem: Value = relink.json().await.expect("json");
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("awaiting a manager's authorisation")),
            "{problem}"
        );

        authorise(&server, &manager, &contact, REVIEW_RATIONALE).await;
        // The referral went to the child the recommendation named, and to nobody else.
        let first_id: frontdoor_domain::ids::PersonId = first.parse().expect("id");
        let other_id: frontdoor_domain::ids::PersonId = other.parse().expect("id");
        let referrals = |person| {
            let store = server.app.store.clone();
            let authority = server.authority;
            async move {
                store
                    .referrals_of(authority, person)
                    .await
                    .expect("referrals")
            }
        };
        assert_eq!(referrals(first_id).await.len(), 1);
        assert_eq!(referrals(other_id).await.len(), 0);

        // Linking and recommending at the same moment, many times: whichever wins, the
        // recommendation's event names exactly the people linked when it was made.
        for _ in 0..8 {
            let (contact, subject, _) = api.linked_contact(&officer).await;
            let (_, _, replacement) = api.linked_contact(&officer).await;
            let results = at_once(vec![
                api.post(
                    &officer,
                    &format!("/api/contacts/{contact}/subjects/{subject}/link"),
                    &json!({ "person_id": replacement }),
                ),
                api.post(
                    &worker,
                    &format!("/api/contacts/{contact}/recommendation"),
                    &recommendation(),
                ),
            ])
            .await;
            assert_no_server_errors(&server, "link and recommend", &results);
            assert_eq!(results[1].0, StatusCode::CREATED, "{}", results[1].1);
            let linked_now = get_json(&server, &officer, &format!("/api/contacts/{contact}")).await
                ["subjects"][0]["subject"]["person"]
                .as_str()
                .expect("linked")
                .to_string();
            if results[0].0 == StatusCode::OK {
                assert_eq!(linked_now, replacement, "the link went in first");
            } else {
                assert_eq!(results[0].0, StatusCode::CONFLICT, "{}", results[0].1);
            }
            let person: frontdoor_domain::ids::PersonId = linked_now.parse().expect("id");
            let chronology = server
                .app
                .store
                .chronology(server.authority, person)
                .await
                .expect("chronology");
            assert!(
                chronology.iter().any(|e| e.kind == "decision_recommended"),
                "the recommendation is on the chronology of the child it names"
            );
        }
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn of_simultaneous_recommendations_exactly_one_succeeds() {
    for server in servers().await {
        let api = Api {
            server: &server,
            http: client(),
        };
        let officer = api_token(&server, "officer").await;
        let workers = [
            api_token(&server, "worker").await,
            api_token(&server, "worker2").await,
            api_token(&server, "manager").await,
        ];
        for _ in 0..10 {
            let (contact, _, _) = api.linked_contact(&officer).await;
            let path = format!("/api/contacts/{contact}/recommendation");
            let results = at_once(
                workers
                    .iter()
                    .cycle()
                    .take(5)
                    .map(|token| api.post(token, &path, &recommendation()))
                    .collect(),
            )
            .await;
            assert_no_server_errors(&server, "recommendations", &results);
            assert_eq!(
                count(&results, StatusCode::CREATED),
                1,
                "{results:?} on {}",
                server.backend()
            );
            assert_eq!(count(&results, StatusCode::CONFLICT), 4);
            let contact_id = contact.parse().expect("id");
            let decisions = server
                .app
                .store
                .decisions_on_contact(server.authority, contact_id)
                .await
                .expect("decisions");
            assert_eq!(decisions.len(), 1, "one recommendation stored");
        }
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn of_two_managers_reviewing_at_once_exactly_one_succeeds() {
    for server in servers().await {
        let api = Api {
            server: &server,
            http: client(),
        };
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let managers = [
            api_token(&server, "manager").await,
            api_token(&server, "manager2").await,
        ];
        for trial in 0..8 {
            let (contact, _, person) = api.linked_contact(&officer).await;
            recommend(&server, &worker, &contact, &recommendation()).await;
            // Both authorise, or one authorises while the other returns.
            let second_authorises = trial % 2 == 0;
            let path = format!("/api/contacts/{contact}/review");
            let results = at_once(vec![
                api.post(&managers[0], &path, &review(true)),
                api.post(&managers[1], &path, &review(second_authorises)),
            ])
            .await;
            assert_no_server_errors(&server, "reviews", &results);
            assert_eq!(count(&results, StatusCode::OK), 1, "{results:?}");
            assert_eq!(count(&results, StatusCode::CONFLICT), 1, "{results:?}");
            let loser = results
                .iter()
                .find(|(s, _)| *s == StatusCode::CONFLICT)
                .map(|(_, body)| body.clone())
                .unwrap_or_default();
            assert!(
                loser.contains("authorised the decision") || loser.contains("returned"),
                "the 409 says what the other manager did: {loser}"
            );
            let contact_id = contact.parse().expect("id");
            let stored = server
                .app
                .store
                .contact(server.authority, contact_id)
                .await
                .expect("contact");
            let referrals = server
                .app
                .store
                .referrals_of(server.authority, person.parse().expect("id"))
                .await
                .expect("referrals");
            match stored.status {
                ContactStatus::Decided => assert_eq!(referrals.len(), 1),
                ContactStatus::Returned => assert_eq!(referrals.len(), 0),
                other => panic!("contact left {other:?}"),
            }
        }
        assert_audit_intact(&server).await;
    }
}

#[tokio::test]
async fn of_two_opposite_merges_of_one_pair_exactly_one_succeeds() {
    for server in servers().await {
        let api = Api {
            server: &server,
            http: client(),
        };
        let officer = api_token(&server, "officer").await;
        let worker = api_token(&server, "worker").await;
        let (first, first_csrf) = signed_in_browser(&server, "manager").await;
        let (second, second_csrf) = signed_in_browser(&server, "manager2").await;
        for _ in 0..6 {
            let (_, _, a) = api.linked_contact(&officer).await;
            let (_, _, b) = api.linked_contact(&officer).await;
            let reason = "Same child: same name, date of birth and address.";
            let results = at_once(vec![
                first.post(server.url("/people/merge")).form(&[
                    ("csrf_token", first_csrf.as_str()),
                    ("keep", a.as_str()),
                    ("merge", b.as_str()),
                    ("reason", reason),
                ]),
                second.post(server.url("/people/merge")).form(&[
                    ("csrf_token", second_csrf.as_str()),
                    ("keep", b.as_str()),
                    ("merge", a.as_str()),
                    ("reason", reason),
                ]),
            ])
            .await;
            assert_no_server_errors(&server, "merges", &results);
            assert_eq!(count(&results, StatusCode::SEE_OTHER), 1, "{results:?}");
            assert_eq!(count(&results, StatusCode::CONFLICT), 1, "{results:?}");
            // Exactly one record survives, and it can still be found and linked.
            let people = server
                .app
                .store
                .people_by_ids(
                    server.authority,
                    &[a.parse().expect("id"), b.parse().expect("id")],
                )
                .await
                .expect("people");
            let survivors: Vec<_> = people.iter().filter(|p| p.merged_into.is_none()).collect();
            assert_eq!(survivors.len(), 1, "one survivor on {}", server.backend());
            let search =
                "/api/people/search?given_name=Zak&family_name=Webb&date_of_birth=2018-02-03";
            let found = get_json(&server, &worker, search).await;
            let found_ids: Vec<&str> = found["results"]
                .as_array()
                .expect("results")
                .iter()
                .filter_map(|r| r["person"]["id"].as_str())
                .collect();
            assert!(
                found_ids.contains(&survivors[0].id.to_string().as_str()),
                "the survivor is found by search"
            );
            let (contact, subject) = api.contact(&officer).await;
            api.link(
                &officer,
                &contact,
                &subject,
                json!({ "person_id": survivors[0].id.to_string() }),
            )
            .await;
        }
        assert_audit_intact(&server).await;
    }
}
