//! Episodes, strategy discussions, section 47 enquiries, conferences and child protection plans
//! in words.

use super::{text, Described, EntryCategory};
use frontdoor_domain::child_protection::CategoryOfAbuse;
use frontdoor_domain::contact::ReferralSource;
use frontdoor_domain::episode::{ClosureReason, PrimaryNeed};
use frontdoor_domain::strategy_discussion::{Agency, StrategyOutcome};
use serde_json::Value;

fn flag(p: &Value, key: &str) -> Option<bool> {
    p.get(key).and_then(|v| v.as_bool())
}

fn date_words(p: &Value, key: &str) -> String {
    chrono::NaiveDate::parse_from_str(&text(p, key), "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

fn decision(p: &Value) -> String {
    StrategyOutcome::from_code(&text(p, "decision"))
        .map(|d| d.label().to_string())
        .unwrap_or_else(|_| "not yet recorded".into())
}

fn category(p: &Value) -> String {
    CategoryOfAbuse::from_code(&text(p, "category"))
        .map(|c| c.label().to_lowercase())
        .unwrap_or_default()
}

fn yes_no(value: Option<bool>, yes: &str, no: &str) -> String {
    match value {
        Some(true) => yes.to_string(),
        Some(false) => no.to_string(),
        None => String::new(),
    }
}

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    use EntryCategory::*;
    let described = match kind {
        "episode_opened" => {
            let source = ReferralSource::from_code(&text(p, "source"))
                .map(|s| s.sender().to_string())
                .unwrap_or_else(|_| "an unrecorded source".into());
            let re = if flag(p, "re_referral") == Some(true) {
                " This is a re-referral (within 12 months of an earlier one)."
            } else {
                ""
            };
            Described::new(
                Episode,
                "Episode of need opened by a referral",
                format!(
                    "Referral dated {} from {source}, on contact {}.{re}",
                    date_words(p, "referral_date"),
                    text(p, "contact")
                ),
            )
        }
        "episode_primary_need_set" => Described::new(
            Episode,
            format!(
                "Primary need: {}",
                PrimaryNeed::from_code(&text(p, "primary_need"))
                    .map(|n| n.label())
                    .unwrap_or("not stated")
            ),
            "",
        ),
        "episode_allocated" => Described::new(
            Episode,
            format!("Episode allocated to {}", text(p, "worker_name")),
            "",
        ),
        "asye_caseload_overridden" => Described::new(
            Episode,
            format!(
                "Allocated to {} beyond their protected caseload",
                text(p, "worker_name")
            ),
            format!(
                "A newly qualified worker's caseload goes from {} to {} (protected: {}). Reason: {}",
                p["caseload_before"], p["caseload_after"], p["cap"], text(p, "reason")
            ),
        ),
        "episode_closed" => Described::new(
            Episode,
            "Episode of need closed",
            format!(
                "Closed on {}: {}.",
                date_words(p, "closed_on"),
                ClosureReason::from_code(&text(p, "closure_reason"))
                    .map(|r| r.label())
                    .unwrap_or("reason not recorded")
            ),
        ),
        "strategy_discussion_decided" => Described::new(
            StrategyDiscussion,
            if flag(p, "emergency") == Some(true) {
                "Emergency strategy discussion started"
            } else {
                "Strategy discussion to be held"
            },
            if flag(p, "during_assessment") == Some(true) {
                "Decided during the child and family assessment.".to_string()
            } else if text(p, "contact").is_empty() {
                String::new()
            } else {
                format!("Decided on contact {}.", text(p, "contact"))
            },
        ),
        "cin_plan_started" => Described::new(
            Episode,
            "Child in need plan started",
            format!("Started on {}.", date_words(p, "started_on")),
        ),
        "cin_plan_ended" => Described::new(
            Episode,
            "Child in need plan ended",
            format!("Ended on {}.", date_words(p, "ended_on")),
        ),
        "strategy_discussion_recorded" => {
            let agencies: Vec<String> = p
                .get("agencies")
                .and_then(|v| v.as_array())
                .map(|codes| {
                    let mut labels: Vec<String> = codes
                        .iter()
                        .filter_map(|c| c.as_str())
                        .filter_map(Agency::from_code)
                        .map(|a| a.label().to_string())
                        .collect();
                    labels.dedup();
                    labels
                })
                .unwrap_or_default();
            let with = if agencies.is_empty() {
                String::new()
            } else {
                format!(" with {}", agencies.join(", "))
            };
            Described::new(
                StrategyDiscussion,
                format!("Strategy discussion recorded{with}"),
                format!("Decision: {}. {}", decision(p), text(p, "rationale")),
            )
        }
        "strategy_discussion_sign_off_refused" => {
            let missing: Vec<String> = p
                .get("missing")
                .and_then(|v| v.as_array())
                .map(|m| {
                    m.iter()
                        .filter_map(|x| x.as_str())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            Described::new(
                StrategyDiscussion,
                "Strategy discussion sign-off refused: the record is incomplete",
                missing.join(" "),
            )
        }
        "strategy_discussion_withdrawn" => Described::new(
            StrategyDiscussion,
            "Strategy discussion withdrawn: no longer needed",
            text(p, "reason"),
        ),
        "strategy_discussion_signed_off" => Described::new(
            StrategyDiscussion,
            format!("Strategy discussion signed off: {}", decision(p)),
            text(p, "rationale"),
        ),
        "section_47_started" => Described::new(
            Section47Enquiry,
            "Section 47 enquiry started",
            format!(
                "Initial child protection conference due by {}.",
                date_words(p, "icpc_due_on")
            ),
        ),
        "section_47_visit_recorded" => {
            let seen = yes_no(
                flag(p, "child_seen"),
                if flag(p, "seen_alone") == Some(true) {
                    "Child seen alone."
                } else {
                    "Child seen, not alone."
                },
                "Child not seen.",
            );
            let early = if flag(p, "before_plan_agreed") == Some(true) {
                format!(
                    " Visited before the strategy discussion agreed the plan: {}",
                    text(p, "early_visit_reason")
                )
            } else {
                String::new()
            };
            Described::new(
                Section47Enquiry,
                format!("Section 47 visit by {}", text(p, "visited_by")),
                format!("{seen}{early}"),
            )
        }
        "section_47_completed" => Described::new(
            Section47Enquiry,
            format!(
                "Section 47 enquiry completed: concerns {}",
                yes_no(
                    flag(p, "concerns_substantiated"),
                    "substantiated",
                    "not substantiated"
                )
            ),
            format!(
                "{} {}",
                yes_no(
                    flag(p, "icpc_needed"),
                    "An initial child protection conference is needed.",
                    "No initial child protection conference is needed."
                ),
                text(p, "reason")
            ),
        ),
        "conference_held" => {
            let initial = text(p, "kind") == "initial";
            let name = if initial {
                "Initial child protection conference"
            } else {
                "Review child protection conference"
            };
            let outcome = match (initial, flag(p, "plan")) {
                (true, Some(true)) => format!("child protection plan ({})", category(p)),
                (true, _) => "no child protection plan".to_string(),
                (false, Some(true)) => format!("plan continues ({})", category(p)),
                (false, _) => "plan ended".to_string(),
            };
            Described::new(
                Conference,
                format!("{name}: {outcome}"),
                format!(
                    "Held on {}, chaired by {}.",
                    date_words(p, "held_on"),
                    text(p, "chair")
                ),
            )
        }
        "protection_plan_started" => Described::new(
            ProtectionPlan,
            format!("Child protection plan started: {}", category(p)),
            format!(
                "First review conference due by {}.",
                date_words(p, "review_due_on")
            ),
        ),
        "protection_plan_visit_recorded" => Described::new(
            ProtectionPlan,
            "Statutory visit",
            format!(
                "Visited on {}. {}",
                date_words(p, "visited_on"),
                yes_no(flag(p, "seen_alone"), "Seen alone.", "Not seen alone.")
            ),
        ),
        "protection_plan_ended" => Described::new(
            ProtectionPlan,
            "Child protection plan ended",
            format!(
                "Ended on {}: {}",
                date_words(p, "ended_on"),
                text(p, "reason")
            ),
        ),
        _ => return None,
    };
    Some(described)
}
