//! A real server on a free port over a fresh database (SQLite, and PostgreSQL when configured),
//! and the clients that drive it.

use frontdoor_app::records::OrganisationKind;
use frontdoor_app::{App, NewAuthority, NewWorker, Settings};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::clock::{Clock, SystemClock};
use frontdoor_domain::ids::AuthorityId;
use frontdoor_store::testing::TestDatabase;
use frontdoor_web::{ConnectionLimits, WebSettings};
use reqwest::{redirect, Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};
use std::net::IpAddr;
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

/// Where requests go: a spawned `Server`, or the base URL of another server over its database.
pub trait Site {
    fn url(&self, path: &str) -> String;
}

impl Site for Server {
    fn url(&self, path: &str) -> String {
        Server::url(self, path)
    }
}

impl Site for str {
    fn url(&self, path: &str) -> String {
        format!("{self}{path}")
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
    // A newly qualified social worker with a protected caseload.
    app.add_worker_as_operator(&NewWorker {
        authority,
        username: "newbie".into(),
        display_name: "newbie".into(),
        role: Role::MashSocialWorker,
        team: Some(team),
        organisation: None,
        asye: true,
        password: PASSWORD.into(),
    })
    .await
    .expect("ASYE worker");
    let base = serve(
        app.clone(),
        WebSettings {
            behind_tls: false,
            public_authority: authority,
            referrals_per_client,
            trusted_proxies: vec![],
        },
        ConnectionLimits::default(),
    )
    .await;
    Server {
        base,
        app,
        authority,
        database,
    }
}

/// Serves `app` on a free port: its base URL.
async fn serve(app: App, settings: WebSettings, limits: ConnectionLimits) -> String {
    let router = frontdoor_web::router(app, settings).await.expect("router");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(frontdoor_web::serve_with_limits(listener, router, limits));
    base
}

/// Another server over the same database, with its own app (clock, settings) and web settings.
pub async fn serve_app(
    server: &Server,
    app: App,
    trusted_proxies: Vec<IpAddr>,
    limits: ConnectionLimits,
) -> String {
    let settings = WebSettings {
        behind_tls: false,
        public_authority: server.authority,
        referrals_per_client: 3,
        trusted_proxies,
    };
    serve(app, settings, limits).await
}

/// An app over `server`'s database with its own clock and settings.
pub fn app_with(server: &Server, clock: Arc<dyn Clock>, settings: Settings) -> App {
    App::new(server.database.store.clone(), clock, settings)
}

pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn api_token(server: &Server, username: &str) -> String {
    api_token_at(&server.base, username).await
}

/// An API token for `username` from the server at `base`.
pub async fn api_token_at(base: &str, username: &str) -> String {
    let response = client()
        .post(format!("{base}/api/session"))
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

/// A contact recorded through the API, its first child linked to a new record.
pub struct Linked {
    pub contact: String,
    pub subject: String,
    pub person: String,
}

/// Records `contact` through the API as `token`'s worker and links its first child to a new
/// record.
pub async fn linked_contact(server: &Server, token: &str, contact: &Value) -> Linked {
    let contact = record_contact(server, token, contact).await;
    let (subject, person) = link_to_new_record(server, token, &contact).await;
    Linked {
        contact,
        subject,
        person,
    }
}

/// Records `contact` through the API as `token`'s worker: its id.
pub async fn record_contact(server: &Server, token: &str, contact: &Value) -> String {
    let (status, created) = post_json(server, token, "/api/contacts", contact).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_str().expect("contact id").to_string()
}

/// Links the first child of `contact` to a new record through the API as `token`'s worker: the
/// child's subject id and the new record's person id.
pub async fn link_to_new_record(server: &Server, token: &str, contact: &str) -> (String, String) {
    let subject = first_subject(server, token, contact).await;
    let path = format!("/api/contacts/{contact}");
    let link = format!("{path}/subjects/{subject}/link");
    let (status, linked) = post_json(server, token, &link, &json!({ "create": true })).await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    let after = get_json(server, token, &path).await;
    let person = after["subjects"][0]["subject"]["person"]
        .as_str()
        .unwrap_or_else(|| panic!("linked person in {after}"))
        .to_string();
    assert_eq!(linked["person_id"], person.as_str(), "{linked}");
    (subject, person)
}

/// The subject id of the first child on `contact`, read through the API as `token`'s worker.
pub async fn first_subject(server: &Server, token: &str, contact: &str) -> String {
    let view = get_json(server, token, &format!("/api/contacts/{contact}")).await;
    view["subjects"][0]["subject"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a child on {view}"))
        .to_string()
}

/// `token`'s worker recommends `recommendation` on `contact` through the API.
pub async fn recommend(server: &Server, token: &str, contact: &str, recommendation: &Value) {
    let path = format!("/api/contacts/{contact}/recommendation");
    let (status, body) = post_json(server, token, &path, recommendation).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// `token`'s manager authorises the recommendation on `contact` through the API.
pub async fn authorise(server: &Server, token: &str, contact: &str, rationale: &str) {
    let path = format!("/api/contacts/{contact}/review");
    let review = json!({ "authorise": true, "rationale": rationale });
    let (status, body) = post_json(server, token, &path, &review).await;
    assert_eq!(status, StatusCode::OK, "{body}");
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
    signed_in_browser_at(&server.base, username).await
}

/// The same, on the server at `base`.
pub async fn signed_in_browser_at(base: &str, username: &str) -> (Client, String) {
    let browser = client();
    let page = browser
        .get(format!("{base}/sign-in"))
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
        .post(format!("{base}/sign-in"))
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
        .get(format!("{base}/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("html");
    let csrf = hidden_value(&home, "csrf_token").expect("csrf token on the home page");
    (browser, csrf)
}

/// The status and text of the answer to `request`.
pub async fn status_of(request: RequestBuilder) -> (StatusCode, String) {
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

/// The status and JSON (null when there is none) of the answer to `request`.
pub async fn json_of(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// GET `path` on the API with `token`'s session: the JSON answer.
pub async fn get_json<S: Site + ?Sized>(server: &S, token: &str, path: &str) -> Value {
    client()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json")
}

/// POST `body` to `path` on the API with `token`'s session: the status and JSON answer.
pub async fn post_json(
    server: &Server,
    token: &str,
    path: &str,
    body: &Value,
) -> (StatusCode, Value) {
    json_of(
        client()
            .post(server.url(path))
            .bearer_auth(token)
            .json(body),
    )
    .await
}

/// GET `path` on the API with `token`'s session: the answer's status.
pub async fn get_status(server: &Server, token: &str, path: &str) -> StatusCode {
    status_of(client().get(server.url(path)).bearer_auth(token))
        .await
        .0
}

/// GET `path` on the API with `token`'s session: the answer's text.
pub async fn get_text(server: &Server, token: &str, path: &str) -> String {
    status_of(client().get(server.url(path)).bearer_auth(token))
        .await
        .1
}

/// GET the page at `path` in a (signed-in) browser: its HTML.
pub async fn page<S: Site + ?Sized>(server: &S, browser: &Client, path: &str) -> String {
    browser
        .get(server.url(path))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}
