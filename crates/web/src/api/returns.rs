//! Statutory returns in the API: the DfE Children in Need census of a year, summarised, with
//! every error and query the DfE's rules find (each child named is an access, logged).

use super::describe;
use super::{api_result, ApiWorker};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use frontdoor_domain::returns::cin_census::CensusYear;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/returns/cin-census", get(cin_census))
}

pub(super) fn paths() -> Value {
    use describe::get;
    describe::paths([get(
        "/api/returns/cin-census",
        "The DfE Children in Need census of a collection year (quality assurance officers and senior managers): counts, and every error and query the DfE's validation rules find, each with its rule code, the DfE's message, the child (person id and LA child ID) and what was found; 422 when the year is not a year",
    )
    .query(json!({ "name": "year", "in": "query", "required": false, "description": "The collection year, as the year it ends (2026 is April 2025 to March 2026); by default the latest complete one", "schema": { "type": "integer" } }))
    .ok("Census: year, reference_date, la_number, children, episodes, errors, queries, issues")])
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
