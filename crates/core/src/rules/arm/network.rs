//! The network rules check: public network access, the default action and the IP rules,
//! compared with the client address the registry named in a 403.

use std::net::IpAddr;

use crate::parse::arm::{IpRange, Registry};
use crate::{Code, Evidence, Side};

use super::observations::host_of;

use super::verdict::Verdict;
use super::{ArmFinding, EndpointDns, Observations};

/// How many IP rules a finding names.
const NAMED_RULES: usize = 3;

/// Judges the registry's network rules against what the registry checks saw.
///
/// Public access disabled fails with CONNECTIVITY_FORBIDDEN_ERROR unless this machine resolves
/// the login server to a private endpoint's address. With default action `Deny`, a known client
/// address inside a rule passes, outside every rule fails after a 403 and warns otherwise. An
/// unknown address fails after a 403 (the rules deny someone, and the registry did deny),
/// passes when the login server responded to the challenge (something lets this client in), and
/// warns without a code otherwise.
pub(crate) fn judge(
    registry: &Registry,
    seen: &Observations,
    endpoints: &[EndpointDns],
    side: Side,
) -> Verdict {
    let name = registry.name.clone();
    let data_host = failed_data_endpoint(registry, seen);
    let mut evidence = Vec::new();
    if let Some(access) = &registry.public_network_access {
        evidence.push(Evidence::new("public_network_access", access.clone()));
    }

    let public_disabled = registry
        .public_network_access
        .as_deref()
        .is_some_and(|access| access.eq_ignore_ascii_case("Disabled"));
    if public_disabled {
        let via_private_endpoint = reaches_private_endpoint(seen, endpoints);
        if !via_private_endpoint && seen.login_server_answered && !seen.forbidden {
            let finding = ArmFinding::PublicAccessDisabledYetAnswered { registry: name };
            return Verdict::warn_without_code(finding, evidence);
        }
        let finding = ArmFinding::PublicAccessDisabled {
            registry: name,
            via_private_endpoint,
            data_host,
        };
        return if via_private_endpoint {
            Verdict::pass(finding, evidence)
        } else {
            Verdict::fail(Code::ConnectivityForbidden, finding, evidence)
        };
    }

    let rules = registry.network_rule_set.clone().unwrap_or_default();
    let deny = rules
        .default_action
        .as_deref()
        .is_some_and(|action| action.eq_ignore_ascii_case("Deny"));
    if let Some(action) = &rules.default_action {
        evidence.push(Evidence::new("default_action", action.clone()));
    }
    if !deny {
        return Verdict::pass(
            ArmFinding::NetworkOpen {
                registry: name,
                forbidden_seen: seen.forbidden,
            },
            evidence,
        );
    }

    let values: Vec<String> = rules
        .ip_rules
        .iter()
        .map(|rule| rule.value.clone())
        .collect();
    for value in &values {
        evidence.push(Evidence::new("ip_rule", value.clone()));
    }
    let Some(client_ip) = seen.client_ip else {
        if seen.login_server_answered && !seen.forbidden {
            return Verdict::pass(
                ArmFinding::ClientAdmitted {
                    registry: name,
                    rules: values.iter().take(NAMED_RULES).cloned().collect(),
                    rule_count: values.len(),
                },
                evidence,
            );
        }
        let finding = ArmFinding::ClientIpUnknown {
            registry: name,
            rules: values.iter().take(NAMED_RULES).cloned().collect(),
            rule_count: values.len(),
            forbidden_seen: seen.forbidden,
            in_browser: side == Side::Browser,
            data_host,
        };
        return if seen.forbidden {
            Verdict::fail(Code::ConnectivityForbidden, finding, evidence)
        } else {
            Verdict::warn_without_code(finding, evidence)
        };
    };
    evidence.push(Evidence::new("client_ip", client_ip.to_string()));

    let allowing = values
        .iter()
        .find(|value| IpRange::parse(value).is_some_and(|range| range.contains(client_ip)));
    if let Some(rule) = allowing {
        return Verdict::pass(
            ArmFinding::ClientAllowed {
                registry: name,
                client_ip: client_ip.to_string(),
                rule: rule.clone(),
            },
            evidence,
        );
    }

    let finding = ArmFinding::ClientDenied {
        registry: name,
        client_ip: client_ip.to_string(),
        rules: nearest_rules(&values, client_ip),
        rule_count: values.len(),
        forbidden_seen: seen.forbidden,
        data_host,
    };
    if seen.forbidden {
        Verdict::fail(Code::ConnectivityForbidden, finding, evidence)
    } else {
        Verdict::warn_without_code(finding, evidence)
    }
}

/// Returns the data endpoint at which the data path failed, when it is one of this registry's
/// (compared by host, without a port). A failure at storage (`*.blob.core.windows.net`) is not
/// attributed to the registry's rules or private endpoints, because storage has its own firewall
/// and private endpoints.
pub(crate) fn failed_data_endpoint(registry: &Registry, seen: &Observations) -> Option<String> {
    let host = host_of(seen.data_path_failed_host.as_ref()?);
    registry
        .data_endpoint_host_names
        .iter()
        .find(|name| host_of(name) == host)
        .cloned()
}

/// Tells whether this machine resolved the login server to an address of a private endpoint.
pub(crate) fn reaches_private_endpoint(seen: &Observations, endpoints: &[EndpointDns]) -> bool {
    let Some(addresses) = &seen.dns_addresses else {
        return false;
    };
    endpoints.iter().any(|endpoint| {
        endpoint.addresses.iter().any(|expected| {
            expected
                .parse::<IpAddr>()
                .is_ok_and(|expected| addresses.contains(&expected))
        })
    })
}

/// Returns the rules nearest to an address: those sharing the longest leading bits, so the
/// finding names the rules the user most likely meant to cover it.
fn nearest_rules(values: &[String], client_ip: IpAddr) -> Vec<String> {
    let mut scored: Vec<(u32, &String)> = values
        .iter()
        .map(|value| {
            let shared =
                IpRange::parse(value).map_or(0, |range| shared_bits(range.network, client_ip));
            (shared, value)
        })
        .collect();
    scored.sort_by_key(|(shared, _)| std::cmp::Reverse(*shared));
    scored
        .into_iter()
        .take(NAMED_RULES)
        .map(|(_, value)| value.clone())
        .collect()
}

fn shared_bits(a: IpAddr, b: IpAddr) -> u32 {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) ^ u32::from(b)).leading_zeros(),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a) ^ u128::from(b)).leading_zeros(),
        _ => 0,
    }
}
