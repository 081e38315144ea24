//! The Docker checks: client found, version, daemon reachable, and an optional pull.

use super::{
    command_failure, result, CommandLookup, CommandOutcome, CommandRun, EnvironmentFinding,
    ImageRef,
};
use crate::{CheckId, CheckResult, Code, Evidence, Status};

/// Environment variable naming the Docker client to use instead of `docker` on `PATH`, as
/// `az acr check-health` reads it.
pub const DOCKER_COMMAND_VAR: &str = "DOCKER_COMMAND";

/// Judges whether a Docker client was found.
pub fn docker_command(lookup: &CommandLookup) -> CheckResult {
    let evidence = lookup.evidence();
    match (&lookup.found, &lookup.override_var) {
        (Some(path), _) => result(
            CheckId::DockerCommand,
            Status::Pass,
            None,
            EnvironmentFinding::CommandFound {
                name: lookup.name.clone(),
                path: path.clone(),
            },
            evidence,
            0,
        ),
        (None, Some(var)) => result(
            CheckId::DockerCommand,
            Status::Fail,
            Some(Code::DockerCommand),
            EnvironmentFinding::OverrideNotFound {
                var: var.name.clone(),
                value: var.value.clone(),
            },
            evidence,
            0,
        ),
        (None, None) => result(
            CheckId::DockerCommand,
            Status::Fail,
            Some(Code::DockerCommand),
            EnvironmentFinding::CommandNotFound {
                name: lookup.name.clone(),
            },
            evidence,
            0,
        ),
    }
}

/// Judges `docker --version`.
pub fn docker_version(run: &CommandRun) -> CheckResult {
    if !run.succeeded() {
        return command_failure(CheckId::DockerVersion, Code::DockerVersion, "docker", run);
    }
    match super::version::docker_version(&run.output()) {
        Some(version) => result(
            CheckId::DockerVersion,
            Status::Pass,
            None,
            EnvironmentFinding::VersionFound {
                name: "docker".to_owned(),
                version,
            },
            run.evidence(),
            run.elapsed_ms,
        ),
        None => result(
            CheckId::DockerVersion,
            Status::Fail,
            Some(Code::DockerVersion),
            EnvironmentFinding::VersionUnreadable {
                name: "docker".to_owned(),
            },
            run.evidence(),
            run.elapsed_ms,
        ),
    }
}

/// The daemon's own version and platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaemonInfo {
    pub version: String,
    /// `os/architecture`, such as `linux/amd64`.
    pub platform: String,
}

/// Reads the output of `docker version --format "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}"`.
pub fn parse_daemon(run: &CommandRun) -> Option<DaemonInfo> {
    if !run.succeeded() {
        return None;
    }
    let output = run.output();
    let line = output
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())?;
    let (version, platform) = line.split_once(' ')?;
    let valid = !version.is_empty() && platform.contains('/') && !platform.contains(' ');
    valid.then(|| DaemonInfo {
        version: version.to_owned(),
        platform: platform.to_owned(),
    })
}

/// Judges whether the Docker client reached a daemon. A failure here is DOCKER_DAEMON_ERROR,
/// never DOCKER_COMMAND_ERROR: the client itself ran.
pub fn docker_daemon(run: &CommandRun) -> CheckResult {
    if let Some(info) = parse_daemon(run) {
        return result(
            CheckId::DockerDaemon,
            Status::Pass,
            None,
            EnvironmentFinding::DaemonReachable {
                version: info.version,
                platform: info.platform,
            },
            run.evidence(),
            run.elapsed_ms,
        );
    }

    let detail = run.first_error_line();
    let finding = match &run.outcome {
        CommandOutcome::Exited { .. }
            if detail.to_ascii_lowercase().contains("permission denied") =>
        {
            EnvironmentFinding::DaemonPermissionDenied { detail }
        }
        CommandOutcome::Exited { code: Some(0), .. } => EnvironmentFinding::VersionUnreadable {
            name: "docker daemon".to_owned(),
        },
        CommandOutcome::Exited { .. } => EnvironmentFinding::DaemonUnreachable { detail },
        _ => return command_failure(CheckId::DockerDaemon, Code::DockerDaemon, "docker", run),
    };
    result(
        CheckId::DockerDaemon,
        Status::Fail,
        Some(Code::DockerDaemon),
        finding,
        run.evidence(),
        run.elapsed_ms,
    )
}

/// Judges `docker pull IMAGE`. `image_platform` is what `docker image inspect` reported after
/// the pull and `host_platform` the daemon's own; when both are known and differ, the pull
/// passed but containers would run emulated or not at all, so the result is a warning.
pub fn docker_pull(
    image: &ImageRef,
    run: &CommandRun,
    image_platform: Option<&str>,
    host_platform: Option<&str>,
) -> CheckResult {
    let name = image.to_string();
    let mut evidence = run.evidence();
    evidence.insert(0, Evidence::new("image", name.clone()));

    match &run.outcome {
        CommandOutcome::Exited { code: Some(0), .. } => {}
        CommandOutcome::TimedOut { after_ms, .. } => {
            return result(
                CheckId::DockerPull,
                Status::Fail,
                Some(Code::DockerPull),
                EnvironmentFinding::PullTimedOut {
                    image: name,
                    after_ms: *after_ms,
                },
                evidence,
                run.elapsed_ms,
            )
        }
        _ => {
            return result(
                CheckId::DockerPull,
                Status::Fail,
                Some(Code::DockerPull),
                EnvironmentFinding::PullFailed {
                    image: name,
                    detail: run.first_error_line(),
                },
                evidence,
                run.elapsed_ms,
            )
        }
    }

    if let (Some(image_platform), Some(host_platform)) = (image_platform, host_platform) {
        evidence.push(Evidence::new("image_platform", image_platform));
        evidence.push(Evidence::new("host_platform", host_platform));
        if !platforms_match(image_platform, host_platform) {
            return result(
                CheckId::DockerPull,
                Status::Warning,
                Some(Code::DockerPull),
                EnvironmentFinding::PullPlatformMismatch {
                    image: name,
                    image_platform: image_platform.to_owned(),
                    host_platform: host_platform.to_owned(),
                },
                evidence,
                run.elapsed_ms,
            );
        }
    }
    result(
        CheckId::DockerPull,
        Status::Pass,
        None,
        EnvironmentFinding::Pulled { image: name },
        evidence,
        run.elapsed_ms,
    )
}

/// Compares `os/arch[/variant]` platforms on OS and architecture only.
fn platforms_match(a: &str, b: &str) -> bool {
    let key = |p: &str| {
        let mut parts = p.trim().split('/');
        (
            parts.next().unwrap_or_default().to_ascii_lowercase(),
            parts.next().unwrap_or_default().to_ascii_lowercase(),
        )
    };
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::environment::OverrideVar;

    fn exited(code: i32, stdout: &str, stderr: &str) -> CommandRun {
        CommandRun {
            program: "/usr/bin/docker".to_owned(),
            args: vec!["--version".to_owned()],
            outcome: CommandOutcome::Exited {
                code: Some(code),
                stdout: stdout.to_owned(),
                stderr: stderr.to_owned(),
                truncated: false,
            },
            elapsed_ms: 12,
        }
    }

    #[test]
    fn command_found_passes() {
        let lookup = CommandLookup {
            name: "docker".to_owned(),
            override_var: None,
            found: Some("/usr/bin/docker".to_owned()),
        };
        let result = docker_command(&lookup);
        assert_eq!(result.status, Status::Pass);
        assert_eq!(result.code, None);
    }

    #[test]
    fn command_missing_is_command_error() {
        let lookup = CommandLookup {
            name: "docker".to_owned(),
            override_var: None,
            found: None,
        };
        assert_eq!(docker_command(&lookup).code, Some(Code::DockerCommand));
    }

    #[test]
    fn command_override_missing_names_variable() {
        let lookup = CommandLookup {
            name: "docker".to_owned(),
            override_var: Some(OverrideVar {
                name: DOCKER_COMMAND_VAR.to_owned(),
                value: "/nowhere/docker".to_owned(),
            }),
            found: None,
        };
        let result = docker_command(&lookup);
        assert_eq!(result.code, Some(Code::DockerCommand));
        assert!(matches!(
            result.finding,
            crate::Finding::Environment(EnvironmentFinding::OverrideNotFound { .. })
        ));
    }

    #[test]
    fn version_parsed() {
        let result = docker_version(&exited(0, "Docker version 28.2.2, build e6534b4\n", ""));
        assert_eq!(result.status, Status::Pass);
        assert!(result
            .evidence
            .iter()
            .any(|e| e.label == "exit_status" && e.value == "0"));
    }

    #[test]
    fn version_unreadable_is_version_error() {
        let result = docker_version(&exited(0, "garbage\n", ""));
        assert_eq!(result.code, Some(Code::DockerVersion));
    }

    #[test]
    fn daemon_unreachable_is_daemon_error() {
        let stderr = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";
        let result = docker_daemon(&exited(1, " \n", stderr));
        assert_eq!(result.status, Status::Fail);
        assert_eq!(result.code, Some(Code::DockerDaemon));
        assert!(matches!(
            result.finding,
            crate::Finding::Environment(EnvironmentFinding::DaemonUnreachable { .. })
        ));
    }

    #[test]
    fn daemon_permission_denied_told_apart() {
        let stderr = "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock\n";
        let result = docker_daemon(&exited(1, "", stderr));
        assert_eq!(result.code, Some(Code::DockerDaemon));
        assert!(matches!(
            result.finding,
            crate::Finding::Environment(EnvironmentFinding::DaemonPermissionDenied { .. })
        ));
    }

    #[test]
    fn daemon_reachable_reports_platform() {
        let result = docker_daemon(&exited(0, "20.10.24+dfsg1 linux/amd64\n", ""));
        assert_eq!(result.status, Status::Pass);
        assert!(matches!(
            result.finding,
            crate::Finding::Environment(EnvironmentFinding::DaemonReachable { ref platform, .. }) if platform == "linux/amd64"
        ));
    }

    #[test]
    fn pull_platform_mismatch_warns() {
        let image = ImageRef::parse("127.0.0.1:5000/hello-world:latest").expect("valid");
        let result = docker_pull(
            &image,
            &exited(0, "", ""),
            Some("linux/arm64"),
            Some("linux/amd64"),
        );
        assert_eq!(result.status, Status::Warning);
        assert_eq!(result.code, Some(Code::DockerPull));
    }

    #[test]
    fn pull_platform_variant_ignored() {
        let image = ImageRef::parse("hello-world").expect("valid");
        let result = docker_pull(
            &image,
            &exited(0, "", ""),
            Some("linux/arm64/v8"),
            Some("linux/arm64"),
        );
        assert_eq!(result.status, Status::Pass);
    }

    #[test]
    fn pull_failure_is_pull_error() {
        let image = ImageRef::parse("hello-world").expect("valid");
        let result = docker_pull(
            &image,
            &exited(1, "", "Error response from daemon: manifest unknown\n"),
            None,
            None,
        );
        assert_eq!(result.code, Some(Code::DockerPull));
        assert!(result
            .evidence
            .iter()
            .any(|e| e.label == "image" && e.value == "hello-world"));
    }

    #[test]
    fn pull_timeout_is_pull_error() {
        let image = ImageRef::parse("hello-world").expect("valid");
        let run = CommandRun {
            outcome: CommandOutcome::TimedOut {
                after_ms: 60000,
                stdout: String::new(),
                stderr: String::new(),
            },
            ..exited(0, "", "")
        };
        let result = docker_pull(&image, &run, None, None);
        assert_eq!(result.status, Status::Fail);
        assert!(matches!(
            result.finding,
            crate::Finding::Environment(EnvironmentFinding::PullTimedOut {
                after_ms: 60000,
                ..
            })
        ));
    }
}
