//! The family network on a child's record: the relationships among a set of people, and each
//! person's open involvement with the service (contacts not yet decided, open episodes with
//! their worker, an enquiry or a child protection plan in progress).
//!
//! Both queries take a list of people and bind it as an `IN` list (see
//! [`Store::placeholder`]); the authority is checked on each row, as `people_by_ids` does.

use crate::{on_pool, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::family_network::Link;
use frontdoor_domain::ids::{AuthorityId, ContactId, EpisodeId, PersonId};
use frontdoor_domain::person::Relationship;
use sqlx::Row;
use uuid::Uuid;

/// A contact about the person that is not yet decided.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenContact {
    pub person: PersonId,
    pub contact: ContactId,
    pub reference: String,
    pub received_at: DateTime<Utc>,
}

/// An open episode of need, with who holds it and what is in progress on it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenEpisode {
    pub person: PersonId,
    pub episode: EpisodeId,
    pub referral_date: NaiveDate,
    pub team_name: Option<String>,
    pub worker_name: Option<String>,
    pub assessment_open: bool,
    pub enquiry_open: bool,
    /// The latest category of an open child protection plan (NEG, PHY, SAB, EMO, MUL).
    pub plan_category: Option<String>,
}

fn in_list(store: &Store, from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| store.placeholder(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most this many people are asked about in one statement.
const CHUNK: usize = 400;

impl Store {
    /// Every relationship with at least one end among `people`.
    pub async fn relationships_touching(
        &self,
        authority: AuthorityId,
        people: &[PersonId],
    ) -> Result<Vec<Link>, StoreError> {
        let mut links = Vec::new();
        for chunk in people.chunks(CHUNK) {
            let sql = format!(
                "SELECT authority_id, person_id, related_person_id, relationship FROM relationships
                 WHERE person_id IN ({}) OR related_person_id IN ({})",
                in_list(self, 1, chunk.len()),
                in_list(self, chunk.len() + 1, chunk.len()),
            );
            let rows: Vec<(Uuid, Uuid, Uuid, String)> = on_pool!(self, pool => {
                let mut query = sqlx::query(&sql);
                for id in chunk.iter().chain(chunk) {
                    query = query.bind(id.0);
                }
                query.fetch_all(pool).await?.iter().map(|r| Ok((
                    r.try_get("authority_id")?, r.try_get("person_id")?,
                    r.try_get("related_person_id")?, r.try_get("relationship")?,
                ))).collect::<Result<Vec<_>, StoreError>>()?
            });
            for (row_authority, from, to, code) in rows {
                if row_authority != authority.0 {
                    continue;
                }
                let relationship = Relationship::from_code(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("relationship {code}")))?;
                let link = Link {
                    from: PersonId(from),
                    to: PersonId(to),
                    relationship,
                };
                if !links.contains(&link) {
                    links.push(link);
                }
            }
        }
        Ok(links)
    }

    /// The undecided contacts about any of `people`, oldest first.
    pub async fn open_contacts_of(
        &self,
        authority: AuthorityId,
        people: &[PersonId],
    ) -> Result<Vec<OpenContact>, StoreError> {
        let mut open = Vec::new();
        for chunk in people.chunks(CHUNK) {
            let sql = format!(
                "SELECT c.authority_id, s.person_id, c.id, c.reference, c.received_at
                 FROM contact_subjects s JOIN contacts c ON c.id = s.contact_id
                 WHERE s.person_id IN ({}) AND c.status <> 'decided'
                 ORDER BY c.received_at",
                in_list(self, 1, chunk.len()),
            );
            on_pool!(self, pool => {
                let mut query = sqlx::query(&sql);
                for id in chunk {
                    query = query.bind(id.0);
                }
                for r in query.fetch_all(pool).await?.iter() {
                    let row_authority: Uuid = r.try_get("authority_id")?;
                    if row_authority == authority.0 {
                        open.push(OpenContact {
                            person: PersonId(r.try_get("person_id")?),
                            contact: ContactId(r.try_get("id")?),
                            reference: r.try_get("reference")?,
                            received_at: r.try_get("received_at")?,
                        });
                    }
                }
            });
        }
        Ok(open)
    }

    /// The open episodes of any of `people`, with their team, worker and the work in progress.
    pub async fn open_episodes_of(
        &self,
        authority: AuthorityId,
        people: &[PersonId],
    ) -> Result<Vec<OpenEpisode>, StoreError> {
        let mut open = Vec::new();
        for chunk in people.chunks(CHUNK) {
            let sql = format!(
                "SELECT e.authority_id, e.person_id, e.id, e.referral_date, t.name AS team_name, w.display_name AS worker_name,
                   EXISTS (SELECT 1 FROM assessments a WHERE a.referral_id = e.referral_id AND a.completed_on IS NULL) AS assessment_open,
                   EXISTS (SELECT 1 FROM section_47_enquiries s WHERE s.episode_id = e.id AND s.state = 'open') AS enquiry_open,
                   (SELECT p.latest_category FROM protection_plans p WHERE p.episode_id = e.id AND p.ended_on IS NULL ORDER BY p.started_on DESC LIMIT 1) AS plan_category
                 FROM episodes e LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN workers w ON w.id = e.worker_id
                 WHERE e.person_id IN ({}) AND e.closed_on IS NULL
                 ORDER BY e.referral_date",
                in_list(self, 1, chunk.len()),
            );
            on_pool!(self, pool => {
                let mut query = sqlx::query(&sql);
                for id in chunk {
                    query = query.bind(id.0);
                }
                for r in query.fetch_all(pool).await?.iter() {
                    let row_authority: Uuid = r.try_get("authority_id")?;
                    if row_authority == authority.0 {
                        open.push(OpenEpisode {
                            person: PersonId(r.try_get("person_id")?),
                            episode: EpisodeId(r.try_get("id")?),
                            referral_date: r.try_get("referral_date")?,
                            team_name: r.try_get("team_name")?,
                            worker_name: r.try_get("worker_name")?,
                            assessment_open: r.try_get("assessment_open")?,
                            enquiry_open: r.try_get("enquiry_open")?,
                            plan_category: r.try_get("plan_category")?,
                        });
                    }
                }
            });
        }
        Ok(open)
    }
}
