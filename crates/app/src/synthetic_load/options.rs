//! The load's options, the staff records are attributed to, its progress and its report.

use super::*;

/// The workers synthetic records are attributed to. Each list is used in turn.
#[derive(Debug, Clone, Default)]
pub struct SyntheticStaff {
    /// Record contacts and link their people (a MASH social worker if empty).
    pub contact_officers: Vec<WorkerId>,
    /// Recommend threshold decisions and record emergency action.
    pub social_workers: Vec<WorkerId>,
    /// Authorise decisions (never their own recommendation).
    pub managers: Vec<WorkerId>,
}

#[derive(Debug, Clone)]
pub struct SyntheticLoadOptions {
    /// `None`: the authority's active workers, by role.
    pub staff: Option<SyntheticStaff>,
    /// Contacts written per transaction.
    pub batch_contacts: usize,
    /// The instant the history was generated as of: work the history leaves for later (a
    /// strategy discussion still to hold) is not done after it. `None`: the clock's now.
    pub history_ends: Option<DateTime<Utc>>,
}

impl Default for SyntheticLoadOptions {
    fn default() -> Self {
        Self {
            staff: None,
            batch_contacts: 500,
            history_ends: None,
        }
    }
}

/// Where a load has got to (reported after each transaction).
#[derive(Debug, Clone, Default)]
pub struct LoadProgress {
    pub contacts: u64,
    pub people: u64,
    pub events: u64,
    pub rows: u64,
    pub elapsed: Duration,
}

/// What a load stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub people: u64,
    pub previous_names: u64,
    pub relationships: u64,
    pub contacts: u64,
    pub contact_subjects: u64,
    pub decisions_recommended: u64,
    pub decisions_authorised: u64,
    pub referrals: u64,
    pub re_referrals: u64,
    pub assessments: u64,
    pub emergency_actions: u64,
    /// Strategy discussions decided by an authorised threshold decision.
    pub strategy_discussions: u64,
    /// Of those, the ones held and signed off before the history ends.
    pub strategy_discussions_signed_off: u64,
    /// Of those, the ones decided during an assessment (not at the front door).
    pub strategy_discussions_during_assessment: u64,
    pub section_47_enquiries: u64,
    /// Initial child protection conferences held.
    pub initial_conferences: u64,
    /// Child protection plans started (at an initial conference), and of them those ended.
    pub protection_plans: u64,
    pub protection_plans_ended: u64,
    /// Review child protection conferences held.
    pub review_conferences: u64,
    /// Statutory visits to children on a plan.
    pub plan_visits: u64,
    /// Child in need plans started.
    pub cin_plans: u64,
    /// Episodes closed (with a census reason) before the history ends.
    pub episodes_closed: u64,
    pub events: u64,
    /// Every row inserted or updated (records, search keys, events and their people).
    pub rows: u64,
    pub elapsed: Duration,
}

impl LoadReport {
    /// Re-referrals as a share of referrals (0 when there were none).
    pub fn re_referral_share(&self) -> f64 {
        if self.referrals == 0 {
            0.0
        } else {
            self.re_referrals as f64 / self.referrals as f64
        }
    }
    pub fn rows_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.rows as f64 / seconds
        } else {
            0.0
        }
    }
}
