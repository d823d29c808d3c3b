//! Episodes of need: opened by a referral (one per child), carrying the child's strategy
//! discussions, section 47 enquiries, conferences, plans and emergency action; primary need
//! and allocation set while open; closed with a census reason.

use crate::error::Checks;
use crate::local_time::{london, london_date};
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::decision::ThresholdOutcome;
use frontdoor_domain::episode::{ClosureReason, PrimaryNeed};
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, StrategyDiscussionId, WorkerId};
use frontdoor_domain::strategy_discussion::StrategyState;
use frontdoor_store::child_protection::{
    Conference, Enquiry, EnquiryVisit, PlanVisit, ProtectionPlan,
};
use frontdoor_store::decisions::{EmergencyActionRecord, Referral};
use frontdoor_store::episodes::{self as episode_store, Episode};
use frontdoor_store::events::NewEvent;
use frontdoor_store::people::Person;
use frontdoor_store::strategy_discussions::{self as strategy_store, StrategyDiscussion};
use frontdoor_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Opens the child's episode for a referral made by an authorised decision, in the decision's
/// transaction; when the decision was for a strategy discussion, leaves one to hold on it,
/// decided at the authorisation. The caller appends the events it returns, in order (one by
/// one with [`NewEvent::append`], or in a bulk load's batch).
pub(crate) async fn open_episode_for_referral(
    tx: &mut Tx,
    authority: AuthorityId,
    by: Option<WorkerId>,
    referral: &Referral,
    contact_reference: &str,
    outcome: ThresholdOutcome,
    at: DateTime<Utc>,
) -> Result<OpenedEpisode, AppError> {
    let episode = episode_store::open_for_referral(tx, authority, referral, at).await?;
    let mut events = vec![NewEvent::new(authority, at, "episode_opened", episode.0)
        .recorded_by(by)
        .about(referral.person)
        .with(json!({
            "contact": contact_reference,
            "referral_date": referral.referral_date,
            "source": referral.source.code(),
            "re_referral": referral.is_re_referral,
        }))];
    if outcome != ThresholdOutcome::StrategyDiscussion {
        return Ok(OpenedEpisode {
            episode,
            events,
            discussion: None,
        });
    }
    let discussion = new_discussion(authority, episode, referral.person, false, by, at);
    strategy_store::insert(tx, &discussion).await?;
    events.push(
        NewEvent::new(
            authority,
            at,
            "strategy_discussion_decided",
            discussion.id.0,
        )
        .recorded_by(by)
        .about(referral.person)
        .with(json!({ "contact": contact_reference, "emergency": false })),
    );
    Ok(OpenedEpisode {
        episode,
        events,
        discussion: Some(discussion.id),
    })
}

/// What opening an episode wrote: the episode, the events to append, and the discussion left
/// to hold.
pub(crate) struct OpenedEpisode {
    pub episode: EpisodeId,
    pub events: Vec<NewEvent>,
    pub discussion: Option<StrategyDiscussionId>,
}

pub(crate) fn new_discussion(
    authority: AuthorityId,
    episode: EpisodeId,
    person: PersonId,
    emergency: bool,
    by: Option<WorkerId>,
    at: DateTime<Utc>,
) -> StrategyDiscussion {
    StrategyDiscussion {
        id: StrategyDiscussionId::new(),
        authority,
        episode,
        person,
        state: StrategyState::ToHold,
        emergency,
        decided_at: at,
        decided_by: by,
        decided_by_name: None,
        record: Default::default(),
        recorded_by: None,
        recorded_by_name: None,
        recorded_at: None,
        signed_off_by: None,
        signed_off_by_name: None,
        signed_off_at: None,
        withdrawn_at: None,
        withdrawal_reason: String::new(),
        sign_off_refusals: 0,
        held_within_target: None,
    }
}

/// An enquiry with its visits.
#[derive(Debug, Clone, Serialize)]
pub struct EnquiryView {
    pub enquiry: Enquiry,
    pub visits: Vec<EnquiryVisit>,
}

/// A plan with its reviews, visits and next due dates.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub plan: ProtectionPlan,
    pub reviews: Vec<Conference>,
    pub visits: Vec<PlanVisit>,
    pub next_review_due: Option<NaiveDate>,
    pub next_visit_due: Option<NaiveDate>,
    pub last_visit: Option<PlanVisit>,
}

/// Everything on an episode's page.
#[derive(Debug, Clone, Serialize)]
pub struct EpisodeView {
    pub episode: Episode,
    pub child: Person,
    pub strategy_discussions: Vec<StrategyDiscussion>,
    pub enquiries: Vec<EnquiryView>,
    pub conferences: Vec<Conference>,
    pub plans: Vec<PlanView>,
    pub emergency_actions: Vec<EmergencyActionRecord>,
}

/// An open episode's primary need (N0–N9) and allocated worker, as typed; a blank field
/// leaves what is recorded.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EpisodeUpdateInput {
    pub primary_need: String,
    /// The id of the social worker or manager the episode is allocated to.
    pub worker: String,
    /// A team manager's reason to allocate to an ASYE worker beyond their protected caseload.
    pub asye_override_reason: String,
}

/// Closing an episode: the date and the census reason (RC1–RC9).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EpisodeClosureInput {
    pub closed_on: String,
    pub closure_reason: String,
}

/// A date typed as 2026-03-27 (or 27/03/2026), required.
pub(crate) fn required_date(
    checks: &mut Checks,
    field: &str,
    text: &str,
    missing: &str,
) -> Option<NaiveDate> {
    match crate::contacts::parse_date(text) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            checks.add(field, missing);
            None
        }
        Err(message) => {
            checks.add(field, message);
            None
        }
    }
}

/// A London date and time typed in two fields (2026-03-27 and 14:05), required.
pub(crate) fn required_instant(
    checks: &mut Checks,
    date_field: &str,
    time_field: &str,
    date: &str,
    time: &str,
    what: &str,
) -> Option<DateTime<Utc>> {
    let date = required_date(checks, date_field, date, &format!("Enter the date {what}."));
    let time = if time.trim().is_empty() {
        checks.add(
            time_field,
            format!("Enter the time {what}, for example 14:05."),
        );
        None
    } else {
        match NaiveTime::parse_from_str(time.trim(), "%H:%M") {
            Ok(t) => Some(t),
            Err(_) => {
                checks.add(
                    time_field,
                    "Enter the time as hours and minutes, for example 14:05.",
                );
                None
            }
        }
    };
    Some(crate::local_time::from_london(date?.and_time(time?)))
}

/// "14:05 on 3 March 2026".
pub(crate) fn at_words(at: DateTime<Utc>) -> String {
    london(at).format("%H:%M on %-d %B %Y").to_string()
}

impl App {
    /// A child's episodes, newest first.
    pub async fn episodes_of_child(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<Episode>, AppError> {
        actor.may(Action::ViewChildRecord)?;
        Ok(self.store.episodes_of(actor.authority, person).await?)
    }

    pub(crate) async fn load_episode(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<Episode, AppError> {
        self.store
            .episode(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// An episode with everything it carries (an access to the child's record, logged).
    pub async fn view_episode(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<EpisodeView, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let episode = self.load_episode(actor, id).await?;
        let authority = actor.authority;
        let child = self.store.person(authority, episode.person).await?;
        self.store
            .log_access(
                authority,
                actor.worker,
                episode.person,
                "episode",
                self.now(),
            )
            .await?;
        let calendar = self.calendar_for(authority).await?;
        let mut enquiries = Vec::new();
        for enquiry in self.store.enquiries_of_episode(authority, id).await? {
            let visits = self.store.enquiry_visits(authority, enquiry.id).await?;
            enquiries.push(EnquiryView { enquiry, visits });
        }
        let conferences = self.store.conferences_of_episode(authority, id).await?;
        let mut plans = Vec::new();
        for plan in self.store.plans_of_episode(authority, id).await? {
            plans.push(self.plan_view(&calendar, plan, &conferences).await?);
        }
        let emergency_actions = self
            .store
            .emergency_actions_of(authority, episode.person)
            .await?
            .into_iter()
            .filter(|a| {
                let day = london_date(a.taken_at);
                a.contact == episode.contact
                    || (day >= episode.referral_date
                        && episode.closed_on.is_none_or(|closed| day <= closed))
            })
            .collect();
        Ok(EpisodeView {
            strategy_discussions: self
                .store
                .strategy_discussions_of_episode(authority, id)
                .await?,
            enquiries,
            conferences,
            plans,
            emergency_actions,
            child,
            episode,
        })
    }

    pub(crate) async fn plan_view(
        &self,
        calendar: &frontdoor_domain::calendar::WorkingDayCalendar,
        plan: ProtectionPlan,
        conferences: &[Conference],
    ) -> Result<PlanView, AppError> {
        let reviews: Vec<Conference> = conferences
            .iter()
            .filter(|c| c.plan == Some(plan.id) && c.kind == "review")
            .cloned()
            .collect();
        let visits = self.store.plan_visits(plan.authority, plan.id).await?;
        let open = plan.ended_on.is_none();
        let next_review_due = reviews
            .iter()
            .find(|r| r.held_on.is_none())
            .map(|r| r.due_on)
            .filter(|_| open);
        let last_visit = visits.last().cloned();
        let next_visit_due = open.then(|| {
            frontdoor_domain::child_protection::next_statutory_visit_due(
                calendar,
                plan.started_on,
                last_visit.as_ref().map(|v| v.visited_on),
            )
        });
        Ok(PlanView {
            plan,
            reviews,
            visits,
            next_review_due,
            next_visit_due,
            last_visit,
        })
    }

    /// Sets an open episode's primary need, or allocates it to a worker (within an ASYE
    /// worker's protected caseload unless a team manager agrees otherwise).
    pub async fn update_episode(
        &self,
        actor: &Actor,
        id: EpisodeId,
        input: &EpisodeUpdateInput,
    ) -> Result<Episode, AppError> {
        actor.may(Action::UpdateEpisode)?;
        let mut checks = Checks::default();
        let need = if input.primary_need.trim().is_empty() {
            None
        } else {
            checks.take("primary_need", PrimaryNeed::from_code(&input.primary_need))
        };
        let worker = if input.worker.trim().is_empty() {
            None
        } else {
            let found = match input.worker.parse::<WorkerId>() {
                Ok(id) => self.store.worker(actor.authority, id).await.ok(),
                Err(_) => None,
            };
            match found {
                Some(w)
                    if w.active
                        && matches!(
                            w.role,
                            frontdoor_domain::authorization::Role::MashSocialWorker
                                | frontdoor_domain::authorization::Role::TeamManager
                        ) =>
                {
                    Some(w)
                }
                _ => {
                    checks.add("worker", "Choose an active social worker or team manager.");
                    None
                }
            }
        };
        checks.finish()?;
        if need.is_none() && worker.is_none() {
            return Err(AppError::invalid(
                "primary_need",
                "Choose the primary need, or the worker to allocate.",
            ));
        }
        self.load_episode(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let episode = episode_store::episode_for_update(&mut tx, actor.authority, id).await?;
        if let Some(w) = &worker {
            crate::workloads::check_asye_allocation(
                &mut tx,
                actor,
                &episode,
                w,
                &input.asye_override_reason,
                now,
            )
            .await?;
        }
        let team = worker.as_ref().and_then(|w| w.team).or(episode.team);
        if !episode_store::update_open_episode(
            &mut tx,
            actor.authority,
            id,
            need.or(episode.primary_need),
            team,
            worker.as_ref().map(|w| w.id).or(episode.worker),
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "This episode closed on {}: reload it to see its current state.",
                episode
                    .closed_on
                    .map(|d| d.format("%-d %B %Y").to_string())
                    .unwrap_or_default()
            )));
        }
        if let Some(w) = &worker {
            NewEvent::by(actor, now, "episode_allocated", id.0)
                .about(episode.person)
                .with(json!({ "worker": w.id, "worker_name": w.display_name }))
                .append(&mut tx)
                .await?;
        }
        let Some(need) = need else {
            tx.commit().await?;
            return self.load_episode(actor, id).await;
        };
        NewEvent::by(actor, now, "episode_primary_need_set", id.0)
            .about(episode.person)
            .with(json!({ "primary_need": need.code() }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_episode(actor, id).await
    }

    /// Closes an open episode with its census reason. Refused while a child protection plan
    /// or a section 47 enquiry on it is still open.
    pub async fn close_episode(
        &self,
        actor: &Actor,
        id: EpisodeId,
        input: &EpisodeClosureInput,
    ) -> Result<Episode, AppError> {
        actor.may(Action::CloseEpisode)?;
        let mut checks = Checks::default();
        let closed_on = required_date(
            &mut checks,
            "closed_on",
            &input.closed_on,
            "Enter the date the episode closed.",
        );
        let reason = checks.take(
            "closure_reason",
            ClosureReason::from_code(&input.closure_reason),
        );
        checks.finish()?;
        let (Some(closed_on), Some(reason)) = (closed_on, reason) else {
            return Err(AppError::invalid(
                "closed_on",
                "Enter the date the episode closed.",
            ));
        };
        let now = self.now();
        let episode = self.load_episode(actor, id).await?;
        if closed_on < episode.referral_date || closed_on > london_date(now) {
            return Err(AppError::invalid(
                "closed_on",
                "The closure date must be between the referral date and today.",
            ));
        }
        let mut tx = self.store.begin().await?;
        let episode = episode_store::episode_for_update(&mut tx, actor.authority, id).await?;
        let open_work = open_work_in(&mut tx, actor.authority, id).await?;
        if let Some(what) = open_work {
            return Err(AppError::Conflict(format!(
                "This episode still has {what}: finish it before closing the episode."
            )));
        }
        if !episode_store::close_episode(&mut tx, actor.authority, id, closed_on, reason).await? {
            return Err(AppError::Conflict(
                "This episode has already been closed: reload it to see its current state.".into(),
            ));
        }
        NewEvent::by(actor, now, "episode_closed", id.0)
            .about(episode.person)
            .with(json!({ "closed_on": closed_on, "closure_reason": reason.code() }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_episode(actor, id).await
    }
}

/// What still open on an episode stops it closing, read through the transaction.
async fn open_work_in(
    tx: &mut Tx,
    authority: AuthorityId,
    episode: EpisodeId,
) -> Result<Option<&'static str>, AppError> {
    let open = episode_store::open_work_on_episode(tx, authority, episode).await?;
    Ok(if open.plans > 0 {
        Some("an open child protection plan")
    } else if open.enquiries > 0 {
        Some("an open section 47 enquiry")
    } else if open.discussions > 0 {
        Some("a strategy discussion not yet signed off")
    } else {
        None
    })
}
