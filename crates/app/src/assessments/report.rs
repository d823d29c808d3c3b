//! The assessment quality report: for a period, team by team, how many assessments started and
//! how many of them were repeats (a second within 12 months), and every quality point an
//! assessment was submitted without, with the reason recorded.

use super::MissingPointReason;
use crate::local_time::from_london;
use crate::{App, AppError};
use chrono::{Days, NaiveDate, NaiveTime};
use frontdoor_domain::assessment::QualityPoint;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::ids::TeamId;
use serde::Serialize;

/// How often one quality point was missing (with a reason) in a team.
#[derive(Debug, Clone, Serialize)]
pub struct PointCount {
    pub point: QualityPoint,
    pub label: &'static str,
    pub count: usize,
}

/// One team's part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct TeamQuality {
    pub team: Option<TeamId>,
    pub team_name: String,
    pub started: i64,
    pub repeats: i64,
    pub point_counts: Vec<PointCount>,
    pub reasons: Vec<MissingPointReason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentQualityReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub started: i64,
    pub repeats: i64,
    /// Quality points submitted without, with a reason, in the period.
    pub missing_points: usize,
    pub teams: Vec<TeamQuality>,
}

impl App {
    /// The report for the London dates `from`..=`to` (starts by start date; reasons by the
    /// day the assessment was submitted).
    pub async fn assessment_quality_report(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<AssessmentQualityReport, AppError> {
        actor.may(Action::ViewAssessmentReports)?;
        if to < from {
            return Err(AppError::invalid(
                "to",
                "The end of the period must be on or after its start.",
            ));
        }
        let starts = self
            .store
            .assessment_starts_by_team(actor.authority, from, to)
            .await?;
        let window = (
            from_london(from.and_time(NaiveTime::MIN)),
            from_london(
                to.checked_add_days(Days::new(1))
                    .unwrap_or(to)
                    .and_time(NaiveTime::MIN),
            ) - chrono::Duration::microseconds(1),
        );
        let reasons = self
            .store
            .missing_point_reasons(actor.authority, None, Some(window))
            .await?;
        // The report names each child with a missing point and the worker's reason: a read of
        // each of those children's records.
        let mut named: Vec<_> = reasons.iter().map(|r| r.person).collect();
        named.sort();
        named.dedup();
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &named,
                "assessment quality report",
                self.now(),
            )
            .await?;
        let mut teams: Vec<TeamQuality> = starts
            .into_iter()
            .map(|(team, name, started, repeats)| TeamQuality {
                team,
                team_name: name.unwrap_or_else(|| "No team".into()),
                started,
                repeats,
                point_counts: Vec::new(),
                reasons: Vec::new(),
            })
            .collect();
        for reason in reasons.iter() {
            let index = match teams.iter().position(|t| t.team == reason.team) {
                Some(i) => i,
                None => {
                    teams.push(TeamQuality {
                        team: reason.team,
                        team_name: reason.team_name.clone().unwrap_or_else(|| "No team".into()),
                        started: 0,
                        repeats: 0,
                        point_counts: Vec::new(),
                        reasons: Vec::new(),
                    });
                    teams.len() - 1
                }
            };
            teams[index].reasons.push(reason.clone());
        }
        for team in &mut teams {
            team.point_counts = QualityPoint::ALL
                .into_iter()
                .map(|point| PointCount {
                    point,
                    label: point.label(),
                    count: team.reasons.iter().filter(|r| r.point == point).count(),
                })
                .collect();
        }
        Ok(AssessmentQualityReport {
            from,
            to,
            started: teams.iter().map(|t| t.started).sum(),
            repeats: teams.iter().map(|t| t.repeats).sum(),
            missing_points: reasons.len(),
            teams,
        })
    }
}
