//! frontdoor's HTTP server: server-rendered pages (GOV.UK Design System components, working
//! without JavaScript) and a JSON API under `/api/`. Handlers call `frontdoor_app` use cases and
//! nothing below them.
#![forbid(unsafe_code)]

mod admin;
mod api;
mod assets;
mod auth;
mod charts;
mod client_address;
mod errors;
mod forms;
mod merging;
mod pages;
mod public_form;
mod referral_progress;
mod security;
mod views;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request};
use axum::routing::{get, post};
use axum::Router;
use frontdoor_app::App;
use frontdoor_domain::ids::{AuthorityId, ContactId, EpisodeId};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

pub use client_address::parse_trusted_proxies;
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
    /// Reverse proxies whose `X-Forwarded-For` names the client (for per-address limits).
    /// Empty: the peer's address is the client's, and the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
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
        .route("/contacts", get(pages::contacts::queue::queue))
        .route(
            "/contacts/new",
            get(pages::contacts::new::new_contact_page).post(pages::contacts::new::record_contact),
        )
        .route("/contacts/{id}", get(pages::contacts::contact_page))
        .route(
            "/contacts/{id}/subjects/{subject}/link",
            get(pages::contacts::link::link_page).post(pages::contacts::link::link_subject),
        )
        .route(
            "/contacts/{id}/recommendation",
            post(pages::contacts::decisions::recommend),
        )
        .route(
            "/contacts/{id}/review",
            post(pages::contacts::decisions::review),
        )
        .route(
            "/contacts/{id}/emergency-action",
            post(pages::contacts::decisions::emergency_action),
        )
        .route("/triage", get(pages::triage::meetings))
        .route(
            "/triage/new",
            get(pages::triage::new_meeting_page).post(pages::triage::record_meeting),
        )
        .route("/triage/{id}", get(pages::triage::meeting_page))
        .route(
            "/contacts/{id}/information-requests",
            get(pages::information_requests::requests_page::<ContactId>)
                .post(pages::information_requests::send_request::<ContactId>),
        )
        .route(
            "/episodes/{id}/information-requests",
            get(pages::information_requests::requests_page::<EpisodeId>)
                .post(pages::information_requests::send_request::<EpisodeId>),
        )
        .route(
            "/information-requests/{id}/withdraw",
            post(pages::information_requests::withdraw),
        )
        .route("/partner/requests", get(pages::partner_portal::requests))
        .route(
            "/partner/requests/{id}",
            get(pages::partner_portal::request),
        )
        .route(
            "/partner/requests/{id}/answer",
            post(pages::partner_portal::answer),
        )
        .route("/notifications", get(pages::notifications::notifications))
        .route("/notifications/read", post(pages::notifications::mark_read))
        .route("/people/search", get(pages::people::person_search))
        .route("/people/duplicates", get(merging::duplicates))
        .route(
            "/people/merge",
            get(merging::merge_form).post(merging::merge),
        )
        .route("/people/merges/{id}/reverse", post(merging::reverse))
        .route("/people/{id}", get(pages::people::person_page))
        .route(
            "/episodes/{id}",
            get(pages::episodes::episode_page).post(pages::episodes::update),
        )
        .route("/episodes/{id}/close", post(pages::episodes::close))
        .route(
            "/episodes/{id}/strategy-discussions",
            post(pages::episodes::start_emergency),
        )
        .route(
            "/strategy-discussions/{id}",
            get(pages::strategy_discussions::discussion_page)
                .post(pages::strategy_discussions::record),
        )
        .route(
            "/strategy-discussions/{id}/sign-off",
            post(pages::strategy_discussions::sign_off),
        )
        .route(
            "/strategy-discussions/{id}/withdrawal",
            post(pages::strategy_discussions::withdraw),
        )
        .route(
            "/strategy-discussions/{id}/section-47",
            post(pages::section_47::start),
        )
        .route("/section-47/{id}/visits", post(pages::section_47::visit))
        .route("/section-47/{id}/outcome", post(pages::section_47::outcome))
        .route("/conferences/{id}", post(pages::conferences::hold))
        .route("/plans/{id}/visits", post(pages::protection_plans::visit))
        .route("/plans/{id}/end", post(pages::protection_plans::end))
        .route("/work-due", get(pages::work_due::work_due_page))
        .route("/workloads", get(pages::workloads::workloads_page))
        .route("/dashboard", get(pages::dashboard::dashboard))
        .route(
            "/dashboard/download",
            get(pages::dashboard::dashboard_download),
        )
        .route("/dashboard/{figure}", get(pages::dashboard::children))
        .route(
            "/dashboard/{figure}/download",
            get(pages::dashboard::children_download),
        )
        .route("/people/{id}/risk", get(pages::risk::child_risk_page))
        .route(
            "/people/{id}/relationships/new",
            get(pages::family_network::new_relationship_page),
        )
        .route(
            "/people/{id}/relationships",
            post(pages::family_network::record_relationship),
        )
        .route("/people/{id}/dash/new", get(pages::risk::new_dash_page))
        .route("/people/{id}/dash", post(pages::risk::record_dash))
        .route("/dash/{id}", get(pages::risk::dash_page))
        .route("/people/{id}/cse/new", get(pages::cse::new_screening_page))
        .route("/people/{id}/cse", post(pages::cse::record_screening))
        .route("/cse-screenings/{id}", get(pages::cse::screening_page))
        .route(
            "/cse-screenings/{id}/safety-plan",
            post(pages::cse::start_plan),
        )
        .route("/cse-screenings/{id}/review", post(pages::cse::review))
        .route("/risk-management-group", get(pages::cse::group_page))
        .route("/early-help", get(pages::early_help::index))
        .route("/early-help/{id}", get(pages::early_help::episode_page))
        .route(
            "/early-help/{id}/allocation",
            post(pages::early_help::allocate),
        )
        .route(
            "/early-help/{id}/family-contacts",
            post(pages::early_help::family_contact),
        )
        .route(
            "/early-help/{id}/consents",
            post(pages::early_help::consent),
        )
        .route(
            "/early-help/{id}/safeguarding-overrides",
            post(pages::early_help::safeguarding_override),
        )
        .route(
            "/early-help/{id}/lead-professional",
            post(pages::early_help::lead),
        )
        .route(
            "/early-help/{id}/assessment/start",
            post(pages::early_help::start_assessment),
        )
        .route(
            "/early-help/{id}/assessment/complete",
            post(pages::early_help::complete_assessment),
        )
        .route(
            "/early-help/{id}/actions",
            post(pages::early_help::add_action),
        )
        .route(
            "/early-help/{id}/actions/{action}/done",
            post(pages::early_help::complete_action),
        )
        .route("/early-help/{id}/close", post(pages::early_help::close))
        .route("/early-help/{id}/step-up", post(pages::early_help::step_up))
        .route(
            "/episodes/{id}/step-down",
            post(pages::early_help::step_down),
        )
        .route("/partner/early-help", get(pages::early_help_partner::led))
        .route(
            "/partner/early-help/{id}",
            get(pages::early_help_partner::episode),
        )
        .route(
            "/partner/early-help/{id}/assessment/start",
            post(pages::early_help_partner::start),
        )
        .route(
            "/partner/early-help/{id}/assessment/complete",
            post(pages::early_help_partner::complete),
        )
        .route(
            "/threshold-prompts",
            get(pages::threshold_prompts::departures_page),
        )
        .route(
            "/people/{id}/safety-plans",
            post(pages::safety_plans::start),
        )
        .route(
            "/safety-plans/{id}",
            get(pages::safety_plans::plan_page).post(pages::safety_plans::record),
        )
        .route(
            "/safety-plans/{id}/sign-off",
            post(pages::safety_plans::sign_off),
        )
        .route(
            "/episodes/{id}/assessments",
            post(pages::assessments::start),
        )
        .route("/assessments", get(pages::assessments::index))
        .route("/assessments/report", get(pages::assessments::report))
        .route(
            "/assessments/{id}",
            get(pages::assessments::assessment_page).post(pages::assessments::save),
        )
        .route("/assessments/{id}/visits", post(pages::assessments::visit))
        .route("/assessments/{id}/submit", post(pages::assessments::submit))
        .route(
            "/assessments/{id}/authorise",
            post(pages::assessments::authorise),
        )
        .route(
            "/assessments/{id}/return",
            post(pages::assessments::return_to_worker),
        )
        .route(
            "/audits",
            get(pages::audits::index).post(pages::audits::plan),
        )
        .route("/audits/new", get(pages::audits::plan_page))
        .route(
            "/audits/tools",
            get(pages::audits::tools_page).post(pages::audits::add_tool),
        )
        .route("/audits/report", get(pages::audits::report))
        .route("/audits/{id}", get(pages::audits::audit_page))
        .route("/audits/{id}/invitations", post(pages::audits::invite))
        .route(
            "/audits/cases/{id}",
            get(pages::audits::case::case_page).post(pages::audits::case::save_answers),
        )
        .route("/audits/cases/{id}/start", post(pages::audits::case::start))
        .route(
            "/audits/cases/{id}/complete",
            post(pages::audits::case::complete),
        )
        .route(
            "/audits/cases/{id}/actions",
            post(pages::audits::case::add_action),
        )
        .route(
            "/audits/actions/{id}/done",
            post(pages::audits::case::action_done),
        )
        .route("/returns", get(pages::returns::index))
        .route("/returns/cin-census", get(pages::returns::cin_census))
        .route(
            "/returns/cin-census.xml",
            get(pages::returns::cin_census_file),
        )
        .route("/returns/annex-a", get(pages::returns::annex_a))
        .route(
            "/returns/annex-a.xlsx",
            get(pages::returns::annex_a_workbook),
        )
        .route("/returns/annex-a/{file}", get(pages::returns::annex_a_csv))
        .route("/supervision", get(pages::supervision::index))
        .route(
            "/supervision/new",
            get(pages::supervision::new_page).post(pages::supervision::record),
        )
        .route("/supervision/drift", get(pages::supervision::drift_page))
        .route(
            "/supervision/actions/{id}",
            get(pages::supervision::action_page),
        )
        .route(
            "/supervision/actions/{id}/complete",
            post(pages::supervision::complete),
        )
        .route(
            "/supervision/{id}",
            get(pages::supervision::supervision_page),
        )
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

/// Limits on connections, so that clients holding connections open cannot starve the server.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// A client must send a request's headers within this time (timed from when the server
    /// starts waiting for them, so an idle kept-alive connection is closed after it too).
    pub header_read_timeout: Duration,
    /// Connections served at once; further clients wait in the listen queue.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// Serves until Ctrl-C (or SIGTERM), with the default [`ConnectionLimits`].
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    serve_with_limits(listener, router, ConnectionLimits::default()).await
}

/// Serves HTTP/1.1 until Ctrl-C (or SIGTERM): each connection must send its request headers
/// within `header_read_timeout`, and at most `max_connections` are served at once. On
/// shutdown, requests in progress are finished (for up to 30 seconds).
pub async fn serve_with_limits(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    let max_connections = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let connections = Arc::new(Semaphore::new(max_connections));
    let (closing, closing_seen) = tokio::sync::watch::channel(false);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let router = router.clone();
        let mut closing_seen = closing_seen.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let service =
                hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    let mut router = router.clone();
                    async move {
                        tower::Service::call(&mut router, request.map(axum::body::Body::new)).await
                    }
                });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(error) = result {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                }
                _ = closing_seen.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let _ = closing.send(true);
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(30), connections.acquire_many(all)).await;
    Ok(())
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
