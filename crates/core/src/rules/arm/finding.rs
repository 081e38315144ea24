//! Findings of the ARM checks, as data, and its sentence in each language. Each sentence names the
//! evidence it rests on (registry, rule, address, identity, host name) and the next step.

use serde::{Deserialize, Serialize};

use super::{ArmUrlError, TokenSourceFailure};
use crate::parse::arm::ArmParseError;
use crate::parse::http_date::format_utc;
use crate::parse::registry_input::Cloud;
use crate::rules::registry::Failure;
use crate::{Lang, Localize};

/// The addresses a private endpoint's DNS configuration gives one host name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointDns {
    pub fqdn: String,
    pub addresses: Vec<String>,
}

/// The observation behind one ARM check's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmFinding {
    /// The check did not run because an earlier ARM step failed.
    SkippedAfterFailure,
    /// The check did not run because the registry was not found in Azure.
    SkippedRegistryUnknown,
    /// The ARM base URL was rejected, so the token was not sent.
    BaseUrlRejected { error: ArmUrlError },
    /// The token given is empty.
    TokenMissing,
    /// The helper could not get a token from the Azure CLI.
    TokenSourceFailed {
        kind: TokenSourceFailure,
        detail: String,
    },
    /// ARM accepted the token.
    TokenAccepted {
        tenant: Option<String>,
        expires_at_ms: Option<u64>,
    },
    /// The token has expired, seen from its `exp` claim or from ARM's response.
    TokenExpired { expired_at_ms: Option<u64> },
    /// The token is for another resource than ARM.
    TokenWrongAudience {
        audience: Vec<String>,
        expected: String,
    },
    /// ARM rejected the token with 401 for another reason.
    TokenRejected {
        code: String,
        message: Option<String>,
    },
    /// A request to ARM got no readable response.
    RequestFailed { url: String, failure: Failure },
    /// ARM responded with an error status not covered by another finding.
    Rejected {
        url: String,
        status: u16,
        code: Option<String>,
        message: Option<String>,
    },
    /// ARM responded with success but the body is unusable.
    AnswerUnreadable { url: String, problem: ArmParseError },
    /// The registry was found and its login server is the one checked.
    RegistryFound {
        name: String,
        login_server: String,
        subscription: String,
        sku: Option<String>,
        admin_user_enabled: Option<bool>,
        anonymous_pull_enabled: Option<bool>,
    },
    /// The registry was found in another Azure cloud than the login server checked.
    RegistryInOtherCloud {
        name: String,
        login_server: String,
        cloud: Cloud,
    },
    /// The registry was found, but its login server differs from the one checked.
    LoginServerDiffers {
        name: String,
        login_server: String,
        checked: String,
    },
    /// No registry of that name (or login server) in the subscriptions searched.
    RegistryNotFound {
        wanted: String,
        /// The registry was searched by its login server, because no name was known.
        by_login_server: bool,
        subscriptions: Vec<String>,
    },
    /// ARM denied listing the registries of a subscription (403 `AuthorizationFailed`).
    NoPermission {
        subscription: String,
        message: Option<String>,
    },
    /// `publicNetworkAccess` is `Disabled`.
    PublicAccessDisabled {
        registry: String,
        via_private_endpoint: bool,
        data_host: Option<String>,
    },
    /// Public access is enabled and the default action is `Allow`.
    NetworkOpen {
        registry: String,
        forbidden_seen: bool,
    },
    /// The client's address is inside an allowed IP rule.
    ClientAllowed {
        registry: String,
        client_ip: String,
        rule: String,
    },
    /// The client's address is in no IP rule, and the default action is `Deny`.
    ClientDenied {
        registry: String,
        client_ip: String,
        rules: Vec<String>,
        rule_count: usize,
        forbidden_seen: bool,
        data_host: Option<String>,
    },
    /// The default action is `Deny`, but the login server responded to this client's challenge
    /// without 403, so a rule or a bypass lets it in.
    ClientAdmitted {
        registry: String,
        rules: Vec<String>,
        rule_count: usize,
    },
    /// The default action is `Deny`, and the client's public address is unknown.
    ClientIpUnknown {
        registry: String,
        rules: Vec<String>,
        rule_count: usize,
        forbidden_seen: bool,
        /// Seen from the page, which cannot learn its public address; else from the helper.
        in_browser: bool,
        data_host: Option<String>,
    },
    /// The registry has no private endpoint.
    NoPrivateEndpoints { registry: String },
    /// The private endpoints and their DNS names, without a DNS answer to compare (browser).
    PrivateEndpointsListed { endpoints: Vec<EndpointDns> },
    /// This machine resolves the login server to a private endpoint's address.
    PrivateDnsMatches {
        fqdn: String,
        expected: Vec<String>,
        seen: Vec<String>,
    },
    /// This machine resolves the login server to other addresses than the private endpoint's.
    PrivateDnsMismatch {
        fqdn: String,
        expected: Vec<String>,
        seen: Vec<String>,
        data_host: Option<String>,
    },
    /// No private endpoint's DNS configuration names the login server.
    PrivateDnsNoEntry {
        fqdn: String,
        endpoints: Vec<EndpointDns>,
    },
    /// A private endpoint could not be read from ARM.
    PrivateEndpointUnreadable {
        endpoint: String,
        status: Option<u16>,
        failure: Option<Failure>,
    },
    /// The registry does not use a customer-managed key.
    NotEncrypted { registry: String },
    /// The identity of the customer-managed key exists.
    CmkIdentityPresent {
        registry: String,
        /// The client id of a user-assigned identity; `None` for the system identity.
        client_id: Option<String>,
    },
    /// The key's user-assigned identity responds with 404, so it was deleted.
    CmkIdentityDeleted { registry: String, client_id: String },
    /// The key's user-assigned identity is no longer assigned to the registry.
    CmkIdentityNotAssigned { registry: String, client_id: String },
    /// The key uses the system identity, which the registry no longer has.
    CmkSystemIdentityRemoved {
        registry: String,
        identity_type: Option<String>,
    },
    /// The key's user-assigned identity could not be read from ARM.
    CmkIdentityUnknown {
        registry: String,
        client_id: String,
        status: Option<u16>,
        failure: Option<Failure>,
    },
    /// `publicNetworkAccess` is `Disabled`, yet the login server answered this client without
    /// a 403 and no private endpoint of the registry matched its DNS answer.
    PublicAccessDisabledYetAnswered { registry: String },
}

/// Returns "1 IP rule" or "N IP rules".
fn ip_rules_en(count: usize) -> String {
    match count {
        1 => "1 IP rule".to_owned(),
        count => format!("{count} IP rules"),
    }
}

impl Localize for ArmFinding {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Ko => self.korean(),
        }
    }
}

impl ArmFinding {
    fn english(&self) -> String {
        use ArmFinding::*;
        match self {
            SkippedAfterFailure => "Not run because an earlier Azure Resource Manager step failed.".to_owned(),
            SkippedRegistryUnknown => "Not run because the registry was not found in Azure Resource Manager.".to_owned(),
            BaseUrlRejected { error } => format!("{} The ARM token was not sent.", error.localize(Lang::En)),
            TokenMissing => "The ARM token is empty. Paste an access token for ARM: az account get-access-token --query accessToken --output tsv.".to_owned(),
            TokenSourceFailed { kind, detail } => {
                let (cause, next) = match kind {
                    TokenSourceFailure::AzMissing => ("the Azure CLI (az) was not found", "Install the Azure CLI or set AZ_COMMAND to its path, or paste an ARM token instead."),
                    TokenSourceFailure::AzNotLoggedIn => ("the Azure CLI is not signed in", "Run az login, then check again, or paste an ARM token instead."),
                    TokenSourceFailure::AzTimedOut => ("the Azure CLI did not answer in time", "Run the check again, or paste an ARM token instead."),
                    TokenSourceFailure::AzFailed => ("the Azure CLI failed", "Run az account get-access-token yourself to see the error, or paste an ARM token instead."),
                    TokenSourceFailure::AzInvalidOutput => ("the Azure CLI returned no access token", "Update the Azure CLI, or paste an ARM token instead."),
                };
                match detail.is_empty() {
                    true => format!("No ARM token: {cause}. {next}"),
                    false => format!("No ARM token: {cause} (\"{detail}\"). {next}"),
                }
            }
            TokenAccepted { tenant, expires_at_ms } => {
                let mut text = "Azure Resource Manager accepted the ARM token".to_owned();
                if let Some(tenant) = tenant {
                    text.push_str(&format!(" (tenant {tenant})"));
                }
                if let Some(at) = expires_at_ms {
                    text.push_str(&format!("; it expires at {}", format_utc(*at)));
                }
                text.push('.');
                text
            }
            TokenExpired { expired_at_ms: Some(at) } => format!(
                "The ARM token expired at {}. Get a new one (az account get-access-token) and run the check again.",
                format_utc(*at)
            ),
            TokenExpired { expired_at_ms: None } => "Azure Resource Manager rejected the ARM token as expired. Get a new one (az account get-access-token) and run the check again.".to_owned(),
            TokenWrongAudience { audience, expected } => format!(
                "The ARM token is for {}, not for Azure Resource Manager ({expected}). Get a token for ARM: az account get-access-token --resource {expected}.",
                list_or(audience, "no audience")
            ),
            TokenRejected { code, message } => match message {
                Some(message) => format!("Azure Resource Manager rejected the ARM token ({code}): \"{message}\". Paste a complete access token for ARM."),
                None => format!("Azure Resource Manager rejected the ARM token ({code}). Paste a complete access token for ARM."),
            },
            RequestFailed { url, failure } => format!(
                "The request to Azure Resource Manager ({url}) failed: {}. Check the ARM URL setting and the proxy; the ARM checks after it did not run.",
                failure_en(failure)
            ),
            Rejected { url, status, code, message } => {
                let mut text = format!("Azure Resource Manager responded to {url} with HTTP {status}");
                if let Some(code) = code {
                    text.push_str(&format!(" ({code})"));
                }
                if let Some(message) = message {
                    text.push_str(&format!(": \"{message}\""));
                }
                text.push('.');
                text
            }
            AnswerUnreadable { url, problem } => format!(
                "The answer of Azure Resource Manager to {url} is unusable: {problem}."
            ),
            RegistryFound { name, login_server, subscription, sku, admin_user_enabled, anonymous_pull_enabled } => {
                let mut text = format!("Found registry {name} ({login_server}) in subscription {subscription}");
                if let Some(sku) = sku {
                    text.push_str(&format!(", SKU {sku}"));
                }
                text.push('.');
                if let Some(admin) = admin_user_enabled {
                    text.push_str(if *admin { " The admin user is enabled." } else { " The admin user is disabled." });
                }
                if let Some(anonymous) = anonymous_pull_enabled {
                    text.push_str(if *anonymous { " Anonymous pull is enabled." } else { " Anonymous pull is disabled." });
                }
                text
            }
            RegistryInOtherCloud { name, login_server, cloud } => format!(
                "Registry {name} is in {} with login server {login_server}, not the login server checked. Check {login_server} instead, or pick that cloud.",
                cloud_en(*cloud)
            ),
            LoginServerDiffers { name, login_server, checked } => format!(
                "Registry {name} has login server {login_server}, but {checked} was checked. Check {login_server}, or give the right registry name."
            ),
            RegistryNotFound { wanted, by_login_server, subscriptions } => {
                let wanted = match by_login_server {
                    true => format!("with login server {wanted}"),
                    false => wanted.clone(),
                };
                let next = match by_login_server {
                    true => "Give the registry's name in Azure",
                    false => "Check the name",
                };
                match subscriptions.len() {
                    0 => format!("The ARM token sees no subscription, so no registry {wanted} can be found. Sign in to the tenant that holds the registry."),
                    count => format!(
                        "No registry {wanted} in the {} searched ({}). {next}, or use a token of the tenant that holds it.",
                        if count == 1 { "subscription".to_owned() } else { format!("{count} subscriptions") },
                        subscriptions.join(", ")
                    ),
                }
            }
            NoPermission { subscription, message } => {
                let mut text = format!("No permission to list registries in subscription {subscription}. Ask for the Reader role on the subscription or on the registry's resource group.");
                if let Some(message) = message {
                    text.push_str(&format!(" Message from ARM: \"{message}\""));
                }
                text
            }
            PublicAccessDisabled { registry, via_private_endpoint: true, .. } => format!(
                "Public network access to {registry} is disabled, and this machine reaches it through its private endpoint."
            ),
            PublicAccessDisabled { registry, via_private_endpoint: false, data_host } => format!(
                "Public network access to {registry} is disabled, so only its private endpoints are reachable. Connect from the virtual network, or enable public access: az acr update --name {registry} --public-network-enabled true.{}",
                data_host_en(data_host)
            ),
            PublicAccessDisabledYetAnswered { registry } => format!(
                "Public network access to {registry} is disabled, yet its login server answered this client without 403. The path probably goes through a private endpoint, a proxy or a firewall in between, or the setting changed only moments ago. If pulls fail, check which address the login server resolves to on this machine."
            ),
            NetworkOpen { registry, forbidden_seen: false } => format!(
                "Public network access to {registry} is enabled with default action Allow, so no network rule blocks clients."
            ),
            NetworkOpen { registry, forbidden_seen: true } => format!(
                "Public network access to {registry} is enabled with default action Allow, so the 403 seen comes from another cause than the network rules."
            ),
            ClientAllowed { registry, client_ip, rule } => format!(
                "The client address {client_ip} is inside the IP rule {rule} of {registry}."
            ),
            ClientDenied { registry, client_ip, rules, rule_count, forbidden_seen, data_host } => {
                let mut text = format!(
                    "The client address {client_ip} is in none of the {} of {registry}",
                    ip_rules_en(*rule_count)
                );
                if !rules.is_empty() {
                    text.push_str(&format!(" ({})", rules.join(", ")));
                }
                text.push_str(", and the default action is Deny");
                if *forbidden_seen {
                    text.push_str(", which is why the registry answered 403");
                }
                text.push_str(&format!(
                    ". Add the address: az acr network-rule add --name {registry} --ip-address {client_ip}.{}",
                    data_host_en(data_host)
                ));
                text
            }
            ClientAdmitted { registry, rules, rule_count } => {
                let mut text = format!(
                    "The default action of {registry} is Deny with {}",
                    ip_rules_en(*rule_count)
                );
                if !rules.is_empty() {
                    text.push_str(&format!(" ({})", rules.join(", ")));
                }
                text.push_str(", and the login server answered this client without 403, so a rule or a trusted-service bypass lets it in.");
                text
            }
            ClientIpUnknown { registry, rules, rule_count, forbidden_seen, in_browser, data_host } => {
                let mut text = format!(
                    "The default action of {registry} is Deny with {}",
                    ip_rules_en(*rule_count)
                );
                if !rules.is_empty() {
                    text.push_str(&format!(" ({})", rules.join(", ")));
                }
                match (forbidden_seen, in_browser) {
                    (true, _) => text.push_str(", and the registry answered 403 without naming the client address. Compare your public address with the rules."),
                    (false, true) => text.push_str(". A browser cannot know its public address, so whether a rule allows it is unknown. Compare your public address with the rules, or run the helper."),
                    (false, false) => text.push_str(". The login server did not answer, so whether a rule allows this machine's public address is unknown. Compare that address with the rules."),
                }
                text.push_str(&data_host_en(data_host));
                text
            }
            NoPrivateEndpoints { registry } => format!("Registry {registry} has no private endpoint."),
            PrivateEndpointsListed { endpoints } => format!(
                "Private endpoint DNS: {}. The helper (acr-health-helper) compares them with this machine's DNS answer.",
                endpoints_text(endpoints)
            ),
            PrivateDnsMatches { fqdn, expected, seen } => format!(
                "This machine resolves {fqdn} to {}, the private endpoint's address ({}).",
                seen.join(", "),
                expected.join(", ")
            ),
            PrivateDnsMismatch { fqdn, expected, seen, data_host } => format!(
                "This machine resolves {fqdn} to {}, but the private endpoint expects {}. Fix the private DNS zone (privatelink.azurecr.io) link or the hosts file, then check with nslookup {fqdn}.{}",
                list_or(seen, "nothing"),
                expected.join(", "),
                data_host_en(data_host)
            ),
            PrivateDnsNoEntry { fqdn, endpoints } => format!(
                "No private endpoint's DNS configuration names {fqdn} ({}).",
                endpoints_text(endpoints)
            ),
            PrivateEndpointUnreadable { endpoint, status, failure } => match (status, failure) {
                (_, Some(failure)) => format!("The private endpoint {endpoint} could not be read: {}.", failure_en(failure)),
                (Some(status), None) => format!("The private endpoint {endpoint} could not be read: HTTP {status}. Reading it needs the Reader role on its resource group."),
                (None, None) => format!("The private endpoint {endpoint} could not be read."),
            },
            NotEncrypted { registry } => format!("Not run: {registry} is not encrypted with a customer-managed key."),
            CmkIdentityPresent { registry, client_id: Some(client_id) } => format!(
                "The customer-managed key of {registry} uses the user-assigned identity {client_id}, which exists."
            ),
            CmkIdentityPresent { registry, client_id: None } => format!(
                "The customer-managed key of {registry} uses the registry's system-assigned identity, which exists."
            ),
            CmkIdentityDeleted { registry, client_id } => format!(
                "The customer-managed key of {registry} uses the user-assigned identity {client_id}, which was deleted, so the registry cannot read its key. Restore the identity or rotate the key to another identity."
            ),
            CmkIdentityNotAssigned { registry, client_id } => format!(
                "The customer-managed key of {registry} uses the identity {client_id}, which is no longer assigned to the registry. Assign it again: az acr identity assign --name {registry} --identities <identity resource id>."
            ),
            CmkSystemIdentityRemoved { registry, identity_type } => format!(
                "The customer-managed key of {registry} uses the system-assigned identity, but the registry's identity type is {}. Assign it again: az acr identity assign --name {registry} --identities [system].",
                identity_type.as_deref().unwrap_or("None")
            ),
            CmkIdentityUnknown { registry, client_id, status, failure } => match (status, failure) {
                (_, Some(failure)) => format!("The identity {client_id} of {registry}'s customer-managed key could not be read: {}.", failure_en(failure)),
                (Some(status), None) => format!("The identity {client_id} of {registry}'s customer-managed key could not be read: HTTP {status}."),
                (None, None) => format!("The identity {client_id} of {registry}'s customer-managed key could not be read."),
            },
        }
    }

    fn korean(&self) -> String {
        use ArmFinding::*;
        match self {
            SkippedAfterFailure => "앞 단계의 Azure Resource Manager 조회가 실패해서 실행하지 않았습니다.".to_owned(),
            SkippedRegistryUnknown => "Azure Resource Manager에서 레지스트리를 찾지 못해서 실행하지 않았습니다.".to_owned(),
            BaseUrlRejected { error } => format!("{} ARM 토큰은 보내지 않았습니다.", error.localize(Lang::Ko)),
            TokenMissing => "ARM 토큰이 비어 있습니다. ARM용 액세스 토큰을 붙여 넣으세요: az account get-access-token --query accessToken --output tsv".to_owned(),
            TokenSourceFailed { kind, detail } => {
                let (cause, next) = match kind {
                    TokenSourceFailure::AzMissing => ("Azure CLI(az)를 찾지 못했습니다", "Azure CLI를 설치하거나 AZ_COMMAND에 경로를 지정하세요. ARM 토큰을 직접 붙여 넣어도 됩니다."),
                    TokenSourceFailure::AzNotLoggedIn => ("Azure CLI에 로그인되어 있지 않습니다", "az login을 실행한 뒤 다시 점검하거나 ARM 토큰을 직접 붙여 넣으세요."),
                    TokenSourceFailure::AzTimedOut => ("Azure CLI가 제한 시간 안에 응답하지 않았습니다", "다시 점검하거나 ARM 토큰을 직접 붙여 넣으세요."),
                    TokenSourceFailure::AzFailed => ("Azure CLI 실행이 실패했습니다", "az account get-access-token을 직접 실행해 오류를 확인하거나 ARM 토큰을 직접 붙여 넣으세요."),
                    TokenSourceFailure::AzInvalidOutput => ("Azure CLI가 액세스 토큰을 돌려주지 않았습니다", "Azure CLI를 업데이트하거나 ARM 토큰을 직접 붙여 넣으세요."),
                };
                match detail.is_empty() {
                    true => format!("ARM 토큰 없음: {cause}. {next}"),
                    false => format!("ARM 토큰 없음: {cause}(\"{detail}\"). {next}"),
                }
            }
            TokenAccepted { tenant, expires_at_ms } => {
                let mut text = "Azure Resource Manager가 ARM 토큰을 받아들였습니다".to_owned();
                if let Some(tenant) = tenant {
                    text.push_str(&format!("(테넌트 {tenant})"));
                }
                text.push('.');
                if let Some(at) = expires_at_ms {
                    text.push_str(&format!(" 만료 시각은 {}입니다.", format_utc(*at)));
                }
                text
            }
            TokenExpired { expired_at_ms: Some(at) } => format!(
                "ARM 토큰이 {}에 만료되었습니다. 새 토큰을 받아(az account get-access-token) 다시 점검하세요.",
                format_utc(*at)
            ),
            TokenExpired { expired_at_ms: None } => "Azure Resource Manager가 ARM 토큰을 만료된 토큰으로 거부했습니다. 새 토큰을 받아(az account get-access-token) 다시 점검하세요.".to_owned(),
            TokenWrongAudience { audience, expected } => format!(
                "ARM 토큰의 대상(audience)이 {}이라 Azure Resource Manager({expected})용 토큰이 아닙니다. ARM용 토큰을 받으세요: az account get-access-token --resource {expected}",
                list_or(audience, "없음")
            ),
            TokenRejected { code, message } => match message {
                Some(message) => format!("Azure Resource Manager가 ARM 토큰을 거부했습니다({code}): \"{message}\". ARM용 액세스 토큰 전체를 붙여 넣으세요."),
                None => format!("Azure Resource Manager가 ARM 토큰을 거부했습니다({code}). ARM용 액세스 토큰 전체를 붙여 넣으세요."),
            },
            RequestFailed { url, failure } => format!(
                "Azure Resource Manager 요청({url})이 실패했습니다: {}. ARM URL 설정과 프록시를 확인하세요. 이후 ARM 점검은 실행하지 않았습니다.",
                failure_ko(failure)
            ),
            Rejected { url, status, code, message } => {
                let mut text = format!("Azure Resource Manager가 {url}에 HTTP {status}");
                if let Some(code) = code {
                    text.push_str(&format!("({code})"));
                }
                text.push_str("로 응답했습니다");
                if let Some(message) = message {
                    text.push_str(&format!(": \"{message}\""));
                }
                text.push('.');
                text
            }
            AnswerUnreadable { url, problem } => format!(
                "Azure Resource Manager가 {url}에 보낸 응답을 쓸 수 없습니다: {}.",
                parse_problem_ko(problem)
            ),
            RegistryFound { name, login_server, subscription, sku, admin_user_enabled, anonymous_pull_enabled } => {
                let mut text = format!("구독 {subscription}에서 레지스트리 {name}({login_server})을(를) 찾았습니다");
                if let Some(sku) = sku {
                    text.push_str(&format!(". SKU는 {sku}입니다"));
                }
                text.push('.');
                if let Some(admin) = admin_user_enabled {
                    text.push_str(if *admin { " 관리자 사용자가 켜져 있습니다." } else { " 관리자 사용자는 꺼져 있습니다." });
                }
                if let Some(anonymous) = anonymous_pull_enabled {
                    text.push_str(if *anonymous { " 익명 pull이 켜져 있습니다." } else { " 익명 pull은 꺼져 있습니다." });
                }
                text
            }
            RegistryInOtherCloud { name, login_server, cloud } => format!(
                "레지스트리 {name}은(는) {}에 있고 로그인 서버는 {login_server}입니다. 점검한 로그인 서버와 다르니 {login_server}(으)로 점검하거나 해당 클라우드를 선택하세요.",
                cloud_ko(*cloud)
            ),
            LoginServerDiffers { name, login_server, checked } => format!(
                "레지스트리 {name}의 로그인 서버는 {login_server}인데 {checked}을(를) 점검했습니다. {login_server}(으)로 점검하거나 레지스트리 이름을 바르게 입력하세요."
            ),
            RegistryNotFound { wanted, by_login_server, subscriptions } => {
                let wanted = match by_login_server {
                    true => format!("로그인 서버가 {wanted}인 레지스트리"),
                    false => format!("레지스트리 {wanted}"),
                };
                let next = match by_login_server {
                    true => "Azure에서의 레지스트리 이름을 입력하거나",
                    false => "이름을 확인하거나",
                };
                match subscriptions.len() {
                    0 => format!("ARM 토큰으로 볼 수 있는 구독이 없어 {wanted}을(를) 찾을 수 없습니다. 레지스트리가 있는 테넌트로 로그인하세요."),
                    count => format!(
                        "조회한 구독 {count}개({})에 {wanted}{} 없습니다. {next} 레지스트리가 있는 테넌트의 토큰을 쓰세요.",
                        subscriptions.join(", "),
                        // A name is any word, but the login server search ends in "레지스트리".
                        if *by_login_server { "가" } else { "이(가)" }
                    ),
                }
            }
            NoPermission { subscription, message } => {
                let mut text = format!("구독 {subscription}의 레지스트리 목록을 볼 권한이 없습니다. 구독이나 레지스트리가 있는 리소스 그룹에 대한 Reader 역할을 요청하세요.");
                if let Some(message) = message {
                    text.push_str(&format!(" ARM 메시지: \"{message}\""));
                }
                text
            }
            PublicAccessDisabled { registry, via_private_endpoint: true, .. } => format!(
                "{registry}의 퍼블릭 네트워크 액세스는 꺼져 있고, 이 머신은 프라이빗 엔드포인트로 접속합니다."
            ),
            PublicAccessDisabled { registry, via_private_endpoint: false, data_host } => format!(
                "{registry}의 퍼블릭 네트워크 액세스가 꺼져 있어 프라이빗 엔드포인트로만 접속할 수 있습니다. 가상 네트워크 안에서 접속하거나 퍼블릭 액세스를 켜세요: az acr update --name {registry} --public-network-enabled true{}",
                data_host_ko(data_host)
            ),
            PublicAccessDisabledYetAnswered { registry } => format!(
                "{registry}의 퍼블릭 네트워크 액세스는 꺼져 있는데, 로그인 서버는 403 없이 이 클라이언트에 응답했습니다. 프라이빗 엔드포인트나 중간의 프록시, 방화벽을 거치는 경로이거나 설정이 방금 바뀌었을 수 있습니다. pull이 실패하면 이 머신에서 로그인 서버 이름이 어떤 주소로 조회되는지 확인하세요."
            ),
            NetworkOpen { registry, forbidden_seen: false } => format!(
                "{registry}은(는) 퍼블릭 네트워크 액세스가 켜져 있고 기본 동작이 Allow라서 네트워크 규칙이 클라이언트를 막지 않습니다."
            ),
            NetworkOpen { registry, forbidden_seen: true } => format!(
                "{registry}은(는) 퍼블릭 네트워크 액세스가 켜져 있고 기본 동작이 Allow이므로, 앞서 본 403은 네트워크 규칙이 아닌 다른 원인입니다."
            ),
            ClientAllowed { registry, client_ip, rule } => format!(
                "클라이언트 주소 {client_ip}은(는) {registry}의 IP 규칙 {rule}에 포함됩니다."
            ),
            ClientDenied { registry, client_ip, rules, rule_count, forbidden_seen, data_host } => {
                let mut text = format!(
                    "클라이언트 주소 {client_ip}은(는) {registry}의 IP 규칙 {rule_count}개"
                );
                if !rules.is_empty() {
                    text.push_str(&format!("({})", rules.join(", ")));
                }
                text.push_str(" 중 어디에도 속하지 않고 기본 동작은 Deny입니다");
                if *forbidden_seen {
                    text.push_str(". 레지스트리가 403으로 응답한 이유가 이것입니다");
                }
                text.push_str(&format!(
                    ". 주소를 추가하세요: az acr network-rule add --name {registry} --ip-address {client_ip}{}",
                    data_host_ko(data_host)
                ));
                text
            }
            ClientAdmitted { registry, rules, rule_count } => {
                let mut text = format!(
                    "{registry}의 기본 동작은 Deny이고 IP 규칙은 {rule_count}개입니다"
                );
                if !rules.is_empty() {
                    text.push_str(&format!("({})", rules.join(", ")));
                }
                text.push_str(". 로그인 서버가 이 클라이언트에 403 없이 응답했으므로 규칙이나 신뢰할 수 있는 서비스 예외로 허용된 상태입니다.");
                text
            }
            ClientIpUnknown { registry, rules, rule_count, forbidden_seen, in_browser, data_host } => {
                let mut text = format!(
                    "{registry}의 기본 동작은 Deny이고 IP 규칙은 {rule_count}개입니다"
                );
                if !rules.is_empty() {
                    text.push_str(&format!("({})", rules.join(", ")));
                }
                match (forbidden_seen, in_browser) {
                    (true, _) => text.push_str(". 레지스트리가 403으로 응답했지만 클라이언트 주소는 알려 주지 않았습니다. 공인 IP를 규칙과 비교하세요."),
                    (false, true) => text.push_str(". 브라우저는 자신의 공인 IP를 알 수 없어서 규칙에 포함되는지 판단할 수 없습니다. 공인 IP를 규칙과 비교하거나 헬퍼로 점검하세요."),
                    (false, false) => text.push_str(". 로그인 서버가 응답하지 않아 이 머신의 공인 IP가 규칙에 포함되는지 알 수 없습니다. 그 주소를 규칙과 비교하세요."),
                }
                text.push_str(&data_host_ko(data_host));
                text
            }
            NoPrivateEndpoints { registry } => format!("{registry}에는 프라이빗 엔드포인트가 없습니다."),
            PrivateEndpointsListed { endpoints } => format!(
                "프라이빗 엔드포인트 DNS: {}. 헬퍼(acr-health-helper)를 쓰면 이 머신의 DNS 응답과 비교합니다.",
                endpoints_text(endpoints)
            ),
            PrivateDnsMatches { fqdn, expected, seen } => format!(
                "이 머신은 {fqdn}을(를) {}(으)로 해석하며, 프라이빗 엔드포인트 주소({})와 일치합니다.",
                seen.join(", "),
                expected.join(", ")
            ),
            PrivateDnsMismatch { fqdn, expected, seen, data_host } => format!(
                "이 머신은 {fqdn}을(를) {}(으)로 해석하지만 프라이빗 엔드포인트 주소는 {}입니다. 프라이빗 DNS 영역(privatelink.azurecr.io) 연결이나 hosts 파일을 고친 뒤 nslookup {fqdn} 명령으로 확인하세요.{}",
                list_or(seen, "없음"),
                expected.join(", "),
                data_host_ko(data_host)
            ),
            PrivateDnsNoEntry { fqdn, endpoints } => format!(
                "어떤 프라이빗 엔드포인트의 DNS 구성에도 {fqdn}이(가) 없습니다({}).",
                endpoints_text(endpoints)
            ),
            PrivateEndpointUnreadable { endpoint, status, failure } => match (status, failure) {
                (_, Some(failure)) => format!("프라이빗 엔드포인트 {endpoint}을(를) 읽지 못했습니다: {}.", failure_ko(failure)),
                (Some(status), None) => format!("프라이빗 엔드포인트 {endpoint}을(를) 읽지 못했습니다: HTTP {status}. 리소스 그룹에 대한 Reader 역할이 필요합니다."),
                (None, None) => format!("프라이빗 엔드포인트 {endpoint}을(를) 읽지 못했습니다."),
            },
            NotEncrypted { registry } => format!("실행하지 않음: {registry}은(는) 고객 관리형 키로 암호화되어 있지 않습니다."),
            CmkIdentityPresent { registry, client_id: Some(client_id) } => format!(
                "{registry}의 고객 관리형 키는 사용자 할당 ID {client_id}을(를) 쓰며, 이 ID는 존재합니다."
            ),
            CmkIdentityPresent { registry, client_id: None } => format!(
                "{registry}의 고객 관리형 키는 레지스트리의 시스템 할당 ID를 쓰며, 이 ID는 존재합니다."
            ),
            CmkIdentityDeleted { registry, client_id } => format!(
                "{registry}의 고객 관리형 키가 쓰는 사용자 할당 ID {client_id}이(가) 삭제되어 레지스트리가 키를 읽을 수 없습니다. ID를 복원하거나 다른 ID로 키를 교체하세요."
            ),
            CmkIdentityNotAssigned { registry, client_id } => format!(
                "{registry}의 고객 관리형 키가 쓰는 ID {client_id}이(가) 더 이상 레지스트리에 할당되어 있지 않습니다. 다시 할당하세요: az acr identity assign --name {registry} --identities <ID 리소스 ID>"
            ),
            CmkSystemIdentityRemoved { registry, identity_type } => format!(
                "{registry}의 고객 관리형 키는 시스템 할당 ID를 쓰는데, 레지스트리의 ID 유형이 {}입니다. 다시 할당하세요: az acr identity assign --name {registry} --identities [system]",
                identity_type.as_deref().unwrap_or("None")
            ),
            CmkIdentityUnknown { registry, client_id, status, failure } => match (status, failure) {
                (_, Some(failure)) => format!("{registry}의 고객 관리형 키 ID {client_id}을(를) 읽지 못했습니다: {}.", failure_ko(failure)),
                (Some(status), None) => format!("{registry}의 고객 관리형 키 ID {client_id}을(를) 읽지 못했습니다: HTTP {status}."),
                (None, None) => format!("{registry}의 고객 관리형 키 ID {client_id}을(를) 읽지 못했습니다."),
            },
        }
    }
}

fn list_or(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_owned()
    } else {
        items.join(", ")
    }
}

fn endpoints_text(endpoints: &[EndpointDns]) -> String {
    endpoints
        .iter()
        .map(|endpoint| format!("{} → {}", endpoint.fqdn, endpoint.addresses.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn data_host_en(data_host: &Option<String>) -> String {
    match data_host {
        Some(host) => format!(" The data path also failed at {host}, a data endpoint of this registry, to which the same rules apply."),
        None => String::new(),
    }
}

fn data_host_ko(data_host: &Option<String>) -> String {
    match data_host {
        Some(host) => format!(" 데이터 경로도 이 레지스트리의 데이터 엔드포인트 {host}에서 실패했으며, 같은 규칙이 적용됩니다."),
        None => String::new(),
    }
}

fn cloud_en(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::AzureCloud => "Azure (global)",
        Cloud::AzureChinaCloud => "Azure China",
        Cloud::AzureUSGovernment => "Azure US Government",
    }
}

fn cloud_ko(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::AzureCloud => "Azure 글로벌",
        Cloud::AzureChinaCloud => "Azure 중국",
        Cloud::AzureUSGovernment => "Azure 미국 정부",
    }
}

fn failure_en(failure: &Failure) -> String {
    match failure {
        Failure::CorsBlocked => "the browser blocked reading the answer (CORS)".to_owned(),
        Failure::Network { detail } => format!("network error ({detail})"),
        Failure::TimedOut { after_ms } => format!("no response after {after_ms} ms"),
        Failure::Dns { detail } => format!("the name did not resolve ({detail})"),
        Failure::Tls { detail } => format!("the TLS handshake failed ({detail})"),
    }
}

fn failure_ko(failure: &Failure) -> String {
    match failure {
        Failure::CorsBlocked => "브라우저가 응답 읽기를 막음(CORS)".to_owned(),
        Failure::Network { detail } => format!("네트워크 오류({detail})"),
        Failure::TimedOut { after_ms } => format!("{after_ms}ms 동안 응답 없음"),
        Failure::Dns { detail } => format!("이름 확인 실패({detail})"),
        Failure::Tls { detail } => format!("TLS 핸드셰이크 실패({detail})"),
    }
}

fn parse_problem_ko(problem: &ArmParseError) -> String {
    match problem {
        ArmParseError::Empty => "본문이 비어 있음".to_owned(),
        ArmParseError::InvalidJson { line, column } => {
            format!("{line}행 {column}열에서 JSON 형식 오류")
        }
        ArmParseError::NotAnObject => "JSON 객체가 아님".to_owned(),
        ArmParseError::Missing { field } => format!("`{field}` 필드가 없음"),
        ArmParseError::WrongType {
            field,
            expected,
            found,
        } => format!("`{field}` 필드의 형식이 잘못됨(기대: {expected}, 실제: {found})"),
    }
}
