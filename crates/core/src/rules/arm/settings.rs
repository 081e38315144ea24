//! The settings of an ARM run, and the guard on the ARM base URL: the token goes only to a
//! management endpoint of an Azure cloud, or to a test server on this machine.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::parse::registry_input::Cloud;
use crate::{Lang, Localize};

/// Settings of one ARM run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmSettings {
    /// The ARM base URL, such as `https://management.azure.com`, as returned by
    /// [`arm_base_url`]. [`crate::rules::arm::ArmRun::new`] checks it again and sends nothing
    /// when it is not accepted.
    pub base_url: String,
    /// The registry's name in Azure, when the user gave one. Without it the name is the first
    /// label of an ACR login server, or the registry is matched by its login server.
    pub registry_name: Option<String>,
}

impl ArmSettings {
    /// Returns settings for the public cloud's ARM endpoint, with no registry name override.
    pub fn new(cloud: Cloud) -> ArmSettings {
        ArmSettings {
            base_url: default_arm_base_url(cloud).to_owned(),
            registry_name: None,
        }
    }
}

/// The management hosts of the Azure clouds, the only remote hosts a token is sent to.
const MANAGEMENT_HOSTS: [(Cloud, &str); 3] = [
    (Cloud::AzureCloud, "management.azure.com"),
    (Cloud::AzureChinaCloud, "management.chinacloudapi.cn"),
    (Cloud::AzureUSGovernment, "management.usgovcloudapi.net"),
];

/// Returns the ARM base URL of a cloud, such as `https://management.azure.com`.
pub fn default_arm_base_url(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::AzureCloud => "https://management.azure.com",
        Cloud::AzureChinaCloud => "https://management.chinacloudapi.cn",
        Cloud::AzureUSGovernment => "https://management.usgovcloudapi.net",
    }
}

/// Returns the cloud whose management host a base URL names, or `None` for a loopback URL.
pub(crate) fn cloud_of_base_url(base_url: &str) -> Option<Cloud> {
    let host = base_url.split_once("://")?.1.split(['/', ':']).next()?;
    MANAGEMENT_HOSTS
        .into_iter()
        .find(|(_, known)| host.eq_ignore_ascii_case(known))
        .map(|(cloud, _)| cloud)
}

/// The reason an ARM base URL is rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmUrlError {
    Empty,
    /// Not `scheme://host`.
    NotAUrl,
    /// A scheme other than `https`, or `http` for loopback.
    Scheme {
        scheme: String,
    },
    /// `user:password@` before the host.
    UserInfo,
    /// A path, query or fragment after the host.
    PathOrQuery,
    /// A host that is neither an Azure management host nor loopback.
    HostNotAllowed {
        host: String,
    },
    /// `http` to a management host.
    PlainHttp {
        host: String,
    },
    /// A loopback URL without a port.
    PortMissing,
    /// A port that is not a number from 1 to 65535.
    InvalidPort {
        port: String,
    },
}

impl fmt::Display for ArmUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for ArmUrlError {}

impl Localize for ArmUrlError {
    fn localize(&self, lang: Lang) -> String {
        let hosts =
            "management.azure.com, management.chinacloudapi.cn, management.usgovcloudapi.net";
        match (self, lang) {
            (ArmUrlError::Empty, Lang::En) => "The ARM URL is empty.".to_owned(),
            (ArmUrlError::Empty, Lang::Ko) => "ARM URL이 비어 있습니다.".to_owned(),
            (ArmUrlError::NotAUrl, Lang::En) => {
                "The ARM URL is not a URL; write it as https://management.azure.com.".to_owned()
            }
            (ArmUrlError::NotAUrl, Lang::Ko) => {
                "ARM URL 형식이 아닙니다. https://management.azure.com 형태로 입력하세요.".to_owned()
            }
            (ArmUrlError::Scheme { scheme }, Lang::En) => format!(
                "The ARM URL uses {scheme}://; only https:// is allowed (http:// only for this machine)."
            ),
            (ArmUrlError::Scheme { scheme }, Lang::Ko) => format!(
                "ARM URL이 {scheme}://를 사용합니다. https://만 쓸 수 있습니다(http://는 이 머신 주소에만 허용)."
            ),
            (ArmUrlError::UserInfo, Lang::En) => {
                "The ARM URL contains a user name or password; remove it.".to_owned()
            }
            (ArmUrlError::UserInfo, Lang::Ko) => {
                "ARM URL에 사용자 이름이나 비밀번호가 들어 있습니다. 빼고 입력하세요.".to_owned()
            }
            (ArmUrlError::PathOrQuery, Lang::En) => {
                "The ARM URL has a path, query or fragment; give only the scheme and host.".to_owned()
            }
            (ArmUrlError::PathOrQuery, Lang::Ko) => {
                "ARM URL에 경로, 쿼리 또는 프래그먼트가 있습니다. 스킴과 호스트만 입력하세요.".to_owned()
            }
            (ArmUrlError::HostNotAllowed { host }, Lang::En) => format!(
                "The ARM URL's host {host} is not an Azure management endpoint ({hosts}) or this machine, so the ARM token is not sent to it."
            ),
            (ArmUrlError::HostNotAllowed { host }, Lang::Ko) => format!(
                "ARM URL의 호스트 {host}은(는) Azure 관리 엔드포인트({hosts})도 이 머신도 아니어서 ARM 토큰을 보내지 않습니다."
            ),
            (ArmUrlError::PlainHttp { host }, Lang::En) => {
                format!("The ARM URL must use https:// for {host}.")
            }
            (ArmUrlError::PlainHttp { host }, Lang::Ko) => {
                format!("{host}에는 https://를 사용해야 합니다.")
            }
            (ArmUrlError::PortMissing, Lang::En) => {
                "An ARM URL on this machine needs a port, such as http://127.0.0.1:8443.".to_owned()
            }
            (ArmUrlError::PortMissing, Lang::Ko) => {
                "이 머신을 가리키는 ARM URL에는 포트가 필요합니다. 예: http://127.0.0.1:8443".to_owned()
            }
            (ArmUrlError::InvalidPort { port }, Lang::En) => {
                format!("The ARM URL's port {port:?} is not a number from 1 to 65535.")
            }
            (ArmUrlError::InvalidPort { port }, Lang::Ko) => {
                format!("ARM URL의 포트 {port:?}는 1에서 65535 사이의 숫자가 아닙니다.")
            }
        }
    }
}

/// Validates an ARM base URL and returns it without a trailing slash.
///
/// Accepted: `https://` to `management.azure.com`, `management.chinacloudapi.cn` or
/// `management.usgovcloudapi.net` (any case, optional port), and `http://` or `https://` to
/// `localhost`, `127.0.0.0/8` or `[::1]` with a port. Everything else is rejected with the
/// reason, because the run sends the user's ARM token to this URL.
pub fn arm_base_url(input: &str) -> Result<String, ArmUrlError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ArmUrlError::Empty);
    }
    let trimmed = input.strip_suffix('/').unwrap_or(input);
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err(ArmUrlError::NotAUrl);
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(ArmUrlError::Scheme { scheme });
    }
    if rest.is_empty() {
        return Err(ArmUrlError::NotAUrl);
    }
    if rest.contains(['/', '?', '#', '\\']) {
        return Err(ArmUrlError::PathOrQuery);
    }
    if rest.contains('@') {
        return Err(ArmUrlError::UserInfo);
    }

    let (host, port) = split_authority(rest)?;
    let host = host.to_ascii_lowercase();
    let port = match port {
        Some(port) => Some(parse_port(port)?),
        None => None,
    };

    if MANAGEMENT_HOSTS.iter().any(|(_, known)| host == *known) {
        if scheme != "https" {
            return Err(ArmUrlError::PlainHttp { host });
        }
    } else if is_loopback(&host) {
        if port.is_none() {
            return Err(ArmUrlError::PortMissing);
        }
    } else {
        return Err(ArmUrlError::HostNotAllowed { host });
    }

    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    Ok(match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

/// Splits `host[:port]` or `[v6][:port]`.
fn split_authority(authority: &str) -> Result<(&str, Option<&str>), ArmUrlError> {
    if let Some(rest) = authority.strip_prefix('[') {
        let Some((host, after)) = rest.split_once(']') else {
            return Err(ArmUrlError::NotAUrl);
        };
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err(ArmUrlError::NotAUrl),
            },
        };
    }
    match authority.split_once(':') {
        Some((host, port)) if !host.is_empty() => Ok((host, Some(port))),
        Some(_) => Err(ArmUrlError::NotAUrl),
        None => Ok((authority, None)),
    }
}

fn parse_port(port: &str) -> Result<u16, ArmUrlError> {
    port.parse::<u16>()
        .ok()
        .filter(|port| *port != 0 && !port.to_string().is_empty())
        .filter(|_| port.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ArmUrlError::InvalidPort {
            port: port.to_owned(),
        })
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => v6.is_loopback(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_base_url_accepts() {
        let cases = [
            (
                "https://management.azure.com",
                "https://management.azure.com",
            ),
            (
                "https://management.azure.com/",
                "https://management.azure.com",
            ),
            (
                "  HTTPS://Management.Azure.com/ ",
                "https://management.azure.com",
            ),
            (
                "https://management.chinacloudapi.cn",
                "https://management.chinacloudapi.cn",
            ),
            (
                "https://management.usgovcloudapi.net",
                "https://management.usgovcloudapi.net",
            ),
            (
                "https://management.azure.com:443",
                "https://management.azure.com:443",
            ),
            ("http://127.0.0.1:8443", "http://127.0.0.1:8443"),
            ("http://127.3.2.1:9/", "http://127.3.2.1:9"),
            ("http://localhost:1234", "http://localhost:1234"),
            ("https://[::1]:8443", "https://[::1]:8443"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                arm_base_url(input).as_deref(),
                Ok(expected),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn arm_base_url_rejects() {
        let host = |host: &str| ArmUrlError::HostNotAllowed {
            host: host.to_owned(),
        };
        let cases = [
            ("", ArmUrlError::Empty),
            ("management.azure.com", ArmUrlError::NotAUrl),
            (
                "ftp://management.azure.com",
                ArmUrlError::Scheme {
                    scheme: "ftp".into(),
                },
            ),
            ("https://evil.invalid", host("evil.invalid")),
            (
                "https://management.azure.com.evil.invalid",
                host("management.azure.com.evil.invalid"),
            ),
            (
                "https://evil.invalid/management.azure.com",
                ArmUrlError::PathOrQuery,
            ),
            (
                "https://management.azure.com/subscriptions",
                ArmUrlError::PathOrQuery,
            ),
            ("https://management.azure.com?x=1", ArmUrlError::PathOrQuery),
            (
                "https://management.azure.com@evil.invalid",
                ArmUrlError::UserInfo,
            ),
            ("https://user:pw@127.0.0.1:80", ArmUrlError::UserInfo),
            (
                "http://management.azure.com",
                ArmUrlError::PlainHttp {
                    host: "management.azure.com".into(),
                },
            ),
            ("http://127.0.0.1", ArmUrlError::PortMissing),
            ("http://localhost", ArmUrlError::PortMissing),
            (
                "http://127.0.0.1:0",
                ArmUrlError::InvalidPort { port: "0".into() },
            ),
            (
                "http://127.0.0.1:99999",
                ArmUrlError::InvalidPort {
                    port: "99999".into(),
                },
            ),
            (
                "http://127.0.0.1:+80",
                ArmUrlError::InvalidPort { port: "+80".into() },
            ),
            ("http://10.0.0.1:80", host("10.0.0.1")),
            ("http://169.254.169.254:80", host("169.254.169.254")),
            ("http://[::2]:80", host("::2")),
            ("https://", ArmUrlError::NotAUrl),
            ("https://:80", ArmUrlError::NotAUrl),
        ];
        for (input, expected) in cases {
            assert_eq!(arm_base_url(input), Err(expected), "input {input:?}");
        }
    }

    #[test]
    fn default_urls_pass_the_guard() {
        for cloud in Cloud::ALL {
            let url = default_arm_base_url(cloud);
            assert_eq!(arm_base_url(url).as_deref(), Ok(url));
            assert_eq!(cloud_of_base_url(url), Some(cloud));
        }
    }

    #[test]
    fn errors_read_in_both_languages() {
        let error = ArmUrlError::HostNotAllowed {
            host: "evil.invalid".into(),
        };
        assert!(error.localize(Lang::En).contains("evil.invalid"));
        assert!(error.localize(Lang::Ko).contains("evil.invalid"));
        assert_ne!(error.localize(Lang::En), error.localize(Lang::Ko));
    }
}
