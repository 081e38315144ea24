//! Rules for what the helper observes on the machine: Docker, Helm and Notary clients, and the
//! network facts only native code can read (DNS answers, TLS handshake, proxy settings).
//!
//! The helper runs the commands and records a [`CommandLookup`] or a [`CommandRun`]; the
//! functions here turn that record into a [`CheckResult`]. They do no I/O, so the same record
//! always gets the same verdict.

mod command;
mod docker;
mod finding;
mod image;
mod network;
mod tools;
pub mod version;

pub use command::{CommandLookup, CommandOutcome, CommandRun, OverrideVar, EVIDENCE_OUTPUT_CHARS};
pub use docker::{
    docker_command, docker_daemon, docker_pull, docker_version, parse_daemon, DaemonInfo,
    DOCKER_COMMAND_VAR,
};
pub use finding::EnvironmentFinding;
pub use image::{ImageRef, ImageRefError, DEFAULT_PULL_IMAGE};
pub use network::{
    dns, proxy, tls, AddressScope, DnsAnswer, ProxySettings, TlsObservation, TlsPeer,
};
pub use tools::{
    helm_command, helm_version, notary_version, HELM_MINIMUM, NOTARY_INCOMPATIBLE_FROM,
};
pub use version::Version;

use crate::{CheckId, CheckResult, Code, Evidence, Severity, Side, Status};

/// Builds a result of the machine side.
///
/// A failure whose code the catalog rates a warning (a missing Helm, an unreadable Docker or
/// Notary version) is reported as a warning, so it neither fails the run nor stops the checks
/// after it: image pulls and pushes do not need those tools.
fn result(
    check: CheckId,
    status: Status,
    code: Option<Code>,
    finding: EnvironmentFinding,
    evidence: Vec<Evidence>,
    elapsed_ms: u32,
) -> CheckResult {
    let status = match code {
        Some(code)
            if status == Status::Fail
                && crate::catalog::entry(code).severity == Severity::Warning =>
        {
            Status::Warning
        }
        _ => status,
    };
    CheckResult {
        check,
        side: Side::Machine,
        status,
        code,
        finding: finding.into(),
        evidence,
        elapsed_ms,
    }
}

/// Returns a skipped result for `check` with the reason in `finding`.
pub fn skipped(check: CheckId, finding: EnvironmentFinding) -> CheckResult {
    result(check, Status::Skipped, None, finding, Vec::new(), 0)
}

/// Judges a run that did not exit with status 0, for a check whose failure is `code`.
fn command_failure(check: CheckId, code: Code, name: &str, run: &CommandRun) -> CheckResult {
    let finding = match &run.outcome {
        CommandOutcome::TimedOut { after_ms, .. } => EnvironmentFinding::CommandTimedOut {
            name: name.to_owned(),
            after_ms: *after_ms,
        },
        CommandOutcome::NotStarted { detail } => EnvironmentFinding::CommandNotRunnable {
            name: name.to_owned(),
            detail: detail.clone(),
        },
        CommandOutcome::Exited { code: exit, .. } => EnvironmentFinding::CommandFailed {
            name: name.to_owned(),
            exit_code: *exit,
            detail: run.first_error_line(),
        },
    };
    result(
        check,
        Status::Fail,
        Some(code),
        finding,
        run.evidence(),
        run.elapsed_ms,
    )
}
