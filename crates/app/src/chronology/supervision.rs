//! Case supervision in words: a child discussed in a worker's supervision (risks reviewed,
//! decisions, actions agreed with owner and due date), and what became of each action.

use super::{text, Described, EntryCategory};
use chrono::NaiveDate;
use serde_json::Value;

/// "3 March 2026" from a stored date (empty when absent).
fn day(p: &Value, key: &str) -> String {
    text(p, key)
        .parse::<NaiveDate>()
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// The words end with one full stop.
fn sentence(words: &str) -> String {
    format!("{}.", words.trim().trim_end_matches('.'))
}

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    let category = EntryCategory::Supervision;
    let described = match kind {
        "supervision_discussed" => {
            let mut detail = format!("Risks reviewed: {}", sentence(&text(p, "risks_reviewed")));
            let decisions = text(p, "decisions");
            if !decisions.trim().is_empty() {
                detail.push_str(&format!(" Decisions: {}", sentence(&decisions)));
            }
            let actions: Vec<String> = p
                .get("actions")
                .and_then(|v| v.as_array())
                .map(|all| {
                    all.iter()
                        .map(|a| {
                            format!(
                                "{} ({}, by {})",
                                text(a, "description").trim_end_matches('.'),
                                text(a, "owner_name"),
                                day(a, "due_on")
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !actions.is_empty() {
                detail.push_str(&format!(" Actions: {}.", actions.join("; ")));
            }
            Described::new(
                category,
                format!(
                    "Discussed in {}'s case supervision on {}",
                    text(p, "worker_name"),
                    day(p, "held_on")
                ),
                detail,
            )
        }
        "supervision_action_completed" => Described::new(
            category,
            format!(
                "Supervision action done: {}",
                text(p, "description").trim_end_matches('.')
            ),
            format!(
                "Done on {} (due {}). {}",
                day(p, "completed_on"),
                day(p, "due_on"),
                sentence(&text(p, "note"))
            ),
        ),
        "supervision_action_carried_forward" => {
            let times = p.get("times_carried").and_then(|v| v.as_i64()).unwrap_or(1);
            Described::new(
                category,
                format!(
                    "Supervision action carried forward unfinished: {}",
                    text(p, "description").trim_end_matches('.')
                ),
                format!(
                    "Not done by {}; carried into the supervision of {} ({}). Now due {}.",
                    day(p, "due_on_before"),
                    day(p, "held_on"),
                    match times {
                        1 => "the first time".to_string(),
                        n => format!("{n} supervisions running"),
                    },
                    day(p, "due_on_after")
                ),
            )
        }
        "supervision_action_closed" => Described::new(
            category,
            format!(
                "Supervision action closed unfinished: {}",
                text(p, "description").trim_end_matches('.')
            ),
            format!(
                "Closed at the supervision of {}: {}",
                day(p, "held_on"),
                sentence(&text(p, "reason"))
            ),
        ),
        _ => return None,
    };
    Some(described)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_discussion_reads_as_words() {
        let d = describe(
            "supervision_discussed",
            &json!({ "held_on": "2026-03-30", "worker_name": "Sam Patel", "risks_reviewed": "Stepfather has left the home", "decisions": "", "actions": [{ "description": "See Amy alone", "owner_name": "Sam Patel", "due_on": "2026-04-02" }] }),
        )
        .expect("described");
        assert_eq!(
            d.title,
            "Discussed in Sam Patel's case supervision on 30 March 2026"
        );
        assert_eq!(
            d.detail,
            "Risks reviewed: Stepfather has left the home. Actions: See Amy alone (Sam Patel, by 2 April 2026)."
        );
    }

    #[test]
    fn carrying_forward_says_it_was_not_done() {
        let d = describe(
            "supervision_action_carried_forward",
            &json!({ "description": "Visit school", "held_on": "2026-04-13", "times_carried": 2, "due_on_before": "2026-04-02", "due_on_after": "2026-04-17" }),
        )
        .expect("described");
        assert_eq!(
            d.title,
            "Supervision action carried forward unfinished: Visit school"
        );
        assert_eq!(
            d.detail,
            "Not done by 2 April 2026; carried into the supervision of 13 April 2026 (2 supervisions running). Now due 17 April 2026."
        );
    }
}
