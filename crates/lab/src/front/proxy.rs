//! Forwarding of registry requests to distribution, and of its responses back, unchanged.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::Response;

use super::acr_error;
use crate::context::Context;

/// Headers that belong to one connection and must not be forwarded.
const HOP_BY_HOP: [&str; 7] = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

/// Forwards `request` to distribution. The `Host` header is kept, so the absolute URLs
/// distribution builds (upload locations) point back at the login server.
pub async fn forward(context: &Context, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map(|value| value.as_str()).unwrap_or("/");
    let target = format!("http://{}{}", context.distribution, path);
    parts.uri = match target.parse::<Uri>() {
        Ok(uri) => uri,
        Err(error) => {
            tracing::error!(cause = %error, target, "request path does not form a valid URI");
            return acr_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "the request path is not valid");
        }
    };
    for name in HOP_BY_HOP {
        parts.headers.remove(name);
    }
    parts
        .headers
        .insert(HeaderName::from_static("x-forwarded-proto"), HeaderValue::from_static(context.scheme));
    if !parts.headers.contains_key(header::HOST) {
        if let Ok(host) = HeaderValue::from_str(&context.service) {
            parts.headers.insert(header::HOST, host);
        }
    }

    match context.client.request(Request::from_parts(parts, body)).await {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            for name in HOP_BY_HOP {
                parts.headers.remove(name);
            }
            Response::from_parts(parts, Body::new(body))
        }
        Err(error) => {
            tracing::error!(cause = %error, distribution = %context.distribution, "distribution did not respond");
            acr_error(StatusCode::BAD_GATEWAY, "UNAVAILABLE", "the registry backend did not respond")
        }
    }
}
