//! The reachability probe: a `no-cors` `GET /v2/`. An opaque answer proves that DNS, the TCP
//! connection and TLS worked, even where CORS hides everything else.

use acr_health_core::parse::registry_input::LoginServer;
use acr_health_core::rules::registry::reachability;
use acr_health_core::CheckResult;
use wasm_bindgen::JsValue;

use crate::probe::fetch;

/// Probes the login server and returns the core's verdict.
pub async fn probe(server: &LoginServer, timeout_ms: u32) -> Result<CheckResult, JsValue> {
    let url = format!("{}/v2/", server.base_url());
    let observed = fetch::reach(&url, timeout_ms).await?;
    Ok(reachability(&observed.outcome, observed.elapsed_ms))
}
