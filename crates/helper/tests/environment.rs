//! The local checks against real programs: the Docker clients installed here (with no daemon),
//! Debian's `notary`, and small shell scripts standing in for `helm`.
//!
//! No `helm` can be installed on this machine, so each fake prints a `helm version --client`
//! output recorded from a real Helm release (2.7.2, 2.9.1, 2.14.3, 3.14.0), and only when it is
//! called with exactly those arguments.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use acr_health_core::rules::environment::{EnvironmentFinding, ImageRef};
use acr_health_core::{CheckId, CheckResult, Code, Finding, Status};
use acr_health_helper::command::{self, HostEnv, MAX_OUTPUT_BYTES};
use acr_health_helper::environment::{run_checks, EnvironmentOptions};

/// A socket path where no daemon listens, so the real clients fail to connect.
const NO_DAEMON: &str = "unix:///nonexistent/acr-health/docker.sock";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("acr-health-env-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

#[cfg(unix)]
fn write_script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

fn env_with_path(path: &str) -> HostEnv {
    HostEnv {
        path: Some(OsString::from(path)),
        overrides: Vec::new(),
        extra: vec![("DOCKER_HOST".to_owned(), NO_DAEMON.to_owned())],
    }
}

async fn collect(env: &HostEnv, options: &EnvironmentOptions) -> Vec<CheckResult> {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    run_checks(env, options, &sender).await;
    drop(sender);
    let mut results = Vec::new();
    while let Some(result) = receiver.recv().await {
        results.push(result);
    }
    results
}

fn find(results: &[CheckResult], check: CheckId) -> &CheckResult {
    results
        .iter()
        .find(|r| r.check == check)
        .unwrap_or_else(|| panic!("no result for {check:?} in {results:#?}"))
}

fn environment_finding(result: &CheckResult) -> &EnvironmentFinding {
    match &result.finding {
        Finding::Environment(finding) => finding,
        other => panic!("expected an environment finding, got {other:?}"),
    }
}

fn evidence<'a>(result: &'a CheckResult, label: &str) -> Option<&'a str> {
    result
        .evidence
        .iter()
        .find(|e| e.label == label)
        .map(|e| e.value.as_str())
}

#[tokio::test]
async fn docker_without_daemon_is_daemon_error() {
    let results = collect(
        &env_with_path("/usr/local/bin:/usr/bin:/bin"),
        &EnvironmentOptions::default(),
    )
    .await;

    let command = find(&results, CheckId::DockerCommand);
    assert_eq!(command.status, Status::Pass);
    assert_eq!(evidence(command, "path"), Some("/usr/local/bin/docker"));

    let version = find(&results, CheckId::DockerVersion);
    assert_eq!(version.status, Status::Pass);
    assert!(matches!(
        environment_finding(version),
        EnvironmentFinding::VersionFound { version, .. } if version.major == 28
    ));

    let daemon = find(&results, CheckId::DockerDaemon);
    assert_eq!(daemon.status, Status::Fail);
    assert_eq!(daemon.code, Some(Code::DockerDaemon));
    assert!(matches!(
        environment_finding(daemon),
        EnvironmentFinding::DaemonUnreachable { .. }
    ));
    assert_eq!(evidence(daemon, "exit_status"), Some("1"));
    assert!(evidence(daemon, "output")
        .is_some_and(|o| o.contains("Cannot connect to the Docker daemon")));

    let pull = find(&results, CheckId::DockerPull);
    assert_eq!(pull.status, Status::Skipped);
    assert_eq!(
        environment_finding(pull),
        &EnvironmentFinding::SkippedNoDaemon
    );
}

#[tokio::test]
async fn docker_command_var_picks_debian_client() {
    let mut env = env_with_path("/usr/local/bin:/usr/bin:/bin");
    env.overrides = vec![("DOCKER_COMMAND".to_owned(), "/usr/bin/docker".to_owned())];
    let results = collect(&env, &EnvironmentOptions::default()).await;

    let command = find(&results, CheckId::DockerCommand);
    assert_eq!(evidence(command, "path"), Some("/usr/bin/docker"));
    assert_eq!(evidence(command, "DOCKER_COMMAND"), Some("/usr/bin/docker"));
    let version = find(&results, CheckId::DockerVersion);
    assert!(matches!(
        environment_finding(version),
        EnvironmentFinding::VersionFound { version, .. } if version.major == 20 && version.minor == 10
    ));
    assert_eq!(
        find(&results, CheckId::DockerDaemon).code,
        Some(Code::DockerDaemon)
    );
}

#[tokio::test]
async fn docker_command_var_missing_program() {
    let mut env = env_with_path("/usr/local/bin:/usr/bin:/bin");
    env.overrides = vec![(
        "DOCKER_COMMAND".to_owned(),
        "/nonexistent/docker".to_owned(),
    )];
    let results = collect(&env, &EnvironmentOptions::default()).await;

    let command = find(&results, CheckId::DockerCommand);
    assert_eq!(command.code, Some(Code::DockerCommand));
    assert!(matches!(
        environment_finding(command),
        EnvironmentFinding::OverrideNotFound { .. }
    ));
    assert_eq!(
        find(&results, CheckId::DockerDaemon).status,
        Status::Skipped
    );
}

#[tokio::test]
async fn docker_missing_is_command_error_not_daemon() {
    let empty = temp_dir("no-docker");
    let results = collect(
        &env_with_path(empty.to_str().unwrap()),
        &EnvironmentOptions::default(),
    )
    .await;

    assert_eq!(
        find(&results, CheckId::DockerCommand).code,
        Some(Code::DockerCommand)
    );
    for check in [
        CheckId::DockerVersion,
        CheckId::DockerDaemon,
        CheckId::DockerPull,
    ] {
        let result = find(&results, check);
        assert_eq!(result.status, Status::Skipped, "{check:?}");
        assert_eq!(result.code, None, "{check:?}");
    }
}

#[tokio::test]
async fn notary_debian_empty_version_warns() {
    let results = collect(
        &env_with_path("/usr/bin:/bin"),
        &EnvironmentOptions::default(),
    )
    .await;

    let notary = find(&results, CheckId::NotaryVersion);
    assert_eq!(notary.status, Status::Warning);
    assert_eq!(
        environment_finding(notary),
        &EnvironmentFinding::NotaryVersionEmpty
    );
    assert!(evidence(notary, "output").is_some_and(|o| o.contains("Go version")));
    assert_eq!(evidence(notary, "path"), Some("/usr/bin/notary"));
}

#[tokio::test]
async fn notary_absent_skipped() {
    let empty = temp_dir("no-notary");
    let results = collect(
        &env_with_path(empty.to_str().unwrap()),
        &EnvironmentOptions::default(),
    )
    .await;
    let notary = find(&results, CheckId::NotaryVersion);
    assert_eq!(notary.status, Status::Skipped);
    assert_eq!(
        environment_finding(notary),
        &EnvironmentFinding::NotaryAbsent
    );
}

/// Writes a fake `helm` that prints `output` for `helm version --client` and fails otherwise.
#[cfg(unix)]
fn fake_helm(name: &str, output: &str) -> PathBuf {
    let dir = temp_dir(name);
    let body = format!(
        "if [ \"$1 $2\" != \"version --client\" ]; then echo \"Error: unexpected arguments: $*\" >&2; exit 2; fi\ncat <<'OUT'\n{output}\nOUT"
    );
    write_script(&dir, "helm", &body);
    dir
}

#[cfg(unix)]
#[tokio::test]
async fn helm_versions_from_recorded_outputs() {
    let cases = [
        (
            "helm-2-14-3",
            r#"Client: &version.Version{SemVer:"v2.14.3", GitCommit:"0e7f3b6637f7af8fcfddb3d2941fcc7cbebb0085", GitTreeState:"clean"}"#,
            Status::Pass,
        ),
        (
            "helm-2-9-1",
            r#"Client: &version.Version{SemVer:"v2.9.1", GitCommit:"20adb27c7c5868466912eebdf6664e7390ebe710", GitTreeState:"clean"}"#,
            Status::Warning,
        ),
        (
            "helm-2-7-2",
            "Client: &version.Version{SemVer:\"v2.7.2\", GitCommit:\"8478fb4fc723885b155c924d1c8c410b7a9444e6\", GitTreeState:\"clean\"}\nError: cannot connect to Tiller",
            Status::Warning,
        ),
        (
            "helm-3-14-0",
            r#"version.BuildInfo{Version:"v3.14.0", GitCommit:"3fc9f4b2638e76f26739cd77c7017139be81d0ea", GitTreeState:"clean", GoVersion:"go1.21.5"}"#,
            Status::Pass,
        ),
    ];
    for (name, output, expected) in cases {
        let dir = fake_helm(name, output);
        let results = collect(
            &env_with_path(dir.to_str().unwrap()),
            &EnvironmentOptions::default(),
        )
        .await;
        assert_eq!(
            find(&results, CheckId::HelmCommand).status,
            Status::Pass,
            "{name}"
        );
        let version = find(&results, CheckId::HelmVersion);
        assert_eq!(version.status, expected, "{name}");
        if expected == Status::Warning {
            assert_eq!(version.code, Some(Code::HelmVersion), "{name}");
        }
        assert_eq!(evidence(version, "exit_status"), Some("0"), "{name}");
        assert!(evidence(version, "elapsed_ms").is_some(), "{name}");
    }
}

#[tokio::test]
async fn helm_missing_is_command_error() {
    let empty = temp_dir("no-helm");
    let results = collect(
        &env_with_path(empty.to_str().unwrap()),
        &EnvironmentOptions::default(),
    )
    .await;
    assert_eq!(
        find(&results, CheckId::HelmCommand).code,
        Some(Code::HelmCommand)
    );
    assert_eq!(find(&results, CheckId::HelmVersion).status, Status::Skipped);
}

#[cfg(unix)]
#[tokio::test]
async fn helm_hanging_is_killed() {
    let dir = temp_dir("helm-hang");
    write_script(&dir, "helm", "exec sleep 30");
    let options = EnvironmentOptions {
        command_timeout: Duration::from_millis(300),
        ..EnvironmentOptions::default()
    };
    let started = std::time::Instant::now();
    let results = collect(&env_with_path(dir.to_str().unwrap()), &options).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );

    let version = find(&results, CheckId::HelmVersion);
    assert_eq!(version.code, Some(Code::HelmVersion));
    assert!(matches!(
        environment_finding(version),
        EnvironmentFinding::CommandTimedOut { after_ms: 300, .. }
    ));
}

#[cfg(unix)]
#[tokio::test]
async fn command_output_bounded() {
    let dir = temp_dir("flood");
    let script = write_script(&dir, "flood", "head -c 1000000 /dev/zero | tr '\\0' 'x'");
    let run = command::run(
        script.to_str().unwrap(),
        &[],
        &HostEnv::default(),
        Duration::from_secs(10),
    )
    .await;
    match run.outcome {
        acr_health_core::rules::environment::CommandOutcome::Exited {
            code,
            stdout,
            truncated,
            ..
        } => {
            assert_eq!(code, Some(0));
            assert_eq!(stdout.len(), MAX_OUTPUT_BYTES);
            assert!(truncated);
        }
        other => panic!("expected an exit, got {other:?}"),
    }
}

#[tokio::test]
async fn command_missing_not_started() {
    let run = command::run(
        "/nonexistent/program",
        &["--version"],
        &HostEnv::default(),
        Duration::from_secs(1),
    )
    .await;
    assert!(matches!(
        run.outcome,
        acr_health_core::rules::environment::CommandOutcome::NotStarted { .. }
    ));
}

#[cfg(unix)]
#[tokio::test]
async fn pull_needs_consent() {
    // A fake docker whose daemon answers, so only the missing consent stops the pull.
    let dir = temp_dir("docker-consent");
    write_script(
        &dir,
        "docker",
        "case \"$1\" in --version) echo 'Docker version 28.2.2, build e6534b4';; version) echo '28.2.2 linux/amd64';; *) echo \"unexpected: $*\" >&2; exit 3;; esac",
    );
    let results = collect(
        &env_with_path(dir.to_str().unwrap()),
        &EnvironmentOptions::default(),
    )
    .await;
    assert_eq!(find(&results, CheckId::DockerDaemon).status, Status::Pass);
    let pull = find(&results, CheckId::DockerPull);
    assert_eq!(pull.status, Status::Skipped);
    assert_eq!(
        environment_finding(pull),
        &EnvironmentFinding::PullNeedsConsent
    );
}

#[cfg(unix)]
#[tokio::test]
async fn pull_passes_reference_as_one_argument() {
    // A fake docker that records its arguments, one per line, to prove no shell split them.
    let dir = temp_dir("docker-args");
    let log = dir.join("args.log");
    write_script(
        &dir,
        "docker",
        &format!(
            "case \"$1\" in --version) echo 'Docker version 28.2.2, build e6534b4';; version) echo '28.2.2 linux/amd64';; image) echo 'linux/arm64';; pull) printf '%s\\n' \"$@\" > {};; esac",
            log.display()
        ),
    );
    let options = EnvironmentOptions {
        pull: Some(ImageRef::parse("127.0.0.1:5000/hello-world:latest").expect("valid")),
        ..EnvironmentOptions::default()
    };
    let results = collect(&env_with_path(dir.to_str().unwrap()), &options).await;

    let recorded = std::fs::read_to_string(&log).expect("the fake docker ran pull");
    assert_eq!(recorded, "pull\n127.0.0.1:5000/hello-world:latest\n");
    let pull = find(&results, CheckId::DockerPull);
    assert_eq!(pull.status, Status::Warning);
    assert!(matches!(
        environment_finding(pull),
        EnvironmentFinding::PullPlatformMismatch { .. }
    ));
}
