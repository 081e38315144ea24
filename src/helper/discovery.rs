//! Finding the helper: `GET /api/v1/capabilities` on its loopback port, which needs no pairing
//! secret.

use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::helper::client::{request_json, HelperCall};
use crate::helper::HelperError;
use crate::page_url::PageParams;

/// The maximum wait for the helper's capabilities. The helper runs on this machine, so it
/// replies within milliseconds, and a closed port fails at once.
pub const DISCOVERY_TIMEOUT_MS: u32 = 2_000;

/// The helper's response to `GET /api/v1/capabilities`.
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
    /// Whether the run request takes `arm` settings. A helper without ARM checks rejects an
    /// unknown `arm` field, so the page sends it only when this is set.
    #[serde(default)]
    pub arm: bool,
}

/// The helper's address as the page reaches it.
#[derive(Clone, Debug, PartialEq)]
pub struct HelperLocation {
    /// `scheme://host:port` without a trailing slash.
    pub base: String,
    pub port: u16,
}

/// Locates the helper. When the helper serves this page, the page's own origin is the helper:
/// the page is on loopback and either on the helper's port or opened from the address the
/// helper printed (which carries `pair=`) without a `helper_port`. Otherwise the helper is
/// looked for on `127.0.0.1` at the port from the address or the default port.
pub fn locate_helper(params: &PageParams) -> Result<HelperLocation, JsValue> {
    let location = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .location();
    let on_loopback = is_loopback(&location.hostname()?);
    // `location.port` is empty when the address uses the scheme's default port, which no
    // helper listens on.
    let page_port = location.port()?.parse::<u16>().ok();

    let opened_from_helper = params.pairing_secret.is_some() && !params.helper_port_given;
    if on_loopback && (page_port == Some(params.helper_port) || opened_from_helper) {
        return Ok(HelperLocation {
            base: location.origin()?,
            port: page_port.unwrap_or(params.helper_port),
        });
    }
    Ok(HelperLocation {
        base: format!("http://127.0.0.1:{}", params.helper_port),
        port: params.helper_port,
    })
}

/// Tells whether the helper serves this page, where looking for it cannot leave a failed
/// request in the console.
pub fn served_by_helper(params: &PageParams) -> Result<bool, JsValue> {
    let location = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .location();
    let helper = locate_helper(params)?;
    Ok(helper.base == location.origin()?)
}

fn is_loopback(hostname: &str) -> bool {
    matches!(hostname, "127.0.0.1" | "localhost" | "[::1]" | "::1")
}

/// Asks `base` for the helper's capabilities. Returns `None` when nothing responds there.
pub async fn discover(base: &str) -> Result<Option<Capabilities>, HelperError> {
    let url = format!("{base}/api/v1/capabilities");
    let call = HelperCall::get(&url, DISCOVERY_TIMEOUT_MS);
    match request_json::<Capabilities>(call).await {
        Ok(capabilities) => Ok(Some(capabilities)),
        Err(HelperError::Network { .. } | HelperError::TimedOut { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}
