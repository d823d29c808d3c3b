//! The authority's threshold framework (levels of need), published as versions.
//!
//! Each publication is a new version; old versions are kept, and each threshold decision
//! records the version it was made under. Publishing is a compare-and-set on the version
//! number the administrator edited: of two administrators editing from the same version, one
//! publishes and the other is told which version is now in force (409).

use super::ActingAs;
use crate::{App, AppError, FieldError};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::decision::{FrameworkError, LevelOfNeed, ThresholdFramework};
use frontdoor_store::administration::{self as admin_store, FrameworkVersion};
use frontdoor_store::events::NewEvent;
use serde_json::json;

/// The framework in force and every version before it.
#[derive(Debug, Clone)]
pub struct FrameworkHistory {
    /// Newest first; the first is the one in force.
    pub versions: Vec<FrameworkVersion>,
}

impl FrameworkHistory {
    pub fn current(&self) -> Option<&FrameworkVersion> {
        self.versions.first()
    }
}

/// The form field a framework error belongs to (`level_2_name`, ...).
fn framework_field(error: &FrameworkError) -> String {
    match error {
        FrameworkError::LevelCount { .. } => "levels".into(),
        FrameworkError::Numbering { position, .. } => format!("level_{position}_name"),
        FrameworkError::Name { level, .. }
        | FrameworkError::DuplicateName { level, .. }
        | FrameworkError::ControlCharacters { level } => format!("level_{level}_name"),
        FrameworkError::Description { level, .. } => format!("level_{level}_description"),
    }
}

impl App {
    /// Every published version of the framework, newest (in force) first.
    pub async fn threshold_framework_history(
        &self,
        by: &ActingAs,
    ) -> Result<FrameworkHistory, AppError> {
        by.require(Action::ManageThresholdFramework)?;
        Ok(FrameworkHistory {
            versions: self.store.framework_versions(by.authority()).await?,
        })
    }

    /// Publishes a new version of the framework, made from `expected_version` (the version the
    /// administrator was shown). Returns the new version number.
    pub async fn publish_threshold_framework(
        &self,
        by: &ActingAs,
        expected_version: i32,
        levels: Vec<LevelOfNeed>,
    ) -> Result<i32, AppError> {
        by.require(Action::ManageThresholdFramework)?;
        let framework = ThresholdFramework::new(levels).map_err(|e| {
            AppError::Invalid(vec![FieldError::new(framework_field(&e), e.to_string())])
        })?;
        let current = self.store.authority(by.authority()).await?;
        if current.threshold_framework_version == expected_version
            && current.threshold_framework == framework
        {
            return Err(AppError::invalid(
                "levels",
                format!("This is the same as version {expected_version}, which is in force: change a level before publishing."),
            ));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !admin_store::publish_framework(
            &mut tx,
            by.authority(),
            expected_version,
            &framework,
            now,
            by.worker(),
        )
        .await?
        {
            let in_force = admin_store::framework_version_in_force(&mut tx, by.authority()).await?;
            return Err(AppError::Conflict(format!(
                "Version {in_force} of the threshold framework was published while you were editing version {expected_version}: reload the page, check version {in_force} and make your changes to it."
            )));
        }
        let version = expected_version + 1;
        let published = json!({
            "version": version, "previous_version": expected_version, "levels": framework.levels,
        });
        NewEvent::new(
            by.authority(),
            now,
            "threshold_framework_published",
            by.authority().0,
        )
        .recorded_by(by.worker())
        .with(published)
        .append(&mut tx)
        .await?;
        tx.commit().await?;
        tracing::info!(version, "threshold framework published");
        Ok(version)
    }
}
