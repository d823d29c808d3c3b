//! Information requests to partner agencies, the authority's side: sending a request about a
//! child on a contact, listing a contact's requests (overdue ones flagged), withdrawing one, and
//! the authority's due rule. The partner's side (the portal) is in [`partner`].

mod partner;

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
use frontdoor_store::events::{self, NewEvent};
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
        events::append(
            &mut tx,
            NewEvent {
                authority: by.authority(),
                actor: by.worker(),
                recorded_at: now,
                kind: "information_request_timescales_set",
                subject: by.authority().0,
                people: vec![],
                payload: json!({ "urgent_hours": hours, "standard_working_days": days }),
            },
        )
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

    /// Sends an information request to a partner organisation about a child on a contact, or
    /// from a child's episode at any time after the referral (about the episode's child,
    /// carrying the episode and the contact that began it). The organisation's practitioners
    /// are told in the same transaction.
    pub async fn request_information(
        &self,
        actor: &Actor,
        on: impl Into<RequestsOn>,
        input: &InformationRequestInput,
    ) -> Result<InformationRequest, AppError> {
        let episode_id = match on.into() {
            RequestsOn::Contact(contact_id) => {
                let contact = self
                    .authorize_contact(actor, Action::RequestInformation, contact_id)
                    .await?;
                return self
                    .send_information_request(actor, &contact, None, input)
                    .await;
            }
            RequestsOn::Episode(episode_id) => episode_id,
        };
        actor.may(Action::RequestInformation)?;
        let episode = self.load_episode(actor, episode_id).await?;
        let contact = self.store.contact(actor.authority, episode.contact).await?;
        let subjects = self
            .store
            .contact_subjects(actor.authority, episode.contact)
            .await?;
        let Some(subject) = subjects
            .iter()
            .find(|s| s.is_child && s.person == Some(episode.person))
        else {
            return Err(AppError::Conflict(format!(
                "The episode's child is no longer linked to contact {}: link them there before asking about them.",
                contact.reference
            )));
        };
        let input = InformationRequestInput {
            subject: subject.id.to_string(),
            ..input.clone()
        };
        self.send_information_request(actor, &contact, Some((episode.id, episode.person)), &input)
            .await
    }

    /// Checks and sends a request about a child on `contact` (already authorised); from an
    /// episode, the child must still be the episode's.
    async fn send_information_request(
        &self,
        actor: &Actor,
        contact: &frontdoor_store::contacts::Contact,
        from_episode: Option<(EpisodeId, PersonId)>,
        input: &InformationRequestInput,
    ) -> Result<InformationRequest, AppError> {
        let episode = from_episode.map(|(episode, _)| episode);
        let contact_id = contact.id;
        let now = frontdoor_store::to_stored_instant(self.now());
        let today = london_date(now);
        let mut checks = Checks::default();
        let subject = parse_uuid(&input.subject);
        if subject.is_none() {
            checks.add("subject", "Choose the child the request is about.");
        }
        let organisation = parse_uuid(&input.organisation).map(OrganisationId);
        if organisation.is_none() {
            checks.add("organisation", "Choose the organisation to ask.");
        }
        let agency = checks.take("agency", Agency::asked(&input.agency));
        let questions = checks.take(
            "questions",
            RequestText::parse(&input.questions, "the questions you are asking"),
        );
        let urgency = checks.take("urgency", RequestUrgency::from_code(&input.urgency));
        let consent = match input.consent.trim() {
            "consent_given" => {
                let on = crate::contacts::parse_date(&input.consent_given_on);
                match on {
                    Ok(Some(on)) => checks.take(
                        if input.consent_given_by.trim().is_empty() {
                            "consent_given_by"
                        } else {
                            "consent_given_on"
                        },
                        ConsentBasis::consent_given(&input.consent_given_by, on, today),
                    ),
                    _ => {
                        if input.consent_given_by.trim().is_empty() {
                            checks.add(
                                "consent_given_by",
                                "Say who gave consent to share (for example, the child's mother).",
                            );
                        }
                        checks.add(
                            "consent_given_on",
                            "Enter the date consent was given, for example 2026-03-03.",
                        );
                        None
                    }
                }
            }
            "without_consent" => {
                let manager = parse_uuid(&input.agreed_by).map(WorkerId);
                if manager.is_none() {
                    checks.add(
                        "agreed_by",
                        "Choose the manager who agreed to share without consent.",
                    );
                }
                let reason = input.without_consent_reason.trim();
                match manager {
                    Some(manager) => checks.take(
                        "without_consent_reason",
                        ConsentBasis::without_consent(reason, manager),
                    ),
                    None => {
                        if reason.chars().count() < 10 {
                            checks.add(
                                "without_consent_reason",
                                "Say why information is shared without consent.",
                            );
                        }
                        None
                    }
                }
            }
            _ => {
                checks.add(
                    "consent",
                    "Choose whether consent to share was given, or information is shared without consent.",
                );
                None
            }
        };
        checks.finish()?;
        let (
            Some(subject),
            Some(organisation),
            Some(agency),
            Some(questions),
            Some(urgency),
            Some(consent),
        ) = (subject, organisation, agency, questions, urgency, consent)
        else {
            return Err(AppError::invalid(
                "questions",
                "The request could not be checked: correct the form and try again.",
            ));
        };
        let calendar = self.calendar_for(actor.authority).await?;

        let mut tx = self.store.begin().await?;
        // Everything the request depends on is read inside the transaction: the contact is
        // held so its links cannot change, the organisation and the manager are re-checked.
        contact_store::contact_for_update(&mut tx, actor.authority, contact_id).await?;
        let subjects =
            contact_store::subjects_for_update(&mut tx, actor.authority, contact_id).await?;
        let Some(child) = subjects.iter().find(|s| s.id == subject && s.is_child) else {
            return Err(AppError::invalid(
                "subject",
                "Choose a child named on this contact.",
            ));
        };
        let Some(person) = child.person else {
            return Err(AppError::invalid(
                "subject",
                "Link the child to a record (or create one) before asking about them, so the answer goes on their chronology.",
            ));
        };
        if from_episode.is_some_and(|(_, child)| child != person) {
            return Err(AppError::Conflict(format!(
                "The episode's child is no longer linked to contact {}: link them there before asking about them.",
                contact.reference
            )));
        }
        match store::organisation_in(&mut tx, actor.authority, organisation).await? {
            Some((kind, false)) if kind != "local_authority" => {}
            Some((_, true)) => {
                return Err(AppError::invalid(
                    "organisation",
                    "That organisation has been retired: choose one in use.",
                ))
            }
            _ => {
                return Err(AppError::invalid(
                    "organisation",
                    "Choose a partner organisation of this authority.",
                ))
            }
        }
        if let ConsentBasis::WithoutConsent { agreed_by, .. } = &consent {
            if !store::is_active_manager_in(&mut tx, actor.authority, *agreed_by).await? {
                return Err(AppError::invalid(
                    "agreed_by",
                    "Choose an active team manager of this authority: only a manager can agree to share without consent.",
                ));
            }
        }
        let rule = store::due_rule_in(&mut tx, actor.authority).await?;
        let due_at = match rule.due(urgency, &calendar, today) {
            DueAt::HoursAfterSending(hours) => now + chrono::Duration::hours(i64::from(hours)),
            DueAt::EndOfDay(date) => due_by_end_of(date)
                .breached_from()
                .map(from_london)
                .unwrap_or(now),
        };
        let id = Uuid::now_v7();
        store::insert_request(
            &mut tx,
            &store::NewInformationRequest {
                id,
                authority: actor.authority,
                contact: contact_id,
                episode: episode.map(|e| e.0),
                subject,
                person,
                organisation,
                agency,
                questions: questions.as_str(),
                consent: &consent,
                urgency,
                due_at,
                sent_by: actor.worker,
                sent_at: now,
            },
        )
        .await?;
        let request = store::request_in(&mut tx, actor.authority, id).await?;
        events::append(
            &mut tx,
            NewEvent {
                authority: actor.authority,
                actor: Some(actor.worker),
                recorded_at: now,
                kind: "information_request_sent",
                subject: id,
                people: vec![person],
                payload: json!({
                    "contact": contact.reference,
                    "episode": episode,
                    "agency": agency.code(),
                    "organisation": request.organisation_name,
                    "questions": questions.as_str(),
                    "urgency": urgency.code(),
                    "consent_basis": consent.code(),
                    "due_at": due_at,
                }),
            },
        )
        .await?;
        let practitioners =
            store::active_practitioners_in(&mut tx, actor.authority, organisation).await?;
        notifications::notify(
            &mut tx,
            actor.authority,
            &practitioners,
            "new_information_request",
            &format!("/partner/requests/{id}"),
            now,
            true,
        )
        .await?;
        tx.commit().await?;
        Ok(request)
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
        events::append(
            &mut tx,
            NewEvent {
                authority: actor.authority,
                actor: Some(actor.worker),
                recorded_at: now,
                kind: "information_request_withdrawn",
                subject: id,
                people: vec![request.person],
                payload: json!({
                    "contact": request.contact_reference,
                    "agency": request.agency.code(),
                    "organisation": request.organisation_name,
                    "reason": reason.as_str(),
                }),
            },
        )
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
