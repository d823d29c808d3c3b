//! Statutory returns in the API: the DfE Children in Need census of a year, summarised, with
//! every error and query the DfE's rules find (each child named is an access, logged); and
//! Ofsted's Annex A for an inspection date: each list's row count, and the workbook and each
//! list's CSV (each file an access to every child in it, logged).

use super::describe;
use super::{api_result, ApiWorker};
use crate::errors::Problem;
use crate::pages::returns::{annex_a_download, date_of, list_number, AnnexAFileFailure};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use frontdoor_domain::returns::cin_census::CensusYear;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/returns/cin-census", get(cin_census))
        .route("/returns/annex-a", get(annex_a))
        .route("/returns/annex-a.xlsx", get(annex_a_workbook))
        .route("/returns/annex-a/{file}", get(annex_a_csv))
}

fn date_parameter() -> Value {
    json!({ "name": "date", "in": "query", "required": true, "description": "The inspection date, YYYY-MM-DD: lists 1 to 3 cover the six months before it, lists 4 to 7 the work open at any point of them", "schema": { "type": "string", "format": "date" } })
}

pub(super) fn paths() -> Value {
    use describe::get;
    describe::paths([get(
        "/api/returns/cin-census",
        "The DfE Children in Need census of a collection year (quality assurance officers and senior managers): counts, and every error and query the DfE's validation rules find, each with its rule code, the DfE's message, the child (person id and LA child ID) and what was found; 422 when the year is not a year",
    )
    .query(json!({ "name": "year", "in": "query", "required": false, "description": "The collection year, as the year it ends (2026 is April 2025 to March 2026); by default the latest complete one", "schema": { "type": "integer" } }))
    .ok("Census: year, reference_date, la_number, children, episodes, errors, queries, issues"),
    get(
        "/api/returns/annex-a",
        "Ofsted's Annex A lists 1 to 7 for an inspection date (quality assurance officers and senior managers): the window, and each list's name, subject, headings and row count (names no child); 422 when the date is not a date",
    )
    .query(date_parameter())
    .ok("Lists: inspection_date, window_start, lists (number, name, title, headings, rows, csv)"),
    get(
        "/api/returns/annex-a.xlsx",
        "Ofsted's Annex A as one xlsx workbook, a sheet a list, with Ofsted's headings and codes (each child in it is an access, logged)",
    )
    .query(date_parameter())
    .ok("The workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)"),
    get(
        "/api/returns/annex-a/{file}",
        "One Annex A list as CSV, `list-1.csv` to `list-7.csv` (each child in it is an access, logged); 404 for another name",
    )
    .query(json!({ "name": "file", "in": "path", "required": true, "description": "list-N.csv, N from 1 to 7", "schema": { "type": "string" } }))
    .query(date_parameter())
    .ok("The list (text/csv)"),
    ])
}

pub(super) fn schemas() -> Value {
    json!({})
}

async fn cin_census(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let year = query.get("year").cloned().unwrap_or_else(|| {
        CensusYear::latest_complete(frontdoor_app::london_date(state.app.now()))
            .year()
            .to_string()
    });
    let result = state
        .app
        .cin_census(&worker.actor(), &year)
        .await
        .map(|report| {
            json!({
                "year": report.census.year.year(),
                "reference_date": report.census.year.reference_date(),
                "la_number": report.census.la_number,
                "children": report.children(),
                "episodes": report.episodes(),
                "errors": report.errors(),
                "queries": report.queries(),
                "issues": report.issues,
            })
        });
    api_result(StatusCode::OK, result)
}

async fn annex_a(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = state
        .app
        .annex_a(&worker.actor(), &date_of(&query))
        .await
        .map(|report| {
            json!({
                "inspection_date": report.inspection().date(),
                "window_start": report.annex.window_start,
                "lists": report.annex.lists.iter().zip(report.counts()).map(|(list, count)| json!({
                    "number": count.number,
                    "name": count.name,
                    "title": count.title,
                    "headings": list.headings,
                    "rows": count.rows,
                    "csv": count.csv,
                })).collect::<Vec<_>>(),
            })
        });
    api_result(StatusCode::OK, result)
}

fn problem_of(failure: AnnexAFileFailure) -> Response {
    match failure {
        AnnexAFileFailure::App(e) => Problem::from(e).into_response(),
        AnnexAFileFailure::Written(error) => {
            tracing::error!(%error, "an Annex A file could not be written");
            Problem {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                title: "Internal error".into(),
                detail: "The file could not be written; try again later.".into(),
                errors: vec![],
            }
            .into_response()
        }
    }
}

async fn annex_a_workbook(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    annex_a_download(&state, &worker.actor(), &date_of(&query), None)
        .await
        .unwrap_or_else(problem_of)
}

async fn annex_a_csv(
    State(state): State<AppState>,
    ApiWorker(worker, _): ApiWorker,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(list) = list_number(&file) else {
        return Problem::from(frontdoor_app::AppError::NotFound("The list")).into_response();
    };
    annex_a_download(&state, &worker.actor(), &date_of(&query), Some(list))
        .await
        .unwrap_or_else(problem_of)
}
