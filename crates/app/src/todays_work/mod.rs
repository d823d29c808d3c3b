//! The demo's live front door: besides the closed history the synthetic loader writes, today's
//! work in every state — contacts waiting (some due today, some overdue), recommendations
//! awaiting authorisation, one returned, emergency action overnight, a decision authorised this
//! morning, information requests pending, overdue and answered, and this morning's MASH triage
//! meeting, and the social workers' caseloads (a newly qualified worker's at its protection) —
//! so that a newcomer signing in as any role sees a real day.
//!
//! Everything is made through the use cases themselves (authorization, guards, events and
//! all), each on a clock set to when it happened. "Today" is the latest working day whose
//! morning has passed: before 10:00, or at a weekend, the work is yesterday's (and what was due
//! then is overdue now).

use crate::information_requests::InformationRequestInput;
use crate::local_time::{london, london_date};
use crate::triage::{DiscussedInput, TriageMeetingInput};
use crate::{App, AppError, LinkTarget, RecommendationInput, ReviewInput};
use chrono::NaiveTime;
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::{Clock, FixedClock};
use frontdoor_domain::ids::{AuthorityId, ContactId, EpisodeId, PersonId, TeamId};
use frontdoor_store::contacts::Contact;
use frontdoor_store::organisation::{OrganisationKind, Worker};
use std::collections::HashMap;
use std::sync::Arc;

mod assessments;
mod caseloads;
mod child_protection;
mod early_help;
mod script;
mod supervision;

use child_protection::child_protection_case;
use script::{Day, Request, Scene, Today};

/// What was staged, for the demo's summary line.
#[derive(Debug, Clone, Default)]
pub struct TodaysWork {
    pub contacts: usize,
    /// Children staged in child protection: one enquiry with its conference due, one on a plan.
    pub child_protection: usize,
    pub information_requests: usize,
    pub awaiting_authorisation: usize,
    pub triage_meetings: usize,
    /// Open episodes allocated to the front-door social workers.
    pub allocated: usize,
    /// Case supervisions of the MASH social worker (with drifting actions).
    pub supervisions: usize,
    /// Child and family assessments started on the social worker's children (one a repeat).
    pub assessments: usize,
    /// Early help episodes: unallocated, overdue assessment, consent withdrawn, partner-led
    /// (none where the authority has no early help coordinator).
    pub early_help: usize,
}

/// The workers today's work is done by: the first active worker of each role (managers by
/// team, so each contact is authorised within its own team).
struct Staff {
    officer: Actor,
    social_worker: Actor,
    managers: Vec<Worker>,
    out_of_hours: Option<Actor>,
}

/// Plays the day's script through the use cases, each step on the clock set to its time.
struct Stage<'a> {
    app: App,
    clock: Arc<FixedClock>,
    staff: &'a Staff,
    today: Today<'a>,
}

impl Stage<'_> {
    /// Records the scene's contact, then does whatever else the scene says happened by now.
    async fn play(&self, scene: &Scene) -> Result<Contact, AppError> {
        let (app, today) = (&self.app, &self.today);
        let by = match scene.by.as_str() {
            "out_of_hours" => self
                .staff
                .out_of_hours
                .as_ref()
                .ok_or(AppError::NotFound("An active out-of-hours worker"))?,
            _ => &self.staff.officer,
        };
        let received = today.at(&scene.received)?;
        self.clock.set(received + chrono::Duration::minutes(4));
        let contact = app
            .record_contact(by, &scene.input(received, today.date))
            .await?;
        if let Some(linked) = &scene.linked {
            self.clock.set(today.at(linked)?);
            for subject in app.view_contact(by, contact.id).await?.subjects {
                if subject.subject.person.is_none() {
                    app.link_contact_subject(
                        by,
                        contact.id,
                        subject.subject.id,
                        LinkTarget::NewRecord,
                    )
                    .await?;
                }
            }
        }
        if let Some(emergency) = &scene.emergency {
            let child = app
                .view_contact(by, contact.id)
                .await?
                .subjects
                .first()
                .and_then(|s| s.subject.person);
            self.clock.set(today.at(&emergency.when)?);
            app.record_emergency_action(by, contact.id, child, &emergency.action, &emergency.notes)
                .await?;
        }
        if let Some(recommended) = &scene.recommended {
            self.clock.set(today.at(&recommended.when)?);
            app.recommend_decision(
                &self.staff.social_worker,
                contact.id,
                &RecommendationInput {
                    outcome: recommended.outcome.clone(),
                    level_of_need: recommended.level.clone(),
                    signposted_to: String::new(),
                    rationale: recommended.rationale.clone(),
                },
            )
            .await?;
        }
        if let Some(reviewed) = &scene.reviewed {
            self.clock.set(today.at(&reviewed.when)?);
            app.review_decision(
                &self.manager_of(contact.team)?,
                contact.id,
                &ReviewInput {
                    authorise: Some(reviewed.authorise),
                    rationale: reviewed.rationale.clone(),
                    departure_reasons: reviewed.departure_reasons.clone(),
                },
            )
            .await?;
        }
        Ok(contact)
    }

    /// The manager of a contact's team (or any manager), so each contact is authorised within
    /// its own team.
    fn manager_of(&self, team: Option<TeamId>) -> Result<Actor, AppError> {
        let managers = &self.staff.managers;
        managers
            .iter()
            .find(|m| m.team == team)
            .or(managers.first())
            .map(Worker::actor)
            .ok_or(AppError::NotFound("An active team manager"))
    }

    /// Sends a request about the first child of `contact`, with the mother's consent given by
    /// phone that day, and the partner's answer if it came.
    async fn ask(
        &self,
        request: &Request,
        contact: ContactId,
        to: frontdoor_domain::ids::OrganisationId,
        practitioner: Option<&Actor>,
    ) -> Result<(), AppError> {
        let by = &self.staff.social_worker;
        let sent = self.today.at(&request.sent)?;
        self.clock.set(sent);
        let subject = self
            .app
            .view_contact(by, contact)
            .await?
            .subjects
            .first()
            .map(|s| s.subject.id.to_string())
            .unwrap_or_default();
        let sent = self
            .app
            .request_information(
                by,
                contact,
                &InformationRequestInput {
                    subject,
                    organisation: to.to_string(),
                    agency: request.to.clone(),
                    questions: request.questions.clone(),
                    consent: "consent_given".into(),
                    consent_given_by: "Mother, by phone".into(),
                    consent_given_on: london(sent).format("%Y-%m-%d").to_string(),
                    urgency: request.urgency.clone(),
                    ..InformationRequestInput::default()
                },
            )
            .await?;
        if let (Some(answered), Some(practitioner)) = (&request.answered, practitioner) {
            self.clock.set(self.today.at(&answered.when)?);
            self.app
                .answer_information_request(practitioner, sent.id, &answered.answer)
                .await?;
        }
        Ok(())
    }
}

/// The first child of a contact and their (newest) episode.
pub(super) async fn child_of(
    app: &App,
    by: &Actor,
    contact: ContactId,
) -> Result<(PersonId, EpisodeId), AppError> {
    let child = app
        .view_contact(by, contact)
        .await?
        .subjects
        .first()
        .and_then(|s| s.subject.person)
        .ok_or(AppError::NotFound("The child on the contact"))?;
    let episode = app
        .episodes_of_child(by, child)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("The child's episode"))?;
    Ok((child, episode.id))
}

impl App {
    /// The same app on another clock (to do, through the use cases, what happened earlier).
    fn on_clock(&self, clock: Arc<dyn Clock>) -> App {
        App {
            store: self.store.clone(),
            clock,
            settings: self.settings.clone(),
            match_model: self.match_model.clone(),
            passwords: self.passwords.clone(),
            sign_in_recording: self.sign_in_recording.clone(),
        }
    }

    async fn todays_staff(&self, authority: AuthorityId) -> Result<Staff, AppError> {
        let workers: Vec<Worker> = self
            .store
            .workers(authority)
            .await?
            .into_iter()
            .filter(|w| w.active)
            .collect();
        // The day's work is done by experienced staff: a newly qualified worker's caseload is
        // allocated separately, within their protection.
        let first = |role: Role| {
            workers
                .iter()
                .find(|w| w.role == role && !w.asye)
                .map(Worker::actor)
        };
        let missing = |what: &'static str| AppError::NotFound(what);
        Ok(Staff {
            officer: first(Role::ContactOfficer)
                .ok_or_else(|| missing("An active contact officer"))?,
            social_worker: first(Role::MashSocialWorker)
                .ok_or_else(|| missing("An active MASH social worker"))?,
            managers: workers
                .iter()
                .filter(|w| w.role == Role::TeamManager)
                .cloned()
                .collect(),
            out_of_hours: first(Role::OutOfHoursWorker),
        })
    }

    /// Stages today's work in the authority (see the module's documentation). Run once, after
    /// the history is loaded.
    pub async fn stage_todays_work(&self, authority: AuthorityId) -> Result<TodaysWork, AppError> {
        let day = Day::script()?;
        let staff = self.todays_staff(authority).await?;
        let calendar = self.calendar_for(authority).await?;
        let now = self.now();
        let local_now = london(now);
        let date = if calendar.is_working_day(local_now.date())
            && local_now.time() >= NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()
        {
            local_now.date()
        } else {
            calendar.previous_working_day(local_now.date())
        };
        let clock = Arc::new(FixedClock::new(now));
        let stage = Stage {
            app: self.on_clock(clock.clone()),
            clock: clock.clone(),
            staff: &staff,
            today: Today {
                date,
                calendar: &calendar,
            },
        };
        let mut work = TodaysWork::default();
        let mut contacts: HashMap<&str, ContactId> = HashMap::new();
        for scene in &day.scene {
            // Out of hours happens only where the authority has an emergency duty team.
            if scene.by == "out_of_hours" && staff.out_of_hours.is_none() {
                continue;
            }
            let contact = stage.play(scene).await?;
            contacts.insert(scene.name.as_str(), contact.id);
            work.contacts += 1;
            work.awaiting_authorisation += usize::from(scene.awaiting_authorisation);
            if let Some(child_protection) = &scene.child_protection {
                // Held the next working day; a plan's conference 12 working days after the
                // referral, and its statutory visits 12 and 2 working days ago.
                let start = stage.today.before(scene.received.days_before());
                let plan = child_protection.to_plan.then(|| {
                    let today = &stage.today;
                    let conference = today.before(scene.received.days_before().saturating_sub(12));
                    (conference, [today.before(12), today.before(2)])
                });
                child_protection_case(
                    &stage.app,
                    &clock,
                    &staff.social_worker,
                    &stage.manager_of(contact.team)?,
                    contact.id,
                    calendar.next_working_day(start),
                    &calendar,
                    plan,
                )
                .await?;
                work.child_protection += 1;
            }
        }
        let scene_contact = |name: &str| {
            contacts
                .get(name)
                .copied()
                .ok_or_else(|| AppError::Conflict(format!("The demo's day names no scene {name}.")))
        };

        // Requests go to the authority's partner organisations where it has them.
        let organisations = self.store.organisations(authority).await?;
        let workers = self.store.workers(authority).await?;
        for request in &day.request {
            let kind = match request.to.as_str() {
                "police" => OrganisationKind::Police,
                _ => OrganisationKind::Health,
            };
            let Some(to) = organisations
                .iter()
                .find(|o| o.kind == kind && o.retired_at.is_none())
                .map(|o| o.id)
            else {
                continue;
            };
            let practitioner = workers
                .iter()
                .find(|w| w.active && w.role == Role::PartnerPractitioner && w.organisation == to)
                .map(Worker::actor);
            stage
                .ask(
                    request,
                    scene_contact(&request.scene)?,
                    to,
                    practitioner.as_ref(),
                )
                .await?;
            work.information_requests += 1;
        }

        let triage = &day.triage;
        clock.set(stage.today.at(&triage.recorded)?);
        let held = london(stage.today.at(&triage.held)?);
        let mut discussed = Vec::new();
        for d in &triage.discussed {
            discussed.push(DiscussedInput {
                contact_id: scene_contact(&d.scene)?.to_string(),
                rating: d.rating.clone(),
                next_step: d.next_step.clone(),
            });
        }
        stage
            .app
            .record_triage_meeting(
                &staff.social_worker,
                &TriageMeetingInput {
                    held_date: london_date(stage.today.at(&triage.held)?)
                        .format("%Y-%m-%d")
                        .to_string(),
                    held_time: held.format("%H:%M").to_string(),
                    notes: String::new(),
                    attendees: triage.attendees.clone(),
                    discussed,
                },
            )
            .await?;
        work.triage_meetings += 1;

        let social_worker = &staff.social_worker;
        work.supervisions = supervision::supervision_of_the_social_worker(
            &stage.app,
            &clock,
            &stage.today,
            social_worker,
            &stage.manager_of(social_worker.team)?,
            [
                scene_contact("on_a_plan")?,
                scene_contact("enquiry")?,
                scene_contact("decided")?,
            ],
        )
        .await?;
        work.allocated = caseloads::allocate_caseloads(self, authority, &workers).await?;
        work.assessments = assessments::assessments_of_the_social_worker(
            &stage.app,
            &clock,
            &stage.today,
            now,
            social_worker,
            &stage.manager_of(social_worker.team)?,
        )
        .await?;
        let coordinator = workers
            .iter()
            .find(|w| w.active && w.role == Role::EarlyHelpCoordinator)
            .map(Worker::actor);
        if let Some(coordinator) = &coordinator {
            let health = organisations
                .iter()
                .find(|o| o.kind == OrganisationKind::Health && o.retired_at.is_none())
                .map(|o| o.id);
            let health_visitor = workers
                .iter()
                .find(|w| {
                    w.active
                        && w.role == Role::PartnerPractitioner
                        && Some(w.organisation) == health
                })
                .map(Worker::actor);
            work.early_help = early_help::early_help_families(
                &stage.app,
                &clock,
                &stage.today,
                &early_help::EarlyHelpStaff {
                    officer: &staff.officer,
                    social_worker: &staff.social_worker,
                    manager: &stage.manager_of(staff.officer.team)?,
                    coordinator,
                    partner: health_visitor.as_ref().map(|p| (p, "health")),
                },
            )
            .await?;
        }
        Ok(work)
    }
}
