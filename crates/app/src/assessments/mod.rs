//! Child and family assessments: started from a referral's episode (or by a strategy discussion
//! that decided on a single-agency assessment), due 45 working days from the referral date,
//! flagged at start when it repeats another assessment of the child within 12 months. The
//! worker records visits (child seen, seen alone), the child's views, the history considered,
//! the extended family, fathers and significant adults considered, the sources information was
//! verified with, the census factors and the outcome, then submits it; a manager of the team
//! authorises it or returns it. Submitting without a quality point needs a reason for it, and
//! the reasons are reported.
//!
//! An outcome of early help or of a strategy discussion is recorded on the assessment only:
//! nothing new is opened from it here (the early-help work and a new strategy discussion are
//! started by their own use cases).

mod authorisation;
mod report;

use crate::episodes::required_date;
use crate::error::Checks;
use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::assessment::{
    self as rules, check_submission, parse_factors, AssessmentFactor, AssessmentOutcome,
    AssessmentState, AssessmentVisit, QualityPoint, QualityRecord, Submission, MIN_REASON_CHARS,
};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::ids::{
    AssessmentId, AuthorityId, EpisodeId, PersonId, ReferralId, TeamId, WorkerId,
};
use frontdoor_domain::timescale::working_days_left;
use frontdoor_store::assessments::{
    self as assessment_store, AssessmentRecord, AssessmentScope, NewAssessment,
};
use frontdoor_store::contacts::Contact;
use frontdoor_store::episodes::{self as episode_store, Episode};
use frontdoor_store::events::NewEvent;
use frontdoor_store::{StoreError, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

pub use frontdoor_store::assessments::{Assessment, MissingPointReason, VisitRecord};
pub use report::{AssessmentQualityReport, PointCount, TeamQuality};

/// The most a free-text part of an assessment may hold.
const MAX_TEXT: usize = 20_000;

/// What starting an assessment needs, whoever starts it (a worker on an episode, a signed-off
/// strategy discussion, the synthetic loader).
pub(crate) struct AssessmentOpening {
    pub authority: AuthorityId,
    pub person: PersonId,
    pub episode: Option<EpisodeId>,
    pub referral: Option<ReferralId>,
    pub referral_date: NaiveDate,
    pub team: Option<TeamId>,
    pub worker: Option<WorkerId>,
    pub started_on: NaiveDate,
    /// An assessment loaded as already complete (synthetic history).
    pub completed_on: Option<NaiveDate>,
    /// The census factors of an assessment loaded as already complete.
    pub factors: Vec<AssessmentFactor>,
    pub started_by: Option<WorkerId>,
    pub at: DateTime<Utc>,
}

/// The assessment as started: the caller appends its event with [`started_payload`].
pub(crate) struct OpenedAssessment {
    pub id: AssessmentId,
    pub due_on: NaiveDate,
    pub is_repeat: bool,
}

/// The one way an assessment is made: the due date from the referral date, the repeat flag
/// from the child's other assessments (read in the same transaction), and the row.
pub(crate) async fn open_assessment(
    tx: &mut Tx,
    calendar: &WorkingDayCalendar,
    opening: &AssessmentOpening,
) -> Result<OpenedAssessment, AppError> {
    let others = assessment_store::start_dates_in(tx, opening.authority, opening.person).await?;
    let is_repeat = rules::is_repeat(opening.started_on, &others);
    let due_on = rules::due_date(calendar, opening.referral_date);
    let id = AssessmentId::new();
    assessment_store::insert(
        tx,
        &NewAssessment {
            id,
            authority: opening.authority,
            person: opening.person,
            episode: opening.episode,
            referral: opening.referral,
            team: opening.team,
            worker: opening.worker,
            started_on: opening.started_on,
            due_on,
            is_repeat,
            completed_on: opening.completed_on,
            factors: opening.factors.clone(),
            started_by: opening.started_by,
            at: opening.at,
        },
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => AppError::Conflict(
            "An assessment was started on this episode a moment ago: reload to see it.".into(),
        ),
        other => AppError::from(other),
    })?;
    Ok(OpenedAssessment {
        id,
        due_on,
        is_repeat,
    })
}

/// The event payload of a started assessment.
pub(crate) fn started_payload(
    opening: &AssessmentOpening,
    opened: &OpenedAssessment,
) -> serde_json::Value {
    json!({
        "assessment": opened.id,
        "episode": opening.episode,
        "referral": opening.referral,
        "started_on": opening.started_on,
        "completed_on": opening.completed_on,
        "due_on": opened.due_on,
        "repeat": opened.is_repeat,
    })
}

/// What the worker types while the assessment is in progress. Blank fields are saved blank.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentInput {
    /// The child's views, wishes and feelings (direct work).
    pub child_views: String,
    /// How the child's history and chronology informed the assessment.
    pub history_considered: String,
    /// Extended family, fathers and significant adults considered or spoken to.
    pub family_considered: String,
    /// The sources information was verified with, one per line.
    pub verification_sources: String,
    /// Census assessment factor codes (1A ... 24A, or 21 alone).
    pub factors: Vec<String>,
    /// no_further_action, child_in_need_plan, early_help or strategy_discussion (blank: not yet).
    pub outcome: String,
}

/// A visit as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentVisitInput {
    /// 2026-03-27
    pub visited_on: String,
    pub child_seen: bool,
    pub seen_alone: bool,
    pub note: String,
}

/// Submitting: a reason for each quality point the assessment does not show, by point code
/// (child_seen, child_seen_alone, child_views, history_considered,
/// extended_family_considered, information_verified).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentSubmissionInput {
    pub reasons: BTreeMap<String, String>,
}

/// A manager returning an assessment says why.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentReturnInput {
    pub reason: String,
}

/// An assessment with its visits, the reasons for points it lacks, what it still lacks, the
/// time left and the child's history beside it.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub assessment: Assessment,
    pub visits: Vec<VisitRecord>,
    pub missing_points: Vec<QualityPoint>,
    pub reasons: Vec<MissingPointReason>,
    /// Working days left until the due date (negative when overdue); none once authorised.
    pub working_days_left: Option<i64>,
    pub previous_contacts: Vec<Contact>,
    /// The child's referrals (their episodes), newest first.
    pub referrals: Vec<Episode>,
    /// The child's other assessments, newest first.
    pub previous_assessments: Vec<Assessment>,
    /// Other assessments started in the 12 months before this one.
    pub assessments_in_12_months: usize,
    pub may_record: bool,
    pub may_authorise: bool,
}

/// An assessment in a list, with the time left.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentSummary {
    #[serde(flatten)]
    pub assessment: Assessment,
    pub working_days_left: Option<i64>,
    pub overdue: bool,
}

/// Whose assessments a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentListScope {
    Mine,
    Team,
    All,
}

impl App {
    async fn load_assessment(
        &self,
        actor: &Actor,
        id: AssessmentId,
    ) -> Result<Assessment, AppError> {
        self.store
            .assessment(actor.authority, id)
            .await
            .map_err(|e| AppError::from(e).normalise())
    }

    /// What changed, for a lost race or a refused transition.
    async fn assessment_conflict(&self, actor: &Actor, id: AssessmentId) -> AppError {
        match self.load_assessment(actor, id).await {
            Ok(now) => AppError::Conflict(what_changed(&now)),
            Err(e) => e,
        }
    }

    /// Starts a child and family assessment on an open episode. Refused while another
    /// assessment on the episode is not yet authorised; flagged as a repeat when the child had
    /// another assessment start in the 12 months before.
    pub async fn start_assessment(
        &self,
        actor: &Actor,
        episode: EpisodeId,
    ) -> Result<Assessment, AppError> {
        actor.may(Action::RecordAssessment)?;
        self.load_episode(actor, episode).await?;
        let calendar = self.calendar_for(actor.authority).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let held = episode_store::episode_for_update(&mut tx, actor.authority, episode).await?;
        if !held.is_open() {
            return Err(AppError::Conflict(
                "This episode has closed: an assessment can only start on an open episode.".into(),
            ));
        }
        if assessment_store::open_on_episode_in(&mut tx, actor.authority, episode)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(
                "An assessment on this episode is already open: continue that one (see the episode).".into(),
            ));
        }
        let opening = AssessmentOpening {
            authority: actor.authority,
            person: held.person,
            episode: Some(held.id),
            referral: Some(held.referral),
            referral_date: held.referral_date,
            team: held.team,
            worker: held.worker.or(Some(actor.worker)),
            started_on: london_date(now),
            completed_on: None,
            factors: Vec::new(),
            started_by: Some(actor.worker),
            at: now,
        };
        let opened = open_assessment(&mut tx, &calendar, &opening).await?;
        NewEvent::by(actor, now, "assessment_started", opened.id.0)
            .about(held.person)
            .with(started_payload(&opening, &opened))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_assessment(actor, opened.id).await
    }

    /// An assessment with the child's history beside it (an access to the child's record).
    pub async fn view_assessment(
        &self,
        actor: &Actor,
        id: AssessmentId,
    ) -> Result<AssessmentView, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let assessment = self.load_assessment(actor, id).await?;
        let authority = actor.authority;
        let now = self.now();
        self.store
            .log_access(
                authority,
                actor.worker,
                assessment.person,
                "assessment",
                now,
            )
            .await?;
        let calendar = self.calendar_for(authority).await?;
        let visits = self.store.assessment_visits(authority, id).await?;
        let visit_rules: Vec<AssessmentVisit> = visits.iter().map(VisitRecord::visit).collect();
        let missing_points =
            rules::missing_quality_points(&quality_record(&assessment, &visit_rules));
        let reasons = self
            .store
            .missing_point_reasons(authority, Some(id), None)
            .await?;
        let previous_assessments: Vec<Assessment> = self
            .store
            .assessments_of_child(authority, assessment.person)
            .await?
            .into_iter()
            .filter(|a| a.id != id)
            .collect();
        let starts: Vec<NaiveDate> = previous_assessments.iter().map(|a| a.started_on).collect();
        let from = frontdoor_domain::history::twelve_months_before(assessment.started_on);
        let assessments_in_12_months = starts
            .iter()
            .filter(|d| **d >= from && **d <= assessment.started_on)
            .count();
        let may_record = actor.may(Action::RecordAssessment).is_ok()
            && assessment.state == AssessmentState::InProgress;
        let may_authorise = assessment.state == AssessmentState::Submitted
            && authorize(
                actor,
                Action::AuthoriseAssessment,
                &authorisation_resource(actor, &assessment),
            )
            .is_allowed();
        Ok(AssessmentView {
            working_days_left: days_left(&calendar, &assessment, london_date(now)),
            visits,
            missing_points,
            reasons,
            previous_contacts: self
                .store
                .contacts_of_person(authority, assessment.person)
                .await?,
            referrals: self.store.episodes_of(authority, assessment.person).await?,
            previous_assessments,
            assessments_in_12_months,
            may_record,
            may_authorise,
            assessment,
        })
    }

    /// Saves what the worker has written while the assessment is in progress.
    pub async fn update_assessment(
        &self,
        actor: &Actor,
        id: AssessmentId,
        input: &AssessmentInput,
    ) -> Result<Assessment, AppError> {
        actor.may(Action::RecordAssessment)?;
        let mut checks = Checks::default();
        let record = AssessmentRecord {
            child_views: checks.text("child_views", &input.child_views, MAX_TEXT),
            history_considered: checks.text(
                "history_considered",
                &input.history_considered,
                MAX_TEXT,
            ),
            family_considered: checks.text("family_considered", &input.family_considered, MAX_TEXT),
            verification_sources: checks
                .text(
                    "verification_sources",
                    &input.verification_sources,
                    MAX_TEXT,
                )
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            factors: checks
                .take("factors", parse_factors(&input.factors))
                .unwrap_or_default(),
            outcome: checks.optional("outcome", &input.outcome, AssessmentOutcome::from_code),
        };
        checks.finish()?;
        let current = self.load_assessment(actor, id).await?;
        if current.state != AssessmentState::InProgress {
            return Err(AppError::Conflict(what_changed(&current)));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !assessment_store::update_record(&mut tx, actor.authority, id, &record, now).await? {
            drop(tx);
            return Err(self.assessment_conflict(actor, id).await);
        }
        let factors: Vec<&str> = record.factors.iter().map(|f| f.code()).collect();
        NewEvent::by(actor, now, "assessment_updated", id.0)
            .about(current.person)
            .with(json!({
                "factors": factors,
                "outcome": record.outcome.map(|o| o.code()),
                "verification_sources": record.verification_sources.len(),
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_assessment(actor, id).await
    }

    /// Records a visit (was the child seen, and seen alone) while the assessment is in progress.
    pub async fn record_assessment_visit(
        &self,
        actor: &Actor,
        id: AssessmentId,
        input: &AssessmentVisitInput,
    ) -> Result<Assessment, AppError> {
        actor.may(Action::RecordAssessment)?;
        let mut checks = Checks::default();
        let visited_on = required_date(
            &mut checks,
            "visited_on",
            &input.visited_on,
            "Enter the date of the visit.",
        );
        let note = checks.text("note", &input.note, MAX_TEXT);
        let visit = visited_on.and_then(|on| {
            checks.take(
                "seen_alone",
                AssessmentVisit::new(on, input.child_seen, input.seen_alone),
            )
        });
        checks.finish()?;
        let Some(visit) = visit else {
            return Err(AppError::invalid(
                "visited_on",
                "Enter the date of the visit.",
            ));
        };
        let now = self.now();
        let current = self.load_assessment(actor, id).await?;
        if visit.visited_on > london_date(now) {
            return Err(AppError::invalid(
                "visited_on",
                "The visit date cannot be in the future.",
            ));
        }
        if let Some(referral_date) = current.referral_date {
            if visit.visited_on < referral_date {
                return Err(AppError::invalid(
                    "visited_on",
                    "The visit date cannot be before the referral date.",
                ));
            }
        }
        let mut tx = self.store.begin().await?;
        // Held for the transaction, so a submission that reads the visits to judge the quality
        // points waits for this one (or this one sees the assessment already submitted).
        assessment_store::assessment_for_update(&mut tx, actor.authority, id).await?;
        if !assessment_store::add_visit(
            &mut tx,
            actor.authority,
            id,
            visit,
            &note,
            actor.worker,
            now,
        )
        .await?
        {
            drop(tx);
            return Err(self.assessment_conflict(actor, id).await);
        }
        NewEvent::by(actor, now, "assessment_visit_recorded", id.0)
            .about(current.person)
            .with(json!({
                "visited_on": visit.visited_on,
                "child_seen": visit.child_seen,
                "seen_alone": visit.seen_alone,
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        self.load_assessment(actor, id).await
    }

    /// Assessments not yet authorised: the worker's own, their team's, or the authority's;
    /// soonest due first, optionally only those overdue.
    pub async fn assessments(
        &self,
        actor: &Actor,
        scope: AssessmentListScope,
        overdue_only: bool,
    ) -> Result<Vec<AssessmentSummary>, AppError> {
        let scope = match scope {
            AssessmentListScope::Mine => {
                actor.may(Action::RecordAssessment)?;
                AssessmentScope::Worker(actor.worker)
            }
            AssessmentListScope::Team => {
                if actor.may(Action::AuthoriseAssessment).is_err() {
                    actor.may(Action::ViewAssessmentReports)?;
                }
                match actor.team {
                    Some(team) => AssessmentScope::Team(team),
                    None => return Ok(Vec::new()),
                }
            }
            AssessmentListScope::All => {
                actor.may(Action::ViewAssessmentReports)?;
                AssessmentScope::Authority
            }
        };
        let calendar = self.calendar_for(actor.authority).await?;
        let today = london_date(self.now());
        Ok(self
            .store
            .open_assessments(actor.authority, scope)
            .await?
            .into_iter()
            .map(|assessment| {
                let left = days_left(&calendar, &assessment, today);
                AssessmentSummary {
                    overdue: left.is_some_and(|d| d < 0),
                    working_days_left: left,
                    assessment,
                }
            })
            .filter(|s| !overdue_only || s.overdue)
            .collect())
    }

    /// The assessments on an episode, newest first (for the episode page).
    pub async fn assessments_of_episode(
        &self,
        actor: &Actor,
        episode: EpisodeId,
    ) -> Result<Vec<Assessment>, AppError> {
        actor.may(Action::ViewChildRecord)?;
        Ok(self
            .store
            .assessments_of_episode(actor.authority, episode)
            .await?)
    }
}

/// Who may authorise: the team that holds the assessment; never the worker who submitted it.
fn authorisation_resource(actor: &Actor, assessment: &Assessment) -> Resource {
    Resource::record_for_sign_off(actor.authority, assessment.team, assessment.submitted_by)
}

fn quality_record<'a>(
    assessment: &'a Assessment,
    visits: &'a [AssessmentVisit],
) -> QualityRecord<'a> {
    QualityRecord {
        visits,
        child_views: &assessment.child_views,
        history_considered: &assessment.history_considered,
        family_considered: &assessment.family_considered,
        verification_sources: &assessment.verification_sources,
    }
}

fn problem_field(problem: &rules::SubmissionProblem) -> String {
    match problem {
        rules::SubmissionProblem::MissingQualityPoint(point) => {
            format!("reasons[{}]", point.code())
        }
        rules::SubmissionProblem::NoFactors => "factors".into(),
        rules::SubmissionProblem::NoOutcome => "outcome".into(),
    }
}

fn days_left(
    calendar: &WorkingDayCalendar,
    assessment: &Assessment,
    today: NaiveDate,
) -> Option<i64> {
    if assessment.state == AssessmentState::Authorised {
        return None;
    }
    assessment
        .due_on
        .map(|due| working_days_left(calendar, today, due))
}

/// "This assessment was authorised at 10:42 on 3 March 2026 by Sam Patel: ..."
pub(crate) fn what_changed(assessment: &Assessment) -> String {
    use crate::episodes::at_words;
    let by = |name: &Option<String>| name.clone().unwrap_or_else(|| "another worker".into());
    match assessment.state {
        AssessmentState::Authorised => format!(
            "This assessment was authorised at {} by {}: it can no longer change.",
            assessment.authorised_at.map(at_words).unwrap_or_default(),
            by(&assessment.authorised_by_name)
        ),
        AssessmentState::Submitted => format!(
            "This assessment was submitted for authorisation at {} by {}: a manager must authorise it or return it first.",
            assessment.submitted_at.map(at_words).unwrap_or_default(),
            by(&assessment.submitted_by_name)
        ),
        AssessmentState::InProgress => match assessment.returned_at {
            Some(at) => format!(
                "This assessment was returned to the worker at {} by {}: it is in progress again.",
                at_words(at),
                by(&assessment.returned_by_name)
            ),
            None => "This assessment is still in progress: it has not been submitted for authorisation.".into(),
        },
    }
}
