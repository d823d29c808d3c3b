//! Search recall: each duplicate's details searched for, the true record at 1 and in the top 5.

use super::diagnose::top;
use super::stores::fresh_app;
use super::{csv_of, BenchResult, Sizes, TempDir, DUPLICATE_RATE};
use frontdoor_app::{App, PersonQuery};
use frontdoor_domain::authorization::Actor;
use frontdoor_synthetic::{duplicate_test_set, LabelledRecord, PersonRecord};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

pub(super) fn query_of(record: &PersonRecord) -> PersonQuery {
    PersonQuery {
        given_name: record.given_name.clone(),
        family_name: record.family_name.clone(),
        date_of_birth: record
            .date_of_birth
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        sex: record.sex.map(|s| s.code().to_string()).unwrap_or_default(),
        postcode: record
            .postcode
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        nhs_number: record.nhs_number.clone().unwrap_or_default(),
        la_person_id: String::new(),
        upn: String::new(),
    }
}

#[derive(Default)]
pub(super) struct Recall {
    queries: usize,
    first: usize,
    top_five: usize,
    errors: usize,
    pub(super) misses: BTreeMap<String, usize>,
}

impl Recall {
    pub(super) fn describe(&self) -> String {
        let q = self.queries.max(1) as f64;
        format!(
            "recall@1 {:.4}, recall@5 {:.4} over {} searches ({} refused)",
            self.first as f64 / q,
            self.top_five as f64 / q,
            self.queries,
            self.errors
        )
    }
}

/// Searches with each duplicate's details; the true record is the original with the
/// person's LA id.
pub(super) async fn search_recall(
    app: &App,
    actor: &Actor,
    queries: &[&LabelledRecord],
    original_la_id: &HashMap<u32, String>,
    latencies: Option<&mut Vec<Duration>>,
) -> Recall {
    let mut recall = Recall::default();
    let mut times = Vec::new();
    for labelled in queries {
        let Some(expected) = original_la_id.get(&labelled.truth.0) else {
            continue;
        };
        recall.queries += 1;
        let started = Instant::now();
        let result = app.search_people(actor, &query_of(&labelled.record)).await;
        times.push(started.elapsed());
        match result {
            Ok(found) => {
                let rank = found
                    .results
                    .iter()
                    .position(|r| r.person.la_person_id == *expected);
                match rank {
                    Some(0) => {
                        recall.first += 1;
                        recall.top_five += 1;
                    }
                    Some(r) if r < 5 => recall.top_five += 1,
                    _ => {
                        let mut kinds: Vec<&str> =
                            labelled.errors.iter().map(|e| e.code()).collect();
                        kinds.sort_unstable();
                        *recall.misses.entry(kinds.join("+")).or_default() += 1;
                    }
                }
            }
            Err(_) => recall.errors += 1,
        }
    }
    if let Some(latencies) = latencies {
        latencies.extend(times);
    }
    recall
}

pub(super) async fn search_accuracy(sizes: &Sizes) -> BenchResult<()> {
    let started = Instant::now();
    let (records, _truth) =
        duplicate_test_set(sizes.report_seed, sizes.accuracy_people, DUPLICATE_RATE);
    let originals: Vec<LabelledRecord> = records.iter().filter(|r| r.original).cloned().collect();
    let original_la_id: HashMap<u32, String> = originals
        .iter()
        .map(|r| (r.truth.0, r.record.la_person_id.clone()))
        .collect();
    let duplicates: Vec<&LabelledRecord> = records.iter().filter(|r| !r.original).collect();
    let dir = TempDir::new("accuracy")?;
    let (app, authority, actor) = fresh_app(&dir.0.join("frontdoor.db")).await?;
    let import = app
        .import_people_csv(None, authority, csv_of(&originals)?.as_slice())
        .await?;
    let recall = search_recall(&app, &actor, &duplicates, &original_la_id, None).await;
    println!(
        "  search, REPORTING seed {}: {} people imported in {:.1} s ({:.0} a second, each with an event); {}; {:.1} s",
        sizes.report_seed,
        import.people,
        import.elapsed.as_secs_f64(),
        import.people as f64 / import.elapsed.as_secs_f64().max(1e-9),
        recall.describe(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "    not in the top five, by error: {}",
        top(recall.misses.clone().into_iter().collect(), 8)
    );
    app.store.close().await;
    Ok(())
}
