//! `frontdoor persons`: import people from a CSV file, and find the records likely to be the
//! same person across two CSV files or within one (for data migrations and benchmarks).

use crate::config::Config;
use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use frontdoor_app::{
    calibrate_link, calibrate_within, dedupe_grouped, link_records, one_to_one, read_link_file,
    weigh_addresses, write_pairs_csv, write_reading_report_csv, ImportOptions, LinkFile,
    ReadingSummary, DEFAULT_LINK_THRESHOLD, DEFAULT_ONE_TO_ONE_THRESHOLD,
};
use frontdoor_domain::matching::{Calibration, MatchModel, ModelParameters};
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::time::Instant;

const COLUMNS_HELP: &str = "\
The CSV file is UTF-8 with a header line; values holding a comma, quote or line break are quoted.
Columns (any order; id, given_name, family_name and date_of_birth must be present):
  id                     the row's identifier in the file, unique
  given_name             all given names, first name first
  family_name            current family name (required to import)
  previous_family_names  earlier family names, separated by ;
  date_of_birth          YYYY-MM-DD
  sex                    female, male, indeterminate or not_known
  postcode               UK postcode
  nhs_number             ten digits; an import checks the check digit
  la_person_id           the authority's person id; an import keeps it (unique)
  upn                    unique pupil number; an import checks the check letter
  other_id               any other system's person key, compared exactly (matching only)
  address                the address as free text (house number, street, locality); an
                         import keeps it as the address's first line

`persons match` reads what it can: an impossible date, an unreadable postcode or NHS number, a
bad sex code is treated as blank for that field (a date with a month above 12 and a day of at
most 12 is read with the two swapped), and a row without a usable id is left out; each is
listed with its line, column and value in the reading report (--report). `persons import`
refuses a file with any such problem.";

#[derive(Subcommand)]
pub enum PersonsCommand {
    /// Import people from a CSV file into an authority, all or nothing, and never twice by accident.
    ///
    /// Every row is checked before anything is stored: a file with any problem imports no one,
    /// and each problem (up to 20) is named by its line and column. A valid file is stored in
    /// one transaction, each person with their search keys and a person_created event: if the
    /// import fails or is stopped part way, no one is stored. While it runs, other writers
    /// (the server) wait for it.
    ///
    /// The same file (by its SHA-256) imported into the same authority again is refused,
    /// saying when it was imported, unless --again is given. A row whose LA person id the
    /// authority already uses refuses the whole file, naming each such line.
    #[command(after_help = COLUMNS_HELP)]
    Import(ImportArgs),
    /// Write the pairs of records likely to be the same person, across two CSV files or within one.
    ///
    /// Link two files with --left and --right, or find duplicates within one with --dedupe.
    /// Writes `left_id,right_id,score` (score in bits: each bit doubles the odds of the same
    /// person), best first, for pairs scoring at least --threshold. The scoring is the one
    /// person search and the duplicates report use (docs/person-matching.md). Identifiers are
    /// read as written: a mistyped NHS number still counts for something.
    ///
    /// By default the model is calibrated on the files themselves: how often different people
    /// in them share a name, a birthday or a postcode (from random pairs), and how many pairs
    /// are likely the same person (by EM over the candidate pairs); pairs are written when
    /// their match probability is at least 0.5 under those estimates. The summary line gives
    /// the estimated matches and the threshold in bits. When the files are too small or the
    /// estimate degenerates, the built-in parameters are used with 13 bits (one to one) or 15
    /// bits (every pair), and the summary says why. --threshold sets a fixed rule instead
    /// (built-in parameters, that many bits).
    ///
    /// Linking two files keeps each record's best pair only (one to one: each file holds each
    /// person once); --all-pairs keeps every pair. --dedupe groups the records into people (a
    /// person may be recorded more than twice): pairs at the threshold join records into a
    /// group only when the whole group agrees and no two of its records conflict (different
    /// NHS numbers, dates of birth a generation apart, twins), and every pair within a group
    /// is written with its own score, which may be below the threshold.
    #[command(after_help = COLUMNS_HELP)]
    Match(MatchArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The authority's code (as given to `frontdoor authority add`).
    #[arg(long, value_name = "CODE")]
    authority: String,
    /// The CSV file of people.
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,
    /// Import the file even though this exact file was imported into the authority before
    /// (its people are stored a second time).
    #[arg(long)]
    again: bool,
}

#[derive(Args)]
pub struct MatchArgs {
    /// The first file to link (with --right).
    #[arg(
        long,
        value_name = "A.csv",
        requires = "right",
        required_unless_present = "dedupe",
        conflicts_with = "dedupe"
    )]
    left: Option<PathBuf>,
    /// The second file to link (with --left).
    #[arg(
        long,
        value_name = "B.csv",
        requires = "left",
        conflicts_with = "dedupe"
    )]
    right: Option<PathBuf>,
    /// Find likely duplicates within this one file (instead of --left and --right).
    #[arg(long, value_name = "FILE.csv")]
    dedupe: Option<PathBuf>,
    /// Where to write the pairs (CSV: left_id,right_id,score).
    #[arg(long, value_name = "pairs.csv")]
    out: PathBuf,
    /// A fixed rule: write pairs scoring at least this many bits under the built-in
    /// parameters [default: calibrated on the files, match probability at least 0.5]. May be
    /// negative (`--threshold -3`): a score below zero still names a pair more likely
    /// different than the same.
    #[arg(long, value_name = "BITS", allow_negative_numbers = true)]
    threshold: Option<f64>,
    /// Linking two files, write every pair scoring at least --threshold, not only each
    /// record's best (for files that hold people more than once).
    #[arg(long, conflicts_with = "dedupe")]
    all_pairs: bool,
    /// Where to list the values that could not be read as written (CSV: file, line, column,
    /// value, what was done) [default: next to --out, named after it, ending
    /// -reading-report.csv].
    #[arg(long, value_name = "report.csv")]
    report: Option<PathBuf>,
}

pub async fn run(config: &Config, command: PersonsCommand) -> anyhow::Result<()> {
    match command {
        PersonsCommand::Import(args) => import(config, args).await,
        PersonsCommand::Match(args) => match_files(args),
    }
}

async fn import(config: &Config, args: ImportArgs) -> anyhow::Result<()> {
    let file =
        File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let app = crate::app(config, crate::open_store(config, true).await?)?;
    let authority = app
        .store
        .authority_by_code(&args.authority.to_ascii_lowercase())
        .await?
        .with_context(|| {
            format!(
                "there is no authority with code '{}': create it with `frontdoor authority add`",
                args.authority
            )
        })?;
    let progress = |stored: usize, total: usize| {
        eprintln!("Storing: {stored} of {total} people (nothing is kept unless all are stored)");
    };
    let options = ImportOptions {
        file_name: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        again: args.again,
        progress: Some(&progress),
    };
    let report = app
        .import_people(None, authority, BufReader::new(file), &options)
        .await
        .map_err(|e| anyhow!("{}: {e}", args.file.display()))?;
    if let Some(last) = report.imported_before.first() {
        println!(
            "This file was imported before ({} time(s), last on {} London time); imported again as asked (--again).",
            report.imported_before.len(),
            frontdoor_app::london(last.imported_at).format("%Y-%m-%d %H:%M")
        );
    }
    println!(
        "Imported {} people from {} into {} in {:.1} s (file SHA-256 {}).",
        report.people,
        args.file.display(),
        args.authority,
        report.elapsed.as_secs_f64(),
        report.file_sha256
    );
    Ok(())
}

fn read(path: &Path) -> anyhow::Result<LinkFile> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    read_link_file(BufReader::new(file)).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// The reading report's default path: `pairs.csv` → `pairs-reading-report.csv`, beside it.
fn default_report_path(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pairs".to_string());
    out.with_file_name(format!("{stem}-reading-report.csv"))
}

/// How the decision rule was chosen, for the summary line.
fn describe_rule(calibration: Option<&Calibration>, threshold: f64) -> String {
    match calibration {
        None => format!("fixed rule: score at least {threshold} bits under the built-in parameters"),
        Some(c) => match &c.fallback {
            None => format!(
                "calibrated on the files: about {:.0} matching pairs estimated among {} candidate pairs; rule: match probability at least 0.5 = score at least {:.2} bits",
                c.expected_matches, c.candidate_pairs, threshold
            ),
            Some(reason) => format!(
                "could not calibrate on the files ({reason}): built-in parameters, score at least {threshold} bits"
            ),
        },
    }
}

fn match_files(args: MatchArgs) -> anyhow::Result<()> {
    let one_to_one_links = args.dedupe.is_none() && !args.all_pairs;
    let fixed = match args.threshold {
        Some(bits) if !bits.is_finite() => {
            bail!("--threshold must be a number of bits, for example {DEFAULT_LINK_THRESHOLD}")
        }
        Some(bits) => Some(bits),
        None => None,
    };
    let fallback_threshold = if one_to_one_links {
        DEFAULT_ONE_TO_ONE_THRESHOLD
    } else {
        DEFAULT_LINK_THRESHOLD
    };
    let started = Instant::now();
    let built_in = ModelParameters::default();
    let mut files: Vec<(String, LinkFile)> = Vec::new();
    let (pairs, described, calibration, threshold) = match (&args.left, &args.right, &args.dedupe) {
        (Some(left_path), Some(right_path), None) => {
            let mut left = read(left_path)?;
            let mut right = read(right_path)?;
            weigh_addresses(&mut [&mut left.records, &mut right.records]);
            let (model, calibration, threshold) = match fixed {
                Some(bits) => (MatchModel::default(), None, bits),
                None => {
                    let c = calibrate_link(
                        &left.records,
                        &right.records,
                        &built_in,
                        fallback_threshold,
                    );
                    (c.model(), Some(c.clone()), c.threshold)
                }
            };
            let mut pairs = link_records(&left.records, &right.records, &model, threshold);
            if one_to_one_links {
                pairs = one_to_one(pairs);
            }
            let described = format!(
                "{} ({} records) and {} ({} records)",
                left_path.display(),
                left.records.len(),
                right_path.display(),
                right.records.len(),
            );
            files.push((left_path.display().to_string(), left));
            files.push((right_path.display().to_string(), right));
            (pairs, described, calibration, threshold)
        }
        (None, None, Some(path)) => {
            let mut file = read(path)?;
            weigh_addresses(&mut [&mut file.records]);
            let (model, calibration, threshold) = match fixed {
                Some(bits) => (MatchModel::default(), None, bits),
                None => {
                    let c = calibrate_within(&file.records, &built_in, fallback_threshold);
                    (c.model(), Some(c.clone()), c.threshold)
                }
            };
            let pairs = dedupe_grouped(&file.records, &model, threshold);
            let described = format!("{} ({} records)", path.display(), file.records.len());
            files.push((path.display().to_string(), file));
            (pairs, described, calibration, threshold)
        }
        _ => bail!("give either --left and --right, or --dedupe"),
    };
    let out =
        File::create(&args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    write_pairs_csv(BufWriter::new(out), &pairs)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| default_report_path(&args.out));
    let report = File::create(&report_path)
        .with_context(|| format!("cannot write {}", report_path.display()))?;
    write_reading_report_csv(
        BufWriter::new(report),
        files
            .iter()
            .map(|(name, file)| (name.as_str(), file.notes.as_slice())),
    )
    .with_context(|| format!("cannot write {}", report_path.display()))?;
    let mut summary = ReadingSummary::default();
    for (_, file) in &files {
        summary.merge(file.summary());
    }
    println!(
        "Wrote {} pairs{} from {described} to {} in {:.1} s ({}).",
        pairs.len(),
        if one_to_one_links {
            " (each record's best)"
        } else if args.dedupe.is_some() {
            " (every pair within each group of records taken to be one person)"
        } else {
            ""
        },
        args.out.display(),
        started.elapsed().as_secs_f64(),
        describe_rule(calibration.as_ref(), threshold),
    );
    match summary.describe() {
        Some(what) => println!(
            "Read leniently: {what}; each is listed in {}.",
            report_path.display()
        ),
        None => println!(
            "Every value was read as written (the reading report {} lists none).",
            report_path.display()
        ),
    }
    Ok(())
}
