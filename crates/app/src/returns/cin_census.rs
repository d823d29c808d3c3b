//! The DfE Children in Need census of a collection year: read through the store in one
//! consistent read, shaped and cut to the year by the domain, and checked with the DfE's rules
//! ported to the domain, so every error and query is listed with its child before the file is
//! submitted.

use crate::{App, AppError};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::calendar::WorkingDayCalendar;
use frontdoor_domain::ids::{AuthorityId, EpisodeId, PersonId, PlanId, ReferralId};
use frontdoor_domain::person::{BirthDate, Sex};
use frontdoor_domain::returns::cin_census::{
    self as census, census_sex, disability_codes, CensusAssessment, CensusChild, CensusCinPlan,
    CensusEpisode, CensusIssue, CensusPlan, CensusSection47, CensusYear, CinCensus, IssueKind,
};
use frontdoor_store::events::NewEvent;
use frontdoor_store::returns::{ReturnAssessment, ReturnRecords};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

/// A census with what the DfE's rules found in it.
#[derive(Debug, Clone, Serialize)]
pub struct CinCensusReport {
    pub census: CinCensus,
    pub issues: Vec<CensusIssue>,
    pub produced_at: DateTime<Utc>,
}

impl CinCensusReport {
    pub fn errors(&self) -> usize {
        self.count(IssueKind::Error)
    }
    pub fn queries(&self) -> usize {
        self.count(IssueKind::Query)
    }
    fn count(&self, kind: IssueKind) -> usize {
        self.issues.iter().filter(|i| i.kind == kind).count()
    }
    pub fn children(&self) -> usize {
        self.census.children.len()
    }
    pub fn episodes(&self) -> usize {
        self.census.children.iter().map(|c| c.episodes.len()).sum()
    }
    /// The return as the DfE's XML.
    pub fn xml(&self) -> String {
        super::cin_census_xml(&self.census, self.produced_at)
    }
    /// Each child named by an issue, once.
    pub fn children_with_issues(&self) -> Vec<PersonId> {
        let mut people: Vec<PersonId> = self
            .issues
            .iter()
            .filter_map(|i| i.child.as_ref().map(|c| c.person))
            .collect();
        people.sort();
        people.dedup();
        people
    }
}

/// The authority's DfE LA number as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LaNumberInput {
    pub number: String,
}

/// The assessment as the census reports it.
///
/// An assessment as the census has it: its completion (the manager's authorisation: an
/// assessment's completion date is set when it is authorised) and the factors identified, which
/// the census carries only for a completed assessment (rule 8614).
fn assessment_for_census(assessment: &ReturnAssessment) -> CensusAssessment {
    CensusAssessment {
        started_on: assessment.started_on,
        authorised_on: assessment.completed_on,
        factors: match assessment.completed_on {
            Some(_) => assessment
                .factors
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            None => Vec::new(),
        },
    }
}

/// The children as recorded, in the census's shape (before the year's cut).
fn children_of(records: ReturnRecords) -> Vec<CensusChild> {
    let mut assessments: HashMap<ReferralId, Vec<CensusAssessment>> = HashMap::new();
    for a in &records.assessments {
        assessments
            .entry(a.referral)
            .or_default()
            .push(assessment_for_census(a));
    }
    let mut cin_plans: HashMap<EpisodeId, Vec<CensusCinPlan>> = HashMap::new();
    for p in records.cin_plans {
        cin_plans.entry(p.episode).or_default().push(CensusCinPlan {
            started_on: p.started_on,
            ended_on: p.ended_on,
        });
    }
    let mut enquiries: HashMap<EpisodeId, Vec<CensusSection47>> = HashMap::new();
    for s in records.enquiries {
        enquiries
            .entry(s.episode)
            .or_default()
            .push(CensusSection47 {
                started_on: s.started_on,
                icpc_target: Some(s.icpc_due_on),
                icpc_on: s.icpc_held_on,
                icpc_not_required: s.icpc_needed == Some(false) && s.completed_on.is_some(),
                completed_on: s.completed_on,
            });
    }
    let mut reviews: HashMap<PlanId, Vec<chrono::NaiveDate>> = HashMap::new();
    for r in records.reviews {
        reviews.entry(r.plan).or_default().push(r.held_on);
    }
    let mut plans: HashMap<EpisodeId, Vec<CensusPlan>> = HashMap::new();
    for p in records.plans {
        plans.entry(p.episode).or_default().push(CensusPlan {
            started_on: p.started_on,
            ended_on: p.ended_on,
            initial_category: p.initial_category,
            latest_category: p.latest_category,
            previous_plans: 0,
            reviews: reviews.remove(&p.id).unwrap_or_default(),
        });
    }
    let mut episodes: HashMap<PersonId, Vec<CensusEpisode>> = HashMap::new();
    for e in records.episodes {
        episodes.entry(e.person).or_default().push(CensusEpisode {
            episode: e.id,
            referral_date: e.referral_date,
            referral_source: e.source,
            primary_need: e.primary_need,
            closed_on: e.closed_on,
            closure_reason: e.closure_reason,
            referral_nfa: false,
            assessments: assessments.remove(&e.referral).unwrap_or_default(),
            cin_plans: cin_plans.remove(&e.id).unwrap_or_default(),
            section_47s: enquiries.remove(&e.id).unwrap_or_default(),
            plans: plans.remove(&e.id).unwrap_or_default(),
        });
    }
    records
        .children
        .into_iter()
        .map(|c| CensusChild {
            person: c.person,
            la_child_id: c.la_person_id,
            upn: c.upn,
            upn_unknown: None,
            birth: c.birth_date.map(|d| {
                if c.birth_date_expected {
                    BirthDate::Expected(d)
                } else {
                    BirthDate::Born(d)
                }
            }),
            sex: c
                .sex
                .parse::<Sex>()
                .map(|s| census_sex(s).to_string())
                .unwrap_or(c.sex),
            died_on: None,
            ethnicity: c.ethnicity,
            disabilities: disability_codes(&c.disabilities),
            episodes: episodes.remove(&c.person).unwrap_or_default(),
        })
        .collect()
}

impl App {
    /// Reads, cuts and checks the census of a year for an authority.
    async fn build_cin_census(
        &self,
        authority: AuthorityId,
        year: CensusYear,
    ) -> Result<CinCensusReport, AppError> {
        let produced_at = self.now();
        let records = self
            .store
            .return_records(authority, year.start(), year.reference_date())
            .await?;
        let la_number = self.store.dfe_la_number(authority).await?;
        let census = CinCensus {
            year,
            la_number,
            children: year.cut(children_of(records)),
        };
        // The DfE counts working days over England's bank holidays, not local closures.
        let issues = census::check(&census, &WorkingDayCalendar::new());
        Ok(CinCensusReport {
            census,
            issues,
            produced_at,
        })
    }

    /// The census of a collection year (typed as the year it ends, e.g. 2026) with the DfE's
    /// errors and queries; each child the list names is an access to their record, logged.
    pub async fn cin_census(&self, actor: &Actor, year: &str) -> Result<CinCensusReport, AppError> {
        actor.may(Action::ProduceStatutoryReturns)?;
        let year = CensusYear::parse(year).map_err(|e| AppError::invalid("year", e.to_string()))?;
        let report = self.build_cin_census(actor.authority, year).await?;
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &report.children_with_issues(),
                "cin_census_checks",
                report.produced_at,
            )
            .await?;
        Ok(report)
    }

    /// The census file to submit: every child in it is an access, logged, and the download is
    /// an event in the audit trail.
    pub async fn cin_census_file(
        &self,
        actor: &Actor,
        year: &str,
    ) -> Result<CinCensusReport, AppError> {
        actor.may(Action::ProduceStatutoryReturns)?;
        let year = CensusYear::parse(year).map_err(|e| AppError::invalid("year", e.to_string()))?;
        let report = self.build_cin_census(actor.authority, year).await?;
        let people: Vec<PersonId> = report.census.children.iter().map(|c| c.person).collect();
        self.store
            .log_accesses(
                actor.authority,
                actor.worker,
                &people,
                "cin_census_file",
                report.produced_at,
            )
            .await?;
        let mut tx = self.store.begin().await?;
        NewEvent::by(
            actor,
            report.produced_at,
            "cin_census_produced",
            actor.authority.0,
        )
        .with(produced_payload(&report))
        .append(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// The census for an operator at the command line (who holds the database, so no worker
    /// is named): recorded as an event in the audit trail.
    pub async fn cin_census_for_operator(
        &self,
        authority: AuthorityId,
        year: CensusYear,
    ) -> Result<CinCensusReport, AppError> {
        let report = self.build_cin_census(authority, year).await?;
        let mut tx = self.store.begin().await?;
        NewEvent::new(
            authority,
            report.produced_at,
            "cin_census_produced",
            authority.0,
        )
        .with(produced_payload(&report))
        .append(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Sets the authority's three-digit DfE LA number (an operator task at the command line).
    pub async fn set_dfe_la_number(
        &self,
        authority: AuthorityId,
        input: &LaNumberInput,
    ) -> Result<(), AppError> {
        let number = input.number.trim();
        if number.len() != 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::invalid(
                "number",
                "Enter the authority's DfE LA number as three digits, for example 938.",
            ));
        }
        let mut tx = self.store.begin().await?;
        if !frontdoor_store::returns::set_dfe_la_number(&mut tx, authority, number).await? {
            return Err(AppError::NotFound("The authority"));
        }
        NewEvent::new(authority, self.now(), "dfe_la_number_set", authority.0)
            .with(json!({ "dfe_la_number": number }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn produced_payload(report: &CinCensusReport) -> serde_json::Value {
    json!({
        "year": report.census.year.year(),
        "children": report.children(),
        "episodes": report.episodes(),
        "errors": report.errors(),
        "queries": report.queries(),
    })
}

/// Why this system's records raise a query, and what to do about it (shown beside the query).
pub fn query_explanation(code: &str) -> Option<&'static str> {
    Some(match code {
        "8897Q" => "The assessment was completed without the factors it identified: record them on the assessment (21 when none were found) before submitting.",
        "8770Q" => "No UPN is recorded for a child of school age, and this system does not record why a UPN is unknown. Add the UPN to the child's record, or give the reason (UN2 to UN7) when submitting.",
        "8670Q" => "An assessment started more than 45 working days before 31 March was still open then: check whether it was completed late or is drifting.",
        "8675Q" => "A section 47 enquiry started more than 15 working days before 31 March had no initial conference by then: check that the conference was held and recorded.",
        "8569Q" => "A referral closed with no further action appears because it closed in the year, although it was made before the year began: expected when it was closed in early April.",
        "8863Q" => "Two assessments of the child overlap in one episode: check whether one should have ended first.",
        "8525Q" => "The child's record has no date of birth (or expected date of birth): add it.",
        "8530Q" => "The expected date of birth is outside March to December of the census year: check it, or record the birth.",
        "8775Q" => "The child is over 25 according to the date of birth recorded: check it.",
        "8825Q" => "The episode was closed as after an assessment (RC8 or RC9) but has no assessment in the year: check the reason for closure.",
        "8870Q" => "The initial conference was due on a weekend: check the due date recorded.",
        "2886Q" => "More than 2% of children have no sex recorded: complete the children's records.",
        "2887Q" | "2888Q" => "About how disabilities are recorded across the authority: record every disability a child has, using several codes when several apply.",
        _ => return None,
    })
}
