//! Sign-in under concurrency and its smaller security points, over real HTTP on every backend:
//! the throttle holds against simultaneous guesses, locks one account (not an office), reads
//! the client's address only from a trusted proxy, the form needs its CSRF token, `next=` stays
//! on the site, an idle session lives until its limit, hashing never stalls `/healthz`, and a
//! half-sent request is cut off.

use crate::support::{app_with, client, serve_app, servers, PASSWORD};
use frontdoor_app::{PasswordHasherPool, Settings, ThrottleSettings};
use frontdoor_domain::clock::{FixedClock, SystemClock};
use frontdoor_web::ConnectionLimits;
use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The sign-in form's token from a page (the browser's cookie store keeps its cookie).
pub async fn form_token(browser: &reqwest::Client, base: &str, query: &str) -> String {
    let page = browser
        .get(format!("{base}/sign-in{query}"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    hidden_field(&html, "csrf_token")
}

fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    let end = html[start..].find('"').expect("end of value") + start;
    html[start..end].to_string()
}

/// Signs in through the form, as a browser does: load the page, then post it.
async fn sign_in_through_form(
    browser: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    let token = form_token(browser, base, "").await;
    browser
        .post(format!("{base}/sign-in"))
        .form(&[
            ("username", username),
            ("password", password),
            ("next", next),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .expect("sign in")
}

#[tokio::test]
async fn forty_simultaneous_guesses_evaluate_at_most_the_limit_and_then_lock_the_account() {
    for server in servers().await {
        let limit = 5; // ThrottleSettings::default().per_username
        let since = server.app.now() - chrono::Duration::minutes(1);
        // One page load gives the token the guesses reuse (cookie and field together).
        let token = form_token(&client(), &server.base, "").await;
        let guesses = (0..40).map(|n| {
            let (url, token) = (server.url("/sign-in"), token.clone());
            async move {
                let response = reqwest::Client::new()
                    .post(url)
                    .header("cookie", format!("fd_sign_in={token}"))
                    .form(&[
                        ("username", "officer"),
                        ("password", format!("guess number {n}").as_str()),
                        ("csrf_token", token.as_str()),
                    ])
                    .send()
                    .await
                    .expect("guess");
                let status = response.status();
                (status, response.text().await.expect("text"))
            }
        });
        let answers = futures_join_all(guesses).await;
        let statuses: Vec<StatusCode> = answers.iter().map(|(s, _)| *s).collect();
        assert!(
            statuses.iter().all(|s| !s.is_server_error()),
            "{statuses:?}"
        );
        let evaluated = answers
            .iter()
            .filter(|(s, body)| {
                *s == StatusCode::UNAUTHORIZED && body.contains("Enter a correct username")
            })
            .count();
        let locked = answers
            .iter()
            .filter(|(s, body)| *s == StatusCode::TOO_MANY_REQUESTS && body.contains("locked"))
            .count();
        let failures = server
            .app
            .store
            .sign_in_failures_for("officer", since)
            .await
            .expect("count");
        eprintln!(
            "on {}: of 40 simultaneous guesses {evaluated} were evaluated, {locked} refused; {failures} failures recorded",
            server.backend()
        );
        assert_eq!(evaluated, limit);
        assert_eq!(locked, 40 - limit);
        assert_eq!(failures, limit as i64);

        // The right password is refused too now, with the time the lock ends.
        let browser = client();
        let right = sign_in_through_form(&browser, &server.base, "officer", PASSWORD, "/").await;
        assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(right.headers().contains_key("retry-after"));
        let page = right.text().await.expect("text");
        assert!(page.contains("Try again after"), "{page}");

        // The JSON API is held to the same limit (another account).
        let api_guesses = (0..40).map(|n| {
            let url = server.url("/api/session");
            async move {
                reqwest::Client::new()
                    .post(url)
                    .json(&json!({ "username": "worker", "password": format!("guess {n}") }))
                    .send()
                    .await
                    .expect("guess")
                    .status()
            }
        });
        let statuses = futures_join_all(api_guesses).await;
        assert!(statuses.iter().all(|s| !s.is_server_error()));
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::UNAUTHORIZED)
                .count(),
            limit
        );
        assert_eq!(
            server
                .app
                .store
                .sign_in_failures_for("worker", since)
                .await
                .expect("count"),
            limit as i64
        );
        assert!(server
            .app
            .verify_audit_trail()
            .await
            .expect("audit")
            .is_intact());
    }
}

#[tokio::test]
async fn another_user_at_the_same_address_signs_in_while_one_account_is_locked() {
    for server in servers().await {
        for n in 0..6 {
            let browser = client();
            let guess = sign_in_through_form(
                &browser,
                &server.base,
                "officer",
                &format!("wrong {n}"),
                "/",
            )
            .await;
            assert!(!guess.status().is_server_error());
        }
        let browser = client();
        let locked = sign_in_through_form(&browser, &server.base, "officer", PASSWORD, "/").await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
        // A colleague at the same address (every request here comes from 127.0.0.1).
        let colleague = client();
        let signed_in =
            sign_in_through_form(&colleague, &server.base, "manager", PASSWORD, "/contacts").await;
        assert_eq!(
            signed_in.status(),
            StatusCode::SEE_OTHER,
            "{}",
            server.backend()
        );
        assert_eq!(signed_in.headers()["location"], "/contacts");
    }
}

#[tokio::test]
async fn the_client_address_comes_from_x_forwarded_for_only_through_a_trusted_proxy() {
    for server in servers().await {
        let settings = Settings {
            throttle: ThrottleSettings {
                per_username: 5,
                per_client: 3,
                window_minutes: 15,
            },
            ..Settings::default()
        };
        let proxied = serve_app(
            &server,
            app_with(&server, Arc::new(SystemClock), settings.clone()),
            vec!["127.0.0.1".parse().expect("ip")],
            ConnectionLimits::default(),
        )
        .await;
        let attempt = |base: String,
                       username: &'static str,
                       password: &'static str,
                       from: &'static str| async move {
            reqwest::Client::new()
                .post(format!("{base}/api/session"))
                .header("x-forwarded-for", from)
                .json(&json!({ "username": username, "password": password }))
                .send()
                .await
                .expect("sign in")
                .status()
        };
        // Three failures from one client (against different accounts) use up its allowance...
        for username in ["officer", "worker", "manager"] {
            assert_eq!(
                attempt(proxied.clone(), username, "wrong password", "203.0.113.1").await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            attempt(proxied.clone(), "manager2", PASSWORD, "203.0.113.1").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        // ...but not the proxy's, nor anyone else's behind it; a spoofed left-most entry is
        // not believed.
        assert_eq!(
            attempt(
                proxied.clone(),
                "manager2",
                PASSWORD,
                "203.0.113.1, 203.0.113.2"
            )
            .await,
            StatusCode::CREATED
        );
        assert_eq!(
            attempt(proxied.clone(), "manager2", PASSWORD, "203.0.113.3").await,
            StatusCode::CREATED
        );

        // Without trusting the peer the header is ignored: the peer's address is the client.
        let direct = serve_app(
            &server,
            app_with(&server, Arc::new(SystemClock), settings),
            vec![],
            ConnectionLimits::default(),
        )
        .await;
        for (n, from) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
            .iter()
            .enumerate()
        {
            let username = ["officer", "worker", "manager"][n];
            assert_eq!(
                attempt(direct.clone(), username, "wrong password", from).await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            attempt(direct.clone(), "manager2", PASSWORD, "198.51.100.9").await,
            StatusCode::TOO_MANY_REQUESTS,
            "on {}",
            server.backend()
        );
    }
}

#[tokio::test]
async fn the_sign_in_form_needs_its_csrf_token() {
    for server in servers().await {
        // Posted from elsewhere: no token, or a token without its cookie.
        for fields in [
            vec![("username", "officer"), ("password", PASSWORD)],
            vec![
                ("username", "officer"),
                ("password", PASSWORD),
                (
                    "csrf_token",
                    "0000000000000000000000000000000000000000000000000000000000000000",
                ),
            ],
        ] {
            let forged = client()
                .post(server.url("/sign-in"))
                .form(&fields)
                .send()
                .await
                .expect("post");
            assert_eq!(forged.status(), StatusCode::FORBIDDEN);
            let cookies: Vec<String> = forged
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().expect("text").to_string())
                .collect();
            assert!(
                cookies.iter().all(|c| !c.starts_with("fd_session=")),
                "{cookies:?}"
            );
            assert!(forged
                .text()
                .await
                .expect("text")
                .contains("sign-in form has expired"));
        }
        // A token from one browser does not work with another browser's cookie.
        let (first, second) = (client(), client());
        let first_token = form_token(&first, &server.base, "").await;
        let _ = form_token(&second, &server.base, "").await;
        let crossed = second
            .post(server.url("/sign-in"))
            .form(&[
                ("username", "officer"),
                ("password", PASSWORD),
                ("csrf_token", first_token.as_str()),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(crossed.status(), StatusCode::FORBIDDEN);

        // The page sets the token's cookie, protected like the session's.
        let page = client()
            .get(server.url("/sign-in"))
            .send()
            .await
            .expect("page");
        let cookie = page.headers()["set-cookie"]
            .to_str()
            .expect("text")
            .to_string();
        assert!(
            cookie.starts_with("fd_sign_in=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let right = sign_in_through_form(&first, &server.base, "officer", PASSWORD, "/").await;
        assert_eq!(right.status(), StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn next_after_sign_in_goes_only_to_a_path_on_this_site() {
    for server in servers().await {
        for (next, expected) in [
            ("/contacts?x=1", "/contacts?x=1"),
            ("//evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("/contacts\nLocation: https://evil.example", "/"),
            ("/\t/evil.example", "/"),
            ("javascript:alert(1)", "/"),
        ] {
            let browser = client();
            let response =
                sign_in_through_form(&browser, &server.base, "officer", PASSWORD, next).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
            assert_eq!(response.headers()["location"], expected, "{next:?}");
        }
        // The page does not carry a foreign `next` into its form either.
        let page = client()
            .get(server.url("/sign-in?next=https%3A%2F%2Fevil.example"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert_eq!(hidden_field(&page, "next"), "/");
    }
}

#[tokio::test]
async fn an_idle_session_lives_until_the_limit_after_its_last_use() {
    for server in servers().await {
        let clock = Arc::new(FixedClock::new(server.app.now()));
        let base = serve_app(
            &server,
            app_with(&server, clock.clone(), Settings::default()),
            vec![],
            ConnectionLimits::default(),
        )
        .await;
        let browser = client();
        let signed_in = sign_in_through_form(&browser, &base, "officer", PASSWORD, "/").await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
        let queue = |browser: reqwest::Client, base: String| async move {
            browser
                .get(format!("{base}/contacts"))
                .send()
                .await
                .expect("queue")
                .status()
        };
        // Used 50 seconds in (too soon after sign-in for the expiry to be rewritten)...
        clock.advance(chrono::Duration::seconds(50));
        assert_eq!(queue(browser.clone(), base.clone()).await, StatusCode::OK);
        // ...then left for 29 minutes 50 seconds: still within the 30-minute limit.
        clock.advance(chrono::Duration::seconds(29 * 60 + 50));
        assert_eq!(
            queue(browser.clone(), base.clone()).await,
            StatusCode::OK,
            "on {}",
            server.backend()
        );
        // Used just before the limit, it slides again; idle past the limit, it ends.
        clock.advance(chrono::Duration::minutes(29));
        assert_eq!(queue(browser.clone(), base.clone()).await, StatusCode::OK);
        clock.advance(chrono::Duration::minutes(32));
        assert_eq!(
            queue(browser.clone(), base.clone()).await,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn healthz_answers_during_120_simultaneous_sign_ins() {
    for server in servers().await {
        // Limits out of the way (this is about load, not guessing), and a patient hashing
        // pool: no sign-in should be refused as busy on a slow, shared machine.
        let settings = Settings {
            throttle: ThrottleSettings {
                per_username: 1000,
                per_client: 1000,
                window_minutes: 15,
            },
            ..Settings::default()
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let app = app_with(&server, Arc::new(SystemClock), settings)
            .with_password_pool(PasswordHasherPool::new(cores, Duration::from_secs(300)));
        let base = serve_app(&server, app, vec![], ConnectionLimits::default()).await;
        let users = [
            "officer", "worker", "worker2", "manager", "manager2", "partner", "admin",
        ];
        let sign_ins = tokio::spawn({
            let base = base.clone();
            async move {
                let requests = (0..120).map(|n| {
                    let url = format!("{base}/api/session");
                    async move {
                        reqwest::Client::new()
                            .post(url)
                            .json(&json!({ "username": users[n % users.len()], "password": PASSWORD }))
                            .send()
                            .await
                            .expect("sign in")
                            .status()
                    }
                });
                futures_join_all(requests).await
            }
        });
        let health = client();
        let mut latencies = Vec::new();
        while !sign_ins.is_finished() {
            let started = Instant::now();
            let status = health
                .get(format!("{base}/healthz"))
                .send()
                .await
                .expect("healthz")
                .status();
            latencies.push(started.elapsed());
            assert_eq!(status, StatusCode::OK);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let statuses = sign_ins.await.expect("sign-ins");
        assert!(
            statuses.iter().all(|s| *s == StatusCode::CREATED),
            "{statuses:?}"
        );
        assert!(!latencies.is_empty());
        latencies.sort();
        eprintln!(
            "on {}: /healthz during 120 sign-ins: {} probes, p50 {:?}, max {:?} (figures: cargo bench -p frontdoor-cli --bench sign_in)",
            server.backend(),
            latencies.len(),
            latencies[latencies.len() / 2],
            latencies[latencies.len() - 1]
        );
    }
}

#[tokio::test]
async fn a_half_sent_request_is_cut_off_after_the_header_timeout() {
    for server in servers().await {
        let limits = ConnectionLimits {
            header_read_timeout: Duration::from_secs(1),
            max_connections: 64,
        };
        let base = serve_app(
            &server,
            app_with(&server, Arc::new(SystemClock), Settings::default()),
            vec![],
            limits,
        )
        .await;
        let address = base.trim_start_matches("http://").to_string();
        let mut stream = tokio::net::TcpStream::connect(&address)
            .await
            .expect("connect");
        stream.write_all(b"GET /healthz HT").await.expect("write");
        // The server closes it (perhaps after a 408): reading reaches the end. Without the
        // timeout this read would wait for ever; the bound here only stops a broken test.
        let mut received = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut received)).await;
        assert!(
            matches!(read, Ok(Ok(_)) | Ok(Err(_))),
            "the connection was still open after 30 seconds"
        );
        assert!(
            received.is_empty() || received.starts_with(b"HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&received)
        );
        // Whole requests are still served.
        let healthz = client()
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz");
        assert_eq!(healthz.status(), StatusCode::OK);
    }
}

/// Runs futures at once and collects their outputs in order (no extra crate for join_all).
async fn futures_join_all<F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    for handle in handles {
        outputs.push(handle.await.expect("task"));
    }
    outputs
}
