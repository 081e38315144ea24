//! The client for the helper: the optional native program that runs the same registry checks
//! from the machine's own network stack, plus the checks a browser cannot make (DNS, TLS,
//! Docker, Helm, Notary).
//!
//! [`discovery`] checks whether a helper listens on a loopback port, [`client`] starts its
//! checks and reads their results as they stream in, and [`ndjson`] splits that stream into
//! lines.

pub mod client;
pub mod discovery;
pub mod ndjson;

use acr_health_core::Lang;

/// A reason the page could not use the helper, shown in the helper line in the user's language.
#[derive(Clone, Debug, PartialEq)]
pub enum HelperError {
    /// The helper refused the pairing secret (HTTP 401 or 403).
    PairingRejected,
    /// The helper responded with another unexpected status.
    Status { status: u16 },
    /// The connection failed or was cut while results were streaming.
    Network { detail: String },
    /// No response within the time limit.
    TimedOut { after_ms: u32 },
    /// The helper sent something that is not the documented JSON.
    Malformed { detail: String },
}

impl HelperError {
    /// Returns the message shown to the user.
    pub fn message(&self, lang: Lang) -> String {
        crate::i18n::helper_error(self, lang)
    }
}
