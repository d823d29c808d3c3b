//! Quality-assurance case audits (issue 11, item 2; decision 0023).
//!
//! A quality assurance officer (or a team or senior manager) plans an audit with a tool — the
//! built-in standard tool, whose questions come from the Ofsted letter, or one the authority
//! added — of one named child (a standard or multi-agency audit) or of a sample of children
//! (thematic): N drawn with a recorded seed from the children meeting criteria (a theme, a team,
//! a period) or from a list handed over with where it came from (a dashboard figure's
//! children). Each child's case audit is then started, each question graded with a comment,
//! given an overall grade and findings, and completed (refused until everything is graded,
//! naming what is not); actions carry an owner and a due date. Partner auditors invited to a
//! multi-agency audit see only its case's summary: anything else is "not found".
//!
//! Every change is an event on the audited child's chronology; every read of an audited case
//! (and every list naming audited children) is access-logged.

mod casework;
mod report;
mod selection;
mod summary;

use crate::error::Checks;
use crate::{App, AppError};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::case_audit::{check_tool, standard_tool, AuditTool, STANDARD_TOOL_ID};
use frontdoor_domain::ids::{AuditId, AuditToolId, PersonId};
use frontdoor_store::case_audits::{self as audit_store, NewTool};
use frontdoor_store::events::NewEvent;
use frontdoor_store::StoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use casework::{AuditActionInput, CaseAuditAnswersInput, CaseAuditView, GivenAnswerInput};
pub use frontdoor_store::case_audits::{
    Answer as CaseAuditAnswer, Audit, AuditAction, CaseAudit, Invitation as AuditInvitation,
};
pub use report::{AuditFinding, AuditSummaryReport, GradeCount, QuestionGrades, TeamAudits};
pub use selection::{AuditInput, AuditListSampleInput, InvitationInput};
pub use summary::{CaseSummary, SummaryLine};

/// The most a free-text part of an audit may hold.
const MAX_TEXT: usize = 20_000;

/// A tool as typed: its name, what it is for, and its questions (blank lines ignored).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditToolInput {
    pub name: String,
    pub description: String,
    pub questions: Vec<String>,
}

/// An audit with its cases and the partners invited to it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditView {
    pub audit: Audit,
    pub cases: Vec<CaseAudit>,
    pub invitations: Vec<AuditInvitation>,
    /// Viewed by an invited partner auditor: only the case, nothing else.
    pub as_partner: bool,
    /// The partner agency practitioners who may be invited (a multi-agency audit, for the
    /// authority's auditors): (id, "name (organisation)").
    pub partners: Vec<(frontdoor_domain::ids::WorkerId, String)>,
}

impl App {
    /// The tools an audit may use: the built-in standard tool first, then the authority's.
    pub async fn audit_tools(&self, actor: &Actor) -> Result<Vec<AuditTool>, AppError> {
        if actor.may(Action::ConductCaseAudits).is_err() {
            actor.may(Action::ManageAuditTools)?;
        }
        let mut tools = vec![standard_tool()];
        tools.extend(self.store.audit_tools(actor.authority).await?);
        Ok(tools)
    }

    /// A tool by id (the standard tool's fixed id, or one of the authority's).
    pub(crate) async fn audit_tool(
        &self,
        actor: &Actor,
        id: AuditToolId,
    ) -> Result<AuditTool, AppError> {
        if id == STANDARD_TOOL_ID {
            return Ok(standard_tool());
        }
        self.store
            .audit_tool(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// Adds an audit tool: a name (unique in the authority) and its questions, in order.
    pub async fn create_audit_tool(
        &self,
        actor: &Actor,
        input: &AuditToolInput,
    ) -> Result<AuditTool, AppError> {
        actor.may(Action::ManageAuditTools)?;
        let mut checks = Checks::default();
        let description = checks.text("description", &input.description, MAX_TEXT);
        let questions: Vec<String> = input
            .questions
            .iter()
            .flat_map(|q| q.lines())
            .map(|q| checks.text("questions", q, 1_000))
            .collect();
        let checked = match check_tool(&input.name, &questions) {
            Ok(checked) => Some(checked),
            Err(problems) => {
                for problem in problems {
                    let field = match problem {
                        frontdoor_domain::case_audit::CaseAuditError::ToolNameMissing => "name",
                        _ => "questions",
                    };
                    checks.add(field, problem.to_string());
                }
                None
            }
        };
        checks.finish()?;
        let Some((name, questions)) = checked else {
            return Err(AppError::invalid(
                "questions",
                "Give the tool its questions.",
            ));
        };
        let now = self.now();
        let tool = NewTool {
            id: AuditToolId::new(),
            authority: actor.authority,
            name,
            description,
            questions,
            by: actor.worker,
            at: now,
        };
        let mut tx = self.store.begin().await?;
        audit_store::insert_tool(&mut tx, &tool)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate(_) => AppError::invalid(
                    "name",
                    "The authority already has a tool of this name: choose another name.",
                ),
                other => AppError::from(other),
            })?;
        NewEvent::by(actor, now, "audit_tool_created", tool.id.0)
            .with(json!({ "name": tool.name, "questions": tool.questions.len() }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(AuditTool {
            id: tool.id,
            name: tool.name,
            description: tool.description,
            questions: tool.questions,
            built_in: false,
        })
    }

    /// The audits: every one of the authority's for its auditors; for a partner auditor, only
    /// those they are invited to.
    pub async fn audits(&self, actor: &Actor) -> Result<Vec<Audit>, AppError> {
        let partner = self.audit_reader(actor)?;
        Ok(self.store.audits(actor.authority, partner).await?)
    }

    /// An audit with its cases (each child named: an access to each record). A partner sees
    /// only an audit they are invited to, and anything else is not found.
    pub async fn view_audit(&self, actor: &Actor, id: AuditId) -> Result<AuditView, AppError> {
        let partner = self.audit_reader(actor)?;
        let audit = self
            .store
            .audit(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if let Some(worker) = partner {
            if !self
                .store
                .is_invited_to_audit(actor.authority, id, worker)
                .await?
            {
                return Err(AppError::NotFound("The audit"));
            }
        }
        let cases = self.store.case_audits_of(actor.authority, id).await?;
        let people: Vec<PersonId> = cases.iter().map(|c| c.person).collect();
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &people,
                "quality assurance audit",
                self.now(),
            )
            .await?;
        let (invitations, partners) = if partner.is_some() {
            (Vec::new(), Vec::new())
        } else if audit.kind == frontdoor_domain::case_audit::AuditKind::MultiAgency {
            let organisations = self.store.organisations(actor.authority).await?;
            let partners = self
                .store
                .workers(actor.authority)
                .await?
                .into_iter()
                .filter(|w| {
                    w.active && w.role == frontdoor_domain::authorization::Role::PartnerPractitioner
                })
                .map(|w| {
                    let organisation = organisations
                        .iter()
                        .find(|o| o.id == w.organisation)
                        .map(|o| o.name.as_str())
                        .unwrap_or("");
                    (w.id, format!("{} ({organisation})", w.display_name))
                })
                .collect();
            (
                self.store.audit_invitations(actor.authority, id).await?,
                partners,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(AuditView {
            audit,
            cases,
            invitations,
            partners,
            as_partner: partner.is_some(),
        })
    }

    /// Who may read audits: the authority's auditors (None), or a partner auditor (their id,
    /// to be checked against each audit's invitations).
    pub(crate) fn audit_reader(
        &self,
        actor: &Actor,
    ) -> Result<Option<frontdoor_domain::ids::WorkerId>, AppError> {
        if actor.may(Action::ConductCaseAudits).is_ok() {
            return Ok(None);
        }
        actor.may(Action::TakePartInMultiAgencyAudit)?;
        Ok(Some(actor.worker))
    }
}

/// "This case audit was completed at 10:42 on 3 March 2026 by Sam Patel: ..."
pub(crate) fn what_changed(case: &CaseAudit) -> String {
    use crate::episodes::at_words;
    use frontdoor_domain::case_audit::CaseAuditState;
    let at = |at: Option<DateTime<Utc>>| at.map(at_words).unwrap_or_default();
    let by = |name: &Option<String>| name.clone().unwrap_or_else(|| "another auditor".into());
    match case.state {
        CaseAuditState::Completed => format!(
            "This case audit was completed at {} by {}: it can no longer change.",
            at(case.completed_at),
            by(&case.completed_by_name)
        ),
        CaseAuditState::InProgress => format!(
            "This case audit was started at {} by {}: it is in progress.",
            at(case.started_at),
            by(&case.started_by_name)
        ),
        CaseAuditState::Planned => {
            "This case audit is planned and not yet started: start it first.".into()
        }
    }
}
