//! Diagnostics (`FRONTDOOR_BENCH_PROFILE=1`): each step of a search timed, and true-record ranks.

use super::{env_number, BenchResult};
use frontdoor_app::App;
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_domain::matching::{blocking_keys, compare, MatchModel, MatchRecord, PersonDetails};
use frontdoor_synthetic::{LabelledRecord, PersonRecord};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A duplicate's details as search gets them (no previous names, no identifiers but the NHS
/// number).
fn query_details(record: &PersonRecord) -> PersonDetails {
    PersonDetails {
        given_names: record.given_name.clone(),
        family_name: record.family_name.clone(),
        previous_family_names: vec![],
        date_of_birth: record.date_of_birth,
        sex: record.sex,
        postcode: record.postcode.as_ref().map(|p| p.to_string()),
        nhs_number: record.nhs_number.clone(),
        la_person_id: None,
        upn: None,
        other_id: None,
        date_of_birth_read_swapped: false,
        address: None,
    }
}

/// Times each step of a search the way `App::search_people` takes them (find candidates by
/// shared keys, read them, read their previous names, normalise them, score them), each
/// read a second time so that statement preparation is not counted.
pub(super) async fn profile_steps(
    app: &App,
    authority: AuthorityId,
    queries: &[&LabelledRecord],
) -> BenchResult<()> {
    let limit = env_number("FRONTDOOR_BENCH_PROFILE_LIMIT", 400)? as i64;
    let model = MatchModel::default();
    let mut steps = [Duration::ZERO; 4];
    let mut candidates = 0usize;
    let mut first_reads = Duration::ZERO;
    for q in queries {
        let started = Instant::now();
        let record = MatchRecord::new(&query_details(&q.record));
        let keys = blocking_keys(&record);
        let _ = app.store.search_candidates(authority, &keys, limit).await?;
        first_reads += started.elapsed();
        let started = Instant::now();
        let found = app.store.search_candidates(authority, &keys, limit).await?;
        steps[0] += started.elapsed();
        let started = Instant::now();
        let records: Vec<MatchRecord> = found
            .iter()
            .map(|c| {
                MatchRecord::new(&PersonDetails {
                    given_names: c.given_name.clone(),
                    family_name: c.family_name.clone(),
                    previous_family_names: c.previous_family_names.clone(),
                    date_of_birth: c.birth_date,
                    sex: Some(c.sex),
                    postcode: c.postcode.clone(),
                    nhs_number: c.nhs_number.clone(),
                    la_person_id: Some(c.la_person_id.clone()),
                    upn: c.upn.clone(),
                    other_id: None,
                    date_of_birth_read_swapped: false,
                    address: None,
                })
            })
            .collect();
        steps[1] += started.elapsed();
        let started = Instant::now();
        let mut scores: Vec<(f64, PersonId)> = records
            .iter()
            .zip(&found)
            .map(|(r, c)| (compare(&record, r, &model).score, c.id))
            .collect();
        scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        steps[2] += started.elapsed();
        let started = Instant::now();
        let shown: Vec<PersonId> = scores.iter().take(20).map(|s| s.1).collect();
        let _ = app.store.people_by_ids(authority, &shown).await?;
        steps[3] += started.elapsed();
        candidates += found.len();
    }
    let n = queries.len().max(1) as f64;
    let each = |d: Duration| d.as_secs_f64() * 1000.0 / n;
    println!(
        "  profile, per search (up to {limit} candidates): find and read candidates {:.2} ms, normalise {:.2} ms, score and rank {:.2} ms, read the 20 shown {:.2} ms; {:.0} candidates on average",
        each(steps[0]),
        each(steps[1]),
        each(steps[2]),
        each(steps[3]),
        candidates as f64 / n
    );
    println!(
        "    the same query the first time for these keys: {:.2} ms",
        each(first_reads)
    );
    Ok(())
}

pub(super) async fn rank_positions(
    app: &App,
    authority: AuthorityId,
    queries: &[&LabelledRecord],
    original_la_id: &HashMap<u32, String>,
) -> BenchResult<()> {
    let bounds = [25usize, 50, 100, 150, 200, 300, 400, 1000, 5000];
    let mut counts = vec![0usize; bounds.len() + 1];
    for q in queries {
        let Some(expected) = original_la_id.get(&q.truth.0) else {
            continue;
        };
        let keys = blocking_keys(&MatchRecord::new(&query_details(&q.record)));
        let found = app.store.search_candidates(authority, &keys, 5000).await?;
        let position = found.iter().position(|c| c.la_person_id == *expected);
        let bucket = position
            .and_then(|p| bounds.iter().position(|b| p < *b))
            .unwrap_or(bounds.len());
        counts[bucket] += 1;
    }
    let described: Vec<String> = bounds
        .iter()
        .zip(&counts)
        .map(|(b, c)| format!("< {b}: {c}"))
        .collect();
    println!(
        "  rank of the true record among the candidates: {}; beyond, or sharing no key: {}",
        described.join(", "),
        counts[bounds.len()]
    );
    Ok(())
}
