//! The Azure Resource Manager states the lab can imitate, each with the verdict the ARM checks
//! must reach for it.
//!
//! The ARM scenario is switched independently of the registry scenario, because some cases are
//! a pair (a network rule in ARM and the 403 it causes at the login server). [`ArmScenario::ALL`]
//! is the single list that `lab list`, the control API and the tests read.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// One switchable state of the registry as ARM describes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ArmScenario {
    #[default]
    Found,
    NotFound,
    Forbidden,
    OtherCloud,
    CmkPresent,
    CmkDeleted,
    CmkSystemRemoved,
    NetworkDeny,
    NetworkAllow,
    PublicAccessDisabled,
    PrivateEndpointMatch,
    PrivateEndpointMismatch,
}

/// The documentation of an ARM scenario: what it imitates and what the checks must report.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ArmScenarioInfo {
    pub name: &'static str,
    pub imitates: &'static str,
    /// The check whose verdict shows the scenario, spelled as the core's `CheckId` variant;
    /// `None` when every ARM check passes or is skipped.
    pub check: Option<&'static str>,
    /// The code the helper must report, spelled as the catalog spells it. The helper compares
    /// DNS results, so it reports everything the page reports and more.
    pub expected_code: Option<&'static str>,
    /// The code the page must report. It differs from `expected_code` only where the verdict
    /// needs the machine's DNS answer, which a browser cannot read.
    pub browser_code: Option<&'static str>,
    /// The registry scenario to run beside it, as `lab list` names it.
    pub registry_scenario: &'static str,
    /// The registry name the checks must be given, when the login server cannot identify the
    /// registry in ARM.
    pub registry_name: Option<&'static str>,
}

/// The error for an ARM scenario name that is not in the table.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown ARM scenario '{0}'; `lab list` or GET /arm-scenarios shows the valid names")]
pub struct UnknownArmScenario(pub String);

use ArmScenario as A;

const LOGIN_SERVER: Option<&str> = Some("LOGIN_SERVER_ERROR");
const CMK: Option<&str> = Some("CMK_ERROR");
const FORBIDDEN: Option<&str> = Some("CONNECTIVITY_FORBIDDEN_ERROR");

impl ArmScenario {
    /// Every ARM scenario with its documentation, in the order `lab list` prints them.
    pub const ALL: [(ArmScenario, ArmScenarioInfo); 12] = [
        (A::Found, info("found", "labreg in the second of two subscriptions: Premium, admin user on, anonymous pull as the registry scenario has it, public access with default action Allow, a data endpoint on the storage listener, no private endpoint, no customer-managed key", None, None)),
        (A::NotFound, info("not-found", "both subscriptions respond, and neither contains a registry with the lab's login server", Some("ArmRegistry"), LOGIN_SERVER)),
        (A::Forbidden, info("forbidden", "the registry list of every subscription returns 403 AuthorizationFailed", Some("ArmRegistry"), LOGIN_SERVER)),
        (A::OtherCloud, info("other-cloud", "labreg exists with login server labreg.azurecr.cn, as in Azure China; check with registry name labreg", Some("ArmRegistry"), LOGIN_SERVER).needs_registry_name("labreg")),
        (A::CmkPresent, info("cmk-present", "encryption with a customer-managed key through a user-assigned identity that exists", None, None)),
        (A::CmkDeleted, info("cmk-deleted", "encryption with a customer-managed key through a user-assigned identity whose resource returns 404 ResourceNotFound", Some("EncryptionIdentity"), CMK)),
        (A::CmkSystemRemoved, info("cmk-system-removed", "encryption with a customer-managed key through the system-assigned identity, but identity.type is None", Some("EncryptionIdentity"), CMK)),
        (A::NetworkDeny, info("network-deny", "default action Deny with the only IP rule 203.0.113.0/24; run with registry scenario firewall-v2, whose 403 names 127.0.0.1", Some("NetworkRules"), FORBIDDEN).beside("firewall-v2")),
        (A::NetworkAllow, info("network-allow", "default action Deny with IP rules 203.0.113.0/24 and 127.0.0.1", None, None)),
        (A::PublicAccessDisabled, info("public-access-disabled", "public network access Disabled and no private endpoint; run with registry scenario firewall-v2, since such a registry answers public clients with 403", Some("NetworkRules"), FORBIDDEN).beside("firewall-v2")),
        (A::PrivateEndpointMatch, info("private-endpoint-match", "a private endpoint whose custom DNS config maps the login server host to 127.0.0.1", None, None)),
        (A::PrivateEndpointMismatch, info("private-endpoint-mismatch", "a private endpoint whose custom DNS config maps the login server host to 10.20.30.40, so the helper reports the mismatch and the page lists the endpoint", Some("PrivateEndpoints"), Some("CONNECTIVITY_DNS_ERROR")).passes_in_browser()),
    ];

    /// Returns the documentation of this scenario.
    pub fn info(self) -> ArmScenarioInfo {
        Self::ALL
            .iter()
            .find(|(scenario, _)| *scenario == self)
            .map(|(_, info)| *info)
            .expect("every ARM scenario has a row in ArmScenario::ALL")
    }

    /// Returns the kebab-case name used on the command line and in the control API.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Formats the one-line documentation that `lab list` prints.
    pub fn describe(self) -> String {
        let info = self.info();
        let code = info.expected_code.unwrap_or("no error");
        format!("{:<26}{} -> {}", info.name, info.imitates, code)
    }
}

/// Builds a row whose page verdict equals the helper's, beside the registry scenario `healthy`.
const fn info(
    name: &'static str,
    imitates: &'static str,
    check: Option<&'static str>,
    expected_code: Option<&'static str>,
) -> ArmScenarioInfo {
    ArmScenarioInfo {
        name,
        imitates,
        check,
        expected_code,
        browser_code: expected_code,
        registry_scenario: "healthy",
        registry_name: None,
    }
}

impl ArmScenarioInfo {
    const fn needs_registry_name(self, name: &'static str) -> Self {
        ArmScenarioInfo {
            registry_name: Some(name),
            ..self
        }
    }

    const fn beside(self, registry_scenario: &'static str) -> Self {
        ArmScenarioInfo {
            registry_scenario,
            ..self
        }
    }

    const fn passes_in_browser(self) -> Self {
        ArmScenarioInfo {
            browser_code: None,
            ..self
        }
    }
}

impl FromStr for ArmScenario {
    type Err = UnknownArmScenario;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|(_, info)| info.name == name)
            .map(|(scenario, _)| *scenario)
            .ok_or_else(|| UnknownArmScenario(name.to_string()))
    }
}

impl fmt::Display for ArmScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn names_round_trip() {
        for (scenario, info) in ArmScenario::ALL {
            assert_eq!(info.name.parse::<ArmScenario>(), Ok(scenario));
        }
    }

    #[test]
    fn unknown_name_is_named_in_error() {
        let error = "found-twice".parse::<ArmScenario>().unwrap_err();
        assert!(error.to_string().contains("'found-twice'"), "{error}");
    }

    #[test]
    fn expected_codes_exist_in_core() {
        // The core crate spells each code once, in a serde rename on its `Code` enum.
        let core_codes = include_str!("../../../core/src/code.rs");
        for (scenario, _) in ArmScenario::ALL {
            let info = scenario.info();
            for code in [info.expected_code, info.browser_code]
                .into_iter()
                .flatten()
            {
                assert!(
                    core_codes.contains(&format!("rename = \"{code}\"")),
                    "{}: {code} is not a core code",
                    info.name
                );
            }
        }
    }

    #[test]
    fn paired_registry_scenarios_exist() {
        for (scenario, _) in ArmScenario::ALL {
            let info = scenario.info();
            assert!(
                info.registry_scenario.parse::<Scenario>().is_ok(),
                "{}: registry scenario {} is unknown",
                info.name,
                info.registry_scenario
            );
        }
    }

    #[test]
    fn code_comes_with_check() {
        for (scenario, _) in ArmScenario::ALL {
            let info = scenario.info();
            assert_eq!(
                info.check.is_some(),
                info.expected_code.is_some(),
                "{}",
                info.name
            );
        }
    }

    #[test]
    fn only_dns_verdict_differs_in_browser() {
        let differing: Vec<_> = ArmScenario::ALL
            .iter()
            .map(|(scenario, _)| scenario.info())
            .filter(|info| info.browser_code != info.expected_code)
            .map(|info| info.name)
            .collect();
        assert_eq!(differing, ["private-endpoint-mismatch"]);
    }
}
