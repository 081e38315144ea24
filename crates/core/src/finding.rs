//! Findings: what one check saw, as data that renders in every language.
//!
//! A result stores a finding, not a sentence, so that a report can be switched between languages
//! after the run and a share link stays small. Each area owns its own finding type next to the
//! rules that produce it.

use serde::{de, ser, Deserialize, Deserializer, Serialize, Serializer};

use crate::nodes::{self, Invalid, Node};
use crate::rules::{arm::ArmFinding, environment::EnvironmentFinding, registry::RegistryFinding};
use crate::Lang;

/// Renders a value as a sentence in a language.
pub trait Localize {
    fn localize(&self, lang: Lang) -> String;
}

/// What one check saw.
///
/// It reads from any self-describing format (JSON, JavaScript values) by collecting the input's
/// tree first and reading the finding from that tree (see [`crate::nodes`]). It writes to any
/// format by writing its tree first and replaying it. So the finding types' derived serde code
/// is compiled once, not once for each format.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The registry protocol: login server, reachability, challenge, tokens, clock, data path.
    Registry(RegistryFinding),
    /// The machine: Docker, Helm, Notary, DNS, TLS and proxy, seen by the helper.
    Environment(EnvironmentFinding),
    /// Azure Resource Manager: the ARM token, the registry resource, network rules, private
    /// endpoints and the customer-managed key's identity.
    Arm(ArmFinding),
}

/// The derived writing of [`Finding`], which only [`crate::nodes::write`] runs.
#[derive(Serialize)]
#[serde(rename = "Finding")]
enum FindingRef<'a> {
    Registry(&'a RegistryFinding),
    Environment(&'a EnvironmentFinding),
    Arm(&'a ArmFinding),
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let data = match self {
            Finding::Registry(finding) => FindingRef::Registry(finding),
            Finding::Environment(finding) => FindingRef::Environment(finding),
            Finding::Arm(finding) => FindingRef::Arm(finding),
        };
        // Findings contain only texts, numbers, flags, options, lists and enums, which the
        // writer takes; its error would be a map with keys that are not texts.
        let nodes = nodes::write(&data)
            .map_err(|_| ser::Error::custom("a finding with a map key that is not a text"))?;
        nodes::replay(&nodes, serializer)
    }
}

/// The derived reading of [`Finding`], which only [`Finding::from_nodes`] runs.
#[derive(Deserialize)]
#[serde(rename = "Finding")]
enum FindingData {
    Registry(RegistryFinding),
    Environment(EnvironmentFinding),
    Arm(ArmFinding),
}

impl Finding {
    /// Reads a finding from the nodes of its JSON tree.
    pub(crate) fn from_nodes(nodes: Vec<Node>) -> Result<Finding, Invalid> {
        Ok(match nodes::read(nodes)? {
            FindingData::Registry(finding) => Finding::Registry(finding),
            FindingData::Environment(finding) => Finding::Environment(finding),
            FindingData::Arm(finding) => Finding::Arm(finding),
        })
    }
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Finding, D::Error> {
        let nodes = nodes::collect(deserializer)?;
        Finding::from_nodes(nodes).map_err(|_| {
            de::Error::custom("invalid finding: this version of acr-health does not read it")
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_round_trips_through_json() {
        for finding in crate::texts::tests::every_finding() {
            let text = serde_json::to_string(&finding).unwrap();
            let read: Finding = serde_json::from_str(&text).unwrap();
            assert_eq!(read, finding, "{text}");
        }
    }

    #[test]
    fn every_finding_writes_the_derived_json() {
        for finding in crate::texts::tests::every_finding() {
            let derived = match &finding {
                Finding::Registry(finding) => FindingRef::Registry(finding),
                Finding::Environment(finding) => FindingRef::Environment(finding),
                Finding::Arm(finding) => FindingRef::Arm(finding),
            };

            let pretty = serde_json::to_string_pretty(&finding).unwrap();
            assert_eq!(pretty, serde_json::to_string_pretty(&derived).unwrap());
            let compact = serde_json::to_string(&finding).unwrap();
            assert_eq!(compact, serde_json::to_string(&derived).unwrap());
            let value = serde_json::to_value(&finding).unwrap();
            assert_eq!(value, serde_json::to_value(&derived).unwrap());
        }
    }

    #[test]
    fn every_finding_reads_from_a_json_value() {
        for finding in crate::texts::tests::every_finding() {
            let value = serde_json::to_value(&finding).unwrap();
            let read: Finding = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(read, finding, "{value}");
        }
    }

    #[test]
    fn unknown_finding_is_an_error() {
        let cases = [
            r#"{"Registry":"no_such_variant"}"#,
            r#"{"Registry":{"reached":{"url":3}}}"#,
            r#"{"Nowhere":"skipped_after_failure"}"#,
            r#""Registry""#,
        ];
        for text in cases {
            let error = serde_json::from_str::<Finding>(text).unwrap_err();
            assert!(
                error.to_string().contains("invalid finding"),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn deeply_nested_finding_is_an_error() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(serde_json::from_str::<Finding>(&text).is_err());
    }
}
