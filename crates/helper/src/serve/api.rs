//! The JSON API under `/api/v1/`.

use acr_health_core::CheckId;
use axum::Json;
use serde::Serialize;

use super::guard::Paired;
use super::ApiError;

/// The API's version, the `1` in `/api/v1/`.
pub const API_VERSION: u32 = 1;

/// What `GET /api/v1/capabilities` returns. It needs no pairing so the page can find the helper
/// and show its version before the user pairs.
#[derive(Debug, Serialize)]
pub struct Capabilities {
    pub api: u32,
    pub version: &'static str,
    pub checks: Vec<&'static str>,
    pub pairing: &'static str,
}

/// The checks this helper runs, in report order.
pub const MACHINE_CHECKS: [CheckId; 16] = [
    CheckId::LoginServer,
    CheckId::Dns,
    CheckId::Proxy,
    CheckId::Tls,
    CheckId::Challenge,
    CheckId::AadExchange,
    CheckId::AccessToken,
    CheckId::Clock,
    CheckId::DataPath,
    CheckId::DockerCommand,
    CheckId::DockerDaemon,
    CheckId::DockerVersion,
    CheckId::DockerPull,
    CheckId::HelmCommand,
    CheckId::HelmVersion,
    CheckId::NotaryVersion,
];

pub async fn capabilities() -> Json<Capabilities> {
    let checks = MACHINE_CHECKS.iter().map(|c| c.as_str()).collect();
    Json(Capabilities {
        api: API_VERSION,
        version: crate::VERSION,
        checks,
        pairing: "required",
    })
}

// TODO: runs checks once the environment and registry runners exist; until then a paired
// request gets 400.
pub async fn run(_paired: Paired) -> Result<Json<()>, ApiError> {
    Err(ApiError::BadRequest(
        "runs are not available yet".to_owned(),
    ))
}
