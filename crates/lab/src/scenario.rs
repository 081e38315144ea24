//! The faults the lab can imitate, each with the code the checks must report for it.
//!
//! The table in [`Scenario::ALL`] is the single list: `lab list`, the control API and the tests
//! read it, so a scenario added here shows up everywhere.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// One switchable behaviour of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scenario {
    Healthy,
    AnonymousPull,
    FirewallV2,
    FirewallExchange,
    ChallengeMissing,
    Challenge200,
    Challenge500,
    Challenge429,
    ChallengeBasicOnly,
    BearerNoRealm,
    BearerNoService,
    Exchange401,
    Exchange500,
    Exchange429,
    Token401,
    TokenFewerActions,
    RefreshTokenExpired,
    ClockSkew,
    TlsUnknownCa,
    TlsExpired,
    TlsWrongHost,
    Hang,
    CorsOff,
    StorageRefused,
    Storage403,
    HostileBigBody,
    HostileBigHeader,
    HostileInvalidUtf8,
    HostileTruncatedJson,
    HostileDrip,
    HostileRedirectLoop,
    HostileTokenType,
    HostileTokenShape,
}

/// The documentation of one scenario: its name, what it imitates and the expected code.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ScenarioInfo {
    pub name: &'static str,
    pub imitates: &'static str,
    /// The code the checks must report, spelled as the catalog spells it; `None` when every
    /// check must pass.
    pub expected_code: Option<&'static str>,
}

/// The error for a scenario name that is not in the table.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown scenario '{0}'; `lab list` or GET /scenarios shows the valid names")]
pub struct UnknownScenario(pub String);

use Scenario as S;

impl Scenario {
    /// Every scenario with its documentation, in the order `lab list` prints them.
    pub const ALL: [(Scenario, ScenarioInfo); 33] = [
        (S::Healthy, info("healthy", "a working registry: admin user, token user and AAD exchange all pull", None)),
        (S::AnonymousPull, info("anonymous-pull", "a registry with anonymous pull enabled: GET /oauth2/token without credentials grants pull", None)),
        (S::FirewallV2, info("firewall-v2", "a network rule that blocks this client: 403 with ACR's DENIED body naming the client IP on /v2/ and the token endpoints", Some("CONNECTIVITY_FORBIDDEN_ERROR"))),
        (S::FirewallExchange, info("firewall-exchange", "a network rule enforced at the AAD exchange: /v2/ challenges, POST /oauth2/exchange answers 403 DENIED with the client IP", Some("CONNECTIVITY_FORBIDDEN_ERROR"))),
        (S::ChallengeMissing, info("challenge-missing", "GET /v2/ answers 401 without a WWW-Authenticate header", Some("CONNECTIVITY_CHALLENGE_ERROR"))),
        (S::Challenge200, info("challenge-200", "GET /v2/ answers 200 without asking for credentials", Some("CONNECTIVITY_CHALLENGE_ERROR"))),
        (S::Challenge500, info("challenge-500", "GET /v2/ answers 500 Internal Server Error", Some("CONNECTIVITY_CHALLENGE_ERROR"))),
        (S::Challenge429, info("challenge-429", "GET /v2/ is throttled: 429 with Retry-After", Some("CONNECTIVITY_TOOMANYREQUESTS_ERROR"))),
        (S::ChallengeBasicOnly, info("challenge-basic-only", "GET /v2/ challenges with Basic only, so AAD login is impossible", Some("CONNECTIVITY_AAD_LOGIN_ERROR"))),
        (S::BearerNoRealm, info("bearer-no-realm", "a Bearer challenge without realm", Some("CONNECTIVITY_AAD_LOGIN_ERROR"))),
        (S::BearerNoService, info("bearer-no-service", "a Bearer challenge without service", Some("CONNECTIVITY_AAD_LOGIN_ERROR"))),
        (S::Exchange401, info("exchange-401", "POST /oauth2/exchange rejects the AAD token with 401", Some("CONNECTIVITY_REFRESH_TOKEN_ERROR"))),
        (S::Exchange500, info("exchange-500", "POST /oauth2/exchange fails with 500", Some("CONNECTIVITY_REFRESH_TOKEN_ERROR"))),
        (S::Exchange429, info("exchange-429", "POST /oauth2/exchange is throttled: 429 with Retry-After", Some("CONNECTIVITY_TOOMANYREQUESTS_ERROR"))),
        (S::Token401, info("token-401", "/oauth2/token rejects every credential with 401", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::TokenFewerActions, info("token-fewer-actions", "/oauth2/token issues a token whose access claim grants no actions, as for a missing role or scope map", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::RefreshTokenExpired, info("refresh-token-expired", "the exchange issues refresh tokens that are already expired and /oauth2/token rejects refresh tokens as expired", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::ClockSkew, info("clock-skew", "the registry clock is off by skew_minutes: Date header and token nbf/iat/exp", Some("CLOCK_SKEW_ERROR"))),
        (S::TlsUnknownCa, info("tls-unknown-ca", "a certificate issued by a CA nobody trusts, as an intercepting proxy presents", Some("CONNECTIVITY_SSL_ERROR"))),
        (S::TlsExpired, info("tls-expired", "a certificate from the lab CA that has expired", Some("CONNECTIVITY_SSL_ERROR"))),
        (S::TlsWrongHost, info("tls-wrong-host", "a certificate from the lab CA for another host name", Some("CONNECTIVITY_SSL_ERROR"))),
        (S::Hang, info("hang", "the login server accepts connections but never answers", Some("CONNECTIVITY_NETWORK_ERROR"))),
        (S::CorsOff, info("cors-off", "a registry without CORS, as ACR is: no Access-Control headers, OPTIONS not answered", Some("CONNECTIVITY_CORS_ERROR"))),
        (S::StorageRefused, info("storage-refused", "blob redirects point to a data endpoint that refuses connections", Some("CONNECTIVITY_DATA_ENDPOINT_ERROR"))),
        (S::Storage403, info("storage-403", "blob storage behind a firewall: the redirect target answers 403 AuthorizationFailure", Some("CONNECTIVITY_DATA_ENDPOINT_ERROR"))),
        (S::HostileBigBody, info("hostile-big-body", "/oauth2/token answers 200 with a 10 MB JSON body", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::HostileBigHeader, info("hostile-big-header", "GET /v2/ answers 401 with a 64 KB WWW-Authenticate header", Some("CONNECTIVITY_CHALLENGE_ERROR"))),
        (S::HostileInvalidUtf8, info("hostile-invalid-utf8", "/oauth2/token answers 200 with bytes that are not UTF-8", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::HostileTruncatedJson, info("hostile-truncated-json", "/oauth2/token answers 200 with JSON cut off in the middle", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::HostileDrip, info("hostile-drip", "/oauth2/token answers 200 and sends its body one byte a second", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::HostileRedirectLoop, info("hostile-redirect-loop", "blob requests redirect to themselves forever", Some("CONNECTIVITY_DATA_ENDPOINT_ERROR"))),
        (S::HostileTokenType, info("hostile-token-type", "/oauth2/token answers with access_token as a JSON number", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
        (S::HostileTokenShape, info("hostile-token-shape", "/oauth2/token answers with an access_token string that is not a JWT", Some("CONNECTIVITY_ACCESS_TOKEN_ERROR"))),
    ];

    /// Returns the documentation of this scenario.
    pub fn info(self) -> &'static ScenarioInfo {
        Self::ALL
            .iter()
            .find(|(scenario, _)| *scenario == self)
            .map(|(_, info)| info)
            .expect("every scenario has a row in Scenario::ALL")
    }

    /// Returns the kebab-case name used on the command line and in the control API.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Returns whether the scenario swaps the served certificate, so it needs the lab in TLS mode.
    pub fn needs_tls(self) -> bool {
        matches!(self, S::TlsUnknownCa | S::TlsExpired | S::TlsWrongHost)
    }

    /// Formats the one-line documentation that `lab list` prints.
    pub fn describe(self) -> String {
        let info = self.info();
        let code = info.expected_code.unwrap_or("no error");
        format!("{:<24}{} -> {}", info.name, info.imitates, code)
    }
}

const fn info(
    name: &'static str,
    imitates: &'static str,
    expected_code: Option<&'static str>,
) -> ScenarioInfo {
    ScenarioInfo {
        name,
        imitates,
        expected_code,
    }
}

impl FromStr for Scenario {
    type Err = UnknownScenario;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|(_, info)| info.name == name)
            .map(|(scenario, _)| *scenario)
            .ok_or_else(|| UnknownScenario(name.to_string()))
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (scenario, info) in Scenario::ALL {
            assert_eq!(info.name.parse::<Scenario>(), Ok(scenario));
        }
    }

    #[test]
    fn unknown_name_is_named_in_error() {
        let error = "firewall-v3".parse::<Scenario>().unwrap_err();
        assert!(error.to_string().contains("'firewall-v3'"), "{error}");
    }

    #[test]
    fn expected_codes_exist_in_core() {
        // The core crate spells each code once, in a serde rename on its `Code` enum.
        let core_codes = include_str!("../../core/src/code.rs");
        for (_, info) in Scenario::ALL {
            if let Some(code) = info.expected_code {
                assert!(
                    core_codes.contains(&format!("rename = \"{code}\"")),
                    "{}: {code} is not a core code",
                    info.name
                );
            }
        }
    }

    #[test]
    fn describe_shows_code() {
        let line = Scenario::FirewallV2.describe();
        assert!(line.starts_with("firewall-v2 "), "{line}");
        assert!(line.ends_with("-> CONNECTIVITY_FORBIDDEN_ERROR"), "{line}");
    }
}
