//! Threshold prompts at the point of decision: evaluated on the contact when its page is shown,
//! and again inside the transaction that stores a recommendation or authorises it (the form is
//! never trusted to say which prompts fired). Authorising a decision below a prompted outcome
//! needs the manager's reason for each prompt departed from; without one nothing is stored.
//! Administrators configure the prompts; managers and quality assurance read the departures.

use crate::administration::ActingAs;
use crate::error::Checks;
use crate::local_time::{london_date, LONDON};
use crate::{App, AppError, FieldError};
use chrono::NaiveDate;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::decision::ThresholdOutcome;
use frontdoor_domain::ids::{ContactId, PersonId};
use frontdoor_domain::threshold_prompt::{
    evaluate_all, ChildInHousehold, ChildOnContact, DepartureReason, FiredPrompt, PromptCondition,
    PromptFacts, PromptKind, ThresholdPromptRule,
};
use frontdoor_store::contacts::{self as contact_store, Contact};
use frontdoor_store::decisions::ThresholdDecision;
use frontdoor_store::events::NewEvent;
use frontdoor_store::threshold_prompts::{self as store, DecisionPrompt, PromptDeparture};
use frontdoor_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

/// The form field for the manager's reason for departing from a prompt of `kind`.
pub fn departure_field(kind: PromptKind) -> String {
    format!("departure_reason_{}", kind.code())
}

/// One prompt rule as typed by an administrator.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PromptRuleInput {
    /// The kind's code, e.g. `repeat_contacts`.
    pub kind: String,
    /// "yes" (or true) when the prompt is on.
    pub enabled: bool,
    /// The first parameter: an age in months or years, or a number of contacts.
    pub first_parameter: String,
    /// The second parameter (the months for repeated contacts; blank otherwise).
    pub second_parameter: String,
    /// early_help, referral_for_assessment or strategy_discussion.
    pub minimum_outcome: String,
    pub source: String,
}

impl PromptRuleInput {
    /// The input that would save `rule` unchanged.
    pub fn from_rule(rule: &ThresholdPromptRule) -> Self {
        let (first, second) = rule.condition.parameters();
        Self {
            kind: rule.kind().code().into(),
            enabled: rule.enabled,
            first_parameter: first.to_string(),
            second_parameter: if second == 0 {
                String::new()
            } else {
                second.to_string()
            },
            minimum_outcome: rule.minimum_outcome.code().into(),
            source: rule.source.clone(),
        }
    }
}

/// The form field of a rule's value: `repeat_contacts_source`, ...
pub fn rule_field(kind: PromptKind, name: &str) -> String {
    format!("{}_{name}", kind.code())
}

fn parse_rule(checks: &mut Checks, input: &PromptRuleInput) -> Option<ThresholdPromptRule> {
    let Some(kind) = PromptKind::from_code(&input.kind) else {
        checks.add(
            "kind",
            format!(
                "There is no threshold prompt called {:?}: use one of {}.",
                input.kind,
                PromptKind::ALL.map(PromptKind::code).join(", ")
            ),
        );
        return None;
    };
    let number = |checks: &mut Checks, name: &str, text: &str, needed: bool| -> Option<u32> {
        let text = text.trim();
        if text.is_empty() && !needed {
            return Some(0);
        }
        match text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                checks.add(
                    rule_field(kind, name),
                    format!("For \"{}\", enter a whole number.", kind.name()),
                );
                None
            }
        }
    };
    let first = number(checks, "first_parameter", &input.first_parameter, true);
    let needs_second = kind.parameter_labels().1.is_some();
    let second = number(
        checks,
        "second_parameter",
        &input.second_parameter,
        needs_second,
    );
    let outcome = match ThresholdOutcome::from_code(&input.minimum_outcome) {
        Ok(o) => Some(o),
        Err(_) => {
            checks.add(
                rule_field(kind, "minimum_outcome"),
                format!("For \"{}\", choose the outcome it prompts.", kind.name()),
            );
            None
        }
    };
    let (first, second, outcome) = (first?, second?, outcome?);
    let condition = match PromptCondition::new(kind, first, second) {
        Ok(c) => c,
        Err(e) => {
            let field = if e.to_string().contains("number of months") {
                "second_parameter"
            } else {
                "first_parameter"
            };
            checks.add(rule_field(kind, field), e.to_string());
            return None;
        }
    };
    let source = checks.text(&rule_field(kind, "source"), &input.source, 2_000);
    match ThresholdPromptRule::new(condition, input.enabled, outcome, &source) {
        Ok(rule) => Some(rule),
        Err(e) => {
            let field = match e {
                frontdoor_domain::threshold_prompt::PromptRuleError::OutcomeTooLow { .. } => {
                    "minimum_outcome"
                }
                _ => "source",
            };
            checks.add(rule_field(kind, field), e.to_string());
            None
        }
    }
}

/// The facts the prompts are evaluated on, read inside `tx`.
async fn facts_in(tx: &mut Tx, contact: &Contact) -> Result<PromptFacts, AppError> {
    let authority = contact.authority;
    let subjects = contact_store::subjects_for_update(tx, authority, contact.id).await?;
    let mut children = Vec::new();
    let mut on_contact: Vec<PersonId> = Vec::new();
    let mut household = Vec::new();
    for subject in &subjects {
        let Some(person) = subject.person else {
            if subject.is_child {
                children.push(ChildOnContact {
                    name: subject.full_name(),
                    birth_date: subject.birth_date,
                    other_contact_dates: vec![],
                });
            }
            continue;
        };
        on_contact.push(person);
        let facts = store::person_facts_in(tx, authority, person).await?;
        for member in store::household_of_in(tx, authority, person).await? {
            household.push(member);
        }
        if subject.is_child {
            let others = store::other_contacts_received_in(tx, authority, person, contact.id)
                .await?
                .into_iter()
                .map(london_date)
                .collect();
            children.push(ChildOnContact {
                name: facts.name,
                birth_date: facts.birth_date.or(subject.birth_date),
                other_contact_dates: others,
            });
        }
    }
    let mut seen: Vec<PersonId> = Vec::new();
    let household = household
        .into_iter()
        .filter(|m| !on_contact.contains(&m.person))
        .filter(|m| {
            let first = !seen.contains(&m.person);
            seen.push(m.person);
            first
        })
        .map(|m| ChildInHousehold {
            name: m.name,
            birth_date: m.birth_date,
        })
        .collect();
    Ok(PromptFacts {
        contact_date: london_date(contact.received_at),
        concerns: contact.concern_categories.clone(),
        children,
        household,
    })
}

/// The prompts that fire on the contact now, read inside `tx` with the rules in force.
pub(crate) async fn prompts_in(
    tx: &mut Tx,
    contact: &Contact,
) -> Result<Vec<FiredPrompt>, AppError> {
    let rules = store::rules_in(tx, contact.authority).await?;
    let facts = facts_in(tx, contact).await?;
    Ok(evaluate_all(&rules, &facts))
}

/// At recommendation, inside its transaction: records which prompts fired on the decision, and
/// whether the recommended outcome is below each.
pub(crate) async fn record_at_recommendation(
    tx: &mut Tx,
    contact: &Contact,
    decision: &ThresholdDecision,
) -> Result<Vec<FiredPrompt>, AppError> {
    let fired = prompts_in(tx, contact).await?;
    for prompt in &fired {
        store::record_prompt(
            tx,
            contact.authority,
            decision.id,
            prompt,
            prompt.departed_from_by(decision.outcome),
            None,
            decision.recommended_at,
        )
        .await?;
    }
    Ok(fired)
}

/// At authorisation, inside its transaction (after the guards): evaluates the prompts again and
/// requires the manager's reason for each one the decision is below. Refused with every
/// missing reason named (the caller's transaction is dropped, so nothing is stored); otherwise
/// the prompts and reasons are recorded on the decision and an event goes on the children's
/// chronology.
pub(crate) async fn check_at_authorisation(
    tx: &mut Tx,
    actor: &Actor,
    contact: &Contact,
    decision: &ThresholdDecision,
    reasons: &BTreeMap<String, String>,
    people: &[PersonId],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let fired = prompts_in(tx, contact).await?;
    let mut errors = Vec::new();
    let mut departures = Vec::new();
    for prompt in &fired {
        if !prompt.departed_from_by(decision.outcome) {
            continue;
        }
        let typed = reasons
            .get(prompt.kind.code())
            .map(String::as_str)
            .unwrap_or("");
        match DepartureReason::parse(typed) {
            Some(reason) => departures.push((prompt, reason)),
            None => errors.push(FieldError::new(
                departure_field(prompt.kind),
                format!(
                    "The prompt \"{}\" asks for at least {} ({}), and this decision is {}: record why you are authorising it below that level (at least {} characters), or return it to the worker.",
                    prompt.name,
                    prompt.minimum_outcome.label().to_lowercase(),
                    prompt.because.trim_end_matches('.'),
                    decision.outcome.label().to_lowercase(),
                    DepartureReason::MIN_CHARS
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    for prompt in &fired {
        let reason = departures
            .iter()
            .find(|(p, _)| p.kind == prompt.kind)
            .map(|(_, r)| (r.as_str(), actor.worker));
        store::record_prompt(
            tx,
            contact.authority,
            decision.id,
            prompt,
            prompt.departed_from_by(decision.outcome),
            reason,
            now,
        )
        .await?;
    }
    if !departures.is_empty() {
        let listed: Vec<_> = departures
            .iter()
            .map(|(p, r)| {
                json!({
                    "kind": p.kind.code(), "name": p.name, "minimum_outcome": p.minimum_outcome.code(),
                    "because": p.because, "source": p.source, "reason": r.as_str(),
                })
            })
            .collect();
        NewEvent::by(
            actor,
            now,
            "threshold_prompt_departures_recorded",
            decision.id.0,
        )
        .about_all(people.iter().copied())
        .with(json!({
            "contact": contact.reference,
            "outcome": decision.outcome.code(),
            "departures": listed,
        }))
        .append(tx)
        .await?;
    }
    Ok(())
}

impl App {
    /// The prompts that fire on a contact now, to show beside the recommendation.
    pub async fn threshold_prompts_on_contact(
        &self,
        actor: &Actor,
        contact_id: ContactId,
    ) -> Result<Vec<FiredPrompt>, AppError> {
        let contact = self
            .authorize_contact(actor, Action::ViewContact, contact_id)
            .await?;
        actor.may(Action::ViewChildRecord)?;
        let mut tx = self.store.begin().await?;
        let fired = prompts_in(&mut tx, &contact).await?;
        tx.commit().await?;
        Ok(fired)
    }

    /// The prompts recorded on the decisions on a contact, with any reasons for departing.
    pub async fn threshold_prompts_recorded(
        &self,
        actor: &Actor,
        contact_id: ContactId,
    ) -> Result<Vec<DecisionPrompt>, AppError> {
        self.authorize_contact(actor, Action::ViewContact, contact_id)
            .await?;
        actor.may(Action::ViewChildRecord)?;
        Ok(self
            .store
            .prompts_on_contact(actor.authority, contact_id)
            .await?)
    }

    /// The authority's prompt rules, one of each kind.
    pub async fn threshold_prompt_rules(
        &self,
        by: &ActingAs,
    ) -> Result<Vec<ThresholdPromptRule>, AppError> {
        by.require(Action::ManageThresholdPrompts)?;
        Ok(self.store.threshold_prompt_rules(by.authority()).await?)
    }

    /// An administrator saves the prompt rules (every rule given; kinds not given keep theirs).
    pub async fn set_threshold_prompt_rules(
        &self,
        by: &ActingAs,
        input: &[PromptRuleInput],
    ) -> Result<Vec<ThresholdPromptRule>, AppError> {
        by.require(Action::ManageThresholdPrompts)?;
        let mut checks = Checks::default();
        if input.is_empty() {
            checks.add("rules", "Send at least one threshold prompt to save.");
        }
        let mut rules: Vec<ThresholdPromptRule> = Vec::new();
        for rule_input in input {
            if let Some(rule) = parse_rule(&mut checks, rule_input) {
                if rules.iter().any(|r| r.kind() == rule.kind()) {
                    checks.add(
                        "kind",
                        format!(
                            "\"{}\" is given twice: send each prompt once.",
                            rule.kind().name()
                        ),
                    );
                } else {
                    rules.push(rule);
                }
            }
        }
        checks.finish()?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        for rule in &rules {
            store::save_rule(&mut tx, by.authority(), rule, by.worker(), now).await?;
        }
        NewEvent::new(
            by.authority(),
            now,
            "threshold_prompts_set",
            by.authority().0,
        )
        .recorded_by(by.worker())
        .with(json!({ "rules": rules }))
        .append(&mut tx)
        .await?;
        let saved = store::rules_in(&mut tx, by.authority()).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Authorised decisions that departed from a prompt, with the reasons, authorised on the
    /// dates `from` to `to` (inclusive, London dates).
    pub async fn threshold_prompt_departures(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PromptDeparture>, AppError> {
        actor.may(Action::ViewThresholdPromptDepartures)?;
        if to < from {
            return Err(AppError::invalid(
                "to",
                "The end date must be on or after the start date.",
            ));
        }
        let start = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(LONDON).earliest())
                .map(|t| t.with_timezone(&chrono::Utc))
        };
        let (Some(from), Some(to)) = (start(from), to.succ_opt().and_then(start)) else {
            return Err(AppError::invalid(
                "from",
                "Enter dates within the calendar.",
            ));
        };
        Ok(self
            .store
            .prompt_departures(actor.authority, from, to)
            .await?)
    }
}

/// The reasons typed at authorisation, by prompt kind code, from form fields named
/// [`departure_field`].
pub fn reasons_from_fields<'a>(get: impl Fn(&str) -> Option<&'a str>) -> BTreeMap<String, String> {
    PromptKind::ALL
        .into_iter()
        .filter_map(|k| {
            get(&departure_field(k))
                .filter(|t| !t.trim().is_empty())
                .map(|t| (k.code().to_string(), t.to_string()))
        })
        .collect()
}
