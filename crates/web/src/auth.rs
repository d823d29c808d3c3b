//! Sign-in, sign-out, and the extractor that gives handlers the signed-in worker.

use crate::errors::PageError;
use crate::forms::{tokens_match, FormData};
use crate::views::{render, SignInPage};
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::{AppError, SignedIn};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "fd_session";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(
    name: &str,
    value: &str,
    secure: bool,
    max_age_seconds: Option<i64>,
) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        text.push_str("; Secure");
    }
    if let Some(age) = max_age_seconds {
        text.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The signed-in worker, for pages. Without a session, the browser is sent to sign in.
pub struct Worker(pub SignedIn);

impl FromRequestParts<AppState> for Worker {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let to_sign_in = || {
            let target = if next.starts_with('/') && !next.starts_with("//") {
                next
            } else {
                "/"
            };
            Redirect::to(&format!("/sign-in?next={}", urlencode(target))).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in());
        };
        match state.app.session(&token).await {
            Ok(Some(signed_in)) => Ok(Worker(signed_in)),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// Checks the form's CSRF token against the session's.
pub fn check_csrf(worker: &SignedIn, form: &FormData) -> Result<(), PageError> {
    if tokens_match(form.get("csrf_token"), &worker.csrf_token) {
        Ok(())
    } else {
        Err(PageError::Forbidden("This form has expired or did not come from frontdoor. Go back, reload the page and try again.".into()))
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    Query(query): Query<NextQuery>,
) -> Response {
    render(&SignInPage::new(&state, "", &safe_next(&query.next), None))
}

pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    form: FormData,
) -> Response {
    let username = form.get("username");
    let next = safe_next(form.get("next"));
    match state
        .app
        .sign_in(username, form.get("password"), &client.ip().to_string())
        .await
    {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &session.token,
                    state.settings.behind_tls,
                    None,
                ),
            );
            response
        }
        Err(AppError::SignIn(message)) => {
            let mut response = render(&SignInPage::new(&state, username, &next, Some(message)));
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    Worker(worker): Worker,
    headers: HeaderMap,
    form: FormData,
) -> Response {
    if let Err(e) = check_csrf(&worker, &form) {
        return e.into_response();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = state.app.sign_out(&token).await {
            return PageError::from(e).into_response();
        }
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", state.settings.behind_tls, Some(0)),
    );
    response
}
