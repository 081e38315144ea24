//! The ACR-style front on the login server's port.
//!
//! It serves the challenge, the exchange and the token endpoints itself, redirects blob
//! downloads to the storage listener, and proxies every other registry path to distribution
//! unchanged. A middleware applies what every route shares: hang, latency, the firewall, CORS
//! and the skewed `Date` header.

mod blob;
mod challenge;
pub mod cors;
mod hostile;
mod oauth;
mod proxy;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use serde_json::json;

use crate::context::Context;
use crate::scenario::Scenario;

/// Builds the login server's router.
pub fn app(context: Arc<Context>) -> Router {
    Router::new()
        .route("/v2/", get(challenge::challenge))
        .route("/oauth2/exchange", any(oauth::exchange))
        .route(
            "/oauth2/token",
            get(oauth::token_get).post(oauth::token_post),
        )
        .route("/v2/{*rest}", any(registry_path))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            context.clone(),
            scenario_layer,
        ))
        .with_state(context)
}

/// Routes a registry path: blob downloads get a redirect, everything else goes to distribution.
async fn registry_path(State(context): State<Arc<Context>>, request: Request) -> Response {
    if request.method() == Method::GET && blob::blob_reference(request.uri().path()).is_some() {
        return blob::redirect(&context, request).await;
    }
    proxy::forward(&context, request).await
}

async fn not_found() -> Response {
    acr_error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "the requested path does not exist on this registry",
    )
}

/// Applies the behaviour every route shares, in the order a real deployment would: a hung
/// server sends nothing, latency delays everything, the firewall rejects before routing, and
/// CORS and `Date` decorate whatever response comes back.
async fn scenario_layer(
    State(context): State<Arc<Context>>,
    request: Request,
    next: Next,
) -> Response {
    let current = context.settings.current();
    tracing::debug!(method = %request.method(), uri = %request.uri(), scenario = %current.scenario, "login server request");

    if current.scenario == Scenario::Hang {
        std::future::pending::<()>().await;
    }
    if current.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(current.latency_ms)).await;
    }

    let origin = match current.scenario {
        Scenario::CorsOff => None,
        _ => cors::allowed_origin(request.headers()),
    };
    if request.method() == Method::OPTIONS {
        if let Some(origin) = origin {
            return cors::preflight(origin, request.headers());
        }
    }

    let path = request.uri().path();
    let behind_firewall = path.starts_with("/v2") || path.starts_with("/oauth2");
    let mut response = if current.scenario == Scenario::FirewallV2 && behind_firewall {
        denied(client_ip(&request))
    } else {
        next.run(request).await
    };

    if let Some(origin) = origin {
        cors::decorate(response.headers_mut(), origin);
    }
    if current.scenario == Scenario::ClockSkew {
        let date = httpdate::fmt_http_date(context.now_time());
        if let Ok(value) = HeaderValue::from_str(&date) {
            response.headers_mut().insert(header::DATE, value);
        }
    }
    response
}

/// Returns the client's IP address as the firewall sees it.
fn client_ip(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Builds ACR's response when a network rule blocks the client.
fn denied(ip: String) -> Response {
    let message = format!("client with IP '{ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.");
    acr_error(StatusCode::FORBIDDEN, "DENIED", &message)
}

/// Builds an error response in the body format of the registry API: `{"errors":[{"code","message"}]}`.
pub fn acr_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "code": code, "message": message, "detail": null }] });
    json_response(status, body.to_string())
}

/// Builds a response with a JSON body given as text.
pub fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.into(),
    )
        .into_response()
}
