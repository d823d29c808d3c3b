//! The performance dashboard (issue 11): for a period and optionally one team, the timeliness
//! of decisions, assessments and initial conferences, the conversion from contact to child
//! protection plan, re-referrals, partners' answers to information requests, drift, workloads,
//! and authorised decisions by level of need and team (is the threshold applied consistently?).
//!
//! Each family of figures is one store query counted over the whole period; what each figure
//! counts is written in [`frontdoor_domain::performance`]. Drift and workloads are today's, from
//! the drift report and the workloads view. Behind each figure, the children it counts
//! ([`App::children_behind`]); and every table as CSV or xlsx ([`export`]).

mod children;
pub mod export;

pub use children::ChildBehindFigure;

use crate::local_time::{from_london, london_date};
use crate::supervision::{DriftCount, TeamDrift};
use crate::{App, AppError, TeamWorkload};
use chrono::{NaiveDate, NaiveTime};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::decision::LevelOfNeed;
use frontdoor_domain::ids::{AuthorityId, TeamId};
use frontdoor_domain::performance::{Period, PeriodError, Rate};
use frontdoor_store::performance::{AgencyResponses, Conversion, FigureScope};
use serde::Serialize;

/// A team the dashboard can be narrowed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamChoice {
    pub id: TeamId,
    pub name: String,
}

/// One agency's answers to information requests.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyFigures {
    pub agency: String,
    pub label: String,
    pub sent: i64,
    pub answered: i64,
    pub within_due: Rate,
    pub within_due_percent: Option<f64>,
    pub median_hours: Option<f64>,
}

/// Drift today: supervision actions past due or carried forward.
#[derive(Debug, Clone, Serialize)]
pub struct DriftFigures {
    /// The team the drift is of (a team manager's is always their own team's).
    pub team: Option<TeamId>,
    pub total: DriftCount,
    pub teams: Vec<TeamDrift>,
}

/// One team's authorised decisions at each level of need.
#[derive(Debug, Clone, Serialize)]
pub struct ConsistencyRow {
    pub team: Option<TeamId>,
    pub team_name: String,
    /// Decisions at each level, in the order of [`Consistency::levels`].
    pub decisions: Vec<i64>,
    pub total: i64,
}

impl ConsistencyRow {
    /// Each level's share of the team's decisions, as a percentage to one decimal place.
    pub fn shares(&self) -> Vec<Option<f64>> {
        self.decisions
            .iter()
            .map(|n| Rate::new(*n, self.total).percent())
            .collect()
    }
}

/// Decisions by threshold level and team.
#[derive(Debug, Clone, Serialize)]
pub struct Consistency {
    pub levels: Vec<LevelOfNeed>,
    pub teams: Vec<ConsistencyRow>,
    /// The whole scope's row.
    pub total: ConsistencyRow,
}

/// A rate with its percentage, for reading without arithmetic.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RateFigure {
    #[serde(flatten)]
    pub rate: Rate,
    pub percent: Option<f64>,
}

impl From<Rate> for RateFigure {
    fn from(rate: Rate) -> Self {
        RateFigure {
            rate,
            percent: rate.percent(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub period: Period,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub teams: Vec<TeamChoice>,
    pub decisions_within_one_working_day: RateFigure,
    pub conversion: Conversion,
    pub re_referrals: RateFigure,
    pub assessments_within_45_working_days: RateFigure,
    pub initial_conferences_within_15_working_days: RateFigure,
    pub information_requests: Vec<AgencyFigures>,
    pub drift: DriftFigures,
    pub workloads: Vec<TeamWorkload>,
    pub consistency: Consistency,
}

/// The period as typed (`YYYY-MM-DD`, either may be empty): the last three months by default.
pub fn period_of(from: &str, to: &str, today: NaiveDate) -> Result<Period, AppError> {
    let date = |field: &str, text: &str| -> Result<Option<NaiveDate>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(field, "Enter a real date, for example 2026-03-31."))
    };
    let (from, to) = (date("from", from)?, date("to", to)?);
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| Period::last_three_months(to).from());
    Period::new(from, to).map_err(|e| match e {
        PeriodError::EndBeforeStart => AppError::invalid("to", e.to_string()),
        PeriodError::TooLong => AppError::invalid("from", e.to_string()),
    })
}

/// The team as typed (a team id, or empty for every team).
pub fn team_of(text: &str) -> Result<Option<TeamId>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(|id| Some(TeamId(id)))
        .map_err(|_| AppError::invalid("team", "Choose a team from the list."))
}

impl App {
    /// The scope a figure is counted over, after checking the team is one of the authority's.
    pub(crate) async fn figure_scope(
        &self,
        actor: &Actor,
        period: Period,
        team: Option<TeamId>,
    ) -> Result<(FigureScope, Vec<TeamChoice>), AppError> {
        let teams: Vec<TeamChoice> = self
            .store
            .teams(actor.authority)
            .await?
            .into_iter()
            .map(|t| TeamChoice {
                id: t.id,
                name: t.name,
            })
            .collect();
        if let Some(team) = team {
            if !teams.iter().any(|t| t.id == team) {
                return Err(AppError::NotFound("That team"));
            }
        }
        Ok((self.dashboard_scope(actor.authority, period, team), teams))
    }

    /// What the dashboard's store queries count over: the period's London dates and the
    /// instants they begin and end at, the team, and now. (For benchmarks of the queries; the
    /// dashboard checks the team is the authority's first.)
    pub fn dashboard_scope(
        &self,
        authority: AuthorityId,
        period: Period,
        team: Option<TeamId>,
    ) -> FigureScope {
        FigureScope {
            authority,
            from: period.from(),
            to: period.to(),
            start: from_london(period.from().and_time(NaiveTime::MIN)),
            end: from_london(period.day_after().and_time(NaiveTime::MIN)),
            team,
            now: self.now(),
        }
    }

    /// The dashboard for `period` and `team` (or the whole authority), for team managers,
    /// senior managers and quality assurance and performance officers.
    pub async fn dashboard(
        &self,
        actor: &Actor,
        period: Period,
        team: Option<TeamId>,
    ) -> Result<Dashboard, AppError> {
        actor.may(Action::ViewPerformance)?;
        let (scope, teams) = self.figure_scope(actor, period, team).await?;
        let decisions = self.store.decision_timeliness(&scope).await?;
        let conversion = self.store.conversion(&scope).await?;
        let re_referrals = self.store.re_referrals(&scope).await?;
        let assessments = self.store.assessment_timeliness(&scope).await?;
        let conferences = self.store.conference_timeliness(&scope).await?;
        let responses = self.store.information_request_responses(&scope).await?;
        let drift = self.drift_report(actor, team).await?;
        let mut workloads = self.workloads_of(actor.authority, team).await?;
        // Each worker's caseload (and ASYE status) only for those who may see workloads; the
        // teams' totals for everyone who sees the dashboard.
        if actor.may(Action::ViewWorkloads).is_err() {
            for team in &mut workloads.teams {
                team.workers.clear();
            }
            workloads.overrides.clear();
        }
        let consistency = self.consistency(&scope).await?;
        Ok(Dashboard {
            period,
            team,
            team_name: team
                .and_then(|id| teams.iter().find(|t| t.id == id).map(|t| t.name.clone())),
            teams,
            decisions_within_one_working_day: decisions.into(),
            conversion,
            re_referrals: re_referrals.into(),
            assessments_within_45_working_days: assessments.into(),
            initial_conferences_within_15_working_days: conferences.into(),
            information_requests: responses.into_iter().map(agency_figures).collect(),
            drift: DriftFigures {
                team: drift.team,
                total: drift.total,
                teams: drift.teams,
            },
            workloads: workloads.teams,
            consistency,
        })
    }

    async fn consistency(&self, scope: &FigureScope) -> Result<Consistency, AppError> {
        let levels = self
            .store
            .authority(scope.authority)
            .await?
            .threshold_framework
            .levels;
        let counts = self.store.decisions_by_level(scope).await?;
        // Levels of an earlier framework version that the current one no longer has still
        // count: they get a column of their own.
        let mut levels = levels;
        for count in &counts {
            if !levels.iter().any(|l| i64::from(l.level) == count.level) {
                levels.push(LevelOfNeed {
                    level: u8::try_from(count.level).unwrap_or(u8::MAX),
                    name: format!("Level {}", count.level),
                    description: "A level of an earlier version of the threshold framework.".into(),
                });
            }
        }
        levels.sort_by_key(|l| l.level);
        let column = |level: i64| levels.iter().position(|l| i64::from(l.level) == level);
        let empty = |team, team_name: String| ConsistencyRow {
            team,
            team_name,
            decisions: vec![0; levels.len()],
            total: 0,
        };
        let mut total = empty(None, "All teams".to_string());
        let mut teams: Vec<ConsistencyRow> = Vec::new();
        for count in counts {
            let Some(index) = column(count.level) else {
                continue;
            };
            let row = match teams.iter().position(|t| t.team == count.team) {
                Some(i) => &mut teams[i],
                None => {
                    teams.push(empty(
                        count.team,
                        count.team_name.clone().unwrap_or_else(|| "No team".into()),
                    ));
                    let last = teams.len() - 1;
                    &mut teams[last]
                }
            };
            row.decisions[index] += count.decisions;
            row.total += count.decisions;
            total.decisions[index] += count.decisions;
            total.total += count.decisions;
        }
        Ok(Consistency {
            levels,
            teams,
            total,
        })
    }

    /// Today's London date (the default end of a period).
    pub fn today(&self) -> NaiveDate {
        london_date(self.now())
    }
}

fn agency_figures(r: AgencyResponses) -> AgencyFigures {
    let label = Agency::ALL
        .into_iter()
        .find(|a| a.code() == r.agency)
        .map_or_else(|| r.agency.clone(), |a| a.label().to_string());
    AgencyFigures {
        label,
        within_due_percent: r.within_due.percent(),
        agency: r.agency,
        sent: r.sent,
        answered: r.answered,
        within_due: r.within_due,
        median_hours: r.median_hours.map(|h| (h * 10.0).round() / 10.0),
    }
}
