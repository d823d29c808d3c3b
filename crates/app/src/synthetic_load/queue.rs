//! The loader's queue of changes in time order, its events and progress, and applying what is due.

use super::*;

impl Loader<'_> {
    pub(super) fn progress(&self) -> LoadProgress {
        LoadProgress {
            contacts: self.report.contacts,
            people: self.report.people,
            events: self.report.events,
            rows: self.report.rows,
            elapsed: self.report.elapsed,
        }
    }

    pub(super) fn schedule(&mut self, at: DateTime<Utc>, change: Change) {
        self.order += 1;
        self.due.push(Reverse(Due {
            at,
            order: self.order,
            change,
        }));
    }

    pub(super) async fn event(&mut self, tx: &mut Tx, event: NewEvent) -> Result<(), AppError> {
        let mut people = event.people.clone();
        people.sort();
        people.dedup();
        events::append(tx, event).await?;
        self.report.events += 1;
        self.report.rows += 1 + people.len() as u64;
        Ok(())
    }

    pub(super) fn person_id(&self, key: PersonKey) -> Result<PersonId, AppError> {
        self.people
            .get(key.0 as usize)
            .copied()
            .flatten()
            .ok_or_else(|| AppError::Conflict(format!("Synthetic person {} appears before their household: contacts must come from one generator, in order.", key.0)))
    }

    /// Applies every change due up to `until` (all of them when `None`).
    pub(super) async fn apply_due(
        &mut self,
        tx: &mut Tx,
        until: Option<DateTime<Utc>>,
    ) -> Result<(), AppError> {
        while let Some(Reverse(next)) = self.due.peek() {
            if until.is_some_and(|until| next.at > until) {
                break;
            }
            let Some(Reverse(due)) = self.due.pop() else {
                break;
            };
            match due.change {
                Change::Recommend(work) => self.recommend(tx, due.at, work).await?,
                Change::Authorise(work) => self.authorise(tx, due.at, work).await?,
                Change::HoldDiscussion(discussion) => {
                    self.hold_discussion(tx, due.at, discussion).await?
                }
                Change::SignOffDiscussion(discussion, record, on_time) => {
                    self.sign_off_discussion(tx, due.at, discussion, &record, on_time)
                        .await?
                }
                Change::CloseEpisode {
                    episode,
                    person,
                    closure,
                    worker,
                } => {
                    self.close_episode(tx, due.at, episode, person, closure, worker)
                        .await?
                }
                Change::Assessment {
                    person,
                    referral,
                    referral_date,
                    assessment,
                    worker,
                } => {
                    let opening = crate::assessments::AssessmentOpening {
                        authority: self.authority,
                        person,
                        episode: None,
                        referral: Some(referral),
                        referral_date,
                        team: None,
                        worker: Some(worker),
                        started_on: assessment.started_on,
                        completed_on: assessment.completed_on,
                        factors: assessment.factors.clone(),
                        started_by: Some(worker),
                        at: due.at,
                    };
                    let opened =
                        crate::assessments::open_assessment(tx, &self.calendar, &opening).await?;
                    self.report.assessments += 1;
                    self.report.rows += 1;
                    self.event(
                        tx,
                        NewEvent::new(self.authority, due.at, "assessment_recorded", opened.id.0)
                            .recorded_by(Some(worker))
                            .about(person)
                            .with(crate::assessments::started_payload(&opening, &opened)),
                    )
                    .await?;
                }
                Change::Protection(step) => {
                    let (case, step) = *step;
                    self.protection_step(tx, due.at, case, step).await?
                }
                Change::Emergency {
                    contact,
                    reference,
                    person,
                    action,
                    worker,
                } => {
                    let notes = "Emergency action taken out of hours to keep the child safe; see the strategy discussion.";
                    let record = EmergencyActionRecord {
                        id: Uuid::now_v7(),
                        contact,
                        person: Some(person),
                        action: action.action,
                        taken_at: due.at,
                        notes: notes.into(),
                        recorded_by: worker,
                    };
                    decision_store::insert_emergency_action(tx, self.authority, &record, due.at)
                        .await?;
                    self.report.emergency_actions += 1;
                    self.report.rows += 1;
                    self.event(
                        tx,
                        NewEvent::new(
                            self.authority,
                            due.at,
                            "emergency_action_recorded",
                            contact.0,
                        )
                        .recorded_by(Some(worker))
                        .about(person)
                        .with(
                            crate::event_payloads::emergency_action_recorded(
                                &reference,
                                action.action,
                                notes,
                            ),
                        ),
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}
