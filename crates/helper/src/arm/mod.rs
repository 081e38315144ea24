//! The checks through Azure Resource Manager, from this machine: the core's [`ArmRun`] driven
//! over the native transport, beside the registry checks.
//!
//! The ARM token comes from the user (standard input, or the paired page's request) or from
//! the machine's az login ([`az`]). It is sent only to the base URL that
//! [`arm_base_url`] accepts: an Azure management host, or a test server on this machine. A
//! web page that calls the helper cannot make it send the az token anywhere else. The token
//! is never logged and never appears in a result: the core scrubs every result of it.

pub mod az;

use std::fmt;
use std::time::Instant;

use acr_health_core::parse::registry_input::{Cloud, LoginServer};
use acr_health_core::rules::arm::{
    self as arm_rules, arm_base_url, default_arm_base_url, ArmFinding, ArmRun, ArmSettings,
    ArmUrlError, Observations, TokenSourceFailure,
};
use acr_health_core::{CheckId, CheckResult, Side, Status};
use serde::Deserialize;
use tokio::sync::mpsc::UnboundedSender;

use crate::command::HostEnv;
use crate::registry::{self, transport::Transport};

/// The ARM checks, in report order.
pub const ARM_CHECKS: [CheckId; 5] = [
    CheckId::ArmToken,
    CheckId::ArmRegistry,
    CheckId::NetworkRules,
    CheckId::PrivateEndpoints,
    CheckId::EncryptionIdentity,
];

/// Requests one ARM run may make: every page of the subscription list, every page of the
/// registry list of each subscription searched, each private endpoint and one identity. The
/// core stops well before this; the bound only ends a run that would never end.
const MAX_REQUESTS: usize = 1
    + arm_rules::MAX_PAGES as usize * (1 + arm_rules::MAX_SUBSCRIPTIONS)
    + arm_rules::MAX_PRIVATE_ENDPOINTS
    + 1;

/// The `arm` settings of a run request, as `POST /api/v1/run` receives them. `Debug` never
/// shows the token.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmRequest {
    /// An ARM access token the user gave. It wins over `from_az` when both are set.
    #[serde(default)]
    pub token: Option<String>,
    /// Let the helper get a token from the machine's az login.
    #[serde(default)]
    pub from_az: bool,
    /// The ARM base URL; the default is the cloud's, such as `https://management.azure.com`.
    #[serde(default)]
    pub url: Option<String>,
    /// The registry's name in Azure, when it is not the login server's first label.
    #[serde(default)]
    pub registry: Option<String>,
}

impl fmt::Debug for ArmRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArmRequest")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("from_az", &self.from_az)
            .field("url", &self.url)
            .field("registry", &self.registry)
            .finish()
    }
}

/// The source of the ARM token. `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// A token the user gave.
    Given(String),
    /// `az account get-access-token` on this machine.
    AzureCli,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Given(_) => f.write_str("TokenSource::Given(<redacted>)"),
            TokenSource::AzureCli => f.write_str("TokenSource::AzureCli"),
        }
    }
}

/// Validated ARM settings of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmPlan {
    pub source: TokenSource,
    pub target: ArmTarget,
}

/// The validated ARM base URL and registry name of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArmTarget {
    /// The base URL accepted by [`arm_base_url`], or `None` for the cloud's default.
    pub base_url: Option<String>,
    /// The registry's name in Azure, when the user gave one.
    pub registry_name: Option<String>,
}

impl ArmTarget {
    /// Validates the base URL through [`arm_base_url`] and the registry name override.
    pub fn new(url: Option<&str>, registry_name: Option<&str>) -> Result<ArmTarget, ArmPlanError> {
        let base_url = url.map(arm_base_url).transpose()?;
        let registry_name = match registry_name.map(str::trim) {
            None => None,
            Some(name) if is_registry_name(name) => Some(name.to_owned()),
            Some(name) => return Err(ArmPlanError::InvalidRegistryName(name.to_owned())),
        };
        Ok(ArmTarget {
            base_url,
            registry_name,
        })
    }
}

/// The reason ARM settings were rejected before anything ran.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArmPlanError {
    /// Neither a token nor `from_az`.
    #[error("the ARM settings give no token: set token, or from_az to use the az login")]
    NoToken,
    /// The token is empty after trimming.
    #[error("the ARM token is empty")]
    EmptyToken,
    /// The registry name override is empty or has characters no Azure resource name has.
    #[error(
        "the registry name in Azure {0:?} is not a registry name: use 5 to 50 letters and digits"
    )]
    InvalidRegistryName(String),
    /// The base URL is rejected; the token would be sent nowhere else.
    #[error("{0}")]
    Url(#[from] ArmUrlError),
}

impl ArmPlan {
    /// Validates ARM settings: a token or the az login, the base URL through
    /// [`arm_base_url`], and the registry name override.
    pub fn new(
        token: Option<String>,
        from_az: bool,
        url: Option<&str>,
        registry_name: Option<&str>,
    ) -> Result<ArmPlan, ArmPlanError> {
        let source = match (token, from_az) {
            (Some(token), _) => {
                let token = clean_token(&token);
                if token.is_empty() {
                    return Err(ArmPlanError::EmptyToken);
                }
                TokenSource::Given(token)
            }
            (None, true) => TokenSource::AzureCli,
            (None, false) => return Err(ArmPlanError::NoToken),
        };
        Ok(ArmPlan {
            source,
            target: ArmTarget::new(url, registry_name)?,
        })
    }

    /// Validates the `arm` settings of an API request.
    pub fn from_request(request: ArmRequest) -> Result<ArmPlan, ArmPlanError> {
        ArmPlan::new(
            request.token,
            request.from_az,
            request.url.as_deref(),
            request.registry.as_deref(),
        )
    }
}

/// Returns a pasted ARM token without what pasting adds: surrounding white space and quotes, a
/// `Bearer ` prefix, or the whole JSON that `az account get-access-token` prints, from which
/// the `accessToken` is taken.
pub fn clean_token(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('{') {
        if let Ok(token) = az::parse_output(text) {
            return token.access_token;
        }
    }
    let text = text.trim_matches(|ch| ch == '"' || ch == '\'').trim();
    match text.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => text[7..].trim().to_owned(),
        _ => text.to_owned(),
    }
}

/// Tells whether `name` can be a registry's resource name: ACR allows 5 to 50 letters and
/// digits.
fn is_registry_name(name: &str) -> bool {
    (5..=50).contains(&name.len()) && name.chars().all(|ch| ch.is_ascii_alphanumeric())
}

/// Returns the cloud whose management host `base_url` names, or `None` for a loopback URL.
fn cloud_of_base_url(base_url: &str) -> Option<Cloud> {
    [
        Cloud::AzureCloud,
        Cloud::AzureChinaCloud,
        Cloud::AzureUSGovernment,
    ]
    .into_iter()
    .find(|cloud| default_arm_base_url(*cloud).eq_ignore_ascii_case(base_url))
}

/// Returns a result of the machine side for an ARM check that did not run.
fn skipped(check: CheckId, finding: ArmFinding) -> CheckResult {
    CheckResult {
        check,
        side: Side::Machine,
        status: Status::Skipped,
        code: None,
        finding: finding.into(),
        evidence: Vec::new(),
        elapsed_ms: 0,
    }
}

/// Returns the ARM checks skipped because the registry input named no login server.
pub fn skipped_without_server() -> Vec<CheckResult> {
    ARM_CHECKS
        .into_iter()
        .map(|check| skipped(check, ArmFinding::SkippedAfterFailure))
        .collect()
}

/// Returns the kind of token source failure an az error is.
fn failure_kind(error: &az::AzError) -> TokenSourceFailure {
    match error {
        az::AzError::NotFound { .. } => TokenSourceFailure::AzMissing,
        az::AzError::NotLoggedIn { .. } => TokenSourceFailure::AzNotLoggedIn,
        az::AzError::TimedOut { .. } => TokenSourceFailure::AzTimedOut,
        az::AzError::NotStarted { .. } | az::AzError::Failed { .. } => TokenSourceFailure::AzFailed,
        az::AzError::InvalidOutput { .. } => TokenSourceFailure::AzInvalidOutput,
    }
}

/// Runs the ARM requests for `server` and sends each result as it is final. Returns the run,
/// to be finished with what the registry checks saw, or `None` when no token could be had (the
/// results then state the reason).
pub async fn run_requests(
    plan: ArmPlan,
    server: LoginServer,
    cloud: Cloud,
    host_env: &HostEnv,
    transport: &Transport,
    results: &UnboundedSender<CheckResult>,
) -> Option<ArmRun> {
    let started_at_ms = registry::now_ms();
    let base_url = plan
        .target
        .base_url
        .clone()
        .unwrap_or_else(|| default_arm_base_url(server.cloud.unwrap_or(cloud)).to_owned());
    tracing::info!(
        base_url = %base_url,
        source = ?plan.source,
        registry_name = ?plan.target.registry_name,
        "ARM run started"
    );

    let token = match plan.source {
        TokenSource::Given(token) => token,
        TokenSource::AzureCli => {
            let az_cloud = cloud_of_base_url(&base_url)
                .or(server.cloud)
                .unwrap_or(cloud);
            match az::get_access_token(host_env, az_cloud, az::AZ_TIMEOUT).await {
                Ok(token) => token.access_token,
                Err(error) => {
                    tracing::warn!(cause = %error, "no ARM token from the Azure CLI");
                    let failed = arm_rules::token_source_failed(
                        failure_kind(&error),
                        error.detail(),
                        Side::Machine,
                        started_at_ms,
                    );
                    for result in failed {
                        let _ = results.send(result);
                    }
                    return None;
                }
            }
        }
    };

    let settings = ArmSettings {
        base_url,
        registry_name: plan.target.registry_name,
    };
    let mut run = ArmRun::new(server, token, settings, Side::Machine, registry::now_ms());
    let mut requests = 0;
    while let Some(request) = run.next_request() {
        requests += 1;
        if requests > MAX_REQUESTS {
            tracing::error!(requests, "ARM run did not end; abandoning it");
            break;
        }
        let started = Instant::now();
        let outcome = transport.send(&request).await;
        let elapsed_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        for result in run.observe(outcome, elapsed_ms, registry::now_ms()) {
            let _ = results.send(result);
        }
    }
    Some(run)
}

/// Reports the ARM checks left after the requests, judged against the registry results of
/// this machine (its DNS answer, a 403 and the client address in it, the data path).
pub fn finish(mut run: ArmRun, registry_results: &[CheckResult]) -> Vec<CheckResult> {
    let seen = Observations::from_results(registry_results);
    tracing::debug!(
        forbidden = seen.forbidden,
        client_ip = ?seen.client_ip,
        dns_addresses = ?seen.dns_addresses,
        "finishing the ARM run"
    );
    run.finish(&seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token, `from_az`, the URL and the registry name, then the plan or the error.
    type Case<'a> = (
        Option<&'a str>,
        bool,
        Option<&'a str>,
        Option<&'a str>,
        Result<ArmPlan, ArmPlanError>,
    );

    #[test]
    fn plan_cases() {
        let cases: [Case; 8] = [
            (
                Some(" tok "),
                false,
                None,
                None,
                Ok(ArmPlan {
                    source: TokenSource::Given("tok".to_owned()),
                    target: ArmTarget::default(),
                }),
            ),
            (
                Some("tok"),
                true,
                Some("https://management.azure.com/"),
                Some(" labreg "),
                Ok(ArmPlan {
                    source: TokenSource::Given("tok".to_owned()),
                    target: ArmTarget {
                        base_url: Some("https://management.azure.com".to_owned()),
                        registry_name: Some("labreg".to_owned()),
                    },
                }),
            ),
            (
                None,
                true,
                Some("http://127.0.0.1:8443"),
                None,
                Ok(ArmPlan {
                    source: TokenSource::AzureCli,
                    target: ArmTarget {
                        base_url: Some("http://127.0.0.1:8443".to_owned()),
                        registry_name: None,
                    },
                }),
            ),
            (None, false, None, None, Err(ArmPlanError::NoToken)),
            (Some("  "), false, None, None, Err(ArmPlanError::EmptyToken)),
            (
                None,
                true,
                Some("https://evil.invalid"),
                None,
                Err(ArmPlanError::Url(ArmUrlError::HostNotAllowed {
                    host: "evil.invalid".to_owned(),
                })),
            ),
            (
                None,
                true,
                None,
                Some("my_reg"),
                Err(ArmPlanError::InvalidRegistryName("my_reg".to_owned())),
            ),
            (
                None,
                true,
                None,
                Some("reg"),
                Err(ArmPlanError::InvalidRegistryName("reg".to_owned())),
            ),
        ];
        for (token, from_az, url, registry, expected) in cases {
            assert_eq!(
                ArmPlan::new(token.map(str::to_owned), from_az, url, registry),
                expected,
                "{token:?} {from_az} {url:?} {registry:?}"
            );
        }
    }

    #[test]
    fn clean_token_cases() {
        let cases = [
            ("eyJ.a.b", "eyJ.a.b"),
            ("  eyJ.a.b\n", "eyJ.a.b"),
            ("\"eyJ.a.b\"", "eyJ.a.b"),
            ("Bearer eyJ.a.b", "eyJ.a.b"),
            ("bearer  eyJ.a.b", "eyJ.a.b"),
            (
                "{\n  \"accessToken\": \"eyJ.a.b\",\n  \"tokenType\": \"Bearer\"\n}\n",
                "eyJ.a.b",
            ),
            ("{not json", "{not json"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_token(input), expected, "{input:?}");
        }
    }

    #[test]
    fn debug_hides_token() {
        let request = ArmRequest {
            token: Some("secret-arm-token".to_owned()),
            ..ArmRequest::default()
        };
        assert!(!format!("{request:?}").contains("secret-arm-token"));
        let plan = ArmPlan::from_request(request).expect("valid");
        assert!(!format!("{plan:?}").contains("secret-arm-token"));
    }

    #[test]
    fn cloud_of_base_url_cases() {
        let cases = [
            ("https://management.azure.com", Some(Cloud::AzureCloud)),
            (
                "https://MANAGEMENT.chinacloudapi.cn",
                Some(Cloud::AzureChinaCloud),
            ),
            (
                "https://management.usgovcloudapi.net",
                Some(Cloud::AzureUSGovernment),
            ),
            ("http://127.0.0.1:8443", None),
        ];
        for (url, expected) in cases {
            assert_eq!(cloud_of_base_url(url), expected, "{url}");
        }
    }
}
