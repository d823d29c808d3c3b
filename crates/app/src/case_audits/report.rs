//! The audit summary report: for one audit, or the audits planned in a period — the grades
//! given to each question and overall, the findings of each completed case, the actions
//! outstanding and overdue, and the same per team.

use super::selection::period_instants;
use super::{Audit, AuditAction};
use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::NaiveDate;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::case_audit::{AuditPeriod, CaseAuditState, Grade};
use frontdoor_domain::ids::{AuditId, CaseAuditId, PersonId, TeamId};
use serde::Serialize;

/// How many times a grade was given.
#[derive(Debug, Clone, Serialize)]
pub struct GradeCount {
    pub grade: Grade,
    pub label: &'static str,
    pub count: usize,
}

fn distribution(grades: impl Iterator<Item = Grade> + Clone) -> Vec<GradeCount> {
    Grade::ALL
        .into_iter()
        .map(|grade| GradeCount {
            grade,
            label: grade.label(),
            count: grades.clone().filter(|g| *g == grade).count(),
        })
        .collect()
}

/// The grades one question was given.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionGrades {
    pub question: String,
    /// The grades given in the completed cases.
    pub grades: Vec<GradeCount>,
}

/// A completed case's findings.
#[derive(Debug, Clone, Serialize)]
pub struct AuditFinding {
    pub case_audit: CaseAuditId,
    pub person: PersonId,
    pub child_name: String,
    pub team_name: String,
    pub overall_grade: Option<Grade>,
    pub findings: String,
}

/// One team's audits.
#[derive(Debug, Clone, Serialize)]
pub struct TeamAudits {
    pub team: Option<TeamId>,
    pub team_name: String,
    pub cases: usize,
    pub completed: usize,
    pub overall: Vec<GradeCount>,
    pub actions_outstanding: usize,
    pub actions_overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditSummaryReport {
    /// The audit reported on, when one was asked for.
    pub audit: Option<Audit>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub cases: usize,
    pub completed: usize,
    /// By question, in the order the questions were first asked.
    pub questions: Vec<QuestionGrades>,
    /// Overall grades of the completed cases.
    pub overall: Vec<GradeCount>,
    pub findings: Vec<AuditFinding>,
    pub actions_outstanding: usize,
    pub actions_overdue: usize,
    /// The actions not yet done, soonest due first.
    pub outstanding: Vec<AuditAction>,
    pub teams: Vec<TeamAudits>,
}

fn team_name(name: &Option<String>) -> String {
    name.clone().unwrap_or_else(|| "No team".into())
}

impl App {
    /// The summary of one audit (whenever planned), or of the audits planned in the London
    /// dates `from..=to`. It names children (findings, actions): an access to each record.
    pub async fn audit_summary_report(
        &self,
        actor: &Actor,
        audit: Option<AuditId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<AuditSummaryReport, AppError> {
        actor.may(Action::ConductCaseAudits)?;
        let period =
            AuditPeriod::new(from, to).map_err(|e| AppError::invalid("to", e.to_string()))?;
        let audit = match audit {
            Some(id) => Some(
                self.store
                    .audit(actor.authority, id)
                    .await
                    .map_err(|e| AppError::from(e).normalise())?,
            ),
            None => None,
        };
        let (start, end) = match &audit {
            // One audit whenever it was planned: a period both databases can hold.
            Some(_) => period_instants(AuditPeriod {
                from: NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(from),
                to: NaiveDate::from_ymd_opt(9999, 12, 30).unwrap_or(to),
            }),
            None => period_instants(period),
        };
        let rows = self
            .store
            .audit_report_rows(actor.authority, audit.as_ref().map(|a| a.id), start, end)
            .await?;
        let today = london_date(self.now());
        let completed: Vec<_> = rows
            .cases
            .iter()
            .filter(|c| c.state == CaseAuditState::Completed)
            .collect();
        let completed_ids: std::collections::HashSet<CaseAuditId> =
            completed.iter().map(|c| c.id).collect();
        let mut questions: Vec<QuestionGrades> = Vec::new();
        for (case, answer) in &rows.answers {
            if !completed_ids.contains(case) {
                continue;
            }
            let index = match questions.iter().position(|q| q.question == answer.question) {
                Some(i) => i,
                None => {
                    questions.push(QuestionGrades {
                        question: answer.question.clone(),
                        grades: distribution(std::iter::empty::<Grade>()),
                    });
                    questions.len() - 1
                }
            };
            if let Some(count) = questions[index]
                .grades
                .iter_mut()
                .find(|g| Some(g.grade) == answer.grade)
            {
                count.count += 1;
            }
        }
        let outstanding: Vec<AuditAction> = rows
            .actions
            .iter()
            .filter(|a| a.completed_on.is_none())
            .cloned()
            .collect();
        let is_overdue = |a: &AuditAction| a.due_on < today;
        let mut teams: Vec<TeamAudits> = Vec::new();
        for case in &rows.cases {
            if !teams.iter().any(|t| t.team == case.team) {
                let of_team: Vec<_> = rows.cases.iter().filter(|c| c.team == case.team).collect();
                let team_actions: Vec<&AuditAction> =
                    outstanding.iter().filter(|a| a.team == case.team).collect();
                teams.push(TeamAudits {
                    team: case.team,
                    team_name: team_name(&case.team_name),
                    cases: of_team.len(),
                    completed: of_team
                        .iter()
                        .filter(|c| c.state == CaseAuditState::Completed)
                        .count(),
                    overall: distribution(
                        of_team
                            .iter()
                            .filter(|c| c.state == CaseAuditState::Completed)
                            .filter_map(|c| c.overall_grade),
                    ),
                    actions_outstanding: team_actions.len(),
                    actions_overdue: team_actions.iter().filter(|a| is_overdue(a)).count(),
                });
            }
        }
        let findings: Vec<AuditFinding> = completed
            .iter()
            .map(|c| AuditFinding {
                case_audit: c.id,
                person: c.person,
                child_name: c.child_name.clone(),
                team_name: team_name(&c.team_name),
                overall_grade: c.overall_grade,
                findings: c.findings.clone(),
            })
            .collect();
        let mut named: Vec<PersonId> = findings
            .iter()
            .map(|f| f.person)
            .chain(outstanding.iter().map(|a| a.person))
            .collect();
        named.sort();
        named.dedup();
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &named,
                "audit summary report",
                self.now(),
            )
            .await?;
        Ok(AuditSummaryReport {
            audit,
            from,
            to,
            cases: rows.cases.len(),
            completed: completed.len(),
            questions,
            overall: distribution(completed.iter().filter_map(|c| c.overall_grade)),
            findings,
            actions_outstanding: outstanding.len(),
            actions_overdue: outstanding.iter().filter(|a| is_overdue(a)).count(),
            outstanding,
            teams,
        })
    }
}
