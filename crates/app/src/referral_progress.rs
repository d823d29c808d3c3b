//! A partner following a referral their organisation made: that it was received, and once a
//! manager has authorised the decision, the outcome in plain words and who to contact.
//!
//! Deliberately a separate, smaller view than the authority's working record of the contact
//! (`view_contact`): no recommendation or its rationale, no manager's rationale, no emergency
//! action notes, no worker names, no history of the children.

use crate::{App, AppError};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::ids::ContactId;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ReferralProgress {
    pub id: ContactId,
    pub reference: String,
    pub received_at: DateTime<Utc>,
    /// The children named, as the referrer named them.
    pub children: Vec<String>,
    /// "Received: a decision is being made" or "Decided".
    pub stage: &'static str,
    /// The authorised outcome, in plain words; `None` until a manager has authorised it.
    pub outcome: Option<&'static str>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Who to contact about the referral.
    pub contact_point: String,
}

impl App {
    /// The progress of a referral, for a practitioner of the organisation that made it.
    pub async fn referral_progress(
        &self,
        actor: &Actor,
        id: ContactId,
    ) -> Result<ReferralProgress, AppError> {
        let contact = self
            .authorize_contact(actor, Action::FollowOwnReferral, id)
            .await?;
        let authorised = if contact.status == ContactStatus::Decided {
            self.store
                .decisions_on_contact(actor.authority, id)
                .await?
                .into_iter()
                .rev()
                .find(|d| d.state == DecisionState::Authorised)
        } else {
            None
        };
        let children = self
            .store
            .contact_subjects(actor.authority, id)
            .await?
            .iter()
            .filter(|s| s.is_child)
            .map(|s| s.full_name())
            .collect();
        let authority = self.store.authority(actor.authority).await?;
        let team = self.team_name(actor.authority, contact.team).await?;
        let contact_point = match team {
            Some(team) => format!(
                "{}, {team}, quoting reference {}",
                authority.name, contact.reference
            ),
            None => format!(
                "{}'s front door, quoting reference {}",
                authority.name, contact.reference
            ),
        };
        Ok(ReferralProgress {
            id,
            reference: contact.reference,
            received_at: contact.received_at,
            children,
            stage: if authorised.is_some() {
                "Decided"
            } else {
                "Received: a decision is being made"
            },
            outcome: authorised.as_ref().map(|d| d.outcome.for_referrer()),
            decided_at: authorised.and_then(|d| d.reviewed_at),
            contact_point,
        })
    }
}
