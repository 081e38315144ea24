//! Failures to obtain an ARM token at all, before a run can start: the helper's `az` token
//! source.

use serde::{Deserialize, Serialize};

use crate::{CheckId, CheckResult, Code, Side, Status};

use super::ArmFinding;

/// The reason the helper could not get a token from the Azure CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSourceFailure {
    /// No `az` command (neither `AZ_COMMAND` nor on `PATH`).
    AzMissing,
    /// `az` runs but has no signed-in account.
    AzNotLoggedIn,
    /// `az` did not finish within the helper's time limit.
    AzTimedOut,
    /// `az` could not start or exited with an error.
    AzFailed,
    /// `az` succeeded but its output has no usable `accessToken`.
    AzInvalidOutput,
}

/// Returns the ARM results of a run that never got a token: the token check fails with
/// ARM_TOKEN_ERROR naming the cause, and the other ARM checks are skipped. `detail` is the
/// reason in English, such as `az`'s scrubbed error output; credential-shaped words in it are
/// redacted again here. `_started_at_ms` is the run's start, kept for symmetry with
/// [`super::ArmRun::new`].
pub fn token_source_failed(
    kind: TokenSourceFailure,
    detail: String,
    side: Side,
    _started_at_ms: u64,
) -> Vec<CheckResult> {
    let detail = crate::rules::registry::evidence::cut(
        &crate::rules::registry::evidence::redact_text(detail.trim()),
        300,
    );
    let mut results = vec![CheckResult {
        check: CheckId::ArmToken,
        side,
        status: Status::Fail,
        code: Some(Code::ArmToken),
        finding: ArmFinding::TokenSourceFailed { kind, detail }.into(),
        evidence: Vec::new(),
        elapsed_ms: 0,
    }];
    for check in [
        CheckId::ArmRegistry,
        CheckId::NetworkRules,
        CheckId::PrivateEndpoints,
        CheckId::EncryptionIdentity,
    ] {
        results.push(CheckResult {
            check,
            side,
            status: Status::Skipped,
            code: None,
            finding: ArmFinding::SkippedAfterFailure.into(),
            evidence: Vec::new(),
            elapsed_ms: 0,
        });
    }
    results
}
