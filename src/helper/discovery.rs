//! Finding the helper: `GET /api/v1/capabilities` on its loopback port, which needs no pairing
//! secret.

use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::helper::client::{request_json, HelperCall};
use crate::helper::HelperError;

/// The maximum wait for the helper's capabilities. The helper runs on this machine, so it
/// replies within milliseconds, and a closed port fails at once.
pub const DISCOVERY_TIMEOUT_MS: u32 = 2_000;

/// The helper's answer to `GET /api/v1/capabilities`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Capabilities {
    /// The API version; the page speaks version 1.
    pub api: u32,
    pub version: String,
    /// The check ids the helper runs, such as `docker_command`.
    #[serde(default)]
    pub checks: Vec<String>,
    /// `required` when running checks needs the pairing secret.
    #[serde(default)]
    pub pairing: String,
}

/// Returns the helper's base URL. When the helper serves this page, the page's own origin is
/// the helper; otherwise the helper listens on `127.0.0.1:port`.
pub fn helper_base_url(port: u16) -> Result<String, JsValue> {
    let location = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .location();
    let hostname = location.hostname()?;
    let loopback = matches!(hostname.as_str(), "127.0.0.1" | "localhost" | "[::1]" | "::1");
    if loopback && location.port()? == port.to_string() {
        return location.origin();
    }
    Ok(format!("http://127.0.0.1:{port}"))
}

/// Tells whether the page itself is served from loopback, where looking for a helper right
/// away cannot leave a failed request in the console of a page on the web.
pub fn page_is_on_loopback() -> Result<bool, JsValue> {
    let location = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .location();
    let hostname = location.hostname()?;
    Ok(matches!(hostname.as_str(), "127.0.0.1" | "localhost" | "[::1]" | "::1"))
}

/// Asks `base` for the helper's capabilities. Returns `None` when nothing answers there.
pub async fn discover(base: &str) -> Result<Option<Capabilities>, HelperError> {
    let url = format!("{base}/api/v1/capabilities");
    let call = HelperCall::get(&url, DISCOVERY_TIMEOUT_MS);
    match request_json::<Capabilities>(call).await {
        Ok(capabilities) => Ok(Some(capabilities)),
        Err(HelperError::Network { .. } | HelperError::TimedOut { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}
