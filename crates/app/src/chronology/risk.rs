//! Risk tools and safety plans in words: DASH checklists, safety plans and written agreements.

use super::{text, Described, EntryCategory};
use frontdoor_domain::cse::{self, CseLevel};
use frontdoor_domain::dash::DashLevel;
use frontdoor_domain::safety_plan::PlanKind;
use serde_json::Value;

fn kind(p: &Value) -> &'static str {
    PlanKind::from_code(&text(p, "kind"))
        .map(|k| k.label())
        .unwrap_or("Safety plan")
}

fn number(p: &Value, key: &str) -> i64 {
    p.get(key).and_then(|v| v.as_i64()).unwrap_or(0)
}

fn date_words(p: &Value, key: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(&text(p, key), "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%-d %B %Y").to_string())
}

fn dash(p: &Value) -> Described {
    let level = DashLevel::from_code(&text(p, "level"))
        .map(|l| l.label().to_lowercase())
        .unwrap_or_else(|_| "unrecorded".into());
    let mut detail = format!(
        "Completed with the child's {} about the incident on {}: {} of 24 answers yes.",
        text(p, "victim_relationship"),
        date_words(p, "incident_on").unwrap_or_default(),
        number(p, "score")
    );
    if !text(p, "judgement_level").is_empty() {
        detail.push_str(&format!(
            " Level raised by professional judgement: {}",
            text(p, "judgement_reason").trim_end_matches('.')
        ));
        detail.push('.');
    }
    if p.get("escalation").and_then(|v| v.as_bool()) == Some(true) {
        detail.push_str(&format!(
            " Escalating: {} domestic abuse incidents in 12 months.",
            number(p, "incidents_in_12_months")
        ));
    }
    let marac = p.get("marac").cloned().unwrap_or(Value::Null);
    match marac.get("referred").and_then(|v| v.as_str()) {
        Some("referred") => detail.push_str(&format!(
            " Referred to MARAC on {}.",
            date_words(&marac, "on").unwrap_or_default()
        )),
        Some("not_referred") => detail.push_str(&format!(
            " Not referred to MARAC: {}.",
            text(&marac, "reason").trim_end_matches('.')
        )),
        _ => {}
    }
    Described::new(
        EntryCategory::RiskAndSafety,
        format!("DASH domestic abuse risk checklist: {level} risk"),
        detail,
    )
}

fn cse_screening(p: &Value) -> Described {
    let level = CseLevel::from_code(&text(p, "level"))
        .map(|l| l.label().to_lowercase())
        .unwrap_or_else(|_| "unrecorded".into());
    let present: Vec<&str> = p
        .get("present")
        .and_then(|v| v.as_array())
        .map(|m| m.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let found: Vec<String> = cse::identified_concerns(present)
        .into_iter()
        .map(|c| c.label)
        .collect();
    let mut detail = if found.is_empty() {
        "No indicators of sexual exploitation found present.".to_string()
    } else {
        format!("Indicators present: {}.", found.join("; "))
    };
    if !text(p, "judgement_level").is_empty() {
        detail.push_str(&format!(
            " Level raised by professional judgement: {}.",
            text(p, "judgement_reason").trim_end_matches('.')
        ));
    }
    if let Some(on) = date_words(p, "review_on") {
        detail.push_str(&format!(
            " Listed for the risk management group, to be reviewed by {on}."
        ));
    }
    Described::new(
        EntryCategory::RiskAndSafety,
        format!("Child sexual exploitation screening: {level}"),
        detail,
    )
}

pub(super) fn describe(kind_of: &str, p: &Value) -> Option<Described> {
    use EntryCategory::RiskAndSafety;
    let described = match kind_of {
        "dash_assessment_recorded" => dash(p),
        "cse_screening_recorded" => cse_screening(p),
        "cse_review_recorded" => Described::new(
            RiskAndSafety,
            "Reviewed by the risk management group".to_string(),
            format!(
                "{} Next review by {}.",
                text(p, "notes").trim(),
                date_words(p, "next_review_on").unwrap_or_default()
            ),
        ),
        "safety_plan_started" => Described::new(
            RiskAndSafety,
            format!("{} started", kind(p)),
            text(p, "concerns"),
        ),
        "safety_plan_saved" => Described::new(
            RiskAndSafety,
            format!("{} updated", kind(p)),
            format!("{} actions recorded.", number(p, "actions")),
        ),
        "safety_plan_sign_off_refused" => {
            let missing: Vec<&str> = p
                .get("missing")
                .and_then(|v| v.as_array())
                .map(|m| m.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            Described::new(
                RiskAndSafety,
                format!("{} not signed off: incomplete", kind(p)),
                missing.join(" "),
            )
        }
        "safety_plan_signed_off" => Described::new(
            RiskAndSafety,
            format!("{} signed off", kind(p)),
            format!(
                "{} actions, each with an owner and a due date.{}",
                number(p, "actions"),
                date_words(p, "review_on")
                    .map(|d| format!(" To be reviewed by {d}."))
                    .unwrap_or_default()
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
    fn a_high_risk_dash_reads_as_words() {
        let d = describe(
            "dash_assessment_recorded",
            &json!({ "victim_relationship": "mother", "incident_on": "2026-03-30", "score": 15, "level": "high",
                     "judgement_level": null, "judgement_reason": "", "incidents_in_12_months": 3, "escalation": true,
                     "marac": { "referred": "referred", "on": "2026-04-01" } }),
        )
        .expect("described");
        assert_eq!(d.title, "DASH domestic abuse risk checklist: high risk");
        assert_eq!(
            d.detail,
            "Completed with the child's mother about the incident on 30 March 2026: 15 of 24 answers yes. Escalating: 3 domestic abuse incidents in 12 months. Referred to MARAC on 1 April 2026."
        );
    }

    #[test]
    fn a_cse_screening_names_the_indicators_found() {
        let d = describe(
            "cse_screening_recorded",
            &json!({ "level": "high", "present": ["online.sexual_images", "older_people.older_partner"],
                     "judgement_level": null, "judgement_reason": "", "review_on": "2026-04-29" }),
        )
        .expect("described");
        assert_eq!(d.title, "Child sexual exploitation screening: high");
        assert_eq!(
            d.detail,
            "Indicators present: In a relationship with a significantly older person; Sharing or asked to share sexual images. Listed for the risk management group, to be reviewed by 29 April 2026."
        );
    }

    #[test]
    fn a_written_agreement_is_named_as_one() {
        let d = describe(
            "safety_plan_signed_off",
            &json!({ "kind": "written_agreement", "actions": 2, "review_on": "2026-05-01" }),
        )
        .expect("described");
        assert_eq!(d.title, "Written agreement signed off");
        assert_eq!(
            d.detail,
            "2 actions, each with an owner and a due date. To be reviewed by 1 May 2026."
        );
    }
}
