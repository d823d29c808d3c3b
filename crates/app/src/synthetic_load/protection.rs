//! The rest of each historic child's journey, as the synthetic history has it: a strategy
//! discussion decided during the assessment, the section 47 enquiry a discussion decided on
//! (the visit, the outcome), the initial child protection conference, the plan with its
//! statutory visits and review conferences and its end, and a child in need plan. Each is
//! written through the store functions the use cases write through, with the same event, at
//! its historic instant; ids are chosen when the referral is authorised, so the whole course
//! is scheduled at once and applied in time order.

use super::strategy::{discussion_held_at, discussion_signed_off_at, HistoricDiscussion};
use super::*;
use frontdoor_domain::child_protection::{icpc_due, next_review_due, CategoryOfAbuse};
use frontdoor_domain::ids::{ConferenceId, EnquiryId, EpisodeId, PlanId, StrategyDiscussionId};
use frontdoor_store::child_protection::{
    self as cp_store, Conference, Enquiry, EnquiryVisit, PlanVisit, ProtectionPlan,
};
use frontdoor_store::cin_plans as cin_plan_store;
use frontdoor_store::strategy_discussions as strategy_store;
use frontdoor_synthetic::{SyntheticStrategyDiscussion, SyntheticVisit};

/// Whose journey a step belongs to, and who does the work.
#[derive(Debug, Clone)]
pub(super) struct Case {
    pub episode: EpisodeId,
    pub person: PersonId,
    pub social_worker: WorkerId,
    pub manager: WorkerId,
    pub reference: String,
}

/// One step of the journey.
#[derive(Debug)]
pub(super) enum Step {
    /// A strategy discussion decided while the assessment was under way.
    DecideDiscussion {
        discussion: StrategyDiscussionId,
        course: SyntheticStrategyDiscussion,
    },
    StartEnquiry {
        enquiry: EnquiryId,
        discussion: StrategyDiscussionId,
        started_on: NaiveDate,
        plan_agreed_at: DateTime<Utc>,
    },
    VisitEnquiry {
        enquiry: EnquiryId,
        seen_alone: bool,
    },
    CompleteEnquiry {
        enquiry: EnquiryId,
        started_on: NaiveDate,
        completed_on: NaiveDate,
        substantiated: bool,
        /// The initial conference to call, when one is needed.
        icpc: Option<ConferenceId>,
    },
    HoldInitialConference {
        conference: ConferenceId,
        held_on: NaiveDate,
        /// The plan it starts, its category and its first review.
        plan: Option<(PlanId, CategoryOfAbuse, ConferenceId)>,
    },
    VisitPlan {
        plan: PlanId,
        visit: SyntheticVisit,
    },
    HoldReview {
        conference: ConferenceId,
        plan: PlanId,
        plan_started_on: NaiveDate,
        held_on: NaiveDate,
        /// The next review, when the plan continues.
        next: Option<ConferenceId>,
    },
    /// A plan ended between reviews (the family moved away).
    EndPlan {
        plan: PlanId,
        on: NaiveDate,
    },
    StartCinPlan {
        plan: Uuid,
        on: NaiveDate,
    },
    EndCinPlan {
        plan: Uuid,
        on: NaiveDate,
    },
}

const CHAIR: &str = "Independent child protection chair";
const MOVED_AWAY: &str =
    "The family moved to another authority's area: the plan ended and the case was transferred.";
const ENDED_AT_REVIEW: &str = "Ended at a review conference";

/// The instant of a London time on a day.
fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    from_london(day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)))
}

impl Loader<'_> {
    fn schedule_step(&mut self, when: DateTime<Utc>, case: &Case, step: Step) {
        if when <= self.history_ends {
            self.schedule(when, Change::Protection(Box::new((case.clone(), step))));
        }
    }

    /// Schedules the course of the episode a referral opened, beyond its assessment: the
    /// strategy discussion during the assessment, the enquiry a discussion decided on (the
    /// discussion at the front door is `front_door_discussion`), and any child in need plan.
    pub(super) fn schedule_protection(
        &mut self,
        case: Case,
        referral: &SyntheticReferral,
        front_door_discussion: Option<StrategyDiscussionId>,
        authorised_at: DateTime<Utc>,
    ) {
        let after = |t: DateTime<Utc>| t.max(authorised_at + chrono::Duration::minutes(1));
        if let Some(plan) = referral.cin_plan {
            let id = Uuid::now_v7();
            self.schedule_step(
                after(at(plan.started_on, 12, 0)),
                &case,
                Step::StartCinPlan {
                    plan: id,
                    on: plan.started_on,
                },
            );
            if let Some(on) = plan.ended_on {
                self.schedule_step(
                    after(at(on, 12, 30)),
                    &case,
                    Step::EndCinPlan { plan: id, on },
                );
            }
        }
        let Some(course) = &referral.strategy_discussion else {
            return;
        };
        let (discussion, decided_at) = if course.during_assessment {
            let id = StrategyDiscussionId::new();
            let decided_at = after(at(course.decided_on, 10, 0));
            self.schedule_step(
                decided_at,
                &case,
                Step::DecideDiscussion {
                    discussion: id,
                    course: course.clone(),
                },
            );
            (id, decided_at)
        } else {
            match front_door_discussion {
                Some(id) => (id, authorised_at),
                None => return,
            }
        };
        let Some(enquiry) = referral.section_47.as_ref().filter(|_| course.section_47) else {
            return;
        };
        let held_at = discussion_held_at(decided_at, course.held_on);
        let id = EnquiryId::new();
        let started_at = discussion_signed_off_at(held_at) + chrono::Duration::minutes(30);
        self.schedule_step(
            started_at,
            &case,
            Step::StartEnquiry {
                enquiry: id,
                discussion,
                started_on: enquiry.started_on,
                plan_agreed_at: held_at,
            },
        );
        if let Some(on) = enquiry.visited_on {
            self.schedule_step(
                at(on, 14, 0).max(started_at + chrono::Duration::minutes(1)),
                &case,
                Step::VisitEnquiry {
                    enquiry: id,
                    seen_alone: enquiry.visit_seen_alone,
                },
            );
        }
        let Some(completed_on) = enquiry.completed_on else {
            return;
        };
        let icpc = enquiry.icpc_needed.then(ConferenceId::new);
        self.schedule_step(
            at(completed_on, 16, 0).max(started_at + chrono::Duration::minutes(2)),
            &case,
            Step::CompleteEnquiry {
                enquiry: id,
                started_on: enquiry.started_on,
                completed_on,
                substantiated: enquiry.concerns_substantiated,
                icpc,
            },
        );
        let (Some(conference), Some(held_on)) = (icpc, enquiry.icpc_held_on) else {
            return;
        };
        let plan = enquiry.plan.as_ref();
        let plan_id = PlanId::new();
        let reviews: Vec<ConferenceId> = (0..=plan.map_or(0, |p| p.reviews.len()))
            .map(|_| ConferenceId::new())
            .collect();
        self.schedule_step(
            at(held_on, 10, 0),
            &case,
            Step::HoldInitialConference {
                conference,
                held_on,
                plan: plan.map(|p| (plan_id, p.category, reviews[0])),
            },
        );
        let Some(plan) = plan else {
            return;
        };
        for visit in &plan.visits {
            self.schedule_step(
                at(visit.on, 15, 0),
                &case,
                Step::VisitPlan {
                    plan: plan_id,
                    visit: *visit,
                },
            );
        }
        for (i, held_on) in plan.reviews.iter().enumerate() {
            let ends_here = plan.ended_on == Some(*held_on) && !plan.ended_between_reviews;
            self.schedule_step(
                at(*held_on, 10, 0),
                &case,
                Step::HoldReview {
                    conference: reviews[i],
                    plan: plan_id,
                    plan_started_on: plan.started_on,
                    held_on: *held_on,
                    next: (!ends_here).then(|| reviews[i + 1]),
                },
            );
        }
        if let (Some(on), true) = (plan.ended_on, plan.ended_between_reviews) {
            self.schedule_step(at(on, 12, 0), &case, Step::EndPlan { plan: plan_id, on });
        }
    }

    pub(super) async fn protection_step(
        &mut self,
        tx: &mut Tx,
        when: DateTime<Utc>,
        case: Case,
        step: Step,
    ) -> Result<(), AppError> {
        // Every row below names the child: a child still held in the batch is written first.
        self.write_about(tx, &[case.person]).await?;
        let authority = self.authority;
        let lost = |what: &str| {
            AppError::Conflict(format!(
                "The synthetic {what} of the referral on {} changed while it was being loaded.",
                case.reference
            ))
        };
        let (kind, subject, actor, payload) = match step {
            Step::DecideDiscussion { discussion, course } => {
                let mut record = crate::episodes::new_discussion(
                    authority,
                    case.episode,
                    case.person,
                    false,
                    Some(case.social_worker),
                    when,
                );
                record.id = discussion;
                strategy_store::insert(tx, &record).await?;
                self.report.strategy_discussions_during_assessment += 1;
                self.report.rows += 1;
                self.schedule_discussion(HistoricDiscussion {
                    id: discussion,
                    person: case.person,
                    decided_at: when,
                    reference: case.reference.clone(),
                    social_worker: case.social_worker,
                    manager: case.manager,
                    held_on: course.held_on,
                    section_47: course.section_47,
                });
                let payload =
                    json!({ "contact": "", "emergency": false, "during_assessment": true });
                (
                    "strategy_discussion_decided",
                    discussion.0,
                    case.social_worker,
                    payload,
                )
            }
            Step::StartEnquiry {
                enquiry,
                discussion,
                started_on,
                plan_agreed_at,
            } => {
                let icpc_due_on = icpc_due(&self.calendar, started_on);
                let record = Enquiry {
                    id: enquiry,
                    authority,
                    episode: case.episode,
                    person: case.person,
                    strategy_discussion: discussion,
                    started_on,
                    plan_agreed_at,
                    icpc_due_on,
                    state: "open".into(),
                    concerns_substantiated: None,
                    icpc_needed: None,
                    outcome_reason: String::new(),
                    completed_on: None,
                    started_by: case.social_worker,
                };
                cp_store::insert_enquiry(tx, &record, when).await?;
                self.report.section_47_enquiries += 1;
                self.report.rows += 1;
                let payload = json!({ "started_on": started_on, "icpc_due_on": icpc_due_on });
                ("section_47_started", enquiry.0, case.social_worker, payload)
            }
            Step::VisitEnquiry {
                enquiry,
                seen_alone,
            } => {
                let visit = EnquiryVisit {
                    id: Uuid::now_v7(),
                    enquiry,
                    visited_at: when,
                    visited_by: "Social worker and police officer (joint visit)".into(),
                    child_seen: true,
                    seen_alone,
                    before_plan_agreed: false,
                    early_visit_reason: String::new(),
                    recorded_by: case.social_worker,
                };
                cp_store::insert_enquiry_visit(tx, authority, &visit, when).await?;
                self.report.rows += 1;
                let payload = json!({
                    "visited_at": when, "visited_by": visit.visited_by, "child_seen": true,
                    "seen_alone": seen_alone, "before_plan_agreed": false, "early_visit_reason": "",
                });
                (
                    "section_47_visit_recorded",
                    enquiry.0,
                    case.social_worker,
                    payload,
                )
            }
            Step::CompleteEnquiry {
                enquiry,
                started_on,
                completed_on,
                substantiated,
                icpc,
            } => {
                let reason = match (icpc.is_some(), substantiated) {
                    (true, _) => "The concerns are substantiated and the child is judged to be at continuing risk of significant harm: an initial child protection conference is needed.",
                    (false, true) => "The concerns are substantiated, but the family is working with services and a child in need plan can keep the child safe.",
                    (false, false) => "The concerns are not substantiated: no initial child protection conference is needed.",
                };
                if !cp_store::complete_enquiry(
                    tx,
                    authority,
                    enquiry,
                    substantiated,
                    icpc.is_some(),
                    reason,
                    completed_on,
                    case.social_worker,
                )
                .await?
                {
                    return Err(lost("section 47 enquiry"));
                }
                self.report.rows += 1;
                let icpc_due_on = icpc_due(&self.calendar, started_on);
                if let Some(id) = icpc {
                    let conference = Conference {
                        id,
                        authority,
                        episode: case.episode,
                        person: case.person,
                        kind: "initial".into(),
                        enquiry: Some(enquiry),
                        plan: None,
                        due_on: icpc_due_on,
                        held_on: None,
                        chair: String::new(),
                        plan_outcome: None,
                        category: None,
                    };
                    cp_store::insert_conference(tx, &conference, when).await?;
                    self.report.rows += 1;
                }
                let payload = json!({
                    "concerns_substantiated": substantiated, "icpc_needed": icpc.is_some(),
                    "reason": reason, "completed_on": completed_on,
                    "icpc_due_on": icpc.map(|_| icpc_due_on),
                });
                (
                    "section_47_completed",
                    enquiry.0,
                    case.social_worker,
                    payload,
                )
            }
            Step::HoldInitialConference {
                conference,
                held_on,
                plan,
            } => {
                let category = plan.map(|(_, c, _)| c);
                if !cp_store::hold_conference(
                    tx,
                    authority,
                    conference,
                    held_on,
                    CHAIR,
                    plan.is_some(),
                    category,
                    case.manager,
                    when,
                )
                .await?
                {
                    return Err(lost("initial child protection conference"));
                }
                self.report.initial_conferences += 1;
                self.report.rows += 1;
                let held = json!({
                    "kind": "initial", "held_on": held_on, "chair": CHAIR, "plan": plan.is_some(),
                    "category": category.map(|c| c.code()),
                });
                if let Some((plan, category, first_review)) = plan {
                    self.event(
                        tx,
                        case_event(
                            &case,
                            authority,
                            when,
                            "conference_held",
                            conference.0,
                            case.manager,
                            held,
                        ),
                    )
                    .await?;
                    let started = ProtectionPlan {
                        id: plan,
                        authority,
                        episode: case.episode,
                        person: case.person,
                        icpc: conference,
                        started_on: held_on,
                        initial_category: category,
                        latest_category: category,
                        ended_on: None,
                        end_reason: None,
                    };
                    cp_store::insert_plan(tx, &started, when).await?;
                    let due = next_review_due(&self.calendar, held_on, None);
                    self.insert_review(tx, &case, first_review, plan, due, when)
                        .await?;
                    self.report.protection_plans += 1;
                    self.report.rows += 1;
                    let payload = json!({ "category": category.code(), "started_on": held_on, "review_due_on": due });
                    ("protection_plan_started", plan.0, case.manager, payload)
                } else {
                    ("conference_held", conference.0, case.manager, held)
                }
            }
            Step::VisitPlan { plan, visit } => {
                let record = PlanVisit {
                    id: Uuid::now_v7(),
                    plan,
                    visited_on: visit.on,
                    seen_alone: visit.seen_alone,
                };
                cp_store::insert_plan_visit(tx, authority, &record, case.social_worker, when)
                    .await?;
                self.report.plan_visits += 1;
                self.report.rows += 1;
                let payload = json!({ "visited_on": visit.on, "seen_alone": visit.seen_alone });
                (
                    "protection_plan_visit_recorded",
                    plan.0,
                    case.social_worker,
                    payload,
                )
            }
            Step::HoldReview {
                conference,
                plan,
                plan_started_on,
                held_on,
                next,
            } => {
                if !cp_store::hold_conference(
                    tx,
                    authority,
                    conference,
                    held_on,
                    CHAIR,
                    next.is_some(),
                    None,
                    case.manager,
                    when,
                )
                .await?
                {
                    return Err(lost("review child protection conference"));
                }
                self.report.review_conferences += 1;
                self.report.rows += 1;
                let held = json!({
                    "kind": "review", "held_on": held_on, "chair": CHAIR, "plan": next.is_some(),
                    "category": null,
                });
                if let Some(next) = next {
                    let due = next_review_due(&self.calendar, plan_started_on, Some(held_on));
                    self.insert_review(tx, &case, next, plan, due, when).await?;
                    ("conference_held", conference.0, case.manager, held)
                } else {
                    self.event(
                        tx,
                        case_event(
                            &case,
                            authority,
                            when,
                            "conference_held",
                            conference.0,
                            case.manager,
                            held,
                        ),
                    )
                    .await?;
                    self.end_plan(tx, &case, plan, held_on, ENDED_AT_REVIEW)
                        .await?;
                    let payload =
                        json!({ "ended_on": held_on, "reason": "Ended at a review conference." });
                    ("protection_plan_ended", plan.0, case.manager, payload)
                }
            }
            Step::EndPlan { plan, on } => {
                self.end_plan(tx, &case, plan, on, MOVED_AWAY).await?;
                let payload = json!({ "ended_on": on, "reason": MOVED_AWAY });
                ("protection_plan_ended", plan.0, case.manager, payload)
            }
            Step::StartCinPlan { plan, on } => {
                cin_plan_store::insert_cin_plan(
                    tx,
                    &cin_plan_store::CinPlan {
                        id: plan,
                        authority,
                        episode: case.episode,
                        person: case.person,
                        started_on: on,
                        ended_on: None,
                    },
                    Some(case.social_worker),
                    when,
                )
                .await?;
                self.report.cin_plans += 1;
                self.report.rows += 1;
                (
                    "cin_plan_started",
                    plan,
                    case.social_worker,
                    json!({ "started_on": on }),
                )
            }
            Step::EndCinPlan { plan, on } => {
                if !cin_plan_store::end_cin_plan(tx, authority, plan, on, Some(case.manager))
                    .await?
                {
                    return Err(lost("child in need plan"));
                }
                self.report.rows += 1;
                (
                    "cin_plan_ended",
                    plan,
                    case.manager,
                    json!({ "ended_on": on }),
                )
            }
        };
        self.event(
            tx,
            case_event(&case, authority, when, kind, subject, actor, payload),
        )
        .await
    }

    async fn insert_review(
        &mut self,
        tx: &mut Tx,
        case: &Case,
        id: ConferenceId,
        plan: PlanId,
        due_on: NaiveDate,
        when: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let review = Conference {
            id,
            authority: self.authority,
            episode: case.episode,
            person: case.person,
            kind: "review".into(),
            enquiry: None,
            plan: Some(plan),
            due_on,
            held_on: None,
            chair: String::new(),
            plan_outcome: None,
            category: None,
        };
        cp_store::insert_conference(tx, &review, when).await?;
        self.report.rows += 1;
        Ok(())
    }

    async fn end_plan(
        &mut self,
        tx: &mut Tx,
        case: &Case,
        plan: PlanId,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), AppError> {
        if !cp_store::end_plan(tx, self.authority, plan, on, reason).await? {
            return Err(AppError::Conflict(format!(
                "The synthetic child protection plan of the referral on {} had already ended.",
                case.reference
            )));
        }
        self.report.protection_plans_ended += 1;
        self.report.rows += 1;
        Ok(())
    }
}

fn case_event(
    case: &Case,
    authority: AuthorityId,
    when: DateTime<Utc>,
    kind: &'static str,
    subject: Uuid,
    actor: WorkerId,
    payload: serde_json::Value,
) -> NewEvent {
    NewEvent::new(authority, when, kind, subject)
        .recorded_by(Some(actor))
        .about(case.person)
        .with(payload)
}
