//! The native registry checks against the lab: a real distribution registry behind an
//! ACR-style authorization front, switched through every scenario it imitates.

use std::time::Duration;

use acr_health_core::parse::registry_input::Cloud;
use acr_health_core::rules::registry::Credential;
use acr_health_core::{CheckId, CheckResult, Code, Status};
use acr_health_helper::registry::proxy::ProxyEnv;
use acr_health_helper::registry::{self, transport};
use acr_health_lab::{Lab, LabConfig, Mode, Scenario};

/// Time allowed per request, short so that `hang` and `hostile-drip` end quickly.
const TIMEOUT: Duration = Duration::from_secs(3);

fn start(mode: Mode) -> Lab {
    Lab::start(LabConfig {
        mode,
        ..LabConfig::default()
    })
    .expect("the lab starts")
}

/// Tells whether a scenario concerns the AAD exchange, so that only an AAD token shows it.
fn needs_aad(scenario: Scenario) -> bool {
    matches!(
        scenario,
        Scenario::FirewallExchange
            | Scenario::ChallengeBasicOnly
            | Scenario::BearerNoRealm
            | Scenario::BearerNoService
            | Scenario::Exchange401
            | Scenario::Exchange500
            | Scenario::Exchange429
            | Scenario::RefreshTokenExpired
    )
}

fn credential(lab: &Lab, scenario: Scenario) -> Credential {
    if needs_aad(scenario) {
        Credential::AadToken {
            token: lab.aad_token("tenant-test", "00000000-0000-0000-0000-00000000abcd", false),
            tenant: Some("tenant-test".to_owned()),
        }
    } else {
        Credential::Password {
            username: lab.admin().username.clone(),
            password: lab.admin().password.clone(),
        }
    }
}

async fn run(lab: &Lab, credential: Credential) -> Vec<CheckResult> {
    let (tls, presented) =
        transport::tls_config(Some(lab.ca_pem_path())).expect("the lab CA loads");
    let transport = transport::Transport::new(tls, presented, ProxyEnv::default(), TIMEOUT);
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let input = lab.base_url();
    registry::run_checks(
        &input,
        Cloud::AzureCloud,
        credential,
        &transport,
        &ProxyEnv::default(),
        &sender,
    )
    .await;
    drop(sender);
    let mut results = Vec::new();
    while let Some(result) = receiver.recv().await {
        results.push(result);
    }
    results
}

fn summary(results: &[CheckResult]) -> String {
    results
        .iter()
        .map(|r| format!("{} {:?} {:?}", r.check.as_str(), r.status, r.code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `scenarios` on one lab and asserts each shows its expected code (or none).
async fn check_scenarios(lab: &Lab, scenarios: &[Scenario]) {
    let mut failures = Vec::new();
    for &scenario in scenarios {
        lab.set_scenario(scenario)
            .expect("the scenario applies to this lab");
        let results = run(lab, credential(lab, scenario)).await;
        let expected = scenario
            .info()
            .expected_code
            .map(|c| Code::parse(c).expect("a known code"));
        let codes: Vec<Code> = results.iter().filter_map(|r| r.code).collect();
        let ok = match expected {
            Some(code) => codes.contains(&code),
            None => results.iter().all(|r| r.status != Status::Fail),
        };
        if !ok {
            failures.push(format!(
                "{scenario}: expected {expected:?}, got:\n{}",
                summary(&results)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_plain_http_passes() {
    let lab = start(Mode::PlainHttp);
    let results = run(&lab, credential(&lab, Scenario::Healthy)).await;

    for check in [
        CheckId::LoginServer,
        CheckId::Dns,
        CheckId::Challenge,
        CheckId::AccessToken,
        CheckId::DataPath,
    ] {
        let result = results
            .iter()
            .find(|r| r.check == check)
            .unwrap_or_else(|| panic!("no {check:?} in\n{}", summary(&results)));
        assert_eq!(
            result.status,
            Status::Pass,
            "{check:?}\n{}",
            summary(&results)
        );
    }
    let tls = results
        .iter()
        .find(|r| r.check == CheckId::Tls)
        .expect("a TLS result");
    assert_eq!(tls.status, Status::Skipped);
    let dns = results
        .iter()
        .find(|r| r.check == CheckId::Dns)
        .expect("a DNS result");
    assert!(dns
        .evidence
        .iter()
        .any(|e| e.label == "address" && e.value.ends_with("(loopback)")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_scenarios_show_expected_codes() {
    let lab = start(Mode::PlainHttp);
    let scenarios: Vec<Scenario> = Scenario::ALL
        .iter()
        .map(|(scenario, _)| *scenario)
        // Only a browser enforces CORS; the TLS faults need the TLS lab below.
        .filter(|s| *s != Scenario::CorsOff && !s.needs_tls())
        .filter(|s| *s != Scenario::ClockSkew)
        .collect();
    check_scenarios(&lab, &scenarios).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_scenarios_show_ssl_error() {
    let lab = start(Mode::Tls);
    let results = run(&lab, credential(&lab, Scenario::Healthy)).await;
    let tls = results
        .iter()
        .find(|r| r.check == CheckId::Tls)
        .expect("a TLS result");
    assert_eq!(tls.status, Status::Pass, "{}", summary(&results));
    assert!(tls
        .evidence
        .iter()
        .any(|e| e.label == "certificate[0].issuer"));

    check_scenarios(
        &lab,
        &[
            Scenario::TlsUnknownCa,
            Scenario::TlsExpired,
            Scenario::TlsWrongHost,
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_skew_shows_clock_error() {
    let lab = start(Mode::PlainHttp);
    lab.set(acr_health_lab::Current {
        scenario: Scenario::ClockSkew,
        latency_ms: 0,
        skew_minutes: 30,
    })
    .expect("plain HTTP serves it");
    let results = run(&lab, credential(&lab, Scenario::ClockSkew)).await;
    let clock = results
        .iter()
        .find(|r| r.check == CheckId::Clock)
        .expect("a clock result");
    assert_eq!(clock.code, Some(Code::ClockSkew), "{}", summary(&results));
}

#[tokio::test]
async fn unresolvable_host_is_dns_error() {
    // `.invalid` never resolves (RFC 6761), so no request reaches a real registry.
    let (tls, presented) = transport::tls_config(None).expect("system roots load");
    let transport = transport::Transport::new(tls, presented, ProxyEnv::default(), TIMEOUT);
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    registry::run_checks(
        "registry.invalid",
        Cloud::AzureCloud,
        Credential::Anonymous,
        &transport,
        &ProxyEnv::default(),
        &sender,
    )
    .await;
    drop(sender);
    let mut results = Vec::new();
    while let Some(result) = receiver.recv().await {
        results.push(result);
    }

    let dns = results
        .iter()
        .find(|r| r.check == CheckId::Dns)
        .expect("a DNS result");
    assert_eq!(
        dns.code,
        Some(Code::ConnectivityDns),
        "{}",
        summary(&results)
    );
    let tls = results
        .iter()
        .find(|r| r.check == CheckId::Tls)
        .expect("a TLS result");
    assert_eq!(tls.status, Status::Skipped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_refused_names_endpoint() {
    let lab = start(Mode::PlainHttp);
    lab.set_scenario(Scenario::StorageRefused)
        .expect("plain HTTP serves it");
    let results = run(&lab, credential(&lab, Scenario::StorageRefused)).await;

    let data_path = results
        .iter()
        .find(|r| r.check == CheckId::DataPath)
        .expect("a data path result");
    assert_eq!(
        data_path.code,
        Some(Code::ConnectivityDataEndpoint),
        "{}",
        summary(&results)
    );
    // The redirect target, not the login server, is the endpoint that failed.
    let location = data_path
        .evidence
        .iter()
        .find(|e| e.label == "location")
        .map(|e| e.value.clone())
        .expect("the 307 location is evidence");
    let target = location
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("an absolute location");
    assert_ne!(target, lab.login_server());
    let error = data_path
        .evidence
        .iter()
        .find(|e| e.label == "error")
        .expect("the failure is evidence");
    assert!(
        error.value.contains(target),
        "{} does not name {target}",
        error.value
    );

    let access = results
        .iter()
        .find(|r| r.check == CheckId::AccessToken)
        .expect("an access token result");
    assert_eq!(
        access.status,
        Status::Pass,
        "login works, the pull path does not"
    );
}
