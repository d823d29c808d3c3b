//! Writes labelled person-matching test sets as CSV, for `frontdoor persons import` and
//! `frontdoor persons match`, with the truth beside them.
//!
//! ```text
//! cargo run --release -p frontdoor-synthetic --example person_test_set -- dedupe OUT_DIR PEOPLE DUPLICATE_RATE SEED
//! cargo run --release -p frontdoor-synthetic --example person_test_set -- link OUT_DIR PEOPLE OVERLAP SEED
//! ```
//!
//! `dedupe` writes `people.csv` and `truth.csv`; `link` writes `left.csv`, `right.csv` and
//! `truth.csv`. The truth file has `record_id,true_person_id,original,errors`.

use frontdoor_synthetic::{
    duplicate_test_set, linkage_test_set, write_labelled_person_csv, write_truth_csv,
};
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: person_test_set (dedupe|link) OUT_DIR PEOPLE RATE SEED";
    let [mode, out, people, rate, seed] = args.as_slice() else {
        return Err(usage.into());
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let people: usize = people
        .parse()
        .map_err(|_| format!("PEOPLE must be a whole number: {usage}"))?;
    let rate: f64 = rate
        .parse()
        .map_err(|_| format!("RATE must be a number from 0 to 1: {usage}"))?;
    let seed: u64 = seed
        .parse()
        .map_err(|_| format!("SEED must be a whole number: {usage}"))?;
    let started = Instant::now();
    let create = |name: &str| File::create(out.join(name)).map(BufWriter::new);
    match mode.as_str() {
        "dedupe" => {
            let (records, truth) = duplicate_test_set(seed, people, rate);
            write_labelled_person_csv(create("people.csv")?, &records)?;
            write_truth_csv(create("truth.csv")?, &records)?;
            println!(
                "{} records of {} people, {} true pairs",
                records.len(),
                truth.people(),
                truth.pair_count()
            );
        }
        "link" => {
            let set = linkage_test_set(seed, people, rate);
            write_labelled_person_csv(create("left.csv")?, &set.left)?;
            write_labelled_person_csv(create("right.csv")?, &set.right)?;
            let all: Vec<_> = set.left.iter().chain(set.right.iter()).cloned().collect();
            write_truth_csv(create("truth.csv")?, &all)?;
            println!(
                "{} + {} records, {} true pairs",
                set.left.len(),
                set.right.len(),
                set.truth.pair_count()
            );
        }
        _ => return Err(usage.into()),
    }
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        });
    println!(
        "written to {} in {:.1} s; peak memory {}",
        out.display(),
        started.elapsed().as_secs_f64(),
        peak.unwrap_or_default()
    );
    Ok(())
}
