//! `frontdoor duplicates refresh`: the stored likely-duplicates report, recomputed for the
//! people changed since the last refresh (run after loads; the page reads what it stores).

use crate::returns::authority_of;
use clap::Subcommand;
use frontdoor_app::{App, DuplicatesRefresh};

#[derive(Subcommand)]
pub enum DuplicatesCommand {
    /// Recompute the stored likely-duplicates report for the people added or changed since the
    /// last refresh (everyone the first time). Refused while another refresh is running.
    Refresh {
        /// The authority's code (may be left out when the database holds one authority).
        #[arg(long)]
        authority: Option<String>,
        /// Recompute every pair and recalibrate the matching model on everyone.
        #[arg(long)]
        full: bool,
    },
}

pub fn describe(refresh: &DuplicatesRefresh) -> String {
    format!(
        "likely duplicates {}: {} of {} people rescored, {} pairs stored, {:.1} s",
        if refresh.full {
            "recomputed in full"
        } else {
            "refreshed"
        },
        refresh.people_rescored,
        refresh.people,
        refresh.pairs_stored,
        refresh.elapsed.as_secs_f64()
    )
}

pub async fn run(app: &App, command: DuplicatesCommand) -> anyhow::Result<()> {
    match command {
        DuplicatesCommand::Refresh { authority, full } => {
            let authority = authority_of(app, authority.as_deref()).await?;
            let refresh = app.refresh_duplicates(authority, full).await?;
            println!("{}", describe(&refresh));
        }
    }
    Ok(())
}
