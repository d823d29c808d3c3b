//! What Ofsted's Annex A reads: the records of the children the lists may name, as stored
//! (codes as text), in one read-only transaction so the lists are the database as of one
//! instant. The domain decides what each list reports (`frontdoor_domain::returns::annex_a`).

use crate::{on_tx, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, PlanId};
use frontdoor_domain::returns::annex_a::{
    AnnexARecords, AssessmentRecord, ChildRecord, EarlyHelpAssessmentRecord, EnquiryRecord,
    EpisodeRecord, PlanRecord,
};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// The period read: the inspection date and the six-month window before it, with the window's
/// first and last instants (the London days' bounds, worked out by the caller).
#[derive(Debug, Clone, Copy)]
pub struct AnnexAPeriod {
    pub date: NaiveDate,
    pub window_start: NaiveDate,
    /// The first instant of the window's first day.
    pub from: DateTime<Utc>,
    /// The first instant after the inspection date.
    pub to: DateTime<Utc>,
}

/// A contact about a child, as received.
#[derive(Debug, Clone)]
pub struct AnnexAContact {
    pub person: PersonId,
    pub received_at: DateTime<Utc>,
    pub source: String,
}

/// An instant-stamped record the caller dates in London: a section 47 visit (the index of its
/// enquiry in `records.enquiries`, whether the child was seen) or an emergency action.
#[derive(Debug, Clone)]
pub struct AnnexAEnquiryVisit {
    pub enquiry: usize,
    pub visited_at: DateTime<Utc>,
    pub child_seen: bool,
}

#[derive(Debug, Clone)]
pub struct AnnexAEmergencyAction {
    pub person: PersonId,
    pub taken_at: DateTime<Utc>,
    pub action: String,
}

/// The records read. `records` is complete but for what needs a London date (contacts,
/// section 47 visits' days, emergency actions), which comes alongside as instants.
#[derive(Debug, Clone, Default)]
pub struct AnnexARead {
    pub records: AnnexARecords,
    pub contacts: Vec<AnnexAContact>,
    pub enquiry_visits: Vec<AnnexAEnquiryVisit>,
    pub emergency_actions: Vec<AnnexAEmergencyAction>,
}

/// Children with an episode open at any point of the window: their history (all episodes,
/// assessments, enquiries and plans) is read, for the lists 3–7 and their counts.
const EPISODE_PEOPLE: &str = "SELECT person_id FROM episodes WHERE authority_id = :authority AND referral_date <= :date AND (closed_on IS NULL OR closed_on >= :start)";

/// Children named on a contact received in the window.
const CONTACT_PEOPLE: &str = "SELECT cs.person_id FROM contact_subjects cs JOIN contacts c ON c.id = cs.contact_id WHERE c.authority_id = :authority AND c.received_at >= :from AND c.received_at < :to AND cs.person_id IS NOT NULL";

/// Early help assessments started by the date and not completed before the window.
const EARLY_HELP_LIVE: &str = "a.authority_id = :authority AND a.started_on IS NOT NULL AND a.started_on <= :date AND (a.completed_on IS NULL OR a.completed_on >= :start)";

/// Replaces the named parameters (`:authority`, `:date`, ...) with `$1, $2, ...` in the order
/// given, so each query binds exactly the parameters it uses, in that order (PostgreSQL
/// refuses a parameter it cannot see).
fn numbered(sql: &str, names: &[&str]) -> String {
    let mut out = sql.to_string();
    for (index, name) in names.iter().enumerate() {
        out = out.replace(&format!(":{name}"), &format!("${}", index + 1));
    }
    out
}

/// An optional text column (a team or worker not allocated, an outcome not recorded) as text.
fn text_or_empty<R: Row>(row: &R, column: &str) -> Result<String, sqlx::Error>
where
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    Option<String>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(row
        .try_get::<Option<String>, _>(column)?
        .unwrap_or_default())
}

impl Store {
    /// The records Annex A for `period` is built from.
    pub async fn annex_a_records(
        &self,
        authority: AuthorityId,
        period: AnnexAPeriod,
    ) -> Result<AnnexARead, StoreError> {
        let children_sql = numbered(
            &format!(
                "SELECT id, la_person_id, sex, ethnicity, birth_date, disabilities FROM people
                 WHERE authority_id = :authority AND merged_into IS NULL
                   AND (id IN ({EPISODE_PEOPLE}) OR id IN ({CONTACT_PEOPLE})
                        OR id IN (SELECT e.person_id FROM early_help_assessments a JOIN early_help_episodes e ON e.id = a.early_help_episode_id WHERE {EARLY_HELP_LIVE}))"
            ),
            &["authority", "date", "start", "from", "to"],
        );
        let contacts_sql = numbered(
            "SELECT cs.person_id, cs.is_child, c.received_at, c.source FROM contact_subjects cs
             JOIN contacts c ON c.id = cs.contact_id
             WHERE c.authority_id = :authority AND c.received_at >= :from AND c.received_at < :to AND cs.person_id IS NOT NULL",
            &["authority", "from", "to"],
        );
        let early_help_sql = numbered(
            &format!(
                "SELECT e.person_id, a.started_on, a.completed_on, o.name AS organisation
                 FROM early_help_assessments a
                 JOIN early_help_episodes e ON e.id = a.early_help_episode_id
                 JOIN organisations o ON o.id = a.lead_organisation_id
                 WHERE {EARLY_HELP_LIVE}"
            ),
            &["authority", "date", "start"],
        );
        let episodes_sql = numbered(
            &format!(
                "SELECT e.id, e.person_id, e.referral_date, e.source, e.primary_need, e.closed_on, e.closure_reason,
                        t.name AS team, w.display_name AS worker
                 FROM episodes e LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN workers w ON w.id = e.worker_id
                 WHERE e.authority_id = :authority AND e.person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "date", "start"],
        );
        let assessments_sql = numbered(
            &format!(
                "SELECT a.id, a.person_id, a.episode_id, a.started_on, a.completed_on, a.outcome,
                        t.name AS team, w.display_name AS worker
                 FROM assessments a LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN workers w ON w.id = a.worker_id
                 WHERE a.authority_id = :authority AND a.person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "date", "start"],
        );
        let assessment_visits_sql = numbered(
            &format!(
                "SELECT v.assessment_id, v.visited_on FROM assessment_visits v
                 JOIN assessments a ON a.id = v.assessment_id
                 WHERE v.authority_id = :authority AND v.child_seen = :yes AND a.person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "yes", "date", "start"],
        );
        let enquiries_sql = numbered(
            &format!(
                "SELECT s.id, s.person_id, s.episode_id, s.started_on, s.completed_on, s.icpc_needed,
                        c.held_on AS icpc_held_on, c.plan_outcome AS icpc_plan
                 FROM section_47_enquiries s
                 LEFT JOIN conferences c ON c.enquiry_id = s.id AND c.kind = 'initial'
                 WHERE s.authority_id = :authority AND s.person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "date", "start"],
        );
        let enquiry_visits_sql = numbered(
            &format!(
                "SELECT v.enquiry_id, v.visited_at, v.child_seen FROM section_47_visits v
                 JOIN section_47_enquiries s ON s.id = v.enquiry_id
                 WHERE v.authority_id = :authority AND s.person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "date", "start"],
        );
        let plans_sql = numbered(
            &format!(
                "SELECT id, person_id, episode_id, started_on, ended_on, initial_category, latest_category
                 FROM protection_plans WHERE authority_id = :authority AND person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "date", "start"],
        );
        let plan_visits_sql = numbered(
            &format!(
                "SELECT v.plan_id, v.visited_on, v.seen_alone FROM plan_visits v
                 JOIN protection_plans p ON p.id = v.plan_id
                 WHERE v.authority_id = :authority AND p.person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "date", "start"],
        );
        let reviews_sql = numbered(
            &format!(
                "SELECT plan_id, held_on FROM conferences
                 WHERE authority_id = :authority AND kind = 'review' AND held_on IS NOT NULL AND plan_id IS NOT NULL
                   AND person_id IN ({EPISODE_PEOPLE})"
            ),
            &["authority", "date", "start"],
        );
        let emergency_sql = numbered(
            "SELECT person_id, action, taken_at FROM emergency_actions
             WHERE authority_id = :authority AND person_id IS NOT NULL AND taken_at >= :from AND taken_at < :to",
            &["authority", "from", "to"],
        );

        let mut tx = self.begin_read().await?;
        let (a, date, start, from, to) = (
            authority.0,
            period.date,
            period.window_start,
            period.from,
            period.to,
        );
        let read = on_tx!(&mut tx, conn => {
            let mut read = AnnexARead::default();
            for r in sqlx::query(&children_sql).bind(a).bind(date).bind(start).bind(from).bind(to).fetch_all(&mut *conn).await? {
                read.records.children.push(ChildRecord {
                    person: PersonId(r.try_get("id")?),
                    la_person_id: r.try_get("la_person_id")?,
                    sex: r.try_get("sex")?,
                    ethnicity: r.try_get("ethnicity")?,
                    birth_date: r.try_get("birth_date")?,
                    disabilities: r.try_get("disabilities")?,
                });
            }
            for r in sqlx::query(&contacts_sql).bind(a).bind(from).bind(to).fetch_all(&mut *conn).await? {
                if r.try_get::<bool, _>("is_child")? {
                    read.contacts.push(AnnexAContact {
                        person: PersonId(r.try_get("person_id")?),
                        received_at: r.try_get("received_at")?,
                        source: r.try_get("source")?,
                    });
                }
            }
            for r in sqlx::query(&early_help_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                read.records.early_help_assessments.push(EarlyHelpAssessmentRecord {
                    person: PersonId(r.try_get("person_id")?),
                    started_on: r.try_get("started_on")?,
                    completed_on: r.try_get("completed_on")?,
                    organisation: r.try_get("organisation")?,
                });
            }
            for r in sqlx::query(&episodes_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                read.records.episodes.push(EpisodeRecord {
                    id: EpisodeId(r.try_get("id")?),
                    person: PersonId(r.try_get("person_id")?),
                    referral_date: r.try_get("referral_date")?,
                    source: r.try_get("source")?,
                    primary_need: r.try_get("primary_need")?,
                    closed_on: r.try_get("closed_on")?,
                    closure_reason: r.try_get("closure_reason")?,
                    team: text_or_empty(&r, "team")?,
                    worker: text_or_empty(&r, "worker")?,
                });
            }
            let mut assessment_index: HashMap<Uuid, usize> = HashMap::new();
            for r in sqlx::query(&assessments_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                assessment_index.insert(r.try_get("id")?, read.records.assessments.len());
                read.records.assessments.push(AssessmentRecord {
                    person: PersonId(r.try_get("person_id")?),
                    episode: r.try_get::<Option<Uuid>, _>("episode_id")?.map(EpisodeId),
                    started_on: r.try_get("started_on")?,
                    authorised_on: r.try_get("completed_on")?,
                    outcome: text_or_empty(&r, "outcome")?,
                    child_seen_on: Vec::new(),
                    team: text_or_empty(&r, "team")?,
                    worker: text_or_empty(&r, "worker")?,
                });
            }
            for r in sqlx::query(&assessment_visits_sql).bind(a).bind(true).bind(date).bind(start).fetch_all(&mut *conn).await? {
                let id: Uuid = r.try_get("assessment_id")?;
                if let Some(&i) = assessment_index.get(&id) {
                    read.records.assessments[i].child_seen_on.push(r.try_get("visited_on")?);
                }
            }
            let mut enquiry_index: HashMap<Uuid, usize> = HashMap::new();
            for r in sqlx::query(&enquiries_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                enquiry_index.insert(r.try_get("id")?, read.records.enquiries.len());
                read.records.enquiries.push(EnquiryRecord {
                    person: PersonId(r.try_get("person_id")?),
                    episode: EpisodeId(r.try_get("episode_id")?),
                    started_on: r.try_get("started_on")?,
                    completed_on: r.try_get("completed_on")?,
                    icpc_needed: r.try_get("icpc_needed")?,
                    icpc_held_on: r.try_get("icpc_held_on")?,
                    icpc_plan: r.try_get("icpc_plan")?,
                    child_seen_on: Vec::new(),
                });
            }
            for r in sqlx::query(&enquiry_visits_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                let id: Uuid = r.try_get("enquiry_id")?;
                if let Some(&enquiry) = enquiry_index.get(&id) {
                    read.enquiry_visits.push(AnnexAEnquiryVisit {
                        enquiry,
                        visited_at: r.try_get("visited_at")?,
                        child_seen: r.try_get("child_seen")?,
                    });
                }
            }
            let mut plan_index: HashMap<PlanId, usize> = HashMap::new();
            for r in sqlx::query(&plans_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                plan_index.insert(PlanId(r.try_get("id")?), read.records.plans.len());
                read.records.plans.push(PlanRecord {
                    person: PersonId(r.try_get("person_id")?),
                    episode: EpisodeId(r.try_get("episode_id")?),
                    started_on: r.try_get("started_on")?,
                    ended_on: r.try_get("ended_on")?,
                    initial_category: r.try_get("initial_category")?,
                    latest_category: r.try_get("latest_category")?,
                    visits: Vec::new(),
                    reviews: Vec::new(),
                });
            }
            for r in sqlx::query(&plan_visits_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                if let Some(&i) = plan_index.get(&PlanId(r.try_get("plan_id")?)) {
                    read.records.plans[i].visits.push((r.try_get("visited_on")?, r.try_get("seen_alone")?));
                }
            }
            for r in sqlx::query(&reviews_sql).bind(a).bind(date).bind(start).fetch_all(&mut *conn).await? {
                if let Some(&i) = plan_index.get(&PlanId(r.try_get("plan_id")?)) {
                    read.records.plans[i].reviews.push(r.try_get("held_on")?);
                }
            }
            for r in sqlx::query(&emergency_sql).bind(a).bind(from).bind(to).fetch_all(&mut *conn).await? {
                read.emergency_actions.push(AnnexAEmergencyAction {
                    person: PersonId(r.try_get("person_id")?),
                    taken_at: r.try_get("taken_at")?,
                    action: r.try_get("action")?,
                });
            }
            read
        });
        tx.commit().await?;
        Ok(read)
    }
}
