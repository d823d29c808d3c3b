//! Workers' accounts.

use super::views::*;
use super::{acting, done_message, DoneQuery};
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::pages::path_id;
use crate::views::{instant, render, render_form, Chrome};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::records::OrganisationKind;
use frontdoor_app::{AppError, PlacementInput, SignedIn, WorkerSummary};
use frontdoor_domain::authorization::Role;
use frontdoor_domain::ids::{OrganisationId, TeamId, WorkerId};

const LIST: &str = "/admin/workers";

fn signed_in(summary: &WorkerSummary) -> String {
    match (summary.live_sessions, summary.latest_sign_in) {
        (0, _) | (_, None) => "No live session".into(),
        (n, Some(at)) => format!("{n} live session(s), latest began {}", instant(at)),
    }
}

fn describe(kind: &str) -> &'static str {
    match kind {
        "worker_added" => "Account created",
        "worker_deactivated" => "Deactivated",
        "worker_reactivated" => "Reactivated",
        "worker_password_reset" => "Password reset",
        "worker_sessions_ended" => "Sessions ended",
        "worker_changed" => "Role or team changed",
        "worker_email_set" => "Email for notifications set",
        _ => "Changed",
    }
}

pub async fn list(
    State(state): State<AppState>,
    Worker(worker): Worker,
) -> Result<Response, PageError> {
    let summaries = state.app.worker_summaries(&acting(&worker)).await?;
    let rows = summaries
        .iter()
        .map(|s| WorkerRow {
            href: format!("{LIST}/{}", s.worker.id),
            name: s.worker.display_name.clone(),
            username: s.worker.username.clone(),
            role: s.worker.role.label().into(),
            team: s
                .team_name
                .clone()
                .unwrap_or_else(|| s.organisation_name.clone()),
            active: s.worker.active,
            signed_in: signed_in(s),
        })
        .collect();
    Ok(render(&WorkersPage {
        chrome: Chrome::for_worker(&state, &worker, LIST),
        rows,
    }))
}

async fn summary(
    state: &AppState,
    worker: &SignedIn,
    id: &str,
) -> Result<WorkerSummary, PageError> {
    let id: WorkerId = path_id(id, "worker")?;
    Ok(state.app.worker_summary(&acting(worker), id).await?)
}

pub async fn page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    let history = state
        .app
        .administration_history(&acting(&worker), s.worker.id.0)
        .await?
        .iter()
        .map(|e| HistoryRow {
            when: instant(e.recorded_at),
            what: describe(&e.kind).into(),
            by: e
                .actor_name
                .clone()
                .unwrap_or_else(|| "Operator (command line)".into()),
        })
        .collect();
    Ok(render(&WorkerPage {
        chrome: Chrome::for_worker(&state, &worker, LIST),
        id: s.worker.id.to_string(),
        name: s.worker.display_name.clone(),
        active: s.worker.active,
        is_self: s.worker.id == worker.worker.id,
        details: vec![
            ("Username".into(), s.worker.username.clone()),
            ("Role".into(), s.worker.role.label().into()),
            (
                "Team".into(),
                s.team_name.clone().unwrap_or_else(|| "None".into()),
            ),
            ("Organisation".into(), s.organisation_name.clone()),
            (
                "Account".into(),
                if s.worker.active {
                    "Active"
                } else {
                    "Deactivated"
                }
                .into(),
            ),
            ("Signed in".into(), signed_in(&s)),
            (
                "Email for notifications".into(),
                s.email
                    .clone()
                    .unwrap_or_else(|| "None: notifications in frontdoor only".into()),
            ),
        ],
        history,
        done: done_message(query.done.as_deref()),
    }))
}

pub async fn confirm_deactivate(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    Ok(render(&ConfirmPage {
        chrome: Chrome::for_worker(&state, &worker, LIST),
        caption: s.worker.display_name.clone(),
        title: format!("Deactivate {}?", s.worker.display_name),
        warning: "They will not be able to sign in, and every session they have open ends now. You can reactivate the account later.".into(),
        action: format!("{LIST}/{}/deactivate", s.worker.id),
        button: "Deactivate the account".into(),
        back: format!("{LIST}/{}", s.worker.id),
    }))
}

pub async fn confirm_end_sessions(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    Ok(render(&ConfirmPage {
        chrome: Chrome::for_worker(&state, &worker, LIST),
        caption: s.worker.display_name.clone(),
        title: format!("End every session of {}?", s.worker.display_name),
        warning: format!(
            "{} will be signed out everywhere and must sign in again. Anything they have not saved is lost.",
            s.worker.display_name
        ),
        action: format!("{LIST}/{}/end-sessions", s.worker.id),
        button: "End their sessions".into(),
        back: format!("{LIST}/{}", s.worker.id),
    }))
}

/// Runs a worker change posted from a form, then shows the worker's page with `done`.
async fn worker_action<F, Fut, T>(id: &str, done: &str, action: F) -> Result<Response, PageError>
where
    F: FnOnce(WorkerId) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let id: WorkerId = path_id(id, "worker")?;
    action(id).await?;
    Ok(Redirect::to(&format!("{LIST}/{id}?done={done}")).into_response())
}

pub async fn deactivate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let by = acting(&worker);
    worker_action(&id, "deactivated", |id| async move {
        state.app.deactivate_worker(&by, id).await
    })
    .await
}

pub async fn reactivate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let by = acting(&worker);
    worker_action(&id, "reactivated", |id| async move {
        state.app.reactivate_worker(&by, id).await
    })
    .await
}

pub async fn end_sessions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, _): SignedInForm,
) -> Result<Response, PageError> {
    let by = acting(&worker);
    worker_action(&id, "sessions", |id| async move {
        state.app.end_sessions(&by, id).await
    })
    .await
}

/// The password form, blank: it is never shown again with the passwords sent.
fn password_page(
    state: &AppState,
    worker: &SignedIn,
    s: WorkerSummary,
    errors: Vec<frontdoor_app::FieldError>,
) -> Response {
    let page = PasswordPage {
        chrome: Chrome::for_worker(state, worker, LIST),
        id: s.worker.id.to_string(),
        name: s.worker.display_name,
        form: FormState {
            errors,
            ..FormState::default()
        },
    };
    render_form(&page, &page.form)
}

pub async fn password_form(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    Ok(password_page(&state, &worker, s, vec![]))
}

pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    let (password, again) = (form.get("password"), form.get("password_again"));
    let result = if password != again {
        Err(AppError::invalid(
            "password_again",
            "The two passwords are different: type the same password twice.",
        ))
    } else {
        state
            .app
            .reset_password(&acting(&worker), s.worker.id, password)
            .await
    };
    let id = s.worker.id;
    after_form(
        result,
        |_| format!("{LIST}/{id}?done=password"),
        |errors| async { Ok(password_page(&state, &worker, s, errors)) },
    )
    .await
}

async fn change_page(
    state: &AppState,
    worker: &SignedIn,
    s: &WorkerSummary,
    form: FormState,
) -> Result<Response, PageError> {
    let by = acting(worker);
    let teams = state
        .app
        .managed_teams(&by)
        .await?
        .into_iter()
        .filter(|t| t.retired_at.is_none())
        .map(|t| Choice::new(t.id.to_string(), t.name))
        .collect();
    let organisations = state
        .app
        .organisations(&by)
        .await?
        .into_iter()
        .filter(|o| o.retired_at.is_none() && o.kind != OrganisationKind::LocalAuthority)
        .map(|o| Choice::new(o.id.to_string(), o.name))
        .collect();
    let page = ChangePage {
        chrome: Chrome::for_worker(state, worker, LIST),
        id: s.worker.id.to_string(),
        name: s.worker.display_name.clone(),
        form,
        roles: Choice::each(&Role::ALL, |r| (r.code(), r.label())),
        teams,
        organisations,
    };
    Ok(render_form(&page, &page.form))
}

pub async fn change_form(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    let mut values = vec![("role".to_string(), s.worker.role.code().to_string())];
    if let Some(team) = s.worker.team {
        values.push(("team".into(), team.to_string()));
    }
    if s.worker.role.belongs_to_partner() {
        values.push(("organisation".into(), s.worker.organisation.to_string()));
    }
    change_page(&state, &worker, &s, FormState::filled(values)).await
}

/// The change a form asks for; a field that is wrong is an error on that field.
fn placement(form: &FormData) -> Result<PlacementInput, AppError> {
    let role = Role::from_code(form.get("role"))
        .ok_or_else(|| AppError::invalid("role", "Choose the worker's role."))?;
    let team = match form.get("team").trim() {
        "" => None,
        text => Some(
            text.parse::<TeamId>()
                .map_err(|_| AppError::invalid("team", "Choose a team from the list."))?,
        ),
    };
    let organisation = match form.get("organisation").trim() {
        "" => None,
        text => Some(text.parse::<OrganisationId>().map_err(|_| {
            AppError::invalid("organisation", "Choose an organisation from the list.")
        })?),
    };
    Ok(PlacementInput {
        role,
        team,
        organisation,
    })
}

pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    let result = match placement(&form) {
        Ok(input) => {
            state
                .app
                .change_worker(&acting(&worker), s.worker.id, &input)
                .await
        }
        Err(e) => Err(e),
    };
    after_form(
        result,
        |_| format!("{LIST}/{}?done=changed", s.worker.id),
        |errors| change_page(&state, &worker, &s, FormState::sent(form, errors)),
    )
    .await
}

fn email_page(state: &AppState, worker: &SignedIn, s: &WorkerSummary, form: FormState) -> Response {
    let page = EmailPage {
        chrome: Chrome::for_worker(state, worker, LIST),
        id: s.worker.id.to_string(),
        name: s.worker.display_name.clone(),
        form,
    };
    render_form(&page, &page.form)
}

pub async fn email_form(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    let values = vec![("email".to_string(), s.email.clone().unwrap_or_default())];
    Ok(email_page(&state, &worker, &s, FormState::filled(values)))
}

/// Sets (or, blank, clears) where the worker's notification emails go.
pub async fn set_email(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let s = summary(&state, &worker, &id).await?;
    let result = state
        .app
        .set_worker_email(&acting(&worker), s.worker.id, form.get("email"))
        .await;
    after_form(
        result,
        |_| format!("{LIST}/{}?done=email", s.worker.id),
        |errors| async {
            Ok(email_page(
                &state,
                &worker,
                &s,
                FormState::sent(form, errors),
            ))
        },
    )
    .await
}
