//! A whole run: what was checked, from where, when, and every result.

use serde::{Deserialize, Serialize};

use crate::{CheckResult, Status};

/// The version of the report's layout. Share links and `--output json` carry it, and a reader
/// rejects a layout it does not know instead of guessing.
pub const REPORT_FORMAT: u16 = 1;

/// One run of the checks against one registry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_FORMAT`] for reports made by this version.
    pub format: u16,
    /// The version of the tool that ran the checks.
    pub tool_version: String,
    /// The login server as checked, such as `myreg.azurecr.io` or `127.0.0.1:5000`.
    pub registry: String,
    /// The cloud the registry name was resolved in (`AzureCloud`, `AzureChinaCloud`,
    /// `AzureUSGovernment`), or `custom` for a host given in full.
    pub cloud: String,
    /// Start of the run, in milliseconds since the Unix epoch.
    pub started_at_ms: u64,
    /// Browser family and version (`Chrome 156`) for a run from the page.
    pub browser: Option<String>,
    /// The helper's version, when a helper took part.
    pub helper_version: Option<String>,
    pub results: Vec<CheckResult>,
}

impl Report {
    /// Returns the worst final status of the report: `Fail` over `Warning` over `Pass`.
    /// Skipped checks count as neither failure nor success.
    pub fn overall(&self) -> Status {
        let statuses = self.results.iter().map(|r| r.status);
        if statuses.clone().any(|s| s == Status::Fail) {
            Status::Fail
        } else if statuses.clone().any(|s| s == Status::Warning) {
            Status::Warning
        } else if statuses.clone().any(|s| !s.is_final()) {
            Status::Running
        } else {
            Status::Pass
        }
    }
}
