//! The local checks: the Docker client, its daemon and an optional pull, Helm and Notary.
//!
//! The three tools are checked at the same time; within Docker the chain is client found →
//! version and daemon → pull. Each result is sent as soon as it is known.

use std::time::Duration;

use acr_health_core::rules::environment::{
    self as rules, CommandLookup, EnvironmentFinding, ImageRef, DOCKER_COMMAND_VAR,
};
use acr_health_core::{CheckId, CheckResult};
use tokio::sync::mpsc::UnboundedSender;

use crate::command::{self, HostEnv};

/// The format `docker version` prints the daemon's version and platform in.
const DAEMON_FORMAT: &str = "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}";

/// Options of the local checks.
#[derive(Clone, Debug)]
pub struct EnvironmentOptions {
    /// The image to pull. `Some` only after the user agreed to a pull.
    pub pull: Option<ImageRef>,
    /// Time allowed for each quick command (`--version`, `version`).
    pub command_timeout: Duration,
    /// Time allowed for the pull.
    pub pull_timeout: Duration,
}

impl Default for EnvironmentOptions {
    fn default() -> EnvironmentOptions {
        EnvironmentOptions {
            pull: None,
            command_timeout: Duration::from_secs(10),
            pull_timeout: Duration::from_secs(120),
        }
    }
}

/// Runs every local check and sends each result to `results` as it finishes.
pub async fn run_checks(
    env: &HostEnv,
    options: &EnvironmentOptions,
    results: &UnboundedSender<CheckResult>,
) {
    tokio::join!(
        docker(env, options, results),
        helm(env, options, results),
        notary(env, options, results),
    );
}

fn send(results: &UnboundedSender<CheckResult>, result: CheckResult) {
    // A closed channel means the client went away; the remaining results have no reader.
    let _ = results.send(result);
}

async fn docker(
    env: &HostEnv,
    options: &EnvironmentOptions,
    results: &UnboundedSender<CheckResult>,
) {
    let lookup = env.lookup("docker", Some(DOCKER_COMMAND_VAR));
    send(results, rules::docker_command(&lookup));
    let Some(program) = lookup.found.clone() else {
        for check in [
            CheckId::DockerVersion,
            CheckId::DockerDaemon,
            CheckId::DockerPull,
        ] {
            send(results, skipped_no_command(check, &lookup));
        }
        return;
    };

    let timeout = options.command_timeout;
    let (version, daemon) = tokio::join!(
        command::run(&program, &["--version"], env, timeout),
        command::run(
            &program,
            &["version", "--format", DAEMON_FORMAT],
            env,
            timeout
        ),
    );
    send(results, rules::docker_version(&version));
    send(results, rules::docker_daemon(&daemon));

    let Some(daemon_info) = rules::parse_daemon(&daemon) else {
        send(
            results,
            rules::skipped(CheckId::DockerPull, EnvironmentFinding::SkippedNoDaemon),
        );
        return;
    };
    let Some(image) = &options.pull else {
        send(
            results,
            rules::skipped(CheckId::DockerPull, EnvironmentFinding::PullNeedsConsent),
        );
        return;
    };

    // The reference was validated when it was parsed and goes to docker as one argument.
    // NOTE: the helper never runs `docker login` (that would store the credential on disk), so
    // an image of a private registry pulls only if the user is already logged in to it.
    let reference = image.to_string();
    let pull = command::run(&program, &["pull", &reference], env, options.pull_timeout).await;
    let image_platform = if pull.succeeded() {
        let inspect = command::run(
            &program,
            &[
                "image",
                "inspect",
                "--format",
                "{{.Os}}/{{.Architecture}}",
                &reference,
            ],
            env,
            timeout,
        )
        .await;
        inspect
            .succeeded()
            .then(|| inspect.output().trim().to_owned())
            .filter(|platform| platform.contains('/'))
    } else {
        None
    };
    send(
        results,
        rules::docker_pull(
            image,
            &pull,
            image_platform.as_deref(),
            Some(&daemon_info.platform),
        ),
    );
}

async fn helm(env: &HostEnv, options: &EnvironmentOptions, results: &UnboundedSender<CheckResult>) {
    let lookup = env.lookup("helm", None);
    send(results, rules::helm_command(&lookup));
    let Some(program) = lookup.found.clone() else {
        send(results, skipped_no_command(CheckId::HelmVersion, &lookup));
        return;
    };
    let run = command::run(
        &program,
        &["version", "--client"],
        env,
        options.command_timeout,
    )
    .await;
    send(results, rules::helm_version(&run));
}

async fn notary(
    env: &HostEnv,
    options: &EnvironmentOptions,
    results: &UnboundedSender<CheckResult>,
) {
    let lookup = env.lookup("notary", None);
    let run = match &lookup.found {
        Some(program) => {
            Some(command::run(program, &["version"], env, options.command_timeout).await)
        }
        None => None,
    };
    send(results, rules::notary_version(&lookup, run.as_ref()));
}

fn skipped_no_command(check: CheckId, lookup: &CommandLookup) -> CheckResult {
    rules::skipped(
        check,
        EnvironmentFinding::SkippedNoCommand {
            name: lookup.name.clone(),
        },
    )
}
