//! Blob downloads: after distribution confirms the token and the blob, the login server
//! responds 307 to the storage listener with a signed, expiring URL, as ACR redirects to its
//! data endpoint or to blob storage.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::proxy;
use crate::context::Context;
use crate::scenario::Scenario;
use crate::storage;

/// How long a redirect URL stays valid, in seconds.
const REDIRECT_SECONDS: i64 = 10 * 60;

/// Returns `(repository, digest)` when `path` is `/v2/<repository>/blobs/<algorithm>:<hex>`.
pub fn blob_reference(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/v2/")?;
    let (repository, digest) = rest.rsplit_once("/blobs/")?;
    (!repository.is_empty() && storage::valid_digest(digest)).then_some((repository, digest))
}

/// Responds to a blob `GET` with distribution's own response when it rejects the request (401,
/// 404), otherwise with a 307 to the storage listener or wherever the scenario sends it.
pub async fn redirect(context: &Context, request: Request) -> Response {
    let scenario = context.settings.current().scenario;
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|value| value.to_string())
        .unwrap_or_default();
    let path = request.uri().path().to_string();

    // Ask distribution with a HEAD carrying the client's headers, so it checks token and blob.
    let mut check = Request::builder()
        .method(Method::HEAD)
        .uri(request.uri().clone());
    for (name, value) in request.headers() {
        check = check.header(name, value);
    }
    let check = match check.body(Body::empty()) {
        Ok(check) => check,
        Err(error) => {
            tracing::error!(cause = %error, "could not copy a blob request");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let answer = proxy::forward(context, check).await;
    if answer.status() != StatusCode::OK {
        // The real GET brings distribution's error body along.
        return proxy::forward(context, request).await;
    }

    let Some((repository, digest)) = blob_reference(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let location = match scenario {
        Scenario::HostileRedirectLoop => {
            let round = loop_round(&path_and_query) + 1;
            format!("{}{path}?loop={round}", context.login_base)
        }
        Scenario::StorageRefused => signed_url(context, &context.refused_base, repository, digest),
        _ => signed_url(context, &context.storage_base, repository, digest),
    };
    tracing::debug!(%location, "redirecting a blob download");

    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(error) => {
            tracing::error!(cause = %error, "redirect location is not a valid header value");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn signed_url(context: &Context, base: &str, repository: &str, digest: &str) -> String {
    let expires = context.now() + REDIRECT_SECONDS;
    let signature = storage::sign(&context.url_key, repository, digest, expires);
    format!("{base}/{repository}/blobs/{digest}?se={expires}&sig={signature}")
}

fn loop_round(path_and_query: &str) -> u64 {
    path_and_query
        .split_once("?loop=")
        .and_then(|(_, round)| round.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn blob_path_parsed() {
        let path = format!("/v2/team/hello-world/blobs/{DIGEST}");
        assert_eq!(blob_reference(&path), Some(("team/hello-world", DIGEST)));
    }

    #[test]
    fn upload_path_is_not_blob() {
        assert_eq!(blob_reference("/v2/hello-world/blobs/uploads/1234"), None);
    }
}
