//! Early help in words: the episode opened (from a decision or a step-down), allocation,
//! contacts with the family, consent to share, safeguarding overrides, the lead professional,
//! the assessment started and completed, team-around-the-family actions, the step-up, and the
//! closure with what was left open.

use super::{text, Described, EntryCategory};
use chrono::NaiveDate;
use frontdoor_domain::agency::Agency;
use frontdoor_domain::early_help::EarlyHelpClosureReason;
use serde_json::Value;

fn day(p: &Value, key: &str) -> String {
    text(p, key)
        .parse::<NaiveDate>()
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

fn agencies(p: &Value) -> String {
    let named: Vec<&str> = p
        .get("agencies")
        .and_then(|v| v.as_array())
        .map(|all| {
            all.iter()
                .filter_map(|a| a.as_str())
                .filter_map(Agency::from_code)
                .map(|a| a.label())
                .collect()
        })
        .unwrap_or_default();
    if named.is_empty() {
        "every agency".to_string()
    } else {
        named.join(", ")
    }
}

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    let category = EntryCategory::EarlyHelp;
    let described = match kind {
        "early_help_opened" => {
            let from = if p.get("stepped_down_from").is_some_and(|v| !v.is_null()) {
                "stepped down from children's social care".to_string()
            } else {
                format!("from contact {}", text(p, "contact"))
            };
            Described::new(category, format!("Early help episode opened, {from}"), "")
        }
        "early_help_allocated" => Described::new(
            category,
            format!("Early help allocated to {}", text(p, "coordinator_name")),
            "",
        ),
        "early_help_family_contact" => Described::new(
            category,
            format!(
                "Early help contact with the family ({}) on {}",
                text(p, "method"),
                day(p, "contacted_on")
            ),
            "",
        ),
        "early_help_consent_recorded" => {
            let decision = match text(p, "decision").as_str() {
                "given" => "given",
                "refused" => "refused",
                _ => "withdrawn",
            };
            Described::new(
                category,
                format!("Consent to share {decision} for {}", agencies(p)),
                format!(
                    "By {} ({}) on {}.",
                    text(p, "given_by"),
                    text(p, "relationship"),
                    day(p, "decided_on")
                ),
            )
        }
        "early_help_safeguarding_override" => Described::new(
            category,
            format!(
                "Shared with {} for a safeguarding reason, without consent",
                Agency::from_code(&text(p, "agency"))
                    .map(|a| a.label())
                    .unwrap_or("an agency")
            ),
            text(p, "reason"),
        ),
        "early_help_lead_appointed" => Described::new(
            category,
            format!(
                "Lead professional for the early help assessment: {}",
                text(p, "lead_name")
            ),
            "",
        ),
        "early_help_assessment_started" => Described::new(
            category,
            format!("Early help assessment started on {}", day(p, "started_on")),
            format!("Due by {}.", day(p, "due_on")),
        ),
        "early_help_assessment_completed" => Described::new(
            category,
            format!(
                "Early help assessment completed on {}",
                day(p, "completed_on")
            ),
            format!("By {}.", text(p, "organisation")),
        ),
        "early_help_action_agreed" => Described::new(
            category,
            format!(
                "Team-around-the-family action: {}",
                text(p, "description").trim_end_matches('.')
            ),
            format!("{}, by {}.", text(p, "owner"), day(p, "due_on")),
        ),
        "early_help_action_completed" => {
            Described::new(category, "Team-around-the-family action done", "")
        }
        "early_help_stepped_up" => Described::new(
            category,
            format!(
                "Stepped up from early help to children's social care: contact {}",
                text(p, "contact")
            ),
            "",
        ),
        "early_help_closed" => {
            let reason = EarlyHelpClosureReason::from_code(&text(p, "reason"))
                .map(|r| r.label())
                .unwrap_or("closed");
            let left: Vec<&str> = p
                .get("open_actions")
                .and_then(|v| v.as_array())
                .map(|all| all.iter().filter_map(|a| a.as_str()).collect())
                .unwrap_or_default();
            let left = match left.len() {
                0 => String::new(),
                1 => format!(
                    " One action was still open: {}.",
                    left[0].trim_end_matches('.')
                ),
                n => format!(
                    " {n} actions were still open: {}.",
                    left.iter()
                        .map(|a| a.trim_end_matches('.'))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            Described::new(
                category,
                format!("Early help closed: {}", reason.to_lowercase()),
                format!("{}{left}", text(p, "summary").trim()),
            )
        }
        _ => return None,
    };
    Some(described)
}
