//! The partner portal's use cases: a partner practitioner sees the requests sent to their own
//! organisation (the questions and the child's name, date of birth and address, nothing more)
//! and answers them. Another organisation's request is "not found", so its existence is not
//! revealed.

use super::request_conflict;
use crate::{App, AppError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Authorization, Resource};
use frontdoor_domain::information_request::{is_overdue, RequestStatus, RequestText};
use frontdoor_store::events::NewEvent;
use frontdoor_store::information_requests::{self as store, AddressedRequest};
use frontdoor_store::notifications;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct AddressedRequestView {
    #[serde(flatten)]
    pub request: AddressedRequest,
    pub overdue: bool,
}

impl App {
    /// The requests sent to the partner's own organisation: those waiting for an answer first,
    /// then newest first (at most 500).
    pub async fn addressed_requests(
        &self,
        actor: &Actor,
    ) -> Result<Vec<AddressedRequestView>, AppError> {
        authorize(
            actor,
            Action::ViewAddressedInformationRequests,
            &Resource::information_request(actor.authority, actor.organisation),
        )
        .require()?;
        let now = self.now();
        Ok(self
            .store
            .requests_addressed_to(actor.authority, actor.organisation)
            .await?
            .into_iter()
            .map(|request| AddressedRequestView {
                overdue: is_overdue(request.status, request.due_at, now),
                request,
            })
            .collect())
    }

    /// The name of the worker's own organisation (a partner's agency).
    pub async fn own_organisation_name(&self, actor: &Actor) -> Result<String, AppError> {
        Ok(self
            .store
            .organisations(actor.authority)
            .await?
            .into_iter()
            .find(|o| o.id == actor.organisation)
            .map(|o| o.name)
            .unwrap_or_default())
    }

    /// One request sent to the partner's organisation; any other is "not found".
    pub async fn addressed_request(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<AddressedRequestView, AppError> {
        let request = self
            .store
            .addressed_request(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        self.authorize_addressee(actor, Action::ViewAddressedInformationRequests, &request)?;
        // The child's name, date of birth and address are read from their record: audited.
        self.store
            .log_access(
                actor.authority,
                actor.worker,
                request.person,
                &format!("information request {}", request.id),
                self.now(),
            )
            .await?;
        Ok(AddressedRequestView {
            overdue: is_overdue(request.status, request.due_at, self.now()),
            request,
        })
    }

    fn authorize_addressee(
        &self,
        actor: &Actor,
        action: Action,
        request: &AddressedRequest,
    ) -> Result<(), AppError> {
        match authorize(
            actor,
            action,
            &Resource::information_request(actor.authority, request.organisation),
        ) {
            Authorization::Allowed => Ok(()),
            // Not another organisation's business, not even that the request exists.
            Authorization::Denied(
                frontdoor_domain::authorization::DenialReason::OtherOrganisation,
            ) => Err(AppError::NotFound("The information request")),
            Authorization::Denied(reason) => Err(AppError::Denied(reason)),
        }
    }

    /// A partner answers a request sent to their organisation. The answer goes on the child's
    /// chronology and the worker who asked is told, in the same transaction. A request already
    /// answered or withdrawn is a 409 saying who did it and when.
    pub async fn answer_information_request(
        &self,
        actor: &Actor,
        id: Uuid,
        answer: &str,
    ) -> Result<(), AppError> {
        let addressed = self
            .store
            .addressed_request(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        self.authorize_addressee(actor, Action::AnswerInformationRequest, &addressed)?;
        let answer = RequestText::parse(answer, "your answer")
            .map_err(|e| AppError::invalid("answer", e.to_string()))?;
        let now = frontdoor_store::to_stored_instant(self.now());
        let mut tx = self.store.begin().await?;
        if !store::answer_request(
            &mut tx,
            actor.authority,
            actor.organisation,
            id,
            answer.as_str(),
            actor.worker,
            now,
        )
        .await?
        {
            let current = store::request_in(&mut tx, actor.authority, id).await?;
            drop(tx);
            return Err(match current.status {
                // Withdrawn: the partner is told only that it was withdrawn, not by whom.
                RequestStatus::Withdrawn => AppError::Conflict(
                    "This request was withdrawn by the council before your answer was saved, so it is no longer needed. Nothing was saved.".into(),
                ),
                _ => request_conflict(&current),
            });
        }
        let request = store::request_in(&mut tx, actor.authority, id).await?;
        NewEvent::by(actor, now, "information_request_answered", id)
            .about(request.person)
            .with(json!({
                "contact": request.contact_reference,
                "agency": request.agency.code(),
                "organisation": request.organisation_name,
                "answer": answer.as_str(),
            }))
            .append(&mut tx)
            .await?;
        notifications::notify(
            &mut tx,
            actor.authority,
            &[request.sent_by],
            "information_request_answered",
            &format!("/contacts/{}/information-requests", request.contact),
            now,
            true,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
