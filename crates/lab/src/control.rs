//! The control API on loopback: read and switch the scenario, mint "AAD" tokens.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::context::Context;
use crate::front::json_response;
use crate::scenario::Scenario;
use crate::state::Current;

/// Builds the control API's router.
pub fn app(context: Arc<Context>) -> Router {
    Router::new()
        .route("/scenarios", get(scenarios))
        .route("/state", get(state))
        .route("/scenario", put(set_scenario))
        .route("/aad-token", post(aad_token))
        .with_state(context)
}

/// The body of `PUT /scenario`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    pub name: String,
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub skew_minutes: i64,
}

/// The body of `POST /aad-token`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AadTokenRequest {
    #[serde(default = "default_tenant")]
    pub tenant: String,
    #[serde(default = "default_object_id")]
    pub object_id: String,
    #[serde(default)]
    pub expired: bool,
}

/// Returns the tenant of "AAD" tokens when the request names none.
pub fn default_tenant() -> String {
    "3b5c1e2a-0d6f-4c1e-9a7b-1a2b3c4d5e6f".to_string()
}

/// Returns the object id of "AAD" tokens when the request names none.
pub fn default_object_id() -> String {
    "11111111-2222-4333-8444-555555555555".to_string()
}

async fn scenarios() -> Response {
    let list: Vec<_> = Scenario::ALL.iter().map(|(_, info)| info).collect();
    json_response(StatusCode::OK, json!(list).to_string())
}

async fn state(State(context): State<Arc<Context>>) -> Response {
    json_response(
        StatusCode::OK,
        json!(context.settings.current()).to_string(),
    )
}

async fn set_scenario(State(context): State<Arc<Context>>, body: Bytes) -> Response {
    let request: ScenarioRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return bad_request(&format!("invalid PUT /scenario body: {error}; expected {{\"name\":\"healthy\",\"latency_ms\":0,\"skew_minutes\":0}}")),
    };
    let scenario = match request.name.parse::<Scenario>() {
        Ok(scenario) => scenario,
        Err(error) => return bad_request(&error.to_string()),
    };
    let next = Current {
        scenario,
        latency_ms: request.latency_ms,
        skew_minutes: request.skew_minutes,
    };
    if let Err(error) = context.settings.set(next) {
        return bad_request(&error.to_string());
    }
    tracing::info!(scenario = %scenario, latency_ms = next.latency_ms, skew_minutes = next.skew_minutes, "scenario switched");
    json_response(StatusCode::OK, json!(next).to_string())
}

async fn aad_token(State(context): State<Arc<Context>>, body: Bytes) -> Response {
    let body = if body.is_empty() {
        Bytes::from_static(b"{}")
    } else {
        body
    };
    let request: AadTokenRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return bad_request(&format!("invalid POST /aad-token body: {error}; expected {{\"tenant\":\"...\",\"object_id\":\"...\",\"expired\":false}}")),
    };
    let token = context.aad_token(&request.tenant, &request.object_id, request.expired);
    json_response(StatusCode::OK, json!({ "access_token": token }).to_string())
}

fn bad_request(message: &str) -> Response {
    tracing::debug!(message, "control request rejected");
    json_response(
        StatusCode::BAD_REQUEST,
        json!({ "error": message }).to_string(),
    )
}
