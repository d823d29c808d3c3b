//! What an administrator does: workers' accounts (deactivate, reactivate, reset a password,
//! end sessions, change role or team), partner organisations and teams, and the threshold
//! framework. Each use case is authorised by the policy (or made by the operator from the
//! command line), guarded in the database, and audited by an event in the same transaction.
//! No event payload holds a password or a password hash.

mod organisations;
mod threshold_framework;
mod workers;

pub use organisations::{NewOrganisation, NewTeam};
pub use threshold_framework::FrameworkHistory;
pub(crate) use workers::check_placement;
pub use workers::{PlacementInput, WorkerSummary};

use crate::AppError;
use frontdoor_domain::authorization::{authorize, Action, Actor, Resource};
use frontdoor_domain::ids::{AuthorityId, WorkerId};

/// Who is making an administrative change: an administrator signed in to the service
/// (checked by the policy), or the operator at the command line (who holds the database
/// itself, as `frontdoor user add` does). Both are audited; the operator's events have no actor.
#[derive(Debug, Clone)]
pub enum ActingAs {
    Worker(Actor),
    Operator { authority: AuthorityId },
}

impl ActingAs {
    pub fn authority(&self) -> AuthorityId {
        match self {
            ActingAs::Worker(actor) => actor.authority,
            ActingAs::Operator { authority } => *authority,
        }
    }
    /// The worker to name as the event's actor (`None` for the operator).
    pub fn worker(&self) -> Option<WorkerId> {
        match self {
            ActingAs::Worker(actor) => Some(actor.worker),
            ActingAs::Operator { .. } => None,
        }
    }
    /// Checks the policy for a worker; the operator is trusted (they hold the database).
    pub(crate) fn require(&self, action: Action) -> Result<(), AppError> {
        match self {
            ActingAs::Worker(actor) => {
                authorize(actor, action, &Resource::authority(actor.authority)).require()?;
                Ok(())
            }
            ActingAs::Operator { .. } => Ok(()),
        }
    }
}

/// The longest name of an organisation or team.
const MAX_NAME_CHARS: usize = 120;

/// A name as stored: trimmed, inner runs of spaces made one, no control characters.
pub(crate) fn clean_name(field: &str, what: &str, name: &str) -> Result<String, AppError> {
    if name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            format!("The {what}'s name contains control characters: type it again without them."),
        ));
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::invalid(
            field,
            format!("Enter the {what}'s name."),
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(
            field,
            format!("The {what}'s name must be at most {MAX_NAME_CHARS} characters."),
        ));
    }
    Ok(name)
}

impl crate::App {
    /// What was done to a worker, organisation or team, oldest first (for its page).
    pub async fn administration_history(
        &self,
        by: &ActingAs,
        subject: uuid::Uuid,
    ) -> Result<Vec<frontdoor_store::events::Event>, AppError> {
        by.require(Action::ManageWorkers)?;
        Ok(self.store.events_about(by.authority(), subject).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(
            clean_name("name", "team", "  MASH   team  B ").ok(),
            Some("MASH team B".to_string())
        );
        assert!(clean_name("name", "team", "   ").is_err());
        assert!(clean_name("name", "team", "bad\u{7}name").is_err());
        assert!(clean_name("name", "team", &"x".repeat(121)).is_err());
    }
}
