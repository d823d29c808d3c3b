//! The audited case's summary: what an auditor needs to answer the questions, and all an
//! invited partner auditor sees of the child — the contacts (when, from whom, the concerns,
//! whether the decision was authorised within one working day), the referrals and the
//! assessments. Never the workers' notes or rationales, and never another child.

use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{AuthorityId, PersonId};
use serde::Serialize;

/// One line of the summary: when, and what in words.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryLine {
    pub on: NaiveDate,
    pub what: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub contacts: Vec<SummaryLine>,
    pub referrals: Vec<SummaryLine>,
    pub assessments: Vec<SummaryLine>,
}

/// Whether a contact's decision was authorised within one working day, in words.
fn timeliness(
    due: DateTime<Utc>,
    decided: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> &'static str {
    match decided {
        // As the dashboard counts it: within one working day means before the due time.
        Some(at) if at < due => "decision authorised within one working day",
        Some(_) => "decision authorised after one working day",
        None if now >= due => "decision not authorised, past one working day",
        None => "decision awaited",
    }
}

impl App {
    pub(crate) async fn case_summary(
        &self,
        authority: AuthorityId,
        person: PersonId,
        now: DateTime<Utc>,
        for_partner: bool,
    ) -> Result<CaseSummary, AppError> {
        let contacts = self.store.contacts_of_person(authority, person).await?;
        let episodes = self.store.episodes_of(authority, person).await?;
        let assessments = self.store.assessments_of_child(authority, person).await?;
        Ok(CaseSummary {
            contacts: contacts
                .iter()
                .map(|c| {
                    let kinds = c
                        .concern_categories
                        .iter()
                        .map(|k| k.label().to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let timeliness = timeliness(c.decision_due_at, c.decided_at, now);
                    SummaryLine {
                        on: london_date(c.received_at),
                        // The concern in the referrer's words names siblings and adults: a
                        // partner auditor gets the kinds of concern, never that text.
                        what: if for_partner {
                            format!("{} contact ({kinds}); {timeliness}.", c.source.label())
                        } else {
                            format!(
                                "{} contact ({kinds}): {}; {timeliness}.",
                                c.source.label(),
                                c.concern_summary.trim().trim_end_matches('.'),
                            )
                        },
                    }
                })
                .collect(),
            referrals: episodes
                .iter()
                .map(|e| SummaryLine {
                    on: e.referral_date,
                    what: format!(
                        "Referral from {}{}",
                        e.source.label(),
                        match e.closed_on {
                            Some(on) => format!(", closed {}", on.format("%-d %b %Y")),
                            None => ", open".into(),
                        }
                    ),
                })
                .collect(),
            assessments: assessments
                .iter()
                .map(|a| SummaryLine {
                    on: a.started_on,
                    what: format!(
                        "Child and family assessment: {}{}",
                        a.state.label().to_lowercase(),
                        a.outcome
                            .map(|o| format!(", {}", o.label().to_lowercase()))
                            .unwrap_or_default()
                    ),
                })
                .collect(),
        })
    }
}
