//! Errors the API returns: one variant per cause, a plain message for the client, the detail
//! in the log once.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The `Host` header is not a loopback name with our port: possibly DNS rebinding.
    #[error("host not allowed: {0:?}")]
    HostNotAllowed(String),
    /// The `Origin` header names a site that is not allowed to call the helper.
    #[error("origin not allowed: {0:?}")]
    OriginNotAllowed(String),
    #[error("pairing secret missing")]
    PairingMissing,
    /// The secret presented is wrong. The value is never recorded.
    #[error("pairing secret does not match")]
    PairingInvalid,
    #[error("too many requests; retry in {} s", .0.as_secs().max(1))]
    RateLimited(Duration),
    #[error("invalid request: {0}")]
    BadRequest(String),
    #[error("request body too large")]
    TooLarge,
    /// The maximum number of runs is already in progress.
    #[error("a run is already in progress; retry when it has finished")]
    Busy,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::HostNotAllowed(_) | ApiError::OriginNotAllowed(_) => StatusCode::FORBIDDEN,
            ApiError::PairingMissing | ApiError::PairingInvalid => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Busy => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::warn!(error = %self, "request rejected");
        let status = self.status();
        let body = Json(serde_json::json!({ "error": self.to_string() }));
        let mut response = (status, body).into_response();
        if let ApiError::RateLimited(retry_after) = self {
            let seconds = retry_after.as_secs().max(1).to_string();
            if let Ok(value) = HeaderValue::from_str(&seconds) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
