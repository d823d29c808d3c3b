//! `frontdoor returns`: the statutory returns an operator produces for the authority.

use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use frontdoor_app::returns::CinCensusReport;
use frontdoor_app::App;
use frontdoor_domain::ids::AuthorityId;
use frontdoor_domain::returns::annex_a::InspectionDate;
use frontdoor_domain::returns::cin_census::{CensusYear, IssueKind};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReturnsCommand {
    /// Write the DfE Children in Need census XML of a collection year and list the DfE's
    /// errors and queries in it (exit status 1 when there are errors; the file is still
    /// written, so it can be checked by the DfE's own validator).
    CinCensus(CinCensusArgs),
    /// Write Ofsted's Annex A lists 1–7 for an inspection date: one xlsx workbook (a sheet a
    /// list) and/or a CSV file a list.
    AnnexA(AnnexAArgs),
}

#[derive(Args)]
pub struct CinCensusArgs {
    /// The collection year, as the year it ends: 2026 is 1 April 2025 to 31 March 2026.
    #[arg(long)]
    year: String,
    /// Where to write the XML.
    #[arg(long, value_name = "FILE.xml")]
    out: PathBuf,
    /// The authority's code (may be left out when the database holds one authority).
    #[arg(long)]
    authority: Option<String>,
}

#[derive(Args)]
pub struct AnnexAArgs {
    /// The inspection date, YYYY-MM-DD: lists 1–3 cover the six months before it.
    #[arg(long)]
    date: String,
    /// Where to write the workbook.
    #[arg(long, value_name = "FILE.xlsx")]
    out: Option<PathBuf>,
    /// A folder to write the seven CSV files into (created if missing).
    #[arg(long, value_name = "DIR")]
    csv_dir: Option<PathBuf>,
    /// The authority's code (may be left out when the database holds one authority).
    #[arg(long)]
    authority: Option<String>,
}

/// The authority named, or the only one there is.
pub async fn authority_of(app: &App, code: Option<&str>) -> anyhow::Result<AuthorityId> {
    if let Some(code) = code {
        return app
            .authority_directory(code)
            .await?
            .map(|d| d.id)
            .with_context(|| format!("there is no authority with code '{code}'"));
    }
    let all = app.authorities().await?;
    match all.as_slice() {
        [(id, _, _)] => Ok(*id),
        [] => bail!("there is no authority yet: create it with `frontdoor authority add`"),
        _ => bail!(
            "the database holds {} authorities: name one with --authority ({})",
            all.len(),
            all.iter()
                .map(|(_, code, _)| code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub async fn run(app: &App, command: ReturnsCommand) -> anyhow::Result<ExitCode> {
    match command {
        ReturnsCommand::CinCensus(args) => {
            let year = CensusYear::parse(&args.year).map_err(|e| anyhow!("--year: {e}"))?;
            let authority = authority_of(app, args.authority.as_deref()).await?;
            let report = app.cin_census_for_operator(authority, year).await?;
            std::fs::write(&args.out, report.xml())
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            print_report(&report, &args.out);
            Ok(if report.errors() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        ReturnsCommand::AnnexA(args) => annex_a(app, args).await,
    }
}

async fn annex_a(app: &App, args: AnnexAArgs) -> anyhow::Result<ExitCode> {
    let on = InspectionDate::parse(&args.date).map_err(|e| anyhow!("--date: {e}"))?;
    if args.out.is_none() && args.csv_dir.is_none() {
        bail!("say where to write the lists: --out FILE.xlsx, --csv-dir DIR, or both");
    }
    let authority = authority_of(app, args.authority.as_deref()).await?;
    let report = app.annex_a_for_operator(authority, on).await?;
    println!(
        "Ofsted Annex A for {} (window {} to {}):",
        on.label(),
        report.annex.window_start.format("%-d %B %Y"),
        on.label()
    );
    for count in report.counts() {
        println!("  {}: {} row(s) — {}", count.name, count.rows, count.title);
    }
    if let Some(out) = &args.out {
        let bytes = report.workbook()?;
        std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
        println!("Wrote the workbook to {}.", out.display());
    }
    if let Some(dir) = &args.csv_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for count in report.counts() {
            let path = dir.join(&count.csv);
            let csv = report
                .csv(count.number)
                .unwrap_or_else(|| Ok(String::new()))?;
            std::fs::write(&path, csv)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        println!("Wrote the seven CSV files to {}.", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &CinCensusReport, out: &std::path::Path) {
    let census = &report.census;
    println!(
        "Wrote the Children in Need census {} ({} children, {} episodes) to {}.",
        census.year.label(),
        report.children(),
        report.episodes(),
        out.display()
    );
    if census.la_number.is_empty() {
        println!("The authority's DfE LA number is not set, so the header's LEA is blank: set it with `frontdoor authority la-number`.");
    }
    println!(
        "The DfE's rules found {} error(s) and {} query(ies).",
        report.errors(),
        report.queries()
    );
    for issue in &report.issues {
        let kind = match issue.kind {
            IssueKind::Error => "ERROR",
            IssueKind::Query => "QUERY",
        };
        let child = issue
            .child
            .as_ref()
            .map(|c| c.la_child_id.as_str())
            .unwrap_or("(whole return)");
        println!(
            "{kind} {} {child}: {} — {}",
            issue.code, issue.detail, issue.message
        );
    }
}
