//! Person search: candidates share a blocking key with the query (an indexed lookup, so it stays
//! fast among millions); the matching model scores and explains each one. The same scoring
//! serves search, duplicate detection and batch linkage (see docs/person-matching.md).

use crate::contacts::parse_date;
use crate::error::Checks;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::matching::{
    blocking_keys, compare, Agreement, MatchBand, MatchExplanation, MatchModel, MatchRecord,
    PersonDetails,
};
use frontdoor_domain::person::Sex;
use frontdoor_store::people::{Person, PreviousName, SearchCandidate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
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
        other_id: None,
        date_of_birth_read_swapped: false,
        address: None,
    }
}

/// The matching fields of a search candidate: the same as [`person_details`] gives for the
/// whole record, so search scores the record the duplicates report and linkage score.
pub(crate) fn candidate_details(candidate: &SearchCandidate) -> PersonDetails {
    PersonDetails {
        given_names: candidate.given_name.clone(),
        family_name: candidate.family_name.clone(),
        previous_family_names: candidate.previous_family_names.clone(),
        date_of_birth: candidate.birth_date,
        sex: Some(candidate.sex),
        postcode: candidate.postcode.clone(),
        nhs_number: candidate.nhs_number.clone(),
        la_person_id: Some(candidate.la_person_id.clone()),
        upn: candidate.upn.clone(),
        other_id: None,
        date_of_birth_read_swapped: false,
        address: None,
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
        actor.may(Action::SearchPeople)?;
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
            other_id: None,
            date_of_birth_read_swapped: false,
            address: None,
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
        let candidates = self
            .store
            .search_candidates(actor.authority, &keys, CANDIDATE_LIMIT)
            .await?;
        let model = self.match_model();
        let mut scored: Vec<(MatchExplanation, PersonId)> = candidates
            .iter()
            .map(|candidate| {
                let explanation = compare(
                    &record,
                    &MatchRecord::new(&candidate_details(candidate)),
                    model,
                );
                (explanation, candidate.id)
            })
            .collect();
        let considered = scored.len();
        scored.sort_by(|a, b| a.0.rank_cmp(&b.0));
        // Show every candidate with more evidence for than against, marked weak below the
        // "possible" band: a worker searching with few details still sees them.
        scored.retain(|(e, _)| e.score > 0.0 || e.nhs_number_confirmed());
        scored.truncate(RESULT_LIMIT);
        // Whole records are read only for the people shown.
        let shown: Vec<PersonId> = scored.iter().map(|(_, id)| *id).collect();
        let mut people: HashMap<PersonId, Person> = self
            .store
            .people_by_ids(actor.authority, &shown)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let results = scored
            .into_iter()
            .filter_map(|(explanation, id)| {
                Some(SearchResult {
                    score: explanation.score,
                    strength: match explanation.band(model) {
                        MatchBand::Confident => MatchStrength::Strong,
                        MatchBand::Possible => MatchStrength::Possible,
                        MatchBand::Unlikely => MatchStrength::Weak,
                    },
                    reasons: reasons(&explanation),
                    // Merged since the candidates were read: no longer offered.
                    person: people.remove(&id).filter(|p| p.merged_into.is_none())?,
                })
            })
            .collect();
        Ok(SearchResults {
            results,
            candidates_considered: considered,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewAuthority, Settings};
    use frontdoor_domain::clock::SystemClock;
    use std::sync::Arc;

    /// Search reads only the matching fields of its candidates; they must be exactly what the
    /// whole record gives, or search would score differently from the duplicates report.
    #[tokio::test]
    async fn candidates_carry_the_whole_records_matching_fields_on_every_backend() {
        for database in frontdoor_store::testing::all_backends()
            .await
            .expect("test databases")
        {
            let app = App::new(
                database.store.clone(),
                Arc::new(SystemClock),
                Settings::default(),
            );
            // An authority with the people of `rows` (CSV lines after the header).
            let authority_with = |code: &'static str, rows: &'static str| {
                let app = app.clone();
                async move {
                    let authority = app
                        .create_authority(&NewAuthority {
                            code: code.into(),
                            name: code.into(),
                            front_door_teams: vec!["MASH".into()],
                            other_teams: vec![],
                            partners: vec![],
                        })
                        .await
                        .expect("authority");
                    let csv = format!("id,given_name,family_name,previous_family_names,date_of_birth,sex,postcode,nhs_number,la_person_id,upn\n{rows}");
                    app.import_people_csv(None, authority, csv.as_bytes())
                        .await
                        .expect("import");
                    authority
                }
            };
            let authority = authority_with(
                "candidateshire",
                "1,Olivia Grace,Smith,Walker;O'Brien,2014-03-12,female,ls6 2ab,9434765919,P0000101,A123456789012\n\
                 2,Sam,Smith,,,not_known,,,P0000102,\n",
            )
            .await;
            // Another authority's child born the same day shares the date-of-birth key.
            authority_with("otherton", "1,Ava,Jones,,2014-03-12,female,,,P0000101,\n").await;
            let keys = vec![
                "dob:20140312".to_string(),
                format!("la:{}", "P0000101"),
                format!("la:{}", "P0000102"),
            ];
            let candidates = app
                .store
                .search_candidates(authority, &keys, 10)
                .await
                .expect("candidates");
            // Olivia shares two keys, Sam one; nobody from the other authority.
            let names: Vec<&str> = candidates.iter().map(|c| c.given_name.as_str()).collect();
            assert_eq!(names, ["Olivia Grace", "Sam"], "{}", database.backend());
            let ids: Vec<PersonId> = candidates.iter().map(|c| c.id).collect();
            let people = app
                .store
                .people_by_ids(authority, &ids)
                .await
                .expect("people");
            let previous = app
                .store
                .previous_names_of(authority, &ids)
                .await
                .expect("previous names");
            for candidate in &candidates {
                let person = people
                    .iter()
                    .find(|p| p.id == candidate.id)
                    .expect("the person");
                let names = previous.get(&person.id).map(Vec::as_slice).unwrap_or(&[]);
                let mut from_candidate = candidate_details(candidate);
                let mut from_record = person_details(person, names);
                from_candidate.previous_family_names.sort();
                from_record.previous_family_names.sort();
                assert_eq!(from_candidate, from_record, "{}", database.backend());
            }
            assert!(candidates
                .iter()
                .any(|c| c.previous_family_names.len() == 2));
            database.remove().await;
        }
    }
}
