//! Threshold prompts in words: a manager's reasons for authorising a decision below the outcome
//! a prompt asked for.

use super::{text, Described, EntryCategory};
use frontdoor_domain::decision::ThresholdOutcome;
use serde_json::Value;

fn outcome(code: &str) -> String {
    ThresholdOutcome::from_code(code)
        .map(|o| o.label().to_lowercase())
        .unwrap_or_else(|_| code.replace('_', " "))
}

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    if kind != "threshold_prompt_departures_recorded" {
        return None;
    }
    let departures = p
        .get("departures")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    let detail = departures
        .iter()
        .map(|d| {
            format!(
                "{} (asks for at least {}; {}): {}",
                text(d, "name"),
                outcome(&text(d, "minimum_outcome")),
                text(d, "because").trim_end_matches('.'),
                text(d, "reason").trim_end_matches('.')
            )
        })
        .collect::<Vec<_>>()
        .join(". ");
    Some(Described::new(
        EntryCategory::Decision,
        format!(
            "Decision authorised below a threshold prompt: {}",
            outcome(&text(p, "outcome"))
        ),
        format!("On contact {}. {detail}.", text(p, "contact")),
    ))
}
