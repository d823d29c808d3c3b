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
    /// How many rows of a repeated field the form sent (`prefix[0].…` to `prefix[n-1].…`),
    /// at most 200: blank rows count, so that errors name the row the user sees.
    pub fn rows(&self, prefix: &str) -> usize {
        self.0
            .iter()
            .filter_map(|(name, _)| {
                let rest = name.strip_prefix(prefix)?.strip_prefix('[')?;
                rest.split(']').next()?.parse::<usize>().ok()
            })
            .max()
            .map(|last| last + 1)
            .unwrap_or(0)
            .min(200)
    }
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

/// A form field's name made into an HTML id ("children[0].given_name" → "children-0-given_name").
pub fn field_id(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .replace("--", "-")
        .trim_end_matches('-')
        .to_string()
}

/// Form values and errors, for re-showing a form exactly as it was sent.
#[derive(Default)]
pub struct FormState {
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
    /// The record the form was sent for, where a page repeats a form once per record (see
    /// [`FormState::share_among`]).
    pub record: Option<String>,
    /// What this form's field ids start with, to tell a repeated form's fields apart.
    pub id_prefix: String,
}

impl FormState {
    /// A form shown first, filled in with these values.
    pub fn filled(values: Vec<(String, String)>) -> Self {
        FormState {
            values,
            ..FormState::default()
        }
    }
    /// A form as it was sent, refused with these errors (never its CSRF token: the page adds
    /// the session's own).
    pub fn sent(form: FormData, errors: Vec<FieldError>) -> Self {
        FormState {
            values: form
                .0
                .into_iter()
                .filter(|(name, _)| name != "csrf_token")
                .collect(),
            errors,
            ..FormState::default()
        }
    }
    /// This form as sent for one record, where its page repeats the form once per record.
    pub fn for_record(self, record: Option<String>) -> Self {
        FormState { record, ..self }
    }
    /// Gives each of a page's repeated forms (one per record: the visit form of each open
    /// enquiry, say) a state of its own, so that ids stay unique on the page: the form that was
    /// sent — or, when none of them was, the first — keeps plain ids (so the error summary's
    /// links find it), the others' start with `{kind}-{record}-`; only the form that was sent
    /// shows what was sent and its errors. `forms` pairs each record's id with its form's slot.
    pub fn share_among<'a>(
        &self,
        kind: &str,
        forms: impl IntoIterator<Item = (&'a str, &'a mut FormState)>,
    ) {
        let forms: Vec<_> = forms.into_iter().collect();
        let sent = forms
            .iter()
            .position(|(record, _)| self.record.as_deref() == Some(*record));
        let plain = sent.unwrap_or(0);
        for (i, (record, slot)) in forms.into_iter().enumerate() {
            let was_sent = sent == Some(i);
            *slot = FormState {
                values: if was_sent {
                    self.values.clone()
                } else {
                    vec![]
                },
                errors: if was_sent {
                    self.errors.clone()
                } else {
                    vec![]
                },
                record: Some(record.to_string()),
                id_prefix: if i == plain {
                    String::new()
                } else {
                    format!("{kind}-{record}-")
                },
            };
        }
    }
    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    pub fn checked(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(n, v)| n == name && v == value)
    }
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
    pub fn id(&self, name: &str) -> String {
        format!("{}{}", self.id_prefix, field_id(name))
    }
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
    /// One choice per entry of a code list: its code, labelled in words.
    pub fn each<T>(
        items: &[T],
        code_and_label: impl Fn(&T) -> (&'static str, &'static str),
    ) -> Vec<Choice> {
        items
            .iter()
            .map(|item| {
                let (code, label) = code_and_label(item);
                Choice::new(code, label)
            })
            .collect()
    }
    /// One choice per entry of a code list, labelled in words with the code after them, as
    /// the census lists are known ("Abuse or neglect (N1)").
    pub fn each_with_code<T>(
        items: &[T],
        code_and_label: impl Fn(&T) -> (&'static str, &'static str),
    ) -> Vec<Choice> {
        Choice::each(items, code_and_label)
            .into_iter()
            .map(|c| Choice {
                label: format!("{} ({})", c.label, c.value),
                ..c
            })
            .collect()
    }
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

#[cfg(test)]
mod tests {
    use super::FormState;
    use frontdoor_app::FieldError;

    fn sent_for(record: &str) -> FormState {
        FormState {
            values: vec![("visited_by".into(), "Alex".into())],
            errors: vec![FieldError {
                field: "visited_by".into(),
                message: "Say who visited.".into(),
            }],
            ..FormState::default()
        }
        .for_record(Some(record.into()))
    }

    fn shared(form: &FormState, records: &[&str]) -> Vec<FormState> {
        let mut forms: Vec<FormState> = records.iter().map(|_| FormState::default()).collect();
        form.share_among("enquiry", records.iter().copied().zip(forms.iter_mut()));
        forms
    }

    #[test]
    fn a_page_with_one_form_per_record_never_repeats_an_id() {
        let forms = shared(&FormState::default(), &["a", "b", "c"]);
        let ids: Vec<String> = forms.iter().map(|f| f.id("attendees[1].name")).collect();
        assert_eq!(
            ids,
            [
                "attendees-1-name",
                "enquiry-b-attendees-1-name",
                "enquiry-c-attendees-1-name"
            ]
        );
        assert!(forms.iter().all(|f| !f.has_errors()));
    }

    #[test]
    fn only_the_form_that_was_sent_shows_its_values_and_errors_under_plain_ids() {
        let forms = shared(&sent_for("b"), &["a", "b"]);
        assert_eq!(forms[1].id("visited_by"), "visited_by");
        assert_eq!(forms[1].value("visited_by"), "Alex");
        assert_eq!(forms[1].error("visited_by"), Some("Say who visited."));
        assert_eq!(forms[0].id("visited_by"), "enquiry-a-visited_by");
        assert_eq!(forms[0].value("visited_by"), "");
        assert!(!forms[0].has_errors());
    }
}
