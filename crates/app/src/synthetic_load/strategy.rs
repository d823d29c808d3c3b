//! Historic strategy discussions: each one a referral decided (or an assessment called for) is
//! held and signed off, as a MASH does, so that a loaded authority's work due holds only what
//! is really still to do. The synthetic history says when each is held (most the next working
//! day; one in ten late, so the held-in-time figure is not uniformly met) and what it decides.
//! A discussion whose holding would fall after the history ends is left to hold.

use super::*;
use frontdoor_domain::agency::Agency;
use frontdoor_domain::ids::StrategyDiscussionId;
use frontdoor_domain::strategy_discussion::{
    held_within_target, AgreedAction, Attendee, Risk, RiskLevel, StrategyOutcome, StrategyRecord,
};
use frontdoor_store::strategy_discussions as strategy_store;

/// A discussion decided by an authorised threshold decision, to hold and sign off.
#[derive(Debug)]
pub(super) struct HistoricDiscussion {
    pub id: StrategyDiscussionId,
    pub person: PersonId,
    pub decided_at: DateTime<Utc>,
    pub reference: String,
    pub social_worker: WorkerId,
    pub manager: WorkerId,
    /// The day the history has it held.
    pub held_on: NaiveDate,
    /// What it decided: a section 47 enquiry, or no further action.
    pub section_47: bool,
}

/// When a discussion the history has held on `held_on` is held: at 11:00, and never sooner
/// than half an hour after it was decided.
pub(super) fn discussion_held_at(decided_at: DateTime<Utc>, held_on: NaiveDate) -> DateTime<Utc> {
    from_london(held_on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or(NaiveTime::MIN)))
        .max(decided_at + chrono::Duration::minutes(30))
}

/// The manager signs the record off four hours after the discussion.
pub(super) fn discussion_signed_off_at(held_at: DateTime<Utc>) -> DateTime<Utc> {
    held_at + chrono::Duration::hours(4)
}

fn record(
    held_at: DateTime<Utc>,
    held_on: NaiveDate,
    decision: StrategyOutcome,
    calendar: &WorkingDayCalendar,
) -> StrategyRecord {
    let attendee = |name: &str, agency, role: &str, shared: &str| Attendee {
        name: name.into(),
        agency: Some(agency),
        role: role.into(),
        information_shared: shared.into(),
    };
    let rationale = match decision {
        StrategyOutcome::Section47Enquiry => "Reasonable cause to suspect the child is suffering, or likely to suffer, significant harm: a joint section 47 enquiry is needed.",
        _ => "The information shared by every agency explains the concern; no reasonable cause to suspect significant harm. No further action by children's social care; universal services continue.",
    };
    StrategyRecord {
        held_at: Some(held_at),
        attendees: vec![
            attendee(
                "MASH social worker",
                Agency::ChildrensSocialCare,
                "Chair",
                "The contact, the household and previous involvement with children's social care.",
            ),
            attendee(
                "Detective constable, MASH police",
                Agency::Police,
                "Police MASH researcher",
                "Police records for the household: call-outs, and any adult known to police.",
            ),
            attendee(
                "MASH health practitioner",
                Agency::Health,
                "Safeguarding nurse",
                "Health visiting and GP records: attendance, injuries and development.",
            ),
        ],
        police_absence_reason: String::new(),
        health_absence_reason: String::new(),
        risks: vec![Risk {
            harm: "Significant harm as described in the contact".into(),
            to_whom: "The child".into(),
            from_whom: "An adult in the household".into(),
            likelihood: Some(RiskLevel::Medium),
            severity: Some(RiskLevel::High),
        }],
        decision: Some(decision),
        rationale: rationale.into(),
        actions: vec![AgreedAction {
            description: "Share the outcome with every agency that attended, and record it.".into(),
            owner: "MASH social worker".into(),
            due_on: Some(calendar.add_working_days(held_on, 1)),
        }],
    }
}

impl Loader<'_> {
    /// Schedules a discussion's holding and sign-off, unless they would fall after now.
    pub(super) fn schedule_discussion(&mut self, discussion: HistoricDiscussion) {
        self.report.strategy_discussions += 1;
        let held_at = discussion_held_at(discussion.decided_at, discussion.held_on);
        if discussion_signed_off_at(held_at) > self.history_ends {
            return;
        }
        self.schedule(held_at, Change::HoldDiscussion(Box::new(discussion)));
    }

    /// Writes the record up as held; the manager signs it off four hours on.
    pub(super) async fn hold_discussion(
        &mut self,
        tx: &mut Tx,
        held_at: DateTime<Utc>,
        discussion: Box<HistoricDiscussion>,
    ) -> Result<(), AppError> {
        let held_on = london(held_at).date();
        let decision = if discussion.section_47 {
            StrategyOutcome::Section47Enquiry
        } else {
            StrategyOutcome::NoFurtherAction
        };
        let record = record(held_at, held_on, decision, &self.calendar);
        let written = strategy_store::save_record(
            tx,
            self.authority,
            discussion.id,
            &record,
            discussion.social_worker,
            held_at,
        )
        .await?;
        self.discussion_written(written, &discussion)?;
        self.report.rows +=
            1 + (record.attendees.len() + record.risks.len() + record.actions.len()) as u64;
        let payload = crate::event_payloads::strategy_discussion_recorded(&record);
        let actor = discussion.social_worker;
        self.discussion_event(
            tx,
            &discussion,
            "strategy_discussion_recorded",
            actor,
            held_at,
            payload,
        )
        .await?;
        let on_time = held_within_target(
            &self.calendar,
            london(discussion.decided_at).date(),
            held_on,
        );
        let sign_off_at = discussion_signed_off_at(held_at);
        self.schedule(
            sign_off_at,
            Change::SignOffDiscussion(discussion, Box::new(record), on_time),
        );
        Ok(())
    }

    pub(super) async fn sign_off_discussion(
        &mut self,
        tx: &mut Tx,
        at: DateTime<Utc>,
        discussion: Box<HistoricDiscussion>,
        record: &StrategyRecord,
        on_time: bool,
    ) -> Result<(), AppError> {
        let signed = strategy_store::sign_off(
            tx,
            self.authority,
            discussion.id,
            discussion.manager,
            at,
            on_time,
        )
        .await?;
        self.discussion_written(signed, &discussion)?;
        self.report.strategy_discussions_signed_off += 1;
        self.report.rows += 1;
        let payload = crate::event_payloads::strategy_discussion_signed_off(record, on_time, 0);
        let actor = discussion.manager;
        self.discussion_event(
            tx,
            &discussion,
            "strategy_discussion_signed_off",
            actor,
            at,
            payload,
        )
        .await
    }

    fn discussion_written(
        &self,
        written: bool,
        discussion: &HistoricDiscussion,
    ) -> Result<(), AppError> {
        if written {
            Ok(())
        } else {
            Err(AppError::Conflict(format!(
                "The synthetic strategy discussion on {} changed while it was being loaded.",
                discussion.reference
            )))
        }
    }

    async fn discussion_event(
        &mut self,
        tx: &mut Tx,
        discussion: &HistoricDiscussion,
        kind: &'static str,
        actor: WorkerId,
        at: DateTime<Utc>,
        payload: serde_json::Value,
    ) -> Result<(), AppError> {
        self.event(
            tx,
            NewEvent::new(self.authority, at, kind, discussion.id.0)
                .recorded_by(Some(actor))
                .about(discussion.person)
                .with(payload),
        )
        .await
    }
}
