//! An Azure Resource Manager imitation on its own loopback port: the subscription list, the
//! registry list, and the registry, private endpoint and user-assigned identity resources the
//! ARM checks read, shaped by the ARM scenario in force.
//!
//! Like ARM it responds to CORS preflights for any origin before authentication (its callers send
//! bearer tokens, never cookies), rejects requests without a valid token with 401 and an error
//! code that names the cause, requires `api-version`, matches paths without regard to case, and
//! pages lists with `nextLink`. Both lists have two pages, so a client that ignores `nextLink`
//! never finds the registry.

mod bearer;
mod cors;
pub mod resources;
pub mod scenario;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware;
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use crate::context::Context;
use crate::front::json_response;
use crate::scenario::Scenario;
use bearer::Caller;
use resources::{
    LabFacts, EMPTY_SUBSCRIPTION_ID, EMPTY_SUBSCRIPTION_NAME, REGISTRY_SUBSCRIPTION_ID,
    REGISTRY_SUBSCRIPTION_NAME,
};
use scenario::ArmScenario;

pub use bearer::ALLOWED_AUDIENCES;

/// The `$skiptoken` of the second page of every list.
const SECOND_PAGE: &str = "page-2";

/// Builds the ARM listener's router.
pub fn app(context: Arc<Context>) -> Router {
    Router::new()
        .fallback(handle)
        .layer(middleware::from_fn(cors::layer))
        .with_state(context)
}

/// Builds an ARM error response: `{"error":{"code","message"}}`.
pub fn arm_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "error": { "code": code, "message": message } });
    json_response(status, body.to_string())
}

/// The parts of a request that decide the response.
struct ArmRequest {
    /// Path segments, lower-cased, because ARM matches paths without regard to case.
    segments: Vec<String>,
    /// The path as sent, for messages.
    path: String,
    api_version: String,
    skip_token: Option<String>,
}

async fn handle(State(context): State<Arc<Context>>, request: Request) -> Response {
    let scenario = context.settings.arm();
    tracing::debug!(method = %request.method(), path = request.uri().path(), arm_scenario = %scenario, "ARM request");

    let caller = match bearer::authenticate(&context.aad_signer, request.headers()) {
        Ok(caller) => caller,
        Err(rejection) => {
            tracing::debug!(?rejection, "ARM request rejected");
            return rejection.into_response();
        }
    };
    if request.method() != Method::GET {
        let message = format!(
            "The lab's Resource Manager serves GET only, so {} is not supported.",
            request.method()
        );
        return arm_error(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", &message);
    }
    let base = request_base(request.headers()).unwrap_or_else(|| context.arm_base.clone());
    let Some(request) = parse(&request) else {
        return arm_error(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        );
    };

    let facts = LabFacts {
        arm_base: base,
        login_server: context.service.clone(),
        data_endpoint: authority(&context.storage_base),
        anonymous_pull: context.settings.current().scenario == Scenario::AnonymousPull,
    };
    route(&request, scenario, &facts, &caller)
}

/// Reads path and query. Returns `None` without an `api-version`, which ARM requires.
fn parse(request: &Request) -> Option<ArmRequest> {
    let path = request.uri().path().to_string();
    let segments = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let query = request.uri().query().unwrap_or_default();
    let mut api_version = None;
    let mut skip_token = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name.eq_ignore_ascii_case("api-version") {
            api_version = Some(value.into_owned());
        } else if name.eq_ignore_ascii_case("$skiptoken") {
            skip_token = Some(value.into_owned());
        }
    }
    let api_version = api_version.filter(|version| !version.is_empty())?;
    Some(ArmRequest {
        segments,
        path,
        api_version,
        skip_token,
    })
}

fn route(
    request: &ArmRequest,
    scenario: ArmScenario,
    facts: &LabFacts,
    caller: &Caller,
) -> Response {
    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["subscriptions"] => subscription_list(request, facts),
        ["subscriptions", id, rest @ ..] => {
            let Some(display_name) = resources::subscription_name(id) else {
                let message = format!("The subscription '{id}' could not be found.");
                return arm_error(StatusCode::NOT_FOUND, "SubscriptionNotFound", &message);
            };
            match rest {
                [] => ok(resources::subscription(id, display_name)),
                ["providers", "microsoft.containerregistry", "registries"] => {
                    registry_list(request, id, scenario, facts, caller)
                }
                ["resourcegroups", _, "providers", _, _, _] => {
                    resource(request, scenario, facts, caller)
                }
                _ => not_found(request),
            }
        }
        _ => not_found(request),
    }
}

/// `GET /subscriptions`: the empty subscription on the first page, the registry's on the second.
fn subscription_list(request: &ArmRequest, facts: &LabFacts) -> Response {
    match request.skip_token.as_deref() {
        None => ok(json!({
            "value": [resources::subscription(EMPTY_SUBSCRIPTION_ID, EMPTY_SUBSCRIPTION_NAME)],
            "nextLink": next_link(facts, "/subscriptions", request),
        })),
        Some(SECOND_PAGE) => ok(json!({
            "value": [resources::subscription(REGISTRY_SUBSCRIPTION_ID, REGISTRY_SUBSCRIPTION_NAME)],
        })),
        Some(other) => invalid_skip_token(other),
    }
}

/// `GET /subscriptions/{id}/providers/Microsoft.ContainerRegistry/registries`. The registry's
/// subscription lists the decoy on the first page and `labreg` (if it exists) on the second.
fn registry_list(
    request: &ArmRequest,
    subscription: &str,
    scenario: ArmScenario,
    facts: &LabFacts,
    caller: &Caller,
) -> Response {
    if scenario == ArmScenario::Forbidden {
        return authorization_failed(
            caller,
            "Microsoft.ContainerRegistry/registries/read",
            &format!("/subscriptions/{subscription}"),
        );
    }
    if !subscription.eq_ignore_ascii_case(REGISTRY_SUBSCRIPTION_ID) {
        return ok(json!({ "value": [] }));
    }
    match request.skip_token.as_deref() {
        None => {
            let path = format!("/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/providers/Microsoft.ContainerRegistry/registries");
            ok(json!({
                "value": [resources::decoy_registry()],
                "nextLink": next_link(facts, &path, request),
            }))
        }
        Some(SECOND_PAGE) => {
            let value: Vec<Value> = resources::registry(scenario, facts).into_iter().collect();
            ok(json!({ "value": value }))
        }
        Some(other) => invalid_skip_token(other),
    }
}

/// `GET /subscriptions/{id}/resourceGroups/{group}/providers/{namespace}/{type}/{name}` for the
/// registry, the private endpoint and the user-assigned identity.
fn resource(
    request: &ArmRequest,
    scenario: ArmScenario,
    facts: &LabFacts,
    caller: &Caller,
) -> Response {
    let wanted = request.path.trim_end_matches('/').to_ascii_lowercase();
    let is = |id: String| id.to_ascii_lowercase() == wanted;

    let document = if is(resources::registry_id()) {
        if scenario == ArmScenario::Forbidden {
            return authorization_failed(
                caller,
                "Microsoft.ContainerRegistry/registries/read",
                &resources::registry_id(),
            );
        }
        resources::registry(scenario, facts)
    } else if is(resources::private_endpoint_id()) {
        resources::private_endpoint(scenario, facts)
    } else if is(resources::cmk_identity_id()) {
        resources::cmk_identity(scenario)
    } else {
        None
    };
    if let Some(document) = document {
        return ok(document);
    }

    // The segments as sent: subscriptions, id, resourceGroups, group, providers, namespace,
    // type, name.
    let original: Vec<&str> = request
        .path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    let message = format!(
        "The Resource '{}/{}/{}' under resource group '{}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        original[5], original[6], original[7], original[3]
    );
    arm_error(StatusCode::NOT_FOUND, "ResourceNotFound", &message)
}

fn ok(document: Value) -> Response {
    json_response(StatusCode::OK, document.to_string())
}

/// Returns the link to the second page of the list at `path`, with `$` percent-encoded as ARM
/// writes it.
fn next_link(facts: &LabFacts, path: &str, request: &ArmRequest) -> String {
    let api_version: String =
        form_urlencoded::byte_serialize(request.api_version.as_bytes()).collect();
    format!(
        "{}{path}?api-version={api_version}&%24skiptoken={SECOND_PAGE}",
        facts.arm_base
    )
}

fn invalid_skip_token(token: &str) -> Response {
    let message =
        format!("The skip token '{token}' is invalid; follow the nextLink of the previous page.");
    arm_error(StatusCode::BAD_REQUEST, "InvalidSkipToken", &message)
}

fn authorization_failed(caller: &Caller, action: &str, scope: &str) -> Response {
    let object_id = &caller.object_id;
    let message = format!(
        "The client '{object_id}' with object id '{object_id}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials."
    );
    arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message)
}

fn not_found(request: &ArmRequest) -> Response {
    let message = format!(
        "The lab's Resource Manager has no resource at '{}'.",
        request.path
    );
    arm_error(StatusCode::NOT_FOUND, "ResourceNotFound", &message)
}

/// Returns the base URL the client used, from its `Host` header, so that `nextLink` stays on
/// the host the client trusts (`localhost` or `127.0.0.1`) as ARM's does.
fn request_base(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    plain.then(|| format!("http://{host}"))
}

/// Returns the authority of a base URL: `http://127.0.0.1:5001` becomes `127.0.0.1:5001`.
fn authority(base_url: &str) -> String {
    base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .trim_end_matches('/')
        .to_string()
}
