//! Rules for the registry protocol: login server, reachability, challenge, AAD exchange,
//! access token, clock and data path.
//!
//! [`RegistryRun`] is a sans-I/O driver. The page and the helper each ask it for the next
//! [`HttpRequest`], make that request with their own HTTP stack, and hand back the
//! [`Outcome`]; the run returns the checks that outcome finished. One file per step holds the
//! rule that turns that step's outcome into a status and a code.

mod answers;
mod challenge;
mod clock;
mod credential;
mod data_path;
pub(crate) mod evidence;
mod exchange;
mod finding;
mod login_server;
mod reachability;
mod run;
mod token;

pub use credential::{Credential, CredentialKind, NULL_GUID_USER};
pub use finding::{
    ChallengeProblem, ClockSource, ExpiredCredential, Failure, ManifestProblem, RegistryFinding,
    TokenFlow,
};
pub use login_server::login_server;
pub use reachability::reachability;
pub use run::RegistryRun;

use std::fmt;

use crate::{CheckId, Side};

/// How far the server's clock may be from the local one before the clock check warns.
pub const MAX_CLOCK_SKEW_MS: u64 = 5 * 60 * 1_000;

/// How many redirects the data path follows before it reports a loop.
pub const MAX_REDIRECTS: u8 = 5;

/// An HTTP method the checks use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// The transport's handling of a 3xx response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redirect {
    /// Follow redirects. A browser drops the `Authorization` header on a cross-origin
    /// redirect, as the Fetch standard requires.
    Follow,
    /// Return the 3xx response itself, so the run sees `Location` and decides which
    /// credentials the next hop gets. In a browser this gives an opaque response with status 0.
    Manual,
}

/// One request the run needs. The transport sends exactly this: no cookies, no other
/// credentials, and no header that is not listed here.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The check this request serves, for progress display.
    pub check: CheckId,
    pub method: Method,
    pub url: String,
    /// Fields of an `application/x-www-form-urlencoded` body; empty for a request without a
    /// body. Use [`HttpRequest::form_body`] to encode them.
    pub form: Vec<(String, String)>,
    /// User name and password for an `Authorization: Basic` header.
    pub basic: Option<(String, String)>,
    /// A token for an `Authorization: Bearer` header.
    pub bearer: Option<String>,
    /// The `Accept` header value.
    pub accept: Option<String>,
    pub redirect: Redirect,
}

impl HttpRequest {
    /// Encodes [`HttpRequest::form`] as an `application/x-www-form-urlencoded` body.
    pub fn form_body(&self) -> String {
        encode_form(&self.form)
    }
}

/// `Debug` names the fields that carry secrets without printing them.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let form_keys: Vec<&str> = self.form.iter().map(|(key, _)| key.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("check", &self.check)
            .field("method", &self.method)
            .field("url", &evidence::redact_url(&self.url))
            .field("form_keys", &form_keys)
            .field("basic", &self.basic.as_ref().map(|_| "<redacted>"))
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("accept", &self.accept)
            .field("redirect", &self.redirect)
            .finish()
    }
}

/// The result of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The server responded and the response could be read.
    Answer(HttpAnswer),
    /// The browser refused to let the page read the response (a CORS failure). The page reports
    /// this when a `no-cors` request to the same URL reached the server.
    CorsBlocked,
    /// The request failed without a response, for a reason the transport cannot name (the
    /// browser sees every such failure as one `TypeError`).
    Network { detail: String },
    /// No response within the time limit.
    TimedOut { after_ms: u32 },
    /// The host name did not resolve.
    Dns { detail: String },
    /// The TLS handshake failed.
    Tls { detail: String },
}

/// An HTTP response as the transport received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpAnswer {
    /// The URL that responded, after any redirects the transport followed.
    pub url: String,
    /// The status code; 0 for an opaque response in the browser.
    pub status: u16,
    /// Headers in the order received, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, cut by the transport at its size limit.
    pub body: Vec<u8>,
    /// Tells whether the transport cut the body at its size limit.
    pub body_truncated: bool,
}

impl HttpAnswer {
    /// Returns every value of a header joined with `, `, as RFC 9110 allows for list headers,
    /// or `None` when the header is absent. `name` must be in lower case.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect();
        if values.is_empty() {
            None
        } else {
            Some(values.join(", "))
        }
    }
}

/// Settings of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOptions {
    pub side: Side,
    /// The repository the token is requested for and the data path reads.
    pub repository: String,
    /// The tag whose manifest the data path reads.
    pub tag: String,
    /// Start of the run, in milliseconds since the Unix epoch.
    pub started_at_ms: u64,
}

impl RunOptions {
    /// Returns options for the seeded image `hello-world:latest`.
    pub fn new(side: Side, started_at_ms: u64) -> RunOptions {
        RunOptions {
            side,
            repository: "hello-world".to_owned(),
            tag: "latest".to_owned(),
            started_at_ms,
        }
    }
}

/// Percent-encodes form fields: unreserved characters stay, a space becomes `+`.
pub(crate) fn encode_form(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(key, value)| format!("{}={}", encode_component(key), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                encoded.push(char::from(byte))
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests;
