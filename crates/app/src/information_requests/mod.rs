//! Information requests to partner agencies, the authority's side: the form's choices, the
//! requests on a contact or sent from an episode (overdue ones flagged), withdrawing one, and the
//! authority's due rule. Sending is in [`send`]; the partner's side (the portal) in [`partner`].

mod partner;
mod send;

pub use partner::AddressedRequestView;

use crate::error::Checks;
use crate::local_time::{from_london, london, london_date};
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::ids::{ContactId, EpisodeId, OrganisationId, PersonId, WorkerId};
use frontdoor_domain::information_request::{
    is_overdue, Agency, ConsentBasis, DueAt, DueRule, RequestStatus, RequestText, RequestUrgency,
};
use frontdoor_domain::timescale::due_by_end_of;
use frontdoor_store::contacts as contact_store;
use frontdoor_store::events::NewEvent;
use frontdoor_store::information_requests::{self as store, InformationRequest, RequestsOn};
use frontdoor_store::notifications;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// A request as typed on the contact page or sent to the API (all text, as typed).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InformationRequestInput {
    /// The child on the contact (the contact subject's id).
    pub subject: String,
    /// The partner organisation the request goes to.
    pub organisation: String,
    /// police, health, education, probation, housing, other_local_authority, other.
    pub agency: String,
    pub questions: String,
    /// consent_given or without_consent.
    pub consent: String,
    pub consent_given_by: String,
    /// YYYY-MM-DD.
    pub consent_given_on: String,
    pub without_consent_reason: String,
    /// The team manager (worker id) who agreed to share without consent.
    pub agreed_by: String,
    /// urgent or standard.
    pub urgency: String,
}

/// A request on a contact, with whether it is overdue now.
#[derive(Debug, Clone, Serialize)]
pub struct RequestOnContact {
    #[serde(flatten)]
    pub request: InformationRequest,
    pub overdue: bool,
}

/// What the "request information" form offers on a contact.
#[derive(Debug, Clone, Serialize)]
pub struct RequestChoices {
    /// The contact's children: subject id, name, and whether they are linked to a record.
    pub children: Vec<(Uuid, String, bool)>,
    /// Partner organisations in use (not retired), not the authority itself.
    pub organisations: Vec<(OrganisationId, String)>,
    /// Active team managers, who may agree to share without consent.
    pub managers: Vec<(WorkerId, String)>,
    pub due_rule: DueRule,
}

/// "This cannot be done now: Police answered this request at 10:42 on 3 March 2026."
pub(crate) fn request_conflict(request: &InformationRequest) -> AppError {
    let at = |instant| london(instant).format("%H:%M on %-d %B %Y").to_string();
    let what = match request.status {
        RequestStatus::Answered => format!(
            "{} ({}) answered this request at {}",
            request
                .answered_by_name
                .clone()
                .unwrap_or_else(|| "a practitioner".into()),
            request.organisation_name,
            request.answered_at.map(at).unwrap_or_default()
        ),
        RequestStatus::Withdrawn => format!(
            "{} withdrew this request at {}",
            request
                .withdrawn_by_name
                .clone()
                .unwrap_or_else(|| "a worker".into()),
            request.withdrawn_at.map(at).unwrap_or_default()
        ),
        RequestStatus::Sent => "it is still waiting for an answer".to_string(),
    };
    AppError::Conflict(format!(
        "This cannot be done now: {what}. Reload the page to see it."
    ))
}

fn parse_uuid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text.trim()).ok()
}

impl App {
    /// The authority's due rule for information requests.
    pub async fn information_request_due_rule(
        &self,
        by: &crate::ActingAs,
    ) -> Result<DueRule, AppError> {
        Ok(self
            .store
            .information_request_due_rule(by.authority())
            .await?)
    }

    /// An administrator sets how long partners have to answer.
    pub async fn set_information_request_due_rule(
        &self,
        by: &crate::ActingAs,
        urgent_hours: &str,
        standard_working_days: &str,
    ) -> Result<DueRule, AppError> {
        by.require(Action::ManageInformationRequestTimescales)?;
        let mut checks = Checks::default();
        let hours = checks.take(
            "urgent_hours",
            urgent_hours
                .trim()
                .parse::<u32>()
                .map_err(|_| "Enter the hours an urgent request allows, as a number."),
        );
        let days = checks.take(
            "standard_working_days",
            standard_working_days
                .trim()
                .parse::<u32>()
                .map_err(|_| "Enter the working days a standard request allows, as a number."),
        );
        checks.finish()?;
        let (Some(hours), Some(days)) = (hours, days) else {
            return Err(AppError::invalid("urgent_hours", "Enter both numbers."));
        };
        let rule = DueRule::new(hours, days).map_err(|e| {
            let field = match e {
                frontdoor_domain::information_request::DueRuleError::UrgentHours => "urgent_hours",
                frontdoor_domain::information_request::DueRuleError::StandardDays => {
                    "standard_working_days"
                }
            };
            AppError::invalid(field, e.to_string())
        })?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        store::set_due_rule(&mut tx, by.authority(), rule).await?;
        NewEvent::new(
            by.authority(),
            now,
            "information_request_timescales_set",
            by.authority().0,
        )
        .recorded_by(by.worker())
        .with(json!({ "urgent_hours": hours, "standard_working_days": days }))
        .append(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(rule)
    }

    /// What the request form offers on a contact (its linked and unlinked children), or from an
    /// episode (no choice of child: it is the episode's).
    pub async fn information_request_choices(
        &self,
        actor: &Actor,
        on: impl Into<RequestsOn>,
    ) -> Result<RequestChoices, AppError> {
        let children = match on.into() {
            RequestsOn::Contact(contact_id) => {
                self.authorize_contact(actor, Action::RequestInformation, contact_id)
                    .await?;
                self.store
                    .contact_subjects(actor.authority, contact_id)
                    .await?
                    .iter()
                    .filter(|s| s.is_child)
                    .map(|s| (s.id, s.full_name(), s.person.is_some()))
                    .collect()
            }
            RequestsOn::Episode(episode_id) => {
                actor.may(Action::RequestInformation)?;
                self.load_episode(actor, episode_id).await?;
                Vec::new()
            }
        };
        let organisations = self
            .store
            .organisations(actor.authority)
            .await?
            .into_iter()
            .filter(|o| {
                o.retired_at.is_none()
                    && o.kind != frontdoor_store::organisation::OrganisationKind::LocalAuthority
            })
            .map(|o| (o.id, o.name))
            .collect();
        Ok(RequestChoices {
            children,
            organisations,
            managers: self.store.active_managers(actor.authority).await?,
            due_rule: self
                .store
                .information_request_due_rule(actor.authority)
                .await?,
        })
    }

    /// What a page of requests is about, for its heading: "Contact FD-2026-000123", or the
    /// episode's child and referral date, if the worker may read its requests.
    pub async fn information_requests_heading(
        &self,
        actor: &Actor,
        on: impl Into<RequestsOn>,
    ) -> Result<String, AppError> {
        match on.into() {
            RequestsOn::Contact(contact_id) => Ok(format!(
                "Contact {}",
                self.authorize_contact(actor, Action::ViewInformationRequests, contact_id)
                    .await?
                    .reference
            )),
            RequestsOn::Episode(episode_id) => {
                actor.may(Action::ViewInformationRequests)?;
                let episode = self.load_episode(actor, episode_id).await?;
                let child = self.store.person(actor.authority, episode.person).await?;
                Ok(format!(
                    "{}, referred {}",
                    child.full_name(),
                    episode.referral_date.format("%-d %B %Y")
                ))
            }
        }
    }

    /// Where a request is listed — the episode it was sent from, or else its contact — if the
    /// worker may read its requests.
    pub async fn information_request_place(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<RequestsOn, AppError> {
        let request = self
            .store
            .information_request(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        self.authorize_contact(actor, Action::ViewInformationRequests, request.contact)
            .await?;
        Ok(match request.episode {
            Some(episode) => RequestsOn::Episode(EpisodeId(episode)),
            None => RequestsOn::Contact(request.contact),
        })
    }

    /// The requests on a contact (including any sent later from its child's episode), or sent
    /// from one episode: oldest first, overdue ones flagged.
    pub async fn information_requests_on(
        &self,
        actor: &Actor,
        on: impl Into<RequestsOn>,
    ) -> Result<Vec<RequestOnContact>, AppError> {
        let on = on.into();
        match on {
            RequestsOn::Contact(contact_id) => {
                self.authorize_contact(actor, Action::ViewInformationRequests, contact_id)
                    .await?;
            }
            RequestsOn::Episode(episode_id) => {
                actor.may(Action::ViewInformationRequests)?;
                self.load_episode(actor, episode_id).await?;
            }
        }
        self.requests_flagged(actor, on).await
    }

    async fn requests_flagged(
        &self,
        actor: &Actor,
        on: RequestsOn,
    ) -> Result<Vec<RequestOnContact>, AppError> {
        let now = self.now();
        Ok(self
            .store
            .information_requests_on(actor.authority, on)
            .await?
            .into_iter()
            .map(|request| RequestOnContact {
                overdue: is_overdue(request.status, request.due_at, now),
                request,
            })
            .collect())
    }

    /// Withdraws a request that is still waiting for an answer. A request answered (or
    /// withdrawn) first is a 409 saying who did it and when.
    pub async fn withdraw_information_request(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
    ) -> Result<ContactId, AppError> {
        let request = self
            .store
            .information_request(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        self.authorize_contact(actor, Action::WithdrawInformationRequest, request.contact)
            .await?;
        let reason = RequestText::parse(reason, "why the request is withdrawn")
            .map_err(|e| AppError::invalid("reason", e.to_string()))?;
        if request.status != RequestStatus::Sent {
            return Err(request_conflict(&request));
        }
        let now = frontdoor_store::to_stored_instant(self.now());
        let mut tx = self.store.begin().await?;
        if !store::withdraw_request(
            &mut tx,
            actor.authority,
            id,
            reason.as_str(),
            actor.worker,
            now,
        )
        .await?
        {
            let current = store::request_in(&mut tx, actor.authority, id).await?;
            drop(tx);
            return Err(request_conflict(&current));
        }
        NewEvent::by(actor, now, "information_request_withdrawn", id)
            .about(request.person)
            .with(json!({
                "contact": request.contact_reference,
                "agency": request.agency.code(),
                "organisation": request.organisation_name,
                "reason": reason.as_str(),
            }))
            .append(&mut tx)
            .await?;
        // The organisation's practitioners can stop working on it.
        let practitioners =
            store::active_practitioners_in(&mut tx, actor.authority, request.organisation).await?;
        notifications::notify(
            &mut tx,
            actor.authority,
            &practitioners,
            "information_request_withdrawn",
            &format!("/partner/requests/{id}"),
            now,
            true,
        )
        .await?;
        tx.commit().await?;
        Ok(request.contact)
    }
}
