//! `frontdoor information-requests ...`: how long partners have to answer, and where each
//! worker's notification emails go.

use crate::config::Config;
use anyhow::Context;
use clap::Subcommand;
use frontdoor_app::ActingAs;

#[derive(Subcommand)]
pub enum InformationRequestsCommand {
    /// Show how long partners have to answer, or set it (both numbers together).
    Timescales {
        /// The authority's code.
        #[arg(long)]
        authority: String,
        /// Hours an urgent request allows (1 to 72).
        #[arg(long, requires = "standard_working_days")]
        urgent_hours: Option<String>,
        /// Working days a standard request allows (1 to 30), counted from the day after sending.
        #[arg(long, requires = "urgent_hours")]
        standard_working_days: Option<String>,
    },
    /// Set the address a worker's notification emails go to (empty to stop them). Emails are
    /// sent only when `[email] smtp_relay` is configured, and hold no personal data.
    Email {
        #[arg(long)]
        authority: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
    },
}

pub async fn run(config: &Config, command: InformationRequestsCommand) -> anyhow::Result<()> {
    let authority = match &command {
        InformationRequestsCommand::Timescales { authority, .. }
        | InformationRequestsCommand::Email { authority, .. } => authority.clone(),
    };
    let app = crate::app(config, crate::open_store(config, true).await?)?;
    let directory = app.authority_directory(&authority).await?.with_context(|| {
        format!("there is no authority with code '{authority}': create it with `frontdoor authority add`")
    })?;
    let by = ActingAs::Operator {
        authority: directory.id,
    };
    match command {
        InformationRequestsCommand::Timescales {
            urgent_hours: Some(hours),
            standard_working_days: Some(days),
            ..
        } => {
            let rule = app
                .set_information_request_due_rule(&by, &hours, &days)
                .await?;
            println!(
                "Information requests are now due: urgent within {} hours, standard within {} working days.",
                rule.urgent_hours(),
                rule.standard_working_days()
            );
        }
        InformationRequestsCommand::Timescales { .. } => {
            let rule = app.information_request_due_rule(&by).await?;
            println!(
                "urgent_hours\t{}\nstandard_working_days\t{}",
                rule.urgent_hours(),
                rule.standard_working_days()
            );
        }
        InformationRequestsCommand::Email {
            username, email, ..
        } => {
            let worker = app.worker_by_username(&by, &username).await?.worker;
            app.set_worker_email(&by, worker.id, &email).await?;
            if email.trim().is_empty() {
                println!("{} will get no notification emails.", worker.username);
            } else {
                println!(
                    "{}'s notification emails go to the address given.",
                    worker.username
                );
            }
        }
    }
    Ok(())
}
