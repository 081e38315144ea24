//! Forwarding of registry requests to distribution, and of its responses back, unchanged.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::Response;

use super::acr_error;
use crate::context::Context;
use crate::scenario::Scenario;

/// Headers that belong to one connection and must not be forwarded.
const HOP_BY_HOP: [&str; 7] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Forwards `request` to distribution. The `Host` header is kept, so the absolute URLs
/// distribution builds (upload locations) point back at the login server.
pub async fn forward(context: &Context, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|value| value.as_str())
        .unwrap_or("/");
    let target = format!("http://{}{}", context.distribution, path);
    parts.uri = match target.parse::<Uri>() {
        Ok(uri) => uri,
        Err(error) => {
            tracing::error!(cause = %error, target, "request path does not form a valid URI");
            return acr_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the request path is not valid",
            );
        }
    };
    for name in HOP_BY_HOP {
        parts.headers.remove(name);
    }
    parts.headers.insert(
        HeaderName::from_static("x-forwarded-proto"),
        HeaderValue::from_static(context.scheme),
    );
    if !parts.headers.contains_key(header::HOST) {
        if let Ok(host) = HeaderValue::from_str(&context.service) {
            parts.headers.insert(header::HOST, host);
        }
    }
    if context.settings.current().scenario == Scenario::ClockSkew {
        unskew_bearer(context, &mut parts.headers);
    }

    match context
        .client
        .request(Request::from_parts(parts, body))
        .await
    {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            for name in HOP_BY_HOP {
                parts.headers.remove(name);
            }
            Response::from_parts(parts, Body::new(body))
        }
        Err(error) => {
            tracing::error!(cause = %error, distribution = %context.distribution, "distribution did not respond");
            acr_error(
                StatusCode::BAD_GATEWAY,
                "UNAVAILABLE",
                "the registry backend did not respond",
            )
        }
    }
}

/// Replaces a skewed access token with one on the real clock before distribution sees it.
/// distribution checks `nbf` and `exp` against the real clock with 60 s of leeway, while a
/// registry whose clock is off checks against its own, so tokens it issued keep working.
fn unskew_bearer(context: &Context, headers: &mut HeaderMap) {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
    else {
        return;
    };
    let claims = match context.registry_signer.verify(token, context.now_time()) {
        Ok(claims) => claims,
        Err(error) => {
            tracing::debug!(cause = %error, "bearer token left as sent");
            return;
        }
    };
    let resigned = context.resign_on_real_clock(claims);
    if let Ok(value) = HeaderValue::from_str(&format!("Bearer {resigned}")) {
        headers.insert(header::AUTHORIZATION, value);
    }
}
