//! Likely duplicate person records, and merging them (reversibly). The pairs are scored by the
//! same matching model as search and batch linkage.

use crate::linkage::{calibrate_within, pairs_within};
use crate::search::candidate_details;
use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::decision::Rationale;
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::matching::{
    compare_within_one_system, group_records, pairs_in_groups, GroupOptions, MatchRecord,
};
use frontdoor_store::events::NewEvent;
use frontdoor_store::merges::{self, PersonMerge};
use frontdoor_store::people::{self as people_store, Person};
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct DuplicatePair {
    pub first: Person,
    pub second: Person,
    pub score: f64,
    pub confident: bool,
    pub reasons: Vec<crate::SearchReason>,
}

impl App {
    /// Likely duplicate pairs among the authority's people, strongest first.
    pub async fn likely_duplicates(
        &self,
        actor: &Actor,
        limit: usize,
    ) -> Result<Vec<DuplicatePair>, AppError> {
        actor.may(Action::ViewDuplicates)?;
        // Every person's matching fields in memory, paired as `persons match --dedupe` does
        // (blocking by the same keys search uses): a few seconds for a large authority, with
        // no pair list held on the way.
        let candidates = self.store.matching_fields_of_all(actor.authority).await?;
        let model = self.match_model.clone();
        let (records, mut pairs, scoring) = tokio::task::spawn_blocking(move || {
            let records: Vec<MatchRecord> = candidates
                .iter()
                .map(|c| MatchRecord::new(&candidate_details(c)))
                .collect();
            // Calibrated on the authority's own people, as `persons match --dedupe` is: a pair
            // is confident from a match probability of 0.5. Too few people (or a degenerate
            // estimate): the built-in model and its confident band.
            let thresholds = model.parameters().thresholds;
            let calibration = calibrate_within(&records, model.parameters(), thresholds.confident);
            let scoring = match calibration.fallback {
                None => calibration.model(),
                Some(_) => (*model).clone(),
            };
            let options = GroupOptions::default();
            let keep_from = thresholds
                .possible
                .min(calibration.threshold - options.edge_margin);
            let pairs = pairs_within(&records, &scoring, keep_from);
            // Confident pairs are those within a group of records taken to be one person
            // (as `persons match --dedupe` groups a file): strong pairs joined only when
            // the whole group agrees, so a twin or a father of the same name stays a
            // possible pair for a person to judge, and a person's later records are paired
            // with each other through the first.
            let groups = group_records(&records, &pairs, &scoring, calibration.threshold, &options);
            let grouped = pairs_in_groups(&records, &groups, &scoring);
            let confident: HashSet<(u32, u32)> = grouped.iter().map(|(a, b, _)| (*a, *b)).collect();
            let pairs: Vec<(u32, u32, f64, bool)> = grouped
                .into_iter()
                .map(|(a, b, score)| (a, b, score, true))
                .chain(
                    pairs
                        .into_iter()
                        .map(|(a, b, score)| (a.min(b), a.max(b), score))
                        .filter(|(a, b, _)| !confident.contains(&(*a, *b)))
                        .map(|(a, b, score)| (a, b, score, false)),
                )
                .collect();
            (
                records
                    .into_iter()
                    .zip(candidates.into_iter().map(|c| c.id))
                    .collect::<Vec<_>>(),
                pairs,
                scoring,
            )
        })
        .await
        .map_err(|stopped| {
            if stopped.is_panic() {
                // A bug in matching, not bad input: fail as if it had run here.
                std::panic::resume_unwind(stopped.into_panic())
            }
            AppError::Conflict("The server is shutting down: try again in a minute.".into())
        })?;
        pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        pairs.truncate(limit);
        // Whole records only for the pairs shown.
        let shown: Vec<PersonId> = pairs
            .iter()
            .flat_map(|(a, b, _, _)| [a, b])
            .filter_map(|i| records.get(*i as usize).map(|(_, id)| *id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let people: HashMap<PersonId, Person> = self
            .store
            .people_by_ids(actor.authority, &shown)
            .await?
            .into_iter()
            .filter(|p| p.merged_into.is_none())
            .map(|p| (p.id, p))
            .collect();
        let model = &scoring;
        let found = pairs
            .into_iter()
            .filter_map(|(a, b, _, confident)| {
                let (record_a, id_a) = records.get(a as usize)?;
                let (record_b, id_b) = records.get(b as usize)?;
                // Each record has its own LA person id: that they differ says nothing.
                let explanation = compare_within_one_system(record_a, record_b, model);
                Some(DuplicatePair {
                    first: people.get(id_a)?.clone(),
                    second: people.get(id_b)?.clone(),
                    score: explanation.score,
                    confident,
                    reasons: crate::search::reasons(&explanation),
                })
            })
            .collect();
        Ok(found)
    }

    /// Merges `merged` into `kept`: every contact link, referral, assessment and emergency
    /// action moves to `kept`; `merged` stays (marked) so the merge can be reversed.
    pub async fn merge_people(
        &self,
        actor: &Actor,
        kept: PersonId,
        merged: PersonId,
        reason: &str,
    ) -> Result<PersonMerge, AppError> {
        actor.may(Action::MergePeople)?;
        let reason =
            Rationale::parse(reason).map_err(|e| AppError::invalid("reason", e.to_string()))?;
        if kept == merged {
            return Err(AppError::invalid(
                "merged",
                "Choose two different records to merge.",
            ));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // Hold both records for the whole merge, and check inside the transaction that neither
        // has been merged: two managers merging the same pair in opposite directions at once
        // would otherwise both succeed and leave neither record searchable.
        let people =
            people_store::people_for_update(&mut tx, actor.authority, &[kept, merged]).await?;
        let (Some(keep), Some(merge_away)) = (
            people.iter().find(|p| p.id == kept),
            people.iter().find(|p| p.id == merged),
        ) else {
            return Err(AppError::NotFound("The person"));
        };
        if let Some(already) = [keep, merge_away].iter().find(|p| p.merged_into.is_some()) {
            return Err(AppError::Conflict(format!(
                "Record {} has already been merged into another record (perhaps a moment ago, by someone else): reload the duplicates report and check the pair again.",
                already.la_person_id
            )));
        }
        let (keep, merge_away) = (keep.clone(), merge_away.clone());
        if !people_store::set_merged_into(&mut tx, actor.authority, merged, None, Some(kept), now)
            .await?
        {
            return Err(AppError::Conflict(format!(
                "Record {} changed while it was being merged: reload and try again.",
                merge_away.la_person_id
            )));
        }
        let moved = merges::move_links(&mut tx, actor.authority, merged, kept).await?;
        // The merged record no longer turns up in search.
        people_store::replace_blocking_keys(&mut tx, actor.authority, merged, &[]).await?;
        let merge = PersonMerge {
            id: Uuid::now_v7(),
            authority: actor.authority,
            kept,
            merged,
            moved,
            reason: reason.as_str().to_string(),
            merged_by: actor.worker,
            merged_at: now,
            reversed_at: None,
        };
        merges::insert_merge(&mut tx, &merge).await?;
        let moved: HashMap<_, _> = merge
            .moved
            .iter()
            .map(|(table, ids)| (table.clone(), ids.len()))
            .collect();
        let payload = json!({
            "kept": keep.la_person_id, "merged": merge_away.la_person_id,
            "reason": merge.reason, "moved": moved,
        });
        NewEvent::by(actor, now, "person_merged", merge.id)
            .about(kept)
            .about(merged)
            .with(payload)
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(merge)
    }

    /// Reverses a merge: exactly the rows that moved go back, and the record is searchable again.
    pub async fn reverse_merge(
        &self,
        actor: &Actor,
        merge_id: Uuid,
        reason: &str,
    ) -> Result<(), AppError> {
        actor.may(Action::MergePeople)?;
        let reason =
            Rationale::parse(reason).map_err(|e| AppError::invalid("reason", e.to_string()))?;
        let Some(person) = self.store.merge_person(actor.authority, merge_id).await? else {
            return Err(AppError::NotFound("The merge"));
        };
        let merges = self.store.merges_of(actor.authority, person).await?;
        let merge = merges
            .into_iter()
            .find(|m| m.id == merge_id)
            .ok_or(AppError::NotFound("The merge"))?;
        let now = self.now();
        let previous = self
            .store
            .previous_names(actor.authority, merge.merged)
            .await?;
        let mut tx = self.store.begin().await?;
        // Hold both records. If the kept record has since been merged into a third, the rows
        // this merge moved now belong to that one: reverse the later merge first.
        let pair =
            people_store::people_for_update(&mut tx, actor.authority, &[merge.kept, merge.merged])
                .await?;
        if let Some(kept) = pair
            .iter()
            .find(|p| p.id == merge.kept && p.merged_into.is_some())
        {
            return Err(AppError::Conflict(format!(
                "Record {} has since been merged into another record: reverse that merge first, then reload this record.",
                kept.la_person_id
            )));
        }
        if !merges::mark_reversed(&mut tx, actor.authority, merge.id, actor.worker, now).await? {
            return Err(AppError::Conflict(
                "This merge has already been reversed (perhaps a moment ago, by someone else): reload the record.".into(),
            ));
        }
        if !people_store::set_merged_into(
            &mut tx,
            actor.authority,
            merge.merged,
            Some(merge.kept),
            None,
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "The merged record has changed since this merge: reload it before reversing."
                    .into(),
            ));
        }
        let restored = people_store::people_for_update(&mut tx, actor.authority, &[merge.merged])
            .await?
            .pop()
            .ok_or(AppError::NotFound("The merged person"))?;
        if !merges::restore_links(
            &mut tx,
            actor.authority,
            &merge.moved,
            merge.kept,
            merge.merged,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "Some of what this merge moved has been linked elsewhere since (a contact relinked, for example), so it cannot be reversed exactly: reload the record and correct the links by hand.".into(),
            ));
        }
        people_store::replace_blocking_keys(
            &mut tx,
            actor.authority,
            merge.merged,
            &crate::search::blocking_keys_for(&restored, &previous),
        )
        .await?;
        NewEvent::by(actor, now, "person_merge_reversed", merge.id)
            .about(merge.kept)
            .about(merge.merged)
            .with(json!({ "reason": reason.as_str() }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The merges a person took part in.
    pub async fn merges_of(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<PersonMerge>, AppError> {
        actor.may(Action::ViewChildRecord)?;
        Ok(self.store.merges_of(actor.authority, person).await?)
    }
}
