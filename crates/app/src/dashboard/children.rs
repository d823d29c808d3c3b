//! The children behind a figure of the dashboard: each child (and the record that put them
//! there) that the figure counts — for a manager to look into, and for an audit to sample.

use crate::local_time::london_date;
use crate::{App, AppError};
use chrono::NaiveDate;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::ids::{PersonId, TeamId};
use frontdoor_domain::performance::{Figure, Period};
use frontdoor_store::performance::{ChildRow, Moment};
use serde::Serialize;
use uuid::Uuid;

/// One child behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildBehindFigure {
    pub figure: Figure,
    /// `None` for a child on a contact not yet linked to a record (named as the contact gave
    /// them).
    pub person: Option<PersonId>,
    pub name: String,
    pub la_person_id: Option<String>,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    /// The record that put the child behind the figure: the contact, referral, assessment,
    /// section 47 enquiry, conference, plan, information request or supervision action.
    pub record: Uuid,
    /// The contact's reference, when the record is a contact or hangs off one.
    pub reference: Option<String>,
    /// The day that counts for the figure (see [`Figure::date_label`]).
    pub on: NaiveDate,
    /// When the work was due, for a timescale.
    pub due: Option<NaiveDate>,
    /// When it was done, if it was.
    pub done: Option<NaiveDate>,
    /// Working days past the due day (by the day it was done, or today), when it is late.
    pub working_days_late: Option<i64>,
}

/// The London date of a moment. A due instant is the first moment after the due day, so its
/// day is the one before that moment.
fn day_of(moment: Moment, is_due: bool) -> NaiveDate {
    match moment {
        Moment::Day(day) => day,
        Moment::At(at) if is_due => london_date(at - chrono::Duration::microseconds(1)),
        Moment::At(at) => london_date(at),
    }
}

impl App {
    /// Every child behind `figure` for `period` and `team` (or the whole authority), in date
    /// order. The list names children, so it is for those who may read children's records, and
    /// it is a read of each child's record: each one listed is written to the access log.
    pub async fn children_behind(
        &self,
        actor: &Actor,
        figure: Figure,
        period: Period,
        team: Option<TeamId>,
    ) -> Result<Vec<ChildBehindFigure>, AppError> {
        actor.may(Action::ViewPerformance)?;
        actor.may(Action::ViewChildRecord)?;
        let (scope, _) = self.figure_scope(actor, period, team).await?;
        let calendar = self.calendar_for(actor.authority).await?;
        let today = london_date(scope.now);
        let children: Vec<ChildBehindFigure> =
            match self.store.children_behind(&scope, figure).await? {
                Some(rows) => rows
                    .into_iter()
                    .map(|row: ChildRow| {
                        let due = row.due.map(|m| day_of(m, true));
                        let done = row.done.map(|m| day_of(m, false));
                        let late = due.and_then(|due| {
                            let by = done.unwrap_or(today);
                            (by > due).then(|| calendar.working_days_between(due, by).max(1))
                        });
                        ChildBehindFigure {
                            figure,
                            person: row.person,
                            name: format!("{} {}", row.given_name, row.family_name)
                                .trim()
                                .to_string(),
                            la_person_id: row.la_person_id,
                            team: row.team,
                            team_name: row.team_name,
                            record: row.record,
                            reference: row.reference,
                            on: day_of(row.on, false),
                            due,
                            done,
                            working_days_late: if matches!(
                                figure,
                                Figure::DecisionsLate
                                    | Figure::AssessmentsLate
                                    | Figure::InitialConferencesLate
                                    | Figure::InformationRequestsLate
                            ) {
                                late
                            } else {
                                None
                            },
                        }
                    })
                    .collect(),
                // Drift is today's: the drift report's actions, one row each.
                None => self
                    .drift_report(actor, team)
                    .await?
                    .actions
                    .into_iter()
                    .map(|view| ChildBehindFigure {
                        figure,
                        person: Some(view.action.person),
                        name: view.action.child_name.clone(),
                        la_person_id: None,
                        team: view.action.team,
                        team_name: view.action.team_name.clone(),
                        record: view.action.id.0,
                        reference: None,
                        on: view.action.due_on,
                        due: Some(view.action.due_on),
                        done: None,
                        working_days_late: view.drift.map(|d| d.working_days_overdue),
                    })
                    .collect(),
            };
        let mut named: Vec<PersonId> = children.iter().filter_map(|c| c.person).collect();
        named.sort();
        named.dedup();
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &named,
                &format!("dashboard: {}", figure.label().to_lowercase()),
                self.now(),
            )
            .await?;
        Ok(children)
    }
}
