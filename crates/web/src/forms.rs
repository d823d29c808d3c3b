//! Reading HTML form bodies, the CSRF check every signed-in form passes, and what a page does
//! with a use case's answer to a form.

use crate::auth::Worker;
use crate::errors::PageError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::{AppError, FieldError, SignedIn};
use std::future::Future;

/// An `application/x-www-form-urlencoded` body as name/value pairs (names may repeat, and may
/// look like `children[0].given_name`).
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = Response;
    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The form could not be read: {e}"),
            )
                .into_response()
        })?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                "The form could not be read: send it from the page again.",
            )
                .into_response()
        })?;
        Ok(FormData(pairs))
    }
}

/// A form posted by a signed-in worker, its CSRF token checked against their session's: every
/// staff form comes in this way, so none can skip the check. Without a session the browser is
/// sent to sign in, as for any page.
pub struct SignedInForm(pub SignedIn, pub FormData);

impl FromRequest<AppState> for SignedInForm {
    type Rejection = Response;
    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Worker(worker) = Worker::from_request_parts(&mut parts, state).await?;
        let form = FormData::from_request(Request::from_parts(parts, body), state).await?;
        check_csrf(&worker, &form).map_err(IntoResponse::into_response)?;
        Ok(SignedInForm(worker, form))
    }
}

/// Checks the form's CSRF token against the session's.
pub fn check_csrf(worker: &SignedIn, form: &FormData) -> Result<(), PageError> {
    if tokens_match(form.get("csrf_token"), &worker.csrf_token) {
        Ok(())
    } else {
        Err(PageError::Forbidden("This form has expired or did not come from frontdoor. Go back, reload the page and try again.".into()))
    }
}

/// What a page does with a use case's answer to its form: done, on to the page `next` names
/// (see other); refused with field errors, the form `again` with them; any other failure, an
/// error page.
pub async fn after_form<T, Again>(
    result: Result<T, AppError>,
    next: impl FnOnce(T) -> String,
    again: impl FnOnce(Vec<FieldError>) -> Again,
) -> Result<Response, PageError>
where
    Again: Future<Output = Result<Response, PageError>>,
{
    match result {
        Ok(done) => Ok(Redirect::to(&next(done)).into_response()),
        Err(AppError::Invalid(errors)) => again(errors).await,
        Err(e) => Err(e.into()),
    }
}

/// A use case's field errors under the names a page gives those fields, where it names them
/// apart (two forms on one page that would otherwise share a name).
pub fn renamed_fields<T>(
    result: Result<T, AppError>,
    renames: &[(&str, &str)],
) -> Result<T, AppError> {
    result.map_err(|e| match e {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut error| {
                    if let Some((_, to)) = renames.iter().find(|(from, _)| error.field == *from) {
                        error.field = (*to).into();
                    }
                    error
                })
                .collect(),
        ),
        other => other,
    })
}

/// Constant-time comparison, so a token cannot be guessed a character at a time.
pub fn tokens_match(a: &str, b: &str) -> bool {
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}
