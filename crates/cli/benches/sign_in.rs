//! Sign-in under concurrency, against a real `frontdoor serve` process (issue 8):
//!
//! ```sh
//! cargo bench -p frontdoor-cli --bench sign_in
//! FRONTDOOR_SIGN_IN_DATABASE=postgres://postgres@127.0.0.1:5432/signin_bench cargo bench -p frontdoor-cli --bench sign_in
//! FRONTDOOR_SIGN_IN_BINARY=/path/to/an/older/frontdoor cargo bench -p frontdoor-cli --bench sign_in
//! ```
//!
//! 1. Sets up an authority with 25 workers through the binary under test (so an older binary
//!    can be measured on its own schema), then serves it with `FRONTDOOR_TRUSTED_PROXY=127.0.0.1`.
//! 2. Fires 40 simultaneous wrong guesses at one username through `POST /api/session` and
//!    reports how many were evaluated (answered "Enter a correct username and password") against
//!    the limit of 5.
//! 3. Fires 120 simultaneous correct sign-ins (24 workers, 5 each, each from its own
//!    `X-Forwarded-For` address) while probing `/healthz` every 10 ms, and reports the probes'
//!    p50/p99/max beside an idle baseline measured in the same run.
//!
//! `FRONTDOOR_SIGN_IN_DATABASE` must name an empty database (default: a new SQLite file).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long enough bench password";

struct ServerProcess(Child);
impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(binary: &str, url: &str, args: &[&str]) {
    let status = Command::new(binary)
        .arg("--database")
        .arg(url)
        .args(args)
        .env("FRONTDOOR_LOG", "warn")
        .env("FRONTDOOR_NEW_PASSWORD", PASSWORD)
        .stdout(Stdio::null())
        .status()
        .expect("run frontdoor");
    assert!(status.success(), "frontdoor {args:?} failed");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn describe(label: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<44} p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms  ({} probes)",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        latencies.len()
    );
}

async fn probe(http: &reqwest::Client, base: &str) -> Duration {
    let started = Instant::now();
    let ok = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success());
    assert!(ok, "/healthz failed");
    started.elapsed()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let binary = std::env::var("FRONTDOOR_SIGN_IN_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_frontdoor").to_string());
    let dir = std::env::temp_dir().join(format!("frontdoor-sign-in-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = std::env::var("FRONTDOOR_SIGN_IN_DATABASE")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("sign-in.db").display()));
    println!("binary {binary}\ndatabase {url}");

    run(&binary, &url, &["migrate"]);
    run(
        &binary,
        &url,
        &[
            "authority",
            "add",
            "--code",
            "benchshire",
            "--name",
            "Benchshire Council",
        ],
    );
    for n in 0..25 {
        let username = format!("user{n}");
        run(
            &binary,
            &url,
            &[
                "user",
                "add",
                "--authority",
                "benchshire",
                "--username",
                &username,
                "--name",
                &username,
                "--role",
                "contact_officer",
                "--team",
                "MASH",
            ],
        );
    }

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let _server = ServerProcess(
        Command::new(&binary)
            .args(["--database", &url, "serve", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .env("FRONTDOOR_LOG", "warn")
            .env("FRONTDOOR_TRUSTED_PROXY", "127.0.0.1")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the server"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
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

    // Idle baseline.
    let mut idle = Vec::new();
    for _ in 0..50 {
        idle.push(probe(&http, &base).await);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    describe("/healthz, idle", idle);

    // 40 simultaneous wrong guesses for one username.
    let guesses: Vec<_> = (0..40)
        .map(|n| {
            let (http, base) = (http.clone(), base.clone());
            tokio::spawn(async move {
                let response = http
                    .post(format!("{base}/api/session"))
                    .json(&serde_json::json!({ "username": "user0", "password": format!("guess {n}") }))
                    .send()
                    .await
                    .expect("guess");
                let status = response.status();
                (status, response.text().await.unwrap_or_default())
            })
        })
        .collect();
    let (mut evaluated, mut server_errors) = (0, 0);
    for guess in guesses {
        let (status, body) = guess.await.expect("task");
        if body.contains("Enter a correct username") {
            evaluated += 1;
        }
        if status.is_server_error() {
            server_errors += 1;
        }
    }
    println!(
        "40 simultaneous guesses for one username: {evaluated} evaluated (limit 5), {server_errors} server errors"
    );

    // 120 simultaneous correct sign-ins while /healthz is probed.
    let started = Instant::now();
    let sign_ins: Vec<_> = (0..120)
        .map(|n| {
            let (http, base) = (http.clone(), base.clone());
            tokio::spawn(async move {
                http.post(format!("{base}/api/session"))
                    .header("x-forwarded-for", format!("10.1.{}.{}", n / 200, n % 200 + 1))
                    .json(&serde_json::json!({ "username": format!("user{}", 1 + n % 24), "password": PASSWORD }))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            })
        })
        .collect();
    let all_done = tokio::spawn(async move {
        let mut statuses = Vec::new();
        for sign_in in sign_ins {
            statuses.push(sign_in.await.unwrap_or(0));
        }
        statuses
    });
    let mut busy = Vec::new();
    while !all_done.is_finished() {
        busy.push(probe(&http, &base).await);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let statuses = all_done.await.expect("sign-ins");
    let elapsed = started.elapsed();
    let count = |code: u16| statuses.iter().filter(|s| **s == code).count();
    println!(
        "120 simultaneous sign-ins took {:.2} s: {} signed in, {} refused (429), {} busy (503), {} other",
        elapsed.as_secs_f64(),
        count(201),
        count(429),
        count(503),
        statuses.len() - count(201) - count(429) - count(503)
    );
    describe("/healthz, during 120 simultaneous sign-ins", busy);
    let _ = std::fs::remove_dir_all(&dir);
}
