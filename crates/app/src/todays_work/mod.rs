//! The demo's live front door: besides the closed history the synthetic loader writes, today's
//! work in every state — contacts waiting (some due today, some overdue), recommendations
//! awaiting authorisation, one returned, emergency action overnight, a decision authorised this
//! morning, information requests pending, overdue and answered, and this morning's MASH triage
//! meeting — so that a
//! newcomer signing in as any role sees a real day.
//!
//! Everything is made through the use cases themselves (authorization, guards, events and
//! all), each on a clock set to when it happened. "Today" is the latest working day whose
//! morning has passed: before 10:00, or at a weekend, the work is yesterday's (and what was due
//! then is overdue now).

use crate::information_requests::InformationRequestInput;
use crate::local_time::{from_london, london};
use crate::triage::{AttendeeInput, DiscussedInput, TriageMeetingInput};
use crate::{App, AppError, LinkTarget, RecommendationInput, ReviewInput};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use frontdoor_domain::authorization::{Actor, Role};
use frontdoor_domain::clock::{Clock, FixedClock};
use frontdoor_domain::ids::{AuthorityId, ContactId, OrganisationId, TeamId};
use frontdoor_store::contacts::Contact;
use frontdoor_store::organisation::{OrganisationKind, Worker};
use std::sync::Arc;

mod child_protection;
mod vignette;

use child_protection::child_protection_case;
use vignette::{person, Recommended, Reviewed, Scene, Vignette};

/// What was staged, for the demo's summary line.
#[derive(Debug, Clone, Default)]
pub struct TodaysWork {
    pub contacts: usize,
    /// Children staged in child protection: one enquiry with its conference due, one on a plan.
    pub child_protection: usize,
    pub information_requests: usize,
    pub awaiting_authorisation: usize,
    pub triage_meetings: usize,
}

/// The workers today's work is done by: the first active worker of each role (managers by
/// team, so each contact is authorised within its own team).
struct Staff {
    officer: Actor,
    social_worker: Actor,
    managers: Vec<Worker>,
    out_of_hours: Option<Actor>,
}

impl Staff {
    /// The manager of a contact's team (or any manager), so each contact is authorised within
    /// its own team.
    fn manager_of(&self, team: Option<TeamId>) -> Option<Actor> {
        self.managers
            .iter()
            .find(|m| m.team == team)
            .or(self.managers.first())
            .map(Worker::actor)
    }
}

/// Plays scenes through the use cases, each step on the clock set to when it happened.
struct Stage<'a> {
    app: App,
    clock: Arc<FixedClock>,
    staff: &'a Staff,
}

impl Stage<'_> {
    /// Records the scene's contact as `by`, then does whatever else the scene says happened.
    async fn play(&self, scene: Scene, by: &Actor) -> Result<Contact, AppError> {
        let app = &self.app;
        self.clock
            .set(scene.received + chrono::Duration::minutes(4));
        let contact = app
            .record_contact(by, &scene.vignette.input(scene.received, scene.channel))
            .await?;
        if let Some(linked) = scene.linked {
            self.clock.set(linked);
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
        if let Some(recommended) = scene.recommended {
            self.clock.set(recommended.at);
            app.recommend_decision(
                &self.staff.social_worker,
                contact.id,
                &RecommendationInput {
                    outcome: recommended.outcome.into(),
                    level_of_need: recommended.level.into(),
                    signposted_to: String::new(),
                    rationale: recommended.rationale.into(),
                },
            )
            .await?;
        }
        if let Some(reviewed) = scene.reviewed {
            let manager = self
                .staff
                .manager_of(contact.team)
                .ok_or(AppError::NotFound("An active team manager"))?;
            self.clock.set(reviewed.at);
            app.review_decision(
                &manager,
                contact.id,
                &ReviewInput {
                    authorise: Some(reviewed.authorise),
                    rationale: reviewed.rationale.into(),
                },
            )
            .await?;
        }
        Ok(contact)
    }

    /// A standard request, with the mother's consent given by phone that day, about the
    /// contact's first child.
    async fn ask(
        &self,
        contact: ContactId,
        to: OrganisationId,
        agency: &str,
        urgency: &str,
        questions: &str,
        when: DateTime<Utc>,
    ) -> Result<frontdoor_store::information_requests::InformationRequest, AppError> {
        let by = &self.staff.social_worker;
        self.clock.set(when);
        let subject = self
            .app
            .view_contact(by, contact)
            .await?
            .subjects
            .first()
            .map(|s| s.subject.id.to_string())
            .unwrap_or_default();
        self.app
            .request_information(
                by,
                contact,
                &InformationRequestInput {
                    subject,
                    organisation: to.to_string(),
                    agency: agency.into(),
                    questions: questions.into(),
                    consent: "consent_given".into(),
                    consent_given_by: "Mother, by phone".into(),
                    consent_given_on: london(when).format("%Y-%m-%d").to_string(),
                    urgency: urgency.into(),
                    ..InformationRequestInput::default()
                },
            )
            .await
    }
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
        let first = |role: Role| workers.iter().find(|w| w.role == role).map(Worker::actor);
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
        let staff = self.todays_staff(authority).await?;
        let calendar = self.calendar_for(authority).await?;
        let now = self.now();
        let local_now = london(now);
        let today = if calendar.is_working_day(local_now.date())
            && local_now.time() >= NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()
        {
            local_now.date()
        } else {
            calendar.previous_working_day(local_now.date())
        };
        let before =
            |days: u32| (0..days).fold(today, |date, _| calendar.previous_working_day(date));
        let at = |date: NaiveDate, hour: u32, minute: u32| {
            from_london(date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()))
        };
        let clock = Arc::new(FixedClock::new(now));
        let stage = Stage {
            app: self.on_clock(clock.clone()),
            clock: clock.clone(),
            staff: &staff,
        };
        let app = &stage.app;
        let officer = &staff.officer;
        let mut work = TodaysWork::default();
        let recommended = |at, outcome, level, rationale| {
            Some(Recommended {
                at,
                outcome,
                level,
                rationale,
            })
        };
        let reviewed = |at, authorise, rationale| {
            Some(Reviewed {
                at,
                authorise,
                rationale,
            })
        };

        // 1. Received three working days ago, still not triaged: overdue.
        let overdue = stage.play(Scene {
            vignette: Vignette {
                source: "2A",
                referrer: ("Mr Dan Fielding", "Castle Hill Academy", "Head of year 8"),
                concerns: &["neglect"],
                summary: "Leah has been wearing the same uniform all week and was seen taking food from other pupils' bags. She said her mum 'sleeps a lot'.",
                urgency: "standard",
                consent: "not_sought",
                children: vec![person("Leah", "Dunmore", "2013-06-21", "female", "NE61 4QT")],
            },
            received: at(before(3), 10, 15),
            channel: "phone",
            linked: None,
            recommended: None,
            reviewed: None,
        }, officer).await?;

        // 2. Two working days ago, linked, no recommendation yet: overdue.
        let waiting = stage.play(Scene {
            vignette: Vignette {
                source: "6",
                referrer: ("PC Tom Briggs", "Northshire Police", "Response officer"),
                concerns: &["domestic_abuse"],
                summary: "Police attended a domestic incident at 22:40. Mother had a cut to her lip; the two children were upstairs and heard the argument. Father arrested and bailed to another address.",
                urgency: "urgent",
                consent: "not_sought_safeguarding",
                children: vec![
                    person("Kai", "Rowntree", "2017-02-11", "male", "NE63 9BX"),
                    person("Isla", "Rowntree", "2021-10-30", "female", "NE63 9BX"),
                ],
            },
            received: at(before(2), 14, 40),
            channel: "email",
            linked: Some(at(before(2), 15, 30)),
            recommended: None,
            reviewed: None,
        }, officer).await?;

        // 3. Yesterday: linked, due today.
        let due_today = stage.play(Scene {
            vignette: Vignette {
                source: "3B",
                referrer: ("Gemma Lowe", "Northshire Health NHS Trust", "Health visitor"),
                concerns: &["neglect", "parental_mental_health"],
                summary: "Baby Noah (10 weeks) has not been brought to two appointments. At a home visit mother was tearful, said she was not coping and the flat was cold.",
                urgency: "urgent",
                consent: "given",
                children: vec![person("Noah", "Bexley", &(before(0) - chrono::Duration::days(70)).format("%Y-%m-%d").to_string(), "male", "NE61 7HU")],
            },
            received: at(before(1), 9, 20),
            channel: "phone",
            linked: Some(at(before(1), 10, 5)),
            recommended: None,
            reviewed: None,
        }, officer).await?;

        // 4. Yesterday, recommended this morning: awaiting a manager's authorisation.
        let awaiting = stage.play(Scene {
            vignette: Vignette {
                source: "3A",
                referrer: ("Dr Aisha Karim", "Riverside Surgery", "GP"),
                concerns: &["self_harm", "child_mental_health"],
                summary: "Jade (15) attended with cuts to both forearms, some recent. She says things at home are 'bad' since her mum's new partner moved in but would not say more.",
                urgency: "urgent",
                consent: "given",
                children: vec![person("Jade", "Ashworth", "2011-03-08", "female", "NE62 5DL")],
            },
            received: at(before(1), 11, 0),
            channel: "phone",
            linked: Some(at(before(1), 11, 40)),
            recommended: recommended(at(today, 9, 10), "referral_for_assessment", "3", "Repeated self-harm with a possible change at home; Jade needs a child and family assessment, seen alone, with CAMHS involved."),
            reviewed: None,
        }, officer).await?;
        work.awaiting_authorisation += 1;

        // 5. Yesterday, recommended, returned this morning for more information.
        stage.play(Scene {
            vignette: Vignette {
                source: "1B",
                referrer: ("Mrs Carol Pike", "", "Grandmother"),
                concerns: &["emotional_abuse"],
                summary: "Grandmother says Ruby (8) is shouted at and called names by her stepfather and has started wetting the bed again.",
                urgency: "standard",
                consent: "not_sought",
                children: vec![person("Ruby", "Pike", "2018-05-17", "female", "NE64 2RA")],
            },
            received: at(before(1), 15, 30),
            channel: "phone",
            linked: Some(at(before(1), 15, 50)),
            recommended: recommended(at(before(1), 16, 30), "information_and_advice", "1", "Grandmother's concerns are about the stepfather's manner; advice to grandmother about who to contact if it escalates."),
            reviewed: reviewed(at(today, 8, 50), false, "Regression in a child of 8 is a concern in itself: ask the school about her presentation and attendance before deciding."),
        }, officer).await?;
        work.contacts += 5;

        // 6. Last night, out of hours: police protection, linked by the emergency duty team.
        if let Some(out_of_hours) = &staff.out_of_hours {
            let night = from_london(
                (today - chrono::Duration::days(1))
                    .and_time(NaiveTime::from_hms_opt(23, 10, 0).unwrap_or_default()),
            );
            let overnight = stage.play(Scene {
                vignette: Vignette {
                    source: "6",
                    referrer: ("PS Lee Carter", "Northshire Police", "Custody sergeant"),
                    concerns: &["physical_abuse"],
                    summary: "Tyler (6) found by police with bruising to his face after neighbours reported screaming; mother intoxicated and unable to care for him.",
                    urgency: "immediate",
                    consent: "not_sought_safeguarding",
                    children: vec![person("Tyler", "Marsh", "2020-01-26", "male", "NE61 8JJ")],
                },
                received: night,
                channel: "phone",
                linked: Some(night + chrono::Duration::minutes(20)),
                recommended: None,
                reviewed: None,
            }, out_of_hours).await?;
            let person = app
                .view_contact(out_of_hours, overnight.id)
                .await?
                .subjects
                .first()
                .and_then(|s| s.subject.person);
            clock.set(night + chrono::Duration::minutes(35));
            app.record_emergency_action(
                out_of_hours,
                overnight.id,
                person,
                "police_protection",
                "Police took Tyler into police protection at 23:30; placed with his maternal aunt overnight. Strategy discussion needed this morning.",
            )
            .await?;
            work.contacts += 1;
        }

        // 7. Yesterday, authorised this morning: a strategy discussion to hold.
        stage.play(Scene {
            vignette: Vignette {
                source: "2A",
                referrer: ("Ms Jo Teacher", "Riverside Primary School", "Designated safeguarding lead"),
                concerns: &["sexual_abuse"],
                summary: "Amira (9) told her teacher that an older cousin 'does things' to her when he babysits and that she must not tell.",
                urgency: "immediate",
                consent: "not_sought_safeguarding",
                children: vec![person("Amira", "Haddad", "2017-09-02", "female", "NE62 1PS")],
            },
            received: at(before(1), 10, 0),
            channel: "phone",
            linked: Some(at(before(1), 10, 20)),
            recommended: recommended(at(before(1), 14, 0), "strategy_discussion", "4", "A disclosure of sexual abuse by a named family member: reasonable cause to suspect significant harm."),
            reviewed: reviewed(at(today, 9, 0), true, "Agreed: strategy discussion today with police and health; no contact with the family before it."),
        }, officer).await?;
        work.contacts += 1;

        // Information requests: the police asked about the Rowntree children two days ago
        // (not yet due), health asked urgently about Noah yesterday (overdue now), and the
        // police asked about Jade yesterday and answered this morning.
        let organisations = self.store.organisations(authority).await?;
        let organisation = |kind: OrganisationKind| {
            organisations
                .iter()
                .find(|o| o.kind == kind && o.retired_at.is_none())
                .map(|o| o.id)
        };
        if let Some(police) = organisation(OrganisationKind::Police) {
            stage
                .ask(
                    waiting.id,
                    police,
                    "police",
                    "standard",
                    "Previous call-outs to this address and any bail conditions on the father.",
                    at(before(2), 16, 0),
                )
                .await?;
            let jade = stage
                .ask(
                    awaiting.id,
                    police,
                    "police",
                    "standard",
                    "Is anything known about the mother's new partner?",
                    at(before(1), 11, 50),
                )
                .await?;
            work.information_requests += 2;
            let practitioner = self.store.workers(authority).await?.into_iter().find(|w| {
                w.active && w.role == Role::PartnerPractitioner && w.organisation == police
            });
            if let Some(practitioner) = practitioner {
                clock.set(at(today, 9, 5));
                app.answer_information_request(
                    &practitioner.actor(),
                    jade.id,
                    "The partner has a caution for assault (2019) on a previous partner; no calls to this address.",
                )
                .await?;
            }
        }
        if let Some(health) = organisation(OrganisationKind::Health) {
            stage.ask(due_today.id, health, "health", "urgent", "Noah's weight and feeding at the last two contacts, and the GP's view of mother's mental health.", at(before(1), 10, 30)).await?;
            work.information_requests += 1;
        }

        // 8. This morning's triage meeting rates the contacts waiting.
        clock.set(at(today, 9, 55));
        let attendee = |name: &str, agency: &str, role: &str| AttendeeInput {
            name: name.into(),
            agency: agency.into(),
            role: role.into(),
        };
        let discussed = |contact: ContactId, rating: &str, next_step: &str| DiscussedInput {
            contact_id: contact.to_string(),
            rating: rating.into(),
            next_step: next_step.into(),
        };
        app.record_triage_meeting(
            &staff.social_worker,
            &TriageMeetingInput {
                held_date: today.format("%Y-%m-%d").to_string(),
                held_time: "09:30".into(),
                notes: String::new(),
                attendees: vec![
                    attendee("Sam Patel", "childrens_social_care", "MASH social worker"),
                    attendee("DS Helen Ward", "police", "MASH police"),
                    attendee("Nina Osei", "health", "MASH health"),
                    attendee("Rob Kerr", "education", "MASH education"),
                ],
                discussed: vec![
                    discussed(
                        waiting.id,
                        "red",
                        "Police to share call-out history; recommend today.",
                    ),
                    discussed(
                        due_today.id,
                        "amber",
                        "Health visitor to visit with a social worker tomorrow.",
                    ),
                    discussed(
                        overdue.id,
                        "amber",
                        "School to share attendance and any previous concerns by noon.",
                    ),
                ],
            },
        )
        .await?;
        work.triage_meetings += 1;

        // 10. Child protection in progress: an enquiry whose conference is due within days,
        // and a child on a plan since about three months ago (review and visit due soon).
        for (vignette, days_ago, to_plan) in [
            (
                Vignette {
                    source: "3E",
                    referrer: ("Dr Sian Hughes", "Northshire Health NHS Trust", "A&E consultant"),
                    concerns: &["physical_abuse"],
                    summary: "Mason (11) attended A&E with a spiral fracture of the forearm; he said he fell, his mother said he was pushed by a friend.",
                    urgency: "immediate",
                    consent: "not_sought_safeguarding",
                    children: vec![person("Mason", "Clarke", "2015-04-19", "male", "NE63 2LW")],
                },
                12,
                false,
            ),
            (
                Vignette {
                    source: "6",
                    referrer: ("DC Amy Forde", "Northshire Police", "Child abuse investigation"),
                    concerns: &["physical_abuse", "domestic_abuse"],
                    summary: "Lily-Mae (7) was hit with a belt by her father during an argument with her mother; marks seen by her teacher.",
                    urgency: "immediate",
                    consent: "not_sought_safeguarding",
                    children: vec![person("Lily-Mae", "Turner", "2019-07-03", "female", "NE64 8TT")],
                },
                60,
                true,
            ),
        ] {
            let start = before(days_ago);
            let held_on = calendar.next_working_day(start);
            let contact = stage.play(Scene {
                vignette,
                received: at(start, 9, 30),
                channel: "phone",
                linked: Some(at(start, 9, 50)),
                recommended: recommended(at(start, 11, 0), "strategy_discussion", "4", "An unexplained serious injury: reasonable cause to suspect significant harm."),
                reviewed: reviewed(at(start, 11, 30), true, "Agreed: strategy discussion with police and health tomorrow morning."),
            }, officer).await?;
            let manager = staff
                .manager_of(contact.team)
                .ok_or(AppError::NotFound("An active team manager"))?;
            work.contacts += 1;
            child_protection_case(
                app,
                &clock,
                &staff.social_worker,
                &manager,
                contact.id,
                held_on,
                &calendar,
                to_plan.then(|| (before(days_ago - 12), [before(12), before(2)])),
            )
            .await?;
            work.child_protection += 1;
        }

        // 9. This morning, just arrived.
        stage.play(Scene {
            vignette: Vignette {
                source: "9",
                referrer: ("Anonymous", "", ""),
                concerns: &["neglect"],
                summary: "Caller says two young children are often left alone in the flat above the bookmakers in the evenings.",
                urgency: "standard",
                consent: "unknown",
                children: vec![person("Not known", "Not known", "", "not_known", "NE61 3AB")],
            },
            received: at(today, 8, 30),
            channel: "phone",
            linked: None,
            recommended: None,
            reviewed: None,
        }, officer).await?;
        work.contacts += 1;
        Ok(work)
    }
}
