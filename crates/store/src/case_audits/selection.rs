//! The children a thematic audit may sample from: those meeting criteria over the existing
//! records, and those of a list (a dashboard figure's children) that are the authority's.

use crate::{on_pool, to_stored_instant, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::case_audit::AuditTheme;
use frontdoor_domain::ids::{AuthorityId, PersonId, TeamId};
use uuid::Uuid;

/// What a thematic selection asks for, as the store reads it: contacts received in
/// `[from, to)` (referral dates `from_date..=to_date` for re-referrals), perhaps of one team.
#[derive(Debug, Clone, Copy)]
pub struct Criteria {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub theme: Option<AuditTheme>,
    pub team: Option<TeamId>,
    /// A decision still not authorised at this instant and at or past its due time is a breach
    /// (as the dashboard counts it: within one working day means decided before the due time).
    pub now: DateTime<Utc>,
}

impl Store {
    /// The children (never merged-away records) meeting the criteria, in id order.
    pub async fn children_meeting(
        &self,
        authority: AuthorityId,
        criteria: &Criteria,
    ) -> Result<Vec<PersonId>, StoreError> {
        let team = criteria.team.map(|t| t.0);
        let ids: Vec<Uuid> = if criteria.theme == Some(AuditTheme::ReReferrals) {
            on_pool!(self, pool => {
                sqlx::query_scalar("SELECT DISTINCT r.person_id FROM referrals r JOIN people p ON p.id = r.person_id
                     JOIN contacts c ON c.id = r.contact_id
                     WHERE r.authority_id = $1 AND r.is_re_referral AND r.referral_date >= $2 AND r.referral_date <= $3
                       AND p.merged_into IS NULL AND ($4 IS NULL OR c.team_id = $4)
                     ORDER BY r.person_id")
                    .bind(authority.0).bind(criteria.from_date).bind(criteria.to_date).bind(team)
                    .fetch_all(pool).await?
            })
        } else {
            // The themes' conditions on the contact are our own constants, never user input; each
            // binds only the parameters it uses.
            let theme = match criteria.theme {
                None | Some(AuditTheme::ReReferrals) => "",
                Some(AuditTheme::DomesticAbuse) => {
                    " AND (',' || c.concern_categories || ',') LIKE '%,domestic_abuse,%'"
                }
                Some(AuditTheme::ChildSexualExploitation) => {
                    " AND ((',' || c.concern_categories || ',') LIKE '%,child_sexual_exploitation,%'
                       OR EXISTS (SELECT 1 FROM cse_screenings x WHERE x.person_id = s.person_id AND x.authority_id = c.authority_id
                                  AND x.screened_on >= $5 AND x.screened_on <= $6))"
                }
                Some(AuditTheme::DecisionsNotAuthorisedInOneWorkingDay) => {
                    " AND ((c.decided_at IS NULL AND c.decision_due_at <= $5) OR c.decided_at >= c.decision_due_at)"
                }
            };
            let sql = format!(
                "SELECT DISTINCT s.person_id FROM contacts c JOIN contact_subjects s ON s.contact_id = c.id
                 JOIN people p ON p.id = s.person_id
                 WHERE c.authority_id = $1 AND c.received_at >= $2 AND c.received_at < $3 AND s.is_child
                   AND p.merged_into IS NULL AND ($4 IS NULL OR c.team_id = $4)
                   {theme}
                 ORDER BY s.person_id"
            );
            on_pool!(self, pool => {
                let mut query = sqlx::query_scalar(&sql)
                    .bind(authority.0).bind(to_stored_instant(criteria.from)).bind(to_stored_instant(criteria.to))
                    .bind(team);
                match criteria.theme {
                    Some(AuditTheme::ChildSexualExploitation) => {
                        query = query.bind(criteria.from_date).bind(criteria.to_date);
                    }
                    Some(AuditTheme::DecisionsNotAuthorisedInOneWorkingDay) => {
                        query = query.bind(to_stored_instant(criteria.now));
                    }
                    _ => {}
                }
                query.fetch_all(pool).await?
            })
        };
        Ok(ids.into_iter().map(PersonId).collect())
    }

    /// Of `people`, those that are the authority's records (never merged away), in id order.
    pub async fn authority_children(
        &self,
        authority: AuthorityId,
        people: &[PersonId],
    ) -> Result<Vec<PersonId>, StoreError> {
        let mut found = Vec::new();
        // In chunks, so no statement carries more parameters than a backend allows.
        for chunk in people.chunks(500) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT id FROM people WHERE authority_id = $1 AND merged_into IS NULL AND id IN ({}) ORDER BY id",
                placeholders.join(", ")
            );
            let ids: Vec<Uuid> = on_pool!(self, pool => {
                let mut query = sqlx::query_scalar(&sql).bind(authority.0);
                for person in chunk {
                    query = query.bind(person.0);
                }
                query.fetch_all(pool).await?
            });
            found.extend(ids.into_iter().map(PersonId));
        }
        found.sort();
        found.dedup();
        Ok(found)
    }
}
