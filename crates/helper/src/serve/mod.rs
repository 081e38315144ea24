//! `acr-health-helper serve`: the built page and the JSON API on loopback.
//!
//! The router is built by [`app`] so that tests can call it without a socket; [`run`] puts it
//! on a listener. Every request passes, outermost first, the `Host` check, the CORS and
//! Private Network Access check, and, under `/api/`, the per-client rate limit and the body
//! size limit. Routes that run a command or use credentials also require the pairing secret.

mod api;
mod error;
mod guard;
pub mod origins;
mod rate;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::services::ServeDir;

use crate::pairing::PairingSecret;
use crate::run::RunContext;
pub use error::ApiError;
pub use origins::Origin;
use rate::RateLimiter;

/// The port the helper listens on unless `--port` sets another. The page looks for the
/// helper here first.
pub const DEFAULT_PORT: u16 = 8765;

/// Limits applied to API requests.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest request body accepted, in bytes. A run request is a few hundred bytes.
    pub body_bytes: usize,
    /// Requests one client may make to `/api/` within [`Limits::window`].
    pub requests_per_window: u32,
    pub window: Duration,
    /// Runs allowed at the same time. A run starts several commands, so this stays small.
    pub concurrent_runs: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: 16 * 1024,
            requests_per_window: 60,
            window: Duration::from_secs(60),
            concurrent_runs: 2,
        }
    }
}

/// Everything the server needs, fixed at start-up.
#[derive(Clone)]
pub struct ServeConfig {
    /// The port actually listened on (never 0 here: [`bind`] resolves an ephemeral port first).
    pub port: u16,
    /// Folder of the built page, served at `/`.
    pub dist: PathBuf,
    /// Origins allowed besides the helper's own, from `--allow-origin` and the config file.
    pub extra_origins: Vec<Origin>,
    pub secret: PairingSecret,
    pub limits: Limits,
    /// The context of every run: the commands' environment and the registry transport.
    pub context: Arc<RunContext>,
}

/// State shared by every request.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    port: u16,
    /// `Host` values accepted: the loopback names with our port.
    allowed_hosts: Vec<String>,
    /// The helper's own origins followed by the configured ones.
    allowed_origins: Vec<Origin>,
    secret: PairingSecret,
    rate: RateLimiter,
    /// Runs allowed at the same time; each holds a permit until its report is sent.
    run_slots: Arc<Semaphore>,
    context: Arc<RunContext>,
}

impl AppState {
    pub fn new(config: &ServeConfig) -> AppState {
        let port = config.port;
        let allowed_hosts = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        let mut allowed_origins = Origin::own(port);
        for origin in &config.extra_origins {
            if !allowed_origins.contains(origin) {
                allowed_origins.push(origin.clone());
            }
        }
        AppState(Arc::new(Inner {
            port,
            allowed_hosts,
            allowed_origins,
            secret: config.secret.clone(),
            rate: RateLimiter::new(config.limits.requests_per_window, config.limits.window),
            run_slots: Arc::new(Semaphore::new(config.limits.concurrent_runs)),
            context: Arc::clone(&config.context),
        }))
    }

    pub fn port(&self) -> u16 {
        self.0.port
    }

    pub fn run_slots(&self) -> Arc<Semaphore> {
        Arc::clone(&self.0.run_slots)
    }

    pub fn context(&self) -> Arc<RunContext> {
        Arc::clone(&self.0.context)
    }

    pub fn allowed_origins(&self) -> &[Origin] {
        &self.0.allowed_origins
    }

    /// Returns the page's address with the pairing secret in the fragment.
    pub fn pairing_url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/#pair={}",
            self.0.port,
            self.0.secret.expose()
        )
    }
}

/// Builds the router: the API under `/api/v1/` and the page everywhere else.
pub fn app(config: &ServeConfig) -> Router {
    let state = AppState::new(config);

    let api = Router::new()
        .route("/api/v1/capabilities", get(api::capabilities))
        .route("/api/v1/run", post(api::run))
        .layer(DefaultBodyLimit::max(config.limits.body_bytes))
        .route_layer(from_fn_with_state(state.clone(), guard::rate_limit));

    let page = ServeDir::new(&config.dist).append_index_html_on_directories(true);

    Router::new()
        .merge(api)
        .fallback_service(page)
        .layer(from_fn_with_state(state.clone(), guard::page_headers))
        .layer(from_fn_with_state(state.clone(), guard::cors))
        .layer(from_fn_with_state(state.clone(), guard::host))
        .with_state(state)
}

/// Binds `127.0.0.1:port` (0 for an ephemeral port) and returns the listener with the port
/// actually bound.
pub async fn bind(port: u16) -> std::io::Result<(TcpListener, u16)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    let bound = listener.local_addr()?.port();
    Ok((listener, bound))
}

/// Serves `config` on `listener` until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = AppState::new(&config);
    let origins: Vec<&str> = state.allowed_origins().iter().map(Origin::as_str).collect();
    tracing::info!(
        address = %listener.local_addr()?,
        dist = %config.dist.display(),
        allowed_origins = ?origins,
        "helper listening"
    );
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no index.html in the page folder; `/` returns 404");
    }

    let service = app(&config).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await?;
    tracing::info!("helper stopped");
    Ok(())
}
