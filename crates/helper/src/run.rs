//! One run of the machine-side checks, shared by `POST /api/v1/run` and `check`.
//!
//! The environment checks, the registry checks and the ARM requests start together. Each
//! result is passed on as soon as it is known. The last ARM checks (network rules, private
//! endpoints, encryption identity) are judged once the registry checks have ended, against
//! what they saw. The report is assembled at the end.

use acr_health_core::parse::registry_input::{self, Cloud};
use acr_health_core::report::REPORT_FORMAT;
use acr_health_core::rules::environment::{ImageRef, ImageRefError, DEFAULT_PULL_IMAGE};
use acr_health_core::rules::registry::Credential;
use acr_health_core::{CheckResult, Report};
use serde::Deserialize;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use crate::arm::{self, ArmPlan, ArmRequest};
use crate::command::HostEnv;
use crate::environment::{self, EnvironmentOptions};
use crate::registry;
use crate::registry::proxy::ProxyEnv;
use crate::registry::transport::Transport;

/// A run request, as `POST /api/v1/run` receives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// The registry as the user typed it: a registry name, a login server, or a URL.
    pub registry: String,
    /// `AzureCloud`, `AzureChinaCloud` or `AzureUSGovernment`.
    #[serde(default = "default_cloud")]
    pub cloud: String,
    /// Used for this run only, then dropped.
    #[serde(default = "anonymous")]
    pub credential: Credential,
    #[serde(default)]
    pub pull: PullRequest,
    /// ARM settings; without them no ARM check runs.
    #[serde(default)]
    pub arm: Option<ArmRequest>,
}

fn default_cloud() -> String {
    Cloud::AzureCloud.as_str().to_owned()
}

fn anonymous() -> Credential {
    Credential::Anonymous
}

/// Whether to pull, and what.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// The user agreed to a pull. Without it no image is downloaded.
    #[serde(default)]
    pub consent: bool,
    /// The image to pull; the default is [`DEFAULT_PULL_IMAGE`].
    #[serde(default)]
    pub image: Option<String>,
}

/// Returns the image to pull: `None` without consent, else the requested or default image.
pub fn pull_image(pull: &PullRequest) -> Result<Option<ImageRef>, ImageRefError> {
    if !pull.consent {
        return Ok(None);
    }
    let text = pull.image.as_deref().unwrap_or(DEFAULT_PULL_IMAGE);
    ImageRef::parse(text.trim()).map(Some)
}

/// Everything a run needs, validated.
pub struct RunPlan {
    /// The registry as the user typed it.
    pub registry: String,
    pub cloud: Cloud,
    pub credential: Credential,
    pub environment: EnvironmentOptions,
    /// The ARM checks to run, if any.
    pub arm: Option<ArmPlan>,
}

/// The machine-side context shared by runs: where commands are found, and how the registry
/// is reached.
pub struct RunContext {
    pub host_env: HostEnv,
    pub proxy: ProxyEnv,
    pub transport: Transport,
}

impl RunContext {
    /// Builds a context: commands found through `host_env`, the registry reached through
    /// `proxy`, trusting the system's roots plus `extra_ca`, each request bounded by `timeout`.
    pub fn new(
        host_env: HostEnv,
        proxy: ProxyEnv,
        extra_ca: Option<&std::path::Path>,
        timeout: std::time::Duration,
    ) -> anyhow::Result<RunContext> {
        let (tls, presented) = crate::registry::transport::tls_config(extra_ca)?;
        let transport = Transport::new(tls, presented, proxy.clone(), timeout);
        Ok(RunContext {
            host_env,
            proxy,
            transport,
        })
    }
}

/// Runs every machine-side check of `plan`, sends each result to `results` as it finishes,
/// and returns the report with all of them.
pub async fn execute(
    plan: RunPlan,
    context: &RunContext,
    results: UnboundedSender<CheckResult>,
) -> Report {
    let started_at_ms = registry::now_ms();
    tracing::info!(
        registry = %plan.registry,
        cloud = plan.cloud.as_str(),
        credential = ?plan.credential.kind(),
        pull = plan.environment.pull.is_some(),
        arm = plan.arm.is_some(),
        "run started"
    );

    let (sender, mut receiver) = unbounded_channel::<CheckResult>();
    let collector = async {
        let mut collected = Vec::new();
        while let Some(result) = receiver.recv().await {
            let _ = results.send(result.clone());
            collected.push(result);
        }
        collected
    };
    let checks = async {
        // Owned here, so the channel closes when the checks end and the collector stops.
        let sender = sender;
        let ((), server) = tokio::join!(
            environment::run_checks(&context.host_env, &plan.environment, &sender),
            registry_and_arm_checks(
                &plan.registry,
                plan.cloud,
                plan.credential,
                plan.arm,
                context,
                &sender
            ),
        );
        server
    };
    let (server, mut collected) = tokio::join!(checks, collector);

    collected.sort_by_key(|result| result.check);
    let (registry, cloud) = match &server {
        Some(server) => (
            server.authority(),
            server.cloud.map_or("custom", Cloud::as_str).to_owned(),
        ),
        None => (plan.registry.clone(), plan.cloud.as_str().to_owned()),
    };
    let report = Report {
        format: REPORT_FORMAT,
        tool_version: crate::VERSION.to_owned(),
        registry,
        cloud,
        started_at_ms,
        browser: None,
        helper_version: Some(crate::VERSION.to_owned()),
        results: collected,
    };
    tracing::info!(overall = ?report.overall(), checks = report.results.len(), "run finished");
    report
}

/// Runs the registry checks and, with `arm`, the ARM requests at the same time; then finishes
/// the ARM run with the registry results. Returns the login server, when the input named one.
async fn registry_and_arm_checks(
    input: &str,
    cloud: Cloud,
    credential: Credential,
    arm: Option<ArmPlan>,
    context: &RunContext,
    sender: &UnboundedSender<CheckResult>,
) -> Option<registry_input::LoginServer> {
    let Some(arm) = arm else {
        return registry::run_checks(
            input,
            cloud,
            credential,
            &context.transport,
            &context.proxy,
            sender,
        )
        .await;
    };
    let Ok(server) = registry_input::parse(input, cloud) else {
        // The login server check fails with the reason, so the ARM checks have nothing to look up.
        for result in arm::skipped_without_server() {
            let _ = sender.send(result);
        }
        return registry::run_checks(
            input,
            cloud,
            credential,
            &context.transport,
            &context.proxy,
            sender,
        )
        .await;
    };

    // The registry results pass through here on their way out, so the ARM run can be
    // finished with them once the registry checks end.
    let (registry_sender, mut registry_receiver) = unbounded_channel::<CheckResult>();
    let registry_checks = async move {
        let registry_sender = registry_sender;
        registry::run_checks(
            input,
            cloud,
            credential,
            &context.transport,
            &context.proxy,
            &registry_sender,
        )
        .await
    };
    let forward = async {
        let mut seen = Vec::new();
        while let Some(result) = registry_receiver.recv().await {
            let _ = sender.send(result.clone());
            seen.push(result);
        }
        seen
    };
    let arm_requests = arm::run_requests(
        arm,
        server,
        cloud,
        &context.host_env,
        &context.transport,
        sender,
    );
    let (server, seen, arm_run) = tokio::join!(registry_checks, forward, arm_requests);

    if let Some(arm_run) = arm_run {
        for result in arm::finish(arm_run, &seen) {
            let _ = sender.send(result);
        }
    }
    server
}
