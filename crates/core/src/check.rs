//! The checks acr-health runs, and the result each one produces.

use serde::{Deserialize, Serialize};

use crate::{Code, Finding};

/// One check of the catalog. The position of a variant is its number in share links, so new
/// checks are appended at the end. Reports list checks in [`CheckId::REPORT_ORDER`], which `Ord`
/// follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// The registry input turned into a login server host.
    LoginServer,
    /// A and AAAA records of the login server (helper only).
    Dns,
    /// The proxy settings in effect for the registry (helper only).
    Proxy,
    /// Any HTTP answer from the login server, through a `no-cors` request in the browser.
    Reachability,
    /// The TLS handshake: chain, issuer, names, days to expiry (helper only).
    Tls,
    /// `GET /v2/` and its `WWW-Authenticate` challenge.
    Challenge,
    /// Whether the page may read the registry's answers.
    Cors,
    /// `POST /oauth2/exchange`: an AAD access token for an ACR refresh token.
    AadExchange,
    /// The access token for a repository scope, and the actions it grants.
    AccessToken,
    /// The server's clock against the local one.
    Clock,
    /// A manifest, then a blob through the redirect to the data endpoint or storage.
    DataPath,
    DockerCommand,
    DockerDaemon,
    DockerVersion,
    DockerPull,
    HelmCommand,
    HelmVersion,
    NotaryVersion,
    /// The customer-managed-key identity of the registry, through Azure Resource Manager.
    EncryptionIdentity,
    /// The ARM access token: its claims, then whether Azure Resource Manager accepts it.
    ArmToken,
    /// The registry resource, found by name across the token's subscriptions.
    ArmRegistry,
    /// Public network access, the default action and the IP rules of the registry.
    NetworkRules,
    /// The registry's private endpoints and the addresses their DNS names must resolve to.
    PrivateEndpoints,
}

impl CheckId {
    /// Every check, in declaration order. New checks are appended, because the position of a
    /// variant is its number in share links.
    pub const ALL: [CheckId; 23] = [
        CheckId::LoginServer,
        CheckId::Dns,
        CheckId::Proxy,
        CheckId::Reachability,
        CheckId::Tls,
        CheckId::Challenge,
        CheckId::Cors,
        CheckId::AadExchange,
        CheckId::AccessToken,
        CheckId::Clock,
        CheckId::DataPath,
        CheckId::DockerCommand,
        CheckId::DockerDaemon,
        CheckId::DockerVersion,
        CheckId::DockerPull,
        CheckId::HelmCommand,
        CheckId::HelmVersion,
        CheckId::NotaryVersion,
        CheckId::EncryptionIdentity,
        CheckId::ArmToken,
        CheckId::ArmRegistry,
        CheckId::NetworkRules,
        CheckId::PrivateEndpoints,
    ];

    /// Every check in the order a report lists them: the login server, the network path, the
    /// registry protocol, the machine's tools, then the Azure Resource Manager checks, from the
    /// token to the encryption identity.
    pub const REPORT_ORDER: [CheckId; 23] = [
        CheckId::LoginServer,
        CheckId::Dns,
        CheckId::Proxy,
        CheckId::Reachability,
        CheckId::Tls,
        CheckId::Challenge,
        CheckId::Cors,
        CheckId::AadExchange,
        CheckId::AccessToken,
        CheckId::Clock,
        CheckId::DataPath,
        CheckId::DockerCommand,
        CheckId::DockerDaemon,
        CheckId::DockerVersion,
        CheckId::DockerPull,
        CheckId::HelmCommand,
        CheckId::HelmVersion,
        CheckId::NotaryVersion,
        CheckId::ArmToken,
        CheckId::ArmRegistry,
        CheckId::NetworkRules,
        CheckId::PrivateEndpoints,
        CheckId::EncryptionIdentity,
    ];

    /// Returns the position of this check in [`CheckId::REPORT_ORDER`].
    fn report_rank(self) -> usize {
        CheckId::REPORT_ORDER
            .iter()
            .position(|check| *check == self)
            .unwrap_or(usize::MAX)
    }

    /// Returns the stable identifier used in JSON and in `--output json`, such as `aad_exchange`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::LoginServer => "login_server",
            CheckId::Dns => "dns",
            CheckId::Proxy => "proxy",
            CheckId::Reachability => "reachability",
            CheckId::Tls => "tls",
            CheckId::Challenge => "challenge",
            CheckId::Cors => "cors",
            CheckId::AadExchange => "aad_exchange",
            CheckId::AccessToken => "access_token",
            CheckId::Clock => "clock",
            CheckId::DataPath => "data_path",
            CheckId::DockerCommand => "docker_command",
            CheckId::DockerDaemon => "docker_daemon",
            CheckId::DockerVersion => "docker_version",
            CheckId::DockerPull => "docker_pull",
            CheckId::HelmCommand => "helm_command",
            CheckId::HelmVersion => "helm_version",
            CheckId::NotaryVersion => "notary_version",
            CheckId::EncryptionIdentity => "encryption_identity",
            CheckId::ArmToken => "arm_token",
            CheckId::ArmRegistry => "arm_registry",
            CheckId::NetworkRules => "network_rules",
            CheckId::PrivateEndpoints => "private_endpoints",
        }
    }

    /// Returns the check's name as a user reads it in a report.
    pub fn title(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::{En, Ko};
        match (self, lang) {
            (CheckId::LoginServer, En) => "Login server",
            (CheckId::LoginServer, Ko) => "로그인 서버",
            (CheckId::Dns, En) => "DNS lookup",
            (CheckId::Dns, Ko) => "DNS 조회",
            (CheckId::Proxy, En) => "Proxy settings",
            (CheckId::Proxy, Ko) => "프록시 설정",
            (CheckId::Reachability, En) => "Reachability",
            (CheckId::Reachability, Ko) => "네트워크 도달 여부",
            (CheckId::Tls, En) => "TLS handshake",
            (CheckId::Tls, Ko) => "TLS 핸드셰이크",
            (CheckId::Challenge, En) => "Challenge (GET /v2/)",
            (CheckId::Challenge, Ko) => "인증 챌린지 (GET /v2/)",
            (CheckId::Cors, En) => "Readable from this page (CORS)",
            (CheckId::Cors, Ko) => "이 페이지에서 응답 읽기 (CORS)",
            (CheckId::AadExchange, En) => "Azure AD token exchange",
            (CheckId::AadExchange, Ko) => "Azure AD 토큰 교환",
            (CheckId::AccessToken, En) => "Access token",
            (CheckId::AccessToken, Ko) => "액세스 토큰",
            (CheckId::Clock, En) => "Clock",
            (CheckId::Clock, Ko) => "시계 오차",
            (CheckId::DataPath, En) => "Data path (manifest and blob)",
            (CheckId::DataPath, Ko) => "데이터 경로 (매니페스트와 블롭)",
            (CheckId::DockerCommand, En) => "Docker command",
            (CheckId::DockerCommand, Ko) => "Docker 명령",
            (CheckId::DockerDaemon, En) => "Docker daemon",
            (CheckId::DockerDaemon, Ko) => "Docker 데몬",
            (CheckId::DockerVersion, En) => "Docker version",
            (CheckId::DockerVersion, Ko) => "Docker 버전",
            (CheckId::DockerPull, En) => "Docker pull",
            (CheckId::DockerPull, Ko) => "Docker 이미지 pull",
            (CheckId::HelmCommand, En) => "Helm command",
            (CheckId::HelmCommand, Ko) => "Helm 명령",
            (CheckId::HelmVersion, En) => "Helm version",
            (CheckId::HelmVersion, Ko) => "Helm 버전",
            (CheckId::NotaryVersion, En) => "Notary version",
            (CheckId::NotaryVersion, Ko) => "Notary 버전",
            (CheckId::EncryptionIdentity, En) => "Encryption key identity",
            (CheckId::EncryptionIdentity, Ko) => "암호화 키 ID",
            (CheckId::ArmToken, En) => "ARM access token",
            (CheckId::ArmToken, Ko) => "ARM 액세스 토큰",
            (CheckId::ArmRegistry, En) => "Registry in Azure",
            (CheckId::ArmRegistry, Ko) => "Azure의 레지스트리",
            (CheckId::NetworkRules, En) => "Network rules",
            (CheckId::NetworkRules, Ko) => "네트워크 규칙",
            (CheckId::PrivateEndpoints, En) => "Private endpoints",
            (CheckId::PrivateEndpoints, Ko) => "프라이빗 엔드포인트",
        }
    }
}

impl Ord for CheckId {
    fn cmp(&self, other: &CheckId) -> std::cmp::Ordering {
        self.report_rank().cmp(&other.report_rank())
    }
}

impl PartialOrd for CheckId {
    fn partial_cmp(&self, other: &CheckId) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Where a check ran. Both sides may run the same check, and may see the registry differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The page, inside the browser's sandbox and CORS rules.
    Browser,
    /// The helper, with the machine's own network stack and commands.
    Machine,
}

/// The state of one check. `Pending` and `Running` exist only while a run is in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Running,
    Pass,
    Warning,
    Fail,
    /// Not run, for the reason given in the result's finding (a check before it failed, no
    /// credentials given, no helper).
    Skipped,
}

impl Status {
    /// Tells whether the check has finished, whatever its outcome.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Pending | Status::Running)
    }
}

/// One fact a verdict rests on, shown on expand and kept in share links, such as
/// `status` = `403` or `www-authenticate` = `Bearer realm=...`.
///
/// Labels are technical and stay untranslated: an HTTP header name, `url`, `status`,
/// `elapsed_ms`, `client_ip`, `command`, `exit_status`, `output`. Values never hold a secret:
/// the code that records a header or a body removes credentials first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub label: String,
    pub value: String,
}

impl Evidence {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Evidence {
        Evidence {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// The outcome of one check on one side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: CheckId,
    pub side: Side,
    pub status: Status,
    /// The catalog code, for a warning or a failure that has one.
    pub code: Option<Code>,
    /// What was seen, as one sentence in the user's language.
    pub finding: Finding,
    pub evidence: Vec<Evidence>,
    /// Wall time of the check in milliseconds, including waiting for the network.
    pub elapsed_ms: u32,
}

#[cfg(test)]
mod tests {
    use super::CheckId;

    #[test]
    fn report_order_lists_every_check_once() {
        let mut ordered = CheckId::REPORT_ORDER.to_vec();
        ordered.sort_by_key(|check| check.as_str());
        let mut all = CheckId::ALL.to_vec();
        all.sort_by_key(|check| check.as_str());
        assert_eq!(ordered, all);
    }

    #[test]
    fn sorting_follows_the_report_order() {
        let mut checks = CheckId::ALL.to_vec();
        checks.sort();
        assert_eq!(checks, CheckId::REPORT_ORDER);
        assert!(CheckId::EncryptionIdentity > CheckId::PrivateEndpoints);
        assert!(CheckId::ArmToken > CheckId::NotaryVersion);
    }
}
