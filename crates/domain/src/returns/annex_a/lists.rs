//! The seven lists built from the records as read: which rows each list has, and each row's
//! values, as at the inspection date.

use super::codes::{self, CaseStatus};
use super::{age_in_years, in_last_12_months, months_before, InspectionDate};
use crate::ids::{EpisodeId, PersonId};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// A child as recorded: the five columns every list starts with, and the disability column.
#[derive(Debug, Clone, Default)]
pub struct ChildRecord {
    pub person: PersonId,
    /// The authority's own person id: Annex A's Child Unique ID.
    pub la_person_id: String,
    pub sex: String,
    pub ethnicity: String,
    pub birth_date: Option<NaiveDate>,
    pub disabilities: String,
}

#[derive(Debug, Clone)]
pub struct ContactRecord {
    pub person: PersonId,
    pub received_on: NaiveDate,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct EarlyHelpAssessmentRecord {
    pub person: PersonId,
    pub started_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    /// The lead professional's organisation.
    pub organisation: String,
}

/// An episode of need (the referral that started it, its team and worker, its closure).
#[derive(Debug, Clone)]
pub struct EpisodeRecord {
    pub id: EpisodeId,
    pub person: PersonId,
    pub referral_date: NaiveDate,
    pub source: String,
    pub primary_need: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    pub team: String,
    pub worker: String,
}

/// A child and family assessment, with the days the child was seen on its visits.
#[derive(Debug, Clone)]
pub struct AssessmentRecord {
    pub person: PersonId,
    pub episode: Option<EpisodeId>,
    pub started_on: NaiveDate,
    pub authorised_on: Option<NaiveDate>,
    pub outcome: String,
    pub child_seen_on: Vec<NaiveDate>,
    pub team: String,
    pub worker: String,
}

/// A section 47 enquiry, with its initial conference when there was one, and the days the
/// child was seen on its visits.
#[derive(Debug, Clone)]
pub struct EnquiryRecord {
    pub person: PersonId,
    pub episode: EpisodeId,
    pub started_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub icpc_needed: Option<bool>,
    pub icpc_held_on: Option<NaiveDate>,
    pub icpc_plan: Option<bool>,
    pub child_seen_on: Vec<NaiveDate>,
}

/// A child protection plan with its visits (day, seen alone) and review conferences held.
#[derive(Debug, Clone)]
pub struct PlanRecord {
    pub person: PersonId,
    pub episode: EpisodeId,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub initial_category: String,
    pub latest_category: String,
    pub visits: Vec<(NaiveDate, bool)>,
    pub reviews: Vec<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct EmergencyActionRecord {
    pub person: PersonId,
    pub taken_on: NaiveDate,
    pub action: String,
}

/// Everything the lists are built from. Records outside the windows may be included (the
/// "in the last 12 months" counts and previous plans need the child's history); the rules
/// here decide what each list reports.
#[derive(Debug, Clone, Default)]
pub struct AnnexARecords {
    pub children: Vec<ChildRecord>,
    pub contacts: Vec<ContactRecord>,
    pub early_help_assessments: Vec<EarlyHelpAssessmentRecord>,
    pub episodes: Vec<EpisodeRecord>,
    pub assessments: Vec<AssessmentRecord>,
    pub enquiries: Vec<EnquiryRecord>,
    pub plans: Vec<PlanRecord>,
    pub emergency_actions: Vec<EmergencyActionRecord>,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnnexAValue {
    Text(String),
    Date(NaiveDate),
    Count(i64),
    Blank,
}

impl AnnexAValue {
    fn text(value: impl Into<String>) -> Self {
        AnnexAValue::Text(value.into())
    }
    fn date(value: Option<NaiveDate>) -> Self {
        value.map_or(AnnexAValue::Blank, AnnexAValue::Date)
    }
    fn code(value: Option<&str>) -> Self {
        value.map_or(AnnexAValue::Blank, AnnexAValue::text)
    }
}

/// One row: the child it is about (for the access log and links) and its values, one per
/// heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnexARow {
    pub person: PersonId,
    pub values: Vec<AnnexAValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnexAList {
    /// 1 to 7.
    pub number: usize,
    pub name: &'static str,
    pub title: &'static str,
    pub headings: Vec<&'static str>,
    pub rows: Vec<AnnexARow>,
}

/// The seven lists for an inspection date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnexA {
    pub inspection: InspectionDate,
    pub window_start: NaiveDate,
    pub lists: Vec<AnnexAList>,
}

impl AnnexA {
    /// Each child in any list, once.
    pub fn people(&self) -> Vec<PersonId> {
        self.people_in(None)
    }

    /// Each child in one list (1 to 7), or in any list when `list` is none, once.
    pub fn people_in(&self, list: Option<usize>) -> Vec<PersonId> {
        let mut people: Vec<PersonId> = self
            .lists
            .iter()
            .filter(|l| list.is_none_or(|n| l.number == n))
            .flat_map(|l| l.rows.iter().map(|r| r.person))
            .collect();
        people.sort();
        people.dedup();
        people
    }
}

struct Builder<'a> {
    children: HashMap<PersonId, &'a ChildRecord>,
    episodes: HashMap<EpisodeId, &'a EpisodeRecord>,
}

impl Builder<'_> {
    /// The child's five columns, the age on `age_on`; none when the child is not on record
    /// (a merged-away or another authority's record never reaches here).
    fn child(&self, person: PersonId, age_on: NaiveDate, disability: bool) -> Vec<AnnexAValue> {
        let Some(child) = self.children.get(&person) else {
            return Vec::new();
        };
        let mut values = vec![
            AnnexAValue::text(child.la_person_id.clone()),
            AnnexAValue::text(codes::gender(&child.sex)),
            AnnexAValue::text(codes::ethnicity(&child.ethnicity)),
            AnnexAValue::date(child.birth_date),
            child
                .birth_date
                .and_then(|b| age_in_years(b, age_on))
                .map_or(AnnexAValue::Blank, |a| AnnexAValue::Count(i64::from(a))),
        ];
        if disability {
            values.push(AnnexAValue::text(codes::disability(&child.disabilities)));
        }
        values
    }

    fn row(
        &self,
        person: PersonId,
        age_on: NaiveDate,
        disability: bool,
        own: Vec<AnnexAValue>,
    ) -> Option<AnnexARow> {
        let mut values = self.child(person, age_on, disability);
        if values.is_empty() {
            return None;
        }
        values.extend(own);
        Some(AnnexARow { person, values })
    }

    fn allocation(&self, episode: Option<EpisodeId>) -> [AnnexAValue; 2] {
        match episode.and_then(|e| self.episodes.get(&e)) {
            Some(e) => allocation(&e.team, &e.worker),
            None => [AnnexAValue::Blank, AnnexAValue::Blank],
        }
    }
}

fn allocation(team: &str, worker: &str) -> [AnnexAValue; 2] {
    let value = |s: &str| {
        if s.trim().is_empty() {
            AnnexAValue::Blank
        } else {
            AnnexAValue::text(s.trim())
        }
    };
    [value(team), value(worker)]
}

fn list(number: usize, rows: Vec<AnnexARow>) -> AnnexAList {
    AnnexAList {
        number,
        name: codes::LIST_NAMES[number - 1],
        title: codes::LIST_TITLES[number - 1],
        headings: codes::headings(number),
        rows,
    }
}

/// Builds lists 1–7 for the inspection date from the records.
pub fn build(on: InspectionDate, records: &AnnexARecords) -> AnnexA {
    let b = Builder {
        children: records.children.iter().map(|c| (c.person, c)).collect(),
        episodes: records.episodes.iter().map(|e| (e.id, e)).collect(),
    };
    let date = on.date();
    let by_person = |days: &mut HashMap<PersonId, Vec<NaiveDate>>, person, day| {
        days.entry(person).or_default().push(day);
    };

    // List 1: contacts received in the window.
    let l1: Vec<AnnexARow> = records
        .contacts
        .iter()
        .filter(|c| on.in_window(c.received_on))
        .filter_map(|c| {
            b.row(
                c.person,
                c.received_on,
                false,
                vec![
                    AnnexAValue::Date(c.received_on),
                    AnnexAValue::text(codes::source(&c.source)),
                ],
            )
        })
        .collect();

    // List 2: early help assessments open at any point of the window.
    let l2: Vec<AnnexARow> = records
        .early_help_assessments
        .iter()
        .filter(|a| on.live_in_window(a.started_on, on.as_at(a.completed_on)))
        .filter_map(|a| {
            b.row(
                a.person,
                a.started_on,
                false,
                vec![
                    AnnexAValue::Date(a.started_on),
                    AnnexAValue::date(on.as_at(a.completed_on)),
                    AnnexAValue::text(a.organisation.clone()),
                ],
            )
        })
        .collect();

    // The child's history, for the counts.
    let mut referrals: HashMap<PersonId, Vec<NaiveDate>> = HashMap::new();
    for e in &records.episodes {
        by_person(&mut referrals, e.person, e.referral_date);
    }
    let mut enquiries: HashMap<PersonId, Vec<NaiveDate>> = HashMap::new();
    let mut icpcs: HashMap<PersonId, Vec<NaiveDate>> = HashMap::new();
    let mut seen: HashMap<EpisodeId, Vec<NaiveDate>> = HashMap::new();
    for s in &records.enquiries {
        by_person(&mut enquiries, s.person, s.started_on);
        if let Some(held) = on.as_at(s.icpc_held_on) {
            by_person(&mut icpcs, s.person, held);
        }
        seen.entry(s.episode)
            .or_default()
            .extend(s.child_seen_on.iter().copied());
    }
    let mut assessed: HashMap<EpisodeId, Vec<&AssessmentRecord>> = HashMap::new();
    for a in &records.assessments {
        if let Some(episode) = a.episode {
            assessed.entry(episode).or_default().push(a);
            seen.entry(episode)
                .or_default()
                .extend(a.child_seen_on.iter().copied());
        }
    }
    let mut plans_of: HashMap<EpisodeId, Vec<&PlanRecord>> = HashMap::new();
    for p in &records.plans {
        plans_of.entry(p.episode).or_default().push(p);
        seen.entry(p.episode)
            .or_default()
            .extend(p.visits.iter().map(|(day, _)| *day));
    }
    let has_enquiry: std::collections::HashSet<EpisodeId> =
        records.enquiries.iter().map(|s| s.episode).collect();

    // List 3: referrals made in the window.
    let l3: Vec<AnnexARow> = records
        .episodes
        .iter()
        .filter(|e| on.in_window(e.referral_date))
        .filter_map(|e| {
            // No further action: closed (as at the date) with no assessment and no enquiry.
            let nfa = on.as_at(e.closed_on).is_some()
                && !assessed.contains_key(&e.id)
                && !has_enquiry.contains(&e.id);
            let count = in_last_12_months(
                referrals.get(&e.person).into_iter().flatten().copied(),
                e.referral_date,
            );
            let mut own = vec![
                AnnexAValue::Date(e.referral_date),
                AnnexAValue::text(codes::source(&e.source)),
                AnnexAValue::text(codes::yes_no(nfa)),
                AnnexAValue::Count(count),
            ];
            own.extend(allocation(&e.team, &e.worker));
            b.row(e.person, e.referral_date, false, own)
        })
        .collect();

    // List 4: assessments open at any point of the window.
    let l4: Vec<AnnexARow> = records
        .assessments
        .iter()
        .filter(|a| on.live_in_window(a.started_on, on.as_at(a.authorised_on)))
        .filter_map(|a| {
            let authorised = on.as_at(a.authorised_on);
            let child_seen = a.child_seen_on.iter().any(|d| *d <= date);
            let support = authorised.and_then(|_| codes::requires_social_care_support(&a.outcome));
            let mut own = vec![
                AnnexAValue::Date(a.started_on),
                AnnexAValue::text(codes::yes_no(child_seen)),
                AnnexAValue::date(authorised),
                AnnexAValue::code(support.map(codes::yes_no)),
            ];
            own.extend(allocation(&a.team, &a.worker));
            b.row(a.person, a.started_on, true, own)
        })
        .collect();

    // List 5: section 47 enquiries open at any point of the window (until the later of their
    // completion and their initial conference).
    let l5: Vec<AnnexARow> = records
        .enquiries
        .iter()
        .filter(|s| {
            // Open until the later of its completion and its initial conference (a conference
            // found needed but not yet held keeps it open).
            let end = match (on.as_at(s.completed_on), on.as_at(s.icpc_held_on)) {
                (Some(done), Some(held)) => Some(done.max(held)),
                (Some(_), None) if s.icpc_needed == Some(true) => None,
                (done, None) => done,
                (None, Some(_)) => None,
            };
            on.live_in_window(s.started_on, end)
        })
        .filter_map(|s| {
            let icpc = on.as_at(s.icpc_held_on);
            let decided = on.as_at(s.completed_on).is_some();
            let unnecessary = match s.icpc_needed {
                Some(needed) if decided => AnnexAValue::text(codes::yes_no(!needed)),
                _ => AnnexAValue::Blank,
            };
            let plan = match (icpc, s.icpc_plan) {
                (Some(_), Some(plan)) => AnnexAValue::text(codes::yes_no(plan)),
                _ => AnnexAValue::Blank,
            };
            let mut own = vec![
                AnnexAValue::Date(s.started_on),
                unnecessary,
                AnnexAValue::date(icpc),
                plan,
                AnnexAValue::Count(in_last_12_months(
                    enquiries.get(&s.person).into_iter().flatten().copied(),
                    s.started_on,
                )),
                AnnexAValue::Count(in_last_12_months(
                    icpcs.get(&s.person).into_iter().flatten().copied(),
                    icpc.unwrap_or(s.started_on),
                )),
            ];
            own.extend(b.allocation(Some(s.episode)));
            b.row(s.person, s.started_on, true, own)
        })
        .collect();

    // List 6: children in need, open at the date or closed in the window.
    let l6: Vec<AnnexARow> = records
        .episodes
        .iter()
        .filter(|e| on.live_in_window(e.referral_date, on.as_at(e.closed_on)))
        .filter_map(|e| {
            let closed = on.as_at(e.closed_on);
            let last_seen = seen
                .get(&e.id)
                .into_iter()
                .flatten()
                .filter(|d| **d <= date)
                .max()
                .copied();
            let on_plan = plans_of
                .get(&e.id)
                .into_iter()
                .flatten()
                .any(|p| p.started_on <= date && on.as_at(p.ended_on).is_none());
            let assessing = assessed
                .get(&e.id)
                .into_iter()
                .flatten()
                .any(|a| a.started_on <= date && on.as_at(a.authorised_on).is_none());
            let status = if closed.is_some() {
                CaseStatus::Closed
            } else if on_plan {
                CaseStatus::ChildProtectionPlan
            } else if assessing {
                CaseStatus::OpenAssessment
            } else {
                CaseStatus::ChildInNeedPlan
            };
            let mut own = vec![
                AnnexAValue::Date(e.referral_date),
                AnnexAValue::code(e.primary_need.as_deref().and_then(codes::primary_need)),
                AnnexAValue::date(last_seen),
                AnnexAValue::date(closed),
                AnnexAValue::code(
                    closed
                        .and(e.closure_reason.as_deref())
                        .and_then(codes::closure_reason),
                ),
                AnnexAValue::text(status.label()),
            ];
            own.extend(allocation(&e.team, &e.worker));
            b.row(e.person, closed.unwrap_or(date), true, own)
        })
        .collect();

    // List 7: child protection plans open at the date or ended in the window.
    let mut plan_starts: HashMap<PersonId, Vec<NaiveDate>> = HashMap::new();
    for p in &records.plans {
        by_person(&mut plan_starts, p.person, p.started_on);
    }
    let six_months_before = months_before(date, 6);
    let l7: Vec<AnnexARow> = records
        .plans
        .iter()
        .filter(|p| on.live_in_window(p.started_on, on.as_at(p.ended_on)))
        .filter_map(|p| {
            let ended = on.as_at(p.ended_on);
            let last_visit = p
                .visits
                .iter()
                .filter(|(d, _)| *d <= date)
                .max_by_key(|(d, _)| *d);
            let latest_review = p.reviews.iter().filter(|d| **d <= date).max().copied();
            let protected = records.emergency_actions.iter().any(|a| {
                a.person == p.person
                    && codes::is_protective_emergency_action(&a.action)
                    && six_months_before <= a.taken_on
                    && a.taken_on <= date
            });
            let previous = plan_starts
                .get(&p.person)
                .into_iter()
                .flatten()
                .filter(|d| **d < p.started_on)
                .count() as i64;
            let mut own = vec![
                AnnexAValue::Date(p.started_on),
                AnnexAValue::code(codes::category_of_abuse(&p.initial_category)),
                AnnexAValue::code(codes::category_of_abuse(&p.latest_category)),
                AnnexAValue::date(last_visit.map(|(d, _)| *d)),
                AnnexAValue::code(last_visit.map(|(_, alone)| codes::yes_no(*alone))),
                AnnexAValue::date(latest_review),
                AnnexAValue::date(ended),
                AnnexAValue::text(if protected { "Y" } else { "N" }),
                AnnexAValue::Count(previous),
            ];
            own.extend(b.allocation(Some(p.episode)));
            b.row(p.person, ended.unwrap_or(date), true, own)
        })
        .collect();

    let mut lists = vec![l1, l2, l3, l4, l5, l6, l7];
    for rows in &mut lists {
        rows.sort_by(row_order);
    }
    AnnexA {
        inspection: on,
        window_start: on.window_start(),
        lists: lists
            .into_iter()
            .enumerate()
            .map(|(i, rows)| list(i + 1, rows))
            .collect(),
    }
}

/// Rows in order of their first date, then the child's id: the order an inspector reads them.
fn row_order(a: &AnnexARow, b: &AnnexARow) -> std::cmp::Ordering {
    let first_date = |r: &AnnexARow| {
        r.values.iter().skip(5).find_map(|v| match v {
            AnnexAValue::Date(d) => Some(*d),
            _ => None,
        })
    };
    let id = |r: &AnnexARow| match r.values.first() {
        Some(AnnexAValue::Text(t)) => t.clone(),
        _ => String::new(),
    };
    first_date(a)
        .cmp(&first_date(b))
        .then_with(|| id(a).cmp(&id(b)))
}
