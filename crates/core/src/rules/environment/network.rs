//! Network facts that only native code can observe: DNS answers, the proxy in effect, the TLS
//! handshake.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::{result, EnvironmentFinding};
use crate::{CheckId, CheckResult, Code, Evidence, Status};

/// The kind of network an address belongs to. A private address for an Azure registry means a private endpoint
/// (or a hosts-file entry) is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressScope {
    Public,
    /// RFC 1918, shared address space (100.64.0.0/10) or IPv6 unique local (fc00::/7).
    Private,
    Loopback,
    LinkLocal,
    /// Unspecified, documentation, multicast or reserved ranges.
    Special,
}

impl AddressScope {
    pub fn of(address: IpAddr) -> AddressScope {
        match address {
            IpAddr::V4(v4) => {
                let [a, b, _, _] = v4.octets();
                if v4.is_loopback() {
                    AddressScope::Loopback
                } else if v4.is_private() || (a == 100 && (64..128).contains(&b)) {
                    AddressScope::Private
                } else if v4.is_link_local() {
                    AddressScope::LinkLocal
                } else if v4.is_unspecified()
                    || v4.is_multicast()
                    || v4.is_broadcast()
                    || v4.is_documentation()
                    || a >= 240
                    || a == 0
                {
                    AddressScope::Special
                } else {
                    AddressScope::Public
                }
            }
            IpAddr::V6(v6) => {
                if let Some(v4) = v6.to_ipv4_mapped() {
                    return AddressScope::of(IpAddr::V4(v4));
                }
                let first = v6.segments()[0];
                if v6.is_loopback() {
                    AddressScope::Loopback
                } else if first & 0xfe00 == 0xfc00 {
                    AddressScope::Private
                } else if first & 0xffc0 == 0xfe80 {
                    AddressScope::LinkLocal
                } else if v6.is_unspecified()
                    || v6.is_multicast()
                    || first == 0x2001 && v6.segments()[1] == 0x0db8
                {
                    AddressScope::Special
                } else {
                    AddressScope::Public
                }
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AddressScope::Public => "public",
            AddressScope::Private => "private",
            AddressScope::Loopback => "loopback",
            AddressScope::LinkLocal => "link-local",
            AddressScope::Special => "special",
        }
    }
}

/// The result of resolving the login server's host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsAnswer {
    /// The host is an IP literal, so nothing was resolved.
    Literal(IpAddr),
    Resolved(Vec<IpAddr>),
    Failed {
        detail: String,
    },
}

/// Judges the DNS lookup of `host`.
pub fn dns(host: &str, answer: &DnsAnswer, elapsed_ms: u32) -> CheckResult {
    let mut evidence = vec![Evidence::new("host", host)];
    match answer {
        DnsAnswer::Literal(address) => {
            evidence.push(Evidence::new("address", describe(*address)));
            result(
                CheckId::Dns,
                Status::Pass,
                None,
                EnvironmentFinding::DnsLiteral {
                    address: address.to_string(),
                },
                evidence,
                elapsed_ms,
            )
        }
        DnsAnswer::Resolved(addresses) if !addresses.is_empty() => {
            for address in addresses {
                evidence.push(Evidence::new("address", describe(*address)));
            }
            let private = addresses
                .iter()
                .filter(|a| AddressScope::of(**a) == AddressScope::Private)
                .count();
            result(
                CheckId::Dns,
                Status::Pass,
                None,
                EnvironmentFinding::DnsResolved {
                    host: host.to_owned(),
                    count: addresses.len(),
                    private,
                },
                evidence,
                elapsed_ms,
            )
        }
        DnsAnswer::Resolved(_) => dns_failure(host, "no addresses", evidence, elapsed_ms),
        DnsAnswer::Failed { detail } => dns_failure(host, detail, evidence, elapsed_ms),
    }
}

fn dns_failure(
    host: &str,
    detail: &str,
    mut evidence: Vec<Evidence>,
    elapsed_ms: u32,
) -> CheckResult {
    evidence.push(Evidence::new("error", detail));
    result(
        CheckId::Dns,
        Status::Fail,
        Some(Code::ConnectivityDns),
        EnvironmentFinding::DnsFailed {
            host: host.to_owned(),
            detail: detail.to_owned(),
        },
        evidence,
        elapsed_ms,
    )
}

fn describe(address: IpAddr) -> String {
    format!("{address} ({})", AddressScope::of(address).as_str())
}

/// Proxy settings as read from the environment, credentials already removed from the URLs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxySettings {
    /// The variable and the proxy URL that apply to the registry's scheme, if any.
    pub proxy: Option<(String, String)>,
    /// `NO_PROXY` as set.
    pub no_proxy: Option<String>,
    /// True when `NO_PROXY` exempts the registry host.
    pub bypassed: bool,
}

/// Reports the proxy in effect for the registry. It never fails: a proxy is a fact that
/// explains other results (a TLS issuer that is not the registry's, a browser that gets
/// another result), not an error by itself.
pub fn proxy(settings: &ProxySettings) -> CheckResult {
    let mut evidence = Vec::new();
    if let Some((var, url)) = &settings.proxy {
        evidence.push(Evidence::new(var.clone(), url.clone()));
    }
    if let Some(no_proxy) = &settings.no_proxy {
        evidence.push(Evidence::new("NO_PROXY", no_proxy.clone()));
    }
    let finding = match &settings.proxy {
        Some(_) if settings.bypassed => EnvironmentFinding::ProxyBypassed,
        Some((_, url)) => EnvironmentFinding::ProxyInUse { proxy: url.clone() },
        None => EnvironmentFinding::ProxyNone,
    };
    result(CheckId::Proxy, Status::Pass, None, finding, evidence, 0)
}

/// A certificate in the chain the server presented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsPeer {
    pub protocol: String,
    /// Subject and issuer of each certificate, leaf first.
    pub chain: Vec<(String, String)>,
    /// DNS names and addresses the leaf certificate is valid for.
    pub names: Vec<String>,
    /// Whole days until the leaf certificate expires (negative once expired).
    pub days_to_expiry: i64,
}

/// The outcome of the TLS handshake with the login server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsObservation {
    /// The registry is reached over plain HTTP.
    NotUsed,
    /// The handshake completed and the certificate was trusted.
    Established(TlsPeer),
    /// The handshake failed. `peer` contains what the server presented, if it got that far.
    Failed {
        detail: String,
        peer: Option<TlsPeer>,
    },
    /// No handshake started, because the connection itself failed (refused, timed out). The
    /// challenge check reports that failure, so this one is skipped.
    NotReached { detail: String },
}

/// Days before expiry from which a certificate is reported as a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

/// Judges the TLS handshake with `host`.
pub fn tls(host: &str, observation: &TlsObservation, elapsed_ms: u32) -> CheckResult {
    let peer_evidence = |peer: &TlsPeer| {
        let mut evidence = vec![Evidence::new("protocol", peer.protocol.clone())];
        for (index, (subject, issuer)) in peer.chain.iter().enumerate() {
            evidence.push(Evidence::new(
                format!("certificate[{index}].subject"),
                subject.clone(),
            ));
            evidence.push(Evidence::new(
                format!("certificate[{index}].issuer"),
                issuer.clone(),
            ));
        }
        evidence.push(Evidence::new("names", peer.names.join(", ")));
        evidence.push(Evidence::new(
            "days_to_expiry",
            peer.days_to_expiry.to_string(),
        ));
        evidence
    };

    match observation {
        TlsObservation::NotUsed => super::skipped(CheckId::Tls, EnvironmentFinding::TlsNotUsed),
        TlsObservation::NotReached { detail } => {
            let mut result = super::skipped(
                CheckId::Tls,
                EnvironmentFinding::TlsNotReached {
                    host: host.to_owned(),
                },
            );
            result.evidence.push(Evidence::new("error", detail.clone()));
            result.elapsed_ms = elapsed_ms;
            result
        }
        TlsObservation::Established(peer) => {
            let issuer = peer
                .chain
                .first()
                .map(|(_, issuer)| issuer.clone())
                .unwrap_or_default();
            let (status, code, finding) = if peer.days_to_expiry < EXPIRY_WARNING_DAYS {
                (
                    Status::Warning,
                    Some(Code::ConnectivitySsl),
                    EnvironmentFinding::TlsExpiresSoon {
                        host: host.to_owned(),
                        days: peer.days_to_expiry,
                    },
                )
            } else {
                (
                    Status::Pass,
                    None,
                    EnvironmentFinding::TlsEstablished {
                        host: host.to_owned(),
                        issuer,
                        days: peer.days_to_expiry,
                    },
                )
            };
            result(
                CheckId::Tls,
                status,
                code,
                finding,
                peer_evidence(peer),
                elapsed_ms,
            )
        }
        TlsObservation::Failed { detail, peer } => {
            let mut evidence = peer.as_ref().map(peer_evidence).unwrap_or_default();
            evidence.push(Evidence::new("error", detail.clone()));
            result(
                CheckId::Tls,
                Status::Fail,
                Some(Code::ConnectivitySsl),
                EnvironmentFinding::TlsFailed {
                    host: host.to_owned(),
                    detail: detail.clone(),
                },
                evidence,
                elapsed_ms,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_cases() {
        let cases = [
            ("10.1.2.3", AddressScope::Private),
            ("172.16.0.1", AddressScope::Private),
            ("192.168.1.1", AddressScope::Private),
            ("100.64.0.1", AddressScope::Private),
            ("20.38.1.1", AddressScope::Public),
            ("127.0.0.1", AddressScope::Loopback),
            ("169.254.169.254", AddressScope::LinkLocal),
            ("0.0.0.0", AddressScope::Special),
            ("::1", AddressScope::Loopback),
            ("fd00::1", AddressScope::Private),
            ("fe80::1", AddressScope::LinkLocal),
            ("2603:1030::1", AddressScope::Public),
            ("::ffff:10.0.0.1", AddressScope::Private),
        ];
        for (text, expected) in cases {
            let address: IpAddr = text.parse().expect("address");
            assert_eq!(AddressScope::of(address), expected, "address {text}");
        }
    }

    #[test]
    fn dns_marks_each_address() {
        let answer = DnsAnswer::Resolved(vec![
            "10.0.0.4".parse().unwrap(),
            "20.38.1.1".parse().unwrap(),
        ]);
        let result = dns("myreg.azurecr.io", &answer, 3);
        assert_eq!(result.status, Status::Pass);
        let addresses: Vec<&str> = result
            .evidence
            .iter()
            .filter(|e| e.label == "address")
            .map(|e| e.value.as_str())
            .collect();
        assert_eq!(addresses, ["10.0.0.4 (private)", "20.38.1.1 (public)"]);
    }

    #[test]
    fn dns_failure_is_dns_error() {
        let answer = DnsAnswer::Failed {
            detail: "no such host".to_owned(),
        };
        assert_eq!(
            dns("nope.invalid", &answer, 3).code,
            Some(Code::ConnectivityDns)
        );
        assert_eq!(
            dns("empty.invalid", &DnsAnswer::Resolved(Vec::new()), 3).code,
            Some(Code::ConnectivityDns)
        );
    }

    fn peer(days: i64) -> TlsPeer {
        TlsPeer {
            protocol: "TLSv1.3".to_owned(),
            chain: vec![(
                "CN=myreg.azurecr.io".to_owned(),
                "CN=Microsoft Azure RSA TLS Issuing CA 03".to_owned(),
            )],
            names: vec!["*.azurecr.io".to_owned()],
            days_to_expiry: days,
        }
    }

    #[test]
    fn tls_established_passes() {
        let result = tls(
            "myreg.azurecr.io",
            &TlsObservation::Established(peer(200)),
            10,
        );
        assert_eq!(result.status, Status::Pass);
        assert!(result
            .evidence
            .iter()
            .any(|e| e.label == "certificate[0].issuer"));
    }

    #[test]
    fn tls_expiring_warns() {
        let result = tls(
            "myreg.azurecr.io",
            &TlsObservation::Established(peer(3)),
            10,
        );
        assert_eq!(result.status, Status::Warning);
        assert_eq!(result.code, Some(Code::ConnectivitySsl));
    }

    #[test]
    fn tls_failure_is_ssl_error() {
        let observation = TlsObservation::Failed {
            detail: "invalid peer certificate: UnknownIssuer".to_owned(),
            peer: Some(peer(200)),
        };
        let result = tls("myreg.azurecr.io", &observation, 10);
        assert_eq!(result.code, Some(Code::ConnectivitySsl));
        assert!(result.evidence.iter().any(|e| e.label == "error"));
    }

    #[test]
    fn tls_unreachable_skipped_not_failed() {
        let observation = TlsObservation::NotReached {
            detail: "connection refused".to_owned(),
        };
        let result = tls("r.test", &observation, 3);
        assert_eq!(result.status, Status::Skipped);
        assert_eq!(result.code, None);
    }

    #[test]
    fn tls_plain_http_skipped() {
        assert_eq!(
            tls("127.0.0.1:5000", &TlsObservation::NotUsed, 0).status,
            Status::Skipped
        );
    }

    #[test]
    fn proxy_in_use_reported() {
        let settings = ProxySettings {
            proxy: Some((
                "HTTPS_PROXY".to_owned(),
                "http://proxy.test:3128".to_owned(),
            )),
            no_proxy: Some("localhost".to_owned()),
            bypassed: false,
        };
        let result = proxy(&settings);
        assert_eq!(result.status, Status::Pass);
        assert!(matches!(
            result.finding,
            crate::Finding::Environment(EnvironmentFinding::ProxyInUse { .. })
        ));
    }
}
