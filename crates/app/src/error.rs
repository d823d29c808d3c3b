use frontdoor_domain::authorization::DenialReason;
use frontdoor_store::StoreError;
use thiserror::Error;

/// A field that is wrong, and how to put it right. `field` is the form field's name (and the
/// JSON pointer's last part), so pages can show the message beside it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Error)]
pub enum AppError {
    #[error("{0}")]
    Denied(DenialReason),
    #[error("There is a problem: {}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<FieldError>),
    #[error("{0} was not found.")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    SignIn(&'static str),
    /// Sign-in refused for a while after repeated failures (for this account, or from this
    /// address); the message says until when.
    #[error("{message}")]
    TooManySignIns {
        message: String,
        retry_after_seconds: u64,
    },
    /// The server is too busy to do this now (for example, checking passwords); try again.
    #[error("{0}")]
    Busy(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DenialReason> for AppError {
    fn from(reason: DenialReason) -> Self {
        AppError::Denied(reason)
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }
    /// Store "not found" errors become the app's, so callers match one variant.
    pub fn normalise(self) -> Self {
        match self {
            AppError::Store(StoreError::NotFound(what)) => AppError::NotFound(what),
            // A lost race the database caught (a unique key, a deadlock): a 409, never a 500.
            AppError::Store(StoreError::Duplicate(what)) => AppError::Conflict(format!(
                "That {what} already exists (perhaps saved a moment ago by someone else): reload and check."
            )),
            AppError::Store(error @ StoreError::Contention) => AppError::Conflict(error.to_string()),
            other => other,
        }
    }
}

/// Collects field errors while checking a form, then fails once with all of them.
#[derive(Default)]
pub(crate) struct Checks(pub Vec<FieldError>);

impl Checks {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    /// Keeps the parsed value, or records the error against `field`.
    pub fn take<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.to_string());
                None
            }
        }
    }
    /// Free text as typed, trimmed: too long or holding control characters is an error.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.chars().count() > max {
            self.add(field, format!("Must be {max} characters or fewer."));
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.add(field, "Remove the control characters from this field.");
        }
        value.to_string()
    }
    /// An optional coded or formatted value: blank is `None`, otherwise it must parse.
    pub fn optional<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        text: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        if text.trim().is_empty() {
            None
        } else {
            self.take(field, parse(text))
        }
    }
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}
