//! The course of each historic episode: its primary need recorded when the referral opens it,
//! and its closure (date and census reason) when the synthetic history says, so a loaded
//! authority's census has needs and closed episodes at realistic rates.

use super::*;
use frontdoor_domain::ids::EpisodeId;
use frontdoor_store::episodes as episode_store;

impl Loader<'_> {
    /// Records the episode's primary need now and schedules its closure (unless the history
    /// ends first).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn record_episode_course(
        &mut self,
        tx: &mut Tx,
        episode: EpisodeId,
        person: PersonId,
        referral: &SyntheticReferral,
        manager: WorkerId,
        social_worker: WorkerId,
        at: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let need = referral.primary_need;
        if !episode_store::record_primary_need(tx, self.authority, episode, need).await? {
            return Err(AppError::Conflict(format!(
                "The synthetic episode of person {person} closed while it was being loaded."
            )));
        }
        self.report.rows += 1;
        self.event(
            tx,
            NewEvent::new(self.authority, at, "episode_primary_need_set", episode.0)
                .recorded_by(Some(social_worker))
                .about(person)
                .with(json!({ "primary_need": need.code() })),
        )
        .await?;
        if let Some(closure) = referral.closure {
            let closes_at = from_london(
                closure
                    .on
                    .and_time(NaiveTime::from_hms_opt(16, 30, 0).unwrap_or(NaiveTime::MIN)),
            )
            .max(at + chrono::Duration::minutes(2));
            if closes_at <= self.history_ends {
                self.schedule(
                    closes_at,
                    Change::CloseEpisode {
                        episode,
                        person,
                        closure,
                        worker: manager,
                    },
                );
            }
        }
        Ok(())
    }

    pub(super) async fn close_episode(
        &mut self,
        tx: &mut Tx,
        at: DateTime<Utc>,
        episode: EpisodeId,
        person: PersonId,
        closure: SyntheticClosure,
        worker: WorkerId,
    ) -> Result<(), AppError> {
        if !episode_store::close_episode(tx, self.authority, episode, closure.on, closure.reason)
            .await?
        {
            return Err(AppError::Conflict(format!(
                "The synthetic episode of person {person} was closed twice."
            )));
        }
        self.report.episodes_closed += 1;
        self.report.rows += 1;
        self.event(
            tx,
            NewEvent::new(self.authority, at, "episode_closed", episode.0)
                .recorded_by(Some(worker))
                .about(person)
                .with(json!({ "closed_on": closure.on, "closure_reason": closure.reason.code() })),
        )
        .await
    }
}
