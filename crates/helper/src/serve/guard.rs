//! The checks every request passes before it reaches a handler.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState};

/// Header a Chrome sends in a Private Network Access preflight.
const REQUEST_PRIVATE_NETWORK: &str = "access-control-request-private-network";
/// Header that allows a public page to reach this loopback server.
const ALLOW_PRIVATE_NETWORK: &str = "access-control-allow-private-network";

/// Rejects any request whose `Host` is not a loopback name with our port, so a page on a
/// hostile domain that re-points its name at 127.0.0.1 (DNS rebinding) gets nothing. Also
/// logs each request at debug level with its outcome.
pub async fn host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();

    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    let allowed = host.as_deref().is_some_and(|host| {
        state
            .0
            .allowed_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host))
    });

    let response = if allowed {
        next.run(request).await
    } else {
        ApiError::HostNotAllowed(host.unwrap_or_default()).into_response()
    };

    tracing::debug!(
        %method,
        %path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// Applies CORS for exact allowed origins and responds to preflights, including Private Network
/// Access preflights.
///
/// A request without `Origin` (a navigation, `curl`) passes unchanged. A request with an
/// `Origin` that is not allowed is rejected outright, preflight or not, so a cross-site form
/// post cannot reach a handler either.
pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(origin) = request.headers().get(header::ORIGIN).cloned() else {
        return next.run(request).await;
    };
    let origin_text = origin.to_str().unwrap_or_default();
    let allowed = state
        .allowed_origins()
        .iter()
        .any(|allowed| allowed.matches_header(origin_text));
    if !allowed {
        return ApiError::OriginNotAllowed(origin_text.to_owned()).into_response();
    }

    let headers = request.headers();
    let is_preflight = request.method() == Method::OPTIONS
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if is_preflight {
        let private_network = headers
            .get(REQUEST_PRIVATE_NETWORK)
            .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"true"));
        let mut response = StatusCode::NO_CONTENT.into_response();
        let out = response.headers_mut();
        out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        out.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        out.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        out.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        out.insert(header::VARY, HeaderValue::from_static("Origin"));
        if private_network {
            out.insert(ALLOW_PRIVATE_NETWORK, HeaderValue::from_static("true"));
        }
        return response;
    }

    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    out.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// Adds headers to every response: no MIME sniffing, no referrer, and no caching of API
/// responses.
pub async fn page_headers(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if is_api {
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Limits how often one client may call the API.
pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    match state.0.rate.check(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(retry_after) => ApiError::RateLimited(retry_after).into_response(),
    }
}

/// Proof that the request carried the pairing secret. Take it as the first argument of any
/// handler that runs a command or uses credentials.
pub struct Paired;

impl FromRequestParts<AppState> for Paired {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Paired, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::PairingMissing)?;
        let value = header.to_str().map_err(|_| ApiError::PairingInvalid)?;
        if state.0.secret.matches_header(value) {
            Ok(Paired)
        } else {
            Err(ApiError::PairingInvalid)
        }
    }
}
