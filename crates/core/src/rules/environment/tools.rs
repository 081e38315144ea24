//! The Helm and Notary checks.

use super::{command_failure, result, CommandLookup, CommandRun, EnvironmentFinding, Version};
use crate::{CheckId, CheckResult, Code, Status};

/// Oldest Helm client that works with ACR's Helm repositories.
pub const HELM_MINIMUM: Version = Version::new(2, 11, 0);

/// First Notary client version the ACR error reference calls incompatible.
pub const NOTARY_INCOMPATIBLE_FROM: Version = Version::new(0, 6, 0);

/// Judges whether a Helm client was found.
pub fn helm_command(lookup: &CommandLookup) -> CheckResult {
    match &lookup.found {
        Some(path) => result(
            CheckId::HelmCommand,
            Status::Pass,
            None,
            EnvironmentFinding::CommandFound {
                name: lookup.name.clone(),
                path: path.clone(),
            },
            lookup.evidence(),
            0,
        ),
        None => result(
            CheckId::HelmCommand,
            Status::Fail,
            Some(Code::HelmCommand),
            EnvironmentFinding::CommandNotFound {
                name: lookup.name.clone(),
            },
            lookup.evidence(),
            0,
        ),
    }
}

/// Judges `helm version --client`, for Helm 2 and Helm 3 output alike.
pub fn helm_version(run: &CommandRun) -> CheckResult {
    if !run.succeeded() {
        return command_failure(CheckId::HelmVersion, Code::HelmVersion, "helm", run);
    }
    let (status, code, finding) = match super::version::helm_version(&run.output()) {
        Some(version) if version < HELM_MINIMUM => (
            Status::Fail,
            Some(Code::HelmVersion),
            EnvironmentFinding::VersionTooOld {
                name: "helm".to_owned(),
                version,
                minimum: HELM_MINIMUM,
            },
        ),
        Some(version) => (
            Status::Pass,
            None,
            EnvironmentFinding::VersionFound {
                name: "helm".to_owned(),
                version,
            },
        ),
        None => (
            Status::Fail,
            Some(Code::HelmVersion),
            EnvironmentFinding::VersionUnreadable {
                name: "helm".to_owned(),
            },
        ),
    };
    result(
        CheckId::HelmVersion,
        status,
        code,
        finding,
        run.evidence(),
        run.elapsed_ms,
    )
}

/// Judges the Notary client. Without one the check is skipped: Notary is optional. A version
/// that cannot be read is a warning carrying the raw output, because the client may still work.
/// That warning has no code, because NOTARY_VERSION_ERROR means a known incompatible version.
pub fn notary_version(lookup: &CommandLookup, run: Option<&CommandRun>) -> CheckResult {
    let (Some(_), Some(run)) = (&lookup.found, run) else {
        return super::skipped(CheckId::NotaryVersion, EnvironmentFinding::NotaryAbsent);
    };

    let mut evidence = lookup.evidence();
    evidence.extend(run.evidence());
    if !run.succeeded() {
        let mut failure =
            command_failure(CheckId::NotaryVersion, Code::NotaryVersion, "notary", run);
        failure.status = Status::Warning;
        failure.evidence = evidence;
        return failure;
    }

    let output = run.output();
    let (status, code, finding) = match super::version::notary_version_text(&output) {
        Some("") => (
            Status::Warning,
            None,
            EnvironmentFinding::NotaryVersionEmpty,
        ),
        Some(text) => match Version::parse(text) {
            Some(version) if version >= NOTARY_INCOMPATIBLE_FROM => (
                Status::Fail,
                Some(Code::NotaryVersion),
                EnvironmentFinding::NotaryIncompatible { version },
            ),
            Some(version) => (
                Status::Pass,
                None,
                EnvironmentFinding::VersionFound {
                    name: "notary".to_owned(),
                    version,
                },
            ),
            None => (
                Status::Warning,
                None,
                EnvironmentFinding::VersionUnreadable {
                    name: "notary".to_owned(),
                },
            ),
        },
        None => (
            Status::Warning,
            None,
            EnvironmentFinding::VersionUnreadable {
                name: "notary".to_owned(),
            },
        ),
    };
    result(
        CheckId::NotaryVersion,
        status,
        code,
        finding,
        evidence,
        run.elapsed_ms,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::environment::CommandOutcome;

    fn ran(stdout: &str) -> CommandRun {
        CommandRun {
            program: "/usr/bin/tool".to_owned(),
            args: vec!["version".to_owned()],
            outcome: CommandOutcome::Exited {
                code: Some(0),
                stdout: stdout.to_owned(),
                stderr: String::new(),
                truncated: false,
            },
            elapsed_ms: 5,
        }
    }

    fn found(name: &str) -> CommandLookup {
        CommandLookup {
            name: name.to_owned(),
            override_var: None,
            found: Some(format!("/usr/bin/{name}")),
        }
    }

    #[test]
    fn helm_versions_judged() {
        let cases = [
            (
                r#"Client: &version.Version{SemVer:"v2.16.12", GitCommit:"47f0b88", GitTreeState:"clean"}"#,
                Status::Pass,
            ),
            (
                r#"Client: &version.Version{SemVer:"v2.10.0", GitCommit:"9ad53aa", GitTreeState:"clean"}"#,
                Status::Warning,
            ),
            (
                r#"Client: &version.Version{SemVer:"v2.11.0", GitCommit:"2e55dbe", GitTreeState:"clean"}"#,
                Status::Pass,
            ),
            (
                r#"version.BuildInfo{Version:"v3.14.0", GitCommit:"3fc9f4b", GitTreeState:"clean", GoVersion:"go1.21.5"}"#,
                Status::Pass,
            ),
            ("nonsense", Status::Warning),
        ];
        for (output, expected) in cases {
            assert_eq!(
                helm_version(&ran(output)).status,
                expected,
                "output {output:?}"
            );
        }
    }

    #[test]
    fn helm_too_old_is_version_error() {
        let output = r#"Client: &version.Version{SemVer:"v2.9.1", GitCommit:"20adb27", GitTreeState:"clean"}"#;
        assert_eq!(helm_version(&ran(output)).code, Some(Code::HelmVersion));
    }

    #[test]
    fn helm_missing_is_command_error() {
        let lookup = CommandLookup {
            found: None,
            ..found("helm")
        };
        assert_eq!(helm_command(&lookup).code, Some(Code::HelmCommand));
    }

    #[test]
    fn helm_missing_only_warns() {
        let lookup = CommandLookup {
            found: None,
            ..found("helm")
        };
        assert_eq!(helm_command(&lookup).status, Status::Warning);
    }

    #[test]
    fn notary_absent_skipped() {
        let lookup = CommandLookup {
            found: None,
            ..found("notary")
        };
        let result = notary_version(&lookup, None);
        assert_eq!(result.status, Status::Skipped);
        assert_eq!(result.code, None);
    }

    #[test]
    fn notary_versions_judged() {
        let cases = [
            (
                "notary\n Version:    0.6.1\n Git commit: d6e1431f\n",
                Status::Warning,
            ),
            ("notary\n Version:    0.6.0\n", Status::Warning),
            ("notary\n Version:    0.5.1\n", Status::Pass),
            (
                "notary\n Version:    \n Git commit: \n Go version: go1.19.8\n",
                Status::Warning,
            ),
            ("notary\n Version:    unknown\n", Status::Warning),
            ("something else\n", Status::Warning),
        ];
        for (output, expected) in cases {
            let result = notary_version(&found("notary"), Some(&ran(output)));
            assert_eq!(result.status, expected, "output {output:?}");
        }
    }

    #[test]
    fn notary_unreadable_warns_without_code() {
        let output = "notary\n Version:    \n Git commit: \n Go version: go1.19.8\n";
        let result = notary_version(&found("notary"), Some(&ran(output)));
        assert_eq!(result.code, None);
    }

    #[test]
    fn notary_empty_version_keeps_output() {
        let output = "notary\n Version:    \n Git commit: \n Go version: go1.19.8\n";
        let result = notary_version(&found("notary"), Some(&ran(output)));
        assert!(result
            .evidence
            .iter()
            .any(|e| e.label == "output" && e.value.contains("go1.19.8")));
    }
}
