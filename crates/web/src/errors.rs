//! How failures look to a person (a page) and to a program (RFC 9457 problem details).

use crate::views::ErrorPage;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use frontdoor_app::{AppError, FieldError};

/// A failure shown as a page.
#[derive(Debug)]
pub enum PageError {
    Forbidden(String),
    NotFound(String),
    Conflict(String),
    BadRequest(String),
    /// Too busy now: 503 with Retry-After.
    Busy(String),
    Internal,
}

impl PageError {
    /// The answer for an address naming a record that is not there: "There is no such {what}."
    pub fn no_such(what: &str) -> Self {
        PageError::NotFound(format!("There is no such {what}."))
    }
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        match error.normalise() {
            AppError::Denied(reason) => PageError::Forbidden(reason.message().to_string()),
            AppError::NotFound(what) => PageError::NotFound(format!(
                "{what} was not found. Check the link, or search again."
            )),
            AppError::Conflict(message) => PageError::Conflict(message),
            AppError::Invalid(errors) => PageError::BadRequest(
                errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            AppError::SignIn(message) => PageError::Forbidden(message.to_string()),
            AppError::TooManySignIns { message, .. } => PageError::Forbidden(message),
            AppError::Busy(message) => PageError::Busy(message.to_string()),
            AppError::Store(error) => {
                tracing::error!(%error, "store error");
                PageError::Internal
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            PageError::Forbidden(m) => (StatusCode::FORBIDDEN, "You cannot do this", m),
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, "Page not found", m),
            PageError::Conflict(m) => (StatusCode::CONFLICT, "This cannot be done now", m),
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, "There is a problem", m),
            PageError::Busy(m) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, the service is busy",
                m,
            ),
            PageError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "Try again later. Nothing you entered has been half-saved: if the page did not confirm it, it was not saved.".to_string(),
            ),
        };
        let mut response = crate::views::render(&ErrorPage {
            chrome: crate::views::Chrome::anonymous(),
            title,
            message: message.clone(),
        });
        *response.status_mut() = status;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(frontdoor_app::BUSY_RETRY_AFTER_SECONDS),
            );
        }
        // Rendered without knowing who asked; `with_signed_in_header` redraws it for a
        // signed-in worker.
        response
            .extensions_mut()
            .insert(ErrorPageContent { title, message });
        response
    }
}

/// What an error page says, kept on its response so that it can be drawn again.
#[derive(Debug, Clone)]
struct ErrorPageContent {
    title: &'static str,
    message: String,
}

/// Middleware: an error page for a signed-in worker keeps their header (name, navigation,
/// sign out), as every other page does; a page error cannot see who asked.
pub async fn with_signed_in_header(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let token = crate::auth::cookie(request.headers(), crate::auth::SESSION_COOKIE);
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let (Some(token), Some(content)) = (token, response.extensions().get::<ErrorPageContent>())
    else {
        return response;
    };
    let Ok(Some(worker)) = state.app.session(&token).await else {
        return response;
    };
    let mut page = crate::views::render(&ErrorPage {
        chrome: crate::views::Chrome::for_worker(&state, &worker, &path),
        title: content.title,
        message: content.message.clone(),
    });
    *page.status_mut() = response.status();
    for (name, value) in response.headers() {
        if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
            page.headers_mut().insert(name.clone(), value.clone());
        }
    }
    page
}

/// A failure as RFC 9457 problem details, with the fields that are wrong.
pub struct Problem {
    pub status: StatusCode,
    pub title: String,
    pub detail: String,
    pub errors: Vec<FieldError>,
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let (status, title, detail, errors) = match error.normalise() {
            AppError::Denied(reason) => (
                StatusCode::FORBIDDEN,
                "Forbidden",
                reason.message().to_string(),
                vec![],
            ),
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "Not found",
                format!("{what} was not found."),
                vec![],
            ),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "Conflict", m, vec![]),
            AppError::Invalid(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid request",
                "Correct the fields listed in errors.".to_string(),
                errors,
            ),
            AppError::SignIn(m) => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                m.to_string(),
                vec![],
            ),
            AppError::TooManySignIns { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                message,
                vec![],
            ),
            AppError::Busy(m) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service busy",
                m.to_string(),
                vec![],
            ),
            AppError::Store(error) => {
                tracing::error!(%error, "store error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "Try again later; nothing was half-saved.".to_string(),
                    vec![],
                )
            }
        };
        Problem {
            status,
            title: title.to_string(),
            detail,
            errors,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
            "errors": self.errors.iter().map(|e| serde_json::json!({
                "pointer": format!("/{}", e.field.replace(['.', '['], "/").replace(']', "")),
                "field": e.field,
                "detail": e.message,
            })).collect::<Vec<_>>(),
        });
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}
