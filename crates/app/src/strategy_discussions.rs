//! Strategy discussions: started (by an authorised decision, or as an emergency on an open
//! episode), written up, and signed off by a manager only when the record is complete.

use crate::episodes::{at_words, new_discussion, required_date, required_instant};
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError, FieldError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::ids::{EpisodeId, StrategyDiscussionId};
use frontdoor_domain::strategy_discussion::{
    held_within_target, missing_parts, Agency, AgreedAction, Attendee, Risk, RiskLevel,
    StrategyOutcome, StrategyRecord, StrategyState,
};
use frontdoor_store::episodes as episode_store;
use frontdoor_store::events::NewEvent;
use frontdoor_store::strategy_discussions::{self as strategy_store, StrategyDiscussion};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendeeInput {
    pub name: String,
    pub agency: String,
    pub role: String,
    pub information_shared: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskInput {
    pub harm: String,
    pub to_whom: String,
    pub from_whom: String,
    pub likelihood: String,
    pub severity: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionInput {
    pub description: String,
    pub owner: String,
    /// 2026-03-27
    pub due_on: String,
}

/// A strategy discussion's record as typed. Parts may be left blank while it is written up;
/// a manager cannot sign it off until nothing is missing. Rows left wholly blank are dropped.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StrategyRecordInput {
    /// The London date it was held (2026-03-27), with `held_time` (14:05); both blank while
    /// it has not been held.
    pub held_date: String,
    pub held_time: String,
    pub attendees: Vec<AttendeeInput>,
    pub police_absence_reason: String,
    pub health_absence_reason: String,
    pub risks: Vec<RiskInput>,
    /// section_47_enquiry, section_17_assessment, no_further_action or other.
    pub decision: String,
    pub rationale: String,
    pub actions: Vec<ActionInput>,
}

fn blank(parts: &[&str]) -> bool {
    parts.iter().all(|p| p.trim().is_empty())
}

impl StrategyRecordInput {
    /// The record as typed, parsed: codes must be known and dates real, but nothing is
    /// required yet (completeness is the sign-off's rule).
    pub fn parse(&self, now: chrono::DateTime<chrono::Utc>) -> Result<StrategyRecord, AppError> {
        let mut checks = Checks::default();
        let held_at = if blank(&[&self.held_date, &self.held_time]) {
            None
        } else {
            required_instant(
                &mut checks,
                "held_date",
                "held_time",
                &self.held_date,
                &self.held_time,
                "the strategy discussion was held",
            )
        };
        if held_at.is_some_and(|at| at > now) {
            checks.add(
                "held_date",
                "The strategy discussion cannot have been held in the future: record it once it has taken place.",
            );
        }
        let mut record = StrategyRecord {
            held_at,
            police_absence_reason: self.police_absence_reason.trim().to_string(),
            health_absence_reason: self.health_absence_reason.trim().to_string(),
            rationale: self.rationale.trim().to_string(),
            ..StrategyRecord::default()
        };
        for (i, a) in self
            .attendees
            .iter()
            .filter(|a| !blank(&[&a.name, &a.agency, &a.role, &a.information_shared]))
            .enumerate()
        {
            record.attendees.push(Attendee {
                name: a.name.trim().into(),
                agency: checks.optional(&format!("attendees[{i}].agency"), &a.agency, |code| {
                    Agency::from_code(code).ok_or_else(|| {
                        frontdoor_domain::strategy_discussion::StrategyError::UnknownAgency(
                            code.trim().to_string(),
                        )
                    })
                }),
                role: a.role.trim().into(),
                information_shared: a.information_shared.trim().into(),
            });
        }
        for (i, r) in self
            .risks
            .iter()
            .filter(|r| {
                !blank(&[
                    &r.harm,
                    &r.to_whom,
                    &r.from_whom,
                    &r.likelihood,
                    &r.severity,
                ])
            })
            .enumerate()
        {
            record.risks.push(Risk {
                harm: r.harm.trim().into(),
                to_whom: r.to_whom.trim().into(),
                from_whom: r.from_whom.trim().into(),
                likelihood: checks.optional(
                    &format!("risks[{i}].likelihood"),
                    &r.likelihood,
                    RiskLevel::from_code,
                ),
                severity: checks.optional(
                    &format!("risks[{i}].severity"),
                    &r.severity,
                    RiskLevel::from_code,
                ),
            });
        }
        for (i, a) in self
            .actions
            .iter()
            .filter(|a| !blank(&[&a.description, &a.owner, &a.due_on]))
            .enumerate()
        {
            let due_on = if a.due_on.trim().is_empty() {
                None
            } else {
                required_date(
                    &mut checks,
                    &format!("actions[{i}].due_on"),
                    &a.due_on,
                    "Enter the due date.",
                )
            };
            record.actions.push(AgreedAction {
                description: a.description.trim().into(),
                owner: a.owner.trim().into(),
                due_on,
            });
        }
        record.decision = checks.optional("decision", &self.decision, StrategyOutcome::from_code);
        checks.finish()?;
        Ok(record)
    }
}

/// A discussion with what is still missing before sign-off.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyDiscussionView {
    pub discussion: StrategyDiscussion,
    pub missing: Vec<FieldError>,
    /// The day by the end of which it should be held.
    pub hold_by: chrono::NaiveDate,
}

/// The missing parts as field errors, each naming its field and what to add.
pub(crate) fn missing_as_errors(record: &StrategyRecord) -> Vec<FieldError> {
    missing_parts(record)
        .iter()
        .map(|part| FieldError::new(part.field(), part.to_string()))
        .collect()
}

/// "This cannot be done now: Sam Patel signed this strategy discussion off at 10:42 on 3 March
/// 2026. Reload it to see its current state."
fn what_changed(discussion: &StrategyDiscussion) -> String {
    let who = |name: &Option<String>| name.clone().unwrap_or_else(|| "another worker".into());
    let what = match discussion.state {
        StrategyState::SignedOff => format!(
            "{} signed this strategy discussion off at {}",
            who(&discussion.signed_off_by_name),
            discussion.signed_off_at.map(at_words).unwrap_or_default()
        ),
        StrategyState::Held => format!(
            "{} recorded it as held at {}, and it awaits a manager's sign-off",
            who(&discussion.recorded_by_name),
            discussion.recorded_at.map(at_words).unwrap_or_default()
        ),
        StrategyState::ToHold => "it has not been recorded as held yet".to_string(),
        StrategyState::Withdrawn => format!(
            "it was withdrawn at {}: {}",
            discussion.withdrawn_at.map(at_words).unwrap_or_default(),
            discussion.withdrawal_reason
        ),
    };
    format!(
        "This cannot be done now: {what}. Reload the strategy discussion to see its current state."
    )
}

impl App {
    pub(crate) async fn load_discussion(
        &self,
        actor: &Actor,
        id: StrategyDiscussionId,
    ) -> Result<StrategyDiscussion, AppError> {
        self.store
            .strategy_discussion(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    async fn discussion_conflict(&self, actor: &Actor, id: StrategyDiscussionId) -> AppError {
        match self.load_discussion(actor, id).await {
            Ok(d) => AppError::Conflict(what_changed(&d)),
            Err(e) => e,
        }
    }

    /// A strategy discussion, with what it still lacks before sign-off.
    pub async fn view_strategy_discussion(
        &self,
        actor: &Actor,
        id: StrategyDiscussionId,
    ) -> Result<StrategyDiscussionView, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let discussion = self.load_discussion(actor, id).await?;
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                discussion.person,
                "strategy_discussion",
                self.now(),
            )
            .await?;
        let calendar = self.calendar_for(actor.authority).await?;
        Ok(StrategyDiscussionView {
            missing: missing_as_errors(&discussion.record),
            hold_by: frontdoor_domain::strategy_discussion::hold_by(
                &calendar,
                london_date(discussion.decided_at),
            ),
            discussion,
        })
    }

    /// Starts an emergency strategy discussion on an open episode (at any hour).
    pub async fn start_emergency_strategy_discussion(
        &self,
        actor: &Actor,
        episode: EpisodeId,
    ) -> Result<StrategyDiscussion, AppError> {
        actor.may(Action::RecordStrategyDiscussion)?;
        self.load_episode(actor, episode).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let held = episode_store::episode_for_update(&mut tx, actor.authority, episode).await?;
        if let Some(closed) = held.closed_on {
            return Err(AppError::Conflict(format!(
                "This episode closed on {}: a strategy discussion needs an open episode. Record a new contact instead.",
                closed.format("%-d %B %Y")
            )));
        }
        let discussion = new_discussion(
            actor.authority,
            episode,
            held.person,
            true,
            Some(actor.worker),
            now,
        );
        strategy_store::insert(&mut tx, &discussion).await?;
        NewEvent::by(actor, now, "strategy_discussion_decided", discussion.id.0)
            .about(held.person)
            .with(json!({ "emergency": true }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_discussion(actor, discussion.id).await
    }

    /// Writes up a strategy discussion not yet signed off (replacing what was recorded).
    pub async fn record_strategy_discussion(
        &self,
        actor: &Actor,
        id: StrategyDiscussionId,
        input: &StrategyRecordInput,
    ) -> Result<StrategyDiscussionView, AppError> {
        actor.may(Action::RecordStrategyDiscussion)?;
        let now = self.now();
        let record = input.parse(now)?;
        let current = self.load_discussion(actor, id).await?;
        if let Some(held_at) = record.held_at {
            // Times are typed to the minute: the minute of the decision itself is allowed.
            if held_at.timestamp().div_euclid(60) < current.decided_at.timestamp().div_euclid(60) {
                return Err(AppError::invalid(
                    "held_date",
                    format!(
                        "It cannot have been held before it was decided, at {}.",
                        at_words(current.decided_at)
                    ),
                ));
            }
        }
        let mut tx = self.store.begin().await?;
        let held = strategy_store::discussion_for_update(&mut tx, actor.authority, id).await?;
        if !strategy_store::save_record(&mut tx, actor.authority, id, &record, actor.worker, now)
            .await?
        {
            drop(tx);
            return Err(self.discussion_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "strategy_discussion_recorded", id.0)
            .about(held.person)
            .with(crate::event_payloads::strategy_discussion_recorded(&record))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.view_strategy_discussion(actor, id).await
    }

    /// A team manager signs off a held strategy discussion whose record is complete. Refused,
    /// naming each missing part, while anything is missing; never by the worker who wrote it
    /// up; a lost race (another manager first) is a conflict saying who and when.
    pub async fn sign_off_strategy_discussion(
        &self,
        actor: &Actor,
        id: StrategyDiscussionId,
    ) -> Result<StrategyDiscussion, AppError> {
        // The role first, so a refusal does not depend on whether the record exists.
        actor.may(Action::SignOffStrategyDiscussion)?;
        let current = self.load_discussion(actor, id).await?;
        let episode = self.load_episode(actor, current.episode).await?;
        authorize(
            actor,
            Action::SignOffStrategyDiscussion,
            &Resource::record_for_sign_off(actor.authority, episode.team, current.recorded_by),
        )
        .require()?;
        if current.state != StrategyState::Held {
            return Err(AppError::Conflict(what_changed(&current)));
        }
        let now = self.now();
        let missing = missing_as_errors(&current.record);
        if !missing.is_empty() {
            self.count_refused_sign_off(actor, &current, &missing)
                .await?;
            return Err(AppError::Invalid(missing));
        }
        let calendar = self.calendar_for(actor.authority).await?;
        let mut tx = self.store.begin().await?;
        // Read again under the lock: what is signed off is what was checked.
        let held = strategy_store::discussion_for_update(&mut tx, actor.authority, id).await?;
        authorize(
            actor,
            Action::SignOffStrategyDiscussion,
            &Resource::record_for_sign_off(actor.authority, episode.team, held.recorded_by),
        )
        .require()?;
        if held.state != StrategyState::Held {
            drop(tx);
            return Err(self.discussion_conflict(actor, id).await);
        }
        let missing = missing_as_errors(&held.record);
        if !missing.is_empty() {
            return Err(AppError::Invalid(missing));
        }
        let on_time = held.record.held_at.is_some_and(|at| {
            held_within_target(&calendar, london_date(held.decided_at), london_date(at))
        });
        if !strategy_store::sign_off(&mut tx, actor.authority, id, actor.worker, now, on_time)
            .await?
        {
            drop(tx);
            return Err(self.discussion_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "strategy_discussion_signed_off", id.0)
            .about(held.person)
            .with(crate::event_payloads::strategy_discussion_signed_off(
                &held.record,
                on_time,
                held.sign_off_refusals,
            ))
            .append(&mut tx)
            .await?;
        // A single-agency assessment decided: the child and family assessment starts on the
        // day of the discussion, on the episode's referral (for the census and Annex A list 4).
        // (Unless the episode already has one open: that one continues.)
        if held.record.decision == Some(StrategyOutcome::Section17Assessment)
            && frontdoor_store::assessments::open_on_episode_in(
                &mut tx,
                actor.authority,
                episode.id,
            )
            .await?
            .is_none()
        {
            let started_on = held
                .record
                .held_at
                .map(london_date)
                .unwrap_or_else(|| london_date(now));
            let opening = crate::assessments::AssessmentOpening {
                authority: actor.authority,
                person: held.person,
                episode: Some(episode.id),
                referral: Some(episode.referral),
                referral_date: episode.referral_date,
                team: episode.team,
                worker: episode.worker.or(held.recorded_by),
                started_on,
                completed_on: None,
                factors: Vec::new(),
                started_by: Some(actor.worker),
                at: now,
            };
            let opened = crate::assessments::open_assessment(&mut tx, &calendar, &opening).await?;
            NewEvent::by(actor, now, "assessment_started", opened.id.0)
                .about(held.person)
                .with(crate::assessments::started_payload(&opening, &opened))
                .append(&mut tx)
                .await?;
        }
        tx.commit().await?;
        self.load_discussion(actor, id).await
    }

    /// A team manager withdraws a discussion that is no longer needed (not yet signed off),
    /// saying why; it leaves the work due and no longer holds the episode open.
    pub async fn withdraw_strategy_discussion(
        &self,
        actor: &Actor,
        id: StrategyDiscussionId,
        reason: &str,
    ) -> Result<StrategyDiscussion, AppError> {
        actor.may(Action::SignOffStrategyDiscussion)?;
        let reason = reason.trim();
        if reason.chars().count() < frontdoor_domain::strategy_discussion::MIN_RATIONALE_CHARS {
            return Err(AppError::invalid(
                "withdrawal_reason",
                "Say why the strategy discussion is no longer needed.",
            ));
        }
        let current = self.load_discussion(actor, id).await?;
        let episode = self.load_episode(actor, current.episode).await?;
        authorize(
            actor,
            Action::SignOffStrategyDiscussion,
            &Resource::record_for_sign_off(actor.authority, episode.team, None),
        )
        .require()?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !strategy_store::withdraw(&mut tx, actor.authority, id, actor.worker, now, reason)
            .await?
        {
            drop(tx);
            return Err(self.discussion_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "strategy_discussion_withdrawn", id.0)
            .about(current.person)
            .with(json!({ "reason": reason }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_discussion(actor, id).await
    }

    /// Counts a refused sign-off (a record-quality indicator) and puts it on the chronology.
    async fn count_refused_sign_off(
        &self,
        actor: &Actor,
        discussion: &StrategyDiscussion,
        missing: &[FieldError],
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        strategy_store::count_refusal(&mut tx, actor.authority, discussion.id).await?;
        NewEvent::by(
            actor,
            now,
            "strategy_discussion_sign_off_refused",
            discussion.id.0,
        )
        .about(discussion.person)
        .with(json!({ "missing": missing.iter().map(|m| m.message.as_str()).collect::<Vec<_>>() }))
        .append(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
