//! Load benchmark of the demo server on SQLite (issue 3):
//!
//! ```sh
//! cargo bench -p frontdoor-cli --bench load
//! FRONTDOOR_LOAD_CONTACTS=100000 FRONTDOOR_LOAD_SECONDS=20 FRONTDOOR_LOAD_CONCURRENCY=50 cargo bench -p frontdoor-cli --bench load
//! ```
//!
//! 1. `frontdoor demo --no-serve` builds a demo authority with a year of synthetic history
//!    (`FRONTDOOR_LOAD_CONTACTS` contacts, default 100,000: the largest authority).
//! 2. `frontdoor serve` runs it as its own process; 50 concurrent signed-in users load the
//!    contact queue page; then the multi-agency pages — the partner portal's list (as the police
//!    practitioner), work due across the authority and a strategy discussion to hold (as the
//!    manager; the demo's day stages them) — then record contacts through the JSON API, each for
//!    `FRONTDOOR_LOAD_SECONDS`. Requests per second and p50/p99 latency are reported.
//!    `FRONTDOOR_LOAD_TEMPLATE=/path/load.db` keeps the set-up database there after the first
//!    run and copies it on later runs (setting up 100,000 contacts takes about five minutes).
//! 3. With the server stopped, the same contact inserts are made straight into the same SQLite
//!    file through the app (no HTTP) by 50 concurrent tasks: the ceiling. The ratio of the HTTP
//!    rate to the ceiling is reported.

use frontdoor_app::records::{DatabaseUrl, Referrer, Store};
use frontdoor_app::{App, ContactInput, Settings, SubjectInput};
use frontdoor_domain::clock::SystemClock;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Stats {
    label: String,
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies: Vec<Duration>,
    /// Responses by class: 2xx, 409 (a lost race, refused cleanly), 5xx, anything else.
    success: usize,
    conflict: usize,
    server_error: usize,
}

/// What one call of a load's worker ended with.
enum Outcome {
    Status(u16),
    /// No HTTP status: a transport error, or a direct call that failed.
    Failed,
}

impl Stats {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let mut sorted = self.latencies.clone();
        sorted.sort();
        sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
    }
    fn print(&self) {
        println!(
            "{:<52} {:>8.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  ({} requests: {} 2xx, {} 409, {} 5xx, {} other)",
            self.label,
            self.rate(),
            self.percentile(0.50).as_secs_f64() * 1000.0,
            self.percentile(0.99).as_secs_f64() * 1000.0,
            self.requests + self.errors,
            self.success,
            self.conflict,
            self.server_error,
            self.errors
        );
    }
}

fn contact(n: usize) -> ContactInput {
    ContactInput {
        channel: "api".into(),
        source: "6".into(),
        referrer: Referrer {
            name: "PC Load".into(),
            organisation: "Northshire Police".into(),
            ..Default::default()
        },
        concern_categories: vec!["domestic_abuse".into()],
        concern_summary:
            "Police attended a domestic incident; children present. Load test contact.".into(),
        urgency: "standard".into(),
        family_consent: "not_sought_safeguarding".into(),
        children: vec![SubjectInput {
            given_name: format!("Load{n}"),
            family_name: "Benchmark".into(),
            date_of_birth: "2016-05-05".into(),
            sex: "female".into(),
            postcode: "NE61 2EF".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// Runs `worker` from `concurrency` tasks for `seconds`, timing each call. A call counts as
/// answered when it gets a 2xx or a 409 (a clean refusal of a lost race).
async fn run_load<F, Fut>(label: &str, concurrency: usize, seconds: u64, worker: F) -> Stats
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Outcome> + Send,
{
    let worker = Arc::new(worker);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..concurrency {
        let worker = worker.clone();
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors, mut n) = (Vec::new(), 0usize, 0usize);
            let mut classes = [0usize; 3];
            while Instant::now() < deadline {
                let begun = Instant::now();
                match worker(task * 1_000_000 + n).await {
                    Outcome::Status(status) if (200..300).contains(&status) => {
                        classes[0] += 1;
                        latencies.push(begun.elapsed());
                    }
                    Outcome::Status(409) => {
                        classes[1] += 1;
                        latencies.push(begun.elapsed());
                    }
                    Outcome::Status(status) if status >= 500 => {
                        classes[2] += 1;
                        errors += 1;
                    }
                    _ => errors += 1,
                }
                n += 1;
            }
            (latencies, errors, classes)
        }));
    }
    let mut stats = Stats {
        label: label.into(),
        requests: 0,
        errors: 0,
        seconds: 0.0,
        latencies: Vec::new(),
        success: 0,
        conflict: 0,
        server_error: 0,
    };
    for task in tasks {
        if let Ok((latencies, errors, classes)) = task.await {
            stats.requests += latencies.len();
            stats.errors += errors - classes[2];
            stats.latencies.extend(latencies);
            stats.success += classes[0];
            stats.conflict += classes[1];
            stats.server_error += classes[2];
        }
    }
    stats.seconds = started.elapsed().as_secs_f64();
    stats
}

/// `n` sessions of one demo user (each simulated user keeps their own).
async fn sign_in_many(http: &reqwest::Client, base: &str, username: &str, n: usize) -> Vec<String> {
    let mut tokens = Vec::with_capacity(n);
    for _ in 0..n {
        let body: serde_json::Value = http
            .post(format!("{base}/api/session"))
            .json(&serde_json::json!({ "username": username, "password": "frontdoor-demo" }))
            .send()
            .await
            .expect("sign in")
            .json()
            .await
            .expect("token");
        tokens.push(body["token"].as_str().expect("token").to_string());
    }
    tokens
}

async fn status_of(request: reqwest::RequestBuilder) -> Outcome {
    match request.send().await {
        Ok(response) => Outcome::Status(response.status().as_u16()),
        Err(_) => Outcome::Failed,
    }
}

struct ServerProcess(Child);
impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let contacts = env_number("FRONTDOOR_LOAD_CONTACTS", 100_000);
    let seconds = env_number("FRONTDOOR_LOAD_SECONDS", 20);
    let concurrency = env_number("FRONTDOOR_LOAD_CONCURRENCY", 50) as usize;
    let binary = env!("CARGO_BIN_EXE_frontdoor");
    let dir = std::env::temp_dir().join(format!("frontdoor-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // PostgreSQL when FRONTDOOR_LOAD_POSTGRES names a server (a fresh database is made there
    // and dropped at the end), otherwise a SQLite file.
    let postgres = match std::env::var("FRONTDOOR_LOAD_POSTGRES") {
        Ok(admin) if !admin.is_empty() => {
            std::env::set_var("FRONTDOOR_TEST_POSTGRES", admin);
            Some(
                frontdoor_store::testing::postgres()
                    .await
                    .expect("create the PostgreSQL load database")
                    .expect("PostgreSQL configured"),
            )
        }
        _ => None,
    };
    let url = match &postgres {
        Some(database) => match &database.url {
            DatabaseUrl::Postgres(url) => url.clone(),
            DatabaseUrl::Sqlite(url) => url.clone(),
        },
        None => format!("sqlite://{}", dir.join("load.db").display()),
    };
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("Backend: {backend}");

    let template = std::env::var("FRONTDOOR_LOAD_TEMPLATE")
        .ok()
        .filter(|t| !t.is_empty())
        .map(std::path::PathBuf::from);
    match &template {
        Some(template) if template.exists() && postgres.is_none() => {
            println!("Copying the prepared database {}...", template.display());
            std::fs::copy(template, dir.join("load.db")).expect("copy the template database");
        }
        _ => {
            println!("Setting up a demo authority with {contacts} contacts over one year...");
            let setup_started = Instant::now();
            let status = Command::new(binary)
                .args([
                    "--database",
                    &url,
                    "demo",
                    "--no-serve",
                    "--years",
                    "1",
                    "--contacts-per-year",
                    &contacts.to_string(),
                ])
                .env("FRONTDOOR_LOG", "warn")
                .stdout(Stdio::null())
                .status()
                .expect("run frontdoor demo");
            assert!(status.success(), "demo set-up failed");
            println!(
                "  set-up took {:.1} s",
                setup_started.elapsed().as_secs_f64()
            );
            if let (Some(template), None) = (&template, &postgres) {
                // A consistent single-file copy (the WAL folded in) for later runs.
                let store = Store::connect(&DatabaseUrl::parse(&url).expect("url"))
                    .await
                    .expect("connect");
                let folded = frontdoor_store::testing::execute_directly(
                    &store,
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                )
                .await;
                store.close().await;
                if folded.is_ok() {
                    let _ = std::fs::copy(dir.join("load.db"), template);
                }
            }
        }
    }

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let server = ServerProcess(
        Command::new(binary)
            .args([
                "--database",
                &url,
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env("FRONTDOOR_LOG", "warn")
            .env("FRONTDOOR_PUBLIC_AUTHORITY", "northshire")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the server"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    for _ in 0..200 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Each simulated user signs in once (as the contact officer) and keeps their session.
    let tokens = sign_in_many(&http, &base, "officer", concurrency).await;
    // Pages use the cookie; the same token works as the session cookie.
    let tokens = Arc::new(tokens);

    let queue = {
        let (http, base, tokens) = (http.clone(), base.clone(), tokens.clone());
        run_load(
            &format!("GET /contacts (queue page), {concurrency} users"),
            concurrency,
            seconds,
            move |n| {
                let request = http
                    .get(format!("{base}/contacts"))
                    .header("cookie", format!("fd_session={}", tokens[n / 1_000_000]));
                async move { status_of(request).await }
            },
        )
        .await
    };
    queue.print();

    // The multi-agency pages, read at the same size: the partner portal (as the police
    // practitioner), work due across the authority and a strategy discussion (as the manager).
    let partners = Arc::new(sign_in_many(&http, &base, "partner", concurrency).await);
    let managers = Arc::new(sign_in_many(&http, &base, "manager", concurrency).await);
    let page_load = |label: String, path: String, sessions: Arc<Vec<String>>| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            run_load(&label, concurrency, seconds, move |n| {
                let request = http
                    .get(format!("{base}{path}"))
                    .header("cookie", format!("fd_session={}", sessions[n / 1_000_000]));
                async move { status_of(request).await }
            })
            .await
        }
    };
    page_load(
        format!("GET /partner/requests (partner portal), {concurrency} partners"),
        "/partner/requests".into(),
        partners.clone(),
    )
    .await
    .print();
    page_load(
        format!("GET /work-due?scope=all, {concurrency} managers"),
        "/work-due?scope=all".into(),
        managers.clone(),
    )
    .await
    .print();
    let due: serde_json::Value = http
        .get(format!("{base}/api/work-due?scope=all"))
        .bearer_auth(&managers[0])
        .send()
        .await
        .expect("work due")
        .json()
        .await
        .expect("work due json");
    println!(
        "  (work due across the authority: {} due, {} overdue)",
        due["due"], due["overdue"]
    );
    let discussion = due["soonest"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["kind"] == "strategy_discussion"))
        .and_then(|i| i["record"].as_str())
        .map(str::to_string);
    match discussion {
        Some(id) => page_load(
            format!("GET /strategy-discussions/{{id}}, {concurrency} managers"),
            format!("/strategy-discussions/{id}"),
            managers.clone(),
        )
        .await
        .print(),
        None => println!("  (no strategy discussion to hold in the demo: page not measured)"),
    }

    let store = Store::connect(&DatabaseUrl::parse(&url).expect("url"))
        .await
        .expect("connect");
    let authority = store
        .authority_by_code("northshire")
        .await
        .expect("authority")
        .expect("the demo authority");
    let contacts_before = store.contact_count(authority).await.expect("count");
    let record = {
        let (http, base, tokens) = (http.clone(), base.clone(), tokens.clone());
        run_load(
            &format!("POST /api/contacts (record), {concurrency} users"),
            concurrency,
            seconds,
            move |n| {
                let request = http
                    .post(format!("{base}/api/contacts"))
                    .bearer_auth(&tokens[n / 1_000_000])
                    .json(&contact(n));
                async move { status_of(request).await }
            },
        )
        .await
    };
    record.print();
    let stored = store.contact_count(authority).await.expect("count") - contacts_before;
    println!(
        "  contacts stored {stored}, answered 201 {}: {} lost, {} unreported",
        record.success,
        (record.success as i64 - stored).max(0),
        (stored - record.success as i64).max(0)
    );

    let contended =
        contended_decisions(&http, &base, concurrency, seconds, &store, authority).await;
    contended.print();
    drop(server);

    // The ceiling: the same use case straight into the same database, no HTTP.
    let app = App::new(store.clone(), Arc::new(SystemClock), Settings::default());
    let officer = app
        .store
        .worker_by_username("officer")
        .await
        .expect("officer")
        .expect("officer exists")
        .actor();
    let direct = run_load(
        &format!("record_contact straight into {backend}, {concurrency} tasks"),
        concurrency,
        seconds,
        move |n| {
            let (app, officer) = (app.clone(), officer.clone());
            async move {
                match app.record_contact(&officer, &contact(n)).await {
                    Ok(_) => Outcome::Status(201),
                    Err(_) => Outcome::Failed,
                }
            }
        },
    )
    .await;
    direct.print();
    println!(
        "HTTP recording rate / direct ceiling = {:.2}",
        record.rate() / direct.rate().max(f64::MIN_POSITIVE)
    );
    store.close().await;
    if let Some(database) = postgres {
        database.remove().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Contention on purpose: `concurrency` users recommend and authorise the same 100 contacts at
/// once (half as the social worker, half as the manager), so most requests lose a race. Every
/// refusal must be a 409, never a 5xx, and no contact may end with two decisions.
async fn contended_decisions(
    http: &reqwest::Client,
    base: &str,
    concurrency: usize,
    seconds: u64,
    store: &Store,
    authority: frontdoor_domain::ids::AuthorityId,
) -> Stats {
    let token = |username: &'static str| {
        let (http, base) = (http.clone(), base.to_string());
        async move {
            let response = http
                .post(format!("{base}/api/session"))
                .json(&serde_json::json!({ "username": username, "password": "frontdoor-demo" }))
                .send()
                .await
                .expect("sign in");
            let body: serde_json::Value = response.json().await.expect("token");
            body["token"].as_str().expect("token").to_string()
        }
    };
    let (officer, worker, manager) = (
        token("officer").await,
        token("social.worker").await,
        token("manager").await,
    );
    let mut contacts = Vec::new();
    for n in 0..100 {
        let created: serde_json::Value = http
            .post(format!("{base}/api/contacts"))
            .bearer_auth(&officer)
            .json(&contact(9_000_000 + n))
            .send()
            .await
            .expect("record")
            .json()
            .await
            .expect("json");
        let id = created["id"].as_str().expect("id").to_string();
        let view: serde_json::Value = http
            .get(format!("{base}/api/contacts/{id}"))
            .bearer_auth(&officer)
            .send()
            .await
            .expect("view")
            .json()
            .await
            .expect("json");
        let subject = view["subjects"][0]["subject"]["id"]
            .as_str()
            .expect("subject")
            .to_string();
        http.post(format!("{base}/api/contacts/{id}/subjects/{subject}/link"))
            .bearer_auth(&officer)
            .json(&serde_json::json!({ "create": true }))
            .send()
            .await
            .expect("link");
        contacts.push(id);
    }
    let contacts = Arc::new(contacts);
    let (http, base) = (http.clone(), base.to_string());
    let ids = contacts.clone();
    let stats = run_load(
        &format!("recommend + authorise, same 100 contacts, {concurrency} users"),
        concurrency,
        seconds,
        move |n| {
            let (task, iteration) = (n / 1_000_000, n % 1_000_000);
            let contact = &ids[(iteration + task / 2) % ids.len()];
            let request = if task % 2 == 0 {
                http.post(format!("{base}/api/contacts/{contact}/recommendation"))
                    .bearer_auth(&worker)
                    .json(&serde_json::json!({ "outcome": "referral_for_assessment", "level_of_need": "3", "rationale": "Load test: repeated police concerns; needs an assessment." }))
            } else {
                http.post(format!("{base}/api/contacts/{contact}/review"))
                    .bearer_auth(&manager)
                    .json(&serde_json::json!({ "authorise": true, "rationale": "Load test: agreed after reading the history." }))
            };
            async move { status_of(request).await }
        },
    )
    .await;
    let mut doubled = 0;
    for id in contacts.iter() {
        let decisions = store
            .decisions_on_contact(authority, id.parse().expect("id"))
            .await
            .expect("decisions");
        if decisions.len() > 1 {
            doubled += 1;
        }
    }
    println!(
        "  contacts with more than one decision: {doubled} of {}",
        contacts.len()
    );
    stats
}
