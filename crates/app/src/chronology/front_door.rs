//! The front door's events in words: contacts, links to records, threshold decisions, emergency
//! action, assessments and the record itself (creation, merges).

use super::{text, Described, EntryCategory};
use frontdoor_domain::assessment::{AssessmentOutcome, QualityPoint};
use frontdoor_domain::contact::{ConcernCategory, ReferralSource};
use frontdoor_domain::decision::{EmergencyAction, ThresholdOutcome};
use serde_json::Value;

/// "physical abuse, neglect" from the payload's concern codes.
fn concerns(payload: &Value) -> String {
    let words: Vec<String> = payload
        .get("concern_categories")
        .and_then(|v| v.as_array())
        .map(|codes| {
            codes
                .iter()
                .filter_map(|c| c.as_str())
                .map(|c| {
                    ConcernCategory::from_code(c)
                        .map(|c| c.label().to_string())
                        .unwrap_or_else(|_| c.replace('_', " "))
                })
                .collect()
        })
        .unwrap_or_default();
    let joined = words.join(", ");
    // Lower-case after the first word, except names like "Parent's" that stay as written.
    let mut out = String::with_capacity(joined.len());
    for (i, part) in joined.split(", ").enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_lowercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

fn outcome(payload: &Value) -> String {
    ThresholdOutcome::from_code(&text(payload, "outcome"))
        .map(|o| o.label().to_string())
        .unwrap_or_else(|_| text(payload, "outcome").replace('_', " "))
}

fn sender(payload: &Value) -> String {
    ReferralSource::from_code(&text(payload, "source"))
        .map(|s| s.sender().to_string())
        .unwrap_or_else(|_| "an unrecorded source".into())
}

pub(super) fn date_words(payload: &Value, key: &str) -> String {
    chrono::NaiveDate::parse_from_str(&text(payload, key), "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    let described = match kind {
        "contact_recorded" | "contact_linked" => {
            let concerns = concerns(p);
            let title = if concerns.is_empty() {
                format!("Contact from {}", sender(p))
            } else {
                format!("Contact from {}: {concerns}", sender(p))
            };
            let detail = if kind == "contact_linked" {
                let role = if p.get("as_child").and_then(|v| v.as_bool()) == Some(false) {
                    "an adult in the household"
                } else {
                    "a child"
                };
                format!(
                    "Contact {} linked to this record, as {role}.",
                    text(p, "reference")
                )
            } else {
                format!("Contact {} received.", text(p, "reference"))
            };
            Described::new(EntryCategory::Contact, title, detail)
        }
        "decision_recommended" => {
            let level = p
                .get("level_of_need")
                .map(|v| format!(" (level of need {v})"))
                .unwrap_or_default();
            let signpost = text(p, "signposted_to");
            let signpost = if signpost.is_empty() {
                String::new()
            } else {
                format!(" to {signpost}")
            };
            Described::new(
                EntryCategory::Decision,
                format!("Recommended: {}{signpost}{level}", outcome(p)),
                format!(
                    "On contact {}. {}",
                    text(p, "contact"),
                    text(p, "rationale")
                ),
            )
        }
        "decision_authorised" => Described::new(
            EntryCategory::Decision,
            format!("Decision authorised: {}", outcome(p)),
            format!(
                "On contact {}. {}",
                text(p, "contact"),
                text(p, "rationale")
            ),
        ),
        "decision_returned" => Described::new(
            EntryCategory::Decision,
            "Recommendation returned to the social worker",
            format!(
                "On contact {}. {}",
                text(p, "contact"),
                text(p, "rationale")
            ),
        ),
        "emergency_action_recorded" => Described::new(
            EntryCategory::EmergencyAction,
            format!(
                "Emergency action: {}",
                EmergencyAction::from_code(&text(p, "action"))
                    .map(|a| a.label())
                    .unwrap_or("recorded")
            ),
            text(p, "notes"),
        ),
        "assessment_recorded" => {
            let completed = date_words(p, "completed_on");
            Described::new(
                EntryCategory::Assessment,
                format!(
                    "Child and family assessment started {}",
                    date_words(p, "started_on")
                ),
                if completed.is_empty() {
                    "Not yet completed.".to_string()
                } else {
                    format!("Completed {completed}.")
                },
            )
        }
        "assessment_started" => Described::new(
            EntryCategory::Assessment,
            format!(
                "Child and family assessment started {}",
                date_words(p, "started_on")
            ),
            format!(
                "Due {}.{}",
                date_words(p, "due_on"),
                if p.get("repeat").and_then(Value::as_bool) == Some(true) {
                    " A repeat assessment: another started in the 12 months before."
                } else {
                    ""
                }
            ),
        ),
        "assessment_visit_recorded" => Described::new(
            EntryCategory::Assessment,
            format!("Assessment visit {}", date_words(p, "visited_on")),
            match (
                p.get("child_seen").and_then(Value::as_bool),
                p.get("seen_alone").and_then(Value::as_bool),
            ) {
                (_, Some(true)) => "The child was seen alone.",
                (Some(true), _) => "The child was seen.",
                _ => "The child was not seen.",
            },
        ),
        "assessment_updated" => {
            Described::new(EntryCategory::Assessment, "Assessment record updated", "")
        }
        "assessment_submitted" => Described::new(
            EntryCategory::Assessment,
            "Assessment submitted for authorisation",
            quality_points_missing(p),
        ),
        "assessment_authorised" => Described::new(
            EntryCategory::Assessment,
            format!(
                "Assessment authorised: {}",
                AssessmentOutcome::from_code(&text(p, "outcome"))
                    .map(|o| o.label())
                    .unwrap_or("outcome recorded")
            ),
            format!("Completed {}.", date_words(p, "completed_on")),
        ),
        "assessment_returned" => Described::new(
            EntryCategory::Assessment,
            "Assessment returned to the worker",
            text(p, "reason"),
        ),
        "person_created" => Described::new(
            EntryCategory::Record,
            "Record created",
            format!("Person id {}.", text(p, "la_person_id")),
        ),
        "relationship_recorded" => Described::new(
            EntryCategory::Record,
            "Relationship recorded",
            format!(
                "{} is {} {}.",
                text(p, "from_name"),
                frontdoor_domain::person::Relationship::from_code(&text(p, "relationship"))
                    .map(|r| r.label())
                    .unwrap_or("related to"),
                text(p, "to_name")
            ),
        ),
        "person_merged" => Described::new(
            EntryCategory::Record,
            format!(
                "Duplicate record {} merged into {}",
                text(p, "merged"),
                text(p, "kept")
            ),
            text(p, "reason"),
        ),
        "person_merge_reversed" => Described::new(
            EntryCategory::Record,
            "A merge of this record was reversed",
            text(p, "reason"),
        ),
        _ => return None,
    };
    Some(described)
}

/// "Submitted without: the child was seen alone." from the payload's quality point codes.
fn quality_points_missing(payload: &Value) -> String {
    let points: Vec<&str> = payload
        .get("missing_quality_points")
        .and_then(Value::as_array)
        .map(|codes| {
            codes
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|c| QualityPoint::from_code(c).ok())
                .map(QualityPoint::label)
                .collect()
        })
        .unwrap_or_default();
    if points.is_empty() {
        "Every quality point shown.".into()
    } else {
        format!(
            "Submitted without (each with a reason): {}.",
            points.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_police_contact_reads_as_words_not_codes() {
        let d = describe(
            "contact_linked",
            &json!({ "reference": "CON-2026-000001", "source": "6", "concern_categories": ["physical_abuse", "neglect"], "as_child": true }),
        )
        .expect("described");
        assert_eq!(d.title, "Contact from the police: physical abuse, neglect");
        assert_eq!(
            d.detail,
            "Contact CON-2026-000001 linked to this record, as a child."
        );
        assert!(!d.title.contains('_'));
    }

    #[test]
    fn a_recommendation_names_its_outcome_and_level() {
        let d = describe(
            "decision_recommended",
            &json!({ "contact": "CON-1", "outcome": "referral_for_assessment", "level_of_need": 3, "rationale": "Bruising seen." }),
        )
        .expect("described");
        assert_eq!(
            d.title,
            "Recommended: Referral to children's social care for assessment (level of need 3)"
        );
        assert_eq!(d.detail, "On contact CON-1. Bruising seen.");
    }

    #[test]
    fn unknown_kinds_are_left_to_the_caller() {
        assert!(describe("something_new", &json!({})).is_none());
    }
}
