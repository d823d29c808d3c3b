//! The store's conformance suite: every test runs on SQLite and, when FRONTDOOR_TEST_POSTGRES is
//! set, on PostgreSQL too.

use chrono::{TimeZone, Utc};
use frontdoor_domain::audit::ChainBreak;
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_store::events::NewEvent;
use frontdoor_store::organisation::{insert_authority, Authority};
use frontdoor_store::testing::{all_backends, execute_directly, TestDatabase};
use frontdoor_store::{Store, StoreError};
use serde_json::json;

async fn authority(store: &Store, code: &str) -> AuthorityId {
    let authority = Authority {
        id: AuthorityId::new(),
        code: code.into(),
        name: format!("{code} council"),
        threshold_framework: Default::default(),
        threshold_framework_version: 1,
        local_closure_days: vec![chrono::NaiveDate::from_ymd_opt(2026, 12, 24).expect("date")],
    };
    let mut tx = store.begin().await.expect("begin");
    insert_authority(&mut tx, &authority, Utc::now())
        .await
        .expect("insert authority");
    tx.commit().await.expect("commit");
    authority.id
}

async fn append(store: &Store, authority: AuthorityId, n: i64, people: Vec<PersonId>) {
    let mut tx = store.begin().await.expect("begin");
    NewEvent::new(
        authority,
        Utc.timestamp_opt(1_700_000_000 + n, 123_456_789)
            .single()
            .expect("instant"),
        "test_event",
        uuid::Uuid::now_v7(),
    )
    .about_all(people)
    .with(json!({ "n": n, "text": "ünïcödé ✓" }))
    .append(&mut tx)
    .await
    .expect("append");
    tx.commit().await.expect("commit");
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(TestDatabase) -> Fut,
    Fut: std::future::Future<Output = TestDatabase>,
{
    for database in all_backends().await.expect("test databases") {
        let backend = database.backend();
        eprintln!("-- on {backend}");
        let database = test(database).await;
        database.remove().await;
    }
}

#[tokio::test]
async fn migrating_twice_is_harmless_and_a_newer_schema_is_refused() {
    each_backend(|db| async move {
        db.store.migrate().await.expect("second migrate");
        db.store.check_schema().await.expect("schema current");
        let known = db.store.known_schema_version();
        let checksum = if db.backend() == "postgres" { "'\\x00'::bytea" } else { "X'00'" };
        execute_directly(&db.store, &format!(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES ({}, 'from the future', CURRENT_TIMESTAMP, TRUE, {checksum}, 0)",
            known + 1000
        )).await.expect("fake a newer migration");
        match db.store.migrate().await {
            Err(StoreError::SchemaTooNew { found, known: k }) => {
                assert_eq!(found, known + 1000);
                assert_eq!(k, known);
            }
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
        assert!(matches!(db.store.check_schema().await, Err(StoreError::SchemaTooNew { .. })));
        db
    })
    .await;
}

#[tokio::test]
async fn the_event_chain_verifies_and_names_the_first_tampered_entry() {
    each_backend(|db| async move {
        let a = authority(&db.store, "alpha").await;
        for n in 0..5 {
            append(&db.store, a, n, vec![]).await;
        }
        let report = db.store.verify_events().await.expect("verify");
        assert_eq!(report.verified, 5);
        assert_eq!(report.first_break, None);

        // Alter entry 3's payload directly in the database.
        execute_directly(
            &db.store,
            "UPDATE events SET payload = '{\"n\":99}' WHERE sequence = 3",
        )
        .await
        .expect("tamper");
        let report = db.store.verify_events().await.expect("verify");
        assert_eq!(
            report.first_break,
            Some(ChainBreak::Altered { sequence: 3 })
        );
        assert_eq!(report.verified, 2);
        db
    })
    .await;
}

#[tokio::test]
async fn removing_an_event_is_detected() {
    each_backend(|db| async move {
        let a = authority(&db.store, "alpha").await;
        for n in 0..4 {
            append(&db.store, a, n, vec![]).await;
        }
        execute_directly(&db.store, "DELETE FROM events WHERE sequence = 2")
            .await
            .expect("remove");
        let report = db.store.verify_events().await.expect("verify");
        assert_eq!(
            report.first_break,
            Some(ChainBreak::Missing {
                expected_sequence: 2,
                found_sequence: 3
            })
        );
        db
    })
    .await;
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    each_backend(|db| async move {
        let a = authority(&db.store, "alpha").await;
        let mut tasks = Vec::new();
        for n in 0..40 {
            let store = db.store.clone();
            tasks.push(tokio::spawn(
                async move { append(&store, a, n, vec![]).await },
            ));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let report = db.store.verify_events().await.expect("verify");
        assert_eq!(report.verified, 40);
        assert_eq!(report.first_break, None);
        db
    })
    .await;
}

#[tokio::test]
async fn the_access_log_is_chained_and_tamper_evident() {
    each_backend(|db| async move {
        let a = authority(&db.store, "alpha").await;
        let worker = frontdoor_domain::ids::WorkerId::new();
        let person = PersonId::new();
        for _ in 0..3 {
            db.store
                .log_access(a, worker, person, "record", Utc::now())
                .await
                .expect("log");
        }
        assert_eq!(
            db.store
                .verify_access_log()
                .await
                .expect("verify")
                .first_break,
            None
        );
        assert_eq!(
            db.store
                .accesses_of(a, person, 10)
                .await
                .expect("read")
                .len(),
            3
        );
        execute_directly(
            &db.store,
            "UPDATE access_log SET purpose = 'nothing to see' WHERE sequence = 1",
        )
        .await
        .expect("tamper");
        assert_eq!(
            db.store
                .verify_access_log()
                .await
                .expect("verify")
                .first_break,
            Some(ChainBreak::Altered { sequence: 1 })
        );
        db
    })
    .await;
}

#[tokio::test]
async fn a_chronology_never_crosses_authorities() {
    each_backend(|db| async move {
        let a = authority(&db.store, "alpha").await;
        let b = authority(&db.store, "beta").await;
        let person = PersonId::new();
        append(&db.store, a, 1, vec![person]).await;
        append(&db.store, b, 2, vec![person]).await;
        let seen_by_a = db.store.chronology(a, person).await.expect("chronology");
        assert_eq!(seen_by_a.len(), 1);
        assert_eq!(seen_by_a[0].payload["n"], 1);
        assert_eq!(seen_by_a[0].payload["text"], "ünïcödé ✓");
        // Instants come back exactly as stored (truncated to microseconds) on both backends.
        assert_eq!(
            seen_by_a[0].recorded_at,
            Utc.timestamp_opt(1_700_000_001, 123_456_000)
                .single()
                .expect("instant")
        );
        let auth = db.store.authority(a).await.expect("authority");
        assert_eq!(auth.local_closure_days.len(), 1);
        db
    })
    .await;
}

/// The migrations are written once per database (decision 0001): both must describe the same
/// tables, columns, required columns and indexes.
#[tokio::test]
async fn both_databases_have_the_same_tables_columns_and_indexes() {
    let sqlite = frontdoor_store::testing::sqlite().await.expect("sqlite");
    let outline = frontdoor_store::testing::schema_outline(&sqlite.store)
        .await
        .expect("outline");
    assert!(
        outline
            .iter()
            .any(|l| l == "strategy_discussions.decided_at NOT NULL"),
        "{outline:?}"
    );
    assert!(outline
        .iter()
        .any(|l| l == "index strategy_discussions_to_hold ON strategy_discussions"));
    sqlite.remove().await;
    let Some(postgres) = frontdoor_store::testing::postgres()
        .await
        .expect("postgres")
    else {
        return;
    };
    let other = frontdoor_store::testing::schema_outline(&postgres.store)
        .await
        .expect("outline");
    postgres.remove().await;
    let only_sqlite: Vec<&String> = outline.iter().filter(|l| !other.contains(l)).collect();
    let only_postgres: Vec<&String> = other.iter().filter(|l| !outline.contains(l)).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}
