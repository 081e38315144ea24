//! The storage listener: where blob downloads land after the 307, as ACR's data endpoint or
//! Azure blob storage. It checks the URL's signature and expiry, rejects requests that carry an
//! `Authorization` header, and serves the blob from distribution's filesystem storage.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::context::Context;
use crate::scenario::Scenario;

/// Builds the storage listener's router: every path is a blob URL.
pub fn app(context: Arc<Context>) -> Router {
    Router::new().fallback(serve_blob).with_state(context)
}

/// Returns whether `digest` is `sha256:` and 64 lower-case hex digits, the only form this lab stores.
pub fn valid_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
    })
}

/// Returns the hex HMAC-SHA256 of a blob URL's repository, digest and expiry.
pub fn sign(key: &ring::hmac::Key, repository: &str, digest: &str, expires: i64) -> String {
    let tag = ring::hmac::sign(key, format!("{repository}\n{digest}\n{expires}").as_bytes());
    tag.as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

async fn serve_blob(State(context): State<Arc<Context>>, request: Request) -> Response {
    let current = context.settings.current();
    tracing::debug!(method = %request.method(), uri = %request.uri(), "storage request");
    if current.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(current.latency_ms)).await;
    }
    let cors =
        current.scenario != Scenario::CorsOff && request.headers().contains_key(header::ORIGIN);
    let mut response = answer(&context, current.scenario, request).await;
    if cors {
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Content-Length, Content-Type, x-ms-request-id"),
        );
    }
    response
}

async fn answer(context: &Context, scenario: Scenario, request: Request) -> Response {
    if request.method() == Method::OPTIONS {
        let mut response = StatusCode::OK.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("*"),
        );
        return response;
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return storage_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "UnsupportedHttpVerb",
            "The resource doesn't support the specified HTTP verb.",
        );
    }
    if scenario == Scenario::Storage403 {
        return storage_error(
            StatusCode::FORBIDDEN,
            "AuthorizationFailure",
            "This request is not authorized to perform this operation.",
        );
    }
    // NOTE: Azure storage's exact status for a SAS URL sent with a foreign Bearer token was not
    // recorded. The lab returns 403 AuthenticationFailed, which any client treats as a failure.
    if request.headers().contains_key(header::AUTHORIZATION) {
        return storage_error(
            StatusCode::FORBIDDEN,
            "AuthenticationFailed",
            "Server failed to authenticate the request. The registry's Authorization header must not be sent to storage.",
        );
    }

    let path = request.uri().path();
    let Some((repository, digest)) = path
        .strip_prefix('/')
        .and_then(|rest| rest.rsplit_once("/blobs/"))
    else {
        return storage_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "The specified resource does not exist.",
        );
    };
    if !valid_digest(digest) {
        return storage_error(
            StatusCode::NOT_FOUND,
            "BlobNotFound",
            "The specified blob does not exist.",
        );
    }
    if !signature_valid(
        context,
        repository,
        digest,
        request.uri().query().unwrap_or_default(),
    ) {
        return storage_error(
            StatusCode::FORBIDDEN,
            "AuthenticationFailed",
            "Signature did not match or the URL expired.",
        );
    }

    let hex = &digest["sha256:".len()..];
    let file = context
        .storage_root
        .join("docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data");
    // Blobs in the lab are small, so reading one whole is fine.
    let bytes = match tokio::fs::read(&file).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::debug!(cause = %error, file = %file.display(), "blob not in storage");
            return storage_error(
                StatusCode::NOT_FOUND,
                "BlobNotFound",
                "The specified blob does not exist.",
            );
        }
    };
    let length = bytes.len();
    let body = if request.method() == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_LENGTH, length.to_string()),
            (
                header::HeaderName::from_static("x-ms-blob-type"),
                "BlockBlob".to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

fn signature_valid(context: &Context, repository: &str, digest: &str, query: &str) -> bool {
    let mut expires = None;
    let mut signature = None;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "se" => expires = value.parse::<i64>().ok(),
            "sig" => signature = Some(value.into_owned()),
            _ => {}
        }
    }
    let (Some(expires), Some(signature)) = (expires, signature) else {
        return false;
    };
    expires >= context.now() && sign(&context.url_key, repository, digest, expires) == signature
}

/// Builds an error response in Azure storage's XML format.
fn storage_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    let mut response = (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response();
    response.headers_mut().insert(
        header::HeaderName::from_static("x-ms-error-code"),
        HeaderValue::from_str(code).unwrap_or(HeaderValue::from_static("Error")),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_validation() {
        assert!(valid_digest(&format!("sha256:{}", "a".repeat(64))));
        assert!(!valid_digest(&format!("sha256:{}", "A".repeat(64))));
        assert!(!valid_digest("sha256:../../etc/passwd"));
        assert!(!valid_digest(&format!("sha512:{}", "a".repeat(64))));
    }
}
