//! frontdoor's HTTP server: server-rendered pages (GOV.UK Design System components, working
//! without JavaScript) and a JSON API under `/api/`. Handlers call `frontdoor_app` use cases and
//! nothing below them.
#![forbid(unsafe_code)]

mod admin;
mod api;
mod assets;
mod auth;
mod errors;
mod forms;
mod merging;
mod pages;
mod public_form;
mod security;
mod views;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::App;
use frontdoor_domain::ids::AuthorityId;
use std::net::SocketAddr;
use std::sync::Arc;

pub use public_form::RateLimiter;

/// Settings for the web layer.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Set the Secure flag on cookies and send HSTS: true whenever the service is reached over
    /// TLS (directly or through a proxy that terminates it).
    pub behind_tls: bool,
    /// The authority whose online referral form is served at `/refer`.
    pub public_authority: AuthorityId,
    /// Online referral form submissions allowed per client address per 10 minutes.
    pub referrals_per_client: u32,
}

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub settings: Arc<WebSettings>,
    pub referral_limiter: Arc<RateLimiter>,
    pub authority_name: Arc<String>,
}

/// The largest request body accepted (a long contact summary fits comfortably).
const BODY_LIMIT_BYTES: usize = 256 * 1024;

pub async fn router(app: App, settings: WebSettings) -> Result<Router, frontdoor_app::AppError> {
    let authority = app.public_authority(settings.public_authority).await?;
    let state = AppState {
        referral_limiter: Arc::new(RateLimiter::new(
            settings.referrals_per_client,
            std::time::Duration::from_secs(600),
        )),
        settings: Arc::new(settings),
        authority_name: Arc::new(authority.name),
        app,
    };
    let router = Router::new()
        .route("/healthz", get(pages::healthz))
        .route("/", get(pages::home))
        .route("/sign-in", get(auth::sign_in_page).post(auth::sign_in))
        .route("/sign-out", post(auth::sign_out))
        .route("/contacts", get(pages::queue))
        .route(
            "/contacts/new",
            get(pages::new_contact_page).post(pages::record_contact),
        )
        .route("/contacts/{id}", get(pages::contact_page))
        .route(
            "/contacts/{id}/subjects/{subject}/link",
            get(pages::link_page).post(pages::link_subject),
        )
        .route("/contacts/{id}/recommendation", post(pages::recommend))
        .route("/contacts/{id}/review", post(pages::review))
        .route(
            "/contacts/{id}/emergency-action",
            post(pages::emergency_action),
        )
        .route("/people/search", get(pages::person_search))
        .route("/people/duplicates", get(merging::duplicates))
        .route(
            "/people/merge",
            get(merging::merge_form).post(merging::merge),
        )
        .route("/people/merges/{id}/reverse", post(merging::reverse))
        .route("/people/{id}", get(pages::person_page))
        .route(
            "/refer",
            get(public_form::form_page).post(public_form::submit),
        )
        .route("/refer/done/{reference}", get(public_form::done_page))
        .route("/assets/{*path}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .merge(admin::routes())
        .nest("/api", api::router())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            errors::with_signed_in_header,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .with_state(state);
    Ok(router)
}

/// Serves until Ctrl-C (or SIGTERM).
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
