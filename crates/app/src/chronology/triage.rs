//! MASH triage in words: the rating a meeting gave a contact and the next step it agreed.

use super::{text, Described, EntryCategory};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::triage::RagRating;
use serde_json::Value;

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    if kind != "triage_discussed" {
        return None;
    }
    let rating = RagRating::from_code(&text(p, "rating"))
        .map(|r| r.label().to_lowercase())
        .unwrap_or_else(|| "not rated".into());
    let agencies: Vec<&str> = p
        .get("agencies")
        .and_then(|v| v.as_array())
        .map(|codes| {
            codes
                .iter()
                .filter_map(|c| c.as_str())
                .filter_map(Agency::from_code)
                .map(|a| a.label())
                .collect()
        })
        .unwrap_or_default();
    Some(Described::new(
        EntryCategory::Triage,
        format!("Discussed at MASH triage: rated {rating}"),
        format!(
            "Contact {}. Agreed next step: {} Agencies present: {}.",
            text(p, "contact"),
            text(p, "next_step").trim_end_matches('.').to_string() + ".",
            if agencies.is_empty() {
                "not recorded".to_string()
            } else {
                agencies.join(", ")
            }
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_triage_discussion_reads_as_words() {
        let d = describe(
            "triage_discussed",
            &json!({ "contact": "CON-1", "rating": "red", "next_step": "Strategy discussion today", "agencies": ["childrens_social_care", "police"] }),
        )
        .expect("described");
        assert_eq!(d.title, "Discussed at MASH triage: rated red");
        assert_eq!(
            d.detail,
            "Contact CON-1. Agreed next step: Strategy discussion today. Agencies present: Children's social care, Police."
        );
    }
}
