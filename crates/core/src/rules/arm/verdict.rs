//! The verdict of one ARM check, before the run turns it into a [`crate::CheckResult`].

use crate::{Code, Evidence, Status};

use super::ArmFinding;

/// The verdict of one check, before it becomes a [`crate::CheckResult`].
#[derive(Clone, Debug)]
pub(crate) struct Verdict {
    pub status: Status,
    pub code: Option<Code>,
    pub finding: ArmFinding,
    pub evidence: Vec<Evidence>,
}

impl Verdict {
    pub(crate) fn pass(finding: ArmFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Pass,
            code: None,
            finding,
            evidence,
        }
    }

    pub(crate) fn warn(code: Code, finding: ArmFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Warning,
            code: Some(code),
            finding,
            evidence,
        }
    }

    pub(crate) fn warn_without_code(finding: ArmFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Warning,
            code: None,
            finding,
            evidence,
        }
    }

    pub(crate) fn fail(code: Code, finding: ArmFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Fail,
            code: Some(code),
            finding,
            evidence,
        }
    }

    pub(crate) fn fail_without_code(finding: ArmFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Fail,
            code: None,
            finding,
            evidence,
        }
    }

    pub(crate) fn skipped(finding: ArmFinding) -> Verdict {
        Verdict {
            status: Status::Skipped,
            code: None,
            finding,
            evidence: Vec::new(),
        }
    }
}
