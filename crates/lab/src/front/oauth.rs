//! `POST /oauth2/exchange` and `GET`/`POST /oauth2/token`: the ACR token service.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::{acr_error, hostile, json_response};
use crate::auth::{parse_scopes, Identity, Scope, NULL_GUID};
use crate::context::Context;
use crate::scenario::Scenario;
use crate::token::TokenError;

const UNAUTHORIZED: &str =
    "authentication required, visit https://aka.ms/acr/authorization for more information.";

/// The reason a token request is rejected, sent as an ACR error body.
enum Refusal {
    Unauthorized(String),
    BadRequest { code: &'static str, message: String },
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Unauthorized(message) => unauthorized(&message),
            Refusal::BadRequest { code, message } => {
                acr_error(StatusCode::BAD_REQUEST, code, &message)
            }
        }
    }
}

fn bad_request(message: impl Into<String>) -> Refusal {
    Refusal::BadRequest {
        code: "BAD_REQUEST",
        message: message.into(),
    }
}

/// Form fields of a token or exchange request, in order; `scope` may repeat.
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(bytes: &[u8]) -> Self {
        Self(form_urlencoded::parse(bytes).into_owned().collect())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// `POST /oauth2/exchange`: trades a lab-signed "AAD" token for a refresh token.
pub async fn exchange(
    State(context): State<Arc<Context>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    let scenario = context.settings.current().scenario;
    match scenario {
        Scenario::FirewallExchange => return super::denied(peer.ip().to_string()),
        Scenario::Exchange401 => {
            return acr_error(
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                "the AAD token was rejected by the registry",
            )
        }
        Scenario::Exchange500 => {
            return acr_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "the exchange failed inside the registry",
            )
        }
        Scenario::Exchange429 => return too_many_requests(),
        _ => {}
    }

    // Validate the form before the token, so a bad request is named as such.
    let form = Form::parse(&body);
    let grant_type = form.get("grant_type").unwrap_or_default();
    if grant_type != "access_token" && grant_type != "access_token_refresh_token" {
        let message = format!("grant_type '{grant_type}' is not supported; use access_token");
        return acr_error(StatusCode::BAD_REQUEST, "UNSUPPORTED_GRANT_TYPE", &message);
    }
    if let Some(response) = wrong_service(&context, form.get("service")) {
        return response;
    }
    let Some(aad_token) = form.get("access_token") else {
        return acr_error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the form field access_token is missing",
        );
    };

    let claims = match context
        .aad_signer
        .verify(aad_token, std::time::SystemTime::now())
    {
        Ok(claims) => claims,
        Err(error) => {
            tracing::debug!(cause = %error, "exchange rejected an AAD token");
            return acr_error(
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                &format!("the AAD access token is not valid: {error}"),
            );
        }
    };
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let tenant = text("tid");
    if let Some(asked) = form
        .get("tenant")
        .filter(|asked| !asked.is_empty() && *asked != tenant)
    {
        let message = format!("tenant '{asked}' does not match the token's tenant '{tenant}'");
        return acr_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", &message);
    }

    let expired = scenario == Scenario::RefreshTokenExpired;
    let refresh_token = context.refresh_token(&text("oid"), &tenant, expired);
    json_response(
        StatusCode::OK,
        json!({ "refresh_token": refresh_token }).to_string(),
    )
}

/// `GET /oauth2/token`: Basic credentials, or none when anonymous pull is on.
pub async fn token_get(
    State(context): State<Arc<Context>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let form = Form::parse(query.unwrap_or_default().as_bytes());
    if let Some(response) = token_scenario(&context) {
        return response;
    }
    if let Some(response) = wrong_service(&context, form.get("service")) {
        return response;
    }

    let identity = match basic_credentials(&headers) {
        Some((username, password)) => identify(&context, &username, &password),
        None if context.settings.current().scenario == Scenario::AnonymousPull => {
            Ok(Identity::Anonymous)
        }
        None => Err(Refusal::Unauthorized(UNAUTHORIZED.to_string())),
    };
    match identity {
        Ok(identity) => issue(&context, &identity, &parse_scopes(form.all("scope"))),
        Err(refusal) => refusal.into_response(),
    }
}

/// `POST /oauth2/token` with `grant_type=refresh_token` or `grant_type=password`.
pub async fn token_post(State(context): State<Arc<Context>>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(response) = token_scenario(&context) {
        return response;
    }
    if let Some(response) = wrong_service(&context, form.get("service")) {
        return response;
    }

    let identity = match form.get("grant_type").unwrap_or_default() {
        "refresh_token" => match form.get("refresh_token") {
            Some(token) => refresh_identity(&context, token),
            None => Err(bad_request("the form field refresh_token is missing")),
        },
        "password" => match (form.get("username"), form.get("password")) {
            (Some(username), Some(password)) => identify(&context, username, password),
            _ => Err(bad_request(
                "the form fields username and password are required",
            )),
        },
        other => {
            let message =
                format!("grant_type '{other}' is not supported; use refresh_token or password");
            Err(Refusal::BadRequest {
                code: "UNSUPPORTED_GRANT_TYPE",
                message,
            })
        }
    };
    match identity {
        Ok(identity) => issue(&context, &identity, &parse_scopes(form.all("scope"))),
        Err(refusal) => refusal.into_response(),
    }
}

/// Returns the response of a scenario that breaks the token endpoint whatever the credentials.
fn token_scenario(context: &Context) -> Option<Response> {
    let scenario = context.settings.current().scenario;
    match scenario {
        Scenario::Token401 => Some(unauthorized(
            "the credentials were rejected by the token service",
        )),
        _ => hostile::token_answer(scenario),
    }
}

/// Issues an access token for the granted part of each requested scope.
fn issue(context: &Context, identity: &Identity, scopes: &[Scope]) -> Response {
    let fewer = context.settings.current().scenario == Scenario::TokenFewerActions;
    let access: Vec<Scope> = scopes
        .iter()
        .map(|scope| Scope {
            actions: if fewer {
                Vec::new()
            } else {
                identity.grant(scope)
            },
            ..scope.clone()
        })
        .collect();
    tracing::debug!(subject = %identity.subject(), scopes = access.len(), "issuing an access token");
    let token = context.access_token(identity, &access);
    json_response(StatusCode::OK, json!({ "access_token": token }).to_string())
}

/// Resolves a user name and password: admin, token user, or the null GUID with a refresh token.
fn identify(context: &Context, username: &str, password: &str) -> Result<Identity, Refusal> {
    if username == NULL_GUID {
        return refresh_identity(context, password);
    }
    if username == context.admin.username && password == context.admin.password {
        return Ok(Identity::Admin {
            username: username.to_string(),
        });
    }
    if username == context.token_user.username && password == context.token_user.password {
        return Ok(Identity::TokenUser {
            username: username.to_string(),
            repository: context.repository.clone(),
        });
    }
    tracing::debug!(username, "token request with unknown credentials");
    Err(Refusal::Unauthorized(UNAUTHORIZED.to_string()))
}

fn refresh_identity(context: &Context, token: &str) -> Result<Identity, Refusal> {
    const EXPIRED: &str = "the refresh token has expired; sign in again";
    if context.settings.current().scenario == Scenario::RefreshTokenExpired {
        return Err(Refusal::Unauthorized(EXPIRED.to_string()));
    }
    context
        .identity_from_refresh_token(token)
        .map_err(|error| match error {
            TokenError::Expired => Refusal::Unauthorized(EXPIRED.to_string()),
            other => Refusal::Unauthorized(format!("the refresh token is not valid: {other}")),
        })
}

/// Rejects a `service` that names another registry; a missing one is taken as this registry.
fn wrong_service(context: &Context, service: Option<&str>) -> Option<Response> {
    let service = service.filter(|service| *service != context.service)?;
    let message = format!(
        "service '{service}' is not this registry; expected '{}'",
        context.service
    );
    Some(acr_error(
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
        &message,
    ))
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (username, password) = decoded.split_once(':')?;
    Some((username.to_string(), password.to_string()))
}

fn unauthorized(message: &str) -> Response {
    acr_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
}

fn too_many_requests() -> Response {
    let mut response = acr_error(
        StatusCode::TOO_MANY_REQUESTS,
        "TOOMANYREQUESTS",
        "too many requests, retry later",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    response
}
