//! A child's chronology as a practitioner writes it: each event of their record in plain words
//! ("Police referral: physical abuse"), never codes, grouped by kind so a reader can filter it.
//!
//! Each area describes its own events in its own module here (`front_door.rs` for contacts and
//! threshold decisions, and one module per later area); [`describe`] asks each in turn. An event
//! no area knows is still shown, under "Other", with its kind in words.

mod child_protection;
mod early_help;
mod front_door;
mod information_requests;
mod quality_assurance;
mod risk;
mod supervision;
mod threshold_prompts;
mod triage;

use chrono::{DateTime, Utc};
use frontdoor_store::events::Event;
use serde::Serialize;
use serde_json::Value;

/// What an entry is about: the chronology's filter ("show only strategy discussions").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryCategory {
    Contact,
    Decision,
    InformationRequest,
    Triage,
    StrategyDiscussion,
    Section47Enquiry,
    Conference,
    ProtectionPlan,
    Episode,
    EmergencyAction,
    Assessment,
    RiskAndSafety,
    Supervision,
    EarlyHelp,
    QualityAssurance,
    Record,
    Other,
}

impl EntryCategory {
    pub const ALL: [EntryCategory; 17] = [
        EntryCategory::Contact,
        EntryCategory::Decision,
        EntryCategory::InformationRequest,
        EntryCategory::Triage,
        EntryCategory::StrategyDiscussion,
        EntryCategory::Section47Enquiry,
        EntryCategory::Conference,
        EntryCategory::ProtectionPlan,
        EntryCategory::Episode,
        EntryCategory::EmergencyAction,
        EntryCategory::Assessment,
        EntryCategory::RiskAndSafety,
        EntryCategory::Supervision,
        EntryCategory::EarlyHelp,
        EntryCategory::QualityAssurance,
        EntryCategory::Record,
        EntryCategory::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryCategory::Contact => "contact",
            EntryCategory::Decision => "decision",
            EntryCategory::InformationRequest => "information_request",
            EntryCategory::Triage => "triage",
            EntryCategory::StrategyDiscussion => "strategy_discussion",
            EntryCategory::Section47Enquiry => "section_47_enquiry",
            EntryCategory::Conference => "conference",
            EntryCategory::ProtectionPlan => "protection_plan",
            EntryCategory::Episode => "episode",
            EntryCategory::EmergencyAction => "emergency_action",
            EntryCategory::Assessment => "assessment",
            EntryCategory::RiskAndSafety => "risk_and_safety",
            EntryCategory::Supervision => "supervision",
            EntryCategory::EarlyHelp => "early_help",
            EntryCategory::QualityAssurance => "quality_assurance",
            EntryCategory::Record => "record",
            EntryCategory::Other => "other",
        }
    }

    /// The filter's label.
    pub fn label(self) -> &'static str {
        match self {
            EntryCategory::Contact => "Contacts",
            EntryCategory::Decision => "Threshold decisions",
            EntryCategory::InformationRequest => "Information requests",
            EntryCategory::Triage => "MASH triage",
            EntryCategory::StrategyDiscussion => "Strategy discussions",
            EntryCategory::Section47Enquiry => "Section 47 enquiries",
            EntryCategory::Conference => "Child protection conferences",
            EntryCategory::ProtectionPlan => "Child protection plans",
            EntryCategory::Episode => "Episodes of need",
            EntryCategory::EmergencyAction => "Emergency action",
            EntryCategory::Assessment => "Assessments",
            EntryCategory::RiskAndSafety => "Risk assessments and safety plans",
            EntryCategory::Supervision => "Case supervision",
            EntryCategory::EarlyHelp => "Early help",
            EntryCategory::QualityAssurance => "Quality assurance audits",
            EntryCategory::Record => "The record itself",
            EntryCategory::Other => "Other",
        }
    }

    pub fn from_code(code: &str) -> Option<EntryCategory> {
        EntryCategory::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
    }
}

/// One entry of a chronology.
#[derive(Debug, Clone, Serialize)]
pub struct ChronologyEntry {
    pub sequence: i64,
    pub at: DateTime<Utc>,
    /// The event as stored, e.g. `contact_linked`.
    pub kind: String,
    /// What the entry is about, for the filter.
    pub category: EntryCategory,
    /// What happened, e.g. "Police referral: physical abuse".
    pub title: String,
    /// The words recorded with it (a rationale, an answer, a summary), or empty.
    pub detail: String,
    /// Who did it: a worker's name, or "Online referral form or the system".
    pub by: String,
}

/// An event in words, as an area describes it.
pub(crate) struct Described {
    pub category: EntryCategory,
    pub title: String,
    pub detail: String,
}

impl Described {
    pub fn new(
        category: EntryCategory,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Described {
            category,
            title: title.into(),
            detail: detail.into(),
        }
    }
}

/// Reads a text field of an event's payload (empty when absent).
pub(crate) fn text(payload: &Value, key: &str) -> String {
    payload
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string()
}

/// An event in plain words.
pub fn describe(event: &Event) -> ChronologyEntry {
    let areas = [
        front_door::describe,
        information_requests::describe,
        triage::describe,
        child_protection::describe,
        risk::describe,
        supervision::describe,
        threshold_prompts::describe,
        early_help::describe,
        quality_assurance::describe,
    ];
    let described = areas
        .iter()
        .find_map(|describe| describe(&event.kind, &event.payload))
        .unwrap_or_else(|| {
            let mut words = event.kind.replace('_', " ");
            if let Some(first) = words.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            Described::new(EntryCategory::Other, words, "")
        });
    ChronologyEntry {
        sequence: event.sequence,
        at: event.recorded_at,
        kind: event.kind.clone(),
        category: described.category,
        title: described.title,
        detail: described.detail,
        by: event
            .actor_name
            .clone()
            .unwrap_or_else(|| "Online referral form or the system".into()),
    }
}

/// A chronology in plain words, keeping only `only` when given.
pub fn in_words(events: &[Event], only: Option<EntryCategory>) -> Vec<ChronologyEntry> {
    events
        .iter()
        .map(describe)
        .filter(|entry| only.is_none_or(|category| entry.category == category))
        .collect()
}
