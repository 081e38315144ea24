//! Observations of the registry checks that the ARM checks compare against, read back from their
//! results so that the page and the helper need no extra plumbing.

use std::net::IpAddr;

use crate::rules::registry::RegistryFinding;
use crate::{CheckId, CheckResult, Code, Finding, Side, Status};

/// Facts the registry checks observed, read from their results' evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observations {
    /// A 403 on the challenge, the exchange or the token request.
    pub forbidden: bool,
    /// The client address the registry named in a 403 body (`client_ip` evidence).
    pub client_ip: Option<IpAddr>,
    /// The addresses this machine resolved the login server to (the helper's DNS check);
    /// `None` in the browser, which cannot resolve names.
    pub dns_addresses: Option<Vec<IpAddr>>,
    /// The host at which the data path failed, when it did.
    pub data_path_failed_host: Option<String>,
    /// The login server responded to the challenge (`GET /v2/`) with a usable 401, so its network
    /// rules let this client in.
    pub login_server_answered: bool,
}

impl Observations {
    /// Reads the observations from the results of one side's registry and DNS checks.
    pub fn from_results(results: &[CheckResult]) -> Observations {
        let mut seen = Observations::default();
        for result in results {
            let denied_step = matches!(
                result.check,
                CheckId::Challenge | CheckId::AadExchange | CheckId::AccessToken
            );
            if denied_step && result.code == Some(Code::ConnectivityForbidden) {
                seen.forbidden = true;
            }
            if result.check == CheckId::Challenge && result.status == Status::Pass {
                seen.login_server_answered = true;
            }
            if seen.client_ip.is_none() {
                seen.client_ip = result
                    .evidence
                    .iter()
                    .filter(|evidence| evidence.label == "client_ip")
                    .find_map(|evidence| evidence.value.trim().parse().ok());
            }
            if result.check == CheckId::Dns
                && result.side == Side::Machine
                && result.status.is_final()
            {
                // The DNS check records each address as `203.0.113.7 (public)`.
                let addresses = result
                    .evidence
                    .iter()
                    .filter(|evidence| evidence.label == "address")
                    .filter_map(|evidence| evidence.value.split_whitespace().next()?.parse().ok())
                    .collect();
                seen.dns_addresses = Some(addresses);
            }
            if result.check == CheckId::DataPath && result.status == Status::Fail {
                seen.data_path_failed_host = failed_host(&result.finding);
            }
        }
        seen
    }
}

fn failed_host(finding: &Finding) -> Option<String> {
    let url = match finding {
        Finding::Registry(RegistryFinding::DataEndpointFailed { endpoint, .. }) => endpoint,
        Finding::Registry(RegistryFinding::RequestFailed { url, .. }) => url,
        _ => return None,
    };
    Some(host_of(url))
}

/// Returns the host of a URL or a bare `host[:port]`, in lower case, without the port.
pub(crate) fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    };
    host.to_ascii_lowercase()
}
