//! Performance figures for the dashboard: each family of figures counted by one query over the
//! whole period (never over a page of loaded rows), and the children behind each figure.
//!
//! What each figure counts, and the rule for "within" a timescale, is written down in
//! [`frontdoor_domain::performance`]; the due dates compared here were worked out by the
//! domain's timescales when the work started, and stored with it.

use crate::{on_pool, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{AuthorityId, PersonId, TeamId};
use frontdoor_domain::performance::{Figure, Rate};
use sqlx::Row;
use uuid::Uuid;

/// What a figure is counted over: the period as London dates (for dates of practice) and as
/// the instants they start and end at (for instants; `end` is the first moment after the
/// period), one team or all, and the moment of asking (for what is already past due).
#[derive(Debug, Clone, Copy)]
pub struct FigureScope {
    pub authority: AuthorityId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub team: Option<TeamId>,
    pub now: DateTime<Utc>,
}

impl FigureScope {
    fn all_teams(&self) -> bool {
        self.team.is_none()
    }
    fn team_id(&self) -> Option<Uuid> {
        self.team.map(|t| t.0)
    }
}

/// Contacts → referrals → assessments → section 47 enquiries → initial conferences → plans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Conversion {
    pub contacts: i64,
    pub referrals: i64,
    pub assessments: i64,
    pub section_47_enquiries: i64,
    pub initial_conferences: i64,
    pub protection_plans: i64,
}

/// One agency's answers to the information requests sent to it in the period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AgencyResponses {
    /// The agency's code (see [`frontdoor_domain::agency::Agency`]).
    pub agency: String,
    pub sent: i64,
    pub answered: i64,
    /// Answered by the due time, of those answered or already past due.
    pub within_due: Rate,
    /// The median time from sending to the answer, in hours, of those answered.
    pub median_hours: Option<f64>,
}

/// Authorised decisions of one team at one level of need.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LevelCount {
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub level: i64,
    pub decisions: i64,
}

/// A London calendar date, or an instant the app turns into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

/// One child behind a figure, with the record that put them there.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    /// `None` for a child on a contact not yet linked to a record.
    pub person: Option<PersonId>,
    pub given_name: String,
    pub family_name: String,
    pub la_person_id: Option<String>,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    /// The contact, referral, assessment, enquiry, conference, plan or request.
    pub record: Uuid,
    /// The contact's reference, when the record is a contact.
    pub reference: Option<String>,
    pub on: Moment,
    pub due: Option<Moment>,
    pub done: Option<Moment>,
}

fn rate(met: Option<i64>, of: i64) -> Rate {
    Rate::new(met.unwrap_or(0), of)
}

/// The columns every children-behind query selects, in this order and with these names.
#[cfg(test)]
const CHILD_COLUMNS: &str = "person_id, given_name, family_name, la_person_id, team_id, team_name, record_id, reference, on_day, on_at, due_day, due_at, done_day, done_at";

/// A date column, or else an instant column, of a row as a [`Moment`].
macro_rules! moment {
    ($row:expr, $day:expr, $at:expr) => {
        match $row.try_get::<Option<NaiveDate>, _>($day)? {
            Some(day) => Some(Moment::Day(day)),
            None => $row
                .try_get::<Option<DateTime<Utc>>, _>($at)?
                .map(Moment::At),
        }
    };
}

/// The query behind one figure's children. Binds: $1 authority, $2 start, $3 end, $4 all
/// teams, $5 the team, $6 from, $7 to, $8 now (each query uses the ones it needs, and every
/// one is bound).
fn children_sql(figure: Figure) -> Option<String> {
    let person = "LEFT JOIN people p ON p.id = x.person_id LEFT JOIN teams t ON t.id = x.team_id";
    let named = "x.person_id, p.given_name, p.family_name, p.la_person_id, x.team_id, t.name AS team_name, x.record_id, x.reference";
    // Each figure's rows as `x`: the child, the team, the record and its dates.
    let rows = match figure {
        Figure::DecisionsLate | Figure::Contacts => {
            let late = if figure == Figure::DecisionsLate {
                "AND ((c.decided_at IS NULL AND c.decision_due_at <= $8) OR c.decided_at >= c.decision_due_at)"
            } else {
                ""
            };
            // A child not yet linked to a record is named as the contact gave them.
            return Some(format!(
                "SELECT s.person_id, COALESCE(p.given_name, s.given_name) AS given_name,
                        COALESCE(p.family_name, s.family_name) AS family_name, p.la_person_id,
                        c.team_id, t.name AS team_name, c.id AS record_id, c.reference,
                        NULL AS on_day, c.received_at AS on_at, NULL AS due_day, c.decision_due_at AS due_at,
                        NULL AS done_day, c.decided_at AS done_at
                 FROM contacts c JOIN contact_subjects s ON s.contact_id = c.id AND s.is_child
                 LEFT JOIN people p ON p.id = s.person_id LEFT JOIN teams t ON t.id = c.team_id
                 WHERE c.authority_id = $1 AND c.received_at >= $2 AND c.received_at < $3
                   AND ($4 OR c.team_id = $5) {late}
                 ORDER BY c.received_at, c.reference, s.position"
            ));
        }
        Figure::Referrals | Figure::ReReferrals => {
            let re = if figure == Figure::ReReferrals {
                "AND r.is_re_referral"
            } else {
                ""
            };
            format!(
                "SELECT r.person_id, c.team_id, r.id AS record_id, c.reference,
                        r.referral_date AS on_day, NULL AS due_day, NULL AS done_day
                 FROM referrals r JOIN contacts c ON c.id = r.contact_id
                 WHERE r.authority_id = $1 AND r.referral_date >= $6 AND r.referral_date <= $7
                   AND ($4 OR c.team_id = $5) {re}"
            )
        }
        Figure::AssessmentsStarted | Figure::AssessmentsLate => {
            let (on, when) = if figure == Figure::AssessmentsLate {
                (
                    "a.completed_on",
                    "a.completed_on >= $6 AND a.completed_on <= $7 AND a.completed_on > a.due_on",
                )
            } else {
                ("a.started_on", "a.started_on >= $6 AND a.started_on <= $7")
            };
            format!(
                "SELECT a.person_id, a.team_id, a.id AS record_id, NULL AS reference,
                        {on} AS on_day, a.due_on AS due_day, a.completed_on AS done_day
                 FROM assessments a
                 WHERE a.authority_id = $1 AND {when} AND ($4 OR a.team_id = $5)"
            )
        }
        Figure::Section47Enquiries => "SELECT q.person_id, e.team_id, q.id AS record_id, NULL AS reference,
                    q.started_on AS on_day, q.icpc_due_on AS due_day, q.completed_on AS done_day
             FROM section_47_enquiries q JOIN episodes e ON e.id = q.episode_id
             WHERE q.authority_id = $1 AND q.started_on >= $6 AND q.started_on <= $7 AND ($4 OR e.team_id = $5)"
            .to_string(),
        Figure::InitialConferences | Figure::InitialConferencesLate => {
            let late = if figure == Figure::InitialConferencesLate {
                "AND k.held_on > k.due_on"
            } else {
                ""
            };
            format!(
                "SELECT k.person_id, e.team_id, k.id AS record_id, NULL AS reference,
                        k.held_on AS on_day, k.due_on AS due_day, k.held_on AS done_day
                 FROM conferences k JOIN episodes e ON e.id = k.episode_id
                 WHERE k.authority_id = $1 AND k.kind = 'initial' AND k.held_on >= $6 AND k.held_on <= $7
                   AND ($4 OR e.team_id = $5) {late}"
            )
        }
        Figure::ProtectionPlans => "SELECT pl.person_id, e.team_id, pl.id AS record_id, NULL AS reference,
                    pl.started_on AS on_day, NULL AS due_day, NULL AS done_day
             FROM protection_plans pl JOIN episodes e ON e.id = pl.episode_id
             WHERE pl.authority_id = $1 AND pl.started_on >= $6 AND pl.started_on <= $7 AND ($4 OR e.team_id = $5)"
            .to_string(),
        Figure::InformationRequestsLate => {
            return Some(format!(
                "SELECT {named}, NULL AS on_day, x.sent_at AS on_at, NULL AS due_day, x.due_at,
                        NULL AS done_day, x.answered_at AS done_at
                 FROM (SELECT i.person_id, c.team_id, i.id AS record_id, c.reference, i.sent_at, i.due_at, i.answered_at
                       FROM information_requests i JOIN contacts c ON c.id = i.contact_id
                       WHERE i.authority_id = $1 AND i.sent_at >= $2 AND i.sent_at < $3 AND i.status <> 'withdrawn'
                         AND ($4 OR c.team_id = $5)
                         AND ((i.answered_at IS NULL AND i.due_at <= $8) OR i.answered_at > i.due_at)) x
                 {person}
                 ORDER BY x.sent_at, x.record_id"
            ))
        }
        Figure::Drift => return None,
    };
    Some(format!(
        "SELECT {named}, x.on_day, NULL AS on_at, x.due_day, NULL AS due_at, x.done_day, NULL AS done_at
         FROM ({rows}) x {person}
         ORDER BY x.on_day, p.family_name, p.given_name, x.record_id"
    ))
}

impl Store {
    /// Contacts received in the period whose decision is made or already due: how many were
    /// authorised before the end of their due day (one working day).
    pub async fn decision_timeliness(&self, scope: &FigureScope) -> Result<Rate, StoreError> {
        let (met, of): (Option<i64>, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT SUM(CASE WHEN c.decided_at IS NOT NULL AND c.decided_at < c.decision_due_at THEN 1 ELSE 0 END),
                        COUNT(*)
                 FROM contacts c
                 WHERE c.authority_id = $1 AND c.received_at >= $2 AND c.received_at < $3
                   AND ($4 OR c.team_id = $5)
                   AND (c.decided_at IS NOT NULL OR c.decision_due_at <= $6)")
                .bind(scope.authority.0).bind(scope.start).bind(scope.end)
                .bind(scope.all_teams()).bind(scope.team_id()).bind(scope.now)
                .fetch_one(pool).await?
        });
        Ok(rate(met, of))
    }

    /// How many of each stage of the path of a concern started in the period.
    pub async fn conversion(&self, scope: &FigureScope) -> Result<Conversion, StoreError> {
        let row: (i64, i64, i64, i64, i64, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT
                   (SELECT COUNT(*) FROM contacts c WHERE c.authority_id = $1 AND c.received_at >= $2 AND c.received_at < $3 AND ($4 OR c.team_id = $5)),
                   (SELECT COUNT(*) FROM referrals r JOIN contacts c ON c.id = r.contact_id WHERE r.authority_id = $1 AND r.referral_date >= $6 AND r.referral_date <= $7 AND ($4 OR c.team_id = $5)),
                   (SELECT COUNT(*) FROM assessments a WHERE a.authority_id = $1 AND a.started_on >= $6 AND a.started_on <= $7 AND ($4 OR a.team_id = $5)),
                   (SELECT COUNT(*) FROM section_47_enquiries q JOIN episodes e ON e.id = q.episode_id WHERE q.authority_id = $1 AND q.started_on >= $6 AND q.started_on <= $7 AND ($4 OR e.team_id = $5)),
                   (SELECT COUNT(*) FROM conferences k JOIN episodes e ON e.id = k.episode_id WHERE k.authority_id = $1 AND k.kind = 'initial' AND k.held_on >= $6 AND k.held_on <= $7 AND ($4 OR e.team_id = $5)),
                   (SELECT COUNT(*) FROM protection_plans pl JOIN episodes e ON e.id = pl.episode_id WHERE pl.authority_id = $1 AND pl.started_on >= $6 AND pl.started_on <= $7 AND ($4 OR e.team_id = $5))")
                .bind(scope.authority.0).bind(scope.start).bind(scope.end)
                .bind(scope.all_teams()).bind(scope.team_id()).bind(scope.from).bind(scope.to)
                .fetch_one(pool).await?
        });
        Ok(Conversion {
            contacts: row.0,
            referrals: row.1,
            assessments: row.2,
            section_47_enquiries: row.3,
            initial_conferences: row.4,
            protection_plans: row.5,
        })
    }

    /// Referrals dated in the period: how many were re-referrals (a referral of the same child
    /// in the 12 months before, as recorded when the referral was made).
    pub async fn re_referrals(&self, scope: &FigureScope) -> Result<Rate, StoreError> {
        let (met, of): (Option<i64>, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT SUM(CASE WHEN r.is_re_referral THEN 1 ELSE 0 END), COUNT(*)
                 FROM referrals r JOIN contacts c ON c.id = r.contact_id
                 WHERE r.authority_id = $1 AND r.referral_date >= $2 AND r.referral_date <= $3
                   AND ($4 OR c.team_id = $5)")
                .bind(scope.authority.0).bind(scope.from).bind(scope.to)
                .bind(scope.all_teams()).bind(scope.team_id())
                .fetch_one(pool).await?
        });
        Ok(rate(met, of))
    }

    /// Assessments completed in the period: how many on or before their due date (45 working
    /// days from the referral).
    pub async fn assessment_timeliness(&self, scope: &FigureScope) -> Result<Rate, StoreError> {
        let (met, of): (Option<i64>, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT SUM(CASE WHEN a.completed_on <= a.due_on THEN 1 ELSE 0 END), COUNT(*)
                 FROM assessments a
                 WHERE a.authority_id = $1 AND a.completed_on >= $2 AND a.completed_on <= $3
                   AND ($4 OR a.team_id = $5)")
                .bind(scope.authority.0).bind(scope.from).bind(scope.to)
                .bind(scope.all_teams()).bind(scope.team_id())
                .fetch_one(pool).await?
        });
        Ok(rate(met, of))
    }

    /// Initial conferences held in the period: how many on or before their due date (15
    /// working days from the strategy discussion).
    pub async fn conference_timeliness(&self, scope: &FigureScope) -> Result<Rate, StoreError> {
        let (met, of): (Option<i64>, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT SUM(CASE WHEN k.held_on <= k.due_on THEN 1 ELSE 0 END), COUNT(*)
                 FROM conferences k JOIN episodes e ON e.id = k.episode_id
                 WHERE k.authority_id = $1 AND k.kind = 'initial' AND k.held_on >= $2 AND k.held_on <= $3
                   AND ($4 OR e.team_id = $5)")
                .bind(scope.authority.0).bind(scope.from).bind(scope.to)
                .bind(scope.all_teams()).bind(scope.team_id())
                .fetch_one(pool).await?
        });
        Ok(rate(met, of))
    }

    /// Information requests sent in the period (not withdrawn), agency by agency: how many
    /// sent and answered, answered within the due time (of those answered or already past
    /// due), and the median hours to an answer (the middle one, or the mean of the middle two).
    pub async fn information_request_responses(
        &self,
        scope: &FigureScope,
    ) -> Result<Vec<AgencyResponses>, StoreError> {
        let hours = match self.backend {
            crate::Backend::Sqlite(_) => "(julianday(i.answered_at) - julianday(i.sent_at)) * 24.0",
            crate::Backend::Postgres(_) => {
                "CAST(EXTRACT(EPOCH FROM (i.answered_at - i.sent_at)) AS DOUBLE PRECISION) / 3600.0"
            }
        };
        let sql = format!(
            "WITH sent AS (
                SELECT i.agency, i.answered_at, i.due_at, {hours} AS hours
                FROM information_requests i JOIN contacts c ON c.id = i.contact_id
                WHERE i.authority_id = $1 AND i.sent_at >= $2 AND i.sent_at < $3
                  AND i.status <> 'withdrawn' AND ($4 OR c.team_id = $5)),
             ranked AS (
                SELECT agency, hours,
                       ROW_NUMBER() OVER (PARTITION BY agency ORDER BY hours) AS n,
                       COUNT(*) OVER (PARTITION BY agency) AS answers
                FROM sent WHERE answered_at IS NOT NULL),
             medians AS (
                SELECT agency, AVG(hours) AS median_hours FROM ranked
                WHERE n = (answers + 1) / 2 OR n = (answers + 2) / 2 GROUP BY agency)
             SELECT s.agency, COUNT(*) AS sent,
                    SUM(CASE WHEN s.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS answered,
                    SUM(CASE WHEN s.answered_at IS NOT NULL AND s.answered_at <= s.due_at THEN 1 ELSE 0 END) AS within_due,
                    SUM(CASE WHEN s.answered_at IS NOT NULL OR s.due_at <= $6 THEN 1 ELSE 0 END) AS counted,
                    MAX(m.median_hours) AS median_hours
             FROM sent s LEFT JOIN medians m ON m.agency = s.agency
             GROUP BY s.agency ORDER BY s.agency"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql)
                .bind(scope.authority.0).bind(scope.start).bind(scope.end)
                .bind(scope.all_teams()).bind(scope.team_id()).bind(scope.now)
                .fetch_all(pool).await?;
            rows.iter().map(|r| Ok(AgencyResponses {
                agency: r.try_get("agency")?,
                sent: r.try_get("sent")?,
                answered: r.try_get::<Option<i64>, _>("answered")?.unwrap_or(0),
                within_due: rate(
                    r.try_get("within_due")?,
                    r.try_get::<Option<i64>, _>("counted")?.unwrap_or(0),
                ),
                median_hours: r.try_get("median_hours")?,
            })).collect()
        })
    }

    /// Decisions authorised in the period, by team (of the contact) and level of need.
    pub async fn decisions_by_level(
        &self,
        scope: &FigureScope,
    ) -> Result<Vec<LevelCount>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT c.team_id, t.name AS team_name, d.level_of_need AS level, COUNT(*) AS decisions
                 FROM threshold_decisions d JOIN contacts c ON c.id = d.contact_id
                 LEFT JOIN teams t ON t.id = c.team_id
                 WHERE d.authority_id = $1 AND d.state = 'authorised'
                   AND d.reviewed_at >= $2 AND d.reviewed_at < $3 AND ($4 OR c.team_id = $5)
                 GROUP BY c.team_id, t.name, d.level_of_need
                 ORDER BY t.name, d.level_of_need")
                .bind(scope.authority.0).bind(scope.start).bind(scope.end)
                .bind(scope.all_teams()).bind(scope.team_id())
                .fetch_all(pool).await?;
            rows.iter().map(|r| Ok(LevelCount {
                team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                team_name: r.try_get("team_name")?,
                level: i64::from(r.try_get::<i32, _>("level")?),
                decisions: r.try_get("decisions")?,
            })).collect()
        })
    }

    /// The children behind a figure of the period (every one, in date order). `None` for a
    /// figure that is not counted from a period's records (drift, which is as it is today).
    pub async fn children_behind(
        &self,
        scope: &FigureScope,
        figure: Figure,
    ) -> Result<Option<Vec<ChildRow>>, StoreError> {
        let Some(sql) = children_sql(figure) else {
            return Ok(None);
        };
        let rows = on_pool!(self, pool => {
            let rows = sqlx::query(&sql)
                .bind(scope.authority.0).bind(scope.start).bind(scope.end)
                .bind(scope.all_teams()).bind(scope.team_id())
                .bind(scope.from).bind(scope.to).bind(scope.now)
                .fetch_all(pool).await?;
            rows.iter().map(|r| -> Result<ChildRow, StoreError> {
                Ok(ChildRow {
                    person: r.try_get::<Option<Uuid>, _>("person_id")?.map(PersonId),
                    given_name: r.try_get::<Option<String>, _>("given_name")?.unwrap_or_default(),
                    family_name: r.try_get::<Option<String>, _>("family_name")?.unwrap_or_default(),
                    la_person_id: r.try_get("la_person_id")?,
                    team: r.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                    team_name: r.try_get("team_name")?,
                    record: r.try_get("record_id")?,
                    reference: r.try_get("reference")?,
                    on: moment!(r, "on_day", "on_at").ok_or_else(|| {
                        StoreError::Corrupt("a record behind a figure has no date".into())
                    })?,
                    due: moment!(r, "due_day", "due_at"),
                    done: moment!(r, "done_day", "done_at"),
                })
            }).collect::<Result<Vec<_>, _>>()?
        });
        Ok(Some(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_but_drift_has_a_query_selecting_the_same_columns() {
        for figure in Figure::ALL {
            match children_sql(figure) {
                None => assert_eq!(figure, Figure::Drift),
                Some(sql) => {
                    for column in CHILD_COLUMNS.split(", ") {
                        assert!(sql.contains(column), "{figure:?} selects {column}");
                    }
                }
            }
        }
    }
}
