//! Partner organisations and teams.

use super::views::*;
use super::{acting, done_message, DoneQuery};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormState, SignedInForm};
use crate::pages::path_id;
use crate::views::{date, render, render_form, Chrome};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::records::{Organisation, OrganisationKind, Team};
use frontdoor_app::{AppError, NewOrganisation, NewTeam, SignedIn};
use frontdoor_domain::ids::{OrganisationId, TeamId};

const ORGANISATIONS: &str = "/admin/organisations";
const TEAMS: &str = "/admin/teams";

fn kind_label(kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::LocalAuthority => "The authority",
        OrganisationKind::Police => "Police",
        OrganisationKind::Health => "Health",
        OrganisationKind::School => "School",
        OrganisationKind::Probation => "Probation",
        OrganisationKind::Housing => "Housing",
        OrganisationKind::Voluntary => "Voluntary sector",
        OrganisationKind::Other => "Other",
    }
}

async fn organisations_page(
    state: &AppState,
    worker: &SignedIn,
    form: FormState,
    done: Option<&'static str>,
) -> Result<Response, PageError> {
    let rows = state
        .app
        .organisations(&acting(worker))
        .await?
        .into_iter()
        .map(|o| OrganisationRow {
            id: o.id.to_string(),
            name: o.name,
            kind: kind_label(o.kind).into(),
            retired: o.retired_at.map(|at| date(frontdoor_app::london_date(at))),
            is_partner: o.kind != OrganisationKind::LocalAuthority,
        })
        .collect();
    let kinds = OrganisationKind::ALL
        .into_iter()
        .filter(|k| *k != OrganisationKind::LocalAuthority)
        .map(|k| Choice::new(k.code(), kind_label(k)))
        .collect();
    let page = OrganisationsPage {
        chrome: Chrome::for_worker(state, worker, ORGANISATIONS),
        rows,
        kinds,
        form,
        done,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn organisations(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    organisations_page(
        &state,
        &worker,
        FormState::default(),
        done_message(query.done.as_deref()),
    )
    .await
}

pub async fn add_organisation(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let new = NewOrganisation {
        name: form.get("name").into(),
        kind: form.get("kind").into(),
    };
    let result = state.app.add_organisation(&acting(&worker), &new).await;
    after_form(
        result,
        |_| format!("{ORGANISATIONS}?done=organisation-added"),
        |errors| organisations_page(&state, &worker, FormState::sent(form, errors), None),
    )
    .await
}

async fn organisation(
    state: &AppState,
    worker: &SignedIn,
    id: &str,
) -> Result<Organisation, PageError> {
    let id: OrganisationId = path_id(id, "organisation")?;
    state
        .app
        .organisations(&acting(worker))
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| PageError::no_such("organisation"))
}

async fn team(state: &AppState, worker: &SignedIn, id: &str) -> Result<Team, PageError> {
    let id: TeamId = path_id(id, "team")?;
    state
        .app
        .managed_teams(&acting(worker))
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| PageError::no_such("team"))
}

/// What a rename form is about: an organisation or a team, by its current name.
struct Renaming {
    caption: &'static str,
    current: String,
    action: String,
    back: &'static str,
}

impl Renaming {
    fn organisation(o: &Organisation) -> Self {
        Renaming {
            caption: "Organisation",
            current: o.name.clone(),
            action: format!("{ORGANISATIONS}/{}/rename", o.id),
            back: ORGANISATIONS,
        }
    }
    fn team(t: &Team) -> Self {
        Renaming {
            caption: "Team",
            current: t.name.clone(),
            action: format!("{TEAMS}/{}/rename", t.id),
            back: TEAMS,
        }
    }
    /// The form, first with the current name, or as sent with its errors (422).
    fn page(self, state: &AppState, worker: &SignedIn, form: Option<FormState>) -> Response {
        let page = RenamePage {
            chrome: Chrome::for_worker(state, worker, self.back),
            caption: self.caption.into(),
            form: form
                .unwrap_or_else(|| FormState::filled(vec![("name".into(), self.current.clone())])),
            current: self.current,
            action: self.action,
            back: self.back.into(),
        };
        render_form(&page, &page.form)
    }
}

pub async fn rename_organisation_form(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let o = organisation(&state, &worker, &id).await?;
    Ok(Renaming::organisation(&o).page(&state, &worker, None))
}

pub async fn rename_organisation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let o = organisation(&state, &worker, &id).await?;
    let result = state
        .app
        .rename_organisation(&acting(&worker), o.id, form.get("name"))
        .await;
    after_form(
        result,
        |()| format!("{ORGANISATIONS}?done=organisation-renamed"),
        |errors| async {
            let form = Some(FormState::sent(form, errors));
            Ok(Renaming::organisation(&o).page(&state, &worker, form))
        },
    )
    .await
}

pub async fn confirm_retire_organisation(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let o = organisation(&state, &worker, &id).await?;
    Ok(render(&ConfirmPage {
        chrome: Chrome::for_worker(&state, &worker, ORGANISATIONS),
        caption: "Organisation".into(),
        title: format!("Retire {}?", o.name),
        warning: "Every practitioner of this organisation is deactivated and signed out now, and cannot be reactivated while it stays retired. Their referrals stay on record.".into(),
        action: format!("{ORGANISATIONS}/{}/retire", o.id),
        button: "Retire the organisation".into(),
        back: ORGANISATIONS.into(),
    }))
}

pub async fn retire_organisation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let id: OrganisationId = path_id(&id, "organisation")?;
    state.app.retire_organisation(&acting(&worker), id).await?;
    Ok(Redirect::to(&format!("{ORGANISATIONS}?done=organisation-retired")).into_response())
}

async fn teams_page(
    state: &AppState,
    worker: &SignedIn,
    form: FormState,
    done: Option<&'static str>,
) -> Result<Response, PageError> {
    let rows = state
        .app
        .managed_teams(&acting(worker))
        .await?
        .into_iter()
        .map(|t| TeamRow {
            id: t.id.to_string(),
            name: t.name,
            receives_contacts: t.receives_contacts,
            retired: t.retired_at.map(|at| date(frontdoor_app::london_date(at))),
        })
        .collect();
    let page = TeamsPage {
        chrome: Chrome::for_worker(state, worker, TEAMS),
        rows,
        receives: vec![
            Choice::new(
                "yes",
                "Yes: a front-door team that contacts are allocated to",
            ),
            Choice::new("no", "No"),
        ],
        form,
        done,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn teams(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    teams_page(
        &state,
        &worker,
        FormState::default(),
        done_message(query.done.as_deref()),
    )
    .await
}

pub async fn add_team(
    State(state): State<AppState>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let result = match form.get("receives_contacts") {
        "yes" | "no" => {
            let new = NewTeam {
                name: form.get("name").into(),
                receives_contacts: form.get("receives_contacts") == "yes",
            };
            state.app.add_team(&acting(&worker), &new).await.map(|_| ())
        }
        _ => Err(AppError::invalid(
            "receives_contacts",
            "Choose whether contacts are allocated to this team.",
        )),
    };
    after_form(
        result,
        |()| format!("{TEAMS}?done=team-added"),
        |errors| teams_page(&state, &worker, FormState::sent(form, errors), None),
    )
    .await
}

pub async fn rename_team_form(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let t = team(&state, &worker, &id).await?;
    Ok(Renaming::team(&t).page(&state, &worker, None))
}

pub async fn rename_team(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let t = team(&state, &worker, &id).await?;
    let result = state
        .app
        .rename_team(&acting(&worker), t.id, form.get("name"))
        .await;
    after_form(
        result,
        |()| format!("{TEAMS}?done=team-renamed"),
        |errors| async {
            let form = Some(FormState::sent(form, errors));
            Ok(Renaming::team(&t).page(&state, &worker, form))
        },
    )
    .await
}

pub async fn confirm_retire_team(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let t = team(&state, &worker, &id).await?;
    Ok(render(&ConfirmPage {
        chrome: Chrome::for_worker(&state, &worker, TEAMS),
        caption: "Team".into(),
        title: format!("Retire {}?", t.name),
        warning: "A retired team receives no contacts and nobody can be moved into it. It can only be retired when no active worker is in it and none of its contacts is open.".into(),
        action: format!("{TEAMS}/{}/retire", t.id),
        button: "Retire the team".into(),
        back: TEAMS.into(),
    }))
}

pub async fn retire_team(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let id: TeamId = path_id(&id, "team")?;
    state.app.retire_team(&acting(&worker), id).await?;
    Ok(Redirect::to(&format!("{TEAMS}?done=team-retired")).into_response())
}
