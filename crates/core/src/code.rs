//! The error codes acr-health reports, and how serious each one is.
//!
//! The first sixteen are the codes of the Azure Container Registry health-check error reference
//! (`az acr check-health`), spelled exactly as there, so support recognises them. The others name
//! failures that only a browser or a stricter check can see.

use serde::{Deserialize, Serialize};

/// One error code. Its explanation in each language lives in [`crate::catalog`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Code {
    #[serde(rename = "DOCKER_COMMAND_ERROR")]
    DockerCommand,
    #[serde(rename = "DOCKER_DAEMON_ERROR")]
    DockerDaemon,
    #[serde(rename = "DOCKER_VERSION_ERROR")]
    DockerVersion,
    #[serde(rename = "DOCKER_PULL_ERROR")]
    DockerPull,
    #[serde(rename = "HELM_COMMAND_ERROR")]
    HelmCommand,
    #[serde(rename = "HELM_VERSION_ERROR")]
    HelmVersion,
    #[serde(rename = "CMK_ERROR")]
    Cmk,
    #[serde(rename = "CONNECTIVITY_DNS_ERROR")]
    ConnectivityDns,
    #[serde(rename = "CONNECTIVITY_FORBIDDEN_ERROR")]
    ConnectivityForbidden,
    #[serde(rename = "CONNECTIVITY_CHALLENGE_ERROR")]
    ConnectivityChallenge,
    #[serde(rename = "CONNECTIVITY_AAD_LOGIN_ERROR")]
    ConnectivityAadLogin,
    #[serde(rename = "CONNECTIVITY_REFRESH_TOKEN_ERROR")]
    ConnectivityRefreshToken,
    #[serde(rename = "CONNECTIVITY_ACCESS_TOKEN_ERROR")]
    ConnectivityAccessToken,
    #[serde(rename = "CONNECTIVITY_SSL_ERROR")]
    ConnectivitySsl,
    #[serde(rename = "LOGIN_SERVER_ERROR")]
    LoginServer,
    #[serde(rename = "NOTARY_VERSION_ERROR")]
    NotaryVersion,
    #[serde(rename = "CONNECTIVITY_NETWORK_ERROR")]
    ConnectivityNetwork,
    #[serde(rename = "CONNECTIVITY_CORS_ERROR")]
    ConnectivityCors,
    #[serde(rename = "CONNECTIVITY_TOOMANYREQUESTS_ERROR")]
    ConnectivityTooManyRequests,
    #[serde(rename = "CLOCK_SKEW_ERROR")]
    ClockSkew,
    #[serde(rename = "CONNECTIVITY_DATA_ENDPOINT_ERROR")]
    ConnectivityDataEndpoint,
    #[serde(rename = "ARM_TOKEN_ERROR")]
    ArmToken,
}

/// How much a code blocks the user's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Something that still works but deserves attention, such as a clock a few minutes off.
    Warning,
    /// Something that stops pulls or pushes.
    Error,
}

impl Code {
    /// Every code, in catalog order.
    pub const ALL: [Code; 22] = [
        Code::DockerCommand,
        Code::DockerDaemon,
        Code::DockerVersion,
        Code::DockerPull,
        Code::HelmCommand,
        Code::HelmVersion,
        Code::Cmk,
        Code::ConnectivityDns,
        Code::ConnectivityForbidden,
        Code::ConnectivityChallenge,
        Code::ConnectivityAadLogin,
        Code::ConnectivityRefreshToken,
        Code::ConnectivityAccessToken,
        Code::ConnectivitySsl,
        Code::LoginServer,
        Code::NotaryVersion,
        Code::ConnectivityNetwork,
        Code::ConnectivityCors,
        Code::ConnectivityTooManyRequests,
        Code::ClockSkew,
        Code::ConnectivityDataEndpoint,
        Code::ArmToken,
    ];

    /// Returns the code as written in reports and in the error reference, such as
    /// `CONNECTIVITY_FORBIDDEN_ERROR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::DockerCommand => "DOCKER_COMMAND_ERROR",
            Code::DockerDaemon => "DOCKER_DAEMON_ERROR",
            Code::DockerVersion => "DOCKER_VERSION_ERROR",
            Code::DockerPull => "DOCKER_PULL_ERROR",
            Code::HelmCommand => "HELM_COMMAND_ERROR",
            Code::HelmVersion => "HELM_VERSION_ERROR",
            Code::Cmk => "CMK_ERROR",
            Code::ConnectivityDns => "CONNECTIVITY_DNS_ERROR",
            Code::ConnectivityForbidden => "CONNECTIVITY_FORBIDDEN_ERROR",
            Code::ConnectivityChallenge => "CONNECTIVITY_CHALLENGE_ERROR",
            Code::ConnectivityAadLogin => "CONNECTIVITY_AAD_LOGIN_ERROR",
            Code::ConnectivityRefreshToken => "CONNECTIVITY_REFRESH_TOKEN_ERROR",
            Code::ConnectivityAccessToken => "CONNECTIVITY_ACCESS_TOKEN_ERROR",
            Code::ConnectivitySsl => "CONNECTIVITY_SSL_ERROR",
            Code::LoginServer => "LOGIN_SERVER_ERROR",
            Code::NotaryVersion => "NOTARY_VERSION_ERROR",
            Code::ConnectivityNetwork => "CONNECTIVITY_NETWORK_ERROR",
            Code::ConnectivityCors => "CONNECTIVITY_CORS_ERROR",
            Code::ConnectivityTooManyRequests => "CONNECTIVITY_TOOMANYREQUESTS_ERROR",
            Code::ClockSkew => "CLOCK_SKEW_ERROR",
            Code::ConnectivityDataEndpoint => "CONNECTIVITY_DATA_ENDPOINT_ERROR",
            Code::ArmToken => "ARM_TOKEN_ERROR",
        }
    }

    /// Parses a code as written by [`Code::as_str`]. Returns `None` for any other text.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|code| code.as_str() == text)
    }

    /// Tells whether the code is one of the error reference's, which has a section per code.
    pub fn in_error_reference(self) -> bool {
        !matches!(
            self,
            Code::ConnectivityNetwork
                | Code::ConnectivityCors
                | Code::ConnectivityTooManyRequests
                | Code::ClockSkew
                | Code::ConnectivityDataEndpoint
                | Code::ArmToken
        )
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_round_trips_through_parse() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn serde_name_matches_as_str() {
        for code in Code::ALL {
            let json = serde_json::to_string(&code).expect("a code serializes");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn parse_rejects_unknown_text() {
        assert_eq!(Code::parse("connectivity_dns_error"), None);
        assert_eq!(Code::parse(""), None);
    }

    #[test]
    fn sixteen_codes_are_from_error_reference() {
        let count = Code::ALL.iter().filter(|c| c.in_error_reference()).count();
        assert_eq!(count, 16);
    }
}
