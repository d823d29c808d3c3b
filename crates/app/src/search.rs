//! Person search: candidates share a blocking key with the query (an indexed lookup, so it stays
//! fast among millions); the matching model scores and explains each one. The same scoring
//! serves search, duplicate detection and batch linkage (see docs/person-matching.md).

use crate::contacts::parse_date;
use crate::error::Checks;
use crate::{App, AppError};
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::matching::{
    blocking_keys, compare, Agreement, MatchBand, MatchExplanation, MatchModel, MatchRecord,
    PersonDetails,
};
use frontdoor_domain::person::Sex;
use frontdoor_store::people::{Person, PreviousName};
use serde::{Deserialize, Serialize};

/// At most this many candidates are scored for one search.
const CANDIDATE_LIMIT: i64 = 400;
/// At most this many results are shown.
const RESULT_LIMIT: usize = 20;

/// What a worker typed into a search. Any field may be blank.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonQuery {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub postcode: String,
    pub nhs_number: String,
    pub la_person_id: String,
    pub upn: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStrength {
    Strong,
    Possible,
    Weak,
}

/// One field's part in a match: how it compared and the weight (bits) it contributed.
#[derive(Debug, Clone, Serialize)]
pub struct SearchReason {
    pub field: String,
    pub level: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub person: Person,
    pub score: f64,
    pub strength: MatchStrength,
    pub reasons: Vec<SearchReason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub results: Vec<SearchResult>,
    /// How many records shared a blocking key and were scored.
    pub candidates_considered: usize,
}

/// The matching fields of a stored person.
pub(crate) fn person_details(person: &Person, previous: &[PreviousName]) -> PersonDetails {
    PersonDetails {
        given_names: person.given_name.clone(),
        family_name: person.family_name.clone(),
        previous_family_names: previous.iter().map(|n| n.family_name.clone()).collect(),
        date_of_birth: person.birth_date,
        sex: Some(person.sex),
        postcode: person.postcode.as_ref().map(|p| p.to_string()),
        nhs_number: person.nhs_number.as_ref().map(|n| n.as_str().to_string()),
        la_person_id: Some(person.la_person_id.clone()),
        upn: person.upn.as_ref().map(|u| u.as_str().to_string()),
    }
}

/// The blocking keys stored for a person, so that search finds them among millions.
pub(crate) fn blocking_keys_for(person: &Person, previous: &[PreviousName]) -> Vec<String> {
    blocking_keys(&MatchRecord::new(&person_details(person, previous)))
}

pub(crate) fn reasons(explanation: &MatchExplanation) -> Vec<SearchReason> {
    explanation
        .fields
        .iter()
        .filter(|f| f.agreement != Agreement::Missing)
        .map(|f| SearchReason {
            field: f.field.label().to_string(),
            level: f.agreement.to_string(),
            weight: f.weight,
        })
        .collect()
}

impl App {
    pub(crate) fn match_model(&self) -> &MatchModel {
        &self.match_model
    }

    /// Searches people by any combination of fields, tolerant of typing errors, nicknames,
    /// swapped names and dates, previous names and blanks. Best match first.
    pub async fn search_people(
        &self,
        actor: &Actor,
        query: &PersonQuery,
    ) -> Result<SearchResults, AppError> {
        authorize(
            actor,
            Action::SearchPeople,
            &Resource::authority(actor.authority),
        )
        .require()?;
        let mut checks = Checks::default();
        let date_of_birth = match parse_date(&query.date_of_birth) {
            Ok(d) => d,
            Err(message) => {
                checks.add("date_of_birth", message);
                None
            }
        };
        let sex = query
            .sex
            .parse::<Sex>()
            .ok()
            .filter(|s| matches!(s, Sex::Female | Sex::Male));
        // A mistyped NHS number is still searched (one wrong digit is a partial match), but
        // one of the wrong length is refused.
        let nhs_digits: String = query
            .nhs_number
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        if !query.nhs_number.trim().is_empty() && nhs_digits.len() != 10 {
            checks.add(
                "nhs_number",
                frontdoor_domain::person::PersonValueError::NhsNumberFormat.to_string(),
            );
        }
        let blank = |s: &str| {
            if s.trim().is_empty() {
                None
            } else {
                Some(s.trim().to_string())
            }
        };
        let details = PersonDetails {
            given_names: query.given_name.trim().to_string(),
            family_name: query.family_name.trim().to_string(),
            previous_family_names: vec![],
            date_of_birth,
            sex,
            postcode: blank(&query.postcode),
            nhs_number: blank(&nhs_digits),
            la_person_id: blank(&query.la_person_id),
            upn: blank(&query.upn),
        };
        if details == PersonDetails::default()
            || (details.family_name.is_empty()
                && details.given_names.is_empty()
                && date_of_birth.is_none()
                && details.nhs_number.is_none()
                && details.la_person_id.is_none()
                && details.upn.is_none()
                && details.postcode.is_none())
        {
            checks.add(
                "family_name",
                "Enter at least a name, a date of birth, a postcode or an identifier.",
            );
        }
        checks.finish()?;
        let record = MatchRecord::new(&details);
        let mut keys = blocking_keys(&record);
        // A worker may type the LA person id or UPN into one box.
        if let Some(id) = &details.la_person_id {
            keys.push(format!("la:{}", id.to_ascii_uppercase()));
            keys.push(format!("upn:{}", id.to_ascii_uppercase()));
        }
        keys.sort();
        keys.dedup();
        let ids = self
            .store
            .people_sharing_keys(actor.authority, &keys, CANDIDATE_LIMIT)
            .await?;
        let people = self.store.people_by_ids(actor.authority, &ids).await?;
        let previous = self.store.previous_names_of(actor.authority, &ids).await?;
        let model = self.match_model();
        let mut scored: Vec<(MatchExplanation, Person)> = people
            .into_iter()
            .filter(|p| p.merged_into.is_none())
            .map(|person| {
                let names = previous.get(&person.id).map(Vec::as_slice).unwrap_or(&[]);
                let explanation = compare(
                    &record,
                    &MatchRecord::new(&person_details(&person, names)),
                    model,
                );
                (explanation, person)
            })
            .collect();
        let considered = scored.len();
        scored.sort_by(|a, b| a.0.rank_cmp(&b.0));
        let results = scored
            .into_iter()
            // Show every candidate with more evidence for than against, marked weak below the
            // "possible" band: a worker searching with few details still sees them.
            .filter(|(e, _)| e.score > 0.0 || e.nhs_number_confirmed())
            .take(RESULT_LIMIT)
            .map(|(explanation, person)| SearchResult {
                score: explanation.score,
                strength: match explanation.band(model) {
                    MatchBand::Confident => MatchStrength::Strong,
                    MatchBand::Possible => MatchStrength::Possible,
                    MatchBand::Unlikely => MatchStrength::Weak,
                },
                reasons: reasons(&explanation),
                person,
            })
            .collect();
        Ok(SearchResults {
            results,
            candidates_considered: considered,
        })
    }
}
