//! The private endpoints check: the host names and addresses each endpoint's DNS configuration
//! expects, compared with this machine's DNS answer for the login server when the helper runs.

use std::net::IpAddr;

use crate::parse::arm::{PrivateEndpoint, Registry};
use crate::rules::registry::Failure;
use crate::{Code, Evidence};

use super::network::failed_data_endpoint;
use super::verdict::Verdict;
use super::{ArmFinding, EndpointDns, Observations};

/// The outcome of reading one private endpoint.
#[derive(Clone, Debug)]
pub(crate) enum EndpointLookup {
    Read(PrivateEndpoint),
    /// An error status or no response.
    Failed {
        status: Option<u16>,
        failure: Option<Failure>,
    },
}

/// Returns every host name and its addresses from the endpoints read.
pub(crate) fn dns_entries(lookups: &[(String, EndpointLookup)]) -> Vec<EndpointDns> {
    lookups
        .iter()
        .filter_map(|(_, lookup)| match lookup {
            EndpointLookup::Read(endpoint) => Some(&endpoint.dns_configs),
            EndpointLookup::Failed { .. } => None,
        })
        .flatten()
        .map(|config| EndpointDns {
            fqdn: config.fqdn.to_ascii_lowercase(),
            addresses: config.ip_addresses.clone(),
        })
        .collect()
}

/// Judges the private endpoints. `login_host` is the login server's host name.
///
/// NOTE: only the login server's name is compared with this machine's DNS answer, because the
/// helper's DNS check resolves that name alone. The data endpoints' entries are listed, and a
/// data path failure at one of them is named in a mismatch.
pub(crate) fn judge(
    registry: &Registry,
    lookups: &[(String, EndpointLookup)],
    seen: &Observations,
    login_host: &str,
) -> Verdict {
    let registry_name = registry.name.as_str();
    if registry.private_endpoint_connections.is_empty() {
        return Verdict::skipped(ArmFinding::NoPrivateEndpoints {
            registry: registry_name.to_owned(),
        });
    }
    let entries = dns_entries(lookups);
    let mut evidence: Vec<Evidence> = entries
        .iter()
        .map(|entry| {
            Evidence::new(
                "private_dns",
                format!("{} {}", entry.fqdn, entry.addresses.join(",")),
            )
        })
        .collect();

    if let Some((endpoint, EndpointLookup::Failed { status, failure })) = lookups
        .iter()
        .find(|(_, lookup)| matches!(lookup, EndpointLookup::Failed { .. }))
        .filter(|_| entries.is_empty())
    {
        // An error status is most often a missing role on the endpoint's resource group, which
        // does not stop pulls. No response at all is a failure of this check, as for every
        // ARM request.
        let finding = ArmFinding::PrivateEndpointUnreadable {
            endpoint: endpoint.clone(),
            status: *status,
            failure: failure.clone(),
        };
        return match failure {
            Some(_) => Verdict::fail_without_code(finding, evidence),
            None => Verdict::warn_without_code(finding, evidence),
        };
    }

    let Some(seen_addresses) = &seen.dns_addresses else {
        return Verdict::pass(
            ArmFinding::PrivateEndpointsListed { endpoints: entries },
            evidence,
        );
    };
    let login_host = login_host.to_ascii_lowercase();
    let Some(entry) = entries.iter().find(|entry| entry.fqdn == login_host) else {
        return Verdict::warn_without_code(
            ArmFinding::PrivateDnsNoEntry {
                fqdn: login_host,
                endpoints: entries,
            },
            evidence,
        );
    };

    let data_host = failed_data_endpoint(registry, seen);
    let seen: Vec<String> = seen_addresses.iter().map(IpAddr::to_string).collect();
    for address in &seen {
        evidence.push(Evidence::new("resolved", address.clone()));
    }
    let matches = entry.addresses.iter().any(|expected| {
        expected
            .parse::<IpAddr>()
            .is_ok_and(|expected| seen_addresses.contains(&expected))
    });
    if matches {
        Verdict::pass(
            ArmFinding::PrivateDnsMatches {
                fqdn: entry.fqdn.clone(),
                expected: entry.addresses.clone(),
                seen,
            },
            evidence,
        )
    } else {
        Verdict::fail(
            Code::ConnectivityDns,
            ArmFinding::PrivateDnsMismatch {
                fqdn: entry.fqdn.clone(),
                expected: entry.addresses.clone(),
                seen,
                data_host,
            },
            evidence,
        )
    }
}
