//! MASH triage meetings: the meeting, its attendees and the contacts it discussed.

use crate::{on_pool, on_tx, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use frontdoor_domain::agency::Agency;
use frontdoor_domain::ids::{AuthorityId, ContactId, TeamId, TriageMeetingId, WorkerId};
use frontdoor_domain::triage::{Attendee, RagRating};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A contact as the meeting discussed it.
#[derive(Debug, Clone, Serialize)]
pub struct TriageDiscussion {
    pub contact: ContactId,
    pub contact_reference: String,
    pub rating: RagRating,
    pub next_step: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TriageMeeting {
    pub id: TriageMeetingId,
    pub held_at: DateTime<Utc>,
    /// The front-door team whose meeting it was.
    pub team: Option<TeamId>,
    pub notes: String,
    pub recorded_by: WorkerId,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
    pub attendees: Vec<Attendee>,
    pub discussed: Vec<TriageDiscussion>,
}

/// A meeting in the list: when, who recorded it, how many attended and were discussed.
#[derive(Debug, Clone, Serialize)]
pub struct TriageMeetingSummary {
    pub id: TriageMeetingId,
    pub held_at: DateTime<Utc>,
    pub recorded_by_name: String,
    pub attendees: i64,
    pub contacts: i64,
}

/// A triage discussion of one contact, seen from the contact.
#[derive(Debug, Clone, Serialize)]
pub struct ContactTriage {
    pub meeting: TriageMeetingId,
    pub held_at: DateTime<Utc>,
    pub rating: RagRating,
    pub next_step: String,
}

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} '{code}' in a triage meeting"))
}

/// Stores a meeting with its attendees and discussions (the discussions' references are not
/// stored: they are read from the contacts).
pub async fn insert_meeting(
    tx: &mut Tx,
    authority: AuthorityId,
    meeting: &TriageMeeting,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("INSERT INTO triage_meetings (id, authority_id, held_at, team_id, notes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(meeting.id.0).bind(authority.0).bind(meeting.held_at).bind(meeting.team.map(|t| t.0))
            .bind(&meeting.notes).bind(meeting.recorded_by.0).bind(meeting.recorded_at)
            .execute(&mut *conn).await?;
        for (position, attendee) in meeting.attendees.iter().enumerate() {
            sqlx::query("INSERT INTO triage_attendees (meeting_id, position, authority_id, name, agency, role) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(meeting.id.0).bind(position as i32).bind(authority.0).bind(&attendee.name)
                .bind(attendee.agency.code()).bind(&attendee.role)
                .execute(&mut *conn).await?;
        }
        for (position, discussed) in meeting.discussed.iter().enumerate() {
            sqlx::query("INSERT INTO triage_discussions (meeting_id, contact_id, authority_id, position, rating, next_step) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(meeting.id.0).bind(discussed.contact.0).bind(authority.0).bind(position as i32)
                .bind(discussed.rating.code()).bind(&discussed.next_step)
                .execute(&mut *conn).await?;
        }
    });
    Ok(())
}

impl Store {
    /// The authority's triage meetings, most recent first.
    pub async fn triage_meetings(
        &self,
        authority: AuthorityId,
        limit: i64,
    ) -> Result<Vec<TriageMeetingSummary>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT m.id, m.held_at, w.display_name,
                        (SELECT COUNT(*) FROM triage_attendees a WHERE a.meeting_id = m.id) AS attendees,
                        (SELECT COUNT(*) FROM triage_discussions d WHERE d.meeting_id = m.id) AS contacts
                 FROM triage_meetings m JOIN workers w ON w.id = m.recorded_by
                 WHERE m.authority_id = $1
                 ORDER BY m.held_at DESC LIMIT $2",
            )
            .bind(authority.0).bind(limit).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(TriageMeetingSummary {
                id: TriageMeetingId(r.try_get("id")?),
                held_at: r.try_get("held_at")?,
                recorded_by_name: r.try_get("display_name")?,
                attendees: r.try_get("attendees")?,
                contacts: r.try_get("contacts")?,
            })).collect()
        })
    }

    /// One meeting with its attendees and the contacts it discussed.
    pub async fn triage_meeting(
        &self,
        authority: AuthorityId,
        id: TriageMeetingId,
    ) -> Result<TriageMeeting, StoreError> {
        on_pool!(self, pool => {
            let meeting = sqlx::query(
                "SELECT m.held_at, m.team_id, m.notes, m.recorded_by, m.recorded_at, w.display_name
                 FROM triage_meetings m JOIN workers w ON w.id = m.recorded_by
                 WHERE m.id = $1 AND m.authority_id = $2",
            )
            .bind(id.0).bind(authority.0).fetch_optional(pool).await?
            .ok_or(StoreError::NotFound("The triage meeting"))?;
            let attendees = sqlx::query("SELECT name, agency, role FROM triage_attendees WHERE meeting_id = $1 AND authority_id = $2 ORDER BY position")
                .bind(id.0).bind(authority.0).fetch_all(pool).await?
                .iter()
                .map(|r| {
                    let agency: String = r.try_get("agency")?;
                    Ok(Attendee {
                        name: r.try_get("name")?,
                        agency: Agency::from_code(&agency).ok_or_else(|| corrupt("agency", &agency))?,
                        role: r.try_get("role")?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let discussed = sqlx::query(
                "SELECT d.contact_id, c.reference, d.rating, d.next_step
                 FROM triage_discussions d JOIN contacts c ON c.id = d.contact_id
                 WHERE d.meeting_id = $1 AND d.authority_id = $2 ORDER BY d.position",
            )
            .bind(id.0).bind(authority.0).fetch_all(pool).await?
            .iter()
            .map(|r| {
                let rating: String = r.try_get("rating")?;
                Ok(TriageDiscussion {
                    contact: ContactId(r.try_get("contact_id")?),
                    contact_reference: r.try_get("reference")?,
                    rating: RagRating::from_code(&rating).ok_or_else(|| corrupt("rating", &rating))?,
                    next_step: r.try_get("next_step")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(TriageMeeting {
                id,
                held_at: meeting.try_get("held_at")?,
                team: meeting.try_get::<Option<Uuid>, _>("team_id")?.map(TeamId),
                notes: meeting.try_get("notes")?,
                recorded_by: WorkerId(meeting.try_get("recorded_by")?),
                recorded_by_name: meeting.try_get("display_name")?,
                recorded_at: meeting.try_get("recorded_at")?,
                attendees,
                discussed,
            })
        })
    }

    /// The triage meetings that discussed a contact, earliest first.
    pub async fn triage_of_contact(
        &self,
        authority: AuthorityId,
        contact: ContactId,
    ) -> Result<Vec<ContactTriage>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT m.id, m.held_at, d.rating, d.next_step
                 FROM triage_discussions d JOIN triage_meetings m ON m.id = d.meeting_id
                 WHERE d.contact_id = $1 AND d.authority_id = $2
                 ORDER BY m.held_at",
            )
            .bind(contact.0).bind(authority.0).fetch_all(pool).await?;
            rows.iter().map(|r| {
                let rating: String = r.try_get("rating")?;
                Ok(ContactTriage {
                    meeting: TriageMeetingId(r.try_get("id")?),
                    held_at: r.try_get("held_at")?,
                    rating: RagRating::from_code(&rating).ok_or_else(|| corrupt("rating", &rating))?,
                    next_step: r.try_get("next_step")?,
                })
            }).collect()
        })
    }
}
