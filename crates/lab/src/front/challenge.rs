//! `GET /v2/`: the challenge, or the way a scenario breaks it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{acr_error, json_response, proxy};
use crate::context::Context;
use crate::scenario::Scenario;

/// Size of the junk in the `hostile-big-header` challenge.
const BIG_HEADER_BYTES: usize = 64 * 1024;

const UNAUTHORIZED: &str =
    "authentication required, visit https://aka.ms/acr/authorization for more information.";

/// Responds to `GET /v2/`. Healthy scenarios pass the request to distribution, whose challenge names
/// the lab's token endpoint as realm and the login server as service.
pub async fn challenge(State(context): State<Arc<Context>>, request: Request) -> Response {
    let realm = format!("{}/oauth2/token", context.login_base);
    let service = &context.service;

    let header_value = match context.settings.current().scenario {
        Scenario::ChallengeMissing => {
            return acr_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", UNAUTHORIZED)
        }
        Scenario::Challenge200 => {
            let mut response = json_response(StatusCode::OK, "{}");
            response.headers_mut().insert(
                "docker-distribution-api-version",
                HeaderValue::from_static("registry/2.0"),
            );
            return response;
        }
        Scenario::Challenge500 => {
            return acr_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "the registry failed to process the request",
            )
        }
        Scenario::Challenge429 => {
            let mut response = acr_error(
                StatusCode::TOO_MANY_REQUESTS,
                "TOOMANYREQUESTS",
                "too many requests, retry later",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
            return response;
        }
        Scenario::ChallengeBasicOnly => format!("Basic realm=\"{}\"", context.login_base),
        Scenario::BearerNoRealm => format!("Bearer service=\"{service}\""),
        Scenario::BearerNoService => format!("Bearer realm=\"{realm}\""),
        Scenario::HostileBigHeader => format!("Bearer {}", "x".repeat(BIG_HEADER_BYTES)),
        _ => return proxy::forward(&context, request).await,
    };

    let mut response = acr_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", UNAUTHORIZED);
    match HeaderValue::from_str(&header_value) {
        Ok(value) => {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
            response
        }
        Err(error) => {
            tracing::error!(cause = %error, "challenge header is not a valid header value");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
