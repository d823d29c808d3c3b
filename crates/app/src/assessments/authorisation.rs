//! Submitting an assessment for authorisation, and a team manager authorising it or
//! returning it to the worker: each a guarded transition (a lost race is a conflict saying who
//! decided first).

use super::*;

impl App {
    /// Submits the assessment for a manager's authorisation. Refused, naming each one, while a
    /// quality point is missing without a reason, or the factors or outcome are not chosen;
    /// nothing is stored then.
    pub async fn submit_assessment(
        &self,
        actor: &Actor,
        id: AssessmentId,
        input: &AssessmentSubmissionInput,
    ) -> Result<Assessment, AppError> {
        actor.may(Action::RecordAssessment)?;
        let mut reasons = BTreeMap::new();
        let mut checks = Checks::default();
        for (code, reason) in &input.reasons {
            if reason.trim().is_empty() {
                continue;
            }
            if let Some(point) =
                checks.take(&format!("reasons[{code}]"), QualityPoint::from_code(code))
            {
                reasons.insert(
                    point,
                    checks.text(&format!("reasons[{code}]"), reason, MAX_TEXT),
                );
            }
        }
        checks.finish()?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let current = assessment_store::assessment_for_update(&mut tx, actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if current.state != AssessmentState::InProgress {
            return Err(AppError::Conflict(what_changed(&current)));
        }
        let visits = assessment_store::visits_in(&mut tx, actor.authority, id).await?;
        let submission = Submission {
            record: quality_record(&current, &visits),
            factors: &current.factors,
            outcome: current.outcome,
            reasons: &reasons,
        };
        let kept = check_submission(&submission).map_err(|problems| {
            AppError::Invalid(
                problems
                    .iter()
                    .map(|p| crate::FieldError::new(problem_field(p), p.to_string()))
                    .collect(),
            )
        })?;
        if !assessment_store::submit(&mut tx, actor.authority, id, actor.worker, now, &kept).await?
        {
            drop(tx);
            return Err(self.assessment_conflict(actor, id).await);
        }
        let missing: Vec<&str> = kept.keys().map(|p| p.code()).collect();
        NewEvent::by(actor, now, "assessment_submitted", id.0)
            .about(current.person)
            .with(json!({
                "outcome": current.outcome.map(|o| o.code()),
                "missing_quality_points": missing,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_assessment(actor, id).await
    }

    /// A manager of the team authorises a submitted assessment (never one they submitted): it
    /// is complete today. A lost race is a conflict saying who decided first.
    pub async fn authorise_assessment(
        &self,
        actor: &Actor,
        id: AssessmentId,
    ) -> Result<Assessment, AppError> {
        actor.may(Action::AuthoriseAssessment)?;
        let current = self.load_assessment(actor, id).await?;
        authorize(
            actor,
            Action::AuthoriseAssessment,
            &authorisation_resource(actor, &current),
        )
        .require()?;
        if current.state != AssessmentState::Submitted {
            return Err(AppError::Conflict(what_changed(&current)));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !assessment_store::authorise(
            &mut tx,
            actor.authority,
            id,
            actor.worker,
            now,
            london_date(now),
        )
        .await?
        {
            drop(tx);
            return Err(self.assessment_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "assessment_authorised", id.0)
            .about(current.person)
            .with(json!({
                "completed_on": london_date(now),
                "outcome": current.outcome.map(|o| o.code()),
                "factors": current.factors.iter().map(|f| f.code()).collect::<Vec<_>>(),
                "due_on": current.due_on,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_assessment(actor, id).await
    }

    /// A manager returns a submitted assessment to the worker, saying what to put right.
    pub async fn return_assessment(
        &self,
        actor: &Actor,
        id: AssessmentId,
        input: &AssessmentReturnInput,
    ) -> Result<Assessment, AppError> {
        actor.may(Action::AuthoriseAssessment)?;
        let mut checks = Checks::default();
        let reason = checks.text("reason", &input.reason, MAX_TEXT);
        if reason.chars().count() < MIN_REASON_CHARS {
            checks.add(
                "reason",
                format!("Say what the worker should put right (at least {MIN_REASON_CHARS} characters)."),
            );
        }
        checks.finish()?;
        let current = self.load_assessment(actor, id).await?;
        authorize(
            actor,
            Action::AuthoriseAssessment,
            &authorisation_resource(actor, &current),
        )
        .require()?;
        if current.state != AssessmentState::Submitted {
            return Err(AppError::Conflict(what_changed(&current)));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !assessment_store::return_to_worker(
            &mut tx,
            actor.authority,
            id,
            actor.worker,
            now,
            &reason,
        )
        .await?
        {
            drop(tx);
            return Err(self.assessment_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "assessment_returned", id.0)
            .about(current.person)
            .with(json!({ "reason": reason }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_assessment(actor, id).await
    }
}
