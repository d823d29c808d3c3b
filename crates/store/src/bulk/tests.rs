//! The batched writes against the one-row functions, on every backend.
use super::*;
use crate::organisation::{insert_authority, Authority};
use crate::testing::all_backends;
use frontdoor_domain::person::{EthnicityCode, Sex};

fn person(authority: AuthorityId, la: &str, family: &str) -> Person {
    Person {
        id: PersonId::new(),
        authority,
        la_person_id: la.into(),
        given_name: "Ann".into(),
        family_name: family.into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(2014, 3, 12),
        birth_date_expected: false,
        sex: Sex::Female,
        ethnicity: EthnicityCode::NOT_OBTAINED,
        nhs_number: None,
        upn: None,
        disabilities: "NONE".into(),
        postcode: None,
        merged_into: None,
    }
}

#[tokio::test]
async fn bulk_writes_are_read_back_on_every_backend() {
    for db in all_backends().await.expect("databases") {
        let store = &db.store;
        let authority = AuthorityId::new();
        let mut tx = store.begin().await.expect("begin");
        insert_authority(
            &mut tx,
            &Authority {
                id: authority,
                code: "bulkshire".into(),
                name: "Bulkshire".into(),
                threshold_framework: Default::default(),
                threshold_framework_version: 1,
                local_closure_days: vec![],
            },
            Utc::now(),
        )
        .await
        .expect("authority");
        tx.commit().await.expect("commit");

        // More rows than one statement holds, so the chunking is exercised.
        let people: Vec<Person> = (0..2_500)
            .map(|i| person(authority, &format!("B{i}"), &format!("Family{}", i % 7)))
            .collect();
        let names: Vec<(PersonId, PreviousName)> = people
            .iter()
            .take(3)
            .map(|p| {
                (
                    p.id,
                    PreviousName {
                        given_name: "Ann".into(),
                        family_name: "Walker".into(),
                        kind: "previous".into(),
                    },
                )
            })
            .collect();
        let mut keys: Vec<(String, PersonId)> = people
            .iter()
            .map(|p| (format!("fy:{}", p.family_name), p.id))
            .collect();
        keys.push(keys[0].clone()); // a repeated key is skipped
        keys.sort();
        let mut tx = store.begin().await.expect("begin");
        enlarge_page_cache(&mut tx, 16).await.expect("cache");
        let at = Utc::now();
        assert_eq!(
            insert_people(&mut tx, &people, at).await.expect("people"),
            2_500
        );
        assert_eq!(
            insert_previous_names(&mut tx, authority, &names, at)
                .await
                .expect("names"),
            3
        );
        assert_eq!(
            insert_blocking_keys(&mut tx, authority, &keys)
                .await
                .expect("keys"),
            2_500
        );
        raise_counter(&mut tx, authority, "person", 40)
            .await
            .expect("raise");
        raise_counter(&mut tx, authority, "person", 20)
            .await
            .expect("never lowers");
        assert_eq!(
            crate::people::next_counter(&mut tx, authority, "person")
                .await
                .expect("next"),
            41
        );
        tx.commit().await.expect("commit");

        assert_eq!(store.person_count(authority).await.expect("count"), 2_500);
        let sharing = store
            .search_candidates(authority, &["fy:Family3".to_string()], 1_000)
            .await
            .expect("search");
        assert_eq!(sharing.len(), 357, "{}", db.backend());
        let previous = store
            .previous_names_of(authority, &[people[0].id])
            .await
            .expect("names");
        assert_eq!(previous[&people[0].id][0].family_name, "Walker");
        let used = store
            .existing_la_person_ids(authority, &["B7".to_string(), "X1".to_string()])
            .await
            .expect("ids");
        assert_eq!(used, ["B7"]);
        db.remove().await;
    }
}

/// Every column but generated row ids, people named by their LA person id, in order.
async fn written_rows(store: &Store, authority: AuthorityId) -> Vec<String> {
    let queries = [
        "SELECT p.la_person_id, p.given_name, p.family_name, p.birth_date, p.birth_date_expected, p.sex, p.ethnicity, p.nhs_number, p.upn, p.disabilities, p.postcode, p.merged_into, p.created_at, p.updated_at FROM people p WHERE p.authority_id = $1 ORDER BY 1",
        "SELECT p.la_person_id, n.given_name, n.family_name, n.kind, n.recorded_at FROM person_names n JOIN people p ON p.id = n.person_id WHERE n.authority_id = $1 ORDER BY 1, 2, 3",
        "SELECT p.la_person_id, a.line1, a.line2, a.town, a.postcode, a.from_date, a.to_date, a.recorded_at FROM addresses a JOIN people p ON p.id = a.person_id WHERE a.authority_id = $1 ORDER BY 1",
        "SELECT p.la_person_id, k.blocking_key FROM person_blocking_keys k JOIN people p ON p.id = k.person_id WHERE k.authority_id = $1 ORDER BY 1, 2",
        "SELECT p.la_person_id, q.la_person_id, r.relationship, r.recorded_at FROM relationships r JOIN people p ON p.id = r.person_id JOIN people q ON q.id = r.related_person_id WHERE r.authority_id = $1 ORDER BY 1, 2, 3",
        "SELECT s.position, s.is_child, s.given_name, s.family_name, s.birth_date, s.sex, s.address, s.postcode, s.nhs_number, p.la_person_id, s.linked_at, s.linked_by FROM contact_subjects s JOIN people p ON p.id = s.person_id WHERE s.authority_id = $1 ORDER BY 1",
        "SELECT e.kind, e.recorded_at, e.actor_id, e.payload, (SELECT COUNT(*) FROM event_people x WHERE x.event_sequence = e.sequence) AS people FROM events e WHERE e.authority_id = $1 ORDER BY e.sequence",
    ];
    let mut rows = Vec::new();
    for sql in queries {
        on_pool!(store, pool => {
            for row in sqlx::query(sql).bind(authority.0).fetch_all(pool).await.expect(sql) {
                let mut text = Vec::new();
                for i in 0..row.len() {
                    let value = row
                        .try_get::<Option<String>, _>(i)
                        .map(|v| v.unwrap_or_default())
                        .or_else(|_| row.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                        // PostgreSQL's INTEGER (a subject's position) is not an i64.
                        .or_else(|_| row.try_get::<Option<i32>, _>(i).map(|v| format!("{v:?}")))
                        .or_else(|_| row.try_get::<Option<bool>, _>(i).map(|v| format!("{v:?}")))
                        .or_else(|_| row.try_get::<Option<Uuid>, _>(i).map(|v| format!("{v:?}")))
                        .or_else(|_| row.try_get::<Option<DateTime<Utc>>, _>(i).map(|v| format!("{v:?}")))
                        .or_else(|_| row.try_get::<Option<chrono::NaiveDate>, _>(i).map(|v| format!("{v:?}")))
                        .unwrap_or_else(|e| format!("unreadable: {e}"));
                    text.push(value);
                }
                rows.push(format!("{sql:.40}| {}", text.join(" | ")));
            }
        });
    }
    rows
}

#[tokio::test]
async fn a_row_batch_writes_what_the_row_by_row_functions_write_on_every_backend() {
    use crate::contacts::{insert_contact, insert_subject, Contact, Referrer};
    use crate::people::{
        insert_address, insert_person, insert_previous_name, insert_relationship,
        replace_blocking_keys,
    };
    use frontdoor_domain::contact::{
        ContactChannel, ContactStatus, FamilyConsent, ReferralSource, Urgency,
    };
    use frontdoor_domain::ids::ContactId;
    for db in all_backends().await.expect("databases") {
        let store = &db.store;
        let at = crate::to_stored_instant(Utc::now());
        let mut authorities = Vec::new();
        for (code, batched) in [("onebyone", false), ("batched", true)] {
            let authority = AuthorityId::new();
            let mut tx = store.begin().await.expect("begin");
            insert_authority(
                &mut tx,
                &Authority {
                    id: authority,
                    code: code.into(),
                    name: code.into(),
                    threshold_framework: Default::default(),
                    threshold_framework_version: 1,
                    local_closure_days: vec![],
                },
                at,
            )
            .await
            .expect("authority");
            let contact = Contact {
                id: ContactId::new(),
                authority,
                reference: "C-1".into(),
                received_at: at,
                recorded_at: at,
                recorded_by: None,
                channel: ContactChannel::Phone,
                source: ReferralSource::Police,
                referrer: Referrer::default(),
                made_by_organisation: None,
                concern_categories: vec![],
                concern_summary: "A concern".into(),
                urgency: Urgency::Standard,
                out_of_hours: false,
                family_consent: FamilyConsent::Given,
                consent_notes: String::new(),
                team: None,
                status: ContactStatus::AwaitingTriage,
                decision_due_at: at,
                decided_at: None,
            };
            insert_contact(&mut tx, &contact).await.expect("contact");
            let mut rows = if batched {
                Some(RowBatch::start(&mut tx, authority).await.expect("batch"))
            } else {
                None
            };
            let mut people = Vec::new();
            for i in 0..3 {
                let mut p = person(authority, &format!("P{i}"), "Walker");
                p.nhs_number = None;
                p.postcode = None;
                let name = PreviousName {
                    given_name: "Ann".into(),
                    family_name: format!("Before{i}"),
                    kind: "previous".into(),
                };
                let address = Address {
                    line1: format!("{i} High Street"),
                    line2: String::new(),
                    town: "Testham".into(),
                    postcode: Some("TE1 1ST".into()),
                    from_date: None,
                    to_date: None,
                };
                let keys = vec![format!("fy:Walker"), format!("id:P{i}")];
                let subject = ContactSubject {
                    id: Uuid::now_v7(),
                    contact: contact.id,
                    position: i,
                    is_child: i > 0,
                    given_name: "Ann".into(),
                    family_name: "Walker".into(),
                    birth_date: p.birth_date,
                    sex: p.sex,
                    address: "1 High Street".into(),
                    postcode: None,
                    nhs_number: None,
                    person: Some(p.id),
                    linked_at: Some(at),
                    linked_by: None,
                };
                let event = NewEvent::new(authority, at, "person_created", p.id.0)
                    .about(p.id)
                    .about(p.id)
                    .with(serde_json::json!({ "la_person_id": p.la_person_id }));
                match rows.as_mut() {
                    Some(rows) => {
                        rows.person(p.clone(), at);
                        rows.previous_name(p.id, name, at);
                        rows.address(p.id, address, at);
                        rows.blocking_keys(p.id, &keys);
                        rows.contact_subject(subject);
                        rows.event(event);
                    }
                    None => {
                        insert_person(&mut tx, &p, at).await.expect("person");
                        insert_previous_name(&mut tx, authority, p.id, &name, at)
                            .await
                            .expect("name");
                        insert_address(&mut tx, authority, p.id, &address, at)
                            .await
                            .expect("address");
                        replace_blocking_keys(&mut tx, authority, p.id, &keys)
                            .await
                            .expect("keys");
                        insert_subject(&mut tx, authority, &subject)
                            .await
                            .expect("subject");
                        crate::events::append(&mut tx, event).await.expect("event");
                    }
                }
                people.push(p.id);
            }
            for pair in people.windows(2) {
                match rows.as_mut() {
                    Some(rows) => {
                        rows.relationship(pair[0], Relationship::SiblingOf, pair[1], at);
                        // The same relationship twice is stored once.
                        rows.relationship(pair[0], Relationship::SiblingOf, pair[1], at);
                    }
                    None => {
                        insert_relationship(
                            &mut tx,
                            authority,
                            pair[0],
                            Relationship::SiblingOf,
                            pair[1],
                            at,
                        )
                        .await
                        .expect("relationship");
                    }
                }
            }
            if let Some(rows) = rows.as_mut() {
                assert!(rows.holds_any(&people[..1]));
                assert!(rows.pending_rows() > 0);
                rows.flush(&mut tx).await.expect("flush");
                assert!(!rows.holds_any(&people));
            }
            tx.commit().await.expect("commit");
            authorities.push(authority);
        }
        let one_by_one = written_rows(store, authorities[0]).await;
        let batched = written_rows(store, authorities[1]).await;
        assert_eq!(
            one_by_one.len(),
            3 + 3 + 3 + 6 + 2 + 3 + 3,
            "{}",
            db.backend()
        );
        assert_eq!(one_by_one, batched, "{}", db.backend());
        assert!(
            !one_by_one.iter().any(|row| row.contains("unreadable")),
            "{one_by_one:#?}"
        );
        let audit = store.verify_events().await.expect("verify");
        assert!(audit.first_break.is_none(), "{audit:?}");
        assert_eq!(audit.verified, 6);
        db.remove().await;
    }
}

#[tokio::test]
async fn a_counter_block_hands_out_the_numbers_one_by_one_would() {
    for db in all_backends().await.expect("databases") {
        let store = &db.store;
        let authority = AuthorityId::new();
        let mut tx = store.begin().await.expect("begin");
        insert_authority(
            &mut tx,
            &Authority {
                id: authority,
                code: "counted".into(),
                name: "Counted".into(),
                threshold_framework: Default::default(),
                threshold_framework_version: 1,
                local_closure_days: vec![],
            },
            Utc::now(),
        )
        .await
        .expect("authority");
        // A counter not used before starts at 1; one used before carries on.
        assert_eq!(
            reserve_counter_block(&mut tx, authority, "person", 5)
                .await
                .expect("block"),
            1
        );
        assert_eq!(
            crate::people::next_counter(&mut tx, authority, "person")
                .await
                .expect("next"),
            6
        );
        assert_eq!(
            reserve_counter_block(&mut tx, authority, "person", 3)
                .await
                .expect("block"),
            7
        );
        assert_eq!(
            crate::people::next_counter(&mut tx, authority, "person")
                .await
                .expect("next"),
            10
        );
        tx.commit().await.expect("commit");
        db.remove().await;
    }
}

#[test]
fn values_lists_number_every_parameter() {
    assert_eq!(
        values_list(2, 3, Placeholders::Numbered),
        "($1, $2, $3), ($4, $5, $6)"
    );
    assert_eq!(values_list(1, 1, Placeholders::Numbered), "($1)");
    assert_eq!(
        values_list(2, 2, Placeholders::Positional),
        "(?, ?), (?, ?)"
    );
}
