//! Threshold decisions recommended and authorised, with their referrals and assessments scheduled.

use super::*;

impl Loader<'_> {
    pub(super) async fn recommend(
        &mut self,
        tx: &mut Tx,
        at: DateTime<Utc>,
        work: Box<DecisionWork>,
    ) -> Result<(), AppError> {
        let d = &work.decision;
        let decision = ThresholdDecision {
            id: work.decision_id,
            authority: self.authority,
            contact: work.contact,
            state: DecisionState::Recommended,
            outcome: d.outcome,
            level_of_need: i32::from(d.level_of_need),
            signposted_to: d.signposted_to.clone(),
            rationale: d.rationale.clone(),
            recommended_by: work.social_worker,
            recommended_by_name: None,
            recommended_at: at,
            reviewed_by: None,
            reviewed_by_name: None,
            reviewed_at: None,
            review_rationale: None,
            // Synthetic history is made under the framework the authority was created with.
            threshold_framework_version: 1,
        };
        decision_store::insert_decision(tx, &decision).await?;
        if !contact_store::transition_contact(
            tx,
            self.authority,
            work.contact,
            &[ContactStatus::AwaitingTriage],
            ContactStatus::AwaitingAuthorisation,
            None,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "The synthetic contact {} was not awaiting triage.",
                work.reference
            )));
        }
        self.report.decisions_recommended += 1;
        self.report.rows += 2;
        self.event(
            tx,
            NewEvent::new(self.authority, at, "decision_recommended", decision.id.0)
                .recorded_by(Some(work.social_worker))
                .about_all(work.people.clone())
                .with(crate::event_payloads::decision_recommended(
                    &work.reference,
                    &decision,
                )),
        )
        .await?;
        if let Some(authorisation) = &work.decision.authorisation {
            let when = to_stored_instant(authorisation.at).max(at + chrono::Duration::seconds(1));
            self.schedule(when, Change::Authorise(work));
        }
        Ok(())
    }

    pub(super) async fn authorise(
        &mut self,
        tx: &mut Tx,
        at: DateTime<Utc>,
        work: Box<DecisionWork>,
    ) -> Result<(), AppError> {
        let Some(authorisation) = &work.decision.authorisation else {
            return Ok(());
        };
        let authority = self.authority;
        if !decision_store::review_decision(
            tx,
            authority,
            work.decision_id,
            DecisionState::Authorised,
            work.manager,
            at,
            &authorisation.rationale,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "The synthetic decision on {} was not awaiting authorisation.",
                work.reference
            )));
        }
        if !contact_store::transition_contact(
            tx,
            authority,
            work.contact,
            &[ContactStatus::AwaitingAuthorisation],
            ContactStatus::Decided,
            Some(at),
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "The synthetic contact {} was not awaiting authorisation.",
                work.reference
            )));
        }
        self.report.decisions_authorised += 1;
        self.report.rows += 2;
        let mut referrals = Vec::new();
        if work.decision.outcome.is_referral() {
            for (key, person) in &work.children {
                let Some(synthetic) = work.referrals.iter().find(|r| r.child == *key) else {
                    continue;
                };
                let earlier = self.referral_dates.entry(*key).or_default();
                let referral = Referral {
                    id: ReferralId::new(),
                    contact: work.contact,
                    person: *person,
                    decision: work.decision_id,
                    referral_date: work.received_on,
                    source: work.source,
                    is_re_referral: is_re_referral(work.received_on, earlier),
                };
                earlier.push(work.received_on);
                self.write_about(tx, &[*person]).await?;
                decision_store::insert_referral(tx, authority, &referral, at).await?;
                let opened = crate::episodes::open_episode_for_referral(
                    tx,
                    authority,
                    Some(work.manager),
                    &referral,
                    &work.reference,
                    work.decision.outcome,
                    at,
                )
                .await?;
                // The episode (and discussion) rows; each event counts itself.
                self.report.rows += opened.events.len() as u64;
                for event in opened.events {
                    self.event(tx, event).await?;
                }
                self.record_episode_course(
                    tx,
                    opened.episode,
                    *person,
                    synthetic,
                    work.manager,
                    work.social_worker,
                    at,
                )
                .await?;
                if let (Some(id), Some(course)) =
                    (opened.discussion, &synthetic.strategy_discussion)
                {
                    self.schedule_discussion(strategy::HistoricDiscussion {
                        id,
                        person: *person,
                        decided_at: at,
                        reference: work.reference.clone(),
                        social_worker: work.social_worker,
                        manager: work.manager,
                        held_on: course.held_on,
                        section_47: course.section_47,
                    });
                }
                let case = protection::Case {
                    episode: opened.episode,
                    person: *person,
                    social_worker: work.social_worker,
                    manager: work.manager,
                    reference: work.reference.clone(),
                };
                self.schedule_protection(case, synthetic, opened.discussion, at);
                self.report.referrals += 1;
                self.report.re_referrals += u64::from(referral.is_re_referral);
                self.report.rows += 1;
                referrals.push(json!({ "person": person, "re_referral": referral.is_re_referral }));
                for assessment in work.assessments.iter().filter(|a| a.child == *key) {
                    let start = from_london(
                        assessment
                            .started_on
                            .and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN)),
                    );
                    self.schedule(
                        start.max(at + chrono::Duration::minutes(1)),
                        Change::Assessment {
                            person: *person,
                            referral: referral.id,
                            referral_date: referral.referral_date,
                            assessment: assessment.clone(),
                            worker: work.social_worker,
                        },
                    );
                }
            }
        }
        self.event(
            tx,
            NewEvent::new(authority, at, "decision_authorised", work.decision_id.0)
                .recorded_by(Some(work.manager))
                .about_all(work.people.clone())
                .with(crate::event_payloads::decision_reviewed(
                    &work.reference,
                    work.decision.outcome,
                    i32::from(work.decision.level_of_need),
                    work.social_worker,
                    &authorisation.rationale,
                    &referrals,
                )),
        )
        .await?;
        Ok(())
    }
}
