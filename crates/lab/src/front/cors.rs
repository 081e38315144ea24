//! CORS for loopback origins: the page the tests and the demo serve runs on loopback.
//!
//! The login server reflects allowed origins instead of sending `*`, and exposes the headers the
//! page must read (the challenge, the clock, the digest). Preflights get a response before any
//! auth check, which plain distribution does not do.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const EXPOSED_HEADERS: &str =
    "WWW-Authenticate, Date, Docker-Content-Digest, Docker-Distribution-Api-Version, Location, Retry-After, Content-Length";
const ALLOWED_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const DEFAULT_ALLOWED_HEADERS: &str = "Authorization, Content-Type, Accept";

/// Returns the request's `Origin` when it is an http or https origin on a loopback host.
pub fn allowed_origin(headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))?;
    let host = if let Some(bracketed) = rest.strip_prefix('[') {
        bracketed.split_once(']')?.0
    } else {
        rest.split(':').next()?
    };
    matches!(host, "127.0.0.1" | "localhost" | "::1").then(|| origin.clone())
}

/// Responds to a CORS preflight from an allowed origin.
pub fn preflight(origin: HeaderValue, request_headers: &HeaderMap) -> Response {
    let allowed_headers = request_headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static(DEFAULT_ALLOWED_HEADERS));
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    decorate(headers, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOWED_METHODS),
    );
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allowed_headers);
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}

/// Adds the CORS headers of an actual (non-preflight) response.
pub fn decorate(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin_of(value: &str) -> Option<HeaderValue> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ORIGIN, HeaderValue::from_str(value).unwrap());
        allowed_origin(&headers)
    }

    #[test]
    fn loopback_origins_allowed() {
        for origin in [
            "http://127.0.0.1:8765",
            "http://localhost:3000",
            "https://localhost",
            "http://[::1]:80",
        ] {
            assert!(origin_of(origin).is_some(), "{origin}");
        }
    }

    #[test]
    fn other_origins_rejected() {
        for origin in [
            "http://example.test",
            "http://127.0.0.1.example.test",
            "null",
            "file://",
            "http://localhost.evil.test:1",
        ] {
            assert!(origin_of(origin).is_none(), "{origin}");
        }
    }
}
