//! Threshold prompts: each authority's configured prompt rules (kinds it has not changed use the
//! defaults), the prompts that fired on each threshold decision, and the manager's reason when
//! an authorised decision departed from one.

use crate::{on_pool, on_tx, to_stored_instant, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::decision::ThresholdOutcome;
use frontdoor_domain::ids::{AuthorityId, ContactId, DecisionId, WorkerId};
use frontdoor_domain::threshold_prompt::{
    FiredPrompt, PromptCondition, PromptKind, ThresholdPromptRule,
};
use sqlx::Row;

/// A prompt as recorded on a decision.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DecisionPrompt {
    pub decision: DecisionId,
    pub prompt: FiredPrompt,
    /// The decision's outcome was below the prompted outcome when last evaluated.
    pub departed: bool,
    pub departure_reason: Option<String>,
    pub reason_by_name: Option<String>,
    pub reason_at: Option<DateTime<Utc>>,
}

/// One authorised decision's departure from a prompt, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PromptDeparture {
    pub decision: DecisionId,
    pub contact: ContactId,
    pub contact_reference: String,
    pub outcome: ThresholdOutcome,
    pub kind: PromptKind,
    pub name: String,
    pub minimum_outcome: ThresholdOutcome,
    pub because: String,
    pub reason: String,
    pub authorised_by_name: String,
    pub authorised_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

fn outcome(code: &str) -> Result<ThresholdOutcome, StoreError> {
    ThresholdOutcome::from_code(code).map_err(|_| corrupt("threshold outcome", code))
}

fn kind(code: &str) -> Result<PromptKind, StoreError> {
    PromptKind::from_code(code).ok_or_else(|| corrupt("threshold prompt kind", code))
}

const RULES_SQL: &str = "SELECT kind, enabled, first_parameter, second_parameter, minimum_outcome, source FROM threshold_prompt_rules WHERE authority_id = $1";

type RuleRow = (String, bool, i32, i32, String, String);

/// The authority's rules, one per kind in [`PromptKind::ALL`] order: the saved one, or the
/// default.
fn rules_from_rows(rows: Vec<RuleRow>) -> Result<Vec<ThresholdPromptRule>, StoreError> {
    let mut rules = ThresholdPromptRule::defaults();
    for (code, enabled, first, second, minimum, source) in rows {
        let kind = kind(&code)?;
        let condition = PromptCondition::new(
            kind,
            u32::try_from(first).unwrap_or(0),
            u32::try_from(second).unwrap_or(0),
        )
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let rule = ThresholdPromptRule::new(condition, enabled, outcome(&minimum)?, &source)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if let Some(slot) = rules.iter_mut().find(|r| r.kind() == kind) {
            *slot = rule;
        }
    }
    Ok(rules)
}

/// The authority's prompt rules, read inside a transaction (so a decision is checked against
/// the rules in force when it is stored).
pub async fn rules_in(
    tx: &mut Tx,
    authority: AuthorityId,
) -> Result<Vec<ThresholdPromptRule>, StoreError> {
    let rows: Vec<RuleRow> = on_tx!(tx, conn => {
        sqlx::query_as(RULES_SQL).bind(authority.0).fetch_all(&mut *conn).await?
    });
    rules_from_rows(rows)
}

/// Saves one rule (insert or replace the authority's rule of that kind).
pub async fn save_rule(
    tx: &mut Tx,
    authority: AuthorityId,
    rule: &ThresholdPromptRule,
    by: Option<WorkerId>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (first, second) = rule.condition.parameters();
    let first = i32::try_from(first).unwrap_or(i32::MAX);
    let second = i32::try_from(second).unwrap_or(i32::MAX);
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO threshold_prompt_rules (authority_id, kind, enabled, first_parameter, second_parameter, minimum_outcome, source, updated_by, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     ON CONFLICT (authority_id, kind) DO UPDATE SET enabled = excluded.enabled, first_parameter = excluded.first_parameter,
                       second_parameter = excluded.second_parameter, minimum_outcome = excluded.minimum_outcome, source = excluded.source,
                       updated_by = excluded.updated_by, updated_at = excluded.updated_at")
            .bind(authority.0).bind(rule.kind().code()).bind(rule.enabled).bind(first).bind(second)
            .bind(rule.minimum_outcome.code()).bind(rule.source.as_str()).bind(by.map(|w| w.0)).bind(to_stored_instant(at))
            .execute(&mut *conn).await?;
    });
    Ok(())
}

/// Records a prompt that fired on a decision (or records it again, as evaluated now), with the
/// manager's reason for departing from it when there is one. A reason already recorded is kept
/// when none is given.
#[allow(clippy::too_many_arguments)]
pub async fn record_prompt(
    tx: &mut Tx,
    authority: AuthorityId,
    decision: DecisionId,
    prompt: &FiredPrompt,
    departed: bool,
    reason: Option<(&str, WorkerId)>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let at = to_stored_instant(at);
    let (reason_text, reason_by, reason_at) = match reason {
        Some((text, by)) => (Some(text.to_string()), Some(by.0), Some(at)),
        None => (None, None, None),
    };
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO decision_threshold_prompts (decision_id, authority_id, kind, name, minimum_outcome, source, because, departed, evaluated_at, departure_reason, reason_by, reason_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     ON CONFLICT (decision_id, kind) DO UPDATE SET name = excluded.name, minimum_outcome = excluded.minimum_outcome,
                       source = excluded.source, because = excluded.because, departed = excluded.departed, evaluated_at = excluded.evaluated_at,
                       departure_reason = COALESCE(excluded.departure_reason, decision_threshold_prompts.departure_reason),
                       reason_by = COALESCE(excluded.reason_by, decision_threshold_prompts.reason_by),
                       reason_at = COALESCE(excluded.reason_at, decision_threshold_prompts.reason_at)")
            .bind(decision.0).bind(authority.0).bind(prompt.kind.code()).bind(prompt.name.as_str())
            .bind(prompt.minimum_outcome.code()).bind(prompt.source.as_str()).bind(prompt.because.as_str())
            .bind(departed).bind(at).bind(reason_text).bind(reason_by).bind(reason_at)
            .execute(&mut *conn).await?;
    });
    Ok(())
}

impl Store {
    /// The authority's prompt rules, one per kind (defaults for kinds never saved).
    pub async fn threshold_prompt_rules(
        &self,
        authority: AuthorityId,
    ) -> Result<Vec<ThresholdPromptRule>, StoreError> {
        let rows: Vec<RuleRow> = on_pool!(self, pool => {
            sqlx::query_as(RULES_SQL).bind(authority.0).fetch_all(pool).await?
        });
        rules_from_rows(rows)
    }

    /// The prompts recorded on every decision on a contact.
    pub async fn prompts_on_contact(
        &self,
        authority: AuthorityId,
        contact: ContactId,
    ) -> Result<Vec<DecisionPrompt>, StoreError> {
        let rows = on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT p.decision_id, p.kind, p.name, p.minimum_outcome, p.source, p.because, p.departed, p.departure_reason, w.display_name AS reason_by_name, p.reason_at
                 FROM decision_threshold_prompts p
                 JOIN threshold_decisions d ON d.id = p.decision_id
                 LEFT JOIN workers w ON w.id = p.reason_by
                 WHERE p.authority_id = $1 AND d.contact_id = $2
                 ORDER BY d.recommended_at, p.kind")
                .bind(authority.0).bind(contact.0).fetch_all(pool).await?;
            rows.iter().map(|r| {
                let kind_code: String = r.try_get("kind")?;
                let minimum: String = r.try_get("minimum_outcome")?;
                Ok(DecisionPrompt {
                    decision: DecisionId(r.try_get("decision_id")?),
                    prompt: FiredPrompt {
                        kind: kind(&kind_code)?,
                        name: r.try_get("name")?,
                        minimum_outcome: outcome(&minimum)?,
                        source: r.try_get("source")?,
                        because: r.try_get("because")?,
                    },
                    departed: r.try_get("departed")?,
                    departure_reason: r.try_get("departure_reason")?,
                    reason_by_name: r.try_get("reason_by_name")?,
                    reason_at: r.try_get("reason_at")?,
                })
            }).collect::<Result<Vec<_>, StoreError>>()?
        });
        Ok(rows)
    }

    /// Authorised decisions that departed from a prompt, with the manager's reasons, authorised
    /// from `from` (inclusive) to `to` (exclusive); newest first.
    pub async fn prompt_departures(
        &self,
        authority: AuthorityId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<PromptDeparture>, StoreError> {
        let rows = on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT p.decision_id, d.contact_id, c.reference, d.outcome, p.kind, p.name, p.minimum_outcome, p.because, p.departure_reason,
                        w.display_name AS authorised_by_name, d.reviewed_at
                 FROM decision_threshold_prompts p
                 JOIN threshold_decisions d ON d.id = p.decision_id
                 JOIN contacts c ON c.id = d.contact_id
                 JOIN workers w ON w.id = d.reviewed_by
                 WHERE p.authority_id = $1 AND d.state = 'authorised' AND p.departed AND p.departure_reason IS NOT NULL
                   AND d.reviewed_at >= $2 AND d.reviewed_at < $3
                 ORDER BY d.reviewed_at DESC, p.kind")
                .bind(authority.0).bind(to_stored_instant(from)).bind(to_stored_instant(to)).fetch_all(pool).await?;
            rows.iter().map(|r| {
                let kind_code: String = r.try_get("kind")?;
                let minimum: String = r.try_get("minimum_outcome")?;
                let decided: String = r.try_get("outcome")?;
                Ok(PromptDeparture {
                    decision: DecisionId(r.try_get("decision_id")?),
                    contact: ContactId(r.try_get("contact_id")?),
                    contact_reference: r.try_get("reference")?,
                    outcome: outcome(&decided)?,
                    kind: kind(&kind_code)?,
                    name: r.try_get("name")?,
                    minimum_outcome: outcome(&minimum)?,
                    because: r.try_get("because")?,
                    reason: r.try_get("departure_reason")?,
                    authorised_by_name: r.try_get("authorised_by_name")?,
                    authorised_at: r.try_get("reviewed_at")?,
                })
            }).collect::<Result<Vec<_>, StoreError>>()?
        });
        Ok(rows)
    }
}

/// A person linked to a contact, as the prompts see them.
#[derive(Debug, Clone)]
pub struct PersonFacts {
    pub person: frontdoor_domain::ids::PersonId,
    pub name: String,
    pub birth_date: Option<chrono::NaiveDate>,
}

/// A linked person's name and date of birth, inside a transaction.
pub async fn person_facts_in(
    tx: &mut Tx,
    authority: AuthorityId,
    person: frontdoor_domain::ids::PersonId,
) -> Result<PersonFacts, StoreError> {
    let (given, family, birth_date): (String, String, Option<chrono::NaiveDate>) = on_tx!(tx, conn => {
        sqlx::query_as("SELECT given_name, family_name, birth_date FROM people WHERE id = $1 AND authority_id = $2")
            .bind(person.0).bind(authority.0).fetch_one(&mut *conn).await?
    });
    Ok(PersonFacts {
        person,
        name: format!("{given} {family}").trim().to_string(),
        birth_date,
    })
}

/// When each other contact about a person was received (`except` left out).
pub async fn other_contacts_received_in(
    tx: &mut Tx,
    authority: AuthorityId,
    person: frontdoor_domain::ids::PersonId,
    except: ContactId,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT DISTINCT c.received_at FROM contacts c JOIN contact_subjects s ON s.contact_id = c.id
                            WHERE s.person_id = $1 AND c.authority_id = $2 AND c.id <> $3")
            .bind(person.0).bind(authority.0).bind(except.0).fetch_all(&mut *conn).await?
    }))
}

/// The people who share a household with `person` by a recorded relationship (parent, step
/// parent, carer, sibling or household member, in either direction), not merged away.
pub async fn household_of_in(
    tx: &mut Tx,
    authority: AuthorityId,
    person: frontdoor_domain::ids::PersonId,
) -> Result<Vec<PersonFacts>, StoreError> {
    let rows: Vec<(uuid::Uuid, String, String, Option<chrono::NaiveDate>)> = on_tx!(tx, conn => {
        sqlx::query_as("SELECT p.id, p.given_name, p.family_name, p.birth_date FROM relationships r
                        JOIN people p ON p.id = CASE WHEN r.person_id = $1 THEN r.related_person_id ELSE r.person_id END
                        WHERE r.authority_id = $2 AND (r.person_id = $1 OR r.related_person_id = $1)
                          AND r.relationship IN ('parent_of', 'step_parent_of', 'carer_of', 'sibling_of', 'household_member_of')
                          AND p.merged_into IS NULL")
            .bind(person.0).bind(authority.0).fetch_all(&mut *conn).await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, given, family, birth_date)| PersonFacts {
            person: frontdoor_domain::ids::PersonId(id),
            name: format!("{given} {family}").trim().to_string(),
            birth_date,
        })
        .collect())
}
