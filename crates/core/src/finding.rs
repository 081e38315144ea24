//! Findings: what one check saw, as data that renders in every language.
//!
//! A result stores a finding, not a sentence, so that a report can be switched between languages
//! after the run and a share link stays small. Each area owns its own finding type next to the
//! rules that produce it.

use serde::{Deserialize, Serialize};

use crate::rules::{arm::ArmFinding, environment::EnvironmentFinding, registry::RegistryFinding};
use crate::Lang;

/// Renders a value as a sentence in a language.
pub trait Localize {
    fn localize(&self, lang: Lang) -> String;
}

/// What one check saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Finding {
    /// The registry protocol: login server, reachability, challenge, tokens, clock, data path.
    Registry(RegistryFinding),
    /// The machine: Docker, Helm, Notary, DNS, TLS and proxy, seen by the helper.
    Environment(EnvironmentFinding),
    /// Azure Resource Manager: the ARM token, the registry resource, network rules, private
    /// endpoints and the customer-managed key's identity.
    Arm(ArmFinding),
}

impl Localize for Finding {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Finding::Registry(finding) => finding.localize(lang),
            Finding::Environment(finding) => finding.localize(lang),
            Finding::Arm(finding) => finding.localize(lang),
        }
    }
}

impl From<RegistryFinding> for Finding {
    fn from(finding: RegistryFinding) -> Finding {
        Finding::Registry(finding)
    }
}

impl From<EnvironmentFinding> for Finding {
    fn from(finding: EnvironmentFinding) -> Finding {
        Finding::Environment(finding)
    }
}

impl From<ArmFinding> for Finding {
    fn from(finding: ArmFinding) -> Finding {
        Finding::Arm(finding)
    }
}
