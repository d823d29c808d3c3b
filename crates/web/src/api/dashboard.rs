//! The performance dashboard in the API: the figures of a period (and a team), and the children
//! behind each figure (each child listed is an access to their record, logged).

use super::describe;
use super::{api_result, ApiWorker};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use frontdoor_app::dashboard::{period_of, team_of};
use frontdoor_app::AppError;
use frontdoor_domain::performance::Figure;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(figures))
        .route("/dashboard/{figure}", get(children))
}

fn filter_parameters() -> [Value; 3] {
    [
        json!({ "name": "from", "in": "query", "required": false, "description": "The first day of the period (YYYY-MM-DD); by default three months before `to`, plus a day", "schema": { "type": "string", "format": "date" } }),
        json!({ "name": "to", "in": "query", "required": false, "description": "The last day of the period (YYYY-MM-DD); by default today", "schema": { "type": "string", "format": "date" } }),
        json!({ "name": "team", "in": "query", "required": false, "description": "One team only", "schema": { "type": "string", "format": "uuid" } }),
    ]
}

pub(super) fn paths() -> Value {
    use describe::get;
    let [from, to, team] = filter_parameters();
    let figures: Vec<&str> = Figure::ALL.iter().map(|f| f.slug()).collect();
    describe::paths([
        get("/api/dashboard", "The performance dashboard of a period (team managers, senior managers, quality assurance officers): decisions within one working day, conversion from contact to plan, re-referrals, assessments within 45 working days, initial conferences within 15 working days, information requests by agency (within due time, median hours), drift and workloads today, decisions by level of need and team; 422 when a date is not a date or the period ends before it starts")
            .query(from.clone())
            .query(to.clone())
            .query(team.clone())
            .ok("Dashboard"),
        get("/api/dashboard/{figure}", "The children behind one figure of the dashboard, in date order, each with the record behind them and (for a timescale) when it was due, done and how many working days late; every child listed is an access to their record, logged")
            .query(json!({ "name": "figure", "in": "path", "required": true, "description": "The figure", "schema": { "type": "string", "enum": figures } }))
            .query(from)
            .query(to)
            .query(team)
            .ok("Children behind the figure: figure, from, to, team, children"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({})
}

async fn figures(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let text = |key: &str| query.get(key).map(String::as_str).unwrap_or("");
    let result = async {
        let period = period_of(text("from"), text("to"), state.app.today())?;
        let team = team_of(text("team"))?;
        state.app.dashboard(&worker.actor(), period, team).await
    }
    .await;
    api_result(StatusCode::OK, result)
}

async fn children(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Path(figure): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let text = |key: &str| query.get(key).map(String::as_str).unwrap_or("");
    let result = async {
        let figure: Figure = figure
            .parse()
            .map_err(|_| AppError::NotFound("That figure"))?;
        let period = period_of(text("from"), text("to"), state.app.today())?;
        let team = team_of(text("team"))?;
        let children = state
            .app
            .children_behind(&worker.actor(), figure, period, team)
            .await?;
        Ok(json!({
            "figure": figure,
            "label": figure.label(),
            "from": period.from(),
            "to": period.to(),
            "team": team,
            "children": children,
        }))
    }
    .await;
    api_result(StatusCode::OK, result)
}
