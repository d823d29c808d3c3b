//! The likely-duplicates report as a stored, incremental job (decision 0026): a refresh
//! (`frontdoor duplicates refresh`, and after a load) rescores only the people that events
//! since its last run concern, with the model calibrated on the last full run, and stores the
//! pairs; the page reads them and says when they were computed. A lease row claimed with
//! compare-and-set keeps two refreshes of one authority from running at once.

use crate::duplicates::{DuplicatePair, DuplicateScoring};
use crate::linkage::pairs_within_touching;
use crate::search::candidate_details;
use crate::{App, AppError, SearchReason};
use chrono::{DateTime, Utc};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::ids::{AuthorityId, PersonId};
use frontdoor_domain::matching::{
    compare_within_one_system, MatchModel, MatchRecord, ModelParameters,
};
use frontdoor_store::duplicates::{self as duplicates_store, DuplicatesRun, StoredPair};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a refresh may hold the job before another may take it over (a refresh that
/// crashed gives it back this way).
const LEASE: chrono::Duration = chrono::Duration::minutes(30);

/// What a refresh did.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicatesRefresh {
    /// Every pair was recomputed (first run, `--full`, or no stored model).
    pub full: bool,
    /// People compared against the rest (all of them on a full run).
    pub people_rescored: usize,
    /// Unmerged people of the authority.
    pub people: usize,
    /// Pairs found for the rescored people and stored.
    pub pairs_stored: usize,
    pub computed_at: DateTime<Utc>,
    pub elapsed: Duration,
}

/// The stored report as the page shows it.
#[derive(Debug, Clone)]
pub struct StoredDuplicates {
    /// When the pairs were computed (`None`: never; run a refresh).
    pub computed_at: Option<DateTime<Utc>>,
    /// People compared then.
    pub people: i64,
    pub pairs: Vec<DuplicatePair>,
}

impl App {
    /// Refreshes the stored likely-duplicates report of an authority: an operator task (CLI,
    /// after a load). Rescores the people changed since the last run, or everyone when `full`
    /// or never run. Refused while another refresh of the authority holds the job.
    pub async fn refresh_duplicates(
        &self,
        authority: AuthorityId,
        full: bool,
    ) -> Result<DuplicatesRefresh, AppError> {
        let started = Instant::now();
        let token = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let claimed =
            duplicates_store::claim_lease(&mut tx, authority, token, now, now + LEASE).await?;
        tx.commit().await?;
        if !claimed {
            let run = self.store.duplicates_run(authority).await?;
            let until = run
                .lease_until
                .map(|u| {
                    crate::local_time::london(u)
                        .format("%H:%M on %-d %B %Y")
                        .to_string()
                })
                .unwrap_or_else(|| "shortly".into());
            return Err(AppError::Conflict(format!(
                "Another refresh of the likely duplicates is running: wait for it to finish (it gives the job up by {until} at the latest), then run this again if you still need to."
            )));
        }
        let result = self.refresh_claimed(authority, token, full, now).await;
        if result.is_err() {
            // Give the job back so the next refresh need not wait for the lease to run out.
            if let Ok(mut tx) = self.store.begin().await {
                if duplicates_store::release_lease(&mut tx, authority, token)
                    .await
                    .is_ok()
                {
                    let _ = tx.commit().await;
                }
            }
        }
        result.map(|mut refresh| {
            refresh.elapsed = started.elapsed();
            refresh
        })
    }

    async fn refresh_claimed(
        &self,
        authority: AuthorityId,
        token: Uuid,
        full: bool,
        now: DateTime<Utc>,
    ) -> Result<DuplicatesRefresh, AppError> {
        let previous = self.store.duplicates_run(authority).await?;
        // Read the watermark before the people, so a change made meanwhile is rescored next time.
        let watermark = self.store.last_event_sequence().await?;
        let stored_model = previous
            .parameters
            .as_deref()
            .and_then(|json| serde_json::from_str::<ModelParameters>(json).ok())
            .and_then(|parameters| MatchModel::new(parameters).ok())
            .zip(previous.confident_from);
        let incremental = match (full, previous.watermark, stored_model) {
            (false, Some(since), Some((model, confident_from))) => {
                Some((since, model, confident_from))
            }
            _ => None,
        };
        let rescored: Option<Vec<PersonId>> = match &incremental {
            Some((since, _, _)) => {
                Some(self.store.people_concerned_since(authority, *since).await?)
            }
            None => None,
        };
        let candidates = if rescored.as_ref().is_some_and(Vec::is_empty) {
            Vec::new()
        } else {
            self.store.matching_fields_of_all(authority).await?
        };
        let people = if candidates.is_empty() {
            previous.people as usize
        } else {
            candidates.len()
        };
        let built_in = self.match_model.clone();
        let changed: Option<HashSet<PersonId>> =
            rescored.as_ref().map(|ids| ids.iter().copied().collect());
        let (scoring, pairs) = tokio::task::spawn_blocking(move || {
            let records: Vec<MatchRecord> = candidates
                .iter()
                .map(|c| MatchRecord::new(&candidate_details(c)))
                .collect();
            let scoring = match incremental {
                Some((_, model, confident_from)) => DuplicateScoring {
                    keep_from: model.parameters().thresholds.possible.min(confident_from),
                    model,
                    confident_from,
                },
                None => DuplicateScoring::calibrated(&records, &built_in),
            };
            let touching: Option<Vec<bool>> = changed
                .as_ref()
                .map(|changed| candidates.iter().map(|c| changed.contains(&c.id)).collect());
            let found = pairs_within_touching(
                &records,
                &scoring.model,
                scoring.keep_from,
                touching.as_deref(),
            );
            let pairs: Vec<StoredPair> = found
                .into_iter()
                .filter_map(|(a, b, _)| {
                    let (record_a, record_b) = (records.get(a as usize)?, records.get(b as usize)?);
                    let explanation = compare_within_one_system(record_a, record_b, &scoring.model);
                    let reasons: Vec<SearchReason> = crate::search::reasons(&explanation);
                    Some(StoredPair {
                        first: candidates.get(a as usize)?.id,
                        second: candidates.get(b as usize)?.id,
                        score: explanation.score,
                        confident: explanation.score >= scoring.confident_from,
                        reasons: serde_json::to_string(&reasons).ok()?,
                    })
                })
                .collect();
            (scoring, pairs)
        })
        .await
        .map_err(|stopped| {
            if stopped.is_panic() {
                std::panic::resume_unwind(stopped.into_panic())
            }
            AppError::Conflict("The server is shutting down: try again in a minute.".into())
        })?;
        let run = DuplicatesRun {
            watermark: Some(watermark),
            computed_at: Some(now),
            people: people as i64,
            parameters: serde_json::to_string(scoring.model.parameters()).ok(),
            confident_from: Some(scoring.confident_from),
            lease_until: None,
        };
        let mut tx = self.store.begin().await?;
        if !duplicates_store::store_result(
            &mut tx,
            authority,
            token,
            &run,
            rescored.as_deref(),
            &pairs,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "This refresh took longer than its lease and another refresh has taken the job over: its result is left to that one.".into(),
            ));
        }
        tx.commit().await?;
        Ok(DuplicatesRefresh {
            full: rescored.is_none(),
            people_rescored: rescored.as_ref().map_or(people, Vec::len),
            people,
            pairs_stored: pairs.len(),
            computed_at: now,
            elapsed: Duration::ZERO,
        })
    }

    /// The stored likely-duplicates report, strongest pairs first (see
    /// [`App::refresh_duplicates`]); merged records are left out.
    pub async fn stored_duplicates(
        &self,
        actor: &Actor,
        limit: usize,
    ) -> Result<StoredDuplicates, AppError> {
        actor.may(Action::ViewDuplicates)?;
        let run = self.store.duplicates_run(actor.authority).await?;
        let stored = self
            .store
            .stored_duplicate_pairs(actor.authority, limit as i64)
            .await?;
        let ids: Vec<PersonId> = stored
            .iter()
            .flat_map(|p| [p.first, p.second])
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let people: HashMap<_, _> = self
            .store
            .people_by_ids(actor.authority, &ids)
            .await?
            .into_iter()
            .filter(|p| p.merged_into.is_none())
            .map(|p| (p.id, p))
            .collect();
        let pairs = stored
            .into_iter()
            .filter_map(|pair| {
                Some(DuplicatePair {
                    first: people.get(&pair.first)?.clone(),
                    second: people.get(&pair.second)?.clone(),
                    score: pair.score,
                    confident: pair.confident,
                    reasons: serde_json::from_str(&pair.reasons).unwrap_or_default(),
                })
            })
            .collect();
        Ok(StoredDuplicates {
            computed_at: run.computed_at,
            people: run.people,
            pairs,
        })
    }
}
