//! Information requests in words: what was asked of which agency, what it answered, and
//! requests withdrawn.

use super::{text, Described, EntryCategory};
use frontdoor_domain::information_request::{Agency, RequestUrgency};
use serde_json::Value;

/// "Webshire Police (police)" or just the organisation's name when the kind is unknown.
fn agency(payload: &Value) -> String {
    let organisation = text(payload, "organisation");
    match Agency::from_code(&text(payload, "agency")) {
        Some(kind) if !organisation.is_empty() => {
            format!("{organisation} ({})", kind.label().to_lowercase())
        }
        Some(kind) => kind.label().to_string(),
        None if !organisation.is_empty() => organisation,
        None => "a partner agency".into(),
    }
}

pub(super) fn describe(kind: &str, p: &Value) -> Option<Described> {
    let described = match kind {
        "information_request_sent" => {
            let urgency = RequestUrgency::from_code(&text(p, "urgency"))
                .map(|u| u.label().to_lowercase())
                .unwrap_or_default();
            let consent = match text(p, "consent_basis").as_str() {
                "without_consent" => " Shared without consent, agreed by a manager.",
                "consent_given" => " Shared with consent.",
                _ => "",
            };
            Described::new(
                EntryCategory::InformationRequest,
                format!("Information requested from {}", agency(p)),
                format!(
                    "{} ({urgency} request, contact {}).{consent}",
                    text(p, "questions"),
                    text(p, "contact")
                ),
            )
        }
        "information_request_answered" => Described::new(
            EntryCategory::InformationRequest,
            format!("{} answered an information request", agency(p)),
            text(p, "answer"),
        ),
        "information_request_withdrawn" => Described::new(
            EntryCategory::InformationRequest,
            format!("Information request to {} withdrawn", agency(p)),
            text(p, "reason"),
        ),
        _ => return None,
    };
    Some(described)
}
