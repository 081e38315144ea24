//! Reachability in the browser: a `no-cors` request to `/v2/`. Any response, even an opaque
//! one, proves that DNS, TCP and TLS worked; a failure cannot be told apart further in a
//! browser.

use super::{evidence, Failure, Outcome, RegistryFinding};
use crate::{CheckId, CheckResult, Evidence, Side, Status};

/// Judges the outcome of the browser's `no-cors` probe. An opaque response arrives as
/// [`Outcome::Answer`] with status 0.
pub fn reachability(outcome: &Outcome, elapsed_ms: u32) -> CheckResult {
    let (status, code, finding, evidence) = match outcome {
        Outcome::Answer(answer) => {
            let status = (answer.status != 0).then_some(answer.status);
            let finding = RegistryFinding::Reached {
                url: evidence::redact_url(&answer.url),
                status,
            };
            let mut evidence = vec![Evidence::new("url", evidence::redact_url(&answer.url))];
            if let Some(status) = status {
                evidence.push(Evidence::new("status", status.to_string()));
            } else {
                evidence.push(Evidence::new("status", "opaque"));
            }
            evidence.push(Evidence::new("elapsed_ms", elapsed_ms.to_string()));
            (Status::Pass, None, finding, evidence)
        }
        // A `no-cors` request cannot be blocked by CORS; if a transport reports it anyway,
        // the server still responded.
        Outcome::CorsBlocked => (
            Status::Pass,
            None,
            RegistryFinding::Reached {
                url: String::new(),
                status: None,
            },
            vec![Evidence::new("elapsed_ms", elapsed_ms.to_string())],
        ),
        failed => {
            let failure = Failure::of(failed).unwrap_or(Failure::Network {
                detail: String::new(),
            });
            let mut evidence = evidence::failure("", failed, elapsed_ms);
            evidence.retain(|item| item.label != "url");
            (
                Status::Fail,
                Some(failure.code()),
                RegistryFinding::Unreachable { failure },
                evidence,
            )
        }
    };
    CheckResult {
        check: CheckId::Reachability,
        side: Side::Browser,
        status,
        code,
        finding: finding.into(),
        evidence,
        elapsed_ms,
    }
}
