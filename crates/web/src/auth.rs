//! Sign-in, sign-out, and the extractor that gives handlers the signed-in worker.

use crate::client_address::ClientAddress;
use crate::errors::PageError;
use crate::forms::{check_csrf, tokens_match, FormData};
use crate::views::{render, SignInPage};
use crate::AppState;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::{AppError, SignedIn};

pub const SESSION_COOKIE: &str = "fd_session";

/// The sign-in form's double-submit token (there is no session yet to hold one): the page sets
/// it in this cookie and in a hidden field, and a sign-in is accepted only when both match, so
/// another site cannot sign a browser in to an account of its choosing (login CSRF).
const SIGN_IN_COOKIE: &str = "fd_sign_in";

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
            Redirect::to(&format!("/sign-in?next={}", urlencode(local_path(next)))).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in());
        };
        match state.app.session(&token).await {
            Ok(Some(mut signed_in)) => {
                // For the count beside "Notifications" in the header.
                signed_in.unread_notifications = state
                    .app
                    .unread_notifications(&signed_in.actor())
                    .await
                    .unwrap_or(0);
                Ok(Worker(signed_in))
            }
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

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// `next` if it is a path on this site, otherwise "/". Only a single leading '/' followed by
/// anything but '/' or '\' is accepted, with no control characters or backslashes anywhere
/// (browsers read '\' as '/' and drop tabs and newlines, so "/\evil" and "/\t/evil" would
/// leave the site), and it must be a valid ASCII URI path (so it can always go in a header).
pub fn local_path(next: &str) -> &str {
    let acceptable = next.len() <= 2048
        && next.is_ascii()
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && next
            .parse::<axum::http::Uri>()
            .is_ok_and(|uri| uri.scheme().is_none() && uri.authority().is_none())
        && HeaderValue::from_str(next).is_ok();
    if acceptable {
        next
    } else {
        "/"
    }
}

/// A 303 to a local path (never a panic: anything not a local path goes to "/").
fn see_other(next: &str) -> Response {
    let location = HeaderValue::from_str(local_path(next)).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// The sign-in form's token: the browser's own if it has a well-formed one, else a new one.
fn sign_in_token(headers: &HeaderMap) -> String {
    cookie(headers, SIGN_IN_COOKIE)
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| {
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            hex::encode(bytes)
        })
}

/// The sign-in page, setting the form's token cookie.
fn sign_in_form(
    state: &AppState,
    headers: &HeaderMap,
    username: &str,
    next: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let token = sign_in_token(headers);
    let mut response = render(&SignInPage::new(state, username, next, error, &token));
    *response.status_mut() = status;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SIGN_IN_COOKIE,
            &token,
            state.settings.behind_tls,
            Some(3600),
        ),
    );
    response
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    sign_in_form(
        &state,
        &headers,
        "",
        local_path(&query.next),
        None,
        StatusCode::OK,
    )
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    form: FormData,
) -> Response {
    let username = form.get("username");
    let next = local_path(form.get("next"));
    let token = cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if !tokens_match(form.get("csrf_token"), &token) {
        return sign_in_form(
            &state,
            &headers,
            username,
            next,
            Some("This sign-in form has expired or did not come from frontdoor. Enter your username and password again.".into()),
            StatusCode::FORBIDDEN,
        );
    }
    match state
        .app
        .sign_in(username, form.get("password"), &client.to_string())
        .await
    {
        Ok(session) => {
            let mut response = see_other(next);
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &session.token,
                    state.settings.behind_tls,
                    None,
                ),
            );
            headers.append(
                header::SET_COOKIE,
                set_cookie(SIGN_IN_COOKIE, "", state.settings.behind_tls, Some(0)),
            );
            response
        }
        Err(AppError::SignIn(message)) => sign_in_form(
            &state,
            &headers,
            username,
            next,
            Some(message.to_string()),
            StatusCode::UNAUTHORIZED,
        ),
        Err(AppError::TooManySignIns {
            message,
            retry_after_seconds,
        }) => with_retry_after(
            sign_in_form(
                &state,
                &headers,
                username,
                next,
                Some(message),
                StatusCode::TOO_MANY_REQUESTS,
            ),
            retry_after_seconds,
        ),
        Err(AppError::Busy(message)) => with_retry_after(
            sign_in_form(
                &state,
                &headers,
                username,
                next,
                Some(message.to_string()),
                StatusCode::SERVICE_UNAVAILABLE,
            ),
            frontdoor_app::BUSY_RETRY_AFTER_SECONDS,
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// Adds `Retry-After: seconds`.
pub fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        for local in [
            "/",
            "/contacts?x=1",
            "/people/search?q=Kate%20Mahoney",
            "/contacts/abc#top",
        ] {
            assert_eq!(local_path(local), local);
        }
        for elsewhere in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/\t/evil.example",
            "/contacts\nSet-Cookie: x=1",
            "/contacts\r\nLocation: //evil.example",
            "/a\\b",
            "/caf\u{e9}",
            "",
        ] {
            assert_eq!(local_path(elsewhere), "/", "{elsewhere:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), "/");
    }

    #[test]
    fn a_redirect_never_panics_and_never_leaves_the_site() {
        for next in ["/ok", "/\n", "//evil", "\u{7f}"] {
            let response = see_other(next);
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            let location = response.headers()[header::LOCATION].to_str().expect("text");
            assert!(location == "/ok" || location == "/", "{location}");
        }
    }
}
