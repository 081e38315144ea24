//! The JSON API under `/api/v1/`.

use std::convert::Infallible;

use acr_health_core::{CheckId, CheckResult};
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Serialize;
use tokio::sync::mpsc::unbounded_channel;

use super::guard::Paired;
use super::{ApiError, AppState};
use crate::arm::ArmPlan;
use crate::environment::EnvironmentOptions;
use crate::run::{self, RunPlan, RunRequest};
use acr_health_core::parse::registry_input::Cloud;

/// The API's version, the `1` in `/api/v1/`.
pub const API_VERSION: u32 = 1;

/// The body of `GET /api/v1/capabilities`. It needs no pairing so the page can find the helper
/// and show its version before the user pairs.
#[derive(Debug, Serialize)]
pub struct Capabilities {
    pub api: u32,
    pub version: &'static str,
    pub checks: Vec<&'static str>,
    pub pairing: &'static str,
    /// The run request takes `arm` settings and runs the ARM checks.
    pub arm: bool,
}

/// The checks only the page runs: the `no-cors` reachability probe and the CORS check.
const BROWSER_ONLY_CHECKS: [CheckId; 2] = [CheckId::Reachability, CheckId::Cors];

/// Returns the checks this helper runs, in report order.
pub fn machine_checks() -> impl Iterator<Item = CheckId> {
    CheckId::REPORT_ORDER
        .into_iter()
        .filter(|check| !BROWSER_ONLY_CHECKS.contains(check))
}

pub async fn capabilities() -> Json<Capabilities> {
    let checks = machine_checks().map(|check| check.as_str()).collect();
    Json(Capabilities {
        api: API_VERSION,
        version: crate::VERSION,
        checks,
        pairing: "required",
        arm: true,
    })
}

/// `POST /api/v1/run`: runs the checks and streams NDJSON, one `{"type":"result",...}` line per
/// finished check, then one `{"type":"report",...}` line.
pub async fn run(
    _paired: Paired,
    State(state): State<AppState>,
    body: Result<Json<RunRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = body.map_err(|rejection| match rejection {
        JsonRejection::BytesRejection(ref inner)
            if inner.status() == StatusCode::PAYLOAD_TOO_LARGE =>
        {
            ApiError::TooLarge
        }
        other => ApiError::BadRequest(other.body_text()),
    })?;
    let pull = run::pull_image(&request.pull)
        .map_err(|err| ApiError::BadRequest(format!("invalid pull image: {err}")))?;
    if request.registry.trim().is_empty() {
        return Err(ApiError::BadRequest("registry is empty".to_owned()));
    }
    // The base URL is checked before anything runs: a page must not be able to make the
    // helper send the az token to a host of its choosing.
    let arm = request
        .arm
        .map(ArmPlan::from_request)
        .transpose()
        .map_err(|err| ApiError::BadRequest(format!("invalid arm settings: {err}")))?;
    let permit = state
        .run_slots()
        .try_acquire_owned()
        .map_err(|_| ApiError::Busy)?;

    let cloud = Cloud::from_name(&request.cloud).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "unknown cloud {:?}; expected AzureCloud, AzureChinaCloud or AzureUSGovernment",
            request.cloud
        ))
    })?;

    let plan = RunPlan {
        registry: request.registry.trim().to_owned(),
        cloud,
        credential: request.credential,
        environment: EnvironmentOptions {
            pull,
            ..EnvironmentOptions::default()
        },
        arm,
    };
    let context = state.context();

    let (lines, receiver) = unbounded_channel::<String>();
    tokio::spawn(async move {
        let (results, mut result_receiver) = unbounded_channel::<CheckResult>();
        let forward_lines = lines.clone();
        let forward = tokio::spawn(async move {
            while let Some(result) = result_receiver.recv().await {
                let line = serde_json::json!({ "type": "result", "result": result });
                let _ = forward_lines.send(format!("{line}\n"));
            }
        });
        let report = run::execute(plan, &context, results).await;
        if let Err(err) = forward.await {
            tracing::error!(cause = %err, "result forwarding task failed");
        }
        let line = serde_json::json!({ "type": "report", "report": report });
        let _ = lines.send(format!("{line}\n"));
        drop(permit);
    });

    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let line = receiver.recv().await?;
        Some((Ok::<_, Infallible>(line), receiver))
    });
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    Ok(response)
}
