//! Linking two files of 100,000 people in memory.

use super::memory::peak_memory;
use super::scoring::Scored;
use super::{csv_of, BenchResult, Sizes, LINK_OVERLAP};
use frontdoor_app::{link_records, one_to_one, read_link_records, DEFAULT_ONE_TO_ONE_THRESHOLD};
use frontdoor_domain::matching::MatchModel;
use frontdoor_synthetic::linkage_test_set;
use std::time::Instant;

pub(super) fn link_speed(sizes: &Sizes) -> BenchResult<()> {
    let model = MatchModel::default();
    let n = sizes.link_people;
    let started = Instant::now();
    let set = linkage_test_set(sizes.report_seed, n, LINK_OVERLAP);
    let left_csv = csv_of(&set.left)?;
    let right_csv = csv_of(&set.right)?;
    let generated = started.elapsed();
    let started = Instant::now();
    let left = read_link_records(left_csv.as_slice())?;
    let right = read_link_records(right_csv.as_slice())?;
    let read = started.elapsed();
    drop((left_csv, right_csv));
    let started = Instant::now();
    // What `frontdoor persons match --left --right` does: each record's best pair.
    let pairs = one_to_one(link_records(
        &left,
        &right,
        &model,
        DEFAULT_ONE_TO_ONE_THRESHOLD,
    ));
    let linked = started.elapsed();
    let counts = Scored::new(&pairs, &set.truth).at(DEFAULT_ONE_TO_ONE_THRESHOLD);
    println!(
        "link: two files of {n} people ({:.0}% in both; generated and written in {:.1} s)",
        LINK_OVERLAP * 100.0,
        generated.as_secs_f64()
    );
    println!(
        "  read and normalise both files (baseline): {:.2} s; link: {:.2} s ({:.1}x the baseline); total {:.2} s; {} pairs (each record's best) at {DEFAULT_ONE_TO_ONE_THRESHOLD} bits",
        read.as_secs_f64(),
        linked.as_secs_f64(),
        linked.as_secs_f64() / read.as_secs_f64().max(1e-9),
        (read + linked).as_secs_f64(),
        pairs.len()
    );
    println!(
        "  accuracy at this size (reporting seed {}): {}",
        sizes.report_seed,
        counts.describe()
    );
    println!("  peak memory so far: {}", peak_memory());
    Ok(())
}
