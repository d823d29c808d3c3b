//! What each kind of event records. The use cases and the synthetic loader both write events
//! through these, so a chronology reads the same whichever wrote it.

use frontdoor_domain::ids::{PersonId, WorkerId};
use frontdoor_domain::strategy_discussion::StrategyRecord;
use frontdoor_store::contacts::Contact;
use frontdoor_store::decisions::ThresholdDecision;
use serde_json::{json, Value};

/// `contact_recorded`: a contact was received.
pub(crate) fn contact_recorded(contact: &Contact) -> Value {
    json!({
        "reference": contact.reference,
        "received_at": contact.received_at,
        "channel": contact.channel.code(),
        "source": contact.source.code(),
        "urgency": contact.urgency.code(),
        "out_of_hours": contact.out_of_hours,
        "concern_categories": contact.concern_categories.iter().map(|c| c.code()).collect::<Vec<_>>(),
    })
}

/// `contact_linked`: a person on a contact was linked to their record (the contact then
/// appears in that person's chronology).
pub(crate) fn contact_linked(contact: &Contact, as_child: bool, person: PersonId) -> Value {
    json!({
        "reference": contact.reference,
        "received_at": contact.received_at,
        "source": contact.source.code(),
        "concern_categories": contact.concern_categories.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "as_child": as_child,
        "person": person,
    })
}

/// `decision_recommended`: a social worker recommended a threshold decision.
pub(crate) fn decision_recommended(contact_reference: &str, decision: &ThresholdDecision) -> Value {
    json!({
        "contact": contact_reference,
        "outcome": decision.outcome.code(),
        "level_of_need": decision.level_of_need,
        "signposted_to": decision.signposted_to,
        "rationale": decision.rationale,
    })
}

/// `decision_authorised` / `decision_returned`: a manager reviewed a recommendation.
pub(crate) fn decision_reviewed(
    contact_reference: &str,
    outcome: frontdoor_domain::decision::ThresholdOutcome,
    level_of_need: i32,
    recommended_by: WorkerId,
    rationale: &str,
    referrals: &[Value],
) -> Value {
    json!({
        "contact": contact_reference,
        "outcome": outcome.code(),
        "level_of_need": level_of_need,
        "recommended_by": recommended_by,
        "rationale": rationale,
        "referrals": referrals,
    })
}

/// `emergency_action_recorded`: police protection, an emergency protection order or
/// accommodation, at any hour.
pub(crate) fn emergency_action_recorded(
    contact_reference: &str,
    action: frontdoor_domain::decision::EmergencyAction,
    notes: &str,
) -> Value {
    json!({ "contact": contact_reference, "action": action.code(), "notes": notes })
}

/// `strategy_discussion_recorded`: a discussion written up (held or not yet).
pub(crate) fn strategy_discussion_recorded(record: &StrategyRecord) -> Value {
    json!({
        "held_at": record.held_at,
        "agencies": record.attendees.iter().filter_map(|a| a.agency.map(|g| g.code())).collect::<Vec<_>>(),
        "decision": record.decision.map(|d| d.code()),
        "rationale": record.rationale,
        "risks": record.risks.len(),
        "actions": record.actions.len(),
    })
}

/// `strategy_discussion_signed_off`: a manager signed off a complete record.
pub(crate) fn strategy_discussion_signed_off(
    record: &StrategyRecord,
    held_within_target: bool,
    refused_before: i32,
) -> Value {
    json!({
        "decision": record.decision.map(|d| d.code()),
        "rationale": record.rationale,
        "held_within_target": held_within_target,
        "refused_before": refused_before,
    })
}

/// `safety_plan_started` and `safety_plan_saved`: a safety plan (or a written agreement) as
/// written.
pub(crate) fn safety_plan(
    plan: &frontdoor_domain::safety_plan::PlanRecord,
    prompted_by_dash: bool,
) -> Value {
    json!({
        "kind": plan.kind.code(),
        "concerns": plan.concerns,
        "actions": plan.actions.len(),
        "review_on": plan.review_on,
        "prompted_by_dash": prompted_by_dash,
    })
}

/// `dash_assessment_recorded`: a DASH risk checklist completed.
pub(crate) fn dash_assessment_recorded(d: &frontdoor_store::dash::DashAssessment) -> Value {
    json!({
        "victim_relationship": d.victim_relationship,
        "incident_on": d.incident_on,
        "score": d.score,
        "level": d.level.code(),
        "judgement_level": d.judgement_level.map(|l| l.code()),
        "judgement_reason": d.judgement_reason,
        "incidents_in_12_months": d.incidents_in_12_months,
        "escalation": d.escalation,
        "marac": d.marac,
    })
}

/// `cse_screening_recorded`: a child sexual exploitation screening completed.
pub(crate) fn cse_screening_recorded(s: &frontdoor_store::cse::CseScreening) -> Value {
    json!({
        "level": s.level.code(),
        "indicator_level": s.indicator_level.code(),
        "judgement_level": s.judgement_level.map(|l| l.code()),
        "judgement_reason": s.judgement_reason,
        "present": s.present().collect::<Vec<_>>(),
        "review_on": s.review_on,
        "for_contact": s.contact.is_some(),
    })
}
