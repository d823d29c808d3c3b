//! SQLite stores for the search parts: a fresh or reused app, and bulk loading people.

use super::BenchResult;
use frontdoor_app::{search_keys_of, App, NewAuthority, NewWorker, Settings};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::SystemClock;
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_domain::person::{EthnicityCode, NhsNumber};
use frontdoor_store::bulk;
use frontdoor_store::people::{Person, PreviousName};
use frontdoor_store::{DatabaseUrl, Store};
use frontdoor_synthetic::{LabelledRecord, PersonRecord};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(super) async fn fresh_app(file: &Path) -> BenchResult<(App, AuthorityId, Actor)> {
    let url = format!("sqlite://{}", file.display());
    let store = Store::connect(&DatabaseUrl::parse(&url)?).await?;
    store.migrate().await?;
    let app = App::new(store, Arc::new(SystemClock), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "benchshire".into(),
            name: "Benchshire County Council".into(),
            front_door_teams: vec!["MASH".into()],
            other_teams: vec![],
            partners: vec![],
        })
        .await?;
    // A MASH social worker needs a team.
    let team = app.store.teams(authority).await?.first().map(|t| t.id);
    let worker = app
        .add_worker_as_operator(&NewWorker {
            authority,
            username: "searcher".into(),
            display_name: "Bench searcher".into(),
            role: Role::MashSocialWorker,
            team,
            organisation: None,
            asye: false,
            password: "benchmark password".into(),
        })
        .await?;
    Ok((app, authority, worker.actor()))
}

/// A database an earlier run loaded (`FRONTDOOR_BENCH_SEARCH_DB`), with its searcher.
pub(super) async fn reuse_app(path: &str, people: usize) -> BenchResult<(App, AuthorityId, Actor)> {
    let store = Store::connect(&DatabaseUrl::parse(&format!("sqlite://{path}"))?).await?;
    store.check_schema().await?;
    let authority = store
        .authority_by_code("benchshire")
        .await?
        .ok_or("the database has no benchshire authority: remove it and load again")?;
    let stored = store.person_count(authority).await?;
    if stored != people as i64 {
        return Err(format!(
            "the database holds {stored} people, not {people}: remove it and load again"
        )
        .into());
    }
    let actor = store
        .workers(authority)
        .await?
        .into_iter()
        .find(|w| w.username == "searcher")
        .ok_or("the database has no searcher: remove it and load again")?
        .actor();
    let app = App::new(store, Arc::new(SystemClock), Settings::default());
    Ok((app, authority, actor))
}

fn stored_person(record: &PersonRecord, authority: AuthorityId) -> Person {
    Person {
        id: PersonId::new(),
        authority,
        la_person_id: record.la_person_id.clone(),
        given_name: record.given_name.trim().to_string(),
        family_name: record.family_name.trim().to_string(),
        birth_date: record.date_of_birth,
        birth_date_expected: false,
        sex: record
            .sex
            .unwrap_or(frontdoor_domain::person::Sex::NotKnown),
        ethnicity: EthnicityCode::NOT_OBTAINED,
        nhs_number: record
            .nhs_number
            .as_deref()
            .and_then(|n| NhsNumber::parse(n).ok()),
        upn: record.upn.clone(),
        disabilities: "NONE".into(),
        postcode: record.postcode.clone(),
        merged_into: None,
    }
}

pub(super) async fn bulk_load(
    app: &App,
    authority: AuthorityId,
    originals: &[&LabelledRecord],
) -> BenchResult<(Duration, u64)> {
    let started = Instant::now();
    let at = app.now();
    let mut keys: Vec<(String, PersonId)> = Vec::with_capacity(originals.len() * 8);
    let mut rows = 0u64;
    for chunk in originals.chunks(50_000) {
        let mut people = Vec::with_capacity(chunk.len());
        let mut names = Vec::new();
        for labelled in chunk {
            let person = stored_person(&labelled.record, authority);
            let previous = PreviousName::family_names(
                &person.given_name,
                &labelled.record.previous_family_names,
            );
            for key in search_keys_of(&person, &previous) {
                keys.push((key, person.id));
            }
            names.extend(previous.into_iter().map(|n| (person.id, n)));
            people.push(person);
        }
        let mut tx = app.store.begin().await?;
        bulk::enlarge_page_cache(&mut tx, 256).await?;
        rows += bulk::insert_people(&mut tx, &people, at).await?;
        rows += bulk::insert_previous_names(&mut tx, authority, &names, at).await?;
        tx.commit().await?;
    }
    let people_done = started.elapsed();
    keys.sort_unstable();
    for chunk in keys.chunks(500_000) {
        let mut tx = app.store.begin().await?;
        bulk::enlarge_page_cache(&mut tx, 256).await?;
        rows += bulk::insert_blocking_keys(&mut tx, authority, chunk).await?;
        tx.commit().await?;
    }
    println!(
        "  bulk load: {} people in {:.1} s, then {} search keys in {:.1} s",
        originals.len(),
        people_done.as_secs_f64(),
        keys.len(),
        (started.elapsed() - people_done).as_secs_f64()
    );
    Ok((started.elapsed(), rows))
}
