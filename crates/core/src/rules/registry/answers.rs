//! Responses that mean the same thing at every step: 403 (often the firewall, naming the client
//! IP), 429, and any other error status with the registry's message.

use super::evidence::{self, cut, redact_text};
use super::run::Verdict;
use super::{HttpAnswer, RegistryFinding};
use crate::parse::acr_error;
use crate::{Code, Evidence};

/// Longest registry message kept in a finding, in bytes.
const MAX_MESSAGE_LEN: usize = 300;

/// Judges a 403: CONNECTIVITY_FORBIDDEN_ERROR, with the client IP when the body names one.
pub(crate) fn forbidden(answer: &HttpAnswer, elapsed_ms: u32) -> Verdict {
    let errors = acr_error::parse(&answer.body).unwrap_or_default();
    let client_ip = acr_error::client_ip_in(&errors).map(|ip| ip.to_string());
    let mut evidence = evidence::answer(answer, elapsed_ms);
    if let Some(ip) = &client_ip {
        evidence.push(Evidence::new("client_ip", ip.clone()));
    }
    Verdict::fail(
        Code::ConnectivityForbidden,
        RegistryFinding::Forbidden {
            url: evidence::redact_url(&answer.url),
            client_ip,
            message: message(answer),
        },
        evidence,
    )
}

/// Judges a 429: CONNECTIVITY_TOOMANYREQUESTS_ERROR.
pub(crate) fn too_many_requests(answer: &HttpAnswer, elapsed_ms: u32) -> Verdict {
    Verdict::fail(
        Code::ConnectivityTooManyRequests,
        RegistryFinding::TooManyRequests {
            url: evidence::redact_url(&answer.url),
            retry_after: answer.header("retry-after").map(|value| cut(&value, 64)),
        },
        evidence::answer(answer, elapsed_ms),
    )
}

/// Judges any other error status with the code of the step that saw it.
pub(crate) fn rejected(code: Code, answer: &HttpAnswer, elapsed_ms: u32) -> Verdict {
    Verdict::fail(
        code,
        RegistryFinding::Rejected {
            url: evidence::redact_url(&answer.url),
            status: answer.status,
            message: message(answer),
        },
        evidence::answer(answer, elapsed_ms),
    )
}

/// Returns the first message of an ACR error body, or of an OAuth2 error body
/// (`error_description`, `error`), without credentials and cut to a readable length.
pub(crate) fn message(answer: &HttpAnswer) -> Option<String> {
    let from_errors = acr_error::parse(&answer.body)
        .and_then(|errors| errors.into_iter().find(|error| !error.message.is_empty()))
        .map(|error| match error.code.as_str() {
            "" => error.message,
            code => format!("{code}: {}", error.message),
        });
    let message = from_errors.or_else(|| {
        let value: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
        ["error_description", "error", "details", "message"]
            .iter()
            .find_map(|key| value.get(key)?.as_str().map(str::to_owned))
    })?;
    Some(cut(&redact_text(message.trim()), MAX_MESSAGE_LEN))
}
