//! Hostile token responses: what a broken or malicious server may send. The checks must survive
//! them with a clear code inside their timeout.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream;

use super::json_response;
use crate::scenario::Scenario;

/// Size of the `hostile-big-body` response.
const BIG_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Returns the hostile token response of `scenario`, or `None` for other scenarios.
pub fn token_answer(scenario: Scenario) -> Option<Response> {
    let response = match scenario {
        Scenario::HostileBigBody => {
            let mut body = String::with_capacity(BIG_BODY_BYTES + 32);
            body.push_str("{\"access_token\":\"");
            body.push_str(&"A".repeat(BIG_BODY_BYTES));
            body.push_str("\"}");
            json_response(StatusCode::OK, body)
        }
        Scenario::HostileInvalidUtf8 => {
            let body: &'static [u8] = b"{\"access_token\":\"\xff\xfe\xc3\x28\x80\"}";
            json_response(StatusCode::OK, Body::from(body))
        }
        Scenario::HostileTruncatedJson => json_response(
            StatusCode::OK,
            "{\"access_token\":\"eyJhbGciOiJFUzI1NiIsInR5cCI6",
        ),
        Scenario::HostileDrip => drip(b"{\"access_token\":\"eyJhbGciOiJFUzI1NiJ9.e30.c2ln\"}"),
        Scenario::HostileTokenType => json_response(StatusCode::OK, "{\"access_token\":42}"),
        Scenario::HostileTokenShape => {
            json_response(StatusCode::OK, "{\"access_token\":\"not a jwt!\"}")
        }
        _ => return None,
    };
    Some(response)
}

/// Sends `body` one byte a second, with its full length announced up front.
fn drip(body: &'static [u8]) -> Response {
    let chunks = stream::unfold(0usize, move |index| async move {
        if index >= body.len() {
            return None;
        }
        if index > 0 {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        Some((
            Ok::<_, std::io::Error>(Bytes::from_static(&body[index..index + 1])),
            index + 1,
        ))
    });
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (header::CONTENT_LENGTH, body.len().to_string()),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}
