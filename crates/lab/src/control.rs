//! The control API on loopback: read and switch the registry and ARM scenarios, mint "AAD" and
//! ARM tokens.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::arm::scenario::ArmScenario;
use crate::context::{Context, ARM_AUDIENCE};
use crate::front::json_response;
use crate::scenario::Scenario;
use crate::state::Current;

/// Builds the control API's router.
pub fn app(context: Arc<Context>) -> Router {
    Router::new()
        .route("/scenarios", get(scenarios))
        .route("/arm-scenarios", get(arm_scenarios))
        .route("/state", get(state))
        .route("/scenario", put(set_scenario))
        .route("/aad-token", post(aad_token))
        .route("/arm-token", post(arm_token))
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
    /// The ARM scenario; `found` when absent, because a PUT replaces every setting.
    #[serde(default)]
    pub arm: Option<String>,
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

/// The body of `POST /arm-token`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmTokenRequest {
    #[serde(default = "default_tenant")]
    pub tenant: String,
    #[serde(default = "default_object_id")]
    pub object_id: String,
    #[serde(default)]
    pub expired: bool,
    /// The `aud` claim; ARM accepts `https://management.azure.com/` and a few equivalents.
    #[serde(default = "default_audience")]
    pub audience: String,
}

/// Returns the tenant of "AAD" tokens when the request names none: the tenant of the lab's
/// ARM subscriptions.
pub fn default_tenant() -> String {
    crate::arm::resources::TENANT_ID.to_string()
}

fn default_audience() -> String {
    ARM_AUDIENCE.to_string()
}

/// Returns the object id of "AAD" tokens when the request names none.
pub fn default_object_id() -> String {
    "11111111-2222-4333-8444-555555555555".to_string()
}

async fn scenarios() -> Response {
    let list: Vec<_> = Scenario::ALL.iter().map(|(_, info)| info).collect();
    json_response(StatusCode::OK, json!(list).to_string())
}

async fn arm_scenarios() -> Response {
    let list: Vec<_> = ArmScenario::ALL.iter().map(|(_, info)| info).collect();
    json_response(StatusCode::OK, json!(list).to_string())
}

async fn state(State(context): State<Arc<Context>>) -> Response {
    json_response(StatusCode::OK, state_json(&context).to_string())
}

/// Returns the settings in force and the ARM listener's base URL.
fn state_json(context: &Context) -> serde_json::Value {
    let mut state = json!(context.settings.current());
    state["arm"] = json!(context.settings.arm().name());
    state["arm_url"] = json!(context.arm_base);
    state
}

async fn set_scenario(State(context): State<Arc<Context>>, body: Bytes) -> Response {
    let request: ScenarioRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return bad_request(&format!("invalid PUT /scenario body: {error}; expected {{\"name\":\"healthy\",\"latency_ms\":0,\"skew_minutes\":0,\"arm\":\"found\"}}")),
    };
    let scenario = match request.name.parse::<Scenario>() {
        Ok(scenario) => scenario,
        Err(error) => return bad_request(&error.to_string()),
    };
    let arm = match request.arm.as_deref().map(str::parse::<ArmScenario>) {
        None => ArmScenario::default(),
        Some(Ok(arm)) => arm,
        Some(Err(error)) => return bad_request(&error.to_string()),
    };
    let next = Current {
        scenario,
        latency_ms: request.latency_ms,
        skew_minutes: request.skew_minutes,
    };
    if let Err(error) = context.settings.set(next) {
        return bad_request(&error.to_string());
    }
    context.settings.set_arm(arm);
    tracing::info!(scenario = %scenario, latency_ms = next.latency_ms, skew_minutes = next.skew_minutes, arm = %arm, "scenario switched");
    json_response(StatusCode::OK, state_json(&context).to_string())
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

async fn arm_token(State(context): State<Arc<Context>>, body: Bytes) -> Response {
    let body = if body.is_empty() {
        Bytes::from_static(b"{}")
    } else {
        body
    };
    let request: ArmTokenRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return bad_request(&format!("invalid POST /arm-token body: {error}; expected {{\"expired\":false,\"audience\":\"{ARM_AUDIENCE}\"}}")),
    };
    let token = context.arm_token(
        &request.tenant,
        &request.object_id,
        &request.audience,
        request.expired,
    );
    json_response(StatusCode::OK, json!({ "access_token": token }).to_string())
}

fn bad_request(message: &str) -> Response {
    tracing::debug!(message, "control request rejected");
    json_response(
        StatusCode::BAD_REQUEST,
        json!({ "error": message }).to_string(),
    )
}
