//! One child's case audit: reading it (with the case's summary beside the questions), starting
//! it, grading its questions with comments, its overall grade and findings, completing it
//! (refused until everything is graded, naming each question not graded), and its actions
//! (owner and due date). Each step is a guarded transition: a lost race is a conflict saying
//! what changed.

use super::selection::required_text;
use super::{what_changed, AuditAction, CaseAudit, CaseAuditAnswer, CaseSummary, MAX_TEXT};
use crate::episodes::required_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError, FieldError};
use frontdoor_domain::authorization::{Action, Actor, Role};
use frontdoor_domain::case_audit::{
    check_completion, AnswerState, AuditKind, CaseAuditState, CompletionProblem, Grade,
};
use frontdoor_domain::ids::{AuditActionId, CaseAuditId, WorkerId};
use frontdoor_store::case_audits::{self as audit_store, GivenAnswer, NewAuditAction};
use frontdoor_store::events::NewEvent;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A question's answer as typed: its number, grade (blank: not yet graded) and comment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GivenAnswerInput {
    pub number: i32,
    pub grade: String,
    pub comment: String,
}

/// Answers as typed. The overall grade and findings are left as they are when absent (a
/// partner auditor answers the questions only).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseAuditAnswersInput {
    pub answers: Vec<GivenAnswerInput>,
    pub overall_grade: Option<String>,
    pub findings: Option<String>,
}

/// An action agreed in an audit: what, whose (a worker's id) and by when.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditActionInput {
    pub description: String,
    pub owner: String,
    /// 2026-12-18
    pub due_on: String,
}

/// A case audit with its answers, actions and the case's summary, and what the reader may do.
#[derive(Debug, Clone, Serialize)]
pub struct CaseAuditView {
    pub case: CaseAudit,
    pub answers: Vec<CaseAuditAnswer>,
    /// None for a partner auditor.
    pub actions: Vec<AuditAction>,
    pub summary: CaseSummary,
    /// Read by an invited partner auditor: the summary and the questions only.
    pub as_partner: bool,
    pub may_start: bool,
    pub may_answer: bool,
    pub may_complete: bool,
    pub may_add_actions: bool,
    /// Who may own an action (the authority's active workers): (id, name).
    pub owners: Vec<(WorkerId, String)>,
}

impl App {
    /// Loads a case audit the actor may work on: an auditor any of the authority's; a partner
    /// auditor only the case of a multi-agency audit they are invited to (anything else is not
    /// found, so they learn nothing of other children).
    async fn case_audit_for(
        &self,
        actor: &Actor,
        id: CaseAuditId,
    ) -> Result<(CaseAudit, bool), AppError> {
        let partner = self.audit_reader(actor)?;
        let case = self
            .store
            .case_audit(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if let Some(worker) = partner {
            if case.kind != AuditKind::MultiAgency
                || !self
                    .store
                    .is_invited_to_audit(actor.authority, case.audit, worker)
                    .await?
            {
                return Err(AppError::NotFound("The case audit"));
            }
        }
        Ok((case, partner.is_some()))
    }

    async fn case_conflict(&self, actor: &Actor, id: CaseAuditId) -> AppError {
        match self.store.case_audit(actor.authority, id).await {
            Ok(now) => AppError::Conflict(what_changed(&now)),
            Err(e) => AppError::from(e).normalise(),
        }
    }

    /// A case audit with the case's summary (an access to the child's record).
    pub async fn view_case_audit(
        &self,
        actor: &Actor,
        id: CaseAuditId,
    ) -> Result<CaseAuditView, AppError> {
        let (case, as_partner) = self.case_audit_for(actor, id).await?;
        let now = self.now();
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                case.person,
                if as_partner {
                    "multi-agency audit"
                } else {
                    "case audit"
                },
                now,
            )
            .await?;
        let answers = self.store.case_audit_answers(actor.authority, id).await?;
        let actions = if as_partner {
            Vec::new()
        } else {
            self.store.case_audit_actions(actor.authority, id).await?
        };
        let summary = self
            .case_summary(actor.authority, case.person, now, as_partner)
            .await?;
        let may_add_actions = !as_partner && case.state != CaseAuditState::Planned;
        let owners = if may_add_actions {
            self.store
                .workers(actor.authority)
                .await?
                .into_iter()
                .filter(|w| w.active && w.role != Role::PartnerPractitioner)
                .map(|w| (w.id, w.display_name))
                .collect()
        } else {
            Vec::new()
        };
        Ok(CaseAuditView {
            owners,
            may_add_actions,
            may_start: !as_partner && case.state == CaseAuditState::Planned,
            may_answer: case.state == CaseAuditState::InProgress,
            may_complete: !as_partner && case.state == CaseAuditState::InProgress,
            case,
            answers,
            actions,
            summary,
            as_partner,
        })
    }

    /// Starts a planned case audit. A second start is a conflict saying who started it.
    pub async fn start_case_audit(
        &self,
        actor: &Actor,
        id: CaseAuditId,
    ) -> Result<CaseAudit, AppError> {
        actor.may(Action::ConductCaseAudits)?;
        let (case, _) = self.case_audit_for(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !audit_store::start(&mut tx, actor.authority, id, actor.worker, now).await? {
            drop(tx);
            return Err(self.case_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "case_audit_started", id.0)
            .about(case.person)
            .with(json!({ "audit": case.audit, "title": case.audit_title }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.case_audit(actor.authority, id).await?)
    }

    /// Saves grades and comments (and, for the authority's auditors, the overall grade and
    /// findings) while the case audit is in progress.
    pub async fn record_case_audit_answers(
        &self,
        actor: &Actor,
        id: CaseAuditId,
        input: &CaseAuditAnswersInput,
    ) -> Result<CaseAudit, AppError> {
        let (case, as_partner) = self.case_audit_for(actor, id).await?;
        let mut checks = Checks::default();
        let questions = self.store.case_audit_answers(actor.authority, id).await?;
        let mut given = Vec::new();
        for answer in &input.answers {
            if !questions.iter().any(|q| q.number == answer.number) {
                checks.add(
                    format!("grade[{}]", answer.number),
                    format!("The audit has no question {}.", answer.number),
                );
                continue;
            }
            let grade = checks.optional(
                &format!("grade[{}]", answer.number),
                &answer.grade,
                Grade::from_code,
            );
            let comment = checks.text(
                &format!("comment[{}]", answer.number),
                &answer.comment,
                MAX_TEXT,
            );
            given.push(GivenAnswer {
                number: answer.number,
                grade,
                comment,
            });
        }
        let judgement = if as_partner {
            if input.overall_grade.is_some() || input.findings.is_some() {
                checks.add(
                    "overall_grade",
                    "The authority's auditor gives the overall grade and findings: answer the questions.",
                );
            }
            None
        } else {
            match (&input.overall_grade, &input.findings) {
                (None, None) => None,
                (overall, findings) => Some((
                    overall
                        .as_deref()
                        .and_then(|g| checks.optional("overall_grade", g, Grade::from_code))
                        .or(case.overall_grade.filter(|_| overall.is_none())),
                    match findings {
                        Some(text) => checks.text("findings", text, MAX_TEXT),
                        None => case.findings.clone(),
                    },
                )),
            }
        };
        checks.finish()?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !audit_store::save_answers(&mut tx, actor.authority, id, &given, actor.worker, now)
            .await?
        {
            drop(tx);
            return Err(self.case_conflict(actor, id).await);
        }
        if let Some((overall, findings)) = &judgement {
            audit_store::save_judgement(&mut tx, actor.authority, id, *overall, findings, now)
                .await?;
        }
        let graded = given.iter().filter(|a| a.grade.is_some()).count();
        NewEvent::by(actor, now, "case_audit_answered", id.0)
            .about(case.person)
            .with(json!({
                "audit": case.audit,
                "title": case.audit_title,
                "questions_graded": graded,
                "overall_grade": judgement.as_ref().and_then(|(g, _)| g.map(|g| g.code())),
                "partner": as_partner,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.case_audit(actor.authority, id).await?)
    }

    /// Completes an in-progress case audit. Refused, naming each, while a question, the
    /// overall grade or the findings are missing; a lost race is a conflict saying who
    /// completed it.
    pub async fn complete_case_audit(
        &self,
        actor: &Actor,
        id: CaseAuditId,
    ) -> Result<CaseAudit, AppError> {
        actor.may(Action::ConductCaseAudits)?;
        self.case_audit_for(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // Held for the transaction, so answers saved at the same moment are judged here or
        // refused there.
        let current = audit_store::case_audit_for_update(&mut tx, actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if current.state != CaseAuditState::InProgress {
            return Err(AppError::Conflict(what_changed(&current)));
        }
        let answers = audit_store::answers_in(&mut tx, actor.authority, id).await?;
        let states: Vec<AnswerState> = answers
            .iter()
            .map(|a| AnswerState {
                number: a.number as usize,
                question: &a.question,
                grade: a.grade,
            })
            .collect();
        check_completion(&states, current.overall_grade, &current.findings).map_err(
            |problems| {
                AppError::Invalid(
                    problems
                        .iter()
                        .map(|p| FieldError::new(completion_field(p), p.to_string()))
                        .collect(),
                )
            },
        )?;
        if !audit_store::complete(&mut tx, actor.authority, id, actor.worker, now).await? {
            drop(tx);
            return Err(self.case_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "case_audit_completed", id.0)
            .about(current.person)
            .with(json!({
                "audit": current.audit,
                "title": current.audit_title,
                "overall_grade": current.overall_grade.map(|g| g.code()),
                "findings": current.findings,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.case_audit(actor.authority, id).await?)
    }

    /// Adds an action to a started (or completed) case audit: what, whose and by when. An
    /// action without a due date is refused.
    pub async fn add_case_audit_action(
        &self,
        actor: &Actor,
        id: CaseAuditId,
        input: &AuditActionInput,
    ) -> Result<AuditAction, AppError> {
        actor.may(Action::ConductCaseAudits)?;
        let (case, _) = self.case_audit_for(actor, id).await?;
        let mut checks = Checks::default();
        let description = required_text(
            &mut checks,
            "description",
            &input.description,
            "Say what is to be done.",
        );
        let due_on = required_date(
            &mut checks,
            "due_on",
            &input.due_on,
            "Enter the date the action is due: an action without a due date drifts.",
        );
        let today = london_date(self.now());
        if due_on.is_some_and(|d| d < today) {
            checks.add("due_on", "The due date cannot be in the past.");
        }
        let owner = match input.owner.trim().parse::<WorkerId>() {
            Ok(owner) => self.store.worker(actor.authority, owner).await.ok(),
            Err(_) => None,
        }
        .filter(|w| w.active && w.role != Role::PartnerPractitioner);
        if owner.is_none() {
            checks.add("owner", "Choose who owns the action.");
        }
        checks.finish()?;
        let (Some(owner), Some(due_on)) = (owner, due_on) else {
            return Err(AppError::invalid("owner", "Choose who owns the action."));
        };
        let now = self.now();
        let action = NewAuditAction {
            id: AuditActionId::new(),
            authority: actor.authority,
            case_audit: id,
            description,
            owner: owner.id,
            due_on,
            by: actor.worker,
            at: now,
        };
        let mut tx = self.store.begin().await?;
        if !audit_store::insert_action(&mut tx, &action).await? {
            drop(tx);
            return Err(self.case_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "case_audit_action_added", action.id.0)
            .about(case.person)
            .with(json!({
                "audit": case.audit,
                "title": case.audit_title,
                "description": action.description,
                "owner": owner.display_name,
                "due_on": due_on,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.audit_action(actor.authority, action.id).await?)
    }

    /// Marks an audit action done (by an auditor, or by its owner). Done twice is a conflict.
    pub async fn complete_case_audit_action(
        &self,
        actor: &Actor,
        id: AuditActionId,
    ) -> Result<AuditAction, AppError> {
        let action = self
            .store
            .audit_action(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if action.owner != actor.worker {
            actor.may(Action::ConductCaseAudits)?;
        }
        let now = self.now();
        let today = london_date(now);
        let mut tx = self.store.begin().await?;
        if !audit_store::complete_action(&mut tx, actor.authority, id, actor.worker, today).await? {
            return Err(AppError::Conflict(
                "This action was marked done a moment ago: reload to see it.".into(),
            ));
        }
        NewEvent::by(actor, now, "case_audit_action_completed", id.0)
            .about(action.person)
            .with(json!({
                "audit": action.audit,
                "description": action.description,
                "due_on": action.due_on,
                "completed_on": today,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.audit_action(actor.authority, id).await?)
    }
}

fn completion_field(problem: &CompletionProblem) -> String {
    match problem {
        CompletionProblem::QuestionNotGraded { number, .. } => format!("grade[{number}]"),
        CompletionProblem::NoOverallGrade => "overall_grade".into(),
        CompletionProblem::NoFindings => "findings".into(),
    }
}
