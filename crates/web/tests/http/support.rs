//! A real server on a free port over a fresh database (SQLite, and PostgreSQL when configured),
//! and the clients that drive it.

use frontdoor_app::records::OrganisationKind;
use frontdoor_app::{App, NewAuthority, NewWorker, Settings};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::clock::SystemClock;
use frontdoor_domain::ids::AuthorityId;
use frontdoor_store::testing::TestDatabase;
use reqwest::{redirect, Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

pub const PASSWORD: &str = "a long enough password";

/// A running server: its address, the app behind it (to check what was stored) and its database.
pub struct Server {
    pub base: String,
    pub app: App,
    pub authority: AuthorityId,
    pub database: TestDatabase,
}

impl Server {
    pub fn backend(&self) -> &'static str {
        self.database.backend()
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A server on every backend available: SQLite always, PostgreSQL when configured.
pub async fn servers() -> Vec<Server> {
    servers_with_referral_limit(3).await
}

/// The same, with the online form's per-client limit set (tests that flood it on purpose).
pub async fn servers_with_referral_limit(referrals_per_client: u32) -> Vec<Server> {
    let mut servers = Vec::new();
    for database in frontdoor_store::testing::all_backends()
        .await
        .expect("databases")
    {
        servers.push(spawn_configured(database, referrals_per_client).await);
    }
    servers
}

/// A server on SQLite (for tests of the web layer alone).
pub async fn spawn() -> Server {
    spawn_on(frontdoor_store::testing::sqlite().await.expect("database")).await
}

/// Webshire: one front-door team ("MASH"), Webshire Police and Webshire Health, with an
/// officer, a MASH social worker ("worker"), a second one ("worker2"), a team manager, a second manager ("manager2"),
/// two partner practitioners of the police ("partner", "partner2"), one of Webshire Health
/// ("nurse") and an administrator ("admin").
pub async fn spawn_on(database: TestDatabase) -> Server {
    spawn_configured(database, 3).await
}

async fn spawn_configured(database: TestDatabase, referrals_per_client: u32) -> Server {
    let app = App::new(
        database.store.clone(),
        Arc::new(SystemClock),
        Settings::default(),
    );
    let authority = app
        .create_authority(&NewAuthority {
            code: "webshire".into(),
            name: "Webshire Council".into(),
            front_door_teams: vec!["MASH".into()],
            other_teams: vec![],
            partners: vec![
                ("Webshire Police".into(), OrganisationKind::Police),
                ("Webshire Health".into(), OrganisationKind::Health),
            ],
        })
        .await
        .expect("authority");
    let team = app.store.teams(authority).await.expect("teams")[0].id;
    let police = app
        .store
        .organisations(authority)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.kind == OrganisationKind::Police)
        .map(|o| o.id);
    let health = app
        .store
        .organisations(authority)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.kind == OrganisationKind::Health)
        .map(|o| o.id);
    for (username, role, team, organisation) in [
        ("officer", Role::ContactOfficer, Some(team), None),
        ("worker", Role::MashSocialWorker, Some(team), None),
        ("worker2", Role::MashSocialWorker, Some(team), None),
        ("manager", Role::TeamManager, Some(team), None),
        ("manager2", Role::TeamManager, Some(team), None),
        ("partner", Role::PartnerPractitioner, None, police),
        ("partner2", Role::PartnerPractitioner, None, police),
        ("nurse", Role::PartnerPractitioner, None, health),
        ("admin", Role::Administrator, None, None),
    ] {
        app.add_worker_as_operator(&NewWorker {
            authority,
            username: username.into(),
            display_name: username.into(),
            role,
            team,
            organisation,
            asye: false,
            password: PASSWORD.into(),
        })
        .await
        .expect("worker");
    }
    let router = frontdoor_web::router(
        app.clone(),
        frontdoor_web::WebSettings {
            behind_tls: false,
            public_authority: authority,
            referrals_per_client,
            trusted_proxies: vec![],
        },
    )
    .await
    .expect("router");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { frontdoor_web::serve(listener, router).await });
    Server {
        base,
        app,
        authority,
        database,
    }
}

pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn api_token(server: &Server, username: &str) -> String {
    let response = client()
        .post(server.url("/api/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.expect("json")["token"]
        .as_str()
        .expect("token")
        .to_string()
}

pub fn contact_json() -> Value {
    json!({
        "source": "6",
        "referrer": { "name": "PC Jones", "organisation": "Webshire Police" },
        "concern_categories": ["domestic_abuse"],
        "concern_summary": "Police called to the home overnight; the children were present during the incident.",
        "urgency": "urgent",
        "family_consent": "not_sought_safeguarding",
        "children": [{ "given_name": "Zak", "family_name": "Webb", "date_of_birth": "2018-02-03", "sex": "male", "postcode": "WS1 1AA" }]
    })
}

/// Records `contact` through the API as `token`'s worker and links its first child to a new
/// record; returns the contact's id and the child's person id.
pub async fn linked_contact(server: &Server, token: &str, contact: &Value) -> (String, String) {
    let http = client();
    let created: Value = http
        .post(server.url("/api/contacts"))
        .bearer_auth(token)
        .json(contact)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("contact id").to_string();
    let view = |http: &Client| {
        http.get(server.url(&format!("/api/contacts/{id}")))
            .bearer_auth(token)
            .send()
    };
    let before: Value = view(&http)
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let subject = before["subjects"][0]["subject"]["id"]
        .as_str()
        .expect("subject");
    let linked = http
        .post(server.url(&format!("/api/contacts/{id}/subjects/{subject}/link")))
        .bearer_auth(token)
        .json(&json!({ "create": true }))
        .send()
        .await
        .expect("request");
    assert_eq!(linked.status(), StatusCode::OK);
    let after: Value = view(&http)
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let person = after["subjects"][0]["subject"]["person"]
        .as_str()
        .unwrap_or_else(|| panic!("linked person in {after}"))
        .to_string();
    (id, person)
}

/// The value of the first `<input … name="NAME" value="…">` in a page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
}

/// Every hidden input of a page, as form fields (so a form is posted as a browser would).
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input")
        .skip(1)
        .filter(|tag| tag.contains("type=\"hidden\""))
        .filter_map(|tag| {
            let attribute = |name: &str| {
                tag.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .map(str::to_string)
            };
            Some((attribute("name")?, attribute("value")?))
        })
        .collect()
}

/// A browser signed in through the sign-in form, and its session's CSRF token.
pub async fn signed_in_browser(server: &Server, username: &str) -> (Client, String) {
    let browser = client();
    let page = browser
        .get(server.url("/sign-in"))
        .send()
        .await
        .expect("sign-in page")
        .text()
        .await
        .expect("html");
    let mut form = hidden_fields(&page);
    form.push(("username".into(), username.into()));
    form.push(("password".into(), PASSWORD.into()));
    let signed_in = browser
        .post(server.url("/sign-in"))
        .form(&form)
        .send()
        .await
        .expect("sign in");
    assert_eq!(
        signed_in.status(),
        StatusCode::SEE_OTHER,
        "{username} signs in"
    );
    let home = browser
        .get(server.url("/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("html");
    let csrf = hidden_value(&home, "csrf_token").expect("csrf token on the home page");
    (browser, csrf)
}
