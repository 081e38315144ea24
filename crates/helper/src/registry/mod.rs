//! The registry checks from this machine: login server, proxy, DNS and TLS, which only native
//! code can observe, then the core's [`RegistryRun`] driven over the native [`transport`].

pub mod proxy;
pub mod tls;
pub mod transport;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use acr_health_core::parse::registry_input::{Cloud, LoginServer};
use acr_health_core::rules::environment::{self as env_rules, DnsAnswer};
use acr_health_core::rules::registry::{
    login_server, Credential, RegistryFinding, RegistryRun, RunOptions,
};
use acr_health_core::{CheckId, CheckResult, Side, Status};
use tokio::sync::mpsc::UnboundedSender;

use transport::Transport;

/// The registry checks after the login server, in report order.
pub const CHAIN: [CheckId; 8] = [
    CheckId::Proxy,
    CheckId::Dns,
    CheckId::Tls,
    CheckId::Challenge,
    CheckId::AadExchange,
    CheckId::AccessToken,
    CheckId::Clock,
    CheckId::DataPath,
];

/// Requests one run may make, redirects counted once. The core's chain needs fewer than ten;
/// the bound only stops a run that never ends.
const MAX_REQUESTS: usize = 32;

/// Default time allowed for one registry request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Returns the current time in Unix milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn elapsed_ms(started: Instant) -> u32 {
    u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX)
}

fn send(results: &UnboundedSender<CheckResult>, result: CheckResult) {
    // A closed channel means the client disconnected, so the remaining results are dropped.
    let _ = results.send(result);
}

/// Returns a skipped result for a registry check after an earlier failure.
pub fn skipped_after_failure(check: CheckId) -> CheckResult {
    skipped(check, RegistryFinding::SkippedAfterFailure)
}

fn skipped(check: CheckId, finding: RegistryFinding) -> CheckResult {
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

/// Runs the registry checks for `input` and sends each result as it finishes. Returns the
/// login server, when the input named one.
pub async fn run_checks(
    input: &str,
    cloud: Cloud,
    credential: Credential,
    transport: &Transport,
    proxy_env: &proxy::ProxyEnv,
    results: &UnboundedSender<CheckResult>,
) -> Option<LoginServer> {
    let started_at_ms = now_ms();
    let (result, server) = login_server(input, cloud, Side::Machine);
    send(results, result);
    let Some(server) = server else {
        for check in CHAIN {
            send(results, skipped_after_failure(check));
        }
        return None;
    };
    let https = server.base_url().starts_with("https://");
    let port = server.port.unwrap_or(if https { 443 } else { 80 });

    send(
        results,
        env_rules::proxy(&proxy_env.settings_for(&server.host, https)),
    );

    let started = Instant::now();
    let answer = transport::resolve(&server.host, port).await;
    send(
        results,
        env_rules::dns(&server.host, &answer, elapsed_ms(started)),
    );
    let resolved = match &answer {
        DnsAnswer::Literal(_) => true,
        DnsAnswer::Resolved(addresses) => !addresses.is_empty(),
        DnsAnswer::Failed { .. } => false,
    };

    if resolved {
        let started = Instant::now();
        let now_secs = i64::try_from(now_ms() / 1000).unwrap_or(i64::MAX);
        let observation = transport.tls_check(&server.base_url(), now_secs).await;
        send(
            results,
            env_rules::tls(&server.authority(), &observation, elapsed_ms(started)),
        );
    } else {
        send(results, skipped_after_failure(CheckId::Tls));
    }

    let mut run = RegistryRun::new(
        server.clone(),
        credential,
        RunOptions::new(Side::Machine, started_at_ms),
    );
    let mut requests = 0;
    while let Some(request) = run.next_request() {
        requests += 1;
        if requests > MAX_REQUESTS {
            tracing::error!(requests, "registry run did not end; abandoning it");
            break;
        }
        let started = Instant::now();
        let outcome = transport.send(&request).await;
        for result in run.observe(outcome, elapsed_ms(started), now_ms()) {
            send(results, result);
        }
    }
    for result in run.finish() {
        send(results, result);
    }
    Some(server)
}
