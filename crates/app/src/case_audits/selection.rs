//! Planning an audit: of one named child, of N children sampled (with a recorded seed) from
//! those meeting criteria, or of N sampled from a list of children handed over with where it
//! came from (a dashboard figure's drill-down); the exception criterion "decisions not
//! authorised within one working day"; and inviting partner auditors to a multi-agency audit.

use super::{Audit, MAX_TEXT};
use crate::error::Checks;
use crate::local_time::from_london;
use crate::{App, AppError};
use chrono::{Days, NaiveDate, NaiveTime};
use frontdoor_domain::authorization::{Action, Actor, Role};
use frontdoor_domain::case_audit::{
    sample, AuditKind, AuditPeriod, AuditTheme, AuditTool, MAX_SAMPLE, STANDARD_TOOL_ID,
};
use frontdoor_domain::ids::{AuditId, AuditToolId, CaseAuditId, PersonId, TeamId, WorkerId};
use frontdoor_store::case_audits::selection::Criteria;
use frontdoor_store::case_audits::{self as audit_store, NewAudit};
use frontdoor_store::events::NewEvent;
use frontdoor_store::StoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// An audit as planned on the form or through the API. A standard or multi-agency audit names
/// its child; a thematic one gives the period (and perhaps a theme and a team) and how many
/// children to sample, and may give the seed (otherwise one is drawn and recorded).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditInput {
    pub title: String,
    /// standard, thematic or multi_agency
    pub kind: String,
    /// The tool's id (blank: the built-in standard tool).
    pub tool: String,
    /// The child's record id (standard and multi-agency audits).
    pub child: String,
    /// domestic_abuse, re_referrals, child_sexual_exploitation or
    /// decisions_not_authorised_in_one_working_day (blank: every child in the period).
    pub theme: String,
    /// A team's id (blank: every team).
    pub team: String,
    /// 2026-09-01
    pub from: String,
    pub to: String,
    pub sample_size: String,
    pub seed: String,
}

/// A sample from a list of children, with where the list came from ("Decisions that breached
/// one working day, 01/09/2026–30/11/2026").
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditListSampleInput {
    pub title: String,
    pub tool: String,
    pub source: String,
    pub children: Vec<PersonId>,
    pub sample_size: String,
    pub seed: String,
}

/// Inviting a partner auditor (a partner agency practitioner) to a multi-agency audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationInput {
    pub worker: String,
}

/// How the cases were chosen, ready to store.
struct Selection {
    kind: AuditKind,
    words: String,
    theme: Option<AuditTheme>,
    team: Option<TeamId>,
    period: Option<AuditPeriod>,
    population: usize,
    seed: Option<u64>,
    children: Vec<PersonId>,
}

fn parse_sample_size(checks: &mut Checks, text: &str) -> usize {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_SAMPLE).contains(&n) => n,
        _ => {
            checks.add(
                "sample_size",
                format!("Enter how many children to sample, from 1 to {MAX_SAMPLE}."),
            );
            0
        }
    }
}

fn parse_seed(checks: &mut Checks, text: &str) -> u64 {
    if text.trim().is_empty() {
        return rand::random::<u64>();
    }
    match text.trim().parse::<u64>() {
        Ok(seed) => seed,
        Err(_) => {
            checks.add(
                "seed",
                "The seed is a whole number (leave it blank to draw one).",
            );
            0
        }
    }
}

fn parse_date(checks: &mut Checks, field: &str, text: &str, missing: &str) -> Option<NaiveDate> {
    crate::episodes::required_date(checks, field, text, missing)
}

/// The instants of a period of London dates: `[from 00:00, the day after to 00:00)`.
pub(crate) fn period_instants(
    period: AuditPeriod,
) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    (
        from_london(period.from.and_time(NaiveTime::MIN)),
        from_london(
            period
                .to
                .checked_add_days(Days::new(1))
                .unwrap_or(period.to)
                .and_time(NaiveTime::MIN),
        ),
    )
}

impl App {
    async fn tool_for(&self, actor: &Actor, checks: &mut Checks, text: &str) -> Option<AuditTool> {
        let id = if text.trim().is_empty() {
            STANDARD_TOOL_ID
        } else {
            match text.trim().parse::<AuditToolId>() {
                Ok(id) => id,
                Err(_) => {
                    checks.add("tool", "Choose one of the audit tools.");
                    return None;
                }
            }
        };
        match self.audit_tool(actor, id).await {
            Ok(tool) => Some(tool),
            Err(_) => {
                checks.add("tool", "Choose one of the audit tools.");
                None
            }
        }
    }

    /// Plans an audit: of one named child (standard, multi-agency), or of a sample of the
    /// children meeting the criteria (thematic). Each case audit starts planned.
    pub async fn plan_audit(&self, actor: &Actor, input: &AuditInput) -> Result<Audit, AppError> {
        actor.may(Action::ConductCaseAudits)?;
        let mut checks = Checks::default();
        let title = required_text(
            &mut checks,
            "title",
            &input.title,
            "Give the audit a title.",
        );
        let kind = if input.kind.trim().is_empty() {
            checks.add("kind", "Choose the kind of audit.");
            None
        } else {
            checks.take("kind", AuditKind::from_code(&input.kind))
        };
        let tool = self.tool_for(actor, &mut checks, &input.tool).await;
        let selection = match kind {
            Some(kind) if kind.is_of_one_child() => {
                self.named_child(actor, &mut checks, kind, &input.child)
                    .await?
            }
            Some(kind) => self.by_criteria(actor, &mut checks, kind, input).await?,
            None => None,
        };
        checks.finish()?;
        let (Some(tool), Some(selection)) = (tool, selection) else {
            return Err(AppError::invalid("kind", "Choose the kind of audit."));
        };
        self.store_audit(actor, title, tool, selection).await
    }

    /// Plans a thematic audit of N children sampled (with a recorded seed) from a list handed
    /// over with where it came from — the children behind a dashboard figure.
    pub async fn sample_audit_from_list(
        &self,
        actor: &Actor,
        input: &AuditListSampleInput,
    ) -> Result<Audit, AppError> {
        actor.may(Action::ConductCaseAudits)?;
        let mut checks = Checks::default();
        let title = required_text(
            &mut checks,
            "title",
            &input.title,
            "Give the audit a title.",
        );
        let source = required_text(
            &mut checks,
            "source",
            &input.source,
            "Say where the list of children came from (the figure and its period).",
        );
        let tool = self.tool_for(actor, &mut checks, &input.tool).await;
        let n = parse_sample_size(&mut checks, &input.sample_size);
        let seed = parse_seed(&mut checks, &input.seed);
        if input.children.is_empty() {
            checks.add("children", "The list has no children to sample from.");
        }
        checks.finish()?;
        let mut listed = input.children.clone();
        listed.sort();
        listed.dedup();
        let found = self
            .store
            .authority_children(actor.authority, &listed)
            .await?;
        if found.len() != listed.len() {
            return Err(AppError::invalid(
                "children",
                format!(
                    "{} of the {} children listed are not records of this authority (or were merged into another record): refresh the list and try again.",
                    listed.len() - found.len(),
                    listed.len()
                ),
            ));
        }
        let Some(tool) = tool else {
            return Err(AppError::invalid("tool", "Choose one of the audit tools."));
        };
        let selection = Selection {
            kind: AuditKind::Thematic,
            words: source,
            theme: None,
            team: None,
            period: None,
            population: found.len(),
            seed: Some(seed),
            children: sample(&found, n, seed),
        };
        self.store_audit(actor, title, tool, selection).await
    }

    /// The exception criterion: the children on contacts received in the period whose
    /// threshold decision was not authorised within one working day (authorised after its due
    /// time, or still not authorised past it), in id order. For the dashboard's drill-down and
    /// for sampling.
    pub async fn decisions_not_authorised_in_one_working_day(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PersonId>, AppError> {
        if actor.may(Action::ConductCaseAudits).is_err() {
            actor.may(Action::ViewPerformance)?;
        }
        // A list of children's records: only for those who may read the records, and each one
        // handed out is a read in their access log (as the dashboard's drill-down is).
        actor.may(Action::ViewChildRecord)?;
        let period =
            AuditPeriod::new(from, to).map_err(|e| AppError::invalid("to", e.to_string()))?;
        let children = self
            .children_meeting(
                actor,
                period,
                Some(AuditTheme::DecisionsNotAuthorisedInOneWorkingDay),
                None,
            )
            .await?;
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &children,
                "audit exceptions: decisions not authorised within one working day",
                self.now(),
            )
            .await?;
        Ok(children)
    }

    async fn children_meeting(
        &self,
        actor: &Actor,
        period: AuditPeriod,
        theme: Option<AuditTheme>,
        team: Option<TeamId>,
    ) -> Result<Vec<PersonId>, StoreError> {
        let (from, to) = period_instants(period);
        self.store
            .children_meeting(
                actor.authority,
                &Criteria {
                    from,
                    to,
                    from_date: period.from,
                    to_date: period.to,
                    theme,
                    team,
                    now: self.now(),
                },
            )
            .await
    }

    async fn named_child(
        &self,
        actor: &Actor,
        checks: &mut Checks,
        kind: AuditKind,
        child: &str,
    ) -> Result<Option<Selection>, AppError> {
        let Ok(person) = child.trim().parse::<PersonId>() else {
            checks.add(
                "child",
                "Enter the child's record id (the last part of the address of their record).",
            );
            return Ok(None);
        };
        if self
            .store
            .authority_children(actor.authority, &[person])
            .await?
            .is_empty()
        {
            checks.add("child", "There is no child's record with this id.");
            return Ok(None);
        }
        Ok(Some(Selection {
            kind,
            words: "A named child's case".into(),
            theme: None,
            team: None,
            period: None,
            population: 1,
            seed: None,
            children: vec![person],
        }))
    }

    async fn by_criteria(
        &self,
        actor: &Actor,
        checks: &mut Checks,
        kind: AuditKind,
        input: &AuditInput,
    ) -> Result<Option<Selection>, AppError> {
        let from = parse_date(
            checks,
            "from",
            &input.from,
            "Enter the first day of the period.",
        );
        let to = parse_date(checks, "to", &input.to, "Enter the last day of the period.");
        let period = match (from, to) {
            (Some(from), Some(to)) => checks.take("to", AuditPeriod::new(from, to)),
            _ => None,
        };
        let theme = checks.optional("theme", &input.theme, AuditTheme::from_code);
        let team = if input.team.trim().is_empty() {
            None
        } else {
            let teams = self.store.teams(actor.authority).await?;
            match teams
                .into_iter()
                .find(|t| t.id.to_string() == input.team.trim())
            {
                Some(team) => Some((team.id, team.name)),
                None => {
                    checks.add("team", "Choose one of the authority's teams.");
                    None
                }
            }
        };
        let n = parse_sample_size(checks, &input.sample_size);
        let seed = parse_seed(checks, &input.seed);
        let Some(period) = period else {
            return Ok(None);
        };
        if !checks.0.is_empty() {
            return Ok(None);
        }
        let population = self
            .children_meeting(actor, period, theme, team.as_ref().map(|t| t.0))
            .await?;
        if population.is_empty() {
            checks.add(
                "from",
                "No children meet these criteria: widen the period, or choose another theme or team.",
            );
            return Ok(None);
        }
        let mut words = theme
            .map(|t| t.label().to_string())
            .unwrap_or_else(|| "Children on contacts received".into());
        if let Some((_, name)) = &team {
            words.push_str(&format!(", {name}"));
        }
        words.push_str(&format!(", {}", period.words()));
        Ok(Some(Selection {
            kind,
            words,
            theme,
            team: team.map(|t| t.0),
            period: Some(period),
            population: population.len(),
            seed: Some(seed),
            children: sample(&population, n, seed),
        }))
    }

    /// Stores the audit and a planned case audit per child (the tool's questions copied in),
    /// each with its event on the child's chronology.
    async fn store_audit(
        &self,
        actor: &Actor,
        title: String,
        tool: AuditTool,
        selection: Selection,
    ) -> Result<Audit, AppError> {
        let now = self.now();
        let id = AuditId::new();
        let mut tx = self.store.begin().await?;
        audit_store::insert_audit(
            &mut tx,
            &NewAudit {
                id,
                authority: actor.authority,
                title: title.clone(),
                kind: selection.kind,
                tool: tool.id,
                tool_name: tool.name.clone(),
                selection: selection.words.clone(),
                theme: selection.theme,
                team: selection.team,
                period_from: selection.period.map(|p| p.from),
                period_to: selection.period.map(|p| p.to),
                population: i32::try_from(selection.population).unwrap_or(i32::MAX),
                sample_size: selection.children.len() as i32,
                seed: selection.seed,
                by: actor.worker,
                at: now,
            },
        )
        .await?;
        NewEvent::by(actor, now, "audit_planned", id.0)
            .with(json!({
                "title": title,
                "kind": selection.kind.code(),
                "tool": tool.name,
                "selection": selection.words,
                "population": selection.population,
                "sample_size": selection.children.len(),
                "seed": selection.seed.map(|s| s.to_string()),
            }))
            .append(&mut tx)
            .await?;
        for person in &selection.children {
            let team = match selection.team {
                Some(team) => Some(team),
                None => {
                    audit_store::latest_contact_team_in(&mut tx, actor.authority, *person).await?
                }
            };
            let case = CaseAuditId::new();
            audit_store::insert_case_audit(
                &mut tx,
                actor.authority,
                id,
                case,
                *person,
                team,
                &tool.questions,
                now,
            )
            .await?;
            NewEvent::by(actor, now, "case_audit_planned", case.0)
                .about(*person)
                .with(json!({
                    "audit": id,
                    "title": title,
                    "kind": selection.kind.code(),
                    "tool": tool.name,
                    "selection": selection.words,
                }))
                .append(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(self.store.audit(actor.authority, id).await?)
    }

    /// Invites a partner agency practitioner to a multi-agency audit: they will see its case's
    /// summary and answer its questions, nothing else.
    pub async fn invite_audit_partner(
        &self,
        actor: &Actor,
        audit: AuditId,
        input: &InvitationInput,
    ) -> Result<Vec<super::AuditInvitation>, AppError> {
        actor.may(Action::ConductCaseAudits)?;
        let current = self
            .store
            .audit(actor.authority, audit)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        if current.kind != AuditKind::MultiAgency {
            return Err(AppError::invalid(
                "worker",
                "Only a multi-agency audit has partner auditors: plan one for this child.",
            ));
        }
        let partner = match input.worker.trim().parse::<WorkerId>() {
            Ok(id) => self.store.worker(actor.authority, id).await.ok(),
            Err(_) => None,
        };
        let Some(partner) = partner.filter(|w| w.active && w.role == Role::PartnerPractitioner)
        else {
            return Err(AppError::invalid(
                "worker",
                "Choose a partner agency practitioner to invite.",
            ));
        };
        let now = self.now();
        let cases = self.store.case_audits_of(actor.authority, audit).await?;
        let mut tx = self.store.begin().await?;
        audit_store::insert_invitation(
            &mut tx,
            actor.authority,
            audit,
            partner.id,
            partner.organisation,
            actor.worker,
            now,
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => AppError::Conflict(format!(
                "{} is already invited to this audit.",
                partner.display_name
            )),
            other => AppError::from(other),
        })?;
        let organisation = self
            .store
            .organisations(actor.authority)
            .await?
            .into_iter()
            .find(|o| o.id == partner.organisation)
            .map(|o| o.name)
            .unwrap_or_default();
        NewEvent::by(actor, now, "audit_partner_invited", audit.0)
            .about_all(cases.iter().map(|c| c.person))
            .with(json!({
                "title": current.title,
                "partner": partner.display_name,
                "organisation": organisation,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.audit_invitations(actor.authority, audit).await?)
    }
}

pub(crate) fn required_text(checks: &mut Checks, field: &str, text: &str, missing: &str) -> String {
    let value = checks.text(field, text, MAX_TEXT);
    if value.is_empty() {
        checks.add(field, missing);
    }
    value
}
