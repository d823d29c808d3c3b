//! The partner portal's early help: a partner practitioner appointed lead professional sees the
//! episodes they lead, and of each only the parts the family's consent (or a manager's
//! safeguarding reason) lets their agency see. Without consent to their agency for the child's
//! identity, the episode is not listed and opening it is refused (403); another practitioner's
//! episode is "not found", so its existence is not revealed.

use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::NaiveDate;
use frontdoor_domain::agency::Agency;
use frontdoor_domain::authorization::{authorize, Action, Actor, DenialReason, Resource};
use frontdoor_domain::early_help::{
    assessment_overdue, may_share, ConsentToShare, SafeguardingOverride, SharedPart, Sharing,
};
use frontdoor_domain::ids::EarlyHelpEpisodeId;
use frontdoor_store::early_help::{
    EarlyHelpAssessment, EarlyHelpEpisode, EarlyHelpList, FamilyAction, FamilyContact,
};
use serde::Serialize;

/// A row of the partner's list: the child, the assessment's dates.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerEarlyHelpSummary {
    pub id: EarlyHelpEpisodeId,
    pub child_name: String,
    pub started_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub overdue: bool,
}

/// One episode as the lead professional sees it: each part only when the rule allows it.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerEarlyHelp {
    pub id: EarlyHelpEpisodeId,
    pub agency: Agency,
    pub child_name: String,
    pub child_birth_date: Option<NaiveDate>,
    pub coordinator_name: Option<String>,
    /// The assessment and actions, when the assessment may be shared.
    pub assessment: Option<EarlyHelpAssessment>,
    pub actions: Option<Vec<FamilyAction>>,
    /// Why early help began and the coordinator's contacts with the family, when the family
    /// history may be shared.
    pub reason: Option<String>,
    pub family_contacts: Option<Vec<FamilyContact>>,
    /// The parts withheld, with why.
    pub withheld: Vec<(SharedPart, String)>,
    pub overdue: bool,
}

struct Rule {
    consents: Vec<ConsentToShare>,
    overrides: Vec<SafeguardingOverride>,
}

impl Rule {
    fn sharing(&self, agency: Agency, part: SharedPart) -> Sharing {
        may_share(&self.consents, &self.overrides, agency, part)
    }
}

impl App {
    async fn sharing_rule(&self, actor: &Actor, id: EarlyHelpEpisodeId) -> Result<Rule, AppError> {
        let (consents, overrides) = self.store.early_help_consents(actor.authority, id).await?;
        Ok(Rule {
            consents: consents.into_iter().map(|c| c.consent).collect(),
            overrides: overrides.into_iter().map(|o| o.sharing).collect(),
        })
    }

    /// The open episodes the partner leads whose child's identity may be shared with their
    /// agency.
    pub async fn led_early_help(
        &self,
        actor: &Actor,
    ) -> Result<Vec<PartnerEarlyHelpSummary>, AppError> {
        actor.may(Action::LeadEarlyHelpAssessment)?;
        let today = london_date(self.now());
        let mut rows = Vec::new();
        for episode in self
            .store
            .early_help_list(actor.authority, EarlyHelpList::LedBy(actor.worker))
            .await?
        {
            let Some(a) = &episode.assessment else {
                continue;
            };
            let rule = self.sharing_rule(actor, episode.id).await?;
            if !rule
                .sharing(a.lead_agency, SharedPart::Identity)
                .is_allowed()
            {
                continue;
            }
            let may_see_assessment = rule
                .sharing(a.lead_agency, SharedPart::Assessment)
                .is_allowed();
            rows.push(PartnerEarlyHelpSummary {
                id: episode.id,
                child_name: episode.child_name.clone(),
                started_on: a.started_on.filter(|_| may_see_assessment),
                due_on: a.due_on.filter(|_| may_see_assessment),
                completed_on: a.completed_on.filter(|_| may_see_assessment),
                overdue: may_see_assessment && assessment_overdue(a.due_on, a.completed_on, today),
            });
        }
        Ok(rows)
    }

    /// One episode the partner leads, with only what may be shared with their agency. The
    /// child's identity not shared: 403. Another practitioner's episode: not found.
    pub async fn partner_early_help(
        &self,
        actor: &Actor,
        id: EarlyHelpEpisodeId,
    ) -> Result<PartnerEarlyHelp, AppError> {
        actor.may(Action::LeadEarlyHelpAssessment)?;
        let episode = self
            .store
            .early_help_episode(actor.authority, id)
            .await
            .map_err(|_| AppError::NotFound("The early help episode"))?;
        let assessment = lead_assessment(actor, &episode)?;
        let agency = assessment.lead_agency;
        let rule = self.sharing_rule(actor, id).await?;
        if !rule.sharing(agency, SharedPart::Identity).is_allowed() {
            return Err(AppError::Denied(DenialReason::NotSharedWithAgency));
        }
        let now = self.now();
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                episode.person,
                &format!("early help {id} (lead professional)"),
                now,
            )
            .await?;
        let mut withheld = Vec::new();
        let mut allowed = |part: SharedPart| match rule.sharing(agency, part) {
            Sharing::Allowed(_) => true,
            Sharing::Denied(reason) => {
                withheld.push((part, reason.message().to_string()));
                false
            }
        };
        let shares_assessment = allowed(SharedPart::Assessment);
        let shares_history = allowed(SharedPart::FamilyHistory);
        let today = london_date(now);
        Ok(PartnerEarlyHelp {
            id,
            agency,
            child_name: episode.child_name.clone(),
            child_birth_date: episode.child_birth_date,
            coordinator_name: episode.coordinator_name.clone(),
            overdue: shares_assessment
                && assessment_overdue(assessment.due_on, assessment.completed_on, today),
            actions: if shares_assessment {
                Some(self.store.early_help_actions(actor.authority, id).await?)
            } else {
                None
            },
            assessment: shares_assessment.then(|| assessment.clone()),
            reason: shares_history.then(|| episode.reason.clone()),
            family_contacts: if shares_history {
                Some(
                    self.store
                        .early_help_family_contacts(actor.authority, id)
                        .await?,
                )
            } else {
                None
            },
            withheld,
        })
    }
}

/// The episode's assessment, when the actor is its lead professional; otherwise "not found".
fn lead_assessment<'a>(
    actor: &Actor,
    episode: &'a EarlyHelpEpisode,
) -> Result<&'a EarlyHelpAssessment, AppError> {
    let not_found = || AppError::NotFound("The early help episode");
    let assessment = episode.assessment.as_ref().ok_or_else(not_found)?;
    authorize(
        actor,
        Action::LeadEarlyHelpAssessment,
        &Resource::workers_own(actor.authority, None, assessment.lead),
    )
    .require()
    .map_err(|_| not_found())?;
    Ok(assessment)
}
