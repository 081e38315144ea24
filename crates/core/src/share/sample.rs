//! A typical report, for measuring share links and for tests.
//!
//! The build's size report prints the length of this report's link, so that a change that makes
//! links longer shows in every build, and the tests assert that it stays under 2,000 characters.

use crate::report::REPORT_FORMAT;
use crate::rules::arm::ArmFinding;
use crate::rules::environment::{EnvironmentFinding, Version};
use crate::rules::registry::{ClockSource, Failure, RegistryFinding, TokenFlow};
use crate::{CheckId, CheckResult, Code, Evidence, Finding, Report, Side, Status};

fn result(
    check: CheckId,
    side: Side,
    status: Status,
    code: Option<Code>,
    finding: impl Into<Finding>,
    evidence: &[(&str, &str)],
    elapsed_ms: u32,
) -> CheckResult {
    CheckResult {
        check,
        side,
        status,
        code,
        finding: finding.into(),
        evidence: evidence
            .iter()
            .map(|(label, value)| Evidence::new(*label, *value))
            .collect(),
        elapsed_ms,
    }
}

/// Returns a report as a real run with the helper and an ARM token makes it, with the evidence
/// each check records. The browser's registry checks are blocked by CORS, the machine runs its
/// DNS, TLS, registry and tool checks, and both sides run the ARM checks.
pub fn typical_report() -> Report {
    use Side::{Browser, Machine};
    use Status::{Fail, Pass, Skipped, Warning};

    let host = "contosoregistry.azurecr.io";
    let v2 = "https://contosoregistry.azurecr.io/v2/";
    let token_url = "https://contosoregistry.azurecr.io/oauth2/token";
    let exchange_url = "https://contosoregistry.azurecr.io/oauth2/exchange";
    let challenge = "Bearer realm=\"https://contosoregistry.azurecr.io/oauth2/token\",service=\"contosoregistry.azurecr.io\"";
    let blob = "https://contosoregistry.azurecr.io/v2/hello-world/blobs/sha256:d2c94e258dcb3c5ac2798d32e1249e42ef01cba4841c2234249495f87264ac5a";
    let data = "contosoregistry.westeurope.data.azurecr.io";

    let results = vec![
        result(
            CheckId::LoginServer,
            Browser,
            Pass,
            None,
            RegistryFinding::LoginServer {
                login_server: host.into(),
                cloud: None,
            },
            &[],
            0,
        ),
        result(
            CheckId::Reachability,
            Browser,
            Pass,
            None,
            RegistryFinding::Reached {
                url: v2.into(),
                status: None,
            },
            &[("url", v2), ("elapsed_ms", "84")],
            84,
        ),
        result(
            CheckId::Challenge,
            Browser,
            Fail,
            Some(Code::ConnectivityCors),
            RegistryFinding::RequestFailed {
                url: v2.into(),
                failure: Failure::CorsBlocked,
            },
            &[("url", v2), ("elapsed_ms", "61")],
            61,
        ),
        result(
            CheckId::Cors,
            Browser,
            Fail,
            Some(Code::ConnectivityCors),
            RegistryFinding::CorsBlocked { url: v2.into() },
            &[("url", v2)],
            61,
        ),
        result(
            CheckId::AadExchange,
            Browser,
            Skipped,
            None,
            RegistryFinding::SkippedCorsBlocked,
            &[],
            0,
        ),
        result(
            CheckId::AccessToken,
            Browser,
            Skipped,
            None,
            RegistryFinding::SkippedCorsBlocked,
            &[],
            0,
        ),
        result(
            CheckId::Clock,
            Browser,
            Skipped,
            None,
            RegistryFinding::SkippedCorsBlocked,
            &[],
            0,
        ),
        result(
            CheckId::DataPath,
            Browser,
            Skipped,
            None,
            RegistryFinding::SkippedCorsBlocked,
            &[],
            0,
        ),
        result(
            CheckId::Dns,
            Machine,
            Pass,
            None,
            EnvironmentFinding::DnsResolved {
                host: host.into(),
                count: 1,
                private: 0,
            },
            &[
                ("address", "20.61.140.34"),
                ("address", "2603:1020:206:3::1f"),
            ],
            12,
        ),
        result(
            CheckId::Proxy,
            Machine,
            Pass,
            None,
            EnvironmentFinding::ProxyNone,
            &[],
            0,
        ),
        result(
            CheckId::Tls,
            Machine,
            Warning,
            None,
            EnvironmentFinding::TlsExpiresSoon {
                host: host.into(),
                days: 12,
            },
            &[
                (
                    "issuer",
                    "CN=Microsoft Azure RSA TLS Issuing CA 04, O=Microsoft Corporation, C=US",
                ),
                ("not_after", "2026-12-16T23:59:59Z"),
            ],
            95,
        ),
        result(
            CheckId::Challenge,
            Machine,
            Pass,
            None,
            RegistryFinding::ChallengeIssued {
                url: v2.into(),
                realm: token_url.into(),
                service: host.into(),
            },
            &[
                ("url", v2),
                ("status", "401"),
                ("www-authenticate", challenge),
                ("date", "Fri, 04 Dec 2026 20:49:34 GMT"),
                (
                    "x-ms-correlation-request-id",
                    "6f1a1c72-2b3e-4e43-9d0b-52f8a9e1d3c4",
                ),
            ],
            88,
        ),
        result(
            CheckId::AadExchange,
            Machine,
            Pass,
            None,
            RegistryFinding::RefreshTokenIssued {
                url: exchange_url.into(),
                expires_at_ms: Some(1_796_482_174_000),
            },
            &[
                ("url", exchange_url),
                ("status", "200"),
                ("elapsed_ms", "231"),
            ],
            231,
        ),
        result(
            CheckId::AccessToken,
            Machine,
            Pass,
            None,
            RegistryFinding::TokenGranted {
                url: token_url.into(),
                flow: TokenFlow::RefreshToken,
                scope: "repository:hello-world:pull".into(),
                granted: vec!["pull".into()],
                expires_at_ms: Some(1_796_471_374_000),
            },
            &[
                ("url", token_url),
                ("status", "200"),
                ("scope", "repository:hello-world:pull"),
            ],
            143,
        ),
        result(
            CheckId::Clock,
            Machine,
            Pass,
            None,
            RegistryFinding::ClockInSync {
                source: ClockSource::DateHeader,
                server_ms: 1_796_460_574_000,
                local_ms: 1_796_460_574_420,
            },
            &[("date", "Fri, 04 Dec 2026 20:49:34 GMT")],
            0,
        ),
        result(
            CheckId::DataPath,
            Machine,
            Fail,
            Some(Code::ConnectivityDataEndpoint),
            RegistryFinding::RequestFailed {
                url: format!("https://{data}/"),
                failure: Failure::Network {
                    detail: "connection to 20.50.2.13:443 refused".into(),
                },
            },
            &[
                ("url", blob),
                ("status", "307"),
                ("location", &format!("https://{data}/")),
                (
                    "error",
                    "tcp connect error: Connection refused (os error 111)",
                ),
            ],
            30_012,
        ),
        result(
            CheckId::DockerCommand,
            Machine,
            Pass,
            None,
            EnvironmentFinding::CommandFound {
                name: "docker".into(),
                path: "/usr/bin/docker".into(),
            },
            &[("command", "docker"), ("path", "/usr/bin/docker")],
            2,
        ),
        result(
            CheckId::DockerDaemon,
            Machine,
            Pass,
            None,
            EnvironmentFinding::DaemonReachable {
                version: "28.2.2".into(),
                platform: "linux/amd64".into(),
            },
            &[
                ("command", "docker version --format json"),
                ("exit_status", "0"),
            ],
            61,
        ),
        result(
            CheckId::DockerVersion,
            Machine,
            Pass,
            None,
            EnvironmentFinding::VersionFound {
                name: "docker".into(),
                version: Version::new(28, 2, 2),
            },
            &[("output", "Docker version 28.2.2, build e6534b4")],
            23,
        ),
        result(
            CheckId::DockerPull,
            Machine,
            Skipped,
            None,
            EnvironmentFinding::PullNeedsConsent,
            &[],
            0,
        ),
        result(
            CheckId::HelmCommand,
            Machine,
            Warning,
            Some(Code::HelmCommand),
            EnvironmentFinding::CommandNotFound {
                name: "helm".into(),
            },
            &[("command", "helm")],
            1,
        ),
        result(
            CheckId::HelmVersion,
            Machine,
            Skipped,
            None,
            EnvironmentFinding::SkippedNoCommand {
                name: "helm".into(),
            },
            &[],
            0,
        ),
        result(
            CheckId::NotaryVersion,
            Machine,
            Pass,
            None,
            EnvironmentFinding::NotaryAbsent,
            &[],
            1,
        ),
    ];
    let mut results = results;
    results.extend(arm_results(Browser));
    results.extend(arm_results(Machine));

    Report {
        format: REPORT_FORMAT,
        tool_version: "0.1.0".into(),
        registry: host.into(),
        cloud: "AzureCloud".into(),
        started_at_ms: 1_796_460_573_915,
        browser: Some("Chrome 143".into()),
        helper_version: Some("0.1.0".into()),
        results,
    }
}

/// The ARM checks of the typical report on one side: a Premium registry with default action
/// Deny, whose login server the helper reaches, with no private endpoint and no
/// customer-managed key.
fn arm_results(side: Side) -> Vec<CheckResult> {
    use Status::{Pass, Skipped, Warning};

    let id = "/subscriptions/7c4d9a2e-5b1f-4e8a-9d3c-2f6b8e1a4c70/resourceGroups/contoso-prod/providers/Microsoft.ContainerRegistry/registries/contosoregistry";
    let rules = vec!["203.0.113.0/24".to_owned(), "198.51.100.7".to_owned()];
    let registry = "contosoregistry".to_owned();
    let network = match side {
        Side::Browser => result(
            CheckId::NetworkRules,
            side,
            Warning,
            None,
            ArmFinding::ClientIpUnknown {
                registry: registry.clone(),
                rules: rules.clone(),
                rule_count: 2,
                forbidden_seen: false,
                in_browser: true,
                data_host: None,
            },
            &[
                ("public_network_access", "Enabled"),
                ("default_action", "Deny"),
                ("ip_rule", "203.0.113.0/24"),
                ("ip_rule", "198.51.100.7"),
            ],
            0,
        ),
        Side::Machine => result(
            CheckId::NetworkRules,
            side,
            Pass,
            None,
            ArmFinding::ClientAdmitted {
                registry: registry.clone(),
                rules,
                rule_count: 2,
            },
            &[
                ("public_network_access", "Enabled"),
                ("default_action", "Deny"),
                ("ip_rule", "203.0.113.0/24"),
                ("ip_rule", "198.51.100.7"),
            ],
            0,
        ),
    };

    vec![
        result(
            CheckId::ArmToken,
            side,
            Pass,
            None,
            ArmFinding::TokenAccepted {
                tenant: Some("72f988bf-86f1-41af-91ab-2d7cd011db47".into()),
                expires_at_ms: Some(1_796_463_874_000),
            },
            &[("aud", "https://management.azure.com/")],
            212,
        ),
        result(
            CheckId::ArmRegistry,
            side,
            Pass,
            None,
            ArmFinding::RegistryFound {
                name: registry.clone(),
                login_server: "contosoregistry.azurecr.io".into(),
                subscription: "Contoso Production".into(),
                sku: Some("Premium".into()),
                admin_user_enabled: Some(false),
                anonymous_pull_enabled: Some(false),
            },
            &[
                ("resource_id", id),
                ("location", "westeurope"),
                (
                    "data_endpoint",
                    "contosoregistry.westeurope.data.azurecr.io",
                ),
            ],
            388,
        ),
        network,
        result(
            CheckId::PrivateEndpoints,
            side,
            Skipped,
            None,
            ArmFinding::NoPrivateEndpoints {
                registry: registry.clone(),
            },
            &[],
            0,
        ),
        result(
            CheckId::EncryptionIdentity,
            side,
            Skipped,
            None,
            ArmFinding::NotEncrypted { registry },
            &[],
            0,
        ),
    ]
}
