//! Drives the core's [`RegistryRun`]: send the request it requests, hand back what happened, and
//! pass on every result as soon as the core decides it.

use acr_health_core::rules::registry::RegistryRun;
use acr_health_core::{CheckId, CheckResult};

use crate::probe::clock::wall_clock_ms;
use crate::probe::fetch;

/// A progress event of the driver.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// A request for this check is on its way.
    Running(CheckId),
    Finished(CheckResult),
}

/// Runs the registry checks to the end, reporting through `report`. Each request gets
/// `timeout_ms`; the chain stops where the core has nothing more to ask.
pub async fn drive(mut run: RegistryRun, timeout_ms: u32, report: impl Fn(Progress)) {
    while let Some(request) = run.next_request() {
        report(Progress::Running(request.check));

        let observed = fetch::send_or_refused(&request, timeout_ms).await;

        let results = run.observe(observed.outcome, observed.elapsed_ms, wall_clock_ms());
        for result in results {
            report(Progress::Finished(result));
        }
    }

    for result in run.finish() {
        report(Progress::Finished(result));
    }
}
