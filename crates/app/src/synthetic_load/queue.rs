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

    /// Appends an event to the chain (held in the transaction's batch, written many at a time).
    pub(super) async fn event(&mut self, tx: &mut Tx, event: NewEvent) -> Result<(), AppError> {
        let mut people = event.people.clone();
        people.sort();
        people.dedup();
        self.batch()?.event(event);
        self.report.events += 1;
        self.report.rows += 1 + people.len() as u64;
        self.flush_if_large(tx).await
    }

    /// The rows held for this transaction, to push rows into.
    pub(super) fn batch(&mut self) -> Result<&mut RowBatch, AppError> {
        self.rows.as_mut().ok_or_else(|| {
            AppError::Conflict(
                "The synthetic load wrote outside a transaction: start one first.".into(),
            )
        })
    }

    /// Call before writing directly a row that names any of these people: the rows held are
    /// written first if one of them is still held, so the row's foreign key finds them.
    pub(super) async fn write_about(
        &mut self,
        tx: &mut Tx,
        people: &[PersonId],
    ) -> Result<(), AppError> {
        if self.batch()?.holds_any(people) {
            self.batch()?.flush(tx).await?;
        }
        Ok(())
    }

    /// Writes the rows held once there are many (bounds memory; same transaction).
    pub(super) async fn flush_if_large(&mut self, tx: &mut Tx) -> Result<(), AppError> {
        const FLUSH_ROWS: usize = 50_000;
        if self.batch()?.pending_rows() >= FLUSH_ROWS {
            self.batch()?.flush(tx).await?;
        }
        Ok(())
    }

    /// Opens the transaction's batch and takes, a block per counter, the person and contact
    /// numbers its contacts need: the same numbers, in the same order, as one by one.
    pub(super) async fn start_transaction(
        &mut self,
        tx: &mut Tx,
        contacts: &[SyntheticContact],
    ) -> Result<(), AppError> {
        self.rows = Some(RowBatch::start(tx, self.authority).await?);
        let mut needed: Vec<(String, i64)> = Vec::new();
        let mut need =
            |counter: String, count: i64| match needed.iter_mut().find(|(c, _)| *c == counter) {
                Some((_, n)) => *n += count,
                None => needed.push((counter, count)),
            };
        for contact in contacts {
            if let Some(household) = &contact.new_household {
                need("person".into(), household.people.len() as i64);
            }
            need(contact_counter(contact.received_at), 1);
        }
        self.numbers.clear();
        for (counter, count) in needed.into_iter().filter(|(_, n)| *n > 0) {
            let first = bulk::reserve_counter_block(tx, self.authority, &counter, count).await?;
            self.numbers.insert(counter, (first, first + count - 1));
        }
        Ok(())
    }

    /// The next number of a counter from the transaction's block.
    pub(super) fn take_number(&mut self, counter: &str) -> Result<i64, AppError> {
        match self.numbers.get_mut(counter) {
            Some((next, last)) if *next <= *last => {
                *next += 1;
                Ok(*next - 1)
            }
            _ => Err(AppError::Conflict(format!(
                "The synthetic load ran out of the numbers it took for counter {counter}: contacts must come from one generator, in order."
            ))),
        }
    }

    /// Writes what the transaction still holds.
    pub(super) async fn finish_transaction(&mut self, tx: &mut Tx) -> Result<(), AppError> {
        if let Some(mut rows) = self.rows.take() {
            rows.flush(tx).await?;
        }
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
                    self.write_about(tx, &[person]).await?;
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
                    self.write_about(tx, &[person]).await?;
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
