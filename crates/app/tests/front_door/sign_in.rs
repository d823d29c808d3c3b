//! Signing in: throttled after failures; a session only against the hash that was checked.

use super::*;

#[tokio::test]
async fn sign_in_is_throttled_after_repeated_failures() {
    each_backend(|w| async move {
        assert!(w.app.sign_in("officer", PASSWORD, "10.0.0.1").await.is_ok());
        for _ in 0..5 {
            assert!(matches!(
                w.app
                    .sign_in("officer", "wrong password!", "10.0.0.1")
                    .await,
                Err(AppError::SignIn(_))
            ));
        }
        let Err(AppError::TooManySignIns { message, .. }) =
            w.app.sign_in("officer", PASSWORD, "10.0.0.1").await
        else {
            panic!("expected throttling")
        };
        assert!(message.contains("locked"), "{message}");
        // Only that account: another from the same address signs in.
        assert!(w.app.sign_in("manager", PASSWORD, "10.0.0.1").await.is_ok());
        // Fifteen minutes later the right password works again.
        w.clock.advance(chrono::Duration::minutes(16));
        let session = w
            .app
            .sign_in("officer", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        assert!(support::has_session(&w.app, &session.token).await);
        w.app.sign_out(&session.token).await.expect("sign out");
        assert!(!support::has_session(&w.app, &session.token).await);
        // Sessions expire when idle.
        let session = w
            .app
            .sign_in("officer", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        w.clock.advance(chrono::Duration::minutes(32));
        assert!(!support::has_session(&w.app, &session.token).await);
    })
    .await;
}

#[tokio::test]
async fn a_session_starts_only_against_the_password_hash_that_was_checked() {
    each_backend(|w| async move {
        use frontdoor_store::sessions::SessionRecord;
        let officer = w
            .app
            .store
            .worker_by_username("officer")
            .await
            .expect("query")
            .expect("officer");
        let now = w.app.now();
        let session = |n: u8| {
            (
                format!("token-hash-{n}"),
                SessionRecord {
                    worker: officer.id,
                    authority: officer.authority,
                    csrf_token: "csrf".into(),
                    expires_at: now + chrono::Duration::minutes(30),
                    last_seen_at: now,
                },
            )
        };
        // A password reset landed after the old password was checked: no session.
        let (hash, record) = session(1);
        let stale = "$argon2id$v=19$m=19456,t=2,p=1$c3RhbGVzYWx0$c3RhbGVoYXNo";
        assert!(!w
            .app
            .store
            .insert_session(&hash, &record, stale, now)
            .await
            .expect("insert"));
        assert!(w.app.store.session(&hash).await.expect("read").is_none());
        // The hash that was checked is still the worker's: the session starts.
        let (hash, record) = session(2);
        assert!(w
            .app
            .store
            .insert_session(&hash, &record, &officer.password_hash, now)
            .await
            .expect("insert"));
        assert!(w.app.store.session(&hash).await.expect("read").is_some());
    })
    .await;
}
