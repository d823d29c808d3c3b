//! View models of the administration pages: display-ready strings.

use crate::forms::{Choice, FormState};
use crate::views::Chrome;
use askama::Template;

pub struct WorkerRow {
    pub href: String,
    pub name: String,
    pub username: String,
    pub role: String,
    pub team: String,
    pub active: bool,
    pub signed_in: String,
}

#[derive(Template)]
#[template(path = "admin/workers.html")]
pub struct WorkersPage {
    pub chrome: Chrome,
    pub rows: Vec<WorkerRow>,
}

pub struct HistoryRow {
    pub when: String,
    pub what: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "admin/worker.html")]
pub struct WorkerPage {
    pub chrome: Chrome,
    pub id: String,
    pub name: String,
    pub active: bool,
    pub is_self: bool,
    pub details: Vec<(String, String)>,
    pub history: Vec<HistoryRow>,
    pub done: Option<&'static str>,
}

/// A page that asks "are you sure?" before a destructive change.
#[derive(Template)]
#[template(path = "admin/confirm.html")]
pub struct ConfirmPage {
    pub chrome: Chrome,
    pub caption: String,
    pub title: String,
    pub warning: String,
    pub action: String,
    pub button: String,
    pub back: String,
}

#[derive(Template)]
#[template(path = "admin/password.html")]
pub struct PasswordPage {
    pub chrome: Chrome,
    pub id: String,
    pub name: String,
    pub form: FormState,
}

#[derive(Template)]
#[template(path = "admin/email.html")]
pub struct EmailPage {
    pub chrome: Chrome,
    pub id: String,
    pub name: String,
    pub form: FormState,
}

#[derive(Template)]
#[template(path = "admin/change.html")]
pub struct ChangePage {
    pub chrome: Chrome,
    pub id: String,
    pub name: String,
    pub form: FormState,
    pub roles: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub organisations: Vec<Choice>,
}

pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub retired: Option<String>,
    pub is_partner: bool,
}

#[derive(Template)]
#[template(path = "admin/organisations.html")]
pub struct OrganisationsPage {
    pub chrome: Chrome,
    pub rows: Vec<OrganisationRow>,
    pub kinds: Vec<Choice>,
    pub form: FormState,
    pub done: Option<&'static str>,
}

pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub receives_contacts: bool,
    pub retired: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/teams.html")]
pub struct TeamsPage {
    pub chrome: Chrome,
    pub rows: Vec<TeamRow>,
    pub receives: Vec<Choice>,
    pub form: FormState,
    pub done: Option<&'static str>,
}

/// Renaming an organisation or a team.
#[derive(Template)]
#[template(path = "admin/rename.html")]
pub struct RenamePage {
    pub chrome: Chrome,
    pub caption: String,
    pub current: String,
    pub action: String,
    pub back: String,
    pub form: FormState,
}

pub struct LevelRow {
    pub level: String,
    pub name: String,
    pub description: String,
}

pub struct VersionRow {
    pub version: String,
    pub published: String,
    pub by: String,
    pub levels: String,
}

#[derive(Template)]
#[template(path = "admin/framework.html")]
pub struct FrameworkPage {
    pub chrome: Chrome,
    pub version: String,
    pub published: String,
    pub levels: Vec<LevelRow>,
    pub history: Vec<VersionRow>,
    pub done: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "admin/framework_edit.html")]
pub struct FrameworkEditPage {
    pub chrome: Chrome,
    pub version: String,
    /// 1..=10: one row of fields per level the framework can have.
    pub rows: Vec<usize>,
    pub form: FormState,
}

impl FrameworkEditPage {
    pub fn name_field(&self, row: &usize) -> String {
        format!("level_{row}_name")
    }
    pub fn description_field(&self, row: &usize) -> String {
        format!("level_{row}_description")
    }
}
