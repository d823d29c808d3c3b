//! Quality-assurance audits in words: the child's case chosen for an audit (and how), the audit
//! started, graded, completed with its overall grade and findings, partner auditors invited,
//! and the actions agreed and done.

use super::front_door::date_words;
use super::{text, Described, EntryCategory};
use frontdoor_domain::case_audit::{AuditKind, Grade};
use serde_json::Value;

fn audit_words(p: &Value) -> String {
    let kind = AuditKind::from_code(&text(p, "kind"))
        .map(|k| k.label().to_lowercase())
        .unwrap_or_else(|_| "case".into());
    format!("{kind} audit \"{}\"", text(p, "title"))
}

fn grade_words(p: &Value, key: &str) -> Option<&'static str> {
    Grade::from_code(&text(p, key)).ok().map(Grade::label)
}

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    let category = EntryCategory::QualityAssurance;
    let title = text(p, "title");
    let described = match kind {
        "case_audit_planned" => Described::new(
            category,
            format!("Case chosen for the {}", audit_words(p)),
            format!(
                "Tool: {}. Chosen from: {}.",
                text(p, "tool"),
                text(p, "selection").trim_end_matches('.')
            ),
        ),
        "case_audit_started" => {
            Described::new(category, format!("Case audit \"{title}\" started"), "")
        }
        "case_audit_answered" => Described::new(
            category,
            format!("Case audit \"{title}\" graded"),
            match (
                p.get("questions_graded").and_then(Value::as_u64),
                p.get("partner").and_then(Value::as_bool),
            ) {
                (Some(n), Some(true)) => format!("{n} questions graded by a partner auditor."),
                (Some(1), _) => "1 question graded.".to_string(),
                (Some(n), _) => format!("{n} questions graded."),
                _ => String::new(),
            },
        ),
        "case_audit_completed" => Described::new(
            category,
            format!(
                "Case audit \"{title}\" completed: {}",
                grade_words(p, "overall_grade").unwrap_or("graded")
            ),
            text(p, "findings"),
        ),
        "audit_partner_invited" => Described::new(
            category,
            format!("Partner auditor invited to the multi-agency audit \"{title}\""),
            format!("{} ({}).", text(p, "partner"), text(p, "organisation")),
        ),
        "case_audit_action_added" => Described::new(
            category,
            format!("Audit action agreed: \"{title}\""),
            format!(
                "{} ({}, by {}).",
                text(p, "description").trim_end_matches('.'),
                text(p, "owner"),
                date_words(p, "due_on")
            ),
        ),
        "case_audit_action_completed" => Described::new(
            category,
            "Audit action done",
            format!(
                "{} (due {}, done {}).",
                text(p, "description").trim_end_matches('.'),
                date_words(p, "due_on"),
                date_words(p, "completed_on")
            ),
        ),
        _ => return None,
    };
    Some(described)
}
