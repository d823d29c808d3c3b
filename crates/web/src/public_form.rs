//! The online referral form: for professionals and the public, no account needed. Protected
//! against abuse by a per-client rate limit, a body size limit, a honeypot field, and a
//! double-submit token that ties each submission to a page this server served.

use crate::auth::{cookie, set_cookie};
use crate::client_address::ClientAddress;
use crate::errors::PageError;
use crate::forms::{tokens_match, FormData, FormState};
use crate::pages::contacts::new::contact_input;
use crate::views::{render, render_form, Chrome, ContactChoices, PublicDonePage, PublicFormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use frontdoor_app::AppError;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FORM_COOKIE: &str = "fd_referral_form";

/// A fixed-window limit on submissions per client address.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt; false when the client is over its limit.
    pub fn allow(&self, client: IpAddr) -> bool {
        let Ok(mut counts) = self.counts.lock() else {
            return false;
        };
        let now = Instant::now();
        if counts.len() > 100_000 {
            counts.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = counts.entry(client).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

fn form_token(headers: &HeaderMap) -> String {
    cookie(headers, FORM_COOKIE)
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| {
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            hex::encode(bytes)
        })
}

/// The referral form, blank or as sent with its errors (422), with its double-submit token.
fn form_response(state: &AppState, token: String, form: FormState) -> Response {
    let page = PublicFormPage {
        chrome: Chrome::public(state),
        form,
        choices: ContactChoices::new(true),
        form_token: token.clone(),
    };
    let mut response = render_form(&page, &page.form);
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(FORM_COOKIE, &token, state.settings.behind_tls, Some(3600)),
    );
    response
}

async fn blank_form(state: &AppState, headers: &HeaderMap) -> Response {
    let form = FormState::filled(vec![("urgency".into(), "standard".into())]);
    form_response(state, form_token(headers), form)
}

pub async fn form_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    blank_form(&state, &headers).await
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    form: FormData,
) -> Response {
    if !state.referral_limiter.allow(client) {
        return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "600")], "Too many referrals have been sent from your connection. Wait 10 minutes, or phone us. If a child is in immediate danger, call 999.").into_response();
    }
    let token = cookie(&headers, FORM_COOKIE).unwrap_or_default();
    if !tokens_match(form.get("form_token"), &token) {
        return PageError::Forbidden(
            "This form has expired. Go back, reload the page and send it again. Nothing was saved."
                .into(),
        )
        .into_response();
    }
    // Robots fill every field; people never see this one.
    if !form.get("website").is_empty() {
        tracing::info!(%client, "online referral honeypot triggered");
        return Redirect::to("/refer/done/received").into_response();
    }
    match state
        .app
        .submit_online_referral(state.settings.public_authority, &contact_input(&form))
        .await
    {
        Ok(contact) => Redirect::to(&format!("/refer/done/{}", contact.reference)).into_response(),
        Err(AppError::Invalid(errors)) => {
            form_response(&state, token, FormState::sent(form, errors))
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

pub async fn done_page(State(state): State<AppState>, Path(reference): Path<String>) -> Response {
    // Show only something shaped like a reference: the page must not echo arbitrary text.
    let reference = if reference.len() <= 20
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && reference.starts_with("FD-")
    {
        reference
    } else {
        "sent".to_string()
    };
    render(&PublicDonePage {
        chrome: Chrome::public(&state),
        reference,
    })
}
