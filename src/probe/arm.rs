//! Drives the core's [`ArmRun`] in two parts: its requests to Azure Resource Manager, which run
//! while the registry chain runs, and [`finish`], which needs what the registry checks saw
//! (a 403 and the client IP in it, a failed data path) and so waits for the chain to end.

use acr_health_core::rules::arm::{ArmRun, Observations};
use acr_health_core::CheckResult;

use crate::probe::clock::wall_clock_ms;
use crate::probe::fetch;
use crate::probe::registry::Progress;

/// Sends the ARM requests the core returns, one after the other, and reports each result as
/// soon as the core decides it. Each request gets `timeout_ms`. The requests go in `cors` mode
/// with the token in `Authorization`, so the browser sends a CORS preflight first.
// NOTE: the tests run against the lab's imitation of ARM, which answers preflights from any
// origin; no test reaches the real ARM, whose CORS answers are taken from its documentation.
pub async fn drive_requests(run: &mut ArmRun, timeout_ms: u32, report: &impl Fn(Progress)) {
    while let Some(request) = run.next_request() {
        report(Progress::Running(request.check));
        let observed = fetch::send_or_refused(&request, timeout_ms).await;
        for result in run.observe(observed.outcome, observed.elapsed_ms, wall_clock_ms()) {
            report(Progress::Finished(result));
        }
    }
}

/// Decides the ARM checks that compare Azure's settings with what this side's registry checks
/// saw (`seen`: every result this side finished), and reports them.
pub fn finish(run: &mut ArmRun, seen: &[CheckResult], report: &impl Fn(Progress)) {
    let observations = Observations::from_results(seen);
    for result in run.finish(&observations) {
        report(Progress::Finished(result));
    }
}
