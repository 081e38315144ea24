//! CORS as ARM sends it: any origin is echoed, preflights get a response before authentication,
//! and no credentials are allowed, because ARM's callers authenticate with bearer tokens.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const ALLOWED_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const DEFAULT_ALLOWED_HEADERS: &str = "Authorization, Content-Type, Accept";
const EXPOSED_HEADERS: &str = "WWW-Authenticate, Retry-After, Content-Length";

/// Responds to preflights and adds `Access-Control-Allow-Origin` to every other response that
/// carries an `Origin`.
pub async fn layer(request: Request, next: Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    if request.method() == Method::OPTIONS {
        return preflight(origin, request.headers());
    }
    let mut response = next.run(request).await;
    if let Some(origin) = origin {
        decorate(response.headers_mut(), origin);
    }
    response
}

/// Responds to a preflight, allowing the method and the headers it requests.
fn preflight(origin: Option<HeaderValue>, request_headers: &HeaderMap) -> Response {
    let allowed_headers = request_headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static(DEFAULT_ALLOWED_HEADERS));
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    decorate(headers, origin.unwrap_or(HeaderValue::from_static("*")));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOWED_METHODS),
    );
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allowed_headers);
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("3600"),
    );
    response
}

fn decorate(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}
